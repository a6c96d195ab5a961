import queue
import threading

jobs = queue.Queue()

def worker():
    while True:
        job = jobs.get()
        if job is None:
            break
        print(f"{threading.current_thread().name} does {job}")
        jobs.task_done()
    jobs.task_done()

threading.Thread(target=worker, name="w1").start()
for name in ["wash", "dry", "fold"]:
    jobs.put(f"job:{name}")
jobs.put((1, "a tuple"))
jobs.put(None)
jobs.join()
