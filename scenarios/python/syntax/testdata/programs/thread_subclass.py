# 线程子类：每个线程把共享计数器加一（没有锁时会产生竞争）
import threading
import time

counter = 0
lock = threading.Lock()


class Worker(threading.Thread):
    """A thread that increments the shared counter."""

    def __init__(self, n, use_lock=False, *, name=None):
        super().__init__(name=name, daemon=True)
        self.n = n
        self.use_lock = use_lock

    def run(self):
        global counter
        for _ in range(self.n):
            if self.use_lock:
                with lock:
                    counter += 1
            else:
                tmp = counter  # read
                time.sleep(0)  # gilsim: switch
                counter = tmp + 1  # write: the race


class Manual(threading.Thread):
    def run(self) -> None:
        global counter
        lock.acquire()
        try:
            counter -= 1
        finally:
            lock.release()


def main(threads: int = 4, n: int = 100_000) -> int:
    workers = [Worker(n, use_lock=(i % 2 == 0), name=f"w{i}") for i in range(threads)]
    workers.append(Manual())
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=None)
    alive = [w.name for w in workers if w.is_alive()]
    assert not alive, f"still running: {alive!r}"
    print(f"counter = {counter:,} (expected {threads * n - 1:,})")
    return counter


if __name__ == "__main__":
    main()
