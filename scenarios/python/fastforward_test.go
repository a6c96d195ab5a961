package python

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/gilsim/gilsim/sim"
)

// exactly compiles src twice: as gilsim does, and running every loop
// iteration one by one with no budget (fastForward 0, maxIterations
// huge), which is the workload by definition. It fails the test unless
// both compile to the very same workload, and returns it.
func exactly(t *testing.T, name, src, ver string, set ...string) sim.Workload {
	t.Helper()
	fast, err := compile(t, name, src, ver, set...)
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, src)
	}
	savedFF, savedMax := fastForward, maxIterations
	fastForward, maxIterations = 0, 1<<40
	slow, err := compile(t, name, src, ver, set...)
	fastForward, maxIterations = savedFF, savedMax
	if err != nil {
		t.Fatalf("%s run in full: %v\n%s", name, err, src)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Errorf("%s: fast-forwarded, the workload differs from running every iteration\n%s\n%s", name, src, diffCode(fast, slow))
	}
	return fast
}

// diffCode describes the first difference between two workloads' code.
func diffCode(a, b sim.Workload) string {
	if len(a.Threads) != len(b.Threads) {
		return fmt.Sprintf("%d threads against %d", len(a.Threads), len(b.Threads))
	}
	for i := range a.Threads {
		ca, cb := a.Threads[i].Code, b.Threads[i].Code
		for k := 0; k < max(len(ca), len(cb)); k++ {
			if k >= len(ca) || k >= len(cb) || ca[k] != cb[k] {
				show := func(c sim.Code) string {
					if k < len(c) {
						return fmt.Sprintf("%+v", c[k])
					}
					return "the end"
				}
				return fmt.Sprintf("thread %d, op %d: %s against %s", i, k, show(ca), show(cb))
			}
		}
	}
	return "the code is the same; something else differs"
}

// printed returns the text of the Print ops of a workload, in order.
func printed(w sim.Workload) string {
	var b strings.Builder
	walk := func(c sim.Code) {
		for _, op := range c {
			if op.Kind == sim.OpPrint {
				b.WriteString(op.Text + "\n")
			}
		}
	}
	for _, th := range w.Threads {
		walk(th.Code)
	}
	return b.String()
}

// TestFastForwardKeepsContainers: a long loop that changes a list, a
// dict, an object's attribute, the random generator, the clock's marks
// or a queue's register, which its ops do not carry, is run (or folded),
// not added up: after it, the program sees what every iteration did.
func TestFastForwardKeepsContainers(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"dict item", `d = {0: 0}
for _ in range(100000):
    d[0] = d[0] + 1
print(d[0])
`, "100000\n"},
		{"list append", `l = []
for _ in range(100000):
    l.append(1)
print(len(l))
`, "100000\n"},
		{"in a function", `def work():
    l = []
    n = 5000
    while n > 0:
        n -= 1
        l.append(0)
    print(len(l), l[-1])

work()
`, "5000 0\n"},
		{"in a function called", `def add(l):
    l.append(1)

def work():
    l = []
    for _ in range(5000):
        add(l)
    print(len(l))

work()
`, "5000\n"},
		{"attribute", `class Box:
    pass

b = Box()
b.n = 0
for _ in range(5000):
    b.n = b.n + 1
print(b.n)
`, "5000\n"},
		{"item augmented", `d = {"k": 0}
for _ in range(5000):
    d["k"] += 2
print(d)
`, "{'k': 10000}\n"},
		{"pop", `l = list(range(3000))
for _ in range(2999):
    l.pop()
print(l)
`, "[0]\n"},
		{"setdefault", `d = {}
for _ in range(3000):
    d.setdefault("k", []).append(1)
print(len(d["k"]))
`, "3000\n"},
		{"nested for else", `l = []
for _ in range(3000):
    for j in range(1):
        pass
    else:
        l.append(j)
print(len(l))
`, "3000\n"},
		{"list extended in place", `l = []
for _ in range(3000):
    l.extend([1, 2])
print(len(l))
`, "6000\n"},
		{"random", `import random
for _ in range(3000):
    x = random.randint(1, 1000000)
print(x)
`, ""},
		{"module int moved at module level", `counter = 0
def f():
    global counter
    counter += 1
for _ in range(5000):
    counter += 1
print(counter)
`, "5000\n"},
		{"clock", `import time
for _ in range(3000):
    t = time.time()
print(f"{time.time() - t:.2f}")
`, ""},
		{"queue gets", `import queue
q = queue.Queue()
for i in range(3000):
    q.put(i)
for _ in range(3000):
    q.get()
print("done")
`, "done\n"},
		{"method of a call's result", `for i in range(5000):
    print(str(i // 1000).upper())
`, ""},
		{"target moved on", `for i in range(5000):
    i += 1
print(i)
`, "5000\n"},
		{"while test scaled", `n = 5000
k = 0
while n * 3 > -100:
    n -= 1
print(n)
`, "-34\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := exactly(t, "c.py", c.src, "3.12")
			if got := printed(w); c.want != "" && !strings.HasSuffix(got, c.want) {
				t.Errorf("printed %.200q, want %q", got, c.want)
			}
		})
	}
}

// TestFloatsAddUpExactly: a float moved on by a loop is added to once
// per iteration skipped, as the program does (0.1 added 5000 times is
// not 5000 times 0.1), unless multiplying is exact; a while loop on a
// float ends at the same count as run in full.
func TestFloatsAddUpExactly(t *testing.T) {
	cases := []struct{ src, want string }{
		{"x = 0.0\nfor _ in range(5000):\n    x += 0.1\nprint(x)\n", "500.0000000000452\n"},
		{"x = 0.5\nfor _ in range(5000):\n    x += 0.25\nprint(x)\n", "1250.5\n"},
		{"x = 10.0\nwhile x > 0:\n    x -= 0.001\nprint(x)\n", "-0.0009999999998974085\n"},
		{"x = 1\nfor _ in range(3000):\n    x += 0.5\nprint(x)\n", "1501.0\n"},
		{"x = 0.0\nn = 0\nwhile x < 100.0:\n    x += 0.01\n    n += 1\nprint(x, n)\n", "100.00000000001425 10000\n"},
		{"x = 1e300\nfor _ in range(3000):\n    x += 1e300\nprint(x)\n", ""},
		{"x = 0.0\nfor _ in range(3000):\n    x += 0.1\n    x += 0.2\nprint(x)\n", ""},
		{"x = 0.0\nk = 0.1\nfor _ in range(3000):\n    x -= k * 3\nprint(x)\n", ""},
	}
	for _, c := range cases {
		w := exactly(t, "f.py", c.src, "3.12")
		if got := printed(w); c.want != "" && got != c.want {
			t.Errorf("%s printed %q, want %q (CPython's)", c.src, got, c.want)
		}
	}
}

// TestNewShapesAddUp: loops that call the program's own functions, that
// read back what they assigned, and that make round trips on a socket,
// a million iterations long, compile (run one by one they would pass
// the budget) to what the same loops make when short, scaled.
func TestNewShapesAddUp(t *testing.T) {
	cases := []struct {
		name, src string
		set       []string
		want      string
	}{
		{"lock_contention.py", readFile(t, "../programs/lock_contention.py"), []string{"THREADS=2", "ITERATIONS=1000000", "CRITICAL=300"}, ""},
		{"io_bound.py", readFile(t, "../programs/io_bound.py"), []string{"THREADS=2", "OPS=1000000"}, ""},
		{"convoy.py", readFile(t, "../programs/convoy.py"), []string{"REQUESTS=1000000"}, ""},
		{"echo_client.py", readFile(t, "../programs/echo_client.py"), []string{"REQUESTS=1000000"}, ""},
		{"calls.py", `import threading

lock = threading.Lock()
rl = threading.RLock()
N = 1000000

def square(a):
    return a * a

def work(n, label):
    total = 0
    for i in range(n):
        total += square(i % 7)
    with rl:
        with lock:
            return label + str(total)

done = 0
for _ in range(N):
    with rl:
        text = work(3, "t")
    size = len(text)
    ok = text.startswith("t") and size > 1
    done += 1
print(done, text, size, ok)
`, nil, "1000000 t5 2 True\n"},
	}
	for _, c := range cases {
		w, err := compile(t, c.name, c.src, "3.12", c.set...)
		if err != nil {
			t.Errorf("%s %v: %v", c.name, c.set, err)
			continue
		}
		if got := printed(w); c.want != "" && got != c.want {
			t.Errorf("%s printed %q, want %q", c.name, got, c.want)
		}
	}
}

// TestEndlessLoops: a loop that makes the same ops for ever is one loop
// op that runs until the program ends, even one that takes from a queue
// (nothing after it reads what the gets change); one that changes a
// container for ever is refused, as no count of its iterations can be
// what the rest of the program sees.
func TestEndlessLoops(t *testing.T) {
	endless := []string{`import threading, queue
q = queue.Queue()
def worker():
    while True:
        item = q.get()
        print(f"Working on {item}")
        q.task_done()
threading.Thread(target=worker, daemon=True).start()
for item in range(30):
    q.put(item)
q.join()
print("All work completed")
`, `import threading, queue
q = queue.Queue()
def worker():
    while True:
        q.get()
        q.task_done()
threading.Thread(target=worker, daemon=True).start()
for item in range(30):
    q.put(item)
q.join()
`, `import threading, time
def worker():
    n = 0
    while True:
        n += 1
        print("tick")
        time.sleep(0.1)
threading.Thread(target=worker, daemon=True).start()
time.sleep(1)
`}
	for _, src := range endless {
		w, err := compile(t, "e.py", src, "3.12")
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		found := false
		for _, op := range w.Threads[1].Code {
			found = found || op.Kind == sim.OpLoop && op.N == -1
		}
		if !found {
			t.Errorf("no endless loop op in %v\n%s", w.Threads[1].Code, src)
		}
	}
	s := simulate(t, "docs.py", endless[0], "3.12")
	var out []string
	for _, l := range s.Snapshot().Console {
		out = append(out, l.Text)
	}
	if len(out) != 31 || out[0] != "Working on 0" || out[29] != "Working on 29" || out[30] != "All work completed" {
		t.Errorf("the queue's worker printed %q", out)
	}
	for _, src := range []string{`import threading
d = {}
def worker():
    while True:
        d["k"] = 1
threading.Thread(target=worker, daemon=True).start()
print(d)
`, `import threading
l = []
def worker():
    while True:
        l.append(1)
threading.Thread(target=worker, daemon=True).start()
print(len(l))
`} {
		if _, err := compile(t, "c.py", src, "3.12"); err == nil || !strings.Contains(err.Error(), "iterations that differ") {
			t.Errorf("a loop changing a container for ever: %v\n%s", err, src)
		}
	}
}

// TestRememberedCalls: a call whose ops are copied from an earlier one
// makes what compiling it again would, when what it reads around it
// changed between the calls (a global, the function a name holds, a
// global read through a name of its own not yet assigned), when it is
// run by threads and processes, and when it holds locks.
func TestRememberedCalls(t *testing.T) {
	for _, src := range []string{`x = 1
def f():
    print(x)
    x = 2
f()
x = 5
f()
`, `K = 3
def g(a):
    n = a + K
    while n > 0:
        n -= 1
    return n + K
def f(a):
    return g(a) * 2
print(f(1), f(1))
K = 4
print(f(1), f(1))
def g(a):
    print("new g")
    return a
print(f(1), f(1))
`, `def f(a, b=(1, 2)):
    return a + b[0]
print(f(1), f(1), f(2))
`, `import threading
rl = threading.RLock()
lock = threading.Lock()
def f(n):
    with rl:
        with lock:
            while n > 0:
                n -= 1
    return n
with rl:
    print(f(3000))
print(f(3000), f(3000))
`, `import multiprocessing, threading
N = 5000
def work(n):
    total = 0
    for i in range(n):
        total += i % 3
    print("total", total, multiprocessing.current_process().name)
def quiet(n):
    while n > 0:
        n -= 1
procs = [multiprocessing.Process(target=quiet, args=(N,)) for _ in range(3)]
for p in procs:
    p.start()
for p in procs:
    p.join()
work(N)
work(N)
threads = [threading.Thread(target=quiet, args=(N,)) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
`, `import os
def pid():
    return os.getpid()
print(pid(), pid())
`} {
		sameCompile(t, "m.py", src, "3.12", 0, 0)
		sameCompile(t, "m.py", src, "2.7", 16, 0)
	}
}
