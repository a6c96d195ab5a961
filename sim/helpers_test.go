package sim

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// workers builds a main thread that starts every worker and joins them,
// as `for t in threads: t.start()` / `t.join()` do.
func workers(code ...Code) Workload {
	w := Workload{File: "test.py", Procs: []ProcSpec{{Name: "MainProcess"}}}
	var main Code
	for i := range code {
		main = Seq(main, Start(1, i+1))
	}
	for i := range code {
		main = Seq(main, Join(2, i+1))
	}
	w.Threads = append(w.Threads, ThreadSpec{Name: "MainThread", Func: "<module>", Code: main})
	for i, c := range code {
		w.Threads = append(w.Threads, ThreadSpec{Name: fmt.Sprintf("T%d", i+1), Func: "worker", Code: c})
	}
	return w
}

// cpuWorkers is n threads each running w of countdown.
func cpuWorkers(n int, w time.Duration) Workload {
	code := make([]Code, n)
	for i := range code {
		code[i] = Python(5, w, 50*time.Nanosecond)
	}
	return workers(code...)
}

// config returns the engine tests' configuration for model m with tr
// tracing: referenceConfig, which pins every knob the tests were written
// against, so that the default platform can change without moving them.
func config(m Model, tr bool) Config {
	c := referenceConfig()
	c.Model = m
	c.Trace = tr
	return c
}

// run simulates w under c to the end, checking the invariants after every
// step, and returns the finished simulation.
func run(t testing.TB, c Config, w Workload) *Sim {
	t.Helper()
	s, err := New(c, w)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var last Time
	for s.Step() {
		if err := s.CheckInvariants(last); err != nil {
			t.Fatalf("after event %d at %s: %v", s.Events(), s.Now(), err)
		}
		last = s.Now()
	}
	if err := s.CheckInvariants(last); err != nil {
		t.Fatalf("at the end: %v", err)
	}
	return s
}

// listing renders the trace and console of s as text.
func listing(s *Sim) string {
	var b strings.Builder
	for _, e := range s.Trace() {
		b.WriteString(s.FormatEvent(e))
		b.WriteByte('\n')
	}
	for _, l := range s.Snapshot().Console {
		fmt.Fprintf(&b, "console %s %s: %s\n", l.At, s.ThreadName(l.Thread), l.Text)
	}
	fmt.Fprintf(&b, "outcome %s at %s after %d events\n", s.Outcome(), s.Now(), s.Events())
	return b.String()
}

func within(got, want, tol float64) bool {
	return got >= want*(1-tol) && got <= want*(1+tol)
}

// referenceConfig is the machine the engine's tests describe: a 10µs
// wake-up, instant timed-wait expiry, the old GIL's 1.5µs and 700ns
// release costs, Python at the cost tables' own speed, exact selector
// timeouts. The published tables' profiles started from it.
func referenceConfig() Config {
	c := DefaultConfig()
	c.TimedWaitLatency, c.WakeLatency, c.RewakeLatency = 0, 10*time.Microsecond, 0
	c.SignalRemote, c.SignalLocal, c.SignalNone = 1500*time.Nanosecond, 700*time.Nanosecond, 700*time.Nanosecond
	c.PythonScale, c.ThreadStart, c.SelectorResolution = 1, 150*time.Microsecond, 0
	c.ProcStartParent = [numStartMethods]time.Duration{StartFork: 500 * time.Microsecond, StartSpawn: 2 * time.Millisecond, StartForkserver: time.Millisecond}
	c.ProcStartChild = [numStartMethods]time.Duration{StartFork: 2 * time.Millisecond, StartSpawn: 60 * time.Millisecond, StartForkserver: 15 * time.Millisecond}
	c.Pickle, c.Unpickle = 20*time.Microsecond, 20*time.Microsecond
	return c
}
