import threading

THREADS = 4
INCREMENTS = 200_000   # each thread adds 1 this many times
counter = 0

def work():
    global counter
    for _ in range(INCREMENTS):
        counter += 1   # load, add, store: not atomic

threads = [threading.Thread(target=work) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("counter =", counter, "expected", THREADS * INCREMENTS)
