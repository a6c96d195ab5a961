import multiprocessing

START_METHOD = "fork"   # added: how to start the child

def worker():
    print("Worker process is running...")

if __name__ == "__main__":       # corrected: spawn needs it
    multiprocessing.set_start_method(START_METHOD)   # added

    # create the process
    p = multiprocessing.Process(target=worker)

    # start the process
    p.start()
