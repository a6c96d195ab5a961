"""Combines the per-round TSV files of one version into one table.

    python combine.py raw/results-3.12.1.round1.tsv raw/...round2.tsv ...

For every construct: the median over the rounds of the per-run figures (each
already the minimum of 7 repeats), so "median of minima". Lost-update rows
(`*.lost.runK`) are not combined: the runs of all rounds are listed, renumbered
run1, run2, ... in round order. `-` (not applicable) stays `-`.
Runs under Python 2.7 and 3.x.
"""
from __future__ import print_function

import re
import sys

LOST = re.compile(r"^(.*\.lost)\.run(\d+)$")


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    if n % 2:
        return xs[n // 2]
    return (xs[n // 2 - 1] + xs[n // 2]) / 2.0


def fmt(v):
    return "%.3f" % v if abs(v) < 1000 else "%.1f" % v


def main(paths):
    order = []
    values = {}
    lost = {}
    for path in paths:
        offset = {}
        with open(path) as f:
            for i, line in enumerate(f):
                line = line.rstrip("\n")
                if i == 0 or not line:
                    continue
                key, val = line.split("\t")
                m = LOST.match(key)
                if m:
                    base = m.group(1)
                    if base not in lost:
                        lost[base] = []
                        order.append(base)
                    lost[base].append(int(val))
                    continue
                if key not in values:
                    values[key] = []
                    order.append(key)
                values[key].append(val)
    print("construct\tns_per_op")
    for key in order:
        if key in lost:
            for j, v in enumerate(lost[key]):
                print("%s.run%d\t%d" % (key, j + 1, v))
            continue
        vals = values[key]
        if all(v == "-" for v in vals):
            print("%s\t-" % key)
        elif key.endswith(".ticks"):
            print("%s\t%s" % (key, vals[0]))
        else:
            print("%s\t%s" % (key, fmt(median([float(v) for v in vals]))))


if __name__ == "__main__":
    main(sys.argv[1:])
