package scenarios

import (
	"fmt"
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
	build:     buildCPUBound,
	figures: func(v Values, m sim.Metrics) []Figure {
		work := time.Duration(v.Int("threads")) * v.Duration("work")
		return []Figure{parallelism(work, m)}
	},
}

// parallelism is how many cores' worth of the work ran at once on average.
func parallelism(work time.Duration, m sim.Metrics) Figure {
	p := 0.0
	if m.Elapsed > 0 {
		p = float64(work) / float64(m.Elapsed)
	}
	return Figure{Key: "parallelism", Label: "parallelism", Value: fmt.Sprintf("%.2fx", p), Number: p}
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
		code := sim.Python(b.line("procs = ["), time.Duration(n)*20*time.Microsecond, iteration)
		var joins sim.Code
		for i := 1; i <= n; i++ {
			p := b.proc(fmt.Sprintf("Process-%d", i), sim.StartFork)
			b.thread("MainThread", "countdown", p, countdownCode(b, work))
			code = sim.Seq(code, sim.ProcStart(b.line("p.start()"), p))
			joins = sim.Seq(joins, sim.ProcJoin(b.line("p.join()"), p))
		}
		b.setCode(main, sim.Seq(code, joins))
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
	code := sim.Python(b.line("threads = ["), time.Duration(n)*10*time.Microsecond, iteration)
	var joins sim.Code
	for i := 1; i <= n; i++ {
		t := b.thread(fmt.Sprintf("Thread-%d", i), "countdown", 0, countdownCode(b, work))
		code = sim.Seq(code, sim.Start(b.line("t.start()"), t))
		joins = sim.Seq(joins, sim.Join(b.line("t.join()"), t))
	}
	b.setCode(main, sim.Seq(code, joins))
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
	build: buildIOBound,
	figures: func(v Values, m sim.Metrics) []Figure {
		wait := time.Duration(v.Int("threads")*v.Int("ops")) * v.Duration("io")
		o := 0.0
		if m.Elapsed > 0 {
			o = float64(wait) / float64(m.Elapsed)
		}
		return append([]Figure{{Key: "io_overlap", Label: "I/O overlap", Value: fmt.Sprintf("%.2fx", o), Number: o}},
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
	code := sim.Python(b.line("threads = ["), time.Duration(n)*10*time.Microsecond, iteration)
	var joins sim.Code
	for i := 1; i <= n; i++ {
		worker := sim.Seq(
			sim.CheckPoint(b.line("def fetch")),
			sim.Loop(b.line("for _ in range(n)"), int64(ops),
				sim.Python(b.line("urlopen(URL)"), 30*time.Microsecond, 0),
				sim.IO(b.line("urlopen(URL)"), io, sim.ReqWhole),
				sim.Python(b.line("r.read()"), 20*time.Microsecond, 0),
				sim.Python(b.line("words = len"), 50*time.Microsecond, iteration),
			),
		)
		t := b.thread(fmt.Sprintf("Thread-%d", i), "fetch", 0, worker)
		code = sim.Seq(code, sim.Start(b.line("t.start()"), t))
		joins = sim.Seq(joins, sim.Join(b.line("t.join()"), t))
	}
	b.setCode(main, sim.Seq(code, joins))
	return b.workload()
}

// latencyFigures reports request latency percentiles and throughput.
func latencyFigures(m sim.Metrics) []Figure {
	r := m.Requests
	if r.Count == 0 {
		return nil
	}
	return []Figure{
		{Key: "p50_latency", Label: "p50 latency", Value: r.P50.String(), Number: r.P50.Seconds()},
		{Key: "p99_latency", Label: "p99 latency", Value: r.P99.String(), Number: r.P99.Seconds()},
		{Key: "requests_per_second", Label: "requests/s", Value: fmt.Sprintf("%.0f", r.PerSecond), Number: r.PerSecond},
	}
}
