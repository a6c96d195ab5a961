import multiprocessing

counter = 0

def bump():
    global counter
    for _ in range(100):
        counter += 1
    print("child sees", counter)

if __name__ == "__main__":
    p = multiprocessing.Process(target=bump)
    p.start()
    p.join()
    print("parent sees", counter)
