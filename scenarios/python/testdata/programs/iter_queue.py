import queue
import threading

q = queue.Queue(maxsize=2)

def consumer():
    for item in iter(q.get, None):
        print("took", item)
        q.task_done()
    q.task_done()

t = threading.Thread(target=consumer, daemon=True)
t.start()
for i in range(4):
    q.put(i * 10)
q.put(None)
q.join()
print("all done", threading.current_thread().name)
