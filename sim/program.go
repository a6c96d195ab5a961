package sim

import (
	"slices"
	"strconv"
	"time"
)

// OpKind is one instruction of a pseudo-thread's program.
type OpKind uint8

const (
	// OpPython runs bytecode for Dur while holding the GIL. The holder can
	// notice a drop request only at check points: every Check of execution
	// inside the op (its loop back-edges) and at its end; Check 0 means
	// straight-line bytecode with no check point inside.
	OpPython OpKind = iota
	// OpNative runs C code for Dur on a core with the GIL released.
	OpNative
	// OpNativeHold runs C code for Dur holding the GIL: no check point.
	OpNativeHold
	// OpIO blocks in an I/O call for Dur, GIL released, no core.
	OpIO
	// OpSleep is time.sleep(Dur).
	OpSleep
	// OpCheck is an eval-breaker check point (a function call's entry).
	OpCheck
	// OpLoop starts a loop whose body runs N times (N < 0: forever).
	OpLoop
	// OpEnd closes the innermost loop; its back-edge is a check point.
	OpEnd
	// OpBreakIfNone leaves the innermost loop if the register holds None.
	OpBreakIfNone
	// OpLoad copies shared variable Obj into the thread's register.
	OpLoad
	// OpStore writes the register plus N into shared variable Obj.
	OpStore
	// OpPrint prints Text to the console, with "{}" replaced by the register.
	OpPrint
	// OpStart starts thread Obj (threading.Thread.start).
	OpStart
	// OpJoin waits for thread Obj to finish; with N 1, for Dur at most.
	OpJoin
	// OpAcquire acquires threading.Lock Obj, blocking with the GIL released.
	OpAcquire
	// OpRelease releases threading.Lock Obj.
	OpRelease
	// OpProcStart starts process Obj (multiprocessing.Process.start).
	OpProcStart
	// OpProcJoin waits for process Obj to exit; with N 1, for Dur at most.
	OpProcJoin
	// OpProcTerminate kills process Obj (Process.terminate).
	OpProcTerminate
	// OpPut puts item N on queue Obj: None when Text is "None", N plus the
	// innermost loop's iteration number when Text is "index", the text
	// Texts[N] of the workload when Text is "text".
	OpPut
	// OpGet takes an item from queue Obj into the register.
	OpGet
	// OpTaskDone calls task_done on queue Obj.
	OpTaskDone
	// OpQueueJoin calls join on queue Obj.
	OpQueueJoin
	// OpRunLoop runs an asyncio event loop in this thread until task Obj is
	// done (run_until_complete, asyncio.run).
	OpRunLoop
	// OpAwaitSleep is await asyncio.sleep(Dur) inside a task.
	OpAwaitSleep
	// OpAwaitIO awaits non-blocking I/O that completes after Dur.
	OpAwaitIO
	// OpCreateTask schedules task Obj on the running loop.
	OpCreateTask
	// OpAwaitTask awaits task Obj.
	OpAwaitTask
	// OpGather creates tasks Obj .. Obj+N-1 that are not yet scheduled and
	// awaits them all.
	OpGather
	// OpRaise raises an exception, Text "Kind: message" (such as
	// "ZeroDivisionError: division by zero"): a traceback on the console,
	// and the thread dies of it.
	OpRaise
	// OpClock reads the virtual clock into the frame's mark Obj, one of
	// MaxMarks: time.time() or time.perf_counter(). A print shows what
	// marks hold, or the time between two, through ClockText.
	OpClock
	// OpSemAcquire takes a permit of semaphore Obj (threading.Semaphore),
	// blocking with the GIL released while none is left.
	OpSemAcquire
	// OpSemRelease gives a permit back to semaphore Obj; a bounded one
	// given more than it started with raises ValueError.
	OpSemRelease
	// OpEventWait waits, with the GIL released, until event Obj is set
	// (threading.Event.wait); with N 1, for Dur at most.
	OpEventWait
	// OpEventSet sets event Obj and wakes every thread waiting for it.
	OpEventSet
	// OpEventClear clears event Obj.
	OpEventClear
	// opBoot is a child process's interpreter start-up; New inserts it.
	opBoot
	numOpKinds
)

var opNames = [numOpKinds]string{
	OpPython: "python", OpNative: "native", OpNativeHold: "native-hold", OpIO: "io",
	OpSleep: "sleep", OpCheck: "check", OpLoop: "loop", OpEnd: "end",
	OpBreakIfNone: "break-if-none", OpLoad: "load", OpStore: "store", OpPrint: "print",
	OpStart: "start", OpJoin: "join", OpAcquire: "acquire", OpRelease: "release",
	OpProcStart: "process-start", OpProcJoin: "process-join", OpProcTerminate: "process-terminate",
	OpPut: "put", OpGet: "get", OpTaskDone: "task-done", OpQueueJoin: "queue-join",
	OpRunLoop: "run-loop", OpAwaitSleep: "await-sleep", OpAwaitIO: "await-io",
	OpCreateTask: "create-task", OpAwaitTask: "await-task", OpGather: "gather", OpRaise: "raise", OpClock: "clock",
	OpSemAcquire: "semaphore-acquire", OpSemRelease: "semaphore-release",
	OpEventWait: "event-wait", OpEventSet: "event-set", OpEventClear: "event-clear", opBoot: "boot",
}

func (k OpKind) String() string { return enumName(opNames[:], int(k), "op") }

// Req marks an I/O op as part of a request whose latency the metrics report.
type Req uint8

const (
	// ReqNone: not part of a request.
	ReqNone Req = iota
	// ReqBegin: the request starts when this op is issued.
	ReqBegin
	// ReqEnd: the request ends when the thread runs Python again after this op.
	ReqEnd
	// ReqWhole: both: the request is this one op, up to the GIL retaken.
	ReqWhole
)

// Op is one instruction. Every op carries the line of the Python source it
// stands for; the other fields mean what its Kind says.
type Op struct {
	Kind  OpKind
	Line  int32
	Obj   int32
	N     int64
	Dur   time.Duration
	Check time.Duration
	Req   Req
	Text  string
	jump  int32
}

// Code is a program: a flat list of ops in which loops are bracketed by
// OpLoop and OpEnd. Build it with the helpers below and Seq.
type Code []Op

// Seq concatenates code.
func Seq(parts ...Code) Code {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make(Code, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Loop runs body n times; n < 0 runs it until a break. The back-edge at the
// end of every iteration is a check point.
func Loop(line int, n int64, body ...Code) Code {
	return Seq(Code{{Kind: OpLoop, Line: int32(line), N: n}}, Seq(body...), Code{{Kind: OpEnd, Line: int32(line)}})
}

// Python runs bytecode for d with check points every check (0: none inside).
func Python(line int, d, check time.Duration) Code {
	return Code{{Kind: OpPython, Line: int32(line), Dur: d, Check: check}}
}

// Native runs C code for d with the GIL released.
func Native(line int, d time.Duration) Code {
	return Code{{Kind: OpNative, Line: int32(line), Dur: d}}
}

// NativeHold runs C code for d that keeps the GIL and cannot be interrupted.
func NativeHold(line int, d time.Duration) Code {
	return Code{{Kind: OpNativeHold, Line: int32(line), Dur: d}}
}

// IO blocks in I/O for d with the GIL released.
func IO(line int, d time.Duration, req Req) Code {
	return Code{{Kind: OpIO, Line: int32(line), Dur: d, Req: req}}
}

// Sleep is time.sleep(d).
func Sleep(line int, d time.Duration) Code {
	return Code{{Kind: OpSleep, Line: int32(line), Dur: d}}
}

// CheckPoint is an eval-breaker check point, such as a function call's entry.
func CheckPoint(line int) Code { return Code{{Kind: OpCheck, Line: int32(line)}} }

// BreakIfNone leaves the innermost loop when the register holds None.
func BreakIfNone(line int) Code { return Code{{Kind: OpBreakIfNone, Line: int32(line)}} }

// Load reads shared variable v into the register.
func Load(line, v int) Code { return Code{{Kind: OpLoad, Line: int32(line), Obj: int32(v)}} }

// Store writes the register plus add into shared variable v.
func Store(line, v int, add int64) Code {
	return Code{{Kind: OpStore, Line: int32(line), Obj: int32(v), N: add}}
}

// Print prints text.
func Print(line int, text string) Code { return Code{{Kind: OpPrint, Line: int32(line), Text: text}} }

// Start starts thread t.
func Start(line, t int) Code { return Code{{Kind: OpStart, Line: int32(line), Obj: int32(t)}} }

// Join waits for thread t.
func Join(line, t int) Code { return Code{{Kind: OpJoin, Line: int32(line), Obj: int32(t)}} }

// Acquire acquires lock l.
func Acquire(line, l int) Code { return Code{{Kind: OpAcquire, Line: int32(line), Obj: int32(l)}} }

// Release releases lock l.
func Release(line, l int) Code { return Code{{Kind: OpRelease, Line: int32(line), Obj: int32(l)}} }

// ProcStart starts process p.
func ProcStart(line, p int) Code { return Code{{Kind: OpProcStart, Line: int32(line), Obj: int32(p)}} }

// ProcJoin waits for process p to exit.
func ProcJoin(line, p int) Code { return Code{{Kind: OpProcJoin, Line: int32(line), Obj: int32(p)}} }

// ProcTerminate kills process p.
func ProcTerminate(line, p int) Code {
	return Code{{Kind: OpProcTerminate, Line: int32(line), Obj: int32(p)}}
}

// Put puts item on queue q.
func Put(line, q int, item int64) Code {
	return Code{{Kind: OpPut, Line: int32(line), Obj: int32(q), N: item}}
}

// PutNone puts None on queue q, the usual "no more work" sentinel.
func PutNone(line, q int) Code {
	return Code{{Kind: OpPut, Line: int32(line), Obj: int32(q), Text: "None"}}
}

// PutIndex puts base plus the innermost loop's iteration number (0, 1, ...)
// on queue q: the i of "for i in range(n): q.put(i)".
func PutIndex(line, q int, base int64) Code {
	return Code{{Kind: OpPut, Line: int32(line), Obj: int32(q), N: base, Text: "index"}}
}

// PutText puts the workload's text Texts[i] on queue q: an item a
// program prints, such as a string.
func PutText(line, q, i int) Code {
	return Code{{Kind: OpPut, Line: int32(line), Obj: int32(q), N: int64(i), Text: "text"}}
}

// Get takes an item from queue q into the register.
func Get(line, q int) Code { return Code{{Kind: OpGet, Line: int32(line), Obj: int32(q)}} }

// TaskDone calls q.task_done().
func TaskDone(line, q int) Code { return Code{{Kind: OpTaskDone, Line: int32(line), Obj: int32(q)}} }

// QueueJoin calls q.join().
func QueueJoin(line, q int) Code { return Code{{Kind: OpQueueJoin, Line: int32(line), Obj: int32(q)}} }

// RunLoop runs an event loop in this thread until task main is done.
func RunLoop(line, main int) Code {
	return Code{{Kind: OpRunLoop, Line: int32(line), Obj: int32(main)}}
}

// AwaitSleep is await asyncio.sleep(d).
func AwaitSleep(line int, d time.Duration) Code {
	return Code{{Kind: OpAwaitSleep, Line: int32(line), Dur: d}}
}

// AwaitIO awaits non-blocking I/O that completes after d.
func AwaitIO(line int, d time.Duration, req Req) Code {
	return Code{{Kind: OpAwaitIO, Line: int32(line), Dur: d, Req: req}}
}

// CreateTask schedules task k on the running loop.
func CreateTask(line, k int) Code {
	return Code{{Kind: OpCreateTask, Line: int32(line), Obj: int32(k)}}
}

// AwaitTask awaits task k.
func AwaitTask(line, k int) Code { return Code{{Kind: OpAwaitTask, Line: int32(line), Obj: int32(k)}} }

// Gather schedules tasks first .. first+n-1 and awaits them all.
func Gather(line, first, n int) Code {
	return Code{{Kind: OpGather, Line: int32(line), Obj: int32(first), N: int64(n)}}
}

// Raise raises exception exc ("NameError") with message msg.
func Raise(line int, exc, msg string) Code {
	return Code{{Kind: OpRaise, Line: int32(line), Text: exc + ": " + msg}}
}

// SemAcquire takes a permit of semaphore m.
func SemAcquire(line, m int) Code {
	return Code{{Kind: OpSemAcquire, Line: int32(line), Obj: int32(m)}}
}

// SemRelease gives a permit back to semaphore m.
func SemRelease(line, m int) Code {
	return Code{{Kind: OpSemRelease, Line: int32(line), Obj: int32(m)}}
}

// EventWait waits until event e is set.
func EventWait(line, e int) Code { return Code{{Kind: OpEventWait, Line: int32(line), Obj: int32(e)}} }

// Timeout gives the wait of a one-op join, process join or event wait a
// timeout: after d it goes on, waiting no more (join(timeout=d)).
func Timeout(c Code, d time.Duration) Code {
	c = slices.Clone(c)
	c[0].N, c[0].Dur = 1, d
	return c
}

// EventSet sets event e.
func EventSet(line, e int) Code { return Code{{Kind: OpEventSet, Line: int32(line), Obj: int32(e)}} }

// EventClear clears event e.
func EventClear(line, e int) Code {
	return Code{{Kind: OpEventClear, Line: int32(line), Obj: int32(e)}}
}

// MaxMarks is how many clock readings a frame holds at once.
const MaxMarks = 4

// Clock reads the virtual clock into mark m of the frame.
func Clock(line, m int) Code { return Code{{Kind: OpClock, Line: int32(line), Obj: int32(m)}} }

// The delimiters of a clock reading in a print's text (private-use
// characters, which no program prints by chance).
const (
	clockOpen  = "\uE000"
	clockClose = "\uE001"
)

// ClockText is the part of a print's text that shows, in seconds, mark a
// less mark b (b < 0: mark a itself, the seconds since the run began),
// times scale, formatted as Python's format(x, spec) does for a float
// ("" for repr, ".2f", ".3e", ".1%").
func ClockText(a, b int, scale float64, spec string) string {
	return clockOpen + strconv.Itoa(a) + "," + strconv.Itoa(b) + "," +
		strconv.FormatFloat(scale, 'g', -1, 64) + "," + spec + clockClose
}

// Workload is everything one run simulates: processes, their threads and
// the programs they run, and the objects those programs share.
type Workload struct {
	// File is the Python file name used in tracebacks ("main.py").
	File string
	// Source is the Python source text; ops' lines refer to it.
	Source string
	// Procs lists the processes; Procs[0] is the main process, which runs
	// from time zero. Others start when a thread runs OpProcStart.
	Procs []ProcSpec
	// Threads lists every thread. The first thread of each process is its
	// main thread; Threads[0] must belong to process 0.
	Threads []ThreadSpec
	// Locks names the threading.Lock objects.
	Locks []string
	// Sems lists the semaphores.
	Sems []SemSpec
	// Events names the threading.Event objects.
	Events []string
	// Texts are the items other than ints and None that programs put on
	// queues, as print shows them (PutText).
	Texts []string
	// Vars lists the shared variables.
	Vars []VarSpec
	// Queues lists the queues.
	Queues []QueueSpec
	// Tasks lists the asyncio tasks.
	Tasks []TaskSpec
}

// ProcSpec describes a process.
type ProcSpec struct {
	Name   string
	Start  StartMethod
	Daemon bool
}

// ThreadSpec describes a thread: its name, its process, its program.
type ThreadSpec struct {
	Name string
	// Func names the function the thread runs, for tracebacks.
	Func   string
	Proc   int
	Code   Code
	Daemon bool
}

// SemSpec describes a semaphore: threading.Semaphore(Value), or
// BoundedSemaphore(Value) when Bounded.
type SemSpec struct {
	Name    string
	Value   int
	Bounded bool
}

// VarSpec describes a shared variable.
type VarSpec struct {
	Name string
	Init int64
}

// QueueSpec describes a queue.
type QueueSpec struct {
	Name    string
	Kind    QueueKind
	MaxSize int
}

// TaskSpec describes an asyncio task: its name ("Task-1"), the coroutine
// function it runs, and the coroutine's program.
type TaskSpec struct {
	Name string
	Coro string
	Code Code
}
