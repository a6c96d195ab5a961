package scenarios

import (
	"fmt"
	"slices"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// The code examples of the source article, section by section, each run
// from its Python file in programs/. Each keeps the article's code;
// comments are translated, and what was corrected or added for the
// simulation is marked "added" or "corrected" in the source and said in
// the Notice.

var joinParam = Param{Name: "join", Kind: Bool, Default: "true",
	Help: "wait for the worker with join() (section 4); false is the section 3 code, which leaves it to interpreter shutdown"}

// joined names the file of a program with or without its join: name.py
// joins, name_nojoin.py leaves it to interpreter shutdown.
func joined(v Values, name string) string {
	if v.Bool("join") {
		return name + ".py"
	}
	return name + "_nojoin.py"
}

var threadStart = fromPython(&Scenario{
	ID: "thread-start",
	ArticleSections: []Section{
		{Number: "3.1.1", Title: "Creating and starting a thread", Heading: "线程的创建和启动", Set: []string{"join=false"}},
		{Number: "4.1", Title: "A multithreading example", Heading: "多线程示例", Set: []string{"join=true"}},
	},
	Title:   "Starting a thread",
	Summary: "start (and join) one thread: a thread costs a fraction of a millisecond to start",
	Notice: "t.start() costs the main thread about 0.15 ms, and the new thread needs the GIL before it can " +
		"print. Section 3.1.1 has no t.join() (join=false): the main thread's code ends first, and interpreter " +
		"shutdown then waits for the non-daemon thread anyway. Most of the run is import threading (about 5 ms " +
		"under 3.12).",
	Params:  []Param{joinParam},
	Pace:    Pace{Speed: 200 * time.Microsecond, Zoom: 20 * time.Microsecond},
	verdict: threadStartVerdict,
	lessons: threadStartLessons,
}, pyBinding{file: func(v Values) string { return joined(v, "thread_start") }})

var threadLock = fromPython(&Scenario{
	ID: "thread-lock",
	ArticleSections: []Section{
		{Number: "3.1.2", Title: "Thread synchronisation", Heading: "线程同步"},
	},
	Title:   "Threads and a lock",
	Summary: "workers taking turns on a threading.Lock",
	Notice: "Extended: the article starts one worker, which has nobody to contend with; here several start, and " +
		"each holds the lock a while (time.sleep, which releases the GIL). The others reach `with lock:` and " +
		"block on the lock, not on the GIL: the lock lets one worker in at a time, so from the first worker's " +
		"start the run takes about workers × hold.",
	Params: []Param{
		{Name: "workers", Kind: Int, Default: "4", Min: 1, Max: 1000, Help: "number of worker threads"},
		{Name: "hold", Kind: Duration, Default: "10ms", Min: 0, Max: int64(time.Minute), Help: "how long each worker holds the lock (time.sleep inside it)"},
	},
	Pace:    Pace{Speed: 2 * time.Millisecond, Zoom: 200 * time.Microsecond},
	figures: func(v Values, m sim.Metrics) []Figure { return lockFigures(m) },
	verdict: threadLockVerdict,
	lessons: lockLessons,
}, pyBinding{})

var startMethodParam = Param{Name: "start_method", Kind: Choice, Default: "fork", Choices: []string{"fork", "spawn", "forkserver"},
	Help: "how multiprocessing starts the child: fork copies the parent, spawn starts a fresh interpreter, forkserver forks from a server"}

var processStart = fromPython(&Scenario{
	ID: "process-start",
	ArticleSections: []Section{
		{Number: "3.2.1", Title: "Creating and starting a process", Heading: "进程的创建和启动", Set: []string{"join=false"}},
		{Number: "4.2", Title: "A multiprocessing example", Heading: "多进程示例", Set: []string{"join=true"}},
	},
	Title:   "Starting a process",
	Summary: "start (and join) one process: its own interpreter and GIL, at a start-up cost of ms",
	Notice: "A process has its own interpreter and its own GIL, so it never waits for the parent's; but it " +
		"costs milliseconds to start (fork), and tens of them with spawn, which boots a fresh interpreter " +
		"(import multiprocessing, before it, takes about 19 ms under 3.12). " +
		"Corrected: the `if __name__ == \"__main__\":` guard, without which spawn and forkserver fail (the child " +
		"re-imports the main module); with start_method=spawn or forkserver, set_start_method (added) chooses the method.",
	Params:  []Param{startMethodParam, joinParam},
	Pace:    Pace{Speed: time.Millisecond, Zoom: 100 * time.Microsecond},
	verdict: processStartVerdict,
	lessons: processStartLessons,
}, pyBinding{file: func(v Values) string {
	// Linux forks by default, and 2.7 knows no other way: the fork
	// program has no set_start_method, so that it runs under 2.7 too.
	if v.Get("start_method") == "fork" {
		return joined(v, "process_start")
	}
	return joined(v, "process_start_method")
}})

var processQueue = fromPython(&Scenario{
	ID: "process-queue",
	ArticleSections: []Section{
		{Number: "3.2.2", Title: "Process synchronisation", Heading: "进程同步"},
	},
	Title:   "A worker process fed by a queue (as written)",
	Summary: "the article's queue example as written: multiprocessing.Queue has no task_done() or join()",
	Notice: "The article calls q.task_done() and q.join() on a multiprocessing.Queue, which has neither: the " +
		"main process dies of AttributeError at q.join(), interpreter shutdown then waits for the child, and " +
		"the child dies of its own AttributeError at its first q.task_done(). See process-queue-fixed for the " +
		"working version. Runs with fork (Linux's default before Python 3.14).",
	Pace:    Pace{Speed: time.Millisecond, Zoom: 100 * time.Microsecond},
	verdict: processQueueVerdict,
	lessons: processQueueLessons,
}, pyBinding{})

var processQueueFixed = fromPython(&Scenario{
	ID:      "process-queue-fixed",
	Title:   "A worker process fed by a JoinableQueue",
	Summary: "section 3.2.2 corrected: a JoinableQueue, whose depth grows while the worker lags behind",
	Notice: "Corrected: multiprocessing.JoinableQueue, which has task_done() and join(), and the __main__ guard. " +
		"The main process puts every item (each pickled) before the child's interpreter is even up, so the " +
		"queue fills and then drains one item per countdown (added: the article's \"process item\"). q.join() " +
		"returns once every item is marked done; the worker then idles in q.get() until p.terminate() kills it.",
	Params: []Param{
		{Name: "items", Kind: Int, Default: "10", Min: 1, Max: 100000, Help: "items put on the queue"},
		{Name: "count", Kind: Int, Default: "150000", Min: 0, Max: 1_000_000_000, Help: "the worker counts down from count for each item (about 5ms under 3.12)"},
	},
	Pace: Pace{Speed: 2 * time.Millisecond, Zoom: 200 * time.Microsecond},
	figures: func(v Values, m sim.Metrics) []Figure {
		if len(m.Queues) == 0 {
			return nil
		}
		q := m.Queues[0]
		return []Figure{
			{Key: "queue_high_water", Label: "queue high-water mark", Value: commas(int64(q.HighWater)), Number: float64(q.HighWater), Live: true},
			{Key: "items_done", Label: "items taken", Value: commas(int64(q.Gets)), Number: float64(q.Gets), Live: true},
		}
	},
	verdict: processQueueVerdict,
	lessons: processQueueFixedLessons,
}, pyBinding{})

var asyncioBasic = fromPython(&Scenario{
	ID: "asyncio-basic",
	ArticleSections: []Section{
		{Number: "3.3.2", Title: "Basic asynchronous I/O", Heading: "异步IO的基本操作"},
		{Number: "4.3", Title: "An asynchronous I/O example", Heading: "异步IO示例"},
	},
	Title:   "A coroutine on an event loop",
	Summary: "run_until_complete of one coroutine: a task, a ready queue, one thread",
	Notice: "run_until_complete wraps the coroutine in a task, puts it on the loop's ready queue and runs the loop " +
		"until the task is done, all in the main thread, in microseconds: import asyncio (about 61 ms under 3.12) " +
		"is most of the run. On Python 3.12 and 3.13 get_event_loop() here also warns " +
		"that there is no current event loop, and 3.14 refuses; asyncio.run(worker()) is the modern form.",
	Pace:    Pace{Speed: 2 * time.Millisecond, Zoom: 200 * time.Microsecond},
	verdict: asyncioBasicVerdict,
	lessons: asyncioBasicLessons,
}, pyBinding{async: true})

var asyncioBlocking = fromPython(&Scenario{
	ID: "asyncio-blocking",
	ArticleSections: []Section{
		{Number: "3.3.3", Title: "Going further with asynchronous I/O", Heading: "异步IO的进一步操作"},
	},
	Title:   "Blocking calls inside a coroutine",
	Summary: "a coroutine making blocking socket calls stalls every other task on the loop",
	Notice: "The article's coroutine uses a plain blocking socket and never awaits, so each client runs from " +
		"connect to close in one step and the whole loop thread waits in every call: the clients go one after " +
		"another, and the heartbeats fire only when they are all done. Each step over 0.1 s is reported as " +
		"debug mode does. Extended: several clients at once and heartbeat tasks; compare asyncio-nonblocking.",
	Params: slices.Clone(asyncioParams),
	Pace:   Pace{Speed: 20 * time.Millisecond, Zoom: 2 * time.Millisecond},
	figures: func(v Values, m sim.Metrics) []Figure {
		return asyncioFigures(v, m)
	},
	verdict: asyncioClientsVerdict,
	lessons: asyncioBlockingLessons,
}, pyBinding{peer: "delay", async: true})

var asyncioNonblocking = fromPython(&Scenario{
	ID:      "asyncio-nonblocking",
	Title:   "Awaited I/O inside coroutines",
	Summary: "section 3.3.3 with awaited socket calls: the waits overlap and the loop stays responsive",
	Notice: "The same clients with a non-blocking socket and the loop's sock_connect and sock_recv: every wait " +
		"is an await, so the loop runs the other clients and the heartbeats meanwhile. The loop takes about the " +
		"longest single wait instead of the sum of them all, and every heartbeat fires on time.",
	Params: slices.Clone(asyncioParams),
	Pace:   Pace{Speed: 10 * time.Millisecond, Zoom: time.Millisecond},
	figures: func(v Values, m sim.Metrics) []Figure {
		return asyncioFigures(v, m)
	},
	verdict: asyncioClientsVerdict,
	lessons: asyncioNonblockingLessons,
}, pyBinding{peer: "delay", async: true})

// asyncioParams are the parameters of the section 3.3.3 clients: CLIENTS
// and DELAY in the programs, and delay is also how long the simulated
// server takes to answer.
var asyncioParams = []Param{
	{Name: "clients", Kind: Int, Default: "3", Min: 1, Max: 1000, Help: "client coroutines run together"},
	{Name: "delay", Kind: Duration, Default: "250ms", Min: int64(time.Millisecond), Max: int64(time.Minute), Help: "how long the server takes to answer each client"},
}

// The waits of the asyncio clients on the front end's simulated network:
// connecting to a local server and handing it a small message (a blocking
// sendall waits that long; an awaited one fits the buffer).
const (
	asyncConnect = time.Millisecond
	asyncSend    = 50 * time.Microsecond
	// heartbeats is the number of heartbeat tasks, due BEAT = DELAY/5
	// apart, so that all fall within one wait.
	heartbeats = 4
)

// asyncioWaits returns the sum of every client's network waits and the
// longest single client's.
func asyncioWaits(v Values) (sum, longest time.Duration) {
	one := asyncConnect + asyncSend + v.Duration("delay")
	return time.Duration(v.Int("clients")) * one, one
}

// asyncioFigures reports the I/O overlap, the clients' network waits
// over the time the loop's thread spent blocked on I/O (in a blocking
// call, or in select() waiting for a ready task): 1x when the waits come
// one after another, about the number of clients when they all overlap.
// The run's elapsed time would count the import of asyncio (61ms under
// 3.12) as well.
func asyncioFigures(v Values, m sim.Metrics) []Figure {
	sum, _ := asyncioWaits(v)
	var blocked sim.Time
	for _, l := range m.Loops {
		for _, t := range m.Threads {
			if t.ID == l.Thread {
				blocked += t.States[sim.StateIO]
			}
		}
	}
	o := 0.0
	if blocked > 0 {
		o = float64(sum) / float64(blocked)
	}
	return []Figure{
		{Key: "io_overlap", Label: "I/O overlap", Value: fmt.Sprintf("%.2fx", o), Number: o, Unit: UnitRatio},
		{Key: "slow_callbacks", Label: "slow callbacks", Value: commas(int64(m.SlowCallbacks)), Number: float64(m.SlowCallbacks), Live: true},
	}
}
