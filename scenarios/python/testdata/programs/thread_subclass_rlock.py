import threading

class Worker(threading.Thread):
    def __init__(self, n, lock):
        super().__init__(name=f"worker-{n}")
        self.n = n
        self.lock = lock

    def run(self):
        global total
        for i in range(1000):
            with self.lock:
                total += 1
        print(self.name, "done")

total = 0
lock = threading.RLock()
ws = [Worker(i, lock) for i in range(3)]
for w in ws:
    w.start()
for w in ws:
    w.join()
print("total", total)
