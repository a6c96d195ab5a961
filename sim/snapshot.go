package sim

import (
	"fmt"
	"slices"
)

// Snapshot describes everything a view draws at one instant. It is a value
// built from copies: changing it cannot change the simulation.
type Snapshot struct {
	Now     Time
	Events  uint64
	Outcome Outcome
	Model   Model
	// Cores holds the thread on each core, or -1 for an idle core.
	Cores   []int32
	Threads []ThreadView
	Procs   []ProcView
	Locks   []LockView
	Queues  []QueueView
	Vars    []VarView
	Loops   []LoopView
	Tasks   []TaskView
	Console []ConsoleLine
	Totals  Totals
}

// ThreadView is one thread at the snapshot's instant.
type ThreadView struct {
	ID, Proc int32
	Name     string
	Func     string
	State    State
	// Line is the source line the thread (or the task it steps) is at.
	Line     int32
	Core     int32
	HoldsGIL bool
	Daemon   bool
	// AtExit says the thread, a main thread whose code has ended, waits in
	// interpreter shutdown for its process's non-daemon threads and
	// children.
	AtExit bool
	// Activity says what a running thread runs ("Python", "C code, GIL
	// released", ...); WaitsFor what a waiting one waits for.
	Activity string
	WaitsFor string
	// Sync is what a thread in StateWaitLock waits for: a lock, a
	// semaphore or an event.
	Sync SyncKind
	// Task is the asyncio task whose step the thread runs, or -1.
	Task int32
	// Times is the time spent in each state so far.
	Times [NumStates]Time
}

// ProcView is one process and its interpreter's GIL.
type ProcView struct {
	ID       int32
	Name     string
	Started  bool
	Alive    bool
	Exited   bool
	ExitCode int
	// Exception is what its main thread died of ("AttributeError: ..."),
	// or empty.
	Exception string
	Main      int32
	GIL       GILView
}

// WaiterPhase says where a GIL waiter is in take_gil.
type WaiterPhase uint8

const (
	// WaiterSleeping: in a (timed) wait, not yet signalled.
	WaiterSleeping WaiterPhase = iota
	// WaiterWaking: signalled, or timed out with the GIL free; waking up.
	WaiterWaking
	// WaiterSwitch: dropped the GIL on request; waits until another takes it.
	WaiterSwitch
)

// Waiter is one thread on a GIL's waiters list.
type Waiter struct {
	Thread int32
	Phase  WaiterPhase
}

// GILView is the state of one interpreter's GIL.
type GILView struct {
	Enabled bool
	// Holder is the thread holding it, or -1.
	Holder int32
	// Waiters lists the waiting threads in arrival order.
	Waiters      []Waiter
	DropRequest  bool
	SwitchNumber uint64
	Handoffs     uint64
	// Last is the most recent handoff; Last.From is -1 before the first.
	Last Handoff
}

// LockView is a threading.Lock.
type LockView struct {
	Name    string
	Owner   int32
	Waiters []int32
}

// QueueView is a queue, or an event loop's ready queue.
type QueueView struct {
	Name       string
	Kind       QueueKind
	Depth      int
	MaxSize    int
	HighWater  int
	Unfinished int
}

// VarView is a shared variable.
type VarView struct {
	Name  string
	Value int64
	Lost  int64
}

// LoopView is an asyncio event loop.
type LoopView struct {
	Thread     int32
	Ready      int
	HighWater  int
	Timers     int
	Task       int32
	Iterations uint64
	Stopped    bool
	// MaxLate is the longest any task's step has begun after its sleep
	// was over: how overdue the loop has let a timer get.
	MaxLate Time
}

// TaskView is an asyncio task.
type TaskView struct {
	ID    int32
	Name  string
	Coro  string
	State TaskState
	// Line is the line the task's frame is at: for a suspended task, the
	// op after its await.
	Line int32
}

// Totals are the running counts of the whole run so far.
type Totals struct {
	Handoffs       uint64
	ByReason       [NumReasons]uint64
	DropRequests   uint64
	ForcedSwitches uint64
	// SwitchWaits counts voluntary releases (I/O, C code, a blocking call)
	// made with a drop request pending, which waited for the switch first.
	SwitchWaits   uint64
	FailedWakeups uint64
	Signals       uint64
	SlowCallbacks uint64
	LostUpdates   int64
	Requests      int
}

// Snapshot returns the state of the run now.
func (s *Sim) Snapshot() Snapshot {
	snap := Snapshot{
		Now: s.now, Events: s.events, Outcome: s.out, Model: s.cfg.Model,
		Cores:   slices.Clone(s.cores),
		Threads: make([]ThreadView, len(s.threads)),
		Procs:   make([]ProcView, len(s.procs)),
		Console: s.console.appendTo(nil),
		Totals:  s.totals(),
	}
	for i := range s.threads {
		snap.Threads[i] = s.threadView(&s.threads[i])
	}
	for i := range s.procs {
		p := &s.procs[i]
		g := &p.gil
		gv := GILView{Enabled: s.hasGIL(), Holder: g.holder, DropRequest: g.dropRequest,
			SwitchNumber: g.switchNo, Handoffs: g.handoffs, Last: g.lastHand}
		if g.handoffs == 0 {
			gv.Last.From, gv.Last.To = -1, -1
		}
		for w := g.head; w >= 0; w = s.threads[w].wnext {
			ph := WaiterSleeping
			switch s.threads[w].gw {
			case gwWaking:
				ph = WaiterWaking
			case gwSwitch:
				ph = WaiterSwitch
			}
			gv.Waiters = append(gv.Waiters, Waiter{Thread: w, Phase: ph})
		}
		snap.Procs[i] = ProcView{ID: int32(i), Name: s.w.Procs[i].Name, Started: p.started, Alive: p.alive,
			Exited: p.exited, ExitCode: p.exitCode, Exception: p.exc, Main: p.main, GIL: gv}
	}
	for i := range s.locks {
		l := &s.locks[i]
		lv := LockView{Name: s.w.Locks[i], Owner: l.owner}
		for _, w := range l.waiters {
			if s.threads[w].state == StateWaitLock {
				lv.Waiters = append(lv.Waiters, w)
			}
		}
		snap.Locks = append(snap.Locks, lv)
	}
	for i := range s.queues {
		q := &s.queues[i]
		spec := &s.w.Queues[i]
		snap.Queues = append(snap.Queues, QueueView{Name: spec.Name, Kind: spec.Kind, Depth: q.depth(),
			MaxSize: spec.MaxSize, HighWater: q.high, Unfinished: q.unfinished})
	}
	for i := range s.vars {
		v := &s.vars[i]
		snap.Vars = append(snap.Vars, VarView{Name: s.w.Vars[i].Name, Value: v.val, Lost: v.lost})
	}
	for i := range s.loops {
		L := &s.loops[i]
		snap.Loops = append(snap.Loops, LoopView{Thread: L.thread, Ready: L.ready.len(), HighWater: L.high,
			Timers: len(L.timers), Task: L.cur, Iterations: L.iters, Stopped: L.closed, MaxLate: L.maxLate})
	}
	for k := range s.tasks {
		spec := &s.w.Tasks[k]
		f := s.taskFrame(int32(k))
		snap.Tasks = append(snap.Tasks, TaskView{ID: int32(k), Name: spec.Name, Coro: spec.Coro,
			State: s.tasks[k].state, Line: s.frameLine(f)})
	}
	return snap
}

func (s *Sim) frameLine(f int32) int32 {
	code := s.codes[f]
	pc := int(s.frames[f].pc)
	if pc < len(code) {
		return code[pc].Line
	}
	if len(code) > 0 {
		return code[len(code)-1].Line
	}
	return 0
}

func (s *Sim) threadView(t *thread) ThreadView {
	spec := &s.w.Threads[t.id]
	v := ThreadView{ID: t.id, Proc: t.proc, Name: spec.Name, Func: spec.Func, State: t.state,
		Line: s.line(t), Core: t.core, HoldsGIL: t.hasGIL, Daemon: t.daemon, Task: -1, Times: t.times}
	v.Times[t.state] += s.now - t.since
	if t.cur != t.id {
		v.Task = t.cur - int32(len(s.threads))
	}
	switch t.state {
	case StateRunning, StateStarting, StateRunnable:
		v.Activity = s.activity(t)
	}
	v.WaitsFor = s.waitsFor(t)
	switch t.waitK {
	case waitLock:
		v.Sync = SyncLock
	case waitSem:
		v.Sync = SyncSemaphore
	case waitEvent:
		v.Sync = SyncEvent
	}
	v.AtExit = t.waitK == waitShutdown && t.state != StateDone
	return v
}

func (s *Sim) activity(t *thread) string {
	switch t.cpu {
	case cpuWindow:
		return "releasing the GIL at a check interval"
	case cpuLoopIter:
		return "event loop iteration"
	case cpuNone:
		return "Python"
	}
	switch op := s.curOp(t); op.Kind {
	case OpNative:
		return "C code, GIL released"
	case OpNativeHold:
		return "C code holding the GIL"
	case opBoot:
		return "booting the interpreter"
	case OpStart:
		return "starting a thread"
	case OpProcStart:
		return "starting a process"
	case OpPut:
		return "pickling an item"
	case OpGet:
		return "unpickling an item"
	}
	return "Python"
}

// waitsFor says what a thread that is not running waits for.
func (s *Sim) waitsFor(t *thread) string {
	name := s.ThreadName
	switch t.state {
	case StateWaitGIL:
		g := s.gilOf(t)
		switch {
		case t.gw == gwSwitch:
			return "another thread to take the GIL it dropped"
		case t.gw == gwSwitchOp:
			return "another thread to take the GIL it released, before it goes on"
		case g.holder >= 0:
			return "the GIL, held by " + name(g.holder)
		}
		return "the GIL"
	case StateRunnable:
		return "a free core"
	case StateNew:
		return "start()"
	}
	switch t.waitK {
	case waitIO:
		return "I/O"
	case waitSleep:
		return "the end of time.sleep"
	case waitLock:
		l := &s.locks[t.waitO]
		if l.owner >= 0 {
			return fmt.Sprintf("%s, held by %s", s.w.Locks[t.waitO], name(l.owner))
		}
		return s.w.Locks[t.waitO]
	case waitSem:
		return "a permit of semaphore " + s.w.Sems[t.waitO].Name
	case waitEvent:
		return "event " + s.w.Events[t.waitO] + " to be set"
	case waitThread:
		return name(t.waitO) + " to finish"
	case waitProc:
		return "process " + s.w.Procs[t.waitO].Name + " to exit"
	case waitQueueGet:
		return "an item on " + s.w.Queues[t.waitO].Name
	case waitQueuePut:
		return "room on " + s.w.Queues[t.waitO].Name
	case waitQueueJoin:
		return "task_done() for every item of " + s.w.Queues[t.waitO].Name
	case waitSelect:
		if L := &s.loops[t.waitO]; len(L.timers) == 0 {
			return "the selector, with no timer or I/O pending"
		}
		return "the selector: the next timer or I/O"
	case waitShutdown:
		return "its non-daemon threads and child processes (interpreter shutdown)"
	}
	if t.state == StateWaitLock || t.state == StateQueue || t.state == StateJoin {
		return "a wake-up"
	}
	return ""
}

func (s *Sim) totals() Totals {
	t := Totals{ByReason: s.tot.handoffs, DropRequests: s.tot.drops, ForcedSwitches: s.tot.forced,
		SwitchWaits: s.tot.switchWaits, FailedWakeups: s.tot.failed, Signals: s.tot.signals, SlowCallbacks: s.tot.slowCalls,
		LostUpdates: s.tot.lost, Requests: s.lat.len()}
	for _, n := range s.tot.handoffs {
		t.Handoffs += n
	}
	return t
}
