import multiprocessing

def countdown(n):
    while n > 0:
        n -= 1
    return n

if __name__ == "__main__":
    with multiprocessing.Pool(4) as pool:
        results = pool.map(countdown, [5_000_000] * 4)
    print(results)
