import threading
import time

WORKERS = 4     # added: several workers
HOLD = 0.01     # added: seconds each one holds the lock

def worker(lock):
    with lock:
        print("Worker thread is running...")
        time.sleep(HOLD)        # added: work, holding the lock

# create the lock
lock = threading.Lock()

for _ in range(WORKERS):        # added
    # create the thread
    t = threading.Thread(target=worker, args=(lock,))

    # start the thread
    t.start()
