from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor
import time

def countdown(n):
    while n > 0:
        n -= 1
    return "counted"

def fetch(i):
    time.sleep(0.02)   # a request's wait
    if i == 3:
        raise ValueError("bad page")
    return i * 10

if __name__ == "__main__":
    with ThreadPoolExecutor(max_workers=4) as ex:
        for r in ex.map(fetch, range(3)):
            print("page", r)
        f = ex.submit(fetch, 3)
        try:
            f.result()
        except ValueError as e:
            print("failed:", e)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as ex:
        print(list(ex.map(countdown, [2_000_000] * 2)))
    print(f"threads: {time.perf_counter() - start:.3f} s")

    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as ex:
        print(list(ex.map(countdown, [2_000_000] * 2)))
    print(f"processes: {time.perf_counter() - start:.3f} s")
