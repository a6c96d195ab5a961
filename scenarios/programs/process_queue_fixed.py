import multiprocessing

ITEMS = 10              # added: items put on the queue
COUNT = 150_000         # added: the countdown each item costs

def handle(item):       # added: the article's "process item"
    n = COUNT
    while n > 0:
        n -= 1

def worker(q):
    while True:
        item = q.get()
        if item is None:
            break
        print("Worker process is running...")
        handle(item)
        q.task_done()

if __name__ == "__main__":       # corrected: spawn needs it
    # create the queue
    q = multiprocessing.JoinableQueue()    # corrected: was Queue

    # create the process
    p = multiprocessing.Process(target=worker, args=(q,))

    # start the process
    p.start()

    # put tasks on the queue
    for i in range(ITEMS):
        q.put(i)

    # wait until every task is done
    q.join()

    # end the process (it waits in q.get() for more)
    p.terminate()
