package sim

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNewRejectsBadInput(t *testing.T) {
	good := cpuWorkers(1, time.Millisecond)
	cfgs := map[string]func(*Config){
		"zero cores":        func(c *Config) { c.Cores = 0 },
		"negative cores":    func(c *Config) { c.Cores = -3 },
		"tiny interval":     func(c *Config) { c.SwitchInterval = time.Nanosecond },
		"unknown model":     func(c *Config) { c.Model = 9 },
		"negative latency":  func(c *Config) { c.WakeLatency = -1 },
		"jitter above one":  func(c *Config) { c.WakeJitter = 2 },
		"zero check ticks":  func(c *Config) { c.CheckInterval = 0 },
		"zero quantum":      func(c *Config) { c.Quantum = 0 },
		"negative tax":      func(c *Config) { c.FreeThreadTax = -0.1 },
		"negative time cap": func(c *Config) { c.MaxTime = -1 },
	}
	for name, mod := range cfgs {
		c := referenceConfig()
		mod(&c)
		if _, err := New(c, good); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: got %v, want ErrConfig", name, err)
		}
	}
	loads := map[string]Workload{
		"no processes":        {Threads: []ThreadSpec{{Name: "m"}}},
		"no threads":          {Procs: []ProcSpec{{Name: "p"}}},
		"unknown thread":      workers(Join(1, 7)),
		"unknown lock":        workers(Acquire(1, 0)),
		"unknown var":         workers(Load(1, 2)),
		"unclosed loop":       workers(Code{{Kind: OpLoop, N: 3}, {Kind: OpPython, Dur: 1}}),
		"stray end":           workers(Code{{Kind: OpEnd}}),
		"timeless loop":       workers(Loop(1, 5, Print(1, "x"))),
		"break outside loop":  workers(BreakIfNone(1)),
		"await outside task":  workers(AwaitSleep(1, time.Millisecond)),
		"negative duration":   workers(Python(1, -time.Second, 0)),
		"process without one": {Procs: []ProcSpec{{Name: "a"}, {Name: "b"}}, Threads: []ThreadSpec{{Name: "m"}}},
	}
	for name, w := range loads {
		if _, err := New(referenceConfig(), w); !errors.Is(err, ErrWorkload) {
			t.Errorf("%s: got %v, want ErrWorkload", name, err)
		}
	}
}

// A lone CPU thread is never asked to drop the GIL, and signals nobody.
// (The old GIL's checks still release and retake it: TestPy2ChecksCostOnceThreaded.)
func TestSingleThreadNeverDropsTheGIL(t *testing.T) {
	for _, m := range []Model{ModelPy3, ModelPy2} {
		s := run(t, config(m, false), cpuWorkers(1, 40*time.Millisecond))
		g := s.Metrics().GIL
		if g.DropRequests != 0 || g.ForcedSwitches != 0 || g.FailedWakeups != 0 || g.Signals != 0 || m == ModelPy3 && g.Py2Overhead != 0 {
			t.Errorf("%s: a lone CPU thread was asked to drop the GIL: %+v", m, g)
		}
	}
}

// The first drop request comes exactly one interval after a waiter began
// waiting, and the holder drops at its next check point.
func TestDropRequestAfterOneInterval(t *testing.T) {
	for _, iv := range []time.Duration{time.Millisecond, 5 * time.Millisecond} {
		c := config(ModelPy3, true)
		c.SwitchInterval = iv
		s := run(t, c, cpuWorkers(2, 30*time.Millisecond))
		var waitStart, drop, forced Time = -1, -1, -1
		for _, e := range s.Trace() {
			switch {
			case e.Kind == TraceState && e.State == StateWaitGIL && e.Thread == 2 && waitStart < 0:
				waitStart = e.At
			case e.Kind == TraceDropRequest && drop < 0 && waitStart >= 0:
				drop = e.At
			case e.Kind == TraceForcedSwitch && forced < 0 && drop >= 0:
				forced = e.At
			}
		}
		if waitStart < 0 || drop < 0 || forced < 0 {
			t.Fatalf("interval %s: wait %s, drop request %s, forced switch %s: one is missing", iv, waitStart, drop, forced)
		}
		if got := drop - waitStart; got != Time(iv) {
			t.Errorf("interval %s: the drop request came %s after the wait began", iv, got)
		}
		if got := forced - drop; got < 0 || got > 50 {
			t.Errorf("interval %s: the holder took %s to reach a check point 50ns apart", iv, got)
		}
	}
}

// C code that holds the GIL has no check point: the drop request waits for it.
func TestNoCheckPointNoSwitch(t *testing.T) {
	w := workers(NativeHold(3, 20*time.Millisecond), Python(4, 10*time.Millisecond, 50))
	s := run(t, config(ModelPy3, true), w)
	var firstHandoff Time = -1
	for _, e := range s.Trace() {
		if e.Kind == TraceAcquire && e.Peer == 1 {
			firstHandoff = e.At
			break
		}
	}
	end := Time(referenceConfig().ThreadStart) + 20*Time(time.Millisecond)
	if firstHandoff < end {
		t.Errorf("T1 was made to drop the GIL at %s, inside its uninterruptible 20ms C call ending at %s", firstHandoff, end)
	}
	if s.Metrics().GIL.DropRequests == 0 {
		t.Errorf("the waiter never asked for the GIL")
	}
}

// A thread whose blocking call returns before the signalled waiter wakes
// takes the GIL straight back: the waiter's wake-up fails.
func TestReleaserWinsRace(t *testing.T) {
	c := config(ModelPy3, false)
	c.WakeJitter = 0
	io := Seq(Loop(3, 200, Python(3, 10*time.Microsecond, 0), IO(3, time.Microsecond, ReqNone)))
	s := run(t, c, workers(io, Python(4, 50*time.Millisecond, 50)))
	if got := s.Metrics().GIL.FailedWakeups; got == 0 {
		t.Errorf("no failed wake-ups: the I/O thread should beat the woken waiter to the GIL")
	}
}

func TestFreeThreadedRunsInParallel(t *testing.T) {
	one := run(t, config(ModelFreeThreaded, false), cpuWorkers(1, 40*time.Millisecond)).Metrics()
	four := run(t, config(ModelFreeThreaded, false), cpuWorkers(4, 10*time.Millisecond)).Metrics()
	if four.GIL.Handoffs != 0 || four.GIL.MaxWaiters != 0 {
		t.Errorf("free-threaded had GIL traffic: %+v", four.GIL)
	}
	if r := float64(one.Elapsed) / float64(four.Elapsed); !within(r, 4, 0.1) {
		t.Errorf("4 threads on 4 cores ran %.2fx faster than 1, want about 4x", r)
	}
	want := 40 * time.Millisecond
	if got := one.Threads[1].CPU.Duration(); !within(float64(got), float64(want)*1.10, 0.01) {
		t.Errorf("one free-threaded thread used %s of CPU for 40ms of Python, want the 10%% tax on top", got)
	}
}

func TestOSTimeSlicesShareCores(t *testing.T) {
	c := config(ModelFreeThreaded, false)
	c.Cores = 2
	c.FreeThreadTax = 0
	m := run(t, c, cpuWorkers(6, 30*time.Millisecond)).Metrics()
	if want := 90 * time.Millisecond; !within(float64(m.Elapsed), float64(want), 0.05) {
		t.Errorf("6 × 30ms on 2 cores took %s, want about %s", m.Elapsed, want)
	}
	for _, th := range m.Threads[1:] {
		if th.NoCore == 0 {
			t.Errorf("%s never waited for a core", th.Name)
		}
	}
}

func TestLockWaitReleasesGIL(t *testing.T) {
	holder := Seq(Acquire(1, 0), Sleep(2, 10*time.Millisecond), Release(3, 0))
	waiter := Seq(Python(4, time.Millisecond, 50), Acquire(5, 0), Python(6, time.Millisecond, 50), Release(7, 0))
	w := workers(holder, waiter)
	w.Locks = []string{"lock"}
	s := run(t, config(ModelPy3, true), w)
	m := s.Metrics()
	if m.Outcome != OutcomeCompleted {
		t.Fatalf("outcome %s", m.Outcome)
	}
	if m.Locks[0].Contended != 1 || m.Threads[2].States[StateWaitLock] == 0 {
		t.Errorf("the waiter never waited for the lock: %+v", m.Locks[0])
	}
	var sawLockRelease bool
	for _, e := range s.Trace() {
		if e.Kind == TraceRelease && e.Reason == ReasonLock && e.Thread == 2 {
			sawLockRelease = true
		}
	}
	if !sawLockRelease {
		t.Errorf("the waiter did not release the GIL to wait for the lock")
	}
}

func TestDeadlockReportsEveryBlockedThread(t *testing.T) {
	a := Seq(Acquire(1, 0), Sleep(2, time.Millisecond), Acquire(3, 1))
	b := Seq(Acquire(4, 1), Sleep(5, time.Millisecond), Acquire(6, 0))
	w := workers(a, b)
	w.Locks = []string{"lock_a", "lock_b"}
	s := run(t, config(ModelPy3, false), w)
	m := s.Metrics()
	if m.Outcome != OutcomeDeadlock {
		t.Fatalf("outcome %s, want deadlock", m.Outcome)
	}
	got := map[string]string{}
	for _, b := range m.Blocked {
		got[b.Name] = b.WaitsFor
	}
	want := map[string]string{
		"T1":         "lock_b, held by T2",
		"T2":         "lock_a, held by T1",
		"MainThread": "T1 to finish",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s waits for %q, want %q", name, got[name], w)
		}
	}
}

func TestSelfDeadlockOnPlainLock(t *testing.T) {
	w := workers(Seq(Acquire(1, 0), Acquire(2, 0)))
	w.Locks = []string{"lock"}
	m := run(t, config(ModelFreeThreaded, false), w).Metrics()
	if m.Outcome != OutcomeDeadlock || len(m.Blocked) != 2 {
		t.Errorf("re-acquiring a threading.Lock: outcome %s, blocked %+v", m.Outcome, m.Blocked)
	}
}

func TestCounterRaceLosesUpdatesOnlyWhereItShould(t *testing.T) {
	inc := func(lock bool) Code {
		body := Seq(Python(3, 20*time.Nanosecond, 0), Load(4, 0), Python(4, 20*time.Nanosecond, 0), Store(4, 0, 1))
		if lock {
			body = Seq(Acquire(4, 0), body, Release(4, 0))
		}
		return Loop(3, 20000, body)
	}
	for _, tc := range []struct {
		model Model
		lock  bool
		lossy bool
	}{
		{ModelPy3, false, false},
		{ModelPy2, false, true},
		{ModelFreeThreaded, false, true},
		{ModelFreeThreaded, true, false},
		{ModelPy3, true, false},
	} {
		w := workers(inc(tc.lock), inc(tc.lock), inc(tc.lock), inc(tc.lock))
		w.Vars = []VarSpec{{Name: "counter"}}
		w.Locks = []string{"lock"}
		m := run(t, config(tc.model, false), w).Metrics()
		v := m.Vars[0]
		if lost := 4*20000 - v.Final; lost != v.LostUpdates {
			t.Errorf("%s lock=%v: final %d means %d lost, the engine counted %d", tc.model, tc.lock, v.Final, lost, v.LostUpdates)
		}
		if (v.LostUpdates > 0) != tc.lossy {
			t.Errorf("%s lock=%v: %d updates lost, want lossy=%v", tc.model, tc.lock, v.LostUpdates, tc.lossy)
		}
	}
}

func TestQueues(t *testing.T) {
	producer := Seq(Loop(1, 5, PutIndex(2, 0, 0), Python(2, time.Microsecond, 0)), PutNone(3, 0))
	consumer := Loop(4, -1, Get(5, 0), BreakIfNone(6), Print(7, "got {}"), Python(8, time.Millisecond, 0), TaskDone(9, 0))
	w := workers(producer, consumer)
	w.Queues = []QueueSpec{{Name: "q", Kind: QueueThread}}
	s := run(t, config(ModelPy3, false), w)
	m := s.Metrics()
	if m.Outcome != OutcomeCompleted || m.Queues[0].Gets != 6 || m.Queues[0].HighWater < 2 {
		t.Fatalf("outcome %s, queue %+v", m.Outcome, m.Queues[0])
	}
	var got []string
	for _, l := range s.Snapshot().Console {
		got = append(got, l.Text)
	}
	if strings.Join(got, ",") != "got 0,got 1,got 2,got 3,got 4" {
		t.Errorf("consumer printed %q", got)
	}

	// A plain multiprocessing.Queue has no task_done.
	w.Queues[0].Kind = QueueProcess
	s = run(t, config(ModelPy3, false), w)
	var last string
	for _, l := range s.Snapshot().Console {
		last = l.Text
	}
	if last != "AttributeError: 'Queue' object has no attribute 'task_done'" {
		t.Errorf("last console line %q", last)
	}
}

func TestProcessesHaveTheirOwnGIL(t *testing.T) {
	w := Workload{Procs: []ProcSpec{{Name: "MainProcess"}, {Name: "Process-1", Start: StartSpawn}, {Name: "Process-2", Start: StartSpawn}}}
	w.Threads = []ThreadSpec{
		{Name: "MainThread", Code: Seq(ProcStart(1, 1), ProcStart(1, 2), ProcJoin(2, 1), ProcJoin(2, 2))},
		{Name: "MainThread", Proc: 1, Code: Python(3, 40*time.Millisecond, 50)},
		{Name: "MainThread", Proc: 2, Code: Python(3, 40*time.Millisecond, 50)},
	}
	m := run(t, config(ModelPy3, false), w).Metrics()
	c := referenceConfig()
	boot := c.ProcStartParent[StartSpawn]*2 + c.ProcStartChild[StartSpawn]
	if want := boot + 40*time.Millisecond; !within(float64(m.Elapsed), float64(want), 0.05) {
		t.Errorf("two CPU-bound processes took %s, want about %s: they should not share a GIL", m.Elapsed, want)
	}
	if boot := m.Procs[1].Ready - m.Procs[1].Start; m.GIL.Handoffs != 0 || boot < Time(c.ProcStartChild[StartSpawn]) || boot > Time(c.ProcStartChild[StartSpawn]+c.OpJitter) {
		t.Errorf("unexpected: handoffs %d, process 1 %+v", m.GIL.Handoffs, m.Procs[1])
	}
}

func TestEventLoop(t *testing.T) {
	mk := func(blocking bool) Workload {
		wait := AwaitSleep(3, 100*time.Millisecond)
		if blocking {
			wait = Sleep(3, 100*time.Millisecond)
		}
		w := Workload{File: "test.py", Procs: []ProcSpec{{Name: "MainProcess"}}}
		w.Threads = []ThreadSpec{{Name: "MainThread", Code: RunLoop(9, 0)}}
		w.Tasks = []TaskSpec{
			{Name: "Task-1", Coro: "main", Code: Gather(7, 1, 3)},
			{Name: "Task-2", Coro: "worker", Code: Seq(wait, Print(4, "done"))},
			{Name: "Task-3", Coro: "worker", Code: Seq(wait, Print(4, "done"))},
			{Name: "Task-4", Coro: "worker", Code: Seq(wait, Print(4, "done"))},
		}
		return w
	}
	async := run(t, config(ModelPy3, false), mk(false))
	blocking := run(t, config(ModelPy3, false), mk(true))
	if e := async.Metrics().Elapsed.Duration(); e < 100*time.Millisecond || e > 102*time.Millisecond {
		t.Errorf("three awaited 100ms sleeps took %s, want about 100ms", e)
	}
	if e := blocking.Metrics().Elapsed.Duration(); e < 300*time.Millisecond || e > 303*time.Millisecond {
		t.Errorf("three blocking 100ms sleeps took %s, want about 300ms", e)
	}
	if n := blocking.Metrics().SlowCallbacks; n != 3 {
		t.Errorf("%d slow callbacks reported, want 3", n)
	}
	// The step ran to the end of the coroutine, so the task is finished
	// when the loop logs it, after the step's own output.
	want := "Executing <Task finished name='Task-2' coro=<worker() done, defined at test.py:3> result=None> took 0.10"
	if got := blocking.Snapshot().Console[1].Text; !strings.HasPrefix(got, want) {
		t.Errorf("slow callback reported as %q, want %q...", got, want)
	}
}

// A thread coming back from I/O preempts a CPU hog instead of waiting for
// its quantum, as CFS's wake-up preemption does; CPU hogs among themselves
// take turns by the quantum.
func TestWakeupPreemption(t *testing.T) {
	c := config(ModelFreeThreaded, true)
	c.Cores = 2
	io := Loop(1, 20, IO(1, 100*time.Microsecond, ReqWhole), Python(2, 10*time.Microsecond, 0))
	m := run(t, c, workers(Python(3, 100*time.Millisecond, 50), Python(3, 100*time.Millisecond, 50), io)).Metrics()
	if m.Requests.Count != 20 || m.Requests.Max > Time(200*time.Microsecond) {
		t.Errorf("I/O beside two CPU hogs on two cores: %d requests, slowest %s; want each within 200µs", m.Requests.Count, m.Requests.Max)
	}
	c.WakeupGranularity = time.Hour
	m = run(t, c, workers(Python(3, 100*time.Millisecond, 50), Python(3, 100*time.Millisecond, 50), io)).Metrics()
	if m.Requests.Max < Time(time.Millisecond) {
		t.Errorf("without wake-up preemption the I/O thread still got a core at once (slowest request %s)", m.Requests.Max)
	}
}
