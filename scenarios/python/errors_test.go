package python

import (
	"strings"
	"testing"
)

// TestUnsupportedSaysWhatAndWhere: each construct the front end does not
// simulate is refused with one line naming the file, line, column and
// construct, before anything runs.
func TestUnsupportedSaysWhatAndWhere(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"import ctypes\n", "p.py:1:8: unsupported: ctypes is not simulated (supported modules: threading, multiprocessing, concurrent.futures, queue, asyncio, time, socket, random, os)"},
		{"import threading, sys\n", "p.py:1:19: unsupported: sys is not simulated (supported modules: threading, multiprocessing, concurrent.futures, queue, asyncio, time, socket, random, os)"},
		{"from ctypes import c_int\n", "p.py:1:1: unsupported: ctypes is not simulated (supported modules: threading, multiprocessing, concurrent.futures, queue, asyncio, time, socket, random, os)"},
		{"x = (1\n", "p.py:1:5: syntax error: '(' was never closed"},
		{"def f():\n    yield 1\n", "p.py:2:5: unsupported: yield expressions (generators) are not simulated"},
		{"import threading\nc = threading.Condition()\n", "p.py:2:5: unsupported: threading.Condition is not simulated yet (Lock, RLock, Semaphore, Event and queue.Queue are)"},
		{"import threading\ne = threading.Event()\nif e.wait(0.1):\n    print(1)\n", "p.py:3:4: unsupported: the result of wait(timeout) is known only at run time, and gilsim does not use it yet"},
		{"import time\nt = time.time()\nif t > 5:\n    pass\n", "p.py:3:4: unsupported: a reading of the clock is known only at run time: gilsim subtracts one from another, scales the difference by a number and prints it"},
		{"import queue, time\nq = queue.Queue()\nq.put(time.time())\n", "p.py:3:1: unsupported: putting a reading of the clock on a queue is not simulated yet"},
		{"x = 2**100\n", "p.py:1:5: unsupported: ints beyond 64 bits are not simulated"},
		{"for i in range(10**7):\n    print(i)\n", "p.py:2:5: unsupported: the loops run more than 200000 iterations that differ from one another; gilsim adds up only loops whose iterations all do the same"},
		{"import asyncio\n", "p.py:1:8: unsupported: asyncio needs Python 3: simulate it with --python 3.9 or later"},
		{"import multiprocessing\np = multiprocessing.Pool(4)\nr = p.map_async(abs, [1])\n", "p.py:3:5: unsupported: Pool.map_async is not simulated yet (map, starmap and apply are)"},
		{"import queue, threading\nq = queue.Queue()\ndef f():\n    x = q.get()\n    if x > 3:\n        print(x)\nthreading.Thread(target=f).start()\n", "p.py:5:8: unsupported: this comparison depends on a value another thread makes at run time; gilsim can test such a value only with \"if item is None: break\" in a loop"},
		{"open('f.txt')\n", "p.py:1:1: unsupported: open() is not simulated: files are not simulated; the socket module is"},
	} {
		ver := "3.12"
		if strings.HasPrefix(tc.src, "import asyncio") {
			ver = "2.7"
		}
		_, err := compile(t, "p.py", tc.src, ver)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q:\n got  %v\n want %s", tc.src, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: the message is more than one line", tc.src)
		}
	}
}

// TestRuntimeErrorsAreTracebacks: an exception the program raises is a
// Python traceback on the console at the moment it happens, and the
// thread (or the process, for its main thread) dies of it, as in CPython.
// One the program catches is not.
func TestRuntimeErrorsAreTracebacks(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{"x = 1\ny = x / 0\nprint('never')\n", []string{
			"Traceback (most recent call last):", `  File "p.py", line 2, in <module>`, "    y = x / 0",
			"ZeroDivisionError: division by zero"}},
		{"print(counter)\n", []string{
			"Traceback (most recent call last):", `  File "p.py", line 1, in <module>`, "    print(counter)",
			"NameError: name 'counter' is not defined"}},
		{"import threading\ndef work(n):\n    print(10 // n)\nthreading.Thread(target=work, args=(0,)).start()\nprint('main goes on')\n", []string{
			"main goes on", "Exception in thread Thread-1 (work):", "Traceback (most recent call last):",
			`  File "/usr/lib/python3.12/threading.py", line 1073, in _bootstrap_inner`, "    self.run()",
			`  File "/usr/lib/python3.12/threading.py", line 1010, in run`, "    self._target(*self._args, **self._kwargs)",
			`  File "p.py", line 3, in work`, "    print(10 // n)", "ZeroDivisionError: integer division or modulo by zero"}},
		{"try:\n    {}['k']\nexcept KeyError as e:\n    print('caught', repr(e))\nfinally:\n    print('finally')\n", []string{
			"caught KeyError(\"'k'\")", "finally"}},
	} {
		s := simulate(t, "p.py", tc.src, "3.12")
		var got []string
		for _, l := range s.Snapshot().Console {
			got = append(got, l.Text)
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%q printed:\n%s\nwant:\n%s", tc.src, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}
