# -*- coding: utf-8 -*-
"""What gilsim's calibration probes share: the clock, medians and
percentiles, and the one line of JSON each probe prints last.

Runs unchanged on CPython 2.7 and 3.6+, standard library only.
"""
import json
import math
import sys
import time

try:
    clock = time.perf_counter
except AttributeError:  # 2.7: gettimeofday, microseconds
    clock = time.time


def median(xs):
    """Returns the median of xs, or None when xs is empty."""
    xs = sorted(xs)
    n = len(xs)
    if n == 0:
        return None
    mid = n // 2
    if n % 2:
        return xs[mid]
    return (xs[mid - 1] + xs[mid]) / 2.0


def percentile(xs, p):
    """Returns the nearest-rank p-th percentile of xs, or None when empty."""
    xs = sorted(xs)
    if not xs:
        return None
    rank = int(math.ceil(p / 100.0 * len(xs)))
    return xs[min(max(rank, 1), len(xs)) - 1]


def gil_enabled():
    """Reports whether this process runs with the GIL (always, before 3.13)."""
    f = getattr(sys, "_is_gil_enabled", None)
    return True if f is None else bool(f())


def emit(figures):
    """Prints figures as one JSON object on one line, leaving out those that
    could not be measured (None) and any that is not a finite number."""
    out = {}
    for key, value in figures.items():
        if value is None:
            continue
        value = float(value)
        if math.isnan(value) or math.isinf(value):
            continue
        out[key] = value
    sys.stdout.write(json.dumps(out, sort_keys=True) + "\n")
    sys.stdout.flush()
