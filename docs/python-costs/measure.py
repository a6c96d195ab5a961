# -*- coding: utf-8 -*-
"""Measures the per-operation cost of Python constructs on the running
interpreter and prints a TSV table (construct, value) to stdout.

Runs unchanged under Python 2.7 and 3.x: the script itself uses only syntax
common to both; code that only 3.x can parse (f-strings, async def) lives in
strings that are compiled only under 3.x.

    python measure.py              the whole table (about a minute)
    python measure.py KEY...       only the constructs whose key starts with
                                   one of the given prefixes (for checking)
    QUICK=1 python measure.py      10 ms per measurement and 3 repeats: checks
                                   that everything runs, measures little

Method (see docs/python-costs.md):
  * Every timed statement runs inside a generated function, timeit-style:
    setup code, then `for _i in itertools.repeat(None, number): <stmt>`.
    Names made in setup are therefore function locals unless the statement
    declares them `global`.
  * number is chosen like timeit's autorange (1, 2, 5, 10, 20, 50 ...) until
    one measurement takes at least MIN_TIME (50 ms); then REPEAT (7)
    measurements are taken and the minimum is kept.
  * Cheap statements are written UNROLL (10) times in the loop body, so the
    loop's own overhead is a small part of the time.
  * The cost of the empty timing loop (same function, body `pass`), measured
    at the start of the run (3 x 7 repeats, minimum kept), is subtracted:
        ns/op = (min_time - number * empty_loop) / (number * unroll * per)
    where per is the number of operations one statement performs (e.g. 10000
    iterations for the loop keys).
  * The cyclic garbage collector is disabled while timing, as timeit does.

Progress goes to stderr; the table to stdout.
"""
from __future__ import print_function

import gc
import itertools
import os
import subprocess
import sys
import time

PY2 = sys.version_info[0] == 2
QUICK = bool(os.environ.get("QUICK"))

if PY2:
    timer = time.time  # what timeit.default_timer is on Linux under 2.7
    _range = xrange  # noqa: F821 (2.7 only)
else:
    timer = time.perf_counter
    _range = range

MIN_TIME = 0.01 if QUICK else 0.05
REPEAT = 3 if QUICK else 7
UNROLL = 10

NA = "-"


def log(*args):
    print(*args, file=sys.stderr)
    sys.stderr.flush()


# --------------------------------------------------------------------------
# Module-level helpers used as thread / process targets (multiprocessing's
# spawn start method pickles targets by reference, so they must live here).

def _noop():
    pass


def _ident(x):
    return x


def _one():
    return 1


_counter = 0


def _race_augassign(n):
    global _counter
    for _ in _range(n):
        _counter += 1


def _race_assign_call(n):
    global _counter
    for _ in _range(n):
        _counter = _counter + _one()


def countdown(n):
    while n > 0:
        n -= 1


# --------------------------------------------------------------------------
# timeit-style harness

TEMPLATE = """
def inner(_it, _timer):
%(setup)s
    _t0 = _timer()
    for _i in _it:
%(stmt)s
    _t1 = _timer()
%(teardown)s
    return _t1 - _t0
"""


def _indent(code, spaces):
    pad = " " * spaces
    lines = code.strip("\n").split("\n")
    return "\n".join(pad + line for line in lines)


def make_inner(stmt, setup="pass", teardown="pass", unroll=1):
    body = "\n".join([_indent(stmt, 8)] * unroll)
    src = TEMPLATE % {
        "setup": _indent(setup, 4),
        "stmt": body,
        "teardown": _indent(teardown, 4),
    }
    # dont_inherit: this file's `from __future__ import print_function` must
    # not leak into the measured code (2.7's print statement is measured).
    code = compile(src, "<measure>", "exec", 0, True)
    ns = {
        "_noop": _noop,
        "_ident": _ident,
        "__name__": "measure_ns",
    }
    exec(code, ns)
    return ns["inner"]


def autorange(run):
    """run(number) -> seconds. Returns (number, seconds) with seconds >=
    MIN_TIME, trying 1, 2, 5, 10, 20, 50 ... like timeit.Timer.autorange."""
    i = 1
    while True:
        for j in (1, 2, 5):
            number = i * j
            t = run(number)
            if t >= MIN_TIME:
                return number, t
        i *= 10


def time_min(run, repeat=None):
    """Returns (number, min seconds over repeat runs of run(number))."""
    if repeat is None:
        repeat = REPEAT
    gcold = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        number, t = autorange(run)
        best = t
        for _ in range(repeat - 1):
            best = min(best, run(number))
    finally:
        if gcold:
            gc.enable()
    return number, best


def harness_run(inner):
    def run(number):
        return inner(itertools.repeat(None, number), timer)
    return run


EMPTY_LOOP = [None]  # seconds per iteration of the empty timing loop


def measure_empty_loop():
    """Seconds per iteration of the empty timing loop: the minimum over 3
    rounds of time_min. The first call's value is the one subtracted."""
    inner = make_inner("pass")
    best = None
    for _ in range(3):
        number, t = time_min(harness_run(inner))
        v = t / number
        best = v if best is None else min(best, v)
    if EMPTY_LOOP[0] is None:
        EMPTY_LOOP[0] = best
    return best


def per_op_ns(stmt, setup="pass", teardown="pass", unroll=1, per=1):
    inner = make_inner(stmt, setup, teardown, unroll)
    number, t = time_min(harness_run(inner))
    net = t - number * EMPTY_LOOP[0]
    return net / (number * unroll * per) * 1e9


# --------------------------------------------------------------------------
# The constructs. Each: (key, stmt, setup, teardown, unroll, per)

LOCK_SETUP = "import threading\nlk = threading.Lock()"
QUEUE_SETUP = """
try:
    import queue
except ImportError:
    import Queue as queue
q = queue.Queue()
"""
CLASS_SETUP = """
class C(object):
    def __init__(self):
        self.x = 1
    def meth(self):
        return None
o = C()
"""
LOOP_N = 10000


def simple_constructs():
    c = []

    def add(key, stmt, setup="pass", teardown="pass", unroll=1, per=1):
        c.append((key, stmt, setup, teardown, unroll, per))

    U = UNROLL
    # 2.7's range() builds a list: that cost is part of 2.7's figure.
    add("loop.range", "for i in range(N): pass", "N = %d" % LOOP_N,
        per=LOOP_N)
    add("loop.while", "n = N\nwhile n > 0:\n    n -= 1", "N = %d" % LOOP_N,
        per=LOOP_N)

    add("stmt.assign.local", "x = 1", "x = 0", unroll=U)
    add("stmt.assign.global", "gx = 1", "global gx\ngx = 0", unroll=U)
    add("stmt.augassign.int.local", "x += 1", "x = 0", unroll=U)
    add("stmt.augassign.int.global", "counter += 1",
        "global counter\ncounter = 0", unroll=U)

    add("expr.binop.int", "a + b", "a = 12345\nb = 678", unroll=U)
    add("expr.binop.float", "a + b", "a = 1.5\nb = 2.25", unroll=U)
    add("expr.compare.int", "a < b", "a = 12345\nb = 678", unroll=U)
    add("expr.binop.str.concat", "s + t", "s = 'abc'\nt = 'defg'", unroll=U)
    if PY2:
        # no f-strings in 2.7: the nearest construct, labelled as such in
        # the documentation.
        add("expr.fstring", "'%s %s' % (x, y)", "x = 42\ny = 'abc'", unroll=U)
    else:
        add("expr.fstring", "f'{x} {y}'", "x = 42\ny = 'abc'", unroll=U)
    add("expr.percent_format", "'%s %s' % (x, y)", "x = 42\ny = 'abc'",
        unroll=U)

    add("call.func.0args", "f()", "def f():\n    return None", unroll=U)
    add("call.func.2args", "g(a, b)",
        "def g(a, b):\n    return a\na = 1\nb = 2", unroll=U)
    add("call.builtin.len", "len(l)", "l = [1, 2, 3]", unroll=U)
    add("call.method", "o.meth()", CLASS_SETUP, unroll=U)

    add("attr.load", "o.x", CLASS_SETUP, unroll=U)
    add("subscript.list.load", "l[i]", "l = list(range(100))\ni = 50",
        unroll=U)
    add("subscript.dict.load", "d[k]",
        "d = dict((str(j), j) for j in range(20))\nd['key'] = 1\nk = 'key'",
        unroll=U)
    add("subscript.list.store", "l[i] = v",
        "l = list(range(100))\ni = 50\nv = 7", unroll=U)

    add("list.append", "l.append(v)", "l = []\nv = 7", unroll=U)
    add("dict.store", "d[k] = v",
        "d = dict((str(j), j) for j in range(20))\nd['key'] = 1\n"
        "k = 'key'\nv = 7", unroll=U)

    if PY2:
        add("print.line", "print >>f, 'hello, world'",
            "f = open('/dev/null', 'w')", "f.close()", unroll=U)
    else:
        add("print.line", "print('hello, world', file=f)",
            "f = open('/dev/null', 'w')", "f.close()", unroll=U)

    add("lock.acquire_release", "lk.acquire()\nlk.release()", LOCK_SETUP,
        unroll=U)
    add("with.lock", "with lk:\n    pass", LOCK_SETUP, unroll=U)
    add("event.set", "e.set()", "import threading\ne = threading.Event()",
        unroll=U)
    add("queue.Queue.put_get", "q.put(1)\nq.get()", QUEUE_SETUP)
    add("thread.start_join",
        "t = threading.Thread(target=_noop)\nt.start()\nt.join()",
        "import threading")

    add("time.sleep.0", "time.sleep(0)", "import time")
    add("time.time", "time.time()", "import time", unroll=U)
    return c


def measure_simple(only):
    out = []
    for key, stmt, setup, teardown, unroll, per in simple_constructs():
        if not wanted(key, only):
            continue
        v = per_op_ns(stmt, setup, teardown, unroll, per)
        log("%-28s %12.2f ns" % (key, v))
        out.append((key, v))
    return out


def measure_listcomp(only):
    if not wanted("list.comp", only):
        return []
    stmt = "[x*2 for x in l]"
    n = 1000
    full = per_op_ns(stmt, "l = list(range(%d))" % n)
    empty = per_op_ns(stmt, "l = []")
    per_item = (full - empty) / n
    log("%-28s %12.2f ns" % ("list.comp.per.item", per_item))
    log("%-28s %12.2f ns" % ("list.comp.fixed", empty))
    return [("list.comp.per.item", per_item), ("list.comp.fixed", empty)]


# --------------------------------------------------------------------------
# multiprocessing

def _mp_context(method):
    import multiprocessing
    if PY2:
        if method != "fork":
            return None
        return multiprocessing
    if method not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context(method)


def measure_mp(only):
    out = []
    if wanted("mp.Queue.put_get", only):
        ctx = _mp_context("fork")
        setup = "q = ctx.Queue()\nq.put(0)\nq.get()"
        inner = make_inner("q.put(1)\nq.get()", setup,
                           "q.close()\nq.join_thread()")
        inner.__globals__["ctx"] = ctx
        number, t = time_min(harness_run(inner))
        v = (t - number * EMPTY_LOOP[0]) / number * 1e9
        log("%-28s %12.2f ns" % ("mp.Queue.put_get", v))
        out.append(("mp.Queue.put_get", v))

    for method, key in (("fork", "process.start_join"),
                        ("spawn", "process.start_join.spawn")):
        if not wanted(key, only):
            continue
        ctx = _mp_context(method)
        if ctx is None:
            out.append((key, NA))
            continue
        inner = make_inner("p = ctx.Process(target=_noop)\np.start()\n"
                           "p.join()")
        inner.__globals__["ctx"] = ctx
        number, t = time_min(harness_run(inner),
                             repeat=(5 if method == "spawn" else None))
        v = (t - number * EMPTY_LOOP[0]) / number * 1e9
        log("%-28s %12.2f ns" % (key, v))
        out.append((key, v))

    if wanted("pool", only):
        ctx = _mp_context("fork")

        def create_close(number):
            t0 = timer()
            for _ in range(number):
                p = ctx.Pool(2)
                p.close()
                p.join()
            return timer() - t0

        number, t = time_min(create_close, repeat=5)
        v = t / number * 1e9
        log("%-28s %12.2f ns" % ("pool.create_close.2", v))
        out.append(("pool.create_close.2", v))

        pool = ctx.Pool(2)
        pool.map(_ident, range(100))
        res = {}
        for nitems in (1, 500, 5000):
            items = list(range(nitems))

            def run(number, items=items):
                t0 = timer()
                for _ in range(number):
                    pool.map(_ident, items)
                return timer() - t0

            number, t = time_min(run, repeat=5)
            res[nitems] = t / number
        pool.close()
        pool.join()
        per_item = (res[5000] - res[500]) / 4500 * 1e9
        log("%-28s %12.2f ns" % ("pool.map.per.item", per_item))
        log("%-28s %12.2f ns" % ("pool.map.1item", res[1] * 1e9))
        out.append(("pool.map.per.item", per_item))
        out.append(("pool.map.1item", res[1] * 1e9))
    return out


# --------------------------------------------------------------------------
# asyncio (3.x only; the source is compiled only there)

ASYNC_SRC = '''
import asyncio

async def _empty():
    return None

async def b_base(n, timer):
    t0 = timer()
    for _ in range(n):
        pass
    return timer() - t0

async def b_task(n, timer):
    t0 = timer()
    for _ in range(n):
        await asyncio.create_task(_empty())
    return timer() - t0

async def b_sleep0(n, timer):
    t0 = timer()
    for _ in range(n):
        await asyncio.sleep(0)
    return timer() - t0

async def b_coro(n, timer):
    t0 = timer()
    for _ in range(n):
        await _empty()
    return timer() - t0
'''

ASYNC_KEYS = ("asyncio.create_task_await", "asyncio.sleep.0",
              "asyncio.run.empty", "coroutine.call_await")


def measure_asyncio(only):
    keys = [k for k in ASYNC_KEYS if wanted(k, only)]
    if not keys:
        return []
    if PY2:
        return [(k, NA) for k in keys]
    ns = {}
    exec(compile(ASYNC_SRC, "<measure-async>", "exec", 0, True), ns)
    import asyncio
    loop = asyncio.new_event_loop()

    def in_loop(fn):
        def run(number):
            return loop.run_until_complete(fn(number, timer))
        return run

    number, t = time_min(in_loop(ns["b_base"]))
    base = t / number
    log("%-28s %12.2f ns" % ("(async loop baseline)", base * 1e9))
    out = []
    for key, fn in (("asyncio.create_task_await", "b_task"),
                    ("asyncio.sleep.0", "b_sleep0"),
                    ("coroutine.call_await", "b_coro")):
        if key not in keys:
            continue
        number, t = time_min(in_loop(ns[fn]))
        v = (t / number - base) * 1e9
        log("%-28s %12.2f ns" % (key, v))
        out.append((key, v))
    loop.close()
    if "asyncio.run.empty" in keys:
        v = per_op_ns("asyncio.run(e())",
                      "import asyncio\nasync def e():\n    return None")
        log("%-28s %12.2f ns" % ("asyncio.run.empty", v))
        out.append(("asyncio.run.empty", v))
    order = dict((k, i) for i, k in enumerate(ASYNC_KEYS))
    out.sort(key=lambda kv: order[kv[0]])
    return out


# --------------------------------------------------------------------------
# imports: fresh interpreters. -E ignores PYTHON* variables, -S skips the
# site module's automatic processing (its .pth files differ from one
# installation to the next: on this machine one of them imports certifi and
# threading at start-up under 3.11). `import site` is then done explicitly in
# both the baseline and the measured command, so that the stdlib modules a
# normal start-up loads (os, stat, posixpath, ...) are not charged to the
# import under test.

IMPORT_MODULES = ("threading", "asyncio", "multiprocessing")


def _wall(args, devnull):
    t0 = timer()
    subprocess.call(args, stdout=devnull, stderr=devnull)
    return timer() - t0


def measure_imports(only):
    mods = [m for m in IMPORT_MODULES if wanted("import." + m, only)]
    want_start = wanted("python.startup", only)
    if not mods and not want_start:
        return []
    exe = sys.executable
    rounds = 5 if QUICK else 20
    devnull = open(os.devnull, "w")
    cmds = [("base", "import site")]
    for m in mods:
        if PY2 and m == "asyncio":
            continue
        cmds.append((m, "import site; import " + m))
    best = {}
    for _ in range(rounds):  # interleaved, so that noise hits all alike
        for name, code in cmds:
            t = _wall([exe, "-E", "-S", "-c", code], devnull)
            best[name] = min(best.get(name, t), t)
    out = []
    if want_start:
        out.append(("python.startup", best["base"] * 1e9))
        log("%-28s %12.2f ns" % ("python.startup", best["base"] * 1e9))
    for m in mods:
        key = "import." + m
        if m not in best:
            out.append((key, NA))
            continue
        v = (best[m] - best["base"]) * 1e9
        log("%-28s %12.2f ns" % (key, v))
        out.append((key, v))
    # -X importtime (3.7+): the module's own "cumulative" figure.
    for m in mods:
        key = "import." + m + ".importtime"
        if PY2:
            out.append((key, NA))
            continue
        cum = None
        for _ in range(3 if QUICK else 10):
            p = subprocess.Popen(
                [exe, "-E", "-S", "-X", "importtime", "-c",
                 "import site; import " + m],
                stdout=devnull, stderr=subprocess.PIPE)
            err = p.communicate()[1].decode("utf-8", "replace")
            for line in err.splitlines():
                parts = line.split("|")
                if len(parts) != 3 or not line.startswith("import time:"):
                    continue
                name = parts[2]
                if name.strip() == m and name[:2] == " " + m[0]:
                    try:
                        us = int(parts[1].strip())
                    except ValueError:
                        continue
                    cum = us if cum is None else min(cum, us)
        v = NA if cum is None else cum * 1000.0
        log("%-28s %12s ns" % (key, v))
        out.append((key, v))
    devnull.close()
    return out


# --------------------------------------------------------------------------
# countdown, GIL settings, lost updates

def measure_countdown(only):
    out = []
    if wanted("countdown.20M.s", only):
        n = 2000000 if QUICK else 20000000
        best = None
        for _ in range(2 if QUICK else 3):
            t0 = timer()
            countdown(n)
            t = timer() - t0
            best = t if best is None else min(best, t)
        if QUICK:
            best *= 10
        log("%-28s %12.3f s" % ("countdown.20M.s", best))
        out.append(("countdown.20M.s", best))
    if wanted("countdown.20M.2threads.s", only):
        # Beazley's experiment: the same 20M work split over two threads.
        import threading
        n = 1000000 if QUICK else 10000000
        best = None
        for _ in range(2):
            ts = [threading.Thread(target=countdown, args=(n,))
                  for _ in range(2)]
            t0 = timer()
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            t = timer() - t0
            best = t if best is None else min(best, t)
        if QUICK:
            best *= 10
        log("%-28s %12.3f s" % ("countdown.20M.2threads.s", best))
        out.append(("countdown.20M.2threads.s", best))
    return out


def gil_settings(only):
    out = []
    if wanted("gil", only):
        if hasattr(sys, "getswitchinterval"):
            out.append(("gil.switch_interval", sys.getswitchinterval() * 1e9))
        else:
            out.append(("gil.switch_interval", NA))
        if PY2:
            out.append(("gil.check_interval.ticks", sys.getcheckinterval()))
        else:
            out.append(("gil.check_interval.ticks", NA))
    return out


def measure_race(only):
    import threading
    global _counter
    out = []
    nthreads = 4
    n = 100000 if QUICK else 1000000
    label = "4x100k" if QUICK else "4x1M"
    for name, fn in (("race.augassign.global", _race_augassign),
                     ("race.assign_call.global", _race_assign_call)):
        if not wanted(name, only):
            continue
        losts = []
        secs = []
        for run in range(5):
            _counter = 0
            ts = [threading.Thread(target=fn, args=(n,))
                  for _ in range(nthreads)]
            t0 = timer()
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            secs.append(timer() - t0)
            lost = nthreads * n - _counter
            losts.append(lost)
            out.append(("%s.%s.lost.run%d" % (name, label, run + 1), lost))
        out.append(("%s.%s.s" % (name, label), min(secs)))
        log("%-28s lost %s  (%.3f s min)" % (name, losts, min(secs)))
    return out


# --------------------------------------------------------------------------

def wanted(key, only):
    if not only:
        return True
    for p in only:
        if key.startswith(p) or p.startswith(key):
            return True
    return False


def fmt(v):
    if v == NA:
        return NA
    if isinstance(v, int):
        return str(v)
    return "%.3f" % v if abs(v) < 1000 else "%.1f" % v


def main():
    only = sys.argv[1:]
    log("python %s  (%s)" % (sys.version.split()[0], sys.executable))
    e0 = measure_empty_loop()
    log("%-28s %12.2f ns" % ("(empty timing loop)", e0 * 1e9))
    rows = []
    rows += measure_simple(only)
    rows += measure_listcomp(only)
    rows += measure_asyncio(only)
    rows += measure_mp(only)
    rows += measure_imports(only)
    rows += measure_countdown(only)
    rows += gil_settings(only)
    rows += measure_race(only)
    # measured again at the end: a drift check, not used in the figures
    e1 = measure_empty_loop()
    log("%-28s %12.2f ns (end of run)" % ("harness.empty_loop.end", e1 * 1e9))
    rows.append(("harness.empty_loop", e0 * 1e9))
    rows.append(("harness.empty_loop.end", e1 * 1e9))

    print("construct\tns_per_op")
    for key, v in rows:
        print("%s\t%s" % (key, fmt(v)))


if __name__ == "__main__":
    main()
