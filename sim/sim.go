package sim

import (
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
)

// evKind is what a thread's pending event will do.
type evKind uint8

const (
	evNone     evKind = iota
	evBegin           // the main thread of the main process starts
	evCPU             // an on-core thread reaches its next stop (see stopKind)
	evContinue        // an on-core thread resumes after a long zero-time run
	evTimer           // an off-core timed wait ends (I/O, sleep, select)
	evTimeout         // a py3 GIL waiter's timed wait expires
	evWake            // a signalled thread has woken up and wants a core
)

// stopKind says why an on-core thread's evCPU fires.
type stopKind uint8

const (
	stopEnd   stopKind = iota // the CPU burst ends
	stopCheck                 // py3: the next check point after a drop request
	stopPy2                   // py2: the check interval has run out
	stopSlice                 // the OS quantum has run out
)

// cpuKind is the kind of CPU burst an on-core thread is in.
type cpuKind uint8

const (
	cpuNone     cpuKind = iota
	cpuOp               // the op at pc (Python, native, start costs, pickling, boot)
	cpuLoopIter         // an event loop iteration's own overhead
	cpuWindow           // py2: signalling waiters between release and retake
)

// gilWait is where a thread in StateWaitGIL is in take_gil / drop_gil.
type gilWait uint8

const (
	gwNone   gilWait = iota
	gwTimed          // py3: in a timed wait of one interval; may be signalled
	gwPlain          // py2: waiting to be signalled
	gwWaking         // signalled (or timed out with the GIL free); waking up
	gwSwitch         // py3 FORCE_SWITCHING: dropped it, waits until another takes it
	// py3 FORCE_SWITCHING on a voluntary release: it let the GIL go with a
	// drop request pending and waits, off the waiter list, until another
	// thread takes it; then it goes on with what it released it for.
	gwSwitchOp
)

// resumeKind is what a thread does when it next gets a core.
type resumeKind uint8

const (
	resumeRun      resumeKind = iota // continue its program
	resumeGIL                        // look at the GIL: take it or fail
	resumeLock                       // retry a lock acquire, without the GIL
	resumeSwitched                   // carry on with the op it released the GIL for, without it
)

// waitKind names the object a blocked thread waits on, for reports.
type waitKind uint8

const (
	waitNothing waitKind = iota
	waitIO
	waitSleep
	waitLock
	waitSem
	waitEvent
	waitThread
	waitProc
	waitQueueGet
	waitQueuePut
	waitQueueJoin
	waitSelect
	waitShutdown
	waitStart
)

const (
	maxLoopDepth = 8
	execBudget   = 1 << 12
)

type thread struct {
	id, proc int32
	state    State
	since    Time
	times    [numStates]Time
	core     int32
	cur      int32 // frame being executed: the thread's own, or a task's
	loop     int32 // event loop this thread runs, or -1
	rqPrev   int32 // run queue links (see runQueue)
	rqNext   int32
	wkPrev   int32 // woken list links
	wkNext   int32
	daemon   bool
	started  bool
	killed   bool
	queued   bool // in the run queue
	woke     bool // queued on waking from a wait: may preempt
	// inRunq: it has an entry in the run queue, which stays, not queued,
	// for a thread that died queued until dispatch drops it.
	inRunq bool
	late   bool // its core is in s.late

	cpu      cpuKind
	left     Time // CPU still to run in the burst
	total    Time // length of the burst
	runSince Time
	// taxed: its burst runs with the old GIL's uncontended check cost
	// folded in (py2Tax), for want of an event at every check.
	taxed    bool
	saveCPU  cpuKind // py2: the burst the release window interrupted
	saveLeft Time
	saveTot  Time
	phase    uint8 // two-step ops (pickle, then put)

	hasGIL       bool
	switched     bool // woken from the FORCE_SWITCHING wait, not by a signal
	failedAt     Time // py2: when its last wake-up found the GIL taken, or -1
	gw           gilWait
	saved        uint64 // switch_number when the timed wait began
	key          uint64 // orders timed waits expiring at one instant (see evLess)
	tf           Time   // the first expiry of its timed wait
	tin          uint8  // where its timed wait is kept (tinFresh, tinRing)
	wprev, wnext int32

	waitK  waitKind
	waitO  int32
	resume resumeKind

	ev   evKind
	stop stopKind
	at   Time
	seq  uint64
	hpos int32
}

type frame struct {
	pc       int32
	depth    int8
	regNone  bool
	regText  bool // reg indexes the workload's Texts
	reqOpen  bool
	reqEnd   bool
	loops    [maxLoopDepth]int64
	reg      int64
	loadVer  uint64
	reqStart Time
	marks    [MaxMarks]Time // clock readings (OpClock)
}

// Sim is one simulation run. Create it with New, advance it with Step, and
// read it with Snapshot, Trace and Metrics. A Sim is not safe for concurrent
// use; Clone gives an independent copy.
type Sim struct {
	cfg    Config
	w      *Workload
	codes  []Code // per frame: threads first, then tasks
	src    []string
	now    Time
	seq    uint64
	events uint64
	out    Outcome
	rng    rand.PCG
	period Time // py2 check period
	// The expiry cursor: every timed wait expiring at or before (tcT, tcK)
	// has passed (see timedwait.go); dirtyGILs lists the GILs whose next
	// expiry that counts must be found again at the end of the step.
	tcT       Time
	tcK       uint64
	dirtyGILs []int32
	rnodes    []ringNode // by thread: the rings of timed waits
	// flatTimeouts plays every expiry of every timed wait, each in the
	// event heap: the reference the lazy expiries are tested against.
	flatTimeouts bool

	threads []thread
	// inState counts the threads in each state: inState[st] is the number
	// of threads t with t.state == st, kept by setState.
	inState [numStates]int32
	joiners [][]int32 // per thread: the threads waiting in its join()
	byProc  [][]int32 // per process: its threads (shared by clones)
	frames  []frame
	procs   []proc
	locks   []lock
	sems    []sem
	tevents []event // threading.Event objects
	vars    []svar
	queues  []queue
	tasks   []task
	loops   []loop

	heap    []int32
	cores   []int32
	slice   []Time // per core: when the running thread's quantum ends
	idle    int
	runq    runQueue
	free    coreSet  // the idle cores
	late    coreSet  // cores whose thread's next stop lies past its quantum
	least   coreHeap // cores with a thread in an on-core state, least CPU first
	most    coreHeap // the same cores, most CPU first
	stale   coreSet  // cores whose place in least and most is out of date
	scratch []timer

	trace       []TraceEvent
	traceShared bool // a clone shares the trace's array
	console     chunked[ConsoleLine]
	tot         totals
	lat         chunked[Time]
	reqFrom     Time
	reqTo       Time
	last        Event
}

type totals struct {
	handoffs    [numReasons]uint64
	drops       uint64
	forced      uint64
	switchWaits uint64
	failed      uint64
	signals     uint64
	slowCalls   uint64
	lost        int64
	py2Overhead Time
}

// New validates cfg and w and returns a simulation at time zero. It never
// panics on bad input: every problem is an error naming what was wrong.
func New(cfg Config, w Workload) (*Sim, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	w.Threads = append([]ThreadSpec(nil), w.Threads...)
	for i := range w.Threads {
		w.Threads[i].Code = append(Code(nil), w.Threads[i].Code...)
	}
	w.Tasks = append([]TaskSpec(nil), w.Tasks...)
	for i := range w.Tasks {
		w.Tasks[i].Code = append(Code(nil), w.Tasks[i].Code...)
	}
	if err := validate(&w); err != nil {
		return nil, err
	}
	s := &Sim{cfg: cfg, w: &w, period: cfg.py2Period()}
	s.rng = *rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)
	if w.Source != "" {
		s.src = strings.Split(w.Source, "\n")
	}
	nt := len(w.Threads)
	s.threads = make([]thread, nt)
	if cfg.Model == ModelPy3 {
		s.rnodes = make([]ringNode, nt)
	}
	s.inState[StateNew] = int32(nt)
	s.joiners = make([][]int32, nt)
	s.byProc = make([][]int32, len(w.Procs))
	s.frames = make([]frame, nt+len(w.Tasks))
	s.codes = make([]Code, nt+len(w.Tasks))
	s.procs = make([]proc, len(w.Procs))
	for i := range s.procs {
		p := &s.procs[i]
		p.main, p.parent = -1, -1
		p.gil.holder, p.gil.last = -1, -1
		p.gil.head, p.gil.tail, p.gil.switcher = -1, -1, -1
		p.gil.ring, p.gil.cand, p.gil.proc = -1, -1, int32(i)
	}
	for i, ts := range w.Threads {
		t := &s.threads[i]
		*t = thread{id: int32(i), proc: int32(ts.Proc), core: -1, cur: int32(i), loop: -1,
			daemon: ts.Daemon, wprev: -1, wnext: -1, waitO: -1, hpos: -1,
			rqPrev: -1, rqNext: -1, wkPrev: -1, wkNext: -1, failedAt: -1}
		p := &s.procs[ts.Proc]
		s.byProc[ts.Proc] = append(s.byProc[ts.Proc], int32(i))
		if p.main < 0 {
			p.main = int32(i)
			if ts.Proc != 0 {
				boot := Op{Kind: opBoot, Line: firstLine(ts.Code)}
				code := append(Code{boot}, ts.Code...)
				// validate resolved the jumps before the boot op moved
				// every op one place on.
				for j := range code {
					switch code[j].Kind {
					case OpLoop, OpEnd, OpBreakIfNone:
						code[j].jump++
					}
				}
				s.codes[i] = code
				continue
			}
		}
		s.codes[i] = ts.Code
	}
	for k, ts := range w.Tasks {
		s.codes[nt+k] = ts.Code
	}
	s.locks = make([]lock, len(w.Locks))
	for i := range s.locks {
		s.locks[i].owner = -1
	}
	s.sems = make([]sem, len(w.Sems))
	for i, m := range w.Sems {
		s.sems[i].value = int64(m.Value)
	}
	s.tevents = make([]event, len(w.Events))
	s.vars = make([]svar, len(w.Vars))
	for i, v := range w.Vars {
		s.vars[i] = svar{val: v.Init, writer: -1}
	}
	s.queues = make([]queue, len(w.Queues))
	s.tasks = make([]task, len(w.Tasks))
	for i := range s.tasks {
		s.tasks[i].loop = -1
	}
	s.cores = make([]int32, cfg.Cores)
	s.slice = make([]Time, cfg.Cores)
	s.free = newCoreSet(cfg.Cores)
	for i := range s.cores {
		s.cores[i] = -1
		s.free.add(i)
	}
	s.idle = cfg.Cores
	s.runq = newRunQueue()
	s.late = newCoreSet(cfg.Cores)
	s.stale = newCoreSet(cfg.Cores)
	s.least = newCoreHeap(cfg.Cores, false)
	s.most = newCoreHeap(cfg.Cores, true)
	s.procs[0].started, s.procs[0].alive = true, true
	s.schedule(&s.threads[0], 0, evBegin)
	return s, nil
}

func firstLine(c Code) int32 {
	if len(c) > 0 {
		return c[0].Line
	}
	return 0
}

// Config returns the configuration the run was made with.
func (s *Sim) Config() Config { return s.cfg }

// Workload returns the workload the run simulates. It must not be modified.
func (s *Sim) Workload() *Workload { return s.w }

// Now returns the virtual time of the last processed event.
func (s *Sim) Now() Time { return s.now }

// Events returns how many events have been processed.
func (s *Sim) Events() uint64 { return s.events }

// Done reports whether the run has ended.
func (s *Sim) Done() bool { return s.out != OutcomeRunning }

// Outcome says how the run ended, or OutcomeRunning.
func (s *Sim) Outcome() Outcome { return s.out }

// Step processes one event: it advances the clock to the earliest pending
// event and carries out everything that happens at that instant for that
// thread. It returns false, and does nothing, once the run has ended.
func (s *Sim) Step() bool {
	if s.out != OutcomeRunning {
		return false
	}
	if len(s.heap) == 0 {
		s.finishStalled()
		return false
	}
	t := &s.threads[s.heap[0]]
	if s.cfg.MaxTime > 0 && t.at > Time(s.cfg.MaxTime) || s.cfg.MaxEvents > 0 && s.events >= s.cfg.MaxEvents {
		s.end(OutcomeLimit)
		return false
	}
	// The event stays at the root while it is handled: most handlers give
	// the thread its next event, which then moves down in place instead of
	// being removed and pushed again. An event not replaced is dropped.
	seq := t.seq
	s.passTimeouts(t)
	s.now = t.at
	s.events++
	s.last = Event{Thread: t.id, Kind: eventKindOf(t)}
	s.handle(t)
	if t.hpos >= 0 && t.seq == seq {
		s.unschedule(t)
	}
	s.dispatch()
	s.settleTimeouts()
	return true
}

// LastEvent says which thread the event Step processed last belonged to,
// and what it was. Before the first step its Kind is EventNone.
func (s *Sim) LastEvent() Event { return s.last }

// Run steps until the run ends and returns its outcome.
func (s *Sim) Run() Outcome {
	for s.Step() {
	}
	return s.out
}

// RunUntil steps until the next event would lie after at, or the run ends.
func (s *Sim) RunUntil(at Time) {
	for s.out == OutcomeRunning && len(s.heap) > 0 && s.threads[s.heap[0]].at <= at {
		s.Step()
	}
	if s.out == OutcomeRunning && len(s.heap) == 0 {
		s.Step()
	}
}

// AdvanceTo processes every event up to and including time t and then
// moves the clock to t, so that Now and Snapshot describe the instant t
// even between events. Nothing changes between events, so this is exact.
// A t before Now does nothing; after the run has ended the clock stays.
func (s *Sim) AdvanceTo(t Time) {
	s.RunUntil(t)
	if s.out == OutcomeRunning && t > s.now {
		s.now = t
	}
}

// NextEventTime returns when the next event will happen, and false when
// nothing is pending.
func (s *Sim) NextEventTime() (Time, bool) {
	if s.out != OutcomeRunning || len(s.heap) == 0 {
		return 0, false
	}
	return s.threads[s.heap[0]].at, true
}

func (s *Sim) handle(t *thread) {
	switch t.ev {
	case evBegin:
		s.startThread(t)
	case evCPU:
		s.progress(t)
		s.onStop(t)
	case evContinue:
		s.exec(t)
	case evTimer:
		s.onTimer(t)
	case evTimeout:
		s.onTimeout(t)
	case evWake:
		s.wakeUp(t, t.resume)
	default:
		panic(fmt.Sprintf("sim: thread %d has event kind %d", t.id, t.ev))
	}
}

// end stops the run with outcome o at the current time.
func (s *Sim) end(o Outcome) {
	if s.out != OutcomeRunning {
		return
	}
	s.out = o
	s.noteWaiters()
}

// finishStalled ends a run that has nothing pending: if the main process
// is still alive, some thread waits for something that can never happen.
func (s *Sim) finishStalled() {
	if s.procs[0].alive {
		s.end(OutcomeDeadlock)
		return
	}
	s.end(OutcomeCompleted)
}

// setState moves t to state st, crediting the time spent in the old one.
func (s *Sim) setState(t *thread, st State) {
	if t.state == st {
		return
	}
	t.times[t.state] += s.now - t.since
	t.since = s.now
	old := t.state
	t.state = st
	s.inState[old]--
	s.inState[st]++
	if t.core >= 0 && old.OnCore() != st.OnCore() {
		s.stale.add(int(t.core))
	}
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceState, Thread: t.id, Proc: t.proc, State: st, Line: s.line(t)})
	}
}

// jitter returns d plus up to OpJitter of noise.
func (s *Sim) jitter(d Time) Time {
	if j := uint64(s.cfg.OpJitter); j > 0 && d > 0 {
		d += Time(s.uniform(j))
	}
	return d
}

// uniform returns a number in [0, n) from the generator, by multiplying
// rather than dividing (Lemire's method): this is on every op's path.
func (s *Sim) uniform(n uint64) uint64 {
	hi, _ := bits.Mul64(s.rng.Uint64(), n)
	return hi
}

// wakeLatency draws one wake-up latency.
func (s *Sim) wakeLatency() Time { return s.drawLatency(Time(s.cfg.WakeLatency)) }

// drawLatency spreads the latency l by WakeJitter.
func (s *Sim) drawLatency(l Time) Time {
	if l == 0 || s.cfg.WakeJitter == 0 {
		return l
	}
	u := float64(s.rng.Uint64()>>11) / (1 << 53)
	f := 1 - s.cfg.WakeJitter + 2*s.cfg.WakeJitter*u
	return Time(float64(l) * f)
}

// randn returns a uniform integer in [0, n).
func (s *Sim) randn(n int) int { return int(s.uniform(uint64(n))) }

func (s *Sim) gilOf(t *thread) *gilState { return &s.procs[t.proc].gil }

func (s *Sim) hasGIL() bool { return s.cfg.Model.HasGIL() }

// line returns the source line thread t is at.
func (s *Sim) line(t *thread) int32 {
	fr := &s.frames[t.cur]
	code := s.codes[t.cur]
	if int(fr.pc) < len(code) {
		return code[fr.pc].Line
	}
	if len(code) > 0 {
		return code[len(code)-1].Line
	}
	return 0
}

// SourceLine returns line n (1-based) of the workload's Python source.
func (s *Sim) SourceLine(n int) string {
	if n < 1 || n > len(s.src) {
		return ""
	}
	return strings.TrimSpace(s.src[n-1])
}

// ErrWorkload is returned (wrapped) by New for a workload that refers to
// things that do not exist or nests loops wrongly.
var ErrWorkload = errors.New("invalid workload")

func validate(w *Workload) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrWorkload, fmt.Sprintf(format, args...))
	}
	if len(w.Procs) == 0 {
		return bad("no processes")
	}
	if len(w.Threads) == 0 || w.Threads[0].Proc != 0 {
		return bad("thread 0 must be the main thread of process 0")
	}
	if len(w.Threads) > 1<<24 {
		return bad("too many threads (%d)", len(w.Threads))
	}
	hasMain := make([]bool, len(w.Procs))
	for i, t := range w.Threads {
		if t.Proc < 0 || t.Proc >= len(w.Procs) {
			return bad("thread %d (%s) belongs to process %d, which does not exist", i, t.Name, t.Proc)
		}
		hasMain[t.Proc] = true
		if err := checkCode(w, t.Code, false); err != nil {
			return bad("thread %d (%s): %v", i, t.Name, err)
		}
	}
	for p, ok := range hasMain {
		if !ok {
			return bad("process %d (%s) has no thread", p, w.Procs[p].Name)
		}
		if w.Procs[p].Start >= numStartMethods {
			return bad("process %d has an unknown start method", p)
		}
	}
	for k, t := range w.Tasks {
		if err := checkCode(w, t.Code, true); err != nil {
			return bad("task %d (%s): %v", k, t.Name, err)
		}
	}
	for i, q := range w.Queues {
		if q.Kind >= numQueueKinds || q.MaxSize < 0 {
			return bad("queue %d (%s) has an unknown kind or a negative maxsize", i, q.Name)
		}
	}
	return nil
}

// checkCode checks references and loop nesting, and resolves the jump of
// every OpLoop, OpEnd and OpBreakIfNone.
func checkCode(w *Workload, c Code, inTask bool) error {
	var stack [maxLoopDepth]int32
	depth := 0
	in := func(i int32, n int) bool { return i >= 0 && int(i) < n }
	for i := range c {
		op := &c[i]
		if op.Dur < 0 || op.Check < 0 || op.Kind >= opBoot {
			return fmt.Errorf("op %d (%s) has a negative duration or an unknown kind", i, op.Kind)
		}
		ok := true
		switch op.Kind {
		case OpLoop:
			if depth == maxLoopDepth {
				return fmt.Errorf("loops nest deeper than %d", maxLoopDepth)
			}
			stack[depth] = int32(i)
			depth++
		case OpEnd:
			if depth == 0 {
				return fmt.Errorf("op %d closes a loop that was never opened", i)
			}
			depth--
			op.jump = stack[depth]
			c[stack[depth]].jump = int32(i)
			if !loopTakesTime(c[stack[depth]+1 : i]) {
				return fmt.Errorf("the loop at op %d takes no time", stack[depth])
			}
		case OpBreakIfNone:
			ok = depth > 0
		case OpLoad, OpStore:
			ok = in(op.Obj, len(w.Vars))
		case OpClock:
			ok = in(op.Obj, MaxMarks)
		case OpStart, OpJoin:
			ok = in(op.Obj, len(w.Threads)) && op.Obj != 0
		case OpAcquire, OpRelease:
			ok = in(op.Obj, len(w.Locks))
		case OpSemAcquire, OpSemRelease:
			ok = in(op.Obj, len(w.Sems))
		case OpEventWait, OpEventSet, OpEventClear:
			ok = in(op.Obj, len(w.Events))
		case OpProcStart, OpProcJoin, OpProcTerminate:
			ok = in(op.Obj, len(w.Procs)) && op.Obj != 0
		case OpPut, OpGet, OpTaskDone, OpQueueJoin:
			ok = in(op.Obj, len(w.Queues)) && (op.Kind != OpPut || op.Text != "text" || op.N >= 0 && op.N < int64(len(w.Texts)))
		case OpRunLoop:
			ok = !inTask && in(op.Obj, len(w.Tasks))
		case OpCreateTask, OpAwaitTask:
			ok = inTask && in(op.Obj, len(w.Tasks))
		case OpGather:
			ok = inTask && op.N >= 0 && in(op.Obj, len(w.Tasks)+1) && int(op.Obj)+int(op.N) <= len(w.Tasks)
		case OpAwaitSleep, OpAwaitIO:
			ok = inTask
		}
		if !ok {
			return fmt.Errorf("op %d (%s) refers to something that does not exist or is not allowed here", i, op.Kind)
		}
	}
	if depth != 0 {
		return fmt.Errorf("a loop is never closed")
	}
	for i := range c {
		if c[i].Kind == OpBreakIfNone {
			d := 0
			for j := i + 1; j < len(c); j++ {
				if c[j].Kind == OpLoop {
					d++
				} else if c[j].Kind == OpEnd {
					if d == 0 {
						c[i].jump = int32(j)
						break
					}
					d--
				}
			}
		}
	}
	return nil
}

// loopTakesTime reports whether a loop body advances the clock, so that a
// loop can never spin at one instant forever.
func loopTakesTime(body Code) bool {
	for _, op := range body {
		switch op.Kind {
		case OpPython, OpNative, OpNativeHold, OpIO, OpSleep, OpAwaitSleep, OpAwaitIO:
			if op.Dur > 0 {
				return true
			}
		case OpGet, OpAcquire, OpJoin, OpProcJoin, OpQueueJoin, OpAwaitTask:
			return true
		}
	}
	return false
}

// eventKindOf names the pending event of t, before it is handled.
func eventKindOf(t *thread) EventKind {
	switch t.ev {
	case evBegin:
		return EventBegin
	case evCPU:
		switch t.stop {
		case stopCheck:
			return EventCheck
		case stopPy2:
			return EventPy2Check
		case stopSlice:
			return EventSlice
		}
		return EventBurst
	case evContinue:
		return EventContinue
	case evTimer:
		return EventTimer
	case evTimeout:
		return EventTimeout
	case evWake:
		return EventWake
	}
	return EventNone
}
