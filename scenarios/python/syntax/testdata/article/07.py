import threading

def worker():
    print("Worker thread is running...")

# 创建线程
t = threading.Thread(target=worker)

# 启动线程
t.start()

# 等待线程结束
t.join()
