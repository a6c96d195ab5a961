# -*- coding: utf-8 -*-
"""event_pingpong_us: one round trip between two threads through two
threading.Event objects. A sets e1 and waits for e2; B waits for e1, clears
it and sets e2; A clears e2. The median over a few hundred rounds: two
wake-ups of a blocked thread, each with its GIL handover."""
from __future__ import division

import threading

import _probe

WARMUP = 20
ROUNDS = 300


def main():
    e1, e2 = threading.Event(), threading.Event()

    def b():
        for _ in range(WARMUP + ROUNDS):
            e1.wait()
            e1.clear()
            e2.set()

    t = threading.Thread(target=b)
    t.start()
    samples = []
    for i in range(WARMUP + ROUNDS):
        t0 = _probe.clock()
        e1.set()
        e2.wait()
        e2.clear()
        d = _probe.clock() - t0
        if i >= WARMUP:
            samples.append(d)
    t.join()
    _probe.emit({"event_pingpong_us": _probe.median(samples) * 1e6})


if __name__ == "__main__":
    main()
