import multiprocessing

PROCESSES = 4
COUNT = 1_000_000   # each process counts down from COUNT

def countdown(n):
    while n > 0:
        n -= 1

if __name__ == "__main__":
    procs = [multiprocessing.Process(target=countdown, args=(COUNT,))
             for _ in range(PROCESSES)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
