import threading

def worker(lock):
    with lock:
        print("Worker thread is running...")

# 创建锁
lock = threading.Lock()

# 创建线程
t = threading.Thread(target=worker, args=(lock,))

# 启动线程
t.start()
