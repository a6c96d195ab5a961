package python

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// ffPrelude is the state the random loop programs work on: ints, a list,
// a dict, an object, locks, a queue, and functions of every kind: those
// that make only ops and use their own names (the loops calling them may
// be added up, and their calls remembered), and those that change what
// the ops do not carry (which forbid both).
const ffPrelude = `import random
import threading
import time
import queue

x = 0
y = 7
s = "ab"
l = [1, 2]
d = {"k": 0}
lock = threading.Lock()
rl = threading.RLock()
q = queue.Queue()
G = 0
K = 3

class Box:
    pass

o = Box()
o.n = 0

def pure(a):
    b = a * 2
    if b > 10:
        b -= 3
    return b

def spin(n):
    while n > 0:
        n -= 1

def nested(a):
    return pure(a) + pure(a + K)

def locked(n):
    with lock:
        spin(n)

def relocked():
    with rl:
        with rl:
            return K

def loud(a):
    print("loud", a, s.upper())
    time.sleep(0.001)

def text(a):
    t = "x" * a
    return t.upper() + str(len(t.split()))

def impure(a):
    l.append(a)

def bump():
    global G
    G += 1

def reads():
    return len(l) + d["k"]

def keeps(a, acc=[]):
    acc += [a]
    return len(acc)

def rolls():
    return random.randint(1, 6)

def passes():
    return keeps(1)
`

// refusing are the statements of ffStmt that forbid adding up a loop:
// they change a container, an object, a global, the random generator,
// the RLocks held, or read what the loop moves on.
var refusing = map[int]bool{13: true, 14: true, 16: true, 17: true, 18: true, 19: true, 20: true,
	22: true, 27: true, 29: true, 30: true, 31: true, 32: true, 34: true}

// ffStmt returns a random statement of a loop body, at indent: one that
// lets the loop be added up if quiet; shared says the body may use G,
// which functions assign after "global".
func ffStmt(r *rand.Rand, indent string, depth int, quiet, shared bool) string {
	k := r.IntN(40)
	for quiet && refusing[k] {
		k = r.IntN(40)
	}
	switch {
	case k < 3:
		return indent + "x += 1\n"
	case k < 5:
		return indent + fmt.Sprintf("y -= %d\n", r.IntN(3))
	case k < 6:
		return indent + "x = y + 1\n"
	case k < 7:
		return indent + "v = pure(K)\n" + indent + "print(v)\n"
	case k < 8:
		return indent + "spin(" + []string{"3", "K", "40", "300"}[r.IntN(4)] + ")\n"
	case k < 9:
		return indent + "print(nested(2))\n"
	case k < 10:
		return indent + "locked(K)\n"
	case k < 11:
		return indent + "w = relocked()\n"
	case k < 12:
		return indent + "loud(K)\n"
	case k < 13:
		return indent + "t = text(K)\n" + indent + "print(t, len(t))\n"
	case k < 14:
		return indent + "impure(1)\n"
	case k < 15:
		return indent + "bump()\n"
	case k < 16:
		return indent + "n = reads()\n"
	case k < 17:
		return indent + "n = keeps(2)\n"
	case k < 18:
		return indent + "n = rolls()\n"
	case k < 19:
		return indent + "l.append(0)\n"
	case k < 20:
		return indent + "d[\"k\"] = d[\"k\"] + 1\n"
	case k < 21:
		return indent + "o.n = o.n + 1\n"
	case k < 22:
		return indent + "with lock:\n" + indent + "    x += 2\n"
	case k < 23:
		return indent + "rl.acquire()\n"
	case k < 24:
		return indent + "with rl:\n" + indent + "    pass\n"
	case k < 25:
		return indent + "m = \"ab\" * 2\n" + indent + "u = m.upper()\n" + indent + "print(u, m)\n"
	case k < 26:
		return indent + "b = b\"a b\" * 2\n" + indent + "z = len(b.split())\n"
	case k < 27:
		return indent + "flag = K > 2\n" + indent + "e = 1 if flag else None\n" + indent + "print(flag, e)\n"
	case k < 28:
		return indent + "s = s + \"a\"\n"
	case k < 29:
		return indent + "print(s, l[0], d)\n"
	case k < 30:
		return indent + "h = random.random()\n"
	case k < 31:
		return indent + "c = time.time()\n"
	case k < 32:
		return indent + "n = passes()\n"
	case k < 33:
		return indent + "l += [3]\n"
	case k < 34:
		return indent + "q.put(K)\n"
	case k < 35:
		return indent + "p = x\n"
	case k < 36 && shared:
		return indent + []string{"G += 1\n", "G = G + 1\n", "print(G)\n"}[r.IntN(3)]
	case k < 37 && depth < 2:
		n := []int{0, 1, 3}[r.IntN(3)]
		return indent + fmt.Sprintf("for j%d in range(%d):\n", depth, n) + ffStmt(r, indent+"    ", depth+1, quiet, shared) +
			indent + fmt.Sprintf("    g%d = j%d\n", depth, depth)
	case k < 39 && depth < 2:
		return indent + "m = 3\n" + indent + "while m > 0:\n" + indent + "    m -= 1\n" + ffStmt(r, indent+"    ", depth+1, quiet, shared)
	}
	return indent + "pass\n"
}

// ffProgram writes a random program of loops, at module level and in a
// function that threads, processes or an executor's workers run.
func ffProgram(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString(ffPrelude)
	loop := func(indent string, shared bool) {
		n := []int{2, 5, 40, 90}[r.IntN(4)]
		if r.IntN(3) == 0 {
			fmt.Fprintf(&b, "%sleft = %d\n%swhile left > 0:\n%s    left -= 1\n", indent, n, indent, indent)
		} else {
			fmt.Fprintf(&b, "%sfor i in range(%d):\n", indent, n)
		}
		quiet := r.IntN(2) == 0
		for range 1 + r.IntN(4) {
			b.WriteString(ffStmt(r, indent+"    ", 0, quiet, shared))
		}
	}
	// Without global, work's calls can be remembered whole.
	global := r.IntN(2) == 0
	b.WriteString("\ndef work(a):\n")
	if global {
		b.WriteString("    global G\n")
	}
	b.WriteString("    x = a\n    y = 2\n    m = 0\n")
	loop("    ", global)
	if global {
		b.WriteString("    print(\"work\", x, y, m, G, len(l))\n\n")
	} else {
		b.WriteString("    print(\"work\", x, y, m)\n\n")
	}
	for range 1 + r.IntN(2) {
		loop("", true)
	}
	n := 1 + r.IntN(4)
	switch r.IntN(4) {
	case 0:
		b.WriteString("import multiprocessing\n")
		fmt.Fprintf(&b, "procs = [multiprocessing.Process(target=work, args=(K,)) for _ in range(%d)]\n", n)
		b.WriteString("for p in procs:\n    p.start()\nfor p in procs:\n    p.join()\n")
	case 1:
		b.WriteString("from concurrent.futures import ThreadPoolExecutor\n")
		fmt.Fprintf(&b, "with ThreadPoolExecutor(max_workers=2) as ex:\n    for _ in range(%d):\n        ex.submit(work, K)\n", n)
	default:
		fmt.Fprintf(&b, "threads = [threading.Thread(target=work, args=(K,)) for _ in range(%d)]\n", n)
		b.WriteString("for t in threads:\n    t.start()\nfor t in threads:\n    t.join()\n")
	}
	// G is a shared variable now, if a thread has used it.
	loop("", true)
	b.WriteString("print(x, y, s, len(l), d, o.n, G)\n")
	return b.String()
}

// sameCompile compiles src as gilsim does, but for adding up loops with
// more than ff iterations left (0: fastForward's) and a budget of budget
// iterations (0: maxIterations), and again running every iteration and
// every call with no budget: both must make the same workload, or fail
// alike. A compile refused for its budget is let be when the budget was
// lowered.
func sameCompile(t *testing.T, name, src, ver string, ff int64, budget int, set ...string) {
	t.Helper()
	savedFF, savedMax, savedSteps := fastForward, maxIterations, maxSteps
	defer func() { fastForward, maxIterations, maxSteps = savedFF, savedMax, savedSteps }()
	if ff > 0 {
		fastForward = ff
	}
	if budget > 0 {
		maxIterations = budget
	}
	fast, ferr := compile(t, name, src, ver, set...)
	fastForward, maxIterations, maxSteps = 0, 1<<40, 1<<40
	slow, serr := compile(t, name, src, ver, set...)
	if budget > 0 && ferr != nil && strings.Contains(ferr.Error(), "iterations that differ") {
		return
	}
	switch {
	case ferr != nil || serr != nil:
		if fmt.Sprint(ferr) != fmt.Sprint(serr) {
			t.Errorf("%s under %s: %v, run in full %v\n%s", name, ver, ferr, serr, src)
		}
	case !reflect.DeepEqual(fast, slow):
		t.Errorf("%s under %s: added up, the workload differs from running every iteration: %s\n%s", name, ver, diffCode(fast, slow), src)
	}
}

// TestAddingUpIsExact compiles random programs of loops that call
// functions, read back what they assigned, hold locks and change
// containers, with and without adding up: the workloads must be the
// same, op for op.
func TestAddingUpIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	n := 300
	if testing.Short() {
		n = 60
	}
	for i := range n {
		src := ffProgram(r)
		ver := Versions()[r.IntN(len(Versions()))]
		// Loops of more than 16 iterations are added up; with a small
		// budget, shorter ones too once half of it is spent.
		sameCompile(t, fmt.Sprintf("ff%d.py", i), src, ver, 16, 0)
		sameCompile(t, fmt.Sprintf("ff%d.py", i), src, ver, 16, 1500)
		if t.Failed() {
			return
		}
	}
}

// TestSocketLoopsAddUpExactly: loops of round trips on a client's socket
// and on a connection a server accepted, with messages read whole or in
// parts, added up only while every socket is as the iteration before
// left it.
func TestSocketLoopsAddUpExactly(t *testing.T) {
	client := `import socket

N = 3000
MSG = b"ping pong"
SIZE = 16

def fetch(n):
    with socket.create_connection(("example.com", 80)) as sock:
        for _ in range(n):
            sock.sendall(MSG)
            reply = sock.recv(SIZE)
            words = len(reply.split())
            print(reply, words)
        print(sock.recv(SIZE))

fetch(N)
`
	server := `import socket

N = 3000
SIZE = 16

server = socket.create_server(("localhost", 25000))
conn, _ = server.accept()
for _ in range(N):
    data = conn.recv(SIZE)
    reply = data.upper()
    conn.send(reply)
print(reply)
`
	half := `import socket

N = 3000

sock = socket.create_connection(("example.com", 80))
for _ in range(N):
    sock.send(b"ab")
    sock.send(b"cd")
    a = sock.recv(1)
    print(a)
print(sock.recv(100))
`
	for _, ver := range []string{"3.12", "2.7"} {
		for _, size := range []string{"16", "4", "2"} {
			sameCompile(t, "client.py", client, ver, 0, 0, "SIZE="+size)
			sameCompile(t, "server.py", server, ver, 0, 0, "SIZE="+size)
		}
		sameCompile(t, "half.py", half, ver, 0, 0)
	}
}

// TestBuiltinProgramsAddUpExactly compiles the built-in programs, at
// their defaults and at sizes where their loops are added up and their
// calls remembered, both ways.
func TestBuiltinProgramsAddUpExactly(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "programs", "*.py"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no programs in scenarios/programs (%v)", err)
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Load(filepath.Base(path), src)
		if err != nil {
			t.Fatal(err)
		}
		// Long enough to be added up past 16 iterations, short enough to
		// run in full.
		var set []string
		for _, c := range p.Consts() {
			if n, err := strconv.ParseInt(c.Default, 10, 64); c.Kind == "int" && err == nil && n > 40 {
				set = append(set, c.Name+"=40")
			}
		}
		for _, ver := range []string{"3.12", "3.9"} {
			sameCompile(t, filepath.Base(path), string(src), ver, 16, 0, set...)
		}
	}
	// Loops of more than 16 iterations added up, so that running them in
	// full stays short; or the budget lowered, so that short loops are
	// added up once half of it is spent.
	lock := readFile(t, "../programs/lock_contention.py")
	io := readFile(t, "../programs/io_bound.py")
	for _, ver := range []string{"3.12", "2.7"} {
		sameCompile(t, "lock_contention.py", lock, ver, 16, 0, "THREADS=3", "ITERATIONS=40", "CRITICAL=300")
		sameCompile(t, "lock_contention.py", lock, ver, 0, 3000, "THREADS=20", "ITERATIONS=20", "CRITICAL=100")
		sameCompile(t, "io_bound.py", io, ver, 16, 0, "THREADS=2", "OPS=40")
		sameCompile(t, "io_bound.py", io, ver, 0, 1500, "THREADS=40", "OPS=30")
	}
}

// TestTenThousandThreads: the built-in programs compile at their largest
// sizes within the budget (BenchmarkTenThousandThreads times them).
func TestTenThousandThreads(t *testing.T) {
	for _, c := range tenThousand {
		w, err := compile(t, c.file, readFile(t, "../programs/"+c.file), "3.12", c.set...)
		if err != nil {
			t.Fatalf("%s %v: %v", c.file, c.set, err)
		}
		if len(w.Threads) != 10_001 {
			t.Errorf("%s: %d threads", c.file, len(w.Threads))
		}
	}
}

var tenThousand = []struct {
	file string
	set  []string
}{
	{"lock_contention.py", []string{"THREADS=10000", "ITERATIONS=100"}},
	{"io_bound.py", []string{"THREADS=10000", "OPS=100"}},
}

// BenchmarkTenThousandThreads measures compiling lock_contention.py and
// io_bound.py with ten thousand threads (python.Load and Compile).
func BenchmarkTenThousandThreads(b *testing.B) {
	for _, c := range tenThousand {
		b.Run(strings.TrimSuffix(c.file, ".py"), func(b *testing.B) {
			p, err := Load(c.file, []byte(readFile(b, "../programs/"+c.file)))
			if err != nil {
				b.Fatal(err)
			}
			set := map[string]string{}
			for _, kv := range c.set {
				k, v, _ := strings.Cut(kv, "=")
				set[k] = v
			}
			for b.Loop() {
				if _, err := p.Compile(Options{Set: set}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
