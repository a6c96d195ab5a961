"""Prints the markdown tables of docs/python-costs.md from the
cost tables in scenarios/python/costs/<major.minor>.tsv.

    python docs/python-costs/table.py > /tmp/tables.md

Figures in ns are rounded to three significant digits (one decimal below 10
ns). Runs under Python 2.7 and 3.x.
"""
from __future__ import print_function

import math
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS = ["2.7.18", "3.9.18", "3.11.7", "3.12.1", "3.13.0"]


def load(v):
    rows = {}
    order = []
    path = os.path.join(HERE, "..", "..", "scenarios", "python", "costs", "%s.tsv" % v.rsplit(".", 1)[0])
    with open(path) as f:
        for line in f:
            if line.startswith("#") or line.startswith("construct\t") or not line.strip():
                continue
            k, val = line.rstrip("\n").split("\t")
            rows[k] = val
            order.append(k)
    return rows, order


def sig3(x):
    if x == 0:
        return "0"
    if abs(x) < 10:
        return "%.1f" % x
    digits = len(str(int(abs(x))))
    step = 10 ** max(digits - 3, 0)
    r = int(math.floor(x / step + 0.5)) * step  # half up, on 2.7 and 3.x
    return "{:,}".format(r) if hasattr(str, "format") else str(r)


def cell(val, fmt=sig3):
    if val is None:
        return "n/a"
    if val == "-":
        return "-"
    return fmt(float(val))


def main():
    data = dict((v, load(v)[0]) for v in VERSIONS)
    order = load(VERSIONS[-1])[1]
    head = "| construct | " + " | ".join(VERSIONS) + " |"
    sep = "|---|" + "---:|" * len(VERSIONS)

    skip = re.compile(r"^(race\.|countdown\.|gil\.|harness\.)")
    print("Per-operation cost, ns (median over rounds of the minimum of 7 "
          "repeats):\n")
    print(head)
    print(sep)
    for k in order:
        if skip.match(k):
            continue
        cells = []
        for v in VERSIONS:
            c = cell(data[v].get(k))
            if k == "expr.fstring" and v.startswith("2."):
                c += " \\*"
            cells.append(c)
        print("| `%s` | %s |" % (k, " | ".join(cells)))
    for k in ("harness.empty_loop", "harness.empty_loop.end"):
        print("| `%s` | %s |" % (k, " | ".join(
            cell(data[v].get(k)) for v in VERSIONS)))

    print("\nCountdown, seconds:\n")
    print(head)
    print(sep)
    for k in ("countdown.20M.s", "countdown.20M.2threads.s"):
        print("| `%s` | %s |" % (k, " | ".join(
            cell(data[v].get(k), lambda x: "%.3f" % x) for v in VERSIONS)))

    print("\nGIL settings:\n")
    print(head)
    print(sep)
    print("| `gil.switch_interval` (ns) | %s |" % " | ".join(
        cell(data[v].get("gil.switch_interval")) for v in VERSIONS))
    print("| `gil.check_interval.ticks` | %s |" % " | ".join(
        data[v].get("gil.check_interval.ticks", "n/a") for v in VERSIONS))

    for race in ("race.augassign.global", "race.assign_call.global"):
        print("\n`%s`: lost updates out of 4,000,000 over all runs (5 per "
              "round); seconds: the fastest run of a round, median over "
              "rounds:\n" % race)
        print("| version | runs losing updates | lost, min | lost, median "
              "| lost, max | seconds |")
        print("|---|---:|---:|---:|---:|---:|")
        for v in VERSIONS:
            lost = []
            secs = None
            for k in data[v]:
                if k.startswith(race + ".") and ".lost.run" in k:
                    lost.append(int(data[v][k]))
                elif k.startswith(race + ".") and k.endswith(".s"):
                    secs = data[v][k]
            lost.sort()
            n = len(lost)
            med = (lost[n // 2] if n % 2
                   else (lost[n // 2 - 1] + lost[n // 2]) // 2)
            print("| %s | %d of %d | %s | %s | %s | %s |" % (
                v, sum(1 for x in lost if x), n,
                "{:,}".format(lost[0]), "{:,}".format(med),
                "{:,}".format(lost[-1]),
                cell(secs, lambda x: "%.3f" % x)))

if __name__ == "__main__":
    main()
