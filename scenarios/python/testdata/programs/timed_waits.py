import threading
import time

done = threading.Event()

def slow():
    time.sleep(0.05)
    done.set()

t = threading.Thread(target=slow)
t.start()
t.join(timeout=0.01)
print("waited 10 ms; the worker is still running")
done.wait(1)
print("the event was set")
t.join()
