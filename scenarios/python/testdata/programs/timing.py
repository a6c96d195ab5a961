import threading
import time

def countdown(n):
    while n > 0:
        n -= 1

COUNT = 10_000_000
start = time.time()
countdown(COUNT)
print(f"one thread:  {time.time() - start:.3f} s")

start = time.perf_counter()
t1 = threading.Thread(target=countdown, args=(COUNT // 2,))
t2 = threading.Thread(target=countdown, args=(COUNT // 2,))
t1.start(); t2.start(); t1.join(); t2.join()
elapsed = time.perf_counter() - start
print("two threads:", elapsed)
print(f"in ms: {elapsed * 1000:.1f}")
