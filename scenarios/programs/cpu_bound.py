import threading

THREADS = 4
COUNT = 1_000_000   # each thread counts down from COUNT

def countdown(n):
    while n > 0:
        n -= 1

threads = [threading.Thread(target=countdown, args=(COUNT,))
           for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
