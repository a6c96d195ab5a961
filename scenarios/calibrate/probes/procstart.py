# -*- coding: utf-8 -*-
"""What starting a multiprocessing.Process costs, per start method:

  fork_parent_ms, spawn_parent_ms  how long Process.start() takes in the
                                   parent;
  fork_child_ms, spawn_child_ms    from start() returning until the parent
                                   reads the byte the child's target sends
                                   first thing.

Medians of a few starts each. 2.7 has only fork; spawn needs 3.4+ (and a
real file for the child to import, which is why probes run from files).
Fork goes first: spawn may leave helper threads behind, and forking a
process with threads is what 3.12 warns about.
"""
from __future__ import division

import multiprocessing
import sys

import _probe

FORKS = 5
SPAWNS = 4


def child(conn):
    conn.send_bytes(b"x")
    conn.close()


def sample(ctx, n):
    parent, child_ = [], []
    for _ in range(n):
        r, w = ctx.Pipe(duplex=False)
        p = ctx.Process(target=child, args=(w,))
        t0 = _probe.clock()
        p.start()
        t1 = _probe.clock()
        r.recv_bytes()
        t2 = _probe.clock()
        p.join()
        r.close()
        w.close()
        parent.append(t1 - t0)
        child_.append(t2 - t1)
    return _probe.median(parent) * 1e3, _probe.median(child_) * 1e3


def main():
    figures = {}
    if sys.version_info >= (3, 4):
        fork, spawn = multiprocessing.get_context("fork"), multiprocessing.get_context("spawn")
    else:
        fork, spawn = multiprocessing, None
    figures["fork_parent_ms"], figures["fork_child_ms"] = sample(fork, FORKS)
    if spawn is not None:
        figures["spawn_parent_ms"], figures["spawn_child_ms"] = sample(spawn, SPAWNS)
    _probe.emit(figures)


if __name__ == "__main__":
    main()
