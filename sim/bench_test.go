package sim

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// BenchmarkStep measures the engine's cost per event (ns/op is per event,
// allocs/op is allocations per event) on the cpu-bound workload with 4,
// 100, 1,000 and 10,000 threads, with the trace on and off. Thread starts
// cost nothing, so that every thread has started and waits from time
// zero; the timer starts once every one has. It reports events/s, the
// cost of a GIL handoff (ns/handoff: the time per event over the handoffs
// per event) and, with the trace off, the memory the simulation holds per
// thread once every thread runs (B/thread, heap in use after a
// collection). The simulation
// is built outside the timer and rebuilt whenever a run ends.
func BenchmarkStep(b *testing.B) {
	for _, n := range []int{4, 100, 1000, 10000} {
		for _, tr := range []bool{false, true} {
			name := fmt.Sprintf("cpu-bound/threads=%d/trace=%v", n, tr)
			b.Run(name, func(b *testing.B) {
				w := cpuWorkers(n, time.Second)
				c := config(ModelPy3, tr)
				c.ThreadStart = 0
				var before runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				start := func() *Sim {
					s, err := New(c, w)
					if err != nil {
						b.Fatal(err)
					}
					for s.ThreadsIn(StateNew) > 0 && s.Step() {
					}
					if s.ThreadsIn(StateNew) > 0 {
						b.Fatal("the run ended before every thread started")
					}
					return s
				}
				s := start()
				var after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&after)
				perThread := float64(after.HeapAlloc) - float64(before.HeapAlloc)
				perThread /= float64(n)
				var handoffs uint64
				from := s.procs[0].gil.handoffs
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if !s.Step() {
						b.StopTimer()
						handoffs += s.procs[0].gil.handoffs - from
						s = start()
						from = s.procs[0].gil.handoffs
						b.StartTimer()
					}
					if tr && s.TraceLen() > 1<<20 {
						b.StopTimer()
						s.DrainTrace(nil)
						b.StartTimer()
					}
				}
				b.StopTimer()
				handoffs += s.procs[0].gil.handoffs - from
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
				if handoffs > 0 {
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(handoffs), "ns/handoff")
				}
				if !tr {
					// With the trace on, the memory held is the trace's.
					b.ReportMetric(perThread, "B/thread")
				}
			})
		}
	}
}

// BenchmarkRunPy2 is a whole py2 run, the model with the most events per
// virtual second (a check every 1.6µs while a waiter waits).
func BenchmarkRunPy2(b *testing.B) {
	w := cpuWorkers(4, 20*time.Millisecond)
	c := config(ModelPy2, false)
	var events uint64
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s, err := New(c, w)
		if err != nil {
			b.Fatal(err)
		}
		s.Run()
		events += s.Events()
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkEvents measures the engine's cost per event (ns/event) as the
// number of threads that want a core grows, on cpu-bound workers that
// count down in 1ms stretches: under py3 (GIL waiters need no core), free-
// threaded (every thread wants a core) and with one process per worker
// (every process has its GIL, so again every worker wants one), on 4 and
// on 1024 cores. Thread and process starts cost nothing here, so that the
// warm-up reaches the steady state with every worker started at once; a
// run that ends is rebuilt outside the timer. ns/op is per event too.
func BenchmarkEvents(b *testing.B) {
	for _, mode := range []string{"py3", "free-threaded", "processes"} {
		for _, cores := range []int{4, 1024} {
			for _, n := range []int{4, 100, 1000, 10000} {
				b.Run(fmt.Sprintf("%s/cores=%d/threads=%d", mode, cores, n), func(b *testing.B) {
					benchEvents(b, mode, cores, n)
				})
			}
		}
	}
}

func benchEvents(b *testing.B, mode string, cores, n int) {
	c := config(ModelPy3, false)
	if mode == "free-threaded" {
		c.Model = ModelFreeThreaded
	}
	c.Cores = cores
	c.ThreadStart = 0
	c.ProcStartParent = [numStartMethods]time.Duration{}
	worker := Loop(5, 60_000, Python(6, time.Millisecond, 50*time.Nanosecond))
	var w Workload
	if mode == "processes" {
		w = processWorkers(n, worker)
	} else {
		code := make([]Code, n)
		for i := range code {
			code[i] = worker
		}
		w = workers(code...)
	}
	start := func() *Sim {
		s, err := New(c, w)
		if err != nil {
			b.Fatal(err)
		}
		// Warm up until every worker has started, and a little beyond.
		// Under py3 the main thread starts 4,096 workers in its first
		// event and then queues for the GIL behind them: that takes
		// millions of events, and the workers it has started are enough.
		for (s.threads[0].state != StateJoin && s.Events() < 50_000 || s.Events() < uint64(2*n+100)) && s.Step() {
		}
		return s
	}
	s := start()
	b.ReportAllocs()
	events := 0
	for b.Loop() {
		if !s.Step() {
			b.StopTimer()
			s = start()
			b.StartTimer()
		}
		events++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
}

// processWorkers builds a main process that starts one process per worker
// and joins them, as the cpu-bound scenario's processes variant does.
func processWorkers(n int, worker Code) Workload {
	w := Workload{File: "test.py", Procs: []ProcSpec{{Name: "MainProcess"}}}
	var main Code
	for i := 1; i <= n; i++ {
		main = Seq(main, ProcStart(1, i))
	}
	for i := 1; i <= n; i++ {
		main = Seq(main, ProcJoin(2, i))
	}
	w.Threads = append(w.Threads, ThreadSpec{Name: "MainThread", Func: "<module>", Code: main})
	for i := 1; i <= n; i++ {
		w.Procs = append(w.Procs, ProcSpec{Name: fmt.Sprintf("Process-%d", i), Start: StartFork})
		w.Threads = append(w.Threads, ThreadSpec{Name: "MainThread", Func: "worker", Proc: i, Code: worker})
	}
	return w
}

// BenchmarkHandoff measures the engine's cost per GIL handoff (ns/op is
// per handoff) with n CPU-bound threads all waiting at once under py3,
// only the timed waits that do something played (lazy) and, for
// comparison, every expiry (all). Thread starts cost nothing, so that
// every thread waits from time zero; events/handoff shows the expiries
// played: N+2 a handoff when all are.
func BenchmarkHandoff(b *testing.B) {
	for _, flat := range []bool{false, true} {
		for _, n := range []int{4, 60, 1000, 4000} {
			name := fmt.Sprintf("expiries=lazy/threads=%d", n)
			if flat {
				name = fmt.Sprintf("expiries=all/threads=%d", n)
			}
			b.Run(name, func(b *testing.B) {
				c := config(ModelPy3, false)
				c.ThreadStart = 0
				w := cpuWorkers(n, time.Hour)
				s, err := New(c, w)
				if err != nil {
					b.Fatal(err)
				}
				s.flatTimeouts = flat
				// Warm up until every thread has waited a whole interval.
				for s.Now() < Time(2*c.SwitchInterval) && s.Step() {
				}
				g := &s.procs[0].gil
				start, events := g.handoffs, s.Events()
				b.ResetTimer()
				for g.handoffs-start < uint64(b.N) {
					if !s.Step() {
						b.Fatal("the run ended")
					}
				}
				b.StopTimer()
				b.ReportMetric(float64(s.Events()-events)/float64(b.N), "events/handoff")
			})
		}
	}
}
