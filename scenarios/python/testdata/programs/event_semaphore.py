import threading
import time

ready = threading.Event()
slots = threading.BoundedSemaphore(2)

def worker(n):
    ready.wait()
    with slots:
        time.sleep(0.01)   # at most two at a time in here
        print("worker", n, "done")

threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
time.sleep(0.005)
print("go")
ready.set()
for t in threads:
    t.join()
