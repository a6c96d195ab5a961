package sim

import (
	"testing"
	"time"
)

// Every step says whose event it was and what it was; and a py3 waiter's
// timed wait is played only when its expiry does something: it asks for
// the GIL (a trace event) or, the GIL free, wakes its waiter.
func TestLastEventNamesEveryStep(t *testing.T) {
	s, err := New(config(ModelPy3, true), cpuWorkers(3, 30*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if k := s.LastEvent().Kind; k != EventNone {
		t.Fatalf("before the first step LastEvent is %s, want none", k)
	}
	s.Step()
	if e := s.LastEvent(); e.Kind != EventBegin || e.Thread != 0 {
		t.Fatalf("the first event is %+v, want the main thread's begin", e)
	}
	seen := map[EventKind]int{}
	silentTimeouts := 0
	for {
		from := s.TraceLen()
		if !s.Step() {
			break
		}
		e := s.LastEvent()
		seen[e.Kind]++
		if e.Thread < 0 || int(e.Thread) >= len(s.threads) {
			t.Fatalf("event %d names thread %d", s.Events(), e.Thread)
		}
		if e.Kind == EventTimeout && s.TraceLen() == from && s.threads[e.Thread].gw == gwTimed {
			silentTimeouts++
		}
	}
	for _, k := range []EventKind{EventBurst, EventCheck, EventTimeout, EventWake} {
		if seen[k] == 0 {
			t.Errorf("no %s event in a run of three CPU-bound threads (saw %v)", k, seen)
		}
	}
	if silentTimeouts > 0 {
		t.Errorf("%d timed waits were played that changed nothing", silentTimeouts)
	}
}

// A main thread whose code ends before its threads waits in interpreter
// shutdown, and says so; its release is counted under shutdown, not exit.
func TestShutdownWaitIsNamed(t *testing.T) {
	w := Workload{File: "test.py", Procs: []ProcSpec{{Name: "MainProcess"}}}
	w.Threads = []ThreadSpec{
		{Name: "MainThread", Code: Start(1, 1)},
		{Name: "Thread-1", Code: Python(2, 20*time.Millisecond, 50)},
	}
	s, err := New(config(ModelPy3, true), w)
	if err != nil {
		t.Fatal(err)
	}
	s.AdvanceTo(Time(5 * time.Millisecond))
	main := s.Snapshot().Threads[0]
	if !main.AtExit || main.State != StateJoin {
		t.Fatalf("MainThread after its last line: %s, AtExit %v; want joining at exit", main.State, main.AtExit)
	}
	s.Run()
	m := s.Metrics()
	if m.GIL.ByReason[ReasonShutdown] != 1 || m.GIL.ByReason[ReasonExit] != 0 {
		t.Errorf("handoffs by reason %v, want the one after MainThread's shutdown wait under shutdown", m.GIL.ByReason)
	}
	if s.Snapshot().Threads[0].AtExit {
		t.Errorf("MainThread still says it waits at exit after the run ended")
	}
}

// The exception a process's main thread died of is kept with the process.
func TestProcessKeepsItsException(t *testing.T) {
	w := Workload{File: "test.py", Procs: []ProcSpec{{Name: "MainProcess"}, {Name: "Process-1"}}}
	w.Queues = []QueueSpec{{Name: "q", Kind: QueueProcess}}
	w.Threads = []ThreadSpec{
		{Name: "MainThread", Code: Seq(ProcStart(1, 1), PutIndex(2, 0, 0), ProcJoin(3, 1))},
		{Name: "MainThread", Proc: 1, Code: Seq(Get(4, 0), TaskDone(5, 0))},
	}
	s := run(t, config(ModelPy3, false), w)
	m := s.Metrics()
	want := "AttributeError: 'Queue' object has no attribute 'task_done'"
	if m.Procs[1].Exception != want || m.Procs[1].ExitCode != 1 {
		t.Errorf("Process-1: exit code %d, exception %q; want 1, %q", m.Procs[1].ExitCode, m.Procs[1].Exception, want)
	}
	if m.Procs[0].Exception != "" {
		t.Errorf("the main process did not raise, yet has exception %q", m.Procs[0].Exception)
	}
	if got := s.Snapshot().Procs[1].Exception; got != want {
		t.Errorf("the snapshot says Process-1 died of %q, want %q", got, want)
	}
}

// A loop blocked in a call holds up a task whose sleep is over: MaxLate
// says by how much. Awaited sleeps keep it to the loop's own overhead.
func TestLoopReportsHowLateTimersRan(t *testing.T) {
	mk := func(blocking bool) Workload {
		w := Workload{File: "test.py", Procs: []ProcSpec{{Name: "MainProcess"}}}
		w.Threads = []ThreadSpec{{Name: "MainThread", Code: RunLoop(9, 0)}}
		block := AwaitIO(3, 100*time.Millisecond, ReqNone)
		if blocking {
			block = IO(3, 100*time.Millisecond, ReqNone)
		}
		w.Tasks = []TaskSpec{
			{Name: "Task-1", Coro: "main", Code: Gather(7, 1, 2)},
			{Name: "Task-2", Coro: "beat", Code: Seq(AwaitSleep(2, 10*time.Millisecond), Print(2, "beat"))},
			{Name: "Task-3", Coro: "worker", Code: block},
		}
		return w
	}
	late := run(t, config(ModelPy3, false), mk(true)).Metrics().Loops[0].MaxLate
	if late < Time(80*time.Millisecond) || late > Time(100*time.Millisecond) {
		t.Errorf("a 10ms sleep beside a 100ms blocking call ran %s late, want about 90ms", late)
	}
	onTime := run(t, config(ModelPy3, false), mk(false)).Metrics().Loops[0].MaxLate
	if onTime > Time(100*time.Microsecond) {
		t.Errorf("a 10ms sleep beside awaited I/O ran %s late, want only the loop's overhead", onTime)
	}
}
