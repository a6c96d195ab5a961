# -*- coding: utf-8 -*-
"""How the GIL passes between two CPU-bound threads. Each spins a Python
loop whose every iteration does

    if last[0] is not me: last[0] = me; stamps.append(clock())

so stamps holds the moments the GIL changed hands. handoffs_per_s_X is the
number of changes over the time both spun; slice_ms_X the median time
between successive changes. On 3.x at sys.setswitchinterval 0.5 ms, 5 ms
and 50 ms (X = 500us, 5ms, 50ms; the interval is restored afterwards); on
2.7 only at the default check interval (X = py2). Without a GIL there are
no slices to measure and the probe reports nothing.
"""
from __future__ import division

import sys
import threading
import time

import _probe

# (switch interval in seconds, keys, how long to spin: at least 10 slices)
INTERVALS = [
    (0.0005, "handoffs_per_s_500us", "slice_ms_500us", 0.1),
    (0.005, "handoffs_per_s_5ms", "slice_ms_5ms", 0.2),
    (0.05, "handoffs_per_s_50ms", "slice_ms_50ms", 0.65),
]
PY2_SECONDS = 0.5


def spin(me, last, stamps, stop):
    clock = _probe.clock
    while not stop[0]:
        if last[0] is not me:
            last[0] = me
            stamps.append(clock())


def run(seconds):
    last, stamps, stop = [None], [], [False]
    threads = [threading.Thread(target=spin, args=(object(), last, stamps, stop)) for _ in range(2)]
    t0 = _probe.clock()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop[0] = True
    elapsed = _probe.clock() - t0
    for t in threads:
        t.join()
    handoffs = max(len(stamps) - 1, 0)  # the first stamp takes last from None
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    slice_ms = _probe.median(gaps) * 1e3 if len(gaps) >= 2 else None
    return handoffs / elapsed, slice_ms


def main():
    figures = {}
    if not _probe.gil_enabled():
        pass
    elif hasattr(sys, "setswitchinterval"):
        old = sys.getswitchinterval()
        try:
            for interval, handoffs_key, slice_key, seconds in INTERVALS:
                sys.setswitchinterval(interval)
                figures[handoffs_key], figures[slice_key] = run(seconds)
        finally:
            sys.setswitchinterval(old)
    else:
        figures["handoffs_per_s_py2"], figures["slice_ms_py2"] = run(PY2_SECONDS)
    _probe.emit(figures)


if __name__ == "__main__":
    main()
