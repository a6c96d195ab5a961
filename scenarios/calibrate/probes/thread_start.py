# -*- coding: utf-8 -*-
"""thread_start_us: the median time t.start() takes in the caller for a
thread whose target does nothing; the join is outside the timing."""
from __future__ import division

import threading

import _probe

WARMUP = 20
SAMPLES = 200


def noop():
    pass


def main():
    samples = []
    for i in range(WARMUP + SAMPLES):
        t = threading.Thread(target=noop)
        t0 = _probe.clock()
        t.start()
        d = _probe.clock() - t0
        t.join()
        if i >= WARMUP:
            samples.append(d)
    _probe.emit({"thread_start_us": _probe.median(samples) * 1e6})


if __name__ == "__main__":
    main()
