import threading

def worker():
    print("Worker thread is running...")

# create the thread
t = threading.Thread(target=worker)

# start the thread
t.start()

# wait for the thread to end
t.join()
