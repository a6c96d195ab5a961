import multiprocessing as mp
import os
from multiprocessing import Pool, Process, Queue, Value
from time import perf_counter


def cpu_bound(n):
    """Sum of squares, pure Python: the GIL never lets two threads do this at once."""
    return sum(i * i for i in range(n))


def square(x):
    return x ** 2


def child(q, shared):
    with shared.get_lock():
        shared.value += 1
    q.put((os.getpid(), shared.value))


def timed(fn, *args, **kwargs):
    start = perf_counter()
    result = fn(*args, **kwargs)
    return result, perf_counter() - start


if __name__ == "__main__":
    mp.set_start_method("spawn")
    numbers = [5_000_000 + x for x in range(4)]
    with Pool(processes=4) as pool:
        results, elapsed = timed(pool.map, cpu_bound, numbers)
        squares = pool.map(square, range(10), chunksize=2)
    print(f"pool: {elapsed:.2f}s", results[:2], squares[-3:])

    q = Queue()
    shared = Value("i", 0)
    procs = [Process(target=child, args=(q, shared)) for _ in range(3)]
    for p in procs:
        p.start()
    pids = [q.get() for _ in procs]
    for p in procs:
        p.join()
    print(sorted(pids), shared.value, all(p.exitcode == 0 for p in procs))
