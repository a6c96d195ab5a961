package scenarios

import (
	"fmt"
	"slices"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// The code examples of the source article, section by section. Each keeps
// the article's code; comments are translated, and what was corrected or
// added for the simulation is marked "added" or "corrected" in the source
// and said in the Notice.

var joinParam = Param{Name: "join", Kind: Bool, Default: "true",
	Help: "wait for the worker with join() (section 4); false is the section 3 code, which leaves it to interpreter shutdown"}

var threadStart = &Scenario{
	ID: "thread-start",
	ArticleSections: []Section{
		{Number: "3.1.1", Title: "Creating and starting a thread", Heading: "线程的创建和启动", Set: []string{"join=false"}},
		{Number: "4.1", Title: "A multithreading example", Heading: "多线程示例", Set: []string{"join=true"}},
	},
	Title:   "Starting a thread",
	Summary: "start (and join) one thread: a thread costs a fraction of a millisecond to start",
	Notice: "t.start() costs the main thread about 0.15 ms, and the new thread needs the GIL before it can " +
		"print. Section 3.1.1 has no t.join() (join=false): the main thread's code ends first, and interpreter " +
		"shutdown then waits for the non-daemon thread anyway.",
	Params:  []Param{joinParam},
	Pace:    Pace{Speed: 10 * time.Microsecond, Zoom: 2 * time.Microsecond},
	build:   buildThreadStart,
	verdict: threadStartVerdict,
	lessons: threadStartLessons,
}

func buildThreadStart(v Values) sim.Workload {
	src := `
import threading

def worker():
    print("Worker thread is running...")

# create the thread
t = threading.Thread(target=worker)

# start the thread
t.start()
`
	if v.Bool("join") {
		src += `
# wait for the thread to end
t.join()
`
	}
	b := newBuilder(src)
	main := b.thread("MainThread", "<module>", 0, nil)
	w := b.thread("Thread-1", "worker", 0, sim.Seq(
		sim.CheckPoint(b.line("def worker")),
		sim.Python(b.line("print("), statement, 0),
		sim.Print(b.line("print("), "Worker thread is running..."),
	))
	code := sim.Seq(
		sim.Python(b.line("import threading"), 100*time.Microsecond, 0),
		sim.Python(b.line("t = threading.Thread"), 10*time.Microsecond, 0),
		sim.Start(b.line("t.start()"), w),
	)
	if v.Bool("join") {
		code = sim.Seq(code, sim.Join(b.line("t.join()"), w))
	}
	b.setCode(main, code)
	return b.workload()
}

var threadLock = &Scenario{
	ID: "thread-lock",
	ArticleSections: []Section{
		{Number: "3.1.2", Title: "Thread synchronisation", Heading: "线程同步"},
	},
	Title:   "Threads and a lock",
	Summary: "workers taking turns on a threading.Lock",
	Notice: "Extended: the article starts one worker, which has nobody to contend with; here several start, and " +
		"each holds the lock a while (time.sleep, which releases the GIL). The others reach `with lock:` and " +
		"block on the lock, not on the GIL: the lock lets one worker in at a time, so the run takes about " +
		"workers × hold.",
	Params: []Param{
		{Name: "workers", Kind: Int, Default: "4", Min: 1, Max: 1000, Help: "number of worker threads"},
		{Name: "hold", Kind: Duration, Default: "10ms", Min: 0, Max: int64(time.Minute), Help: "how long each worker holds the lock (time.sleep inside it)"},
	},
	Pace:    Pace{Speed: 2 * time.Millisecond, Zoom: 200 * time.Microsecond},
	build:   buildThreadLock,
	figures: func(v Values, m sim.Metrics) []Figure { return lockFigures(m) },
	verdict: threadLockVerdict,
	lessons: lockLessons,
}

func buildThreadLock(v Values) sim.Workload {
	n, hold := v.Int("workers"), v.Duration("hold")
	b := newBuilder(fmt.Sprintf(`
import threading
import time

WORKERS = %-8d# added: several workers
HOLD = %-11g# added: seconds each one holds the lock

def worker(lock):
    with lock:
        print("Worker thread is running...")
        time.sleep(HOLD)        # added: work, holding the lock

# create the lock
lock = threading.Lock()

for _ in range(WORKERS):        # added
    # create the thread
    t = threading.Thread(target=worker, args=(lock,))

    # start the thread
    t.start()
`, n, hold.Seconds()))
	l := b.lock("lock")
	main := b.thread("MainThread", "<module>", 0, nil)
	code := sim.Seq(
		sim.Python(b.line("import threading"), 100*time.Microsecond, 0),
		sim.Python(b.line("lock = threading.Lock()"), bytecode*10, 0),
	)
	worker := sim.Seq(
		sim.CheckPoint(b.line("def worker")),
		sim.Acquire(b.line("with lock:"), l),
		sim.Python(b.line("print("), statement, 0),
		sim.Print(b.line("print("), "Worker thread is running..."),
		sim.Sleep(b.line("time.sleep(HOLD)"), hold),
		sim.Release(b.line("with lock:"), l),
	)
	create, start := b.line("t = threading.Thread"), b.line("t.start()")
	code = slices.Grow(code, 2*n)
	b.grow(n)
	for i := 1; i <= n; i++ {
		t := b.thread(fmt.Sprintf("Thread-%d", i), "worker", 0, worker)
		code = append(code, sim.Python(create, 10*time.Microsecond, 0)...)
		code = append(code, sim.Start(start, t)...)
	}
	b.setCode(main, code)
	return b.workload()
}

var startMethodParam = Param{Name: "start_method", Kind: Choice, Default: "fork", Choices: []string{"fork", "spawn", "forkserver"},
	Help: "how multiprocessing starts the child: fork copies the parent, spawn starts a fresh interpreter, forkserver forks from a server"}

var processStart = &Scenario{
	ID: "process-start",
	ArticleSections: []Section{
		{Number: "3.2.1", Title: "Creating and starting a process", Heading: "进程的创建和启动", Set: []string{"join=false"}},
		{Number: "4.2", Title: "A multiprocessing example", Heading: "多进程示例", Set: []string{"join=true"}},
	},
	Title:   "Starting a process",
	Summary: "start (and join) one process: its own interpreter and GIL, at a start-up cost of ms",
	Notice: "A process has its own interpreter and its own GIL, so it never waits for the parent's; but it " +
		"costs milliseconds to start (fork), and tens of them with spawn, which boots a fresh interpreter. " +
		"Corrected: the `if __name__ == \"__main__\":` guard, without which spawn and forkserver fail (the child " +
		"re-imports the main module), and set_start_method to choose the method.",
	Params:  []Param{startMethodParam, joinParam},
	Pace:    Pace{Speed: 100 * time.Microsecond, Zoom: 20 * time.Microsecond},
	build:   buildProcessStart,
	verdict: processStartVerdict,
	lessons: processStartLessons,
}

// startMethod returns the start_method parameter as the engine's enum.
func startMethod(v Values) sim.StartMethod {
	m, err := sim.ParseStartMethod(v.Get("start_method"))
	if err != nil {
		// Parse accepted only the choices, which all parse.
		panic(err)
	}
	return m
}

func buildProcessStart(v Values) sim.Workload {
	src := fmt.Sprintf(`
import multiprocessing

def worker():
    print("Worker process is running...")

if __name__ == "__main__":       # corrected: spawn needs it
    multiprocessing.set_start_method(%q)   # added

    # create the process
    p = multiprocessing.Process(target=worker)

    # start the process
    p.start()
`, v.Get("start_method"))
	if v.Bool("join") {
		src += `
    # wait for the process to end
    p.join()
`
	}
	b := newBuilder(src)
	main := b.thread("MainThread", "<module>", 0, nil)
	p := b.proc("Process-1", startMethod(v))
	b.thread("MainThread", "worker", p, sim.Seq(
		sim.CheckPoint(b.line("def worker")),
		sim.Python(b.line("print("), statement, 0),
		sim.Print(b.line("print("), "Worker process is running..."),
	))
	code := sim.Seq(
		sim.Python(b.line("import multiprocessing"), 300*time.Microsecond, 0),
		sim.Python(b.line("set_start_method"), 5*time.Microsecond, 0),
		sim.Python(b.line("p = multiprocessing.Process"), 20*time.Microsecond, 0),
		sim.ProcStart(b.line("p.start()"), p),
	)
	if v.Bool("join") {
		code = sim.Seq(code, sim.ProcJoin(b.line("p.join()"), p))
	}
	b.setCode(main, code)
	return b.workload()
}

var processQueue = &Scenario{
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
	Pace:    Pace{Speed: 100 * time.Microsecond, Zoom: 20 * time.Microsecond},
	build:   buildProcessQueue(false),
	verdict: processQueueVerdict,
	lessons: processQueueLessons,
}

var processQueueFixed = &Scenario{
	ID:      "process-queue-fixed",
	Title:   "A worker process fed by a JoinableQueue",
	Summary: "section 3.2.2 corrected: a JoinableQueue, whose depth grows while the worker lags behind",
	Notice: "Corrected: multiprocessing.JoinableQueue, which has task_done() and join(), and the __main__ guard. " +
		"The main process puts every item (each pickled) before the child's interpreter is even up, so the " +
		"queue fills and then drains one item per unit of work. q.join() returns once every item is marked " +
		"done; the worker then idles in q.get() until p.terminate() kills it.",
	Params: []Param{
		{Name: "items", Kind: Int, Default: "10", Min: 1, Max: 100000, Help: "items put on the queue"},
		{Name: "work", Kind: Duration, Default: "5ms", Min: 0, Max: int64(time.Minute), Help: "Python work the worker does per item"},
	},
	Pace:  Pace{Speed: 2 * time.Millisecond, Zoom: 200 * time.Microsecond},
	build: buildProcessQueue(true),
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
}

// buildProcessQueue builds section 3.2.2: as written, or with the queue
// class corrected.
func buildProcessQueue(fixed bool) func(Values) sim.Workload {
	return func(v Values) sim.Workload {
		src, items, kind := processQueueSource, 10, sim.QueueProcess
		work := time.Duration(0)
		if fixed {
			items, work, kind = v.Int("items"), v.Duration("work"), sim.QueueJoinable
			src = fmt.Sprintf(processQueueFixedSource, items, thousands(int64(work/iteration)), span(work))
		}
		b := newBuilder(src)
		q := b.queue("q", kind, 0)
		main := b.thread("MainThread", "<module>", 0, nil)
		p := b.proc("Process-1", sim.StartFork)
		body := sim.Seq(
			sim.Get(b.line("item = q.get()"), q),
			sim.BreakIfNone(b.line("if item is None")),
			sim.Python(b.line("print("), statement, 0),
			sim.Print(b.line("print("), "Worker process is running..."),
		)
		if fixed {
			body = sim.Seq(body,
				sim.Python(b.lineAfter(b.line("def worker"), "handle(item)"), bytecode*5, 0),
				sim.CheckPoint(b.line("def handle")),
				sim.Python(b.line("n -= 1"), work, iteration))
		}
		body = sim.Seq(body, sim.TaskDone(b.line("q.task_done()"), q))
		b.thread("MainThread", "worker", p, sim.Seq(
			sim.CheckPoint(b.line("def worker")),
			sim.Loop(b.line("while True"), -1, body),
		))
		b.setCode(main, sim.Seq(
			sim.Python(b.line("import multiprocessing"), 300*time.Microsecond, 0),
			sim.Python(b.line("q = multiprocessing."), 50*time.Microsecond, 0),
			sim.Python(b.line("p = multiprocessing.Process"), 20*time.Microsecond, 0),
			sim.ProcStart(b.line("p.start()"), p),
			sim.Loop(b.line("for i in range("), int64(items),
				sim.Python(b.line("q.put(i)"), statement, 0),
				sim.PutIndex(b.line("q.put(i)"), q, 0),
			),
			sim.QueueJoin(b.line("q.join()"), q),
			sim.ProcTerminate(b.line("p.terminate()"), p),
		))
		return b.workload()
	}
}

// processQueueSource is section 3.2.2 as the article has it.
const processQueueSource = `
import multiprocessing

def worker(q):
    while True:
        item = q.get()
        if item is None:
            break
        print("Worker process is running...")
        # process item
        q.task_done()

# create the queue
q = multiprocessing.Queue()

# create the process
p = multiprocessing.Process(target=worker, args=(q,))

# start the process
p.start()

# put tasks on the queue
for i in range(10):
    q.put(i)

# wait until every task is done
q.join()

# end the process
p.terminate()
`

// processQueueFixedSource is section 3.2.2 corrected; it takes the number
// of items, the countdown per item and its duration.
const processQueueFixedSource = `
import multiprocessing

ITEMS = %-14d# added
ITEM_WORK = %-10s# added: %s of countdown per item

def handle(item):       # added: the article's "process item"
    n = ITEM_WORK
    while n > 0:
        n -= 1

def worker(q):
    while True:
        item = q.get()
        if item is None:
            break
        print("Worker process is running...")
        handle(item)
        q.task_done()

if __name__ == "__main__":       # corrected: spawn needs it
    # create the queue
    q = multiprocessing.JoinableQueue()    # corrected: was Queue

    # create the process
    p = multiprocessing.Process(target=worker, args=(q,))

    # start the process
    p.start()

    # put tasks on the queue
    for i in range(ITEMS):
        q.put(i)

    # wait until every task is done
    q.join()

    # end the process (it waits in q.get() for more)
    p.terminate()
`

var asyncioBasic = &Scenario{
	ID: "asyncio-basic",
	ArticleSections: []Section{
		{Number: "3.3.2", Title: "Basic asynchronous I/O", Heading: "异步IO的基本操作"},
		{Number: "4.3", Title: "An asynchronous I/O example", Heading: "异步IO示例"},
	},
	Title:   "A coroutine on an event loop",
	Summary: "run_until_complete of one coroutine: a task, a ready queue, one thread",
	Notice: "run_until_complete wraps the coroutine in a task, puts it on the loop's ready queue and runs the loop " +
		"until the task is done, all in the main thread. On Python 3.12 and 3.13 get_event_loop() here also warns " +
		"that there is no current event loop, and 3.14 refuses; asyncio.run(worker()) is the modern form.",
	Pace:    Pace{Speed: 100 * time.Microsecond, Zoom: 20 * time.Microsecond},
	build:   buildAsyncioBasic,
	verdict: asyncioBasicVerdict,
	lessons: asyncioBasicLessons,
}

func buildAsyncioBasic(Values) sim.Workload {
	b := newBuilder(`
import asyncio

async def worker():
    print("Worker coroutine is running...")

# create the event loop
loop = asyncio.get_event_loop()

# run the event loop
loop.run_until_complete(worker())
`)
	k := b.task("Task-1", "worker", sim.Seq(
		sim.CheckPoint(b.line("async def worker")),
		sim.Python(b.line("print("), statement, 0),
		sim.Print(b.line("print("), "Worker coroutine is running..."),
	))
	b.thread("MainThread", "<module>", 0, sim.Seq(
		sim.Python(b.line("import asyncio"), 2*time.Millisecond, 0),
		sim.Python(b.line("get_event_loop()"), 50*time.Microsecond, 0),
		sim.RunLoop(b.line("run_until_complete"), k),
	))
	return b.workload()
}

var asyncioBlocking = &Scenario{
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
	Params: asyncioParams,
	Pace:   Pace{Speed: 20 * time.Millisecond, Zoom: 2 * time.Millisecond},
	build:  buildAsyncioClients(false),
	figures: func(v Values, m sim.Metrics) []Figure {
		return asyncioFigures(v, m)
	},
	verdict: asyncioClientsVerdict,
	lessons: asyncioBlockingLessons,
}

var asyncioNonblocking = &Scenario{
	ID:      "asyncio-nonblocking",
	Title:   "Awaited I/O inside coroutines",
	Summary: "section 3.3.3 with awaited socket calls: the waits overlap and the loop stays responsive",
	Notice: "The same clients with a non-blocking socket and the loop's sock_connect and sock_recv: every wait " +
		"is an await, so the loop runs the other clients and the heartbeats meanwhile. The run takes about the " +
		"longest single wait instead of the sum of them all, and every heartbeat fires on time.",
	Params: asyncioParams,
	Pace:   Pace{Speed: 10 * time.Millisecond, Zoom: time.Millisecond},
	build:  buildAsyncioClients(true),
	figures: func(v Values, m sim.Metrics) []Figure {
		return asyncioFigures(v, m)
	},
	verdict: asyncioClientsVerdict,
	lessons: asyncioNonblockingLessons,
}

var asyncioParams = []Param{
	{Name: "clients", Kind: Int, Default: "3", Min: 1, Max: 1000, Help: "client coroutines run together"},
	{Name: "delay", Kind: Duration, Default: "250ms", Min: int64(time.Millisecond), Max: int64(time.Minute), Help: "how long the server takes to answer each client"},
}

// The socket calls of the asyncio clients: connecting to a local server
// and handing it a small message.
const (
	asyncConnect = time.Millisecond
	asyncSend    = 50 * time.Microsecond
	// heartbeats is the number of heartbeat tasks; they are due at
	// delay/(heartbeats+1) apart, so that all fall within one wait.
	heartbeats = 4
)

// asyncioWaits returns the sum of every client's network waits and the
// longest single client's.
func asyncioWaits(v Values) (sum, longest time.Duration) {
	one := asyncConnect + asyncSend + v.Duration("delay")
	return time.Duration(v.Int("clients")) * one, one
}

func asyncioFigures(v Values, m sim.Metrics) []Figure {
	sum, _ := asyncioWaits(v)
	o := 0.0
	if m.Elapsed > 0 {
		o = float64(sum) / float64(m.Elapsed)
	}
	return []Figure{
		{Key: "io_overlap", Label: "I/O overlap", Value: fmt.Sprintf("%.2fx", o), Number: o, Unit: UnitRatio},
		{Key: "slow_callbacks", Label: "slow callbacks", Value: commas(int64(m.SlowCallbacks)), Number: float64(m.SlowCallbacks), Live: true},
	}
}

// buildAsyncioClients builds section 3.3.3 with blocking socket calls, or
// with the loop's awaited ones.
func buildAsyncioClients(await bool) func(Values) sim.Workload {
	return func(v Values) sim.Workload {
		clients, delay := v.Int("clients"), v.Duration("delay")
		beat := delay / (heartbeats + 1)
		worker := `
async def worker():
    # create a TCP/IP socket
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

    # connect to the server
    server_address = ('localhost', 10000)
    sock.connect(server_address)        # blocks the whole loop

    try:
        # send data
        message = b"Hello, World!"
        sock.sendall(message)           # blocks the whole loop

        # receive data
        amount_received = 0
        amount_expected = len(message)

        while amount_received < amount_expected:
            data = sock.recv(16)        # blocks the loop until the answer
            amount_received += len(data)
`
		if await {
			worker = `
async def worker():
    loop = asyncio.get_running_loop()
    # create a TCP/IP socket that never blocks
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)

    # connect to the server
    server_address = ('localhost', 10000)
    await loop.sock_connect(sock, server_address)  # others run meanwhile

    try:
        # send data
        message = b"Hello, World!"
        await loop.sock_sendall(sock, message)     # fits the buffer

        # receive data
        amount_received = 0
        amount_expected = len(message)

        while amount_received < amount_expected:
            data = await loop.sock_recv(sock, 16)  # others run meanwhile
            amount_received += len(data)
`
		}
		b := newBuilder(fmt.Sprintf(`
import asyncio
import socket

CLIENTS = %-8d# added: several clients at once
BEAT = %-11g# added: heartbeats BEAT seconds apart
%s
        # close the connection
        sock.close()

        print("Received", amount_received, "out of", amount_expected, "bytes")

    finally:
        # close the socket
        sock.close()

async def heartbeat(n):     # added: due n × BEAT after the start
    await asyncio.sleep(n * BEAT)
    print("heartbeat", n)

async def main():           # added: everything at once
    await asyncio.gather(*(heartbeat(n) for n in range(1, %d)),
                         *(worker() for _ in range(CLIENTS)))

# create the event loop
loop = asyncio.get_event_loop()

# run the event loop
loop.run_until_complete(main())
`, clients, beat.Seconds(), worker, heartbeats+1))
		mainTask := b.task("Task-1", "main", nil)
		first := mainTask + 1
		for n := 1; n <= heartbeats; n++ {
			b.task(fmt.Sprintf("Task-%d", len(b.w.Tasks)+1), "heartbeat", sim.Seq(
				sim.CheckPoint(b.line("async def heartbeat")),
				sim.AwaitSleep(b.line("await asyncio.sleep(n * BEAT)"), time.Duration(n)*beat),
				sim.Print(b.line(`print("heartbeat"`), fmt.Sprintf("heartbeat %d", n)),
			))
		}
		var connect, send, recv sim.Code
		if await {
			connect = sim.AwaitIO(b.line("await loop.sock_connect"), asyncConnect, sim.ReqNone)
			send = sim.Python(b.line("await loop.sock_sendall"), asyncSend, 0)
			recv = sim.AwaitIO(b.line("await loop.sock_recv"), delay, sim.ReqNone)
		} else {
			connect = sim.IO(b.line("sock.connect("), asyncConnect, sim.ReqNone)
			send = sim.IO(b.line("sock.sendall("), asyncSend, sim.ReqNone)
			recv = sim.IO(b.line("sock.recv(16)"), delay, sim.ReqNone)
		}
		for c := 0; c < clients; c++ {
			b.task(fmt.Sprintf("Task-%d", len(b.w.Tasks)+1), "worker", sim.Seq(
				sim.CheckPoint(b.line("async def worker")),
				sim.Python(b.line("sock = socket.socket"), 10*time.Microsecond, 0),
				connect,
				sim.Python(b.line("message = b"), statement, 0),
				send,
				sim.Python(b.line("amount_expected = len"), statement, 0),
				sim.Loop(b.line("while amount_received"), 1,
					recv,
					sim.Python(b.line("amount_received += len"), statement, 0),
				),
				sim.Python(b.line("        sock.close()"), 10*time.Microsecond, 0),
				sim.Python(b.line(`print("Received"`), statement, 0),
				sim.Print(b.line(`print("Received"`), "Received 13 out of 13 bytes"),
				sim.Python(b.lineAfter(b.line("finally:"), "sock.close()"), bytecode*10, 0),
			))
		}
		b.w.Tasks[mainTask].Code = sim.Seq(
			sim.CheckPoint(b.line("async def main")),
			sim.Gather(b.line("await asyncio.gather"), first, heartbeats+clients))
		b.thread("MainThread", "<module>", 0, sim.Seq(
			sim.Python(b.line("import asyncio"), 2*time.Millisecond, 0),
			sim.Python(b.line("get_event_loop()"), 50*time.Microsecond, 0),
			sim.RunLoop(b.line("run_until_complete"), mainTask),
		))
		return b.workload()
	}
}
