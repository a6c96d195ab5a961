import threading

THREADS = 4
ITERATIONS = 50    # times each thread takes the lock
CRITICAL = 6_500   # each time, a countdown from CRITICAL holding it
lock = threading.Lock()

def countdown(n):
    while n > 0:
        n -= 1

def work():
    for _ in range(ITERATIONS):
        with lock:                 # one thread at a time
            countdown(CRITICAL)    # the critical section
        countdown(1_500)           # Python outside the lock

threads = [threading.Thread(target=work) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
