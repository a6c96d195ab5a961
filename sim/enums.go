package sim

import (
	"fmt"
	"strings"
)

// Model selects how an interpreter serialises Python bytecode.
type Model uint8

const (
	// ModelPy3 is the new GIL of CPython 3.2 and later: waiters do timed
	// waits of one switch interval and then ask the holder to drop it.
	ModelPy3 Model = iota
	// ModelPy2 is the old GIL of Python 2: the holder releases and retakes
	// it every check interval, and usually wins the race.
	ModelPy2
	// ModelFreeThreaded has no GIL (PEP 703): Python runs on every core at
	// once and pays a per-op tax.
	ModelFreeThreaded
	numModels
)

var modelNames = [numModels]string{
	ModelPy3:          "py3",
	ModelPy2:          "py2",
	ModelFreeThreaded: "free-threaded",
}

func (m Model) String() string { return enumName(modelNames[:], int(m), "model") }

// HasGIL reports whether interpreters under m have a global interpreter lock.
func (m Model) HasGIL() bool { return m != ModelFreeThreaded }

// Models lists every model in the order gilsim cycles through them.
func Models() []Model { return []Model{ModelPy3, ModelPy2, ModelFreeThreaded} }

// ParseModel turns a model name into a Model.
func ParseModel(s string) (Model, error) {
	i, err := parseEnum(modelNames[:], s, "model")
	return Model(i), err
}

// Policy decides which waiter a released GIL signals: the OS picks one, and
// CPython promises nothing about which.
type Policy uint8

const (
	// PolicyFIFO signals the waiter that has waited longest.
	PolicyFIFO Policy = iota
	// PolicyRandom signals a waiter drawn from the seeded generator.
	PolicyRandom
	numPolicies
)

var policyNames = [numPolicies]string{PolicyFIFO: "fifo", PolicyRandom: "random"}

func (p Policy) String() string { return enumName(policyNames[:], int(p), "policy") }

// ParsePolicy turns a successor-policy name into a Policy.
func ParsePolicy(s string) (Policy, error) {
	i, err := parseEnum(policyNames[:], s, "successor policy")
	return Policy(i), err
}

// StartMethod is how multiprocessing starts a child process.
type StartMethod uint8

const (
	// StartFork copies the parent with fork(): cheap, a few ms.
	StartFork StartMethod = iota
	// StartSpawn starts a fresh interpreter: tens of ms.
	StartSpawn
	// StartForkserver forks from a server process started once: in between.
	StartForkserver
	numStartMethods
)

var startMethodNames = [numStartMethods]string{
	StartFork:       "fork",
	StartSpawn:      "spawn",
	StartForkserver: "forkserver",
}

func (m StartMethod) String() string { return enumName(startMethodNames[:], int(m), "start method") }

// ParseStartMethod turns a start-method name into a StartMethod.
func ParseStartMethod(s string) (StartMethod, error) {
	i, err := parseEnum(startMethodNames[:], s, "start method")
	return StartMethod(i), err
}

// QueueKind says which Python queue class a queue stands for.
type QueueKind uint8

const (
	// QueueThread is queue.Queue: threads of one process, with task_done and join.
	QueueThread QueueKind = iota
	// QueueProcess is multiprocessing.Queue: items are pickled; it has no
	// task_done or join.
	QueueProcess
	// QueueJoinable is multiprocessing.JoinableQueue: pickled items, and
	// task_done and join.
	QueueJoinable
	numQueueKinds
)

var queueKindNames = [numQueueKinds]string{
	QueueThread:   "queue.Queue",
	QueueProcess:  "multiprocessing.Queue",
	QueueJoinable: "multiprocessing.JoinableQueue",
}

func (k QueueKind) String() string { return enumName(queueKindNames[:], int(k), "queue kind") }

// State is what a thread is doing. The states partition a thread's life:
// at every instant it is in exactly one, so the time spent in each adds up
// to the elapsed time.
type State uint8

const (
	// StateNew: created, start() not called yet; not on a core.
	StateNew State = iota
	// StateStarting: a child process's interpreter is booting; on a core.
	StateStarting
	// StateRunning: on a core, executing (Python with the GIL, or C code).
	StateRunning
	// StateRunnable: wants a core and none is free; may hold the GIL if the
	// OS preempted it while it held it.
	StateRunnable
	// StateWaitGIL: waiting for the GIL: not holding it, on the waiters list.
	StateWaitGIL
	// StateWaitLock: blocked acquiring a threading.Lock, GIL released.
	StateWaitLock
	// StateIO: blocked in an I/O call (or the event loop's select), GIL released.
	StateIO
	// StateSleep: in time.sleep, GIL released.
	StateSleep
	// StateJoin: blocked in join() of a thread or process, GIL released.
	StateJoin
	// StateQueue: blocked on a queue (get, put on a full queue, join), GIL released.
	StateQueue
	// StateDone: finished, killed or terminated; never runs again.
	StateDone
	numStates
)

// NumStates is the number of thread states.
const NumStates = int(numStates)

var stateNames = [numStates]string{
	StateNew:      "new",
	StateStarting: "starting",
	StateRunning:  "running",
	StateRunnable: "runnable (no core)",
	StateWaitGIL:  "waiting for GIL",
	StateWaitLock: "waiting for lock",
	StateIO:       "blocked on I/O",
	StateSleep:    "sleeping",
	StateJoin:     "joining",
	StateQueue:    "waiting on queue",
	StateDone:     "done",
}

func (s State) String() string { return enumName(stateNames[:], int(s), "state") }

// OnCore reports whether a thread in state s occupies a core.
func (s State) OnCore() bool { return s == StateRunning || s == StateStarting }

// Blocked reports whether s is one of the blocked states (lock, I/O, sleep,
// join, queue), the ones that release the GIL and need no core.
func (s State) Blocked() bool {
	switch s {
	case StateWaitLock, StateIO, StateSleep, StateJoin, StateQueue:
		return true
	}
	return false
}

// Reason says why a thread released the GIL; the next acquisition by another
// thread is a handoff counted under the reason of the release before it.
type Reason uint8

const (
	// ReasonNone: no release yet.
	ReasonNone Reason = iota
	// ReasonInterval: a waiter's timed wait expired, it set the drop request,
	// and the holder dropped the GIL at a check point (a forced switch).
	ReasonInterval
	// ReasonCheck: the py2 holder released it at a check interval.
	ReasonCheck
	// ReasonIO: blocking I/O.
	ReasonIO
	// ReasonSleep: time.sleep.
	ReasonSleep
	// ReasonLock: waiting for a threading.Lock.
	ReasonLock
	// ReasonNative: C code between Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS.
	ReasonNative
	// ReasonJoin: waiting in join().
	ReasonJoin
	// ReasonQueue: waiting on a queue.
	ReasonQueue
	// ReasonSelect: the event loop polling its selector.
	ReasonSelect
	// ReasonStart: waiting for a new thread or process to start.
	ReasonStart
	// ReasonExit: the holder finished.
	ReasonExit
	// ReasonShutdown: the main thread's code has ended, and interpreter
	// shutdown waits for the non-daemon threads and child processes.
	ReasonShutdown
	numReasons
)

// NumReasons is the number of release reasons.
const NumReasons = int(numReasons)

var reasonNames = [numReasons]string{
	ReasonNone:     "none",
	ReasonInterval: "interval",
	ReasonCheck:    "check-interval",
	ReasonIO:       "io",
	ReasonSleep:    "sleep",
	ReasonLock:     "lock",
	ReasonNative:   "native",
	ReasonJoin:     "join",
	ReasonQueue:    "queue",
	ReasonSelect:   "select",
	ReasonStart:    "start",
	ReasonExit:     "exit",
	ReasonShutdown: "shutdown",
}

var reasonPhrases = [numReasons]string{
	ReasonNone:     "no reason",
	ReasonInterval: "interval expired, drop requested",
	ReasonCheck:    "check interval",
	ReasonIO:       "blocking I/O",
	ReasonSleep:    "time.sleep",
	ReasonLock:     "lock wait",
	ReasonNative:   "C code released it",
	ReasonJoin:     "join",
	ReasonQueue:    "queue wait",
	ReasonSelect:   "event loop select",
	ReasonStart:    "starting a thread",
	ReasonExit:     "thread exit",
	ReasonShutdown: "interpreter shutdown",
}

func (r Reason) String() string { return enumName(reasonNames[:], int(r), "reason") }

// Phrase is the reason in words, for narration and labels.
func (r Reason) Phrase() string { return enumName(reasonPhrases[:], int(r), "reason") }

// Outcome says how a run ended.
type Outcome uint8

const (
	// OutcomeRunning: the run has not ended.
	OutcomeRunning Outcome = iota
	// OutcomeCompleted: the main process exited.
	OutcomeCompleted
	// OutcomeDeadlock: nothing was pending and some thread was still blocked.
	OutcomeDeadlock
	// OutcomeLimit: the configured event or time limit stopped the run.
	OutcomeLimit
	numOutcomes
)

var outcomeNames = [numOutcomes]string{
	OutcomeRunning:   "running",
	OutcomeCompleted: "completed",
	OutcomeDeadlock:  "deadlock",
	OutcomeLimit:     "limit",
}

func (o Outcome) String() string { return enumName(outcomeNames[:], int(o), "outcome") }

func enumName(names []string, i int, what string) string {
	if i >= 0 && i < len(names) && names[i] != "" {
		return names[i]
	}
	return fmt.Sprintf("%s(%d)", what, i)
}

func parseEnum(names []string, s, what string) (int, error) {
	for i, n := range names {
		if n == s {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown %s %q (accepted: %s)", what, s, strings.Join(names, ", "))
}

// EventKind is what one event of the run was: the moment a thread's
// pending event fired.
type EventKind uint8

const (
	// EventNone: no event has been processed yet.
	EventNone EventKind = iota
	// EventBegin: the main thread of the main process starts.
	EventBegin
	// EventBurst: an on-core thread finished a stretch of CPU work (an op,
	// or part of one) and goes on with its program.
	EventBurst
	// EventCheck: a py3 holder reached the check point after a drop request.
	EventCheck
	// EventPy2Check: a py2 holder's check interval ran out.
	EventPy2Check
	// EventSlice: the OS time slice of an on-core thread ran out.
	EventSlice
	// EventContinue: an on-core thread resumes after a long stretch of ops
	// that took no time.
	EventContinue
	// EventTimer: a timed wait off the cores ended: I/O, a sleep, the
	// selector.
	EventTimer
	// EventTimeout: a py3 GIL waiter's timed wait of one interval expired.
	EventTimeout
	// EventWake: a signalled thread has woken up and wants a core.
	EventWake
	numEventKinds
)

var eventKindNames = [numEventKinds]string{
	EventNone: "none", EventBegin: "begin", EventBurst: "burst", EventCheck: "check",
	EventPy2Check: "py2-check", EventSlice: "slice", EventContinue: "continue", EventTimer: "timer",
	EventTimeout: "timeout", EventWake: "wake",
}

func (k EventKind) String() string { return enumName(eventKindNames[:], int(k), "event kind") }

// Event is one processed event: the thread it belonged to and its kind.
type Event struct {
	Thread int32
	Kind   EventKind
}

// SyncKind is what a thread in StateWaitLock waits for.
type SyncKind uint8

const (
	// SyncNone: the thread waits for no lock, semaphore or event.
	SyncNone SyncKind = iota
	// SyncLock: a threading.Lock (or RLock) another thread holds.
	SyncLock
	// SyncSemaphore: a permit of a semaphore.
	SyncSemaphore
	// SyncEvent: a threading.Event to be set.
	SyncEvent
	numSyncKinds
)

var syncKindNames = [numSyncKinds]string{SyncNone: "none", SyncLock: "lock", SyncSemaphore: "semaphore", SyncEvent: "event"}

func (k SyncKind) String() string { return enumName(syncKindNames[:], int(k), "sync kind") }
