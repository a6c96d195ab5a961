package scenarios

import (
	"fmt"
	"strings"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// The article's central claims, made visible.

var useParam = Param{Name: "use", Kind: Choice, Default: "threads", Choices: []string{"threads", "processes"},
	Help: "run the workers as threads or as processes (each with its own GIL)"}

var cpuBound = &Scenario{
	ID:      "cpu-bound",
	Title:   "CPU-bound threads",
	Summary: "CPU-bound threads: no speedup under the GIL, speedup without it or with processes",
	Notice: "Under the GIL only one thread runs Python at a time: the others wait, " +
		"one switch interval at a time, and the run takes as long as doing the work in one thread. " +
		"Turn the GIL off (free-threaded) or use processes and the threads run side by side on the cores.",
	Params: []Param{
		{Name: "threads", Kind: Int, Default: "4", Min: 1, Max: 10000, Help: "number of worker threads (or processes)"},
		{Name: "work", Kind: Duration, Default: "50ms", Min: int64(time.Microsecond), Max: int64(time.Minute), Help: "CPU time of countdown each worker does"},
		useParam,
	},
	Processes: "processes",
	Pace:      Pace{Speed: 10 * time.Millisecond, Zoom: time.Millisecond},
	build:     buildCPUBound,
	figures: func(v Values, m sim.Metrics) []Figure {
		work := time.Duration(v.Int("threads")) * v.Duration("work")
		return []Figure{parallelism(work, m)}
	},
	verdict: cpuBoundVerdict,
	lessons: cpuBoundLessons,
}

// parallelism is how many cores' worth of the work ran at once on average.
func parallelism(work time.Duration, m sim.Metrics) Figure {
	p := 0.0
	if m.Elapsed > 0 {
		p = float64(work) / float64(m.Elapsed)
	}
	return Figure{Key: "parallelism", Label: "parallelism", Value: fmt.Sprintf("%.2fx", p), Number: p, Unit: UnitRatio}
}

func buildCPUBound(v Values) sim.Workload {
	n, work := v.Int("threads"), v.Duration("work")
	iters := int64(work / iteration)
	if v.UsesProcesses() {
		b := newBuilder(fmt.Sprintf(`
import multiprocessing

PROCESSES = %d
N = %s   # %s of countdown in each process

def countdown(n):
    while n > 0:
        n -= 1

if __name__ == "__main__":
    procs = [multiprocessing.Process(target=countdown, args=(N,))
             for _ in range(PROCESSES)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
`, n, thousands(iters), span(work)))
		main := b.thread("MainThread", "<module>", 0, nil)
		start, join := b.line("p.start()"), b.line("p.join()")
		code := make(sim.Code, 0, 1+2*n)
		code = append(code, sim.Python(b.line("procs = ["), time.Duration(n)*20*time.Microsecond, iteration)...)
		worker := countdownCode(b, work)
		b.grow(n)
		for i := 1; i <= n; i++ {
			p := b.proc(fmt.Sprintf("Process-%d", i), sim.StartFork)
			b.thread("MainThread", "countdown", p, worker)
			code = append(code, sim.ProcStart(start, p)...)
		}
		for p := 1; p <= n; p++ {
			code = append(code, sim.ProcJoin(join, p)...)
		}
		b.setCode(main, code)
		return b.workload()
	}
	b := newBuilder(fmt.Sprintf(`
import threading

THREADS = %d
N = %s   # %s of countdown in each thread

def countdown(n):
    while n > 0:
        n -= 1

threads = [threading.Thread(target=countdown, args=(N,))
           for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
`, n, thousands(iters), span(work)))
	main := b.thread("MainThread", "<module>", 0, nil)
	b.setCode(main, b.threadPool(n, "countdown", countdownCode(b, work)))
	return b.workload()
}

// countdownCode is countdown(n): a call, then a loop whose back-edge is a
// check point every iteration.
func countdownCode(b *builder, work time.Duration) sim.Code {
	return sim.Seq(sim.CheckPoint(b.line("def countdown")), sim.Python(b.line("n -= 1"), work, iteration))
}

var ioBound = &Scenario{
	ID:      "io-bound",
	Title:   "I/O-bound threads",
	Summary: "I/O-bound threads: their waits overlap even under the GIL",
	Notice: "A thread blocked on I/O releases the GIL, so the waits of all threads overlap: " +
		"four threads finish about four times sooner than one would, GIL or not. " +
		"The GIL only serialises the short bursts of Python between the waits.",
	Params: []Param{
		{Name: "threads", Kind: Int, Default: "4", Min: 1, Max: 10000, Help: "number of threads"},
		{Name: "ops", Kind: Int, Default: "10", Min: 1, Max: 100000, Help: "requests each thread makes"},
		{Name: "io", Kind: Duration, Default: "10ms", Min: int64(time.Microsecond), Max: int64(time.Minute), Help: "how long each request waits on the network"},
	},
	Pace:    Pace{Speed: 5 * time.Millisecond, Zoom: 500 * time.Microsecond},
	build:   buildIOBound,
	verdict: ioBoundVerdict,
	lessons: ioBoundLessons,
	figures: func(v Values, m sim.Metrics) []Figure {
		wait := time.Duration(v.Int("threads")*v.Int("ops")) * v.Duration("io")
		o := 0.0
		if m.Elapsed > 0 {
			o = float64(wait) / float64(m.Elapsed)
		}
		return append([]Figure{{Key: "io_overlap", Label: "I/O overlap", Value: fmt.Sprintf("%.2fx", o), Number: o, Unit: UnitRatio}},
			latencyFigures(m)...)
	},
}

func buildIOBound(v Values) sim.Workload {
	n, ops, io := v.Int("threads"), v.Int("ops"), v.Duration("io")
	b := newBuilder(fmt.Sprintf(`
import threading
import urllib.request

THREADS, OPS = %d, %d
URL = "http://example.com/"   # every request waits %s on the network

def fetch(n):
    for _ in range(n):
        with urllib.request.urlopen(URL) as r:   # blocks, GIL released
            body = r.read()
        words = len(body.split())                # a little Python

threads = [threading.Thread(target=fetch, args=(OPS,)) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
`, n, ops, span(io)))
	main := b.thread("MainThread", "<module>", 0, nil)
	worker := sim.Seq(
		sim.CheckPoint(b.line("def fetch")),
		sim.Loop(b.line("for _ in range(n)"), int64(ops),
			sim.Python(b.line("urlopen(URL)"), 30*time.Microsecond, 0),
			sim.IO(b.line("urlopen(URL)"), io, sim.ReqWhole),
			sim.Python(b.line("r.read()"), 20*time.Microsecond, 0),
			sim.Python(b.line("words = len"), 50*time.Microsecond, iteration),
		),
	)
	b.setCode(main, b.threadPool(n, "fetch", worker))
	return b.workload()
}

// latencyFigures reports request latency percentiles and throughput.
func latencyFigures(m sim.Metrics) []Figure {
	r := m.Requests
	if r.Count == 0 {
		return nil
	}
	return []Figure{
		{Key: "p50_latency", Label: "p50 latency", Value: r.P50.String(), Number: r.P50.Seconds(), Live: true, Unit: UnitSeconds},
		{Key: "p99_latency", Label: "p99 latency", Value: r.P99.String(), Number: r.P99.Seconds(), Live: true, Unit: UnitSeconds},
		{Key: "requests_per_second", Label: "requests/s", Value: commas(int64(r.PerSecond + 0.5)), Number: r.PerSecond, Live: true, Unit: UnitRate},
	}
}

var convoy = &Scenario{
	ID:      "convoy",
	Title:   "The convoy effect",
	Summary: "convoy effect: an I/O thread waits a switch interval for the GIL after every I/O call",
	Notice: "The echo server releases the GIL on every recv and send. When the call returns, the CPU-bound " +
		"thread holds the GIL, and the server must wait a whole switch interval before it may even ask for it: " +
		"a round trip of tens of microseconds takes an interval or more. Lower the switch interval and the " +
		"latency falls; add CPU threads and it grows; make the CPU workers processes and it disappears.",
	Params: []Param{
		{Name: "requests", Kind: Int, Default: "100", Min: 1, Max: 1000000, Help: "round trips the echo server serves"},
		{Name: "io", Kind: Duration, Default: "25µs", Min: int64(time.Microsecond), Max: int64(time.Minute), Help: "how long each recv waits for the client's next message"},
		{Name: "send", Kind: Duration, Default: "10µs", Min: int64(time.Microsecond), Max: int64(time.Second), Help: "how long each send blocks, handing the reply to the kernel"},
		{Name: "cpu_threads", Kind: Int, Default: "1", Min: 0, Max: 1000, Help: "CPU-bound threads (or processes) beside the server"},
		useParam,
	},
	Processes: "processes",
	Pace:      Pace{Speed: 20 * time.Millisecond, Zoom: time.Millisecond},
	build:     buildConvoy,
	figures:   func(v Values, m sim.Metrics) []Figure { return latencyFigures(m) },
	verdict:   convoyVerdict,
	lessons:   convoyLessons,
}

// buildConvoy builds an echo server beside CPU-bound workers. The workers
// are daemons that spin forever, as the background load of a server does:
// work sized to cover the requests would either run out before the last
// request, so that the convoy vanishes part-way, or outlast it, so that
// the run measures the countdown and not the server. Daemon threads and
// processes die when the server's main thread ends, as in CPython.
func buildConvoy(v Values) sim.Workload {
	n, reqs, io := v.Int("cpu_threads"), v.Int("requests"), v.Duration("io")
	procs := v.UsesProcesses()
	head := fmt.Sprintf(`
import socket
import threading

CPU_THREADS = %d
REQUESTS = %d

def spin():                   # CPU-bound and endless: a daemon thread
    n = 0
    while True:
        n += 1

for _ in range(CPU_THREADS):
    threading.Thread(target=spin, daemon=True).start()
`, n, reqs)
	serve := `
server = socket.create_server(("localhost", 25000))
conn, _ = server.accept()
# recv and send release the GIL while they block
for _ in range(REQUESTS):     # one client, one request at a time
    data = conn.recv(16)      # waits for the client's message
    reply = data.upper()      # a little Python
    conn.send(reply)          # short blocking I/O
`
	if procs {
		head = fmt.Sprintf(`
import multiprocessing
import socket

CPU_PROCESSES = %d
REQUESTS = %d

def spin():                   # CPU-bound and endless: a daemon process
    n = 0
    while True:
        n += 1

if __name__ == "__main__":
    for _ in range(CPU_PROCESSES):
        multiprocessing.Process(target=spin, daemon=True).start()
`, n, reqs)
		serve = strings.ReplaceAll(serve, "\n", "\n    ")
		serve = strings.TrimRight(serve, " ")
	}
	b := newBuilder(head + serve)
	main := b.thread("MainThread", "<module>", 0, nil)
	code := sim.Seq(startSpinners(b, n, procs),
		sim.Python(b.line("create_server"), 50*time.Microsecond, 0),
		sim.IO(b.line("server.accept()"), 200*time.Microsecond, sim.ReqNone),
		sim.Loop(b.line("for _ in range(REQUESTS)"), int64(reqs),
			sim.IO(b.line("conn.recv"), io, sim.ReqBegin),
			sim.Python(b.line("data.upper()"), statement, 0),
			sim.IO(b.line("conn.send"), v.Duration("send"), sim.ReqEnd),
		),
	)
	b.setCode(main, code)
	return b.workload()
}

var lockContention = &Scenario{
	ID:      "lock-contention",
	Title:   "Lock contention",
	Summary: "threads contending for one threading.Lock: waiters block with the GIL released",
	Notice: "A thread that finds the lock taken blocks and releases the GIL; when the owner releases the lock " +
		"one waiter is woken, takes the lock, and then queues for the GIL. Under the GIL a switch inside the " +
		"critical section is what makes the others find the lock taken; without the GIL the threads really " +
		"collide, and the lock serialises them.",
	Params: []Param{
		{Name: "threads", Kind: Int, Default: "4", Min: 1, Max: 10000, Help: "number of threads"},
		{Name: "iterations", Kind: Int, Default: "100", Min: 1, Max: 1000000, Help: "times each thread enters the critical section"},
		{Name: "critical", Kind: Duration, Default: "200µs", Min: int64(time.Microsecond), Max: int64(time.Second), Help: "Python run while holding the lock, per iteration"},
	},
	Pace:    Pace{Speed: 2 * time.Millisecond, Zoom: 100 * time.Microsecond},
	build:   buildLockContention,
	figures: func(v Values, m sim.Metrics) []Figure { return lockFigures(m) },
	verdict: lockVerdict,
	lessons: lockLessons,
}

// lockFigures counts the acquires that found a lock taken, and their share
// of all acquires.
func lockFigures(m sim.Metrics) []Figure {
	var acq, cont uint64
	for _, l := range m.Locks {
		acq += l.Acquires
		cont += l.Contended
	}
	share := 0.0
	if acq > 0 {
		share = float64(cont) / float64(acq)
	}
	return []Figure{
		{Key: "contended_acquires", Label: "contended acquires", Value: commas(int64(cont)), Number: float64(cont), Live: true},
		{Key: "contended_share", Label: "contended share", Value: fmt.Sprintf("%.0f%%", 100*share), Number: share, Live: true, Unit: UnitShare},
	}
}

// lockOutside is the work a lock-contention thread does between two
// critical sections.
const lockOutside = 20 * time.Microsecond

func buildLockContention(v Values) sim.Workload {
	n, iters, crit := v.Int("threads"), v.Int("iterations"), v.Duration("critical")
	b := newBuilder(fmt.Sprintf(`
import threading

THREADS, ITERATIONS = %d, %d
lock = threading.Lock()
table = {}

def work(me):
    for i in range(ITERATIONS):
        with lock:                  # one thread at a time
            rebuild(table, me, i)   # %s of Python
        note = f"{me}:{i}"          # %s outside the lock

def rebuild(table, me, i):
    for k in range(2_000):
        table[k] = (me, i)

threads = [threading.Thread(target=work, args=(n,))
           for n in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
`, n, iters, span(crit), span(lockOutside)))
	l := b.lock("lock")
	main := b.thread("MainThread", "<module>", 0, nil)
	worker := sim.Seq(
		sim.CheckPoint(b.line("def work")),
		sim.Loop(b.line("for i in range(ITERATIONS)"), int64(iters),
			sim.Acquire(b.line("with lock:"), l),
			sim.CheckPoint(b.line("def rebuild")),
			sim.Python(b.line("table[k] = (me, i)"), crit, iteration),
			sim.Release(b.line("with lock:"), l),
			sim.Python(b.line("note = "), lockOutside, 0),
		),
	)
	b.setCode(main, b.threadPool(n, "work", worker))
	return b.workload()
}

var counterRace = &Scenario{
	ID:      "counter-race",
	Title:   "A counter without a lock",
	Summary: "counter += 1 from several threads: the GIL does not make it atomic",
	Notice: "counter += 1 is a load, an add and a store. An update is lost when another thread stores in " +
		"between. Since CPython 3.10 the GIL can only change hands at a loop's back-edge here, so under py3 " +
		"this loop happens to lose nothing; the old GIL (py2) could switch between the load and the store, " +
		"and without the GIL the threads overlap and lose updates all the time. Set lock=true and none is lost.",
	Params: []Param{
		{Name: "threads", Kind: Int, Default: "4", Min: 1, Max: 1000, Help: "number of threads"},
		{Name: "increments", Kind: Int, Default: "200000", Min: 1, Max: 100000000, Help: "times each thread does counter += 1"},
		{Name: "lock", Kind: Bool, Default: "false", Help: "hold a threading.Lock around each increment"},
	},
	Pace:    Pace{Speed: 2 * time.Millisecond, Zoom: 200 * time.Microsecond},
	build:   buildCounterRace,
	verdict: counterRaceVerdict,
	lessons: counterRaceLessons,
	figures: func(v Values, m sim.Metrics) []Figure {
		if len(m.Vars) == 0 {
			return nil
		}
		c := m.Vars[0]
		expected := c.Init + int64(v.Int("threads"))*int64(v.Int("increments"))
		return []Figure{
			{Key: "final_counter", Label: "final counter", Value: commas(int64(c.Final)), Number: float64(c.Final)},
			{Key: "expected_counter", Label: "expected", Value: commas(int64(expected)), Number: float64(expected)},
			{Key: "lost_updates", Label: "lost updates", Value: commas(int64(c.LostUpdates)), Number: float64(c.LostUpdates), Live: true},
		}
	},
}

func buildCounterRace(v Values) sim.Workload {
	n, incs, locked := v.Int("threads"), v.Int("increments"), v.Bool("lock")
	setup, body := "", `
def work():
    global counter
    for _ in range(INCREMENTS):
        counter += 1             # load, add, store: not atomic
`
	if locked {
		setup = "lock = threading.Lock()\n"
		body = `
def work():
    global counter
    for _ in range(INCREMENTS):
        with lock:
            counter += 1         # load, add, store, one thread at a time
`
	}
	b := newBuilder(fmt.Sprintf(`
import threading

THREADS, INCREMENTS = %d, %s
counter = 0
%s%s
threads = [threading.Thread(target=work) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("counter =", counter, "expected", THREADS * INCREMENTS)
`, n, thousands(int64(incs)), setup, body))
	c := b.variable("counter", 0)
	inc := b.line("counter += 1")
	// CPython 3.10 and later consult the eval breaker at the back-edge
	// only: nothing between the load and the store is a check point.
	step := sim.Seq(sim.Load(inc, c), sim.Python(inc, bytecode, 0), sim.Store(inc, c, 1))
	if locked {
		l := b.lock("lock")
		step = sim.Seq(sim.Acquire(b.line("with lock:"), l), step, sim.Release(b.line("with lock:"), l))
	}
	worker := sim.Seq(
		sim.CheckPoint(b.line("def work")),
		sim.Loop(b.line("for _ in range(INCREMENTS)"), int64(incs),
			sim.Python(b.line("for _ in range(INCREMENTS)"), bytecode, 0),
			step,
		),
	)
	main := b.thread("MainThread", "<module>", 0, nil)
	last := b.line(`print("counter =`)
	b.setCode(main, sim.Seq(b.threadPool(n, "work", worker), sim.Load(last, c), sim.Print(last, fmt.Sprintf("counter = {} expected %d", n*incs))))
	return b.workload()
}

var echoClient = &Scenario{
	ID:      "echo-client",
	Title:   "An echo client beside a CPU-bound thread",
	Summary: "the convoy from the client's side: each round trip to an echo process waits for the GIL",
	Notice: "The client sends a message and waits for the echo, which another process sends back after a delay " +
		"counted from the send, as a socketpair benchmark measures. With a CPU-bound thread beside it, the client " +
		"queues for the GIL after its send and again after its recv: a round trip of tens of microseconds takes " +
		"switch intervals. Make the CPU worker a process, or drop the GIL, and the round trip is the echo's delay.",
	Params: []Param{
		{Name: "requests", Kind: Int, Default: "100", Min: 1, Max: 1000000, Help: "round trips the client makes, one at a time"},
		{Name: "delay", Kind: Duration, Default: "50µs", Min: int64(time.Microsecond), Max: int64(time.Minute), Help: "how long after the send the echo's reply arrives"},
		{Name: "send", Kind: Duration, Default: "10µs", Min: int64(time.Microsecond), Max: int64(time.Second), Help: "how long each send blocks"},
		{Name: "cpu_threads", Kind: Int, Default: "1", Min: 0, Max: 1000, Help: "CPU-bound threads (or processes) beside the client"},
		useParam,
	},
	Processes: "processes",
	Pace:      Pace{Speed: 20 * time.Millisecond, Zoom: time.Millisecond},
	build:     buildEchoClient,
	figures:   func(v Values, m sim.Metrics) []Figure { return latencyFigures(m) },
	verdict:   convoyVerdict,
	lessons:   []*Lesson{dropRequestLesson, forcedSwitchLesson, failedWakeLesson},
}

// echoRecvMin is what a recv whose reply has already arrived costs: the
// syscall alone.
const echoRecvMin = time.Microsecond

// buildEchoClient builds a client making round trips to an echo in
// another process beside CPU-bound daemon workers (see buildConvoy for
// why they spin forever). The echo is the network's: it answers delay
// after each send began, and the client's recv waits for what is left.
func buildEchoClient(v Values) sim.Workload {
	n, reqs, delay, send := v.Int("cpu_threads"), v.Int("requests"), v.Duration("delay"), v.Duration("send")
	procs := v.UsesProcesses()
	kind, spawn := "threads", "threading.Thread(target=spin, daemon=True).start()"
	imports := "import socket\nimport threading\n"
	if procs {
		kind, spawn = "processes", "multiprocessing.Process(target=spin, daemon=True).start()"
		imports = "import multiprocessing\nimport socket\n"
	}
	src := fmt.Sprintf(`
%s
CPU_WORKERS = %d               # CPU-bound %s beside the client
REQUESTS = %d

def spin():                   # CPU-bound and endless: a daemon
    n = 0
    while True:
        n += 1

def main():
    for _ in range(CPU_WORKERS):
        %s
    # an echo server in another process answers each message
    sock = socket.create_connection(("localhost", 25000))
    for _ in range(REQUESTS):     # one round trip at a time
        sock.send(b"ping")        # short blocking I/O
        data = sock.recv(16)      # waits for the echo

if __name__ == "__main__":
    main()
`, imports, n, kind, reqs, spawn)
	b := newBuilder(src)
	main := b.thread("MainThread", "<module>", 0, nil)
	code := sim.Seq(sim.CheckPoint(b.line("def main")), startSpinners(b, n, procs),
		sim.IO(b.line("create_connection"), 200*time.Microsecond, sim.ReqNone),
		sim.Loop(b.line("for _ in range(REQUESTS)"), int64(reqs),
			sim.IO(b.line("sock.send"), send, sim.ReqBegin),
			sim.IO(b.line("sock.recv"), max(delay-send, echoRecvMin), sim.ReqEnd),
		),
	)
	b.setCode(main, code)
	return b.workload()
}

// startSpinners adds n daemons, threads or processes, that run the
// source's endless spin() (def spin, n = 0, while True, n += 1), and
// returns the main thread's code that starts them at ".start()".
func startSpinners(b *builder, n int, procs bool) sim.Code {
	spin := sim.Seq(
		sim.CheckPoint(b.line("def spin")),
		sim.Python(b.line("n = 0"), bytecode, 0),
		// Chunks of a millisecond keep the event count low; the check
		// points inside each chunk are still every iteration.
		sim.Loop(b.line("while True"), -1, sim.Python(b.line("n += 1"), time.Millisecond, iteration)),
	)
	start := b.line(".start()")
	code := make(sim.Code, 0, 2*n)
	b.grow(n)
	for i := 1; i <= n; i++ {
		if procs {
			p := b.daemonProc(fmt.Sprintf("Process-%d", i), sim.StartFork)
			b.thread("MainThread", "spin", p, spin)
			code = append(code, sim.ProcStart(start, p)...)
		} else {
			t := b.daemonThread(fmt.Sprintf("Thread-%d", i), "spin", 0, spin)
			code = append(code, sim.Python(start, 10*time.Microsecond, 0)...)
			code = append(code, sim.Start(start, t)...)
		}
	}
	return code
}
