# -*- coding: utf-8 -*-
"""countdown_ns: nanoseconds per iteration of `while n > 0: n -= 1` inside a
function, one thread, n from 1,000,000; the median of three runs after a
short warm-up."""
from __future__ import division

import _probe

N = 1000000


def countdown(n):
    while n > 0:
        n -= 1


def main():
    countdown(N // 10)
    runs = []
    for _ in range(3):
        t0 = _probe.clock()
        countdown(N)
        runs.append(_probe.clock() - t0)
    _probe.emit({"countdown_ns": _probe.median(runs) / N * 1e9})


if __name__ == "__main__":
    main()
