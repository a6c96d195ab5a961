import multiprocessing

def worker(q):
    while True:
        item = q.get()
        if item is None:
            break
        print("Worker process is running...")
        # process item
        q.task_done()

# create the queue
q = multiprocessing.Queue()

# create the process
p = multiprocessing.Process(target=worker, args=(q,))

# start the process
p.start()

# put tasks on the queue
for i in range(10):
    q.put(i)

# wait until every task is done
q.join()

# end the process
p.terminate()
