# -*- coding: utf-8 -*-
# Named mpqueue, not queue: a file named queue.py next to the probe would
# shadow the standard library module that multiprocessing imports.
"""queue_put_us, queue_get_us: one multiprocessing.Queue in one process;
the time per put of a small int over 2000 puts, then per get of them back.
A put hands the item to the queue's feeder thread; a get unpickles what the
feeder wrote to the pipe."""
from __future__ import division

import multiprocessing

import _probe

N = 2000


def main():
    q = multiprocessing.Queue()
    q.put(0)  # starts the feeder thread outside the timing
    q.get()
    t0 = _probe.clock()
    for i in range(N):
        q.put(i)
    t1 = _probe.clock()
    for _ in range(N):
        q.get()
    t2 = _probe.clock()
    q.close()
    q.join_thread()
    _probe.emit({"queue_put_us": (t1 - t0) / N * 1e6, "queue_get_us": (t2 - t1) / N * 1e6})


if __name__ == "__main__":
    main()
