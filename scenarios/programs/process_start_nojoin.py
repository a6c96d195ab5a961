import multiprocessing

def worker():
    print("Worker process is running...")

if __name__ == "__main__":       # corrected: spawn needs it
    # create the process
    p = multiprocessing.Process(target=worker)

    # start the process
    p.start()
