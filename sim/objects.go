package sim

// The shared objects threads and tasks use, and the small containers the
// engine needs. Wait lists are FIFO slices; a woken thread that finds the
// object still unavailable goes back to the end, as a futex waiter does.

// gilState is one interpreter's GIL, named after the fields of
// Python/ceval_gil.c.
type gilState struct {
	locked      bool
	holder      int32 // -1 when not held
	last        int32 // last_holder: the last thread that took it
	switchNo    uint64
	dropRequest bool
	switcher    int32 // the thread waiting in drop_gil for a switch, or -1
	// Waiters in arrival order, an intrusive list through thread.wprev/wnext.
	head, tail int32
	n          int
	// py2: Python executed since the last check.
	py2Used Time
	// py2: a second thread has started, so the GIL exists
	// (PyEval_InitThreads) and every check releases and retakes it.
	threaded bool
	// py3: the timed waits on this GIL (see timedwait.go). fresh[fhead:]
	// are the waiters whose first expiry is to come, fbase the number of
	// entries ever dropped from its front, swAbs the place in it of the
	// first waiter that began after the last switch, and (swT, swK) the
	// expiry cursor at that switch; ring holds the others. cand is the
	// waiter whose next expiry that counts is in the event heap, or -1.
	fresh        []freshEntry
	fhead, fbase int
	swAbs        int
	swT          Time
	swK          uint64
	ring, cand   int32
	proc         int32
	dirty        bool
	// The release before the next acquisition, and the last handoff.
	lastReason Reason
	handoffs   uint64
	lastHand   Handoff
	waitArea   float64
	maxWaiters int
	since      Time
}

type proc struct {
	started  bool
	alive    bool
	exited   bool
	startAt  Time
	readyAt  Time
	exitAt   Time
	exitCode int
	main     int32
	parent   int32
	live     int // started non-daemon threads other than main, not done
	liveKids int // started non-daemon child processes, not exited
	daemons  int // started daemon child processes, not exited
	gil      gilState
	joiners  []int32
	// exc is the exception its main thread died of ("AttributeError: ..."),
	// or empty.
	exc string
}

type lock struct {
	owner    int32
	waiters  []int32
	acquires uint64
	contends uint64
}

// sem is a semaphore: its permits left and the threads waiting for one.
type sem struct {
	value    int64
	waiters  []int32
	acquires uint64
	contends uint64
}

// event is a threading.Event: set or not, and the threads waiting.
type event struct {
	set     bool
	waiters []int32
}

type svar struct {
	val    int64
	ver    uint64
	writer int32
	lost   int64
}

type queue struct {
	items      ring[item]
	unfinished int
	high       int
	puts, gets uint64
	getters    []int32
	putters    []int32
	joiners    []int32
}

// item is a queued value: an integer, or None.
type item struct {
	val  int64
	none bool
	text bool // val indexes the workload's Texts
}

// TaskState is where an asyncio task is in its life.
type TaskState uint8

const (
	// TaskPending: created, not yet scheduled on a loop.
	TaskPending TaskState = iota
	// TaskReady: on its loop's ready queue, waiting for the loop to run it.
	TaskReady
	// TaskRunning: its loop's thread runs one of its steps.
	TaskRunning
	// TaskSleeping: suspended in await asyncio.sleep, a timer pending.
	TaskSleeping
	// TaskIO: suspended in awaited I/O, registered with the selector.
	TaskIO
	// TaskAwaiting: suspended until other tasks finish (await, gather).
	TaskAwaiting
	// TaskFinished: its coroutine has returned (or raised).
	TaskFinished
	numTaskStates
)

// NumTaskStates is the number of task states.
const NumTaskStates = int(numTaskStates)

var taskStateNames = [numTaskStates]string{
	TaskPending:  "pending",
	TaskReady:    "ready",
	TaskRunning:  "running",
	TaskSleeping: "sleeping",
	TaskIO:       "awaiting I/O",
	TaskAwaiting: "awaiting",
	TaskFinished: "done",
}

func (s TaskState) String() string { return enumName(taskStateNames[:], int(s), "task state") }

type task struct {
	loop     int32
	state    TaskState
	waitN    int32 // gather: tasks still to finish
	awaiters []int32
	doneAt   Time
	// due is when the timer of the sleep it is ready after was due; zero
	// when it is not ready after a sleep.
	due Time
}

type loop struct {
	thread   int32
	main     int32
	ready    ring[int32]
	timers   timerHeap
	ntodo    int
	cur      int32
	start    Time
	stopping bool
	closed   bool
	phase    loopPhase
	iters    uint64
	high     int
	// maxLate is the longest a task's step began after its sleep was over.
	maxLate Time
}

// timer is an asyncio timer or an awaited I/O completion.
type timer struct {
	at   Time
	seq  uint64
	task int32
	io   bool
}

// timerHeap is a binary min-heap of timers by (at, seq).
type timerHeap []timer

func (h timerHeap) less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].seq < h[j].seq
}

func (h *timerHeap) push(x timer) {
	*h = append(*h, x)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if !a.less(i, p) {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *timerHeap) pop() timer {
	a := *h
	x := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && a.less(r, l) {
			m = r
		}
		if !a.less(m, i) {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return x
}

// ring is a FIFO that reuses its storage.
type ring[T any] struct {
	buf  []T
	head int
	n    int
}

func (r *ring[T]) len() int { return r.n }

func (r *ring[T]) push(x T) {
	if r.n == len(r.buf) {
		nb := make([]T, max(8, 2*len(r.buf)))
		for i := 0; i < r.n; i++ {
			nb[i] = r.at(i)
		}
		r.buf, r.head = nb, 0
	}
	r.buf[(r.head+r.n)%len(r.buf)] = x
	r.n++
}

func (r *ring[T]) pop() T {
	x := r.buf[r.head]
	r.head = (r.head + 1) % len(r.buf)
	r.n--
	return x
}

func (r *ring[T]) at(i int) T { return r.buf[(r.head+i)%len(r.buf)] }

func (r ring[T]) clone() ring[T] {
	c := ring[T]{buf: make([]T, len(r.buf)), n: r.n}
	for i := 0; i < r.n; i++ {
		c.buf[i] = r.at(i)
	}
	return c
}
