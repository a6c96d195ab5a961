# A producer hands numbers to a consumer through a queue; None says stop.
import queue
import threading
import time

ITEMS = 5

def producer(q):
    for i in range(ITEMS):
        time.sleep(0.01)          # waiting for the outside world
        q.put(i)
    q.put(None)

def consumer(q):
    while True:
        item = q.get()
        if item is None:
            break
        print("got", item)

q = queue.Queue()
threading.Thread(target=producer, args=(q,)).start()
c = threading.Thread(target=consumer, args=(q,))
c.start()
c.join()
