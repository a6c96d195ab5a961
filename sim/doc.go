// Package sim is gilsim's simulation core: a deterministic discrete-event
// model of CPython threads, processes and asyncio tasks on a multi-core
// machine, under the new GIL (py3), the old GIL (py2) or none
// (free-threaded).
//
// # Vocabulary
//
// A workload is a set of processes. Each process has its own interpreter
// and so its own GIL, and runs threads; the first thread of a process is
// its main thread. A thread runs a program: a flat list of ops, each
// standing for a line of the Python source (run bytecode for a while, call
// C code with or without the GIL, block in I/O, sleep, take a lock, put on
// a queue, start a thread, await in a coroutine, ...). Loops are bracketed
// by OpLoop and OpEnd. Programs are data, never goroutines: the engine
// interprets them, one op at a time.
//
// The virtual clock counts nanoseconds from the start of the run (Time).
// An event belongs to one thread (its burst of CPU ends, its I/O
// completes, its timed wait for the GIL expires to some purpose, it wakes
// after being signalled), and every thread has at most one pending event,
// so the event queue is an indexed heap of threads ordered by (time,
// sequence number). A py3 waiter's timed wait that expires and changes
// nothing (a handoff happened during it, or a drop request is already
// pending) is not an event: only the expiries that ask for the GIL, or find
// it free, are played (timedwait.go). Expiries at one instant come before
// every other event of that instant, in the order their waits began.
// Step pops the earliest event and carries out everything that happens at
// that instant for that thread; ops that take no time run back to back
// within the step. The same Config (seed included) and Workload give the
// same events in the same order, byte for byte: all randomness comes from
// one PCG generator seeded from the Config, and nothing reads the wall
// clock.
//
// # The machine
//
// Cores run threads that want CPU: a thread running Python (with the GIL,
// or without it when free-threaded), C code, an event-loop iteration, or
// a child interpreter's boot. A thread that wants a core and finds none
// waits in a FIFO run queue (StateRunnable). While the queue is not empty
// each running thread has an OS quantum; when it runs out the thread goes
// to the back of the queue — still holding the GIL if it held it, because
// the OS knows nothing of the GIL. A thread waking from a wait may preempt
// a running one at once, as CFS's wake-up preemption does: the waker is
// placed at most SleeperCredit behind the least CPU any running thread has
// had, and preempts the running thread that has had the most if that one
// is ahead by more than WakeupGranularity. So an I/O-bound thread gets a
// core at once beside CPU hogs, while CPU hogs take turns by the quantum.
// Threads waiting for the GIL, a lock, I/O, a sleep, a join or a queue are
// blocked in the kernel: they need no core.
//
// With the GIL off, or a process per worker, every thread wants a core,
// so nothing the scheduler does after an event may cost in proportion to
// the run queue or the cores. The run queue is an intrusive doubly-linked
// list, and its woken threads are linked again, in queue order, in a list
// of their own; the idle cores, and the cores whose thread's next stop
// lies past its quantum, are bitmaps; the running threads' CPU times sit
// in two indexed heaps (least first, most first) keyed by CPU time less
// the clock, which does not change while a thread stays on its core, and
// brought up to date from the cores marked stale only when wake-up
// preemption reads them. Only the threads queued since the last event
// are marked runnable. An event
// costs O(log n) whether 4 threads are runnable or 10,000, plus O(log n)
// for each running thread whose quantum begins to count when the queue
// fills, which is a change to that thread's next event. The py3 GIL's
// timed waits cost no event unless they do something: one expiry per GIL
// is in the heap, the next that will, found in O(log n) in the number of
// waiters (timedwait.go). So a handoff costs the same with 4,000 threads
// waiting as with 4.
//
// # The new GIL (py3), after Python/ceval_gil.c
//
// A thread that wants the GIL and finds it taken waits on a condition
// variable for one switch interval; the expiry itself comes
// TimedWaitLatency late (timer slack and the wake-up, 0 by default), so a
// drop request is set at the earliest interval + TimedWaitLatency after
// the wait began. When the wait times out, if the GIL is
// still taken and switch_number has not moved during the wait, it sets the
// drop request; either way it waits again. The holder notices the request
// only at check points — the back-edge of a loop (every Check of an
// OpPython, and OpEnd), a function's entry (OpCheck) — so straight-line
// bytecode and C code that keeps the GIL are never interrupted. There it
// drops the GIL, signals one waiter (the successor policy picks which:
// FIFO by default, or a seeded random choice), and, as FORCE_SWITCHING
// demands, waits until another thread has taken the GIL before it queues
// up again. A voluntary release (blocking I/O, time.sleep, a lock wait, C
// code between Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS, the event
// loop's selector) signals a waiter too, and goes on without waiting for
// the switch, unless a drop request is pending: then drop_gil waits on
// switch_cond as a forced drop does (FORCE_SWITCHING), and the I/O, the
// sleep or the C code begins only once another thread has taken the GIL
// and the releaser has woken (SwitchWaits counts these). A thread that
// ends releases without a thread state, and never waits.
// A signalled waiter needs WakeLatency (jittered) before it can look at
// the GIL, while a thread returning from I/O, already running, needs
// none: that is why the releaser wins the race when its call is shorter
// than that, and the woken waiter's wake-up fails. The default, 10µs, is
// what makes Skvortsov's convoy figures come out: there the CPU-bound
// thread takes the GIL even during the echo server's few-µs send. A
// waiter signalled when no core is free for it needs WakeLatencyPreempt
// instead (when set; 0, the default, means WakeLatency): the OS must
// preempt a running thread, or a core must come free, before it runs.
// "No core free" is judged when the signal is sent: the idle cores, plus
// the signaller's own core if it leaves it at once (a forced drop, a
// blocking call, the thread's end), do not outnumber the threads already
// queued for a core. A release for C code, Thread.start, a selector poll
// that does not wait or the py2 check keeps the signaller on its core.
// The FORCE_SWITCHING waiter, woken by the new holder, is judged the same
// way; wake-ups from locks, queues, events and joins keep WakeLatency.
// Every acquisition by a thread other than the last holder is a handoff,
// counted under the reason of the release before it. The convoy effect
// of bpo-7946 follows without being programmed: an I/O thread coming back
// from each call must wait a whole interval before it may even ask for
// the GIL.
//
// # The old GIL (py2)
//
// The old GIL exists once a second thread has started in the process
// (PyEval_InitThreads); from then on, every CheckInterval ticks of Python
// execution (100 ticks of Tick each) the holder releases the GIL, signals
// a waiter if one sleeps, and takes the GIL back, whether anybody waits or
// not. What the release costs the holder, with the GIL free meanwhile,
// depends on whom it wakes: a waiter asleep on the GIL while a core is idle
// costs SignalRemote (a futex wake and an inter-processor interrupt); one
// asleep with no core idle costs SignalLocal, and is woken on the
// releaser's own core, where wake-up preemption may run it at once, inside
// the window, so that it takes the GIL (on one core that is how the
// threads take turns); with every waiter already woken and on its way the
// futex wake is made all the same, for SignalLocal; with nobody waiting
// the release and retake cost SignalNone. A woken waiter that arrives
// outside a window finds the GIL taken: a failed wake-up, and it sleeps
// again; signalled again within two check periods, while its core is
// still awake, it wakes in RewakeLatency (when set), and so may catch the
// next window: how the old GIL changes hands on Linux, where a first
// wake-up outlasts the window. With nobody waiting the checks are not
// simulated one by one: the holder's Python is stretched by SignalNone a
// check. The beazley-2010 profile reproduces Beazley's 2010 measurements
// (two CPU-bound threads about 2x slower than one in the main thread on
// several cores, about 1.45x on one core); the checks fall on any
// bytecode, so py2 can switch between a load and a store.
//
// # No GIL (free-threaded, PEP 703)
//
// Python runs on every core at once and takes FreeThreadTax longer, the
// single-thread overhead of the free-threaded build. Nothing serialises
// `counter += 1`: a load and a store are separate ops, and a store over a
// value another thread changed since the load loses that thread's
// increments, which the engine counts.
//
// # Processes, queues and asyncio
//
// Process.start costs the parent ProcStartParent (holding the GIL, as
// os.fork does) and the child ProcStartChild of CPU to boot its
// interpreter, by start method. A process exits when its main thread is
// done and, as at interpreter shutdown, its non-daemon threads and child
// processes have finished; daemon ones are killed then. A main thread whose
// code has ended waits for them in the joining state, marked AtExit, and
// the GIL it lets go counts under reason shutdown. Releasing a Lock or a
// Semaphore, or setting an Event, that wakes a blocked thread costs the
// caller WakeCost (the futex wake, 0 by default); the uncontended
// operations are Python, which a program's cost table charges. A process keeps the
// exception its main thread died of. queue.Queue,
// multiprocessing.Queue and JoinableQueue block with the GIL released; the
// multiprocessing ones pickle each item on put and unpickle it on get
// (Pickle and Unpickle, holding the GIL). task_done and join on a plain
// multiprocessing.Queue raise AttributeError with a CPython-style
// traceback, and the thread dies of it. Semaphores (bounded or not) and
// threading.Event block their waiters as a lock does, in the waiting for
// lock state; Event.set moves every waiter past its wait before waking it,
// so a set followed at once by clear still lets them through, as in
// CPython. An event loop runs in one thread
// as BaseEventLoop._run_once does: poll the selector (timeout 0 if
// callbacks are ready, else until the next timer or I/O completion,
// rounded up to a multiple of SelectorResolution as epoll's milliseconds
// round it on Linux), move completions and due timers to the ready queue, run exactly the
// callbacks that were ready when the iteration began. A task step, from
// one await to the next, is one callback; a step longer than SlowCallback
// is logged the way debug mode logs it. A blocking call inside a
// coroutine blocks the loop's thread, and so every task; the loop keeps
// the longest a task's step began after its sleep was over (MaxLate).
//
// # Reading a run
//
// Snapshot describes an instant, Metrics the run so far, and the trace
// (with Config.Trace) every change worth telling. Some events change
// nothing a trace records (a thread moves from one op to the next, a py3
// waiter's timed wait expires with the GIL free and it wakes): LastEvent
// says whose event Step processed and what kind it was, so that every
// step can be told. A reader that follows the trace step
// by step reads Trace in place and calls ClearTrace, or copies it out
// with DrainTrace.
//
// # Invariants
//
// Between any two steps (CheckInvariants verifies them): each interpreter
// has at most one GIL holder, and the GIL agrees with it; the holder is
// running, or runnable because the OS preempted it; at most Cores threads
// are on cores, exactly the ones in StateRunning or StateStarting; a
// thread is on a GIL's waiters list exactly when it waits for that GIL
// (or, woken, waits for a core to look at it); no core is idle while a
// thread is runnable; the clock never goes back; and each thread's time
// in every state adds up to the elapsed time, because the states
// partition a thread's life. The scheduler's indexes agree with the run
// queue and the cores. A lock has at most one holder; a queue holds its
// puts less its gets, never more than its maxsize; a thread on a lock's
// or a queue's or a join's waiters list is blocked on it, and a blocked
// thread is on the list of what it waits for, or has been woken and will
// run after its wake-up latency (still in its blocked state, off the
// list). An event loop runs at most one task step at a time, in its
// thread; a process that has exited has no live thread.
//
// # What is simplified
//
// Durations are given, not measured: an op says how long its bytecode or
// C code runs (plus up to OpJitter of noise). A timed wait's expiry is
// handled TimedWaitLatency late, a fixed delay without jitter (instantly
// by default). The py3 drop request is per interpreter and takes effect at the
// next check point; CPython 3.13's per-thread eval-breaker bits make no
// difference to who runs when. A thread killed by terminate keeps any
// lock it held. multiprocessing.Queue has no feeder thread: the putter
// pickles synchronously and the item is at once visible to getters.
// print() takes no time and does not release the GIL. An exception in a
// task escapes the event loop and ends the loop's thread. The OS
// scheduler is round-robin with one quantum plus CFS's wake-up
// preemption, measured by each thread's total CPU, not CFS's weighted
// virtual runtime; it has no priorities and no per-core run queues.
//
// # Designs rejected
//
// Goroutines per pseudo-thread, with channels for the GIL, would make the
// schedule depend on the Go runtime and give up determinism; the
// interpreter of ops keeps every decision in one place. A fixed time step
// would either miss the nanosecond races of `counter += 1` or cost
// millions of idle steps per virtual second; events cost only what
// happens. A plain heap with stale entries, invalidated by generation
// counters, grows with every reschedule (each drop request reschedules the
// holder); the indexed heap holds one entry per thread and moves it in
// place. Scanning the run queue and the cores after every event, as the
// engine first did, is simpler and fine under the GIL, whose waiters need
// no core; with the GIL off an event then cost about 17µs at 1,000
// runnable threads and 190µs at 10,000 (BenchmarkEvents), so the
// scheduler keeps the indexes
// described above instead, and they agree with a scan to the byte of the
// trace. Copying the whole state for every event to step back would cost
// memory per event; Clone copies it once, and a caller can keep clones
// every so many events and replay from the nearest one.
package sim
