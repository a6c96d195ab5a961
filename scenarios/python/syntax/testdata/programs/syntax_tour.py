#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""A tour of the syntax the simulator reads.

Triple-quoted docstring with 中文 and 'quotes' and "quotes".
"""
from __future__ import annotations

import sys, os.path as osp
from collections import (
    defaultdict,
    deque as Deque,
)
from .. import sibling
from .pkg.mod import *

计数 = 0  # Unicode identifiers
ints = [0, 7, 1_000_000, 0xFF, 0o17, 0b1010, 0XdeadBEEF, 0_0, 00, 2**64, 123456789012345678901234567890]
floats = [1.5, 1e-3, .5, 5., 1_0.0_1, 1E+10, 0.0, 1e400]
strs = ['single', "double", '''triple
single''', """triple "double" """, r'raw \d+', R"raw", b'bytes\x00\xff', rb'\raw', Br"x", u'unicode']
escapes = "tab\tnewline\nquote\"backslash\\bell\a\x41\101\u4e2d\U0001F600 \
continued"
concat = ("adjacent " 'strings '
          "across lines")
name, width, prec = "pi", 10, 4
fs = [f"{name}", f"{name!r:>{width}}", f'{3.14159:{width}.{prec}f}', f"{{literal}} {1 + 2}", f"{name=}", f"{ name = !s:^9}",
      F"{'nested'}", f"{[x for x in range(3)]}", f"""multi
{name}
line""", rf"\d{name}", f"{'a' if True else 'b'}", f"{ {'k': 1}['k'] }", f"{3 != 4}", f"{name:{'>'}{width}}"]

a = b = c = 0
a, b = b, a
(a, b), c = (1, 2), 3
[x, y] = 1, 2
first, *rest = [1, 2, 3]
*init, last = "abc"
d = {"k": [0, 1, 2]}
d["k"][0] += 1
d["k"][1:] = [9]
obj = type("Obj", (), {})()
obj.attr = 1
obj.attr <<= 2; obj.attr >>= 1; obj.attr |= 8; obj.attr &= 15; obj.attr ^= 1
a -= 1; a *= 3; a /= 2; a //= 1; a %= 7; a **= 2; a += -~+1
annotated: int
annotated_value: dict[str, list[int]] = {}
obj.attr2: float = 0.5

lst = list(range(20))
print(lst[1], lst[-1], lst[1:5], lst[::2], lst[1:10:3], lst[:], lst[::-1], lst[:3], lst[3:])
m = {(i, j): i * j for i in range(3) for j in range(3) if i != j if i}
s = {c for c in "hello" if c not in "aeiou"}
g = (x * 2 for x in lst)
nested = [[i * j for j in range(i)] for i in range(5)]
flat = [y for row in nested for y in row]
pairs = dict(zip("abc", range(3)), **{"d": 4}, e=5)
merged = {**pairs, "f": 6, **{}}
spread = [*lst[:2], *"xy", 0]
t = 1,
empty = ()
one = (1)
print(*spread, sep=", ", end="\n", file=sys.stdout)

value = 5
ok = 0 < value < 10 and not value == 3 or value is None
ok = value in lst and value not in () and value is not None
ok = 1 if value > 3 else 2 if value > 1 else 3
bits = value | 2 & 3 ^ 4 << 1 >> 2
math = -value + +value * 2 / 3 // 4 % 5 ** -2 - ~value
power = 2 ** -1
matrix = value @ value if False else None

f = lambda: 0
g2 = lambda x, y=2, *args, z, **kw: (x, y, args, z, kw)
h = lambda *, key=None: key


def positional(a, b, /, c, *, d=1, **rest) -> tuple:
    return a, b, c, d, rest


def annotated_def(x: int, *args: str, y: "fwd" = None, **kw: object) -> list[int]:
    ...


def outer():
    total = 0

    def inner(step=1):
        nonlocal total
        total += step
        return total

    inner(); inner(2)
    return total


def control(n):
    i = 0
    while i < n:
        i += 1
        if i % 2: continue
        elif i > 7:
            break
    else:
        pass
    for i, ch in enumerate("ab"):
        if ch == "z": break
    else:
        print("no z")
    try:
        1 / 0
    except ZeroDivisionError as e:
        print("error:", e)
    except (TypeError, ValueError):
        raise
    except Exception:
        raise RuntimeError("wrapped") from None
    else:
        return -1
    finally:
        del i
    try:
        pass
    finally:
        pass
    assert n >= 0, "n must be non-negative"
    assert n < 100


class Base:
    pass


class Point(Base, object):
    """A point."""
    dims = 2

    def __init__(self, x=0, y=0):
        self.x, self.y = x, y

    def __repr__(self):
        return f"Point({self.x}, {self.y})"

    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)


class Empty: pass


if __name__ == "__main__": print(outer(), control(10), Point(1, 2), positional(1, 2, 3), Empty, \
    计数)
