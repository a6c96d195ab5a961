import multiprocessing

def worker():
    print("Worker process is running...")

# 创建进程
p = multiprocessing.Process(target=worker)

# 启动进程
p.start()
