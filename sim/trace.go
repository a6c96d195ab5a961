package sim

import (
	"fmt"
	"strings"
)

// TraceKind is what a trace event records.
type TraceKind uint8

const (
	// TraceState: Thread entered State.
	TraceState TraceKind = iota
	// TraceAcquire: Thread took the GIL of Proc. Peer is the previous
	// holder when this is a handoff (else -1), Reason the release before it;
	// Value is the number of waiters left.
	TraceAcquire
	// TraceRelease: Thread released the GIL for Reason.
	TraceRelease
	// TraceDropRequest: Thread, a waiter whose timed wait expired with no
	// switch meanwhile, set the drop request; Peer is the holder.
	TraceDropRequest
	// TraceForcedSwitch: Thread, the holder, honoured the drop request at a
	// check point; it will wait until another thread takes the GIL.
	TraceForcedSwitch
	// TraceSignal: Thread's release signalled waiter Peer.
	TraceSignal
	// TraceFailedWake: Thread woke up to find the GIL held by Peer.
	TraceFailedWake
	// TraceLockAcquire: Thread acquired lock Obj.
	TraceLockAcquire
	// TraceLockWait: Thread blocks on lock Obj, held by Peer.
	TraceLockWait
	// TraceLockRelease: Thread released lock Obj.
	TraceLockRelease
	// TracePut: Thread put an item on queue Obj; Value is the new depth.
	TracePut
	// TraceGet: Thread took an item from queue Obj; Value is the new depth.
	TraceGet
	// TracePrint: Thread printed Text.
	TracePrint
	// TraceException: Thread died of the exception in Text.
	TraceException
	// TraceProcStart: process Proc was started; Value is its StartMethod.
	TraceProcStart
	// TraceProcReady: process Proc's interpreter finished booting.
	TraceProcReady
	// TraceProcExit: process Proc exited with code Value.
	TraceProcExit
	// TraceStep: loop thread Thread runs a step of task Obj; Value is the
	// ready queue's depth after taking it.
	TraceStep
	// TraceTaskDone: task Obj finished.
	TraceTaskDone
	// TraceReady: the ready queue of loop Obj now holds Value callbacks.
	TraceReady
	// TraceSlowCallback: a step of task Obj took Value ns, over the limit.
	TraceSlowCallback
	// TraceLostUpdate: Thread stored variable Obj over Value increments
	// made since its load, the last by Peer (Value is negative when the
	// store puts back increments an earlier stale store had undone).
	TraceLostUpdate
	// TraceRequest: a request of Thread completed in Value ns.
	TraceRequest
	numTraceKinds
)

var traceKindNames = [numTraceKinds]string{
	TraceState: "state", TraceAcquire: "gil-acquire", TraceRelease: "gil-release",
	TraceDropRequest: "drop-request", TraceForcedSwitch: "forced-switch", TraceSignal: "signal",
	TraceFailedWake: "failed-wakeup", TraceLockAcquire: "lock-acquire", TraceLockWait: "lock-wait",
	TraceLockRelease: "lock-release", TracePut: "queue-put", TraceGet: "queue-get",
	TracePrint: "print", TraceException: "exception", TraceProcStart: "process-start",
	TraceProcReady: "process-ready", TraceProcExit: "process-exit", TraceStep: "task-step",
	TraceTaskDone: "task-done", TraceReady: "ready-queue", TraceSlowCallback: "slow-callback",
	TraceLostUpdate: "lost-update", TraceRequest: "request",
}

func (k TraceKind) String() string { return enumName(traceKindNames[:], int(k), "trace kind") }

// TraceEvent is one entry of the trace. Which fields matter depends on
// Kind; Peer is -1 when no other thread is involved.
type TraceEvent struct {
	At     Time
	Kind   TraceKind
	State  State
	Reason Reason
	Thread int32
	Proc   int32
	Peer   int32
	Obj    int32
	Line   int32
	Value  int64
	Text   string
}

// ConsoleLine is one line the simulated program printed.
type ConsoleLine struct {
	At     Time
	Thread int32
	Proc   int32
	Text   string
	Stderr bool
}

// Handoff is one passing of a GIL from one thread to another.
type Handoff struct {
	At       Time
	From, To int32
	Reason   Reason
}

func (s *Sim) emit(e TraceEvent) {
	e.At = s.now
	s.trace = append(s.trace, e)
}

// Trace returns the events recorded so far (none when Config.Trace is off).
// The slice must not be modified.
func (s *Sim) Trace() []TraceEvent { return s.trace[:len(s.trace):len(s.trace)] }

// TraceLen returns the number of events recorded so far.
func (s *Sim) TraceLen() int { return len(s.trace) }

// ThreadName returns the name of thread id, after its process's name when
// that is not the main process ("Process-1/MainThread"): every process has
// a MainThread.
func (s *Sim) ThreadName(id int32) string {
	if id < 0 || int(id) >= len(s.w.Threads) {
		return "?"
	}
	t := &s.w.Threads[id]
	if t.Proc != 0 {
		return s.w.Procs[t.Proc].Name + "/" + t.Name
	}
	return t.Name
}

// Describe says what e means in one plain clause, naming threads, locks
// and queues: "takes the GIL from T1 (interval expired, drop requested)".
func (s *Sim) Describe(e TraceEvent) string {
	name := s.ThreadName
	switch e.Kind {
	case TraceState:
		return "→ " + e.State.String()
	case TraceAcquire:
		if e.Peer >= 0 {
			return fmt.Sprintf("takes the GIL from %s (%s)", name(e.Peer), e.Reason.Phrase())
		}
		return "takes the GIL"
	case TraceRelease:
		return fmt.Sprintf("releases the GIL (%s)", e.Reason.Phrase())
	case TraceDropRequest:
		return fmt.Sprintf("waited a whole interval; asks %s to drop the GIL", name(e.Peer))
	case TraceForcedSwitch:
		return "drops the GIL at a check point, as requested"
	case TraceSignal:
		return "signals " + name(e.Peer) + " to wake up"
	case TraceFailedWake:
		return fmt.Sprintf("woke up, but %s holds the GIL: failed wake-up", name(e.Peer))
	case TraceLockAcquire:
		return "acquires " + s.w.Locks[e.Obj]
	case TraceLockWait:
		return fmt.Sprintf("waits for %s, held by %s", s.w.Locks[e.Obj], name(e.Peer))
	case TraceLockRelease:
		return "releases " + s.w.Locks[e.Obj]
	case TracePut:
		return fmt.Sprintf("puts an item on %s (depth %d)", s.w.Queues[e.Obj].Name, e.Value)
	case TraceGet:
		return fmt.Sprintf("gets an item from %s (depth %d)", s.w.Queues[e.Obj].Name, e.Value)
	case TracePrint:
		return "prints " + quote(e.Text)
	case TraceException:
		return "dies: " + e.Text
	case TraceProcStart:
		return fmt.Sprintf("process %s starts (%s)", s.w.Procs[e.Proc].Name, StartMethod(e.Value))
	case TraceProcReady:
		return fmt.Sprintf("process %s's interpreter is up", s.w.Procs[e.Proc].Name)
	case TraceProcExit:
		return fmt.Sprintf("process %s exits with code %d", s.w.Procs[e.Proc].Name, e.Value)
	case TraceStep:
		return fmt.Sprintf("runs a step of %s (%d ready)", s.w.Tasks[e.Obj].Name, e.Value)
	case TraceTaskDone:
		return s.w.Tasks[e.Obj].Name + " is done"
	case TraceReady:
		return fmt.Sprintf("event loop ready queue: %d", e.Value)
	case TraceSlowCallback:
		return fmt.Sprintf("a step of %s took %s", s.w.Tasks[e.Obj].Name, Time(e.Value))
	case TraceLostUpdate:
		return fmt.Sprintf("stores %s over %d update(s) made since its load (last by %s)", s.w.Vars[e.Obj].Name, e.Value, name(e.Peer))
	case TraceRequest:
		return "completes a request in " + Time(e.Value).String()
	}
	return e.Kind.String()
}

// FormatEvent renders e as one line of a trace listing.
func (s *Sim) FormatEvent(e TraceEvent) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%10s  %-18s %s", e.At, s.ThreadName(e.Thread), s.Describe(e))
	if e.Line > 0 && e.Kind == TraceState {
		fmt.Fprintf(&b, " (line %d)", e.Line)
	}
	return b.String()
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// ClearTrace forgets the events recorded since the last drain or clear,
// for a caller that has read them in place through Trace: DrainTrace
// without the copy.
func (s *Sim) ClearTrace() {
	if s.traceShared {
		s.trace, s.traceShared = nil, false
		return
	}
	clear(s.trace)
	s.trace = s.trace[:0]
}

// DrainTrace appends the events recorded since the last drain to dst,
// forgets them, and returns dst. A caller that drains after every step
// streams the trace in bounded memory; Trace then holds only what was
// recorded since the last drain.
func (s *Sim) DrainTrace(dst []TraceEvent) []TraceEvent {
	dst = append(dst, s.trace...)
	if s.traceShared {
		// A clone still reads the old array: start a new one.
		s.trace, s.traceShared = nil, false
		return dst
	}
	clear(s.trace)
	s.trace = s.trace[:0]
	return dst
}
