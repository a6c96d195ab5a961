# -*- coding: utf-8 -*-
"""lost_updates, lost_updates_pct: the classic race. Four threads each do
`counter += 1` on a module global 200,000 times; what the final value falls
short of 800,000 was lost to a switch between the read and the write."""
from __future__ import division

import threading

import _probe

THREADS = 4
INCREMENTS = 200000

counter = 0


def work(n):
    global counter
    for _ in range(n):
        counter += 1


def main():
    threads = [threading.Thread(target=work, args=(INCREMENTS,)) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lost = THREADS * INCREMENTS - counter
    _probe.emit({"lost_updates": lost, "lost_updates_pct": lost / (THREADS * INCREMENTS) * 100})


if __name__ == "__main__":
    main()
