"""A small server and its load generator, in threads, processes and coroutines.

Used by the benchmark: about 300 lines of the Python the simulator reads.
"""
import asyncio
import collections
import concurrent.futures
import logging
import multiprocessing
import queue
import socket
import statistics
import threading
import time

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
PORT = 8765
WORKERS = 4
REQUESTS = 100
CPU_WORK = 20_000
IO_DELAY = 0.005  # 5 ms of simulated network


class Stats:
    """Thread-safe latency statistics."""

    def __init__(self):
        self._lock = threading.Lock()
        self._latencies = []
        self._errors = collections.Counter()

    def record(self, latency, error=None):
        with self._lock:
            if error is not None:
                self._errors[type(error).__name__] += 1
            else:
                self._latencies.append(latency)

    def summary(self):
        with self._lock:
            lat = sorted(self._latencies)
            errors = dict(self._errors)
        if not lat:
            return {"count": 0, "errors": errors}
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
        return {
            "count": len(lat),
            "mean": statistics.fmean(lat),
            "p50": p(0.50),
            "p99": p(0.99),
            "max": lat[-1],
            "errors": errors,
        }


def cpu_work(n=CPU_WORK):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def handle_request(payload):
    """Parse, compute, reply: the server's per-request work."""
    method, _, rest = payload.partition(" ")
    if method not in ("GET", "POST"):
        raise ValueError(f"bad method {method!r}")
    checksum = cpu_work()  # holds the GIL the whole time
    time.sleep(IO_DELAY)  # gilsim: 5ms
    return f"{method} {rest} -> {checksum}".encode()


class ThreadedServer(threading.Thread):
    """Accepts requests from a queue and serves each one in a worker thread."""

    def __init__(self, requests, stats, workers=WORKERS):
        super().__init__(name="server", daemon=True)
        self.requests = requests
        self.stats = stats
        self.workers = [threading.Thread(target=self.serve, name=f"worker-{i}") for i in range(workers)]
        self.stopping = threading.Event()

    def run(self):
        for w in self.workers:
            w.start()
        self.stopping.wait()
        for _ in self.workers:
            self.requests.put(None)
        for w in self.workers:
            w.join()

    def serve(self):
        while not self.stopping.is_set() or not self.requests.empty():
            try:
                item = self.requests.get(timeout=0.1)
            except queue.Empty:
                continue
            if item is None:
                break
            started, payload = item
            try:
                handle_request(payload)
            except Exception as exc:  # noqa: BLE001
                self.stats.record(None, exc)
            else:
                self.stats.record(time.perf_counter() - started)
            finally:
                self.requests.task_done()


def run_threads(n=REQUESTS):
    stats = Stats()
    requests = queue.Queue()
    server = ThreadedServer(requests, stats)
    server.start()
    for i in range(n):
        requests.put((time.perf_counter(), f"GET /item/{i}"))
    requests.join()
    server.stopping.set()
    server.join()
    return stats.summary()


def run_pool(n=REQUESTS):
    stats = Stats()
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {pool.submit(handle_request, f"POST /form/{i}"): time.perf_counter() for i in range(n)}
        for future in concurrent.futures.as_completed(futures):
            try:
                future.result()
            except ValueError as exc:
                stats.record(None, exc)
            else:
                stats.record(time.perf_counter() - futures[future])
    return stats.summary()


def _process_worker(tasks, results):
    while True:
        task = tasks.get()
        if task is None:
            break
        results.put(handle_request(task))


def run_processes(n=REQUESTS):
    tasks = multiprocessing.Queue()
    results = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_process_worker, args=(tasks, results)) for _ in range(WORKERS)]
    for p in procs:
        p.start()
    started = time.perf_counter()
    for i in range(n):
        tasks.put(f"GET /p/{i}")
    for _ in procs:
        tasks.put(None)
    replies = [results.get() for _ in range(n)]
    for p in procs:
        p.join()
    return {"count": len(replies), "elapsed": time.perf_counter() - started}


class Reply:
    status: int
    body: bytes = b""

    def __init__(self, status, body=b"", **headers):
        self.status, self.body = status, body
        self.headers = dict(headers)


async def async_handle(reader, writer):
    line = await reader.readline()
    try:
        body = await asyncio.get_running_loop().run_in_executor(None, handle_request, line.decode().strip())
        status = 200
    except ValueError:
        body, status = b"bad request", 400
    writer.write(b"%d " % status + body + b"\n")
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def async_client(i, stats, sem):
    async with sem:
        started = time.perf_counter()
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, PORT), timeout=1)
            writer.write(f"GET /async/{i}\n".encode())
            await writer.drain()
            reply = await asyncio.wait_for(reader.readline(), timeout=2)  # gilsim: 250ms
            writer.close()
        except (asyncio.TimeoutError, ConnectionRefusedError) as exc:
            stats.record(None, exc)
            return None
        stats.record(time.perf_counter() - started)
        return Reply(int(reply.split()[0]), reply)


async def run_async(n=REQUESTS):
    stats = Stats()
    sem = asyncio.Semaphore(WORKERS * 4)
    server = await asyncio.start_server(async_handle, HOST, PORT)
    async with server:
        tasks = [asyncio.create_task(async_client(i, stats, sem)) for i in range(n)]
        replies = await asyncio.gather(*tasks)
        ok = sum(1 for r in replies if r is not None and r.status == 200)
        log.info("async: %d/%d ok", ok, n)
    return stats.summary()


def blocking_probe(host=HOST, port=PORT):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(0.5)
    try:
        sock.connect((host, port))
        sock.sendall(b"GET /probe\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(1024)  # gilsim: 1ms
            if not chunk:
                break
            data += chunk
        return data
    except OSError as exc:
        return repr(exc).encode()
    finally:
        sock.close()


def format_summary(name, summary):
    if summary.get("count", 0) == 0:
        return f"{name:>10}: no requests completed ({summary.get('errors')})"
    parts = [f"{name:>10}: {summary['count']:4d} requests"]
    for key in ("mean", "p50", "p99", "max", "elapsed"):
        if key in summary:
            parts.append(f"{key}={summary[key] * 1000:8.2f}ms")
    errors = summary.get("errors")
    if errors:
        parts.append("errors=" + ", ".join(f"{k}:{v}" for k, v in sorted(errors.items())))
    return " ".join(parts)


def compare(results):
    """Print a table, fastest first, with the speed-up over the slowest."""
    timed = [(name, s.get("mean") or s.get("elapsed") or float("inf")) for name, s in results.items()]
    timed.sort(key=lambda item: item[1])
    slowest = timed[-1][1] if timed else 1.0
    for rank, (name, t) in enumerate(timed, start=1):
        speedup = slowest / t if t else 0.0
        bar = "#" * int(speedup * 10)
        print(f"{rank}. {name:<10} {t * 1e3:7.2f} ms  x{speedup:4.1f} {bar}")


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", "-n", type=int, default=REQUESTS)
    parser.add_argument("--only", choices=["threads", "pool", "processes", "async"], nargs="*")
    args = parser.parse_args(argv)
    runners = {
        "threads": run_threads,
        "pool": run_pool,
        "processes": run_processes,
        "async": lambda n: asyncio.run(run_async(n)),
    }
    selected = args.only or list(runners)
    results = {}
    for name in selected:
        t0 = time.perf_counter()
        try:
            results[name] = runners[name](args.requests)
        except KeyboardInterrupt:
            print("interrupted")
            break
        except Exception as exc:
            log.exception("runner %s failed", name)
            results[name] = {"count": 0, "errors": {type(exc).__name__: 1}}
        finally:
            log.debug("%s took %.3fs", name, time.perf_counter() - t0)
        print(format_summary(name, results[name]))
    compare(results)
    return 0 if all(r.get("count") for r in results.values()) else 1


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(threadName)s %(message)s")
    raise SystemExit(main())
