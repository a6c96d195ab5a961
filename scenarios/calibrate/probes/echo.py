# -*- coding: utf-8 -*-
"""Round trips to an echo server in a forked child over socket.socketpair():
the parent sends 64 bytes and reads them back, many times.

  echo_rtt_p50_us, echo_rtt_p99_us, echo_rps
      the parent alone;
  echo_cpu_rtt_p50_us, echo_cpu_rtt_p99_us, echo_cpu_rps
      the same while one CPU-bound thread spins in the parent, at the
      default switch interval: under a GIL each read and each send waits
      for the spinner to give the GIL back, one or two intervals a trip.

Whether a trip beside the spinner waits for the GIL is a race: the
spinner, woken when the parent drops the GIL to read, must take it before
the echo arrives. So the second phase runs for a fixed time, not a count
of trips: on a machine where the spinner rarely wins, a hundred trips
would take less than one switch interval and measure nothing; where it
always wins, the time gives about a hundred trips. Each phase stops when
it has at least its minimum of trips and of time, or at its time limit.
The child is forked before any thread starts and exits when the parent
closes its end.
"""
from __future__ import division

import os
import socket
import threading

import _probe

MESSAGE = b"x" * 64
WARMUP = 50
# (minimum trips, minimum seconds, limit in seconds) of each phase
ALONE = (2000, 0.0, 1.0)
BESIDE_CPU = (30, 0.75, 3.0)


def serve(sock):
    while True:
        data = sock.recv(65536)
        if not data:
            return
        sock.sendall(data)


def roundtrip(sock):
    sock.sendall(MESSAGE)
    got = 0
    while got < len(MESSAGE):
        data = sock.recv(len(MESSAGE) - got)
        if not data:
            raise EOFError("echo child closed the socket")
        got += len(data)


def measure(sock, phase):
    trips, seconds, limit = phase
    samples = []
    start = t1 = _probe.clock()
    while (len(samples) < trips or t1 - start < seconds) and t1 - start < limit:
        t0 = _probe.clock()
        roundtrip(sock)
        t1 = _probe.clock()
        samples.append(t1 - t0)
    return samples, t1 - start


def spin(stop):
    n = 0
    while not stop[0]:
        n += 1


def figures(keys, samples, elapsed):
    p50, p99, rps = keys
    return {
        p50: _probe.median(samples) * 1e6,
        p99: _probe.percentile(samples, 99) * 1e6,
        rps: len(samples) / elapsed,
    }


def main():
    mine, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            mine.close()
            serve(theirs)
            code = 0
        finally:
            os._exit(code)
    theirs.close()
    out = {}
    try:
        for _ in range(WARMUP):
            roundtrip(mine)
        keys = ("echo_rtt_p50_us", "echo_rtt_p99_us", "echo_rps")
        out.update(figures(keys, *measure(mine, ALONE)))
        stop = [False]
        spinner = threading.Thread(target=spin, args=(stop,))
        spinner.start()
        try:
            roundtrip(mine)
            keys = ("echo_cpu_rtt_p50_us", "echo_cpu_rtt_p99_us", "echo_cpu_rps")
            out.update(figures(keys, *measure(mine, BESIDE_CPU)))
        finally:
            stop[0] = True
            spinner.join()
    finally:
        mine.close()
        os.waitpid(pid, 0)
    _probe.emit(out)


if __name__ == "__main__":
    main()
