package sim

import (
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// mixed is a small workload that exercises most of the engine: CPU and
// I/O threads, a lock, a queue, a racy counter and an event loop.
func mixed() Workload {
	w := workers(
		Seq(Python(1, 12*time.Millisecond, 50), Acquire(2, 0), Python(3, time.Millisecond, 0), Release(4, 0)),
		Loop(5, 6, Python(5, 200*time.Microsecond, 0), IO(6, 2*time.Millisecond, ReqWhole)),
		Seq(Acquire(7, 0), Sleep(8, time.Millisecond), Release(9, 0), Loop(10, 4, Load(10, 0), Python(10, 3*time.Millisecond, 50), Store(10, 0, 1))),
		Seq(Loop(11, 3, PutIndex(11, 0, 10), Python(11, time.Millisecond, 0)), PutNone(12, 0)),
		Loop(13, -1, Get(13, 0), BreakIfNone(14), Print(15, "item {}"), Python(16, 2*time.Millisecond, 50), TaskDone(17, 0)),
		RunLoop(18, 0),
	)
	w.Locks = []string{"lock"}
	w.Vars = []VarSpec{{Name: "counter"}}
	w.Queues = []QueueSpec{{Name: "q", Kind: QueueThread}}
	w.Tasks = []TaskSpec{
		{Name: "Task-1", Coro: "main", Code: Gather(19, 1, 2)},
		{Name: "Task-2", Coro: "tick", Code: Loop(20, 3, AwaitSleep(20, 2*time.Millisecond), Print(21, "tick"))},
		{Name: "Task-3", Coro: "fetch", Code: Seq(AwaitIO(22, 5*time.Millisecond, ReqWhole), Python(23, 500*time.Microsecond, 50))},
	}
	return w
}

func TestRunTwiceGivesTheSameTrace(t *testing.T) {
	for _, m := range Models() {
		for _, p := range []Policy{PolicyFIFO, PolicyRandom} {
			c := config(m, true)
			c.Successor = p
			a, b := run(t, c, mixed()), run(t, c, mixed())
			if la, lb := listing(a), listing(b); la != lb {
				t.Errorf("%s %s: two runs differ:\n%s", m, p, firstDiff(la, lb))
			}
			if !reflect.DeepEqual(a.Metrics(), b.Metrics()) {
				t.Errorf("%s %s: two runs have different metrics", m, p)
			}
		}
	}
}

func TestSeedChangesTheRun(t *testing.T) {
	c := config(ModelPy3, true)
	c.Successor = PolicyRandom
	a := listing(run(t, c, mixed()))
	c.Seed = 2
	if b := listing(run(t, c, mixed())); a == b {
		t.Errorf("seeds 1 and 2 gave the same run: the seed is not used")
	}
}

func TestCloneGoesOnLikeTheOriginal(t *testing.T) {
	for _, m := range Models() {
		c := config(m, true)
		want := listing(run(t, c, mixed()))
		s, err := New(c, mixed())
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 40 && s.Step(); i++ {
		}
		cl := s.Clone()
		s.Run()
		for i := 0; i < 10 && cl.Step(); i++ {
		}
		cl2 := cl.Clone()
		cl.Run()
		cl2.Run()
		for name, x := range map[string]*Sim{"original": s, "clone": cl, "clone of clone": cl2} {
			if got := listing(x); got != want {
				t.Errorf("%s: the %s went another way:\n%s", m, name, firstDiff(want, got))
			}
		}
	}
}

// TestCloneIntoGoesOnLikeTheOriginal copies a checkpoint over and over
// into the memory of runs that went on (as a player stepping back does),
// and into runs of larger and smaller workloads: each copy goes on as the
// original did, and the checkpoint is left as it was.
func TestCloneIntoGoesOnLikeTheOriginal(t *testing.T) {
	for _, m := range Models() {
		c := config(m, true)
		want := listing(run(t, c, mixed()))
		s, err := New(c, mixed())
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 40 && s.Step(); i++ {
		}
		cp := s.Clone()
		big, err := New(c, cpuWorkers(40, 3*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		big.Run()
		small, err := New(c, cpuWorkers(1, time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		for name, dst := range map[string]*Sim{"its own": s, "a larger run": big, "a smaller run": small} {
			for round := range 3 {
				got := cp.CloneInto(dst)
				if got != dst {
					t.Fatalf("%s: CloneInto returned another run than the one given", m)
				}
				for i := 0; i < 15*round && got.Step(); i++ {
				}
				if round == 2 {
					got.Run()
					if l := listing(got); l != want {
						t.Errorf("%s: cloned into %s, the run went another way:\n%s", m, name, firstDiff(want, l))
					}
				}
				if err := got.CheckInvariants(0); err != nil {
					t.Errorf("%s: cloned into %s: %v", m, name, err)
				}
			}
		}
		cp.Run()
		if l := listing(cp); l != want {
			t.Errorf("%s: the checkpoint changed under the copies made from it:\n%s", m, firstDiff(want, l))
		}
	}
}

func TestAdvanceToLandsBetweenEvents(t *testing.T) {
	s, err := New(config(ModelPy3, false), cpuWorkers(2, 20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	s.AdvanceTo(Time(7 * time.Millisecond))
	if s.Now() != Time(7*time.Millisecond) {
		t.Fatalf("clock at %s, want 7ms", s.Now())
	}
	if next, ok := s.NextEventTime(); !ok || next <= s.Now() {
		t.Errorf("next event at %s: it should lie after the clock", next)
	}
	if err := s.CheckInvariants(0); err != nil {
		t.Error(err)
	}
	var sum Time
	for _, d := range s.Snapshot().Threads[1].Times {
		sum += d
	}
	if sum != s.Now() {
		t.Errorf("snapshot times add up to %s at %s", sum, s.Now())
	}
	s.AdvanceTo(Time(3 * time.Millisecond))
	if s.Now() != Time(7*time.Millisecond) {
		t.Errorf("AdvanceTo went back to %s", s.Now())
	}
}

func TestDrainTraceStreamsTheSameEvents(t *testing.T) {
	c := config(ModelPy3, true)
	want := run(t, c, mixed()).Trace()
	s, err := New(c, mixed())
	if err != nil {
		t.Fatal(err)
	}
	var got []TraceEvent
	cl, drained := (*Sim)(nil), 0
	for s.Step() {
		if s.Events() == 30 {
			cl, drained = s.Clone(), len(got)
		}
		got = s.DrainTrace(got)
		if s.TraceLen() != 0 {
			t.Fatalf("%d events left after a drain", s.TraceLen())
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("drained %d events, the run traced %d; they differ", len(got), len(want))
	}
	cl.Run()
	if !reflect.DeepEqual(cl.Trace(), want[drained:]) {
		t.Errorf("draining the original corrupted the clone's trace")
	}
}

func TestSnapshotIsACopy(t *testing.T) {
	s, err := New(config(ModelPy3, true), mixed())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 60 && s.Step(); i++ {
	}
	a := s.Snapshot()
	a.Cores[0] = 99
	a.Threads[0].Name = "changed"
	if len(a.Console) > 0 {
		a.Console[0].Text = "changed"
	}
	b := s.Snapshot()
	if b.Cores[0] == 99 || b.Threads[0].Name == "changed" || len(b.Console) > 0 && b.Console[0].Text == "changed" {
		t.Errorf("changing a snapshot changed the simulation")
	}
}

// Golden traces of small cases: each line is one trace event.
func TestGoldenTraces(t *testing.T) {
	lossy := func(m Model) Workload {
		inc := Loop(3, 40, Python(3, 20*time.Nanosecond, 0), Load(4, 0), Python(4, 20*time.Nanosecond, 0), Store(4, 0, 1))
		w := workers(inc, inc)
		w.Vars = []VarSpec{{Name: "counter"}}
		return w
	}
	cases := []struct {
		name string
		cfg  Config
		w    Workload
	}{
		{"py3-two-cpu-threads", config(ModelPy3, true), cpuWorkers(2, 12*time.Millisecond)},
		{"py2-two-cpu-threads", config(ModelPy2, true), cpuWorkers(2, 400*time.Microsecond)},
		{"free-threaded-counter-race", config(ModelFreeThreaded, true), lossy(ModelFreeThreaded)},
		{"py3-mixed", config(ModelPy3, true), mixed()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := listing(run(t, tc.cfg, tc.w))
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./sim -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("trace differs from %s (go test ./sim -update rewrites it):\n%s", path, firstDiff(string(want), got))
			}
		})
	}
}

// The core must stay free of UI packages, and indeed of anything beyond
// the standard library.
func TestSimImportsOnlyTheStandardLibrary(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(p, "/")
			if strings.Contains(first, ".") && !strings.HasPrefix(p, "github.com/gilsim/gilsim/sim") {
				t.Errorf("%s imports %s: sim may import only the standard library and itself", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// randomWorkload builds a random program mix: CPU, C code, I/O, sleeps,
// lock sections, racy increments, queues and a few processes.
func randomWorkload(r *rand.Rand) Workload {
	n := 1 + r.IntN(6)
	dur := func() time.Duration { return time.Duration(1+r.IntN(3000)) * time.Microsecond }
	var code []Code
	for i := 0; i < n; i++ {
		var c Code
		for j := 0; j < 1+r.IntN(5); j++ {
			switch r.IntN(9) {
			case 0:
				c = Seq(c, Python(j, dur(), time.Duration(r.IntN(3))*50))
			case 1:
				c = Seq(c, Native(j, dur()))
			case 2:
				c = Seq(c, NativeHold(j, dur()))
			case 3:
				c = Seq(c, IO(j, dur(), Req(r.IntN(4))))
			case 4:
				c = Seq(c, Sleep(j, dur()))
			case 5:
				l := r.IntN(2)
				c = Seq(c, Acquire(j, l), Python(j, dur(), 50), Release(j, l))
			case 6:
				c = Seq(c, Loop(j, int64(1+r.IntN(20)), Load(j, 0), Python(j, time.Duration(1+r.IntN(100)), 0), Store(j, 0, 1), CheckPoint(j)))
			case 7:
				c = Seq(c, Put(j, 0, int64(j)))
			case 8:
				c = Seq(c, Get(j, 0))
			}
		}
		code = append(code, c)
	}
	w := workers(code...)
	w.Locks = []string{"a", "b"}
	w.Vars = []VarSpec{{Name: "x"}}
	w.Queues = []QueueSpec{{Name: "q", Kind: QueueKind(r.IntN(int(numQueueKinds)) % 2 * 2), MaxSize: r.IntN(3)}}
	for p := 1; p <= r.IntN(3); p++ {
		w.Procs = append(w.Procs, ProcSpec{Name: fmt.Sprintf("Process-%d", p), Start: StartMethod(r.IntN(3))})
		w.Threads = append(w.Threads, ThreadSpec{Name: "MainThread", Proc: p, Code: Seq(Python(1, dur(), 50), Sleep(1, dur()), Python(1, dur(), 0))})
		w.Threads[0].Code = Seq(ProcStart(1, p), w.Threads[0].Code, ProcJoin(2, p))
	}
	return w
}

func randomConfig(r *rand.Rand) Config {
	c := referenceConfig()
	c.Model = Model(r.IntN(int(numModels)))
	c.Cores = 1 + r.IntN(6)
	c.SwitchInterval = time.Duration(1+r.IntN(8000)) * time.Microsecond
	c.Successor = Policy(r.IntN(int(numPolicies)))
	c.WakeLatency = time.Duration(r.IntN(200)) * time.Microsecond
	c.Quantum = time.Duration(1+r.IntN(20)) * time.Millisecond
	c.Seed = r.Uint64()
	c.Trace = r.IntN(2) == 0
	c.MaxEvents = 2_000_000
	return c
}

// Random programs under random configurations: the invariants hold after
// every step, every run ends (completed or deadlocked, never stuck), a
// deadlock names its blocked threads, and the run is reproducible.
func TestRandomProgramsKeepTheInvariants(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	n := 300
	if testing.Short() {
		n = 50
	}
	for i := 0; i < n; i++ {
		w, c := randomWorkload(r), randomConfig(r)
		s := run(t, c, w)
		m := s.Metrics()
		switch m.Outcome {
		case OutcomeCompleted:
			if len(m.Blocked) != 0 {
				t.Fatalf("case %d: completed with blocked threads %+v", i, m.Blocked)
			}
		case OutcomeDeadlock:
			if len(m.Blocked) == 0 {
				t.Fatalf("case %d: deadlock without a report", i)
			}
			for _, b := range m.Blocked {
				if b.WaitsFor == "" {
					t.Fatalf("case %d: %s is blocked on nothing named", i, b.Name)
				}
			}
		default:
			t.Fatalf("case %d (%s, %d cores): outcome %s after %d events", i, c.Model, c.Cores, m.Outcome, m.Events)
		}
		var cpu Time
		for _, th := range m.Threads {
			if sum := th.CPU + th.WaitGIL + th.Blocked + th.NoCore + th.Inactive; sum != m.Elapsed {
				t.Fatalf("case %d: %s's time adds up to %s of %s", i, th.Name, sum, m.Elapsed)
			}
			cpu += th.CPU
		}
		if cpu > m.Elapsed*Time(c.Cores) {
			t.Fatalf("case %d: %s of CPU in %s on %d cores", i, cpu, m.Elapsed, c.Cores)
		}
		if again := run(t, c, w); !reflect.DeepEqual(again.Metrics(), m) || listing(again) != listing(s) {
			t.Fatalf("case %d: a second run differs", i)
		}
	}
}

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, x, y)
		}
	}
	return "(identical)"
}

// ClearTrace forgets what Trace showed, like DrainTrace without the copy,
// and a clone that shares the trace's array is left untouched.
func TestClearTrace(t *testing.T) {
	s, err := New(config(ModelPy3, true), cpuWorkers(2, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	for s.TraceLen() == 0 {
		s.Step()
	}
	c := s.Clone()
	before := append([]TraceEvent(nil), c.Trace()...)
	s.ClearTrace()
	if s.TraceLen() != 0 {
		t.Fatalf("%d events left after ClearTrace", s.TraceLen())
	}
	if got := c.Trace(); len(got) != len(before) || got[0] != before[0] {
		t.Error("clearing the original changed the clone's trace")
	}
	for s.TraceLen() == 0 && s.Step() {
	}
	if c.Trace()[0] != before[0] {
		t.Error("the original's new events overwrote the clone's trace")
	}
}

// TestChunkedCopiesAreIndependent appends to a chunked sequence and to
// copies of it taken at every length around the chunk boundaries: each
// holds exactly what was appended to it.
func TestChunkedCopiesAreIndependent(t *testing.T) {
	var orig chunked[int]
	var copies []chunked[int]
	var lens []int
	for i := range 3*chunkLen + 5 {
		if i%97 == 0 || i%chunkLen <= 1 || i%chunkLen == chunkLen-1 {
			copies, lens = append(copies, orig.clone()), append(lens, i)
		}
		orig.add(i)
	}
	for k := range copies {
		c := &copies[k]
		for j := range chunkLen + 3 {
			c.add(-j - 1)
		}
	}
	check := func(name string, c *chunked[int], prefix, extra int) {
		t.Helper()
		got := c.appendTo(nil)
		if len(got) != prefix+extra || c.len() != len(got) {
			t.Fatalf("%s: %d elements (len says %d), want %d", name, len(got), c.len(), prefix+extra)
		}
		for i, x := range got {
			want := i
			if i >= prefix {
				want = -(i - prefix) - 1
			}
			if x != want {
				t.Fatalf("%s: element %d is %d, want %d", name, i, x, want)
			}
		}
	}
	check("original", &orig, 3*chunkLen+5, 0)
	for k := range copies {
		check(fmt.Sprintf("copy at %d", lens[k]), &copies[k], lens[k], chunkLen+3)
	}
}

// TestRaiseKillsTheThread: OpRaise prints the traceback of a worker
// thread, named as CPython 3.10 and later name it (once, when the name
// already says its target), and ends the thread; the main thread goes on.
func TestRaiseKillsTheThread(t *testing.T) {
	for _, name := range []string{"T1", "Thread-1 (worker)"} {
		w := workers(Seq(Python(3, time.Microsecond, 0), Raise(4, "ZeroDivisionError", "division by zero"), Print(5, "never")))
		w.Threads[1].Name = name
		w.Threads[0].Code = Seq(w.Threads[0].Code, Print(6, "main goes on"))
		s := run(t, config(ModelPy3, true), w)
		var got []string
		for _, l := range s.Snapshot().Console {
			got = append(got, l.Text)
		}
		want := "Exception in thread " + strings.TrimSuffix(name, " (worker)") + " (worker):"
		if len(got) < 3 || got[0] != want || got[len(got)-2] != "ZeroDivisionError: division by zero" || got[len(got)-1] != "main goes on" {
			t.Errorf("%s: printed %q, want the traceback from %q, then main goes on", name, got, want)
		}
		if m := s.Metrics(); m.Outcome != OutcomeCompleted || m.Procs[0].Exception != "" {
			t.Errorf("%s: outcome %s, main process exception %q: a worker's exception ends only the worker", name, m.Outcome, m.Procs[0].Exception)
		}
	}
}

// TestClockPrintsElapsed: OpClock keeps readings of the virtual clock and
// a print shows them as Python formats a float.
func TestClockPrintsElapsed(t *testing.T) {
	main := Seq(Clock(1, 0), Python(2, 1500*time.Microsecond, 0), Clock(3, 1),
		Print(4, "took "+ClockText(1, 0, 1000, ".1f")+" ms"), Print(5, ClockText(1, 0, 1, "")),
		Print(6, ClockText(1, -1, 1, ".2e")+" "+ClockText(1, 0, 1, ".0%")))
	w := Workload{File: "t.py", Procs: []ProcSpec{{Name: "MainProcess"}},
		Threads: []ThreadSpec{{Name: "MainThread", Func: "<module>", Code: main}}}
	c := config(ModelPy3, false)
	c.OpJitter = 0
	s := run(t, c, w)
	var got []string
	for _, l := range s.Snapshot().Console {
		got = append(got, l.Text)
	}
	if want := []string{"took 1.5 ms", "0.0015", "1.50e-03 0%"}; !reflect.DeepEqual(got, want) {
		t.Errorf("printed %q, want %q", got, want)
	}
}

// TestSemaphoreAndEvent: a semaphore of 2 lets two of four workers in at
// a time; workers waiting for an event go on once it is set, in the
// order set wakes them; a bounded semaphore given back once too often
// raises ValueError.
func TestSemaphoreAndEvent(t *testing.T) {
	work := Seq(SemAcquire(2, 0), Python(3, time.Millisecond, 0), SemRelease(4, 0))
	w := workers(work, work, work, work)
	w.Sems = []SemSpec{{Name: "pool", Value: 2, Bounded: true}}
	c := config(ModelFreeThreaded, true)
	c.OpJitter = 0
	s := run(t, c, w)
	if m := s.Metrics(); m.Outcome != OutcomeCompleted || m.Elapsed < Time(2*time.Millisecond) || m.Elapsed > Time(3*time.Millisecond) {
		t.Errorf("four 1 ms workers through a semaphore of 2 on 4 cores: %s at %s, want completed in 2 to 3 ms (two rounds)", m.Outcome, m.Elapsed)
	}

	waiter := Seq(EventWait(2, 0), Print(3, "through"))
	w = workers(waiter, waiter)
	w.Events = []string{"ready"}
	w.Threads[0].Code = Seq(Start(1, 1), Start(1, 2), Sleep(5, time.Millisecond), EventSet(6, 0), EventClear(7, 0), Join(8, 1), Join(8, 2))
	s = run(t, config(ModelPy3, true), w)
	var got []string
	for _, l := range s.Snapshot().Console {
		if l.At < Time(time.Millisecond) {
			t.Errorf("%s went through at %s, before the event was set", s.ThreadName(l.Thread), l.At)
		}
		got = append(got, l.Text)
	}
	if len(got) != 2 || s.Metrics().Outcome != OutcomeCompleted {
		t.Errorf("set then clear at once: printed %q, outcome %s; want both waiters through", got, s.Metrics().Outcome)
	}

	w = workers(Seq(SemAcquire(2, 0), SemRelease(3, 0), SemRelease(4, 0)))
	w.Sems = []SemSpec{{Name: "one", Value: 1, Bounded: true}}
	s = run(t, config(ModelPy3, true), w)
	if lines := s.Snapshot().Console; len(lines) == 0 || lines[len(lines)-1].Text != "ValueError: Semaphore released too many times" {
		t.Errorf("a bounded semaphore released twice: printed %+v", lines)
	}
}

// TestTimedWaits: a join or an event wait with a timeout goes on when the
// time is up, or before if the thread ends or the event is set; either
// way the waiter is off the list it waited on.
func TestTimedWaits(t *testing.T) {
	for _, tc := range []struct {
		name string
		wait Code
		when time.Duration // when the main thread goes on
	}{
		{"join times out", Timeout(Join(2, 1), time.Millisecond), time.Millisecond},
		{"join ends first", Timeout(Join(2, 1), 10*time.Millisecond), 3 * time.Millisecond},
		{"event times out", Timeout(EventWait(2, 0), time.Millisecond), time.Millisecond},
		{"event set first", Timeout(EventWait(2, 0), 10*time.Millisecond), 3 * time.Millisecond},
	} {
		worker := Seq(Sleep(5, 3*time.Millisecond), EventSet(6, 0))
		w := workers(worker)
		w.Events = []string{"done"}
		w.Threads[0].Code = Seq(Start(1, 1), tc.wait, Print(3, "on"), Join(4, 1))
		c := config(ModelPy3, true)
		c.OpJitter = 0
		s := run(t, c, w)
		lines := s.Snapshot().Console
		if len(lines) != 1 || s.Metrics().Outcome != OutcomeCompleted {
			t.Fatalf("%s: printed %+v, outcome %s", tc.name, lines, s.Metrics().Outcome)
		}
		if at := time.Duration(lines[0].At); at < tc.when || at > tc.when+300*time.Microsecond {
			t.Errorf("%s: the main thread went on at %s, want just after %s", tc.name, at, tc.when)
		}
	}
}

// TestTextItems: an item put as text is printed as that text by the
// thread that takes it, and still is not None.
func TestTextItems(t *testing.T) {
	w := workers(Seq(Loop(2, -1, Get(3, 0), BreakIfNone(4), Print(5, "got {}"))))
	w.Queues = []QueueSpec{{Name: "q", Kind: QueueThread}}
	w.Texts = []string{"job:wash", "(1, 'a')"}
	w.Threads[0].Code = Seq(Start(1, 1), PutText(6, 0, 0), Put(7, 0, 42), PutText(8, 0, 1), PutNone(9, 0), Join(10, 1))
	s := run(t, config(ModelPy3, true), w)
	var got []string
	for _, l := range s.Snapshot().Console {
		got = append(got, l.Text)
	}
	if want := []string{"got job:wash", "got 42", "got (1, 'a')"}; !reflect.DeepEqual(got, want) {
		t.Errorf("printed %q, want %q", got, want)
	}
	w.Threads[0].Code[1].N = 5
	if _, err := New(config(ModelPy3, false), w); err == nil {
		t.Error("a text item beyond the workload's texts was accepted")
	}
}
