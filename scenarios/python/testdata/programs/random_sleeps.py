import random
import threading
import time

random.seed(42)

def worker(n):
    time.sleep(random.uniform(0.001, 0.01))
    print("worker", n, "woke after a random nap; pick:", random.choice(["a", "b", "c"]))

for i in range(3):
    threading.Thread(target=worker, args=(i,)).start()
