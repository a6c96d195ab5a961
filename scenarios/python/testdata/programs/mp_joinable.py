import multiprocessing
import time

def worker(q):
    while True:
        item = q.get()
        if item is None:
            break
        time.sleep(0.005)   # the work an item needs
        print("processed", item)
        q.task_done()
    q.task_done()

if __name__ == "__main__":
    q = multiprocessing.JoinableQueue()
    p = multiprocessing.Process(target=worker, args=(q,))
    p.start()
    for i in range(3):
        q.put(i)
    q.put(None)
    q.join()
    p.join()
    print("exit code known only at run time; done")
