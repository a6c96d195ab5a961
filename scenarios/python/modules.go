package python

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// The waits of the simulated network, where no pragma sets them: a
// connection to a local server, and handing it a small message. The
// peer's answer takes Options.Peer.
const (
	connectWait = time.Millisecond
	sendWait    = 50 * time.Microsecond
)

// library returns the module called name, made once per program.
func (c *compiler) library(name string) (*module, bool) {
	if m, ok := c.mods[name]; ok {
		return m, true
	}
	var m *module
	switch name {
	case "threading":
		m = c.threadingModule()
	case "multiprocessing":
		m = c.multiprocessingModule()
	case "queue":
		m = &module{name: "queue", attrs: map[string]value{
			"Queue": fn("queue.Queue", func(x *thread, a []value, kw map[string]value) (value, error) {
				return x.newQueue(sim.QueueThread, "Queue", a, kw)
			}),
			"Empty":         &excClass{name: "Empty"},
			"Full":          &excClass{name: "Full"},
			"LifoQueue":     notSimulated("queue.LifoQueue", " yet (queue.Queue is)"),
			"PriorityQueue": notSimulated("queue.PriorityQueue", " yet (queue.Queue is)"),
			"SimpleQueue":   notSimulated("queue.SimpleQueue", " yet (queue.Queue is)"),
		}}
	case "asyncio":
		m = c.asyncioModule()
	case "time":
		m = &module{name: "time", attrs: map[string]value{
			"sleep": fn("time.sleep", func(x *thread, a []value, _ map[string]value) (value, error) {
				if err := arity("sleep", a, 1, 1); err != nil {
					return nil, err
				}
				d, err := x.seconds(a[0], "time.sleep")
				if err != nil {
					return nil, err
				}
				if d, err = x.pragma(d); err != nil {
					return nil, err
				}
				x.charge(x.c.ver.c.sleep0)
				return none{}, x.emit(sim.Sleep(x.line, d))
			}),
			"time":         fn("time.time", readClock),
			"perf_counter": fn("time.perf_counter", readClock),
			"monotonic":    fn("time.monotonic", readClock),
		}}
	case "concurrent.futures", "concurrent":
		m = c.futuresModule()
		if name == "concurrent" {
			m = &module{name: "concurrent", attrs: map[string]value{"futures": m}}
		}
	case "random":
		m = c.randomModule()
	case "os":
		m = &module{name: "os", attrs: map[string]value{
			"getpid": fn("os.getpid", func(x *thread, _ []value, _ map[string]value) (value, error) {
				return int64(1000 + x.proc), nil
			}),
			"cpu_count": fn("os.cpu_count", func(x *thread, _ []value, _ map[string]value) (value, error) {
				return int64(x.c.opts.Cores), nil
			}),
		}}
	case "socket":
		m = &module{name: "socket", attrs: map[string]value{
			"socket": fn("socket.socket", func(x *thread, _ []value, _ map[string]value) (value, error) {
				x.charge(x.c.ver.c.method)
				return &socketObj{}, nil
			}),
			"create_connection": fn("socket.create_connection", func(x *thread, a []value, _ map[string]value) (value, error) {
				s := &socketObj{}
				_, err := x.socketCall(s, "connect", a)
				return s, err
			}),
			"create_server": fn("socket.create_server", func(x *thread, a []value, _ map[string]value) (value, error) {
				if err := arity("create_server", a, 1, 1); err != nil {
					return nil, err
				}
				// socket(), bind() and listen(): a listening socket, at once.
				x.charge(3 * x.c.ver.c.method)
				return &socketObj{listening: true}, nil
			}),
			"AF_INET": int64(2), "SOCK_STREAM": int64(1),
		}}
	default:
		return nil, false
	}
	c.mods[name] = m
	return m, true
}

// readClock is time.time() and its kin: a reading of the virtual clock,
// in one of the frame's marks, the oldest reading giving way.
func readClock(x *thread, _ []value, _ map[string]value) (value, error) {
	slot := x.nmarks % sim.MaxMarks
	x.nmarks++
	x.markGen[slot]++
	x.charge(x.c.ver.c.timeCall)
	return &clockVal{slot: slot, gen: x.markGen[slot]}, x.emit(sim.Clock(x.line, slot))
}

// randomModule is random, drawn while compiling from a generator of the
// program's own, seeded with 0 or what random.seed says: the same
// program makes the same draws on every run (not CPython's sequence).
func (c *compiler) randomModule() *module {
	draw := func(x *thread) *rand.Rand {
		if x.c.rng == nil {
			x.c.rng = rand.New(rand.NewPCG(0, 0x5eed))
		}
		x.charge(x.c.ver.c.call)
		return x.c.rng
	}
	number := func(v value, what string) (float64, error) {
		f, ok := number(v)
		if !ok {
			return 0, raise("TypeError", "%s must be a number, not '%s'", what, typeName(v))
		}
		return f, nil
	}
	return &module{name: "random", attrs: map[string]value{
		"seed": fn("random.seed", func(x *thread, a []value, _ map[string]value) (value, error) {
			n := uint64(0)
			if len(a) > 0 {
				if k, ok := a[0].(int64); ok {
					n = uint64(k)
				} else {
					n = uint64(len(str(a[0])))
				}
			}
			x.c.rng = rand.New(rand.NewPCG(n, 0x5eed))
			return none{}, nil
		}),
		"random": fn("random.random", func(x *thread, _ []value, _ map[string]value) (value, error) {
			return draw(x).Float64(), nil
		}),
		"uniform": fn("random.uniform", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("uniform", a, 2, 2); err != nil {
				return nil, err
			}
			lo, err := number(a[0], "a")
			if err != nil {
				return nil, err
			}
			hi, err := number(a[1], "b")
			if err != nil {
				return nil, err
			}
			return lo + (hi-lo)*draw(x).Float64(), nil
		}),
		"randint": fn("random.randint", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("randint", a, 2, 2); err != nil {
				return nil, err
			}
			lo, ok1 := a[0].(int64)
			hi, ok2 := a[1].(int64)
			if !ok1 || !ok2 {
				return nil, raise("TypeError", "randint() takes ints")
			}
			if hi < lo || hi-lo < 0 {
				return nil, raise("ValueError", "empty range for randrange() (%d, %d, %d)", lo, hi+1, hi+1-lo)
			}
			return lo + draw(x).Int64N(hi-lo+1), nil
		}),
		"choice": fn("random.choice", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("choice", a, 1, 1); err != nil {
				return nil, err
			}
			items, err := x.items(a[0])
			if err != nil {
				return nil, err
			}
			if len(items) == 0 {
				return nil, raise("IndexError", "Cannot choose from an empty sequence")
			}
			return items[draw(x).IntN(len(items))], nil
		}),
		"shuffle": fn("random.shuffle", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("shuffle", a, 1, 1); err != nil {
				return nil, err
			}
			l, ok := a[0].(*list)
			if !ok {
				return nil, raise("TypeError", "'%s' object does not support item assignment", typeName(a[0]))
			}
			r := draw(x)
			r.Shuffle(len(l.items), func(i, j int) { l.items[i], l.items[j] = l.items[j], l.items[i] })
			return none{}, nil
		}),
	}}
}

func (c *compiler) threadingModule() *module {
	return &module{name: "threading", attrs: map[string]value{
		"Thread": fn("threading.Thread", func(x *thread, a []value, kw map[string]value) (value, error) {
			if len(a) > 0 {
				if self, ok := a[0].(*instance); ok && self.thread != nil {
					// threading.Thread.__init__(self, ...) in a subclass.
					return none{}, x.threadInit(self.thread, a[1:], kw)
				}
			}
			t := &threadObj{id: -1, proc: x.proc}
			return t, x.threadInit(t, a, kw)
		}),
		"Lock": fn("threading.Lock", func(x *thread, _ []value, _ map[string]value) (value, error) {
			return x.newLock("lock"), nil
		}),
		"RLock": fn("threading.RLock", func(x *thread, _ []value, _ map[string]value) (value, error) {
			return x.newLock("RLock"), nil
		}),
		"current_thread": fn("threading.current_thread", func(x *thread, _ []value, _ map[string]value) (value, error) {
			return &threadObj{name: x.c.w.Threads[x.id].Name, id: x.id, proc: x.proc, started: true}, nil
		}),
		"get_ident": fn("threading.get_ident", func(x *thread, _ []value, _ map[string]value) (value, error) {
			return int64(x.id + 1), nil
		}),
		"Event":            fn("threading.Event", newEvent),
		"Semaphore":        fn("threading.Semaphore", newSemaphore("Semaphore")),
		"BoundedSemaphore": fn("threading.BoundedSemaphore", newSemaphore("BoundedSemaphore")),
		"Condition":        notSimulated("threading.Condition", " yet (Lock, RLock, Semaphore, Event and queue.Queue are)"),
		"Barrier":          notSimulated("threading.Barrier", " yet (Lock, RLock, Semaphore, Event and queue.Queue are)"),
		"Timer":            notSimulated("threading.Timer", " yet"),
		"active_count":     notSimulated("threading.active_count()", ": it is known only at run time"),
	}}
}

func (c *compiler) multiprocessingModule() *module {
	m := &module{name: "multiprocessing", attrs: map[string]value{
		"Process": fn("multiprocessing.Process", func(x *thread, a []value, kw map[string]value) (value, error) {
			p := &processObj{id: -1}
			return p, x.processInit(p, a, kw)
		}),
		"Queue": fn("multiprocessing.Queue", func(x *thread, a []value, kw map[string]value) (value, error) {
			return x.newQueue(sim.QueueProcess, "Queue", a, kw)
		}),
		"JoinableQueue": fn("multiprocessing.JoinableQueue", func(x *thread, a []value, kw map[string]value) (value, error) {
			return x.newQueue(sim.QueueJoinable, "JoinableQueue", a, kw)
		}),
		"Lock": fn("multiprocessing.Lock", func(x *thread, _ []value, _ map[string]value) (value, error) {
			return x.newLock("lock"), nil
		}),
		"Event":            fn("multiprocessing.Event", newEvent),
		"Semaphore":        fn("multiprocessing.Semaphore", newSemaphore("Semaphore")),
		"BoundedSemaphore": fn("multiprocessing.BoundedSemaphore", newSemaphore("BoundedSemaphore")),
		"current_process": fn("multiprocessing.current_process", func(x *thread, _ []value, _ map[string]value) (value, error) {
			return &processObj{name: x.c.w.Procs[x.proc].Name, id: x.proc, started: true}, nil
		}),
		"cpu_count": fn("multiprocessing.cpu_count", func(x *thread, _ []value, _ map[string]value) (value, error) {
			return int64(x.c.opts.Cores), nil
		}),
		"Pool": fn("multiprocessing.Pool", func(x *thread, a []value, kw map[string]value) (value, error) {
			n := int64(x.c.opts.Cores)
			v, ok := kw["processes"]
			if len(a) > 0 {
				v, ok = a[0], true
			}
			if ok {
				if _, isNone := v.(none); !isNone {
					k, isInt := v.(int64)
					if !isInt || k < 1 || k > 1024 {
						return nil, raise("ValueError", "Number of processes must be at least 1")
					}
					n = k
				}
			}
			x.charge(x.c.ver.c.call)
			return &poolObj{n: int(n)}, nil
		}),
		"Manager": notSimulated("multiprocessing.Manager", " yet"),
		"Value":   notSimulated("multiprocessing.Value", " yet"),
		"Array":   notSimulated("multiprocessing.Array", " yet"),
		"Pipe":    notSimulated("multiprocessing.Pipe", " yet (Queue is)"),
	}}
	if c.ver.Model != sim.ModelPy2 {
		// Start methods came with Python 3.4; 2.7 only forks (on Linux).
		m.attrs["set_start_method"] = fn("multiprocessing.set_start_method", setStartMethod)
		m.attrs["get_start_method"] = fn("multiprocessing.get_start_method", getStartMethod)
	}
	return m
}

// setStartMethod is multiprocessing.set_start_method(method, force=False):
// the processes started after it start so (the engine's start-up costs by
// method). The child's globals are still a copy of the parent's, as under
// fork: spawn's and forkserver's re-import of the main module is not run,
// only its cost counted.
func setStartMethod(x *thread, a []value, kw map[string]value) (value, error) {
	if err := arity("set_start_method", a, 1, 2); err != nil {
		return nil, err
	}
	force := false
	if v, ok := kw["force"]; ok {
		a = append(a, v)
	}
	if len(a) > 1 {
		b, err := x.truth(a[1])
		if err != nil {
			return nil, err
		}
		force = b
	}
	c := x.c
	x.charge(c.ver.c.call)
	if c.methodFixed && !force {
		return nil, raise("RuntimeError", "context has already been set")
	}
	if _, isNone := a[0].(none); isNone && force {
		c.startMethod, c.methodFixed = sim.StartFork, false
		return none{}, nil
	}
	name, ok := a[0].(string)
	m, err := sim.ParseStartMethod(name)
	if !ok || err != nil {
		return nil, raise("ValueError", "cannot find context for %s", repr(a[0]))
	}
	c.startMethod, c.methodFixed = m, true
	return none{}, nil
}

// getStartMethod is multiprocessing.get_start_method(allow_none=False),
// which fixes the choice unless allow_none.
func getStartMethod(x *thread, a []value, kw map[string]value) (value, error) {
	if err := arity("get_start_method", a, 0, 1); err != nil {
		return nil, err
	}
	if v, ok := kw["allow_none"]; ok {
		a = append(a, v)
	}
	c := x.c
	x.charge(c.ver.c.call)
	if len(a) > 0 {
		allow, err := x.truth(a[0])
		if err != nil {
			return nil, err
		}
		if allow && !c.methodFixed {
			return none{}, nil
		}
	}
	c.methodFixed = true
	return c.startMethod.String(), nil
}

func (c *compiler) asyncioModule() *module {
	run := fn("asyncio.run", func(x *thread, a []value, _ map[string]value) (value, error) {
		if err := arity("run", a, 1, 1); err != nil {
			return nil, err
		}
		return x.runLoopUntil(a[0], "asyncio.run()")
	})
	loop := &module{name: "event loop", attrs: map[string]value{
		"run_until_complete": fn("run_until_complete", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("run_until_complete", a, 1, 1); err != nil {
				return nil, err
			}
			return x.runLoopUntil(a[0], "run_until_complete()")
		}),
		"close":       fn("close", func(*thread, []value, map[string]value) (value, error) { return none{}, nil }),
		"create_task": nil,
	}}
	createTask := fn("asyncio.create_task", func(x *thread, a []value, _ map[string]value) (value, error) {
		if err := arity("create_task", a, 1, 1); err != nil {
			return nil, err
		}
		co, ok := a[0].(*coroutine)
		if !ok {
			return nil, raise("TypeError", "a coroutine was expected, got %s", repr(a[0]))
		}
		if x.task < 0 {
			return nil, raise("RuntimeError", "no running event loop")
		}
		x.charge(x.c.ver.c.taskCreate / 2)
		t, err := x.newTask(co)
		if err != nil {
			return nil, err
		}
		return t, x.emit(sim.CreateTask(x.line, t.id))
	})
	loop.attrs["create_task"] = createTask
	for _, name := range []string{"sock_connect", "sock_sendall", "sock_recv"} {
		loop.attrs[name] = fn(name, func(x *thread, a []value, _ map[string]value) (value, error) {
			return x.loopSocketCall(name, a)
		})
	}
	getLoop := fn("asyncio.get_event_loop", func(*thread, []value, map[string]value) (value, error) { return loop, nil })
	return &module{name: "asyncio", attrs: map[string]value{
		"run":            run,
		"get_event_loop": getLoop,
		"get_running_loop": fn("asyncio.get_running_loop", func(x *thread, _ []value, _ map[string]value) (value, error) {
			if x.task < 0 {
				return nil, raise("RuntimeError", "no running event loop")
			}
			return loop, nil
		}),
		"new_event_loop": getLoop,
		"set_event_loop": fn("asyncio.set_event_loop", func(*thread, []value, map[string]value) (value, error) { return none{}, nil }),
		"create_task":    createTask,
		"ensure_future":  createTask,
		"gather": fn("asyncio.gather", func(x *thread, a []value, _ map[string]value) (value, error) {
			return &awaitable{what: "gather", parts: a}, nil
		}),
		"sleep": fn("asyncio.sleep", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("sleep", a, 1, 2); err != nil {
				return nil, err
			}
			d, err := x.seconds(a[0], "asyncio.sleep")
			if err != nil {
				return nil, err
			}
			if d, err = x.pragma(d); err != nil {
				return nil, err
			}
			return &awaitable{what: "sleep", sleep: d, run: func(x *thread) (value, error) {
				x.charge(x.c.ver.c.asyncSleep)
				return none{}, x.emit(sim.AwaitSleep(x.line, d))
			}}, nil
		}),
		"wait_for": fn("asyncio.wait_for", func(x *thread, a []value, kw map[string]value) (value, error) {
			if err := arity("wait_for", a, 1, 2); err != nil {
				return nil, err
			}
			t, ok := kw["timeout"]
			if len(a) == 2 {
				t, ok = a[1], true
			}
			if !ok {
				return nil, raise("TypeError", "wait_for() missing 1 required positional argument: 'timeout'")
			}
			inner, isSleep := a[0].(*awaitable)
			if !isSleep || inner.what != "sleep" {
				return nil, x.unsupported("asyncio.wait_for is simulated only around asyncio.sleep yet")
			}
			if _, isNone := t.(none); isNone {
				return inner, nil
			}
			limit, err := x.seconds(t, "a timeout")
			if err != nil {
				return nil, err
			}
			if inner.sleep <= limit {
				return inner, nil
			}
			return &awaitable{what: "wait_for", run: func(x *thread) (value, error) {
				x.charge(x.c.ver.c.asyncSleep)
				if err := x.emit(sim.AwaitSleep(x.line, limit)); err != nil {
					return nil, err
				}
				return nil, &pyError{kind: "TimeoutError"}
			}}, nil
		}),
		"open_connection": fn("asyncio.open_connection", func(x *thread, a []value, _ map[string]value) (value, error) {
			s := &socketObj{}
			return &awaitable{what: "open_connection", run: func(x *thread) (value, error) {
				d, err := x.pragma(connectWait)
				if err != nil {
					return nil, err
				}
				s.connected = true
				x.charge(x.c.ver.c.method)
				if err := x.emit(sim.AwaitIO(x.line, d, sim.ReqNone)); err != nil {
					return nil, err
				}
				return &tuple{items: []value{&stream{sock: s, reader: true}, &stream{sock: s}}}, nil
			}}, nil
		}),
		"TimeoutError":   &excClass{name: "TimeoutError"},
		"CancelledError": &excClass{name: "CancelledError"},
		"Queue":          notSimulated("asyncio.Queue", " yet"),
		"Lock":           notSimulated("asyncio.Lock", " yet"),
		"Event":          notSimulated("asyncio.Event", " yet"),
	}}
}

// loopSocketCall is the event loop's sock_connect(sock, address),
// sock_sendall(sock, data) and sock_recv(sock, n): awaitables whose waits
// suspend the task, not the loop's thread. A send fits the socket's
// buffer and does not wait, as StreamWriter.write.
func (x *thread) loopSocketCall(name string, a []value) (value, error) {
	if err := arity(name, a, 2, 2); err != nil {
		return nil, err
	}
	s, ok := a[0].(*socketObj)
	if !ok {
		return nil, raise("TypeError", "%s() expects a socket, not '%s'", name, typeName(a[0]))
	}
	return &awaitable{what: name, run: func(x *thread) (value, error) {
		x.charge(x.c.ver.c.method)
		switch name {
		case "sock_connect":
			if s.closed {
				return nil, raise("OSError", "[Errno 9] Bad file descriptor")
			}
			d, err := x.pragma(connectWait)
			if err != nil {
				return nil, err
			}
			s.connected = true
			return none{}, x.emit(sim.AwaitIO(x.line, d, sim.ReqNone))
		case "sock_sendall":
			data, ok := a[1].(bytesVal)
			if !ok {
				return nil, raise("TypeError", "a bytes-like object is required, not '%s'", typeName(a[1]))
			}
			if !s.connected || s.closed {
				return nil, raise("OSError", "[Errno 32] Broken pipe")
			}
			s.buf = append(s.buf, data...)
			return none{}, nil
		}
		n, ok := a[1].(int64)
		if !ok || n < 0 {
			return nil, raise("ValueError", "negative buffersize in recv_into")
		}
		if !s.connected || s.closed {
			return nil, raise("OSError", "[Errno 107] Transport endpoint is not connected")
		}
		return x.receive(s, int(n), func(d sim.Code) error { return x.emit(d) }, sim.AwaitIO)
	}}, nil
}

// awaitable is what await can wait for besides coroutines and tasks: its
// run compiles the wait.
type awaitable struct {
	what  string
	sleep time.Duration // for asyncio.sleep
	parts []value       // for gather
	run   func(x *thread) (value, error)
}

// stream is one end of asyncio.open_connection: the reader or the writer.
type stream struct {
	sock   *socketObj
	reader bool
}

// threadInit is threading.Thread.__init__.
func (x *thread) threadInit(t *threadObj, a []value, kw map[string]value) error {
	names := []string{"group", "target", "name", "args", "kwargs"}
	if len(a) > len(names) {
		return raise("TypeError", "Thread.__init__() takes at most 6 positional arguments")
	}
	get := map[string]value{}
	for i, v := range a {
		get[names[i]] = v
	}
	for k, v := range kw {
		if !strings.Contains("group target name args kwargs daemon", k) {
			return raise("TypeError", "Thread.__init__() got an unexpected keyword argument '%s'", k)
		}
		get[k] = v
	}
	if v, ok := get["target"]; ok {
		if _, isNone := v.(none); !isNone {
			t.target = v
		}
	}
	if v, ok := get["name"]; ok {
		if _, isNone := v.(none); !isNone {
			t.name = str(v)
		}
	}
	if v, ok := get["args"]; ok {
		items, err := x.items(v)
		if err != nil {
			return err
		}
		t.args = items
	}
	if v, ok := get["kwargs"]; ok {
		if d, isDict := v.(*dict); isDict {
			t.kwargs = map[string]value{}
			for i, k := range d.keys {
				t.kwargs[str(k)] = d.vals[i]
			}
		}
	}
	if v, ok := get["daemon"]; ok {
		if _, isNone := v.(none); !isNone {
			b, err := x.truth(v)
			if err != nil {
				return err
			}
			t.daemon = b
		}
	}
	x.charge(x.c.ver.c.call)
	return nil
}

// processInit is multiprocessing.Process.__init__.
func (x *thread) processInit(p *processObj, a []value, kw map[string]value) error {
	t := &threadObj{}
	if err := x.threadInit(t, a, kw); err != nil {
		return err
	}
	p.target, p.args, p.kwargs, p.name, p.daemon = t.target, t.args, t.kwargs, t.name, t.daemon
	return nil
}

// threadAttr is an attribute of a threading.Thread.
func (x *thread) threadAttr(t *threadObj, name string) (value, error) {
	switch name {
	case "name":
		return x.threadName(t), nil
	case "daemon":
		return t.daemon, nil
	case "ident":
		if !t.started {
			return none{}, nil
		}
		return int64(t.id + 1), nil
	case "start":
		return fn("start", func(x *thread, _ []value, _ map[string]value) (value, error) { return none{}, x.startThread(t) }), nil
	case "join":
		return fn("join", func(x *thread, a []value, kw map[string]value) (value, error) {
			if !t.started {
				return nil, raise("RuntimeError", "cannot join thread before it is started")
			}
			if t.id == x.id && x.task < 0 {
				return nil, raise("RuntimeError", "cannot join current thread")
			}
			op, err := x.timed(sim.Join(x.line, t.id), a, kw, "join")
			if err != nil {
				return nil, err
			}
			return none{}, x.emit(op)
		}), nil
	case "is_alive":
		return notSimulated("Thread.is_alive()", ": it is known only at run time"), nil
	case "setDaemon":
		return fn("setDaemon", func(x *thread, a []value, _ map[string]value) (value, error) {
			if len(a) == 1 {
				return none{}, x.setThreadAttr(t, "daemon", a[0])
			}
			return nil, raise("TypeError", "setDaemon() takes 1 argument")
		}), nil
	case "run":
		return fn("run", func(x *thread, _ []value, _ map[string]value) (value, error) {
			if t.target == nil {
				return none{}, nil
			}
			return x.apply(t.target, t.args, t.kwargs)
		}), nil
	}
	return nil, raise("AttributeError", "'Thread' object has no attribute '%s'", name)
}

func (x *thread) setThreadAttr(t *threadObj, name string, v value) error {
	switch name {
	case "daemon":
		if t.started {
			return raise("RuntimeError", "cannot set daemon status of active thread")
		}
		b, err := x.truth(v)
		t.daemon = b
		return err
	case "name":
		t.name = str(v)
		return nil
	}
	return raise("AttributeError", "'Thread' object has no attribute '%s'", name)
}

// timed gives a wait the timeout its call names (its first argument or
// timeout=), if any.
func (x *thread) timed(op sim.Code, a []value, kw map[string]value, what string) (sim.Code, error) {
	timeout, ok := kw["timeout"]
	if len(a) > 0 {
		timeout, ok = a[0], true
	}
	if _, isNone := timeout.(none); !ok || isNone {
		return op, nil
	}
	d, err := x.seconds(timeout, what+"(timeout)")
	if err != nil {
		return nil, err
	}
	return sim.Timeout(op, d), nil
}

// threadName is the name a thread has or will have.
func (x *thread) threadName(t *threadObj) string {
	if t.name == "" {
		x.c.nthr++
		t.name = fmt.Sprintf("Thread-%d", x.c.nthr)
		if f := t.targetName(); f != "" && !x.c.ver.EveryBytecode {
			// 3.10 and later name a thread after its target.
			t.name += " (" + f + ")"
		}
	}
	return t.name
}

// targetName names the function a thread runs.
func (t *threadObj) targetName() string {
	switch f := t.target.(type) {
	case *function:
		return f.name
	case *boundMethod:
		return f.fn.name
	}
	return ""
}

// startThread is Thread.start: the new thread's program is compiled now,
// from its target (or its run method) as things stand.
func (x *thread) startThread(t *threadObj) error {
	if t.started {
		return raise("RuntimeError", "threads can only be started once")
	}
	name := x.threadName(t)
	fnName := t.targetName()
	if t.self != nil {
		fnName = "run"
	}
	if fnName == "" {
		fnName = "run"
	}
	child := x.c.newThread(name, fnName, x.proc, t.daemon)
	t.id, t.started = child.id, true
	if err := child.body(func() (value, error) {
		if t.self != nil {
			if run, ok := lookupAttr(t.self.cls, "run").(*function); ok {
				return child.callMethod(run, t.self, nil, nil)
			}
		}
		if t.target == nil {
			return none{}, nil
		}
		return child.apply(t.target, t.args, t.kwargs)
	}); err != nil {
		return err
	}
	x.charge(x.c.ver.c.method)
	return x.emit(sim.Start(x.line, t.id))
}

// body compiles a thread's whole program from f.
func (x *thread) body(f func() (value, error)) error {
	_, err := f()
	if err := x.uncaught(err); err != nil {
		return err
	}
	x.finish()
	return nil
}

// callMethod calls method f on self, so that super() finds them.
func (x *thread) callMethod(f *function, self *instance, args []value, kw map[string]value) (value, error) {
	cls := self.cls
	for c := cls; c != nil; {
		if c.attrs[f.name] == f {
			cls = c
			break
		}
		if len(c.bases) == 0 {
			break
		}
		c = c.bases[0]
	}
	x.selves = append(x.selves, selfFrame{self: self, cls: cls})
	defer func() { x.selves = x.selves[:len(x.selves)-1] }()
	return x.callFunction(f, append([]value{self}, args...), kw)
}

// startProcess is Process.start: a child process that forks this one's
// globals and runs the target in its main thread.
func (x *thread) startProcess(p *processObj) error {
	if p.started {
		return raise("AssertionError", "cannot start a process twice")
	}
	c := x.c
	c.nproc++
	if p.name == "" {
		p.name = fmt.Sprintf("Process-%d", c.nproc)
	}
	c.w.Procs = append(c.w.Procs, sim.ProcSpec{Name: p.name, Start: c.startMethod, Daemon: p.daemon})
	c.methodFixed = true
	p.id, p.started = len(c.w.Procs)-1, true
	c.modules = append(c.modules, forkScope(x.module()))
	fnName := "run"
	if f, ok := p.target.(*function); ok {
		fnName = f.name
	}
	child := c.newThread("MainThread", fnName, p.id, false)
	if err := child.body(func() (value, error) {
		if p.target == nil {
			return none{}, nil
		}
		return child.apply(p.target, p.args, p.kwargs)
	}); err != nil {
		return err
	}
	x.charge(x.c.ver.c.method)
	return x.emit(sim.ProcStart(x.line, p.id))
}

// forkScope copies a module's globals as fork does: the child has its
// own lists and dicts; locks, queues and functions are the same objects.
func forkScope(s *scope) *scope {
	out := newScope(nil, true)
	seen := map[any]value{}
	for k, v := range s.vars {
		out.vars[k] = deepCopy(v, seen)
	}
	return out
}

func deepCopy(v value, seen map[any]value) value {
	switch v := v.(type) {
	case *list:
		if c, ok := seen[v]; ok {
			return c
		}
		c := &list{}
		seen[v] = c
		for _, x := range v.items {
			c.items = append(c.items, deepCopy(x, seen))
		}
		return c
	case *dict:
		if c, ok := seen[v]; ok {
			return c
		}
		c := &dict{}
		seen[v] = c
		for i := range v.keys {
			c.keys = append(c.keys, deepCopy(v.keys[i], seen))
			c.vals = append(c.vals, deepCopy(v.vals[i], seen))
		}
		return c
	case *tuple:
		c := &tuple{}
		for _, x := range v.items {
			c.items = append(c.items, deepCopy(x, seen))
		}
		return c
	}
	return v
}

// newEvent makes a threading.Event; its name is the first name it is
// bound to.
func newEvent(x *thread, _ []value, _ map[string]value) (value, error) {
	x.c.w.Events = append(x.c.w.Events, "")
	x.charge(x.c.ver.c.call)
	return &eventObj{id: len(x.c.w.Events) - 1}, nil
}

// newSemaphore makes the constructor of a semaphore class.
func newSemaphore(kind string) func(x *thread, a []value, kw map[string]value) (value, error) {
	return func(x *thread, a []value, kw map[string]value) (value, error) {
		n := int64(1)
		if v, ok := kw["value"]; ok {
			a = append([]value{v}, a...)
		}
		if len(a) > 0 {
			k, ok := a[0].(int64)
			if !ok {
				return nil, raise("TypeError", "'%s' object cannot be interpreted as an integer", typeName(a[0]))
			}
			if k < 0 {
				return nil, raise("ValueError", "semaphore initial value must be >= 0")
			}
			n = k
		}
		if n > 1<<30 {
			return nil, x.unsupported("a semaphore of more than 2**30 permits is not simulated")
		}
		x.c.w.Sems = append(x.c.w.Sems, sim.SemSpec{Value: int(n), Bounded: kind == "BoundedSemaphore"})
		x.charge(x.c.ver.c.call)
		return &semObj{id: len(x.c.w.Sems) - 1, kind: kind}, nil
	}
}

// newLock makes a lock; its name is the first name it is bound to.
func (x *thread) newLock(kind string) *lockObj {
	x.c.w.Locks = append(x.c.w.Locks, "")
	x.charge(x.c.ver.c.call)
	return &lockObj{id: len(x.c.w.Locks) - 1, kind: kind}
}

// newQueue makes a queue.
func (x *thread) newQueue(kind sim.QueueKind, class string, a []value, kw map[string]value) (value, error) {
	size := int64(0)
	if len(a) > 0 {
		size, _ = a[0].(int64)
	}
	if v, ok := kw["maxsize"]; ok {
		size, _ = v.(int64)
	}
	if size < 0 || size > 1<<30 {
		return nil, x.unsupported("a queue's maxsize must be from 0 to 2**30 here")
	}
	x.c.w.Queues = append(x.c.w.Queues, sim.QueueSpec{Kind: kind, MaxSize: int(size)})
	x.charge(x.c.ver.c.call)
	return &queueObj{id: len(x.c.w.Queues) - 1, kind: class}, nil
}

// nameObject names a lock or queue after the first name it is bound to.
func (x *thread) nameObject(name string, v value) {
	switch o := v.(type) {
	case *lockObj:
		if x.c.w.Locks[o.id] == "" {
			x.c.w.Locks[o.id] = name
		}
	case *queueObj:
		if x.c.w.Queues[o.id].Name == "" {
			x.c.w.Queues[o.id].Name = name
		}
	case *semObj:
		if x.c.w.Sems[o.id].Name == "" {
			x.c.w.Sems[o.id].Name = name
		}
	case *eventObj:
		if x.c.w.Events[o.id] == "" {
			x.c.w.Events[o.id] = name
		}
	}
}

// newTask makes an asyncio task of co and compiles it.
func (x *thread) newTask(co *coroutine) (*taskObj, error) {
	return x.compileTask(x.c.reserveTask(co.fn.name), co)
}

// reserveTask adds a task to the workload, its code to come.
func (c *compiler) reserveTask(coro string) int {
	c.ntask++
	c.w.Tasks = append(c.w.Tasks, sim.TaskSpec{Name: fmt.Sprintf("Task-%d", c.ntask), Coro: coro})
	return len(c.w.Tasks) - 1
}

// compileTask compiles coroutine co as task k.
func (x *thread) compileTask(k int, co *coroutine) (*taskObj, error) {
	if co.awaited {
		return nil, raise("RuntimeError", "cannot reuse already awaited coroutine")
	}
	co.awaited = true
	t := &thread{c: x.c, proc: x.proc, id: x.id, task: k, selves: x.selves}
	var result value = none{}
	if err := t.body(func() (value, error) {
		v, err := t.callFunction(co.fn, co.args, co.kw)
		result = v
		return v, err
	}); err != nil {
		return nil, err
	}
	return &taskObj{id: k, name: x.c.w.Tasks[k].Name, result: result}, nil
}

// runLoopUntil is asyncio.run and run_until_complete: an event loop in
// this thread runs the coroutine as its main task.
func (x *thread) runLoopUntil(v value, what string) (value, error) {
	if x.task >= 0 {
		return nil, raise("RuntimeError", "%s cannot be called from a running event loop", what)
	}
	co, ok := v.(*coroutine)
	if !ok {
		return nil, raise("ValueError", "a coroutine was expected, got %s", repr(v))
	}
	x.charge(x.c.ver.c.asyncRun)
	t, err := x.newTask(co)
	if err != nil {
		return nil, err
	}
	return t.result, x.emit(sim.RunLoop(x.line, t.id))
}
