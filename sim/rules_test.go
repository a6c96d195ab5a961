package sim

import (
	"testing"
	"time"
)

// A holder that lets the GIL go for I/O while a drop request is pending
// waits in drop_gil until the requester has taken it (FORCE_SWITCHING),
// and only then starts its I/O.
func TestVoluntaryReleaseWaitsForTheSwitch(t *testing.T) {
	c := config(ModelPy3, true)
	c.WakeJitter, c.OpJitter = 0, 0
	// T1 holds the GIL in C code for 8ms (no check point can honour the
	// request T2 makes at 5ms), then does 1ms of I/O.
	w := workers(
		Seq(NativeHold(1, 8*time.Millisecond), IO(2, time.Millisecond, ReqNone), Python(3, 100*time.Microsecond, 50*time.Nanosecond)),
		Python(4, 10*time.Millisecond, 50*time.Nanosecond),
	)
	s := run(t, c, w)
	var release, t2takes, ioStart Time = -1, -1, -1
	for _, e := range s.Trace() {
		switch {
		case e.Kind == TraceRelease && e.Thread == 1 && e.Reason == ReasonIO && release < 0:
			release = e.At
		case e.Kind == TraceAcquire && e.Thread != 1 && t2takes < 0 && release >= 0:
			t2takes = e.At
		case e.Kind == TraceState && e.Thread == 1 && e.State == StateIO && ioStart < 0:
			ioStart = e.At
		}
	}
	if release < 0 || t2takes < 0 || ioStart < 0 {
		t.Fatalf("release %s, another takes %s, I/O starts %s: one is missing", release, t2takes, ioStart)
	}
	if n := s.Metrics().GIL.SwitchWaits; n != 1 {
		t.Errorf("%d switch waits counted, want 1", n)
	}
	// The switch takes the first waiter's wake-up; T1's own wake-up from
	// switch_cond follows before its I/O begins.
	if want := t2takes + Time(c.WakeLatency); ioStart != want || t2takes <= release {
		t.Errorf("T1 released at %s, another thread took the GIL at %s, T1's I/O began at %s; want %s (after the switch and T1's wake-up)",
			release, t2takes, ioStart, want)
	}
	// Without the pending request the I/O starts at the release.
	c.SwitchInterval = 50 * time.Millisecond
	s = run(t, c, w)
	for _, e := range s.Trace() {
		if e.Kind == TraceRelease && e.Thread == 1 && e.Reason == ReasonIO {
			release = e.At
		}
		if e.Kind == TraceState && e.Thread == 1 && e.State == StateIO {
			if e.At != release {
				t.Errorf("with no drop request pending, T1 released at %s and began its I/O at %s", release, e.At)
			}
			break
		}
	}
	if n := s.Metrics().GIL.SwitchWaits; n != 0 {
		t.Errorf("%d switch waits without a drop request, want 0", n)
	}
}

// The old GIL is created when a second thread starts: from then on every
// check releases and retakes it, waiters or not, at SignalNone a check. A
// program that never starts a thread pays nothing.
func TestPy2ChecksCostOnceThreaded(t *testing.T) {
	c := config(ModelPy2, false)
	c.OpJitter = 0
	const work = 20 * time.Millisecond
	alone := run(t, c, Workload{File: "test.py", Procs: []ProcSpec{{Name: "MainProcess"}},
		Threads: []ThreadSpec{{Name: "MainThread", Func: "<module>", Code: Python(1, work, 50*time.Nanosecond)}}})
	threaded := run(t, c, cpuWorkers(1, work))
	if got := alone.Metrics().Elapsed.Duration(); got != work {
		t.Errorf("the countdown in the main thread alone took %s, want %s", got, work)
	}
	period := float64(c.Tick) * float64(c.CheckInterval)
	want := 1 + float64(c.SignalNone)/period
	got := float64(threaded.Metrics().Elapsed) / float64(work)
	if !within(got, want, 0.02) {
		t.Errorf("one started thread ran %.3fx as long as the main thread alone, want %.3fx (SignalNone %s every %s)",
			got, want, c.SignalNone, time.Duration(period))
	}
	c.SignalNone = 0
	if got := cpuWorkers(1, work); run(t, c, got).Metrics().Elapsed.Duration() > work+time.Millisecond {
		t.Errorf("with SignalNone 0 a started thread still pays at its checks")
	}
}

// A py2 release pays SignalRemote only when it wakes a sleeping waiter
// while a core is idle; the others, with waiters already awake, pay
// SignalLocal.
func TestPy2RemoteCostOnlyWhenWakingASleeper(t *testing.T) {
	c := config(ModelPy2, true)
	c.SignalRemote, c.SignalNone, c.SignalLocal = 3*time.Microsecond, 0, 0
	s := run(t, c, cpuWorkers(2, 3*time.Millisecond))
	var woke uint64
	var lastRelease Reason
	for _, e := range s.Trace() {
		switch e.Kind {
		case TraceRelease:
			lastRelease = e.Reason
		case TraceSignal:
			if lastRelease == ReasonCheck {
				woke++
			}
		}
	}
	m := s.Metrics()
	if woke == 0 {
		t.Fatal("no check released the GIL to a sleeping waiter")
	}
	if want := time.Duration(woke) * c.SignalRemote; m.GIL.Py2Overhead.Duration() != want {
		t.Errorf("py2 overhead %s, want %s: %d checks woke a sleeper at %s each, the others cost nothing",
			m.GIL.Py2Overhead, want, woke, c.SignalRemote)
	}
}

// On one core a py2 waiter woken by a check runs on the releaser's core: if
// it is far enough behind in CPU time it preempts the releaser inside the
// release window and takes the GIL at that instant, so the threads take
// turns without failed wake-ups.
func TestPy2OneCoreWaiterTakesTheGILInTheWindow(t *testing.T) {
	c := config(ModelPy2, true)
	c.Cores = 1
	s := run(t, c, cpuWorkers(2, 20*time.Millisecond))
	var rel TraceEvent
	inWindow := 0
	for _, e := range s.Trace() {
		switch e.Kind {
		case TraceRelease:
			rel = e
		case TraceAcquire:
			if rel.Reason == ReasonCheck && e.Thread != rel.Thread && e.At == rel.At {
				inWindow++
			}
		}
	}
	m := s.Metrics()
	t.Logf("one core: %d handoffs at checks, %d of them inside the release window; %d failed wake-ups", m.GIL.ByReason[ReasonCheck], inWindow, m.GIL.FailedWakeups)
	if inWindow == 0 {
		t.Errorf("no waiter took the GIL inside a release window on one core (%d handoffs)", m.GIL.Handoffs)
	}
	// Without the preemption the woken waiter can only run once the
	// holder's quantum ends, with the GIL held: every wake-up fails.
	c.WakeupGranularity = time.Hour
	if n := run(t, c, cpuWorkers(2, 20*time.Millisecond)).Metrics().GIL.ByReason[ReasonCheck]; n >= m.GIL.ByReason[ReasonCheck] {
		t.Errorf("with wake-up preemption off, %d handoffs at checks; with it %d: it should be what lets them happen", n, m.GIL.ByReason[ReasonCheck])
	}
}

// The selector rounds a timer's timeout up to its resolution: a loop whose
// only task sleeps 300µs wakes after 1ms with epoll's milliseconds.
func TestSelectorRoundsTimeoutsUp(t *testing.T) {
	mk := func() Workload {
		w := Workload{File: "test.py", Procs: []ProcSpec{{Name: "MainProcess"}}}
		w.Threads = []ThreadSpec{{Name: "MainThread", Code: RunLoop(9, 0)}}
		w.Tasks = []TaskSpec{{Name: "Task-1", Coro: "main", Code: Seq(AwaitSleep(3, 300*time.Microsecond), Print(4, "done"))}}
		return w
	}
	at := func(res time.Duration) time.Duration {
		c := config(ModelPy3, true)
		c.SelectorResolution = res
		s := run(t, c, mk())
		for _, l := range s.Snapshot().Console {
			return l.At.Duration()
		}
		t.Fatal("the task printed nothing")
		return 0
	}
	exact, ms := at(0), at(time.Millisecond)
	if exact < 300*time.Microsecond || exact > 400*time.Microsecond {
		t.Errorf("with an exact selector the 300µs sleep ended at %s", exact)
	}
	if ms < time.Millisecond || ms > 1100*time.Microsecond {
		t.Errorf("with a 1ms selector the 300µs sleep ended at %s, want just after 1ms", ms)
	}
}

// Releasing a lock that a thread waits on costs the releaser WakeCost (the
// futex wake); a release nobody waits on costs nothing.
func TestLockReleaseThatWakesCostsWakeCost(t *testing.T) {
	const cost = 5 * time.Microsecond
	// T1 takes the lock, T2 blocks on it; T1 releases it and runs on.
	w := workers(
		Seq(Acquire(1, 0), Sleep(2, time.Millisecond), Release(3, 0), Print(4, "after")),
		Seq(Python(5, 100*time.Microsecond, 0), Acquire(6, 0), Release(7, 0)),
	)
	w.Locks = []string{"lock"}
	printed := func(wc time.Duration) Time {
		c := config(ModelPy3, true)
		c.OpJitter, c.WakeCost = 0, wc
		s := run(t, c, w)
		for _, l := range s.Snapshot().Console {
			return l.At
		}
		t.Fatal("T1 printed nothing")
		return 0
	}
	if d := printed(cost) - printed(0); d != Time(cost) {
		t.Errorf("waking the lock's waiter delayed the releaser by %s, want %s", d, cost)
	}
	// Nobody waits: the release is free.
	c := config(ModelPy3, true)
	c.WakeCost = cost
	solo := workers(Seq(Acquire(1, 0), Release(2, 0), Print(3, "after")))
	solo.Locks = []string{"lock"}
	s := run(t, c, solo)
	base := config(ModelPy3, true)
	if a, b := s.Snapshot().Console[0].At, run(t, base, solo).Snapshot().Console[0].At; a != b {
		t.Errorf("a release that woke nobody cost %s", a-b)
	}
}

// PythonScale stretches Python and its check points alike: a countdown
// takes twice as long at 2, and two threads still switch once an interval.
func TestPythonScale(t *testing.T) {
	for _, m := range []Model{ModelPy3, ModelPy2} {
		c := config(m, false)
		// The old GIL's release costs are the OS's, not Python's: off.
		c.OpJitter, c.SignalNone, c.SignalLocal, c.SignalRemote = 0, 0, 0, 0
		base := run(t, c, cpuWorkers(2, 20*time.Millisecond)).Metrics()
		c.PythonScale = 2
		slow := run(t, c, cpuWorkers(2, 20*time.Millisecond)).Metrics()
		if r := float64(slow.CPU) / float64(base.CPU); !within(r, 2, 0.05) {
			t.Errorf("%s: CPU %s at scale 1, %s at scale 2: ratio %.3f, want 2", m, base.CPU, slow.CPU, r)
		}
		if m == ModelPy3 && !within(float64(slow.GIL.Handoffs), 2*float64(base.GIL.Handoffs), 0.15) {
			t.Errorf("py3: %d handoffs at scale 1, %d at scale 2: twice the run should switch about twice as often", base.GIL.Handoffs, slow.GIL.Handoffs)
		}
	}
}

// A py2 waiter signalled again just after a failed wake-up wakes in
// RewakeLatency: shorter than the release window, it catches the GIL, and
// the threads take turns far more often than when every wake-up is a slow
// one that misses the window.
func TestPy2RewakeCatchesTheWindow(t *testing.T) {
	c := config(ModelPy2, true)
	c.Cores = 2
	c.WakeLatency, c.SignalRemote, c.SignalLocal = 50*time.Microsecond, 5*time.Microsecond, 500*time.Nanosecond
	slow := run(t, c, cpuWorkers(2, 20*time.Millisecond)).Metrics().GIL
	c.RewakeLatency = 2 * time.Microsecond
	fast := run(t, c, cpuWorkers(2, 20*time.Millisecond)).Metrics().GIL
	t.Logf("handoffs at checks: %d with slow wake-ups only, %d with 2µs re-wakes", slow.ByReason[ReasonCheck], fast.ByReason[ReasonCheck])
	if fast.ByReason[ReasonCheck] < 3*max(slow.ByReason[ReasonCheck], 1) {
		t.Errorf("re-wakes of 2µs gave %d handoffs at checks, slow wake-ups %d: want three times as many", fast.ByReason[ReasonCheck], slow.ByReason[ReasonCheck])
	}
}
