# Beazley's countdown: twenty million steps, split between two threads.
import threading

COUNT = 20_000_000

def countdown(n):
    while n > 0:
        n -= 1

t1 = threading.Thread(target=countdown, args=(COUNT // 2,))
t2 = threading.Thread(target=countdown, args=(COUNT // 2,))
t1.start(); t2.start()
t1.join(); t2.join()
print("done")
