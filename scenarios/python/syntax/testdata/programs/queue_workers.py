import queue
import random
import threading
import time

q = queue.Queue(maxsize=10)
done = threading.Event()
cond = threading.Condition()
results = {}


def producer(count):
    for i in range(count):
        item = (i, random.random())
        q.put(item)  # gilsim: 1ms
        with cond:
            cond.notify_all()
    q.put(None)


def consumer(ident):
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            q.put(None)  # let the other consumers stop too
            break
        i, value = item
        results[i] = ident, value ** 2
        q.task_done()
    else:
        print("never reached")


def report():
    total = sum(v for _, v in results.values())
    by_worker = {}
    for ident, value in results.values():
        by_worker.setdefault(ident, []).append(value)
    for ident, values in sorted(by_worker.items(), key=lambda kv: kv[0]):
        print(f"consumer {ident}: {len(values):3d} items, mean {sum(values) / len(values):.3f}")
    print("total", round(total, 2), sep=": ")


threads = [threading.Thread(target=consumer, args=(i,)) for i in range(3)]
threads += [threading.Thread(target=producer, args=(50,))]
for t in threads:
    t.start()
q.join()
done.set()
for t in threads:
    t.join()
report()
