import multiprocessing

def worker(q):
    while True:
        item = q.get()
        if item is None:
            break
        print("Worker process is running...")
        # 处理item
        q.task_done()

# 创建队列
q = multiprocessing.Queue()

# 创建进程
p = multiprocessing.Process(target=worker, args=(q,))

# 启动进程
p.start()

# 向队列中添加任务
for i in range(10):
    q.put(i)

# 等待所有任务完成
q.join()

# 结束进程
p.terminate()
