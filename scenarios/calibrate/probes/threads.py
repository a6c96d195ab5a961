# -*- coding: utf-8 -*-
"""two_threads_ratio: two threads each counting down 1,000,000 at once, the
elapsed time divided by that of one thread counting down 2,000,000. About 1
under a GIL, about 0.5 without one on two free cores.

With the argument "1core" the process first pins itself to one CPU and
reports two_threads_ratio_1core instead. Without os.sched_setaffinity (2.7,
macOS) it can only trust that it was pinned from outside: the runner starts
it under `taskset -c N ... 1core --pinned`; otherwise it reports nothing.
"""
from __future__ import division

import os
import sys
import threading

import _probe


def countdown(n):
    while n > 0:
        n -= 1


def timed(counts):
    threads = [threading.Thread(target=countdown, args=(c,)) for c in counts]
    t0 = _probe.clock()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _probe.clock() - t0


def main():
    args = sys.argv[1:]
    key = "two_threads_ratio"
    if "1core" in args:
        key = "two_threads_ratio_1core"
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, [min(os.sched_getaffinity(0))])
        elif "--pinned" not in args:
            _probe.emit({})
            return
    timed([200000])
    one = timed([2000000])
    two = timed([1000000, 1000000])
    _probe.emit({key: two / one})


if __name__ == "__main__":
    main()
