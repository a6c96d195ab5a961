package python

import (
	"fmt"

	"github.com/gilsim/gilsim/sim"
)

// concurrent.futures: an executor's workers are threads (or processes)
// started on its first submit, one per task until max_workers; task k
// goes to worker k mod max_workers, and each task's future is an event
// the worker sets when the task is done. CPython hands a task to the
// first idle worker; dealing them in turn is the same when tasks cost
// alike. A worker's program grows with every task submitted to it, and
// ends after its last one.

// executor is a ThreadPoolExecutor or ProcessPoolExecutor.
type executor struct {
	processes bool
	max       int
	n         int       // executors made before it, for thread names
	workers   []*thread // the compiler's place in each worker
	ids       []int     // each worker's thread, or its process
	tasks     int
	shut      bool
}

// future is the result of a task submitted to an executor: its value is
// known while compiling, and waiting for it is waiting for its event.
type future struct {
	event int
	value value
	err   *pyError
}

// results is what Executor.map returns: each result waited for as it
// is taken.
type results struct{ futures []*future }

func (c *compiler) futuresModule() *module {
	make := func(processes bool) *builtin {
		name := "concurrent.futures.ThreadPoolExecutor"
		if processes {
			name = "concurrent.futures.ProcessPoolExecutor"
		}
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			n := int64(min(32, x.c.opts.Cores+4))
			if processes {
				n = int64(x.c.opts.Cores)
			}
			v, ok := kw["max_workers"]
			if len(a) > 0 {
				v, ok = a[0], true
			}
			if _, isNone := v.(none); ok && !isNone {
				k, isInt := v.(int64)
				if !isInt || k < 1 || k > 1024 {
					return nil, raise("ValueError", "max_workers must be greater than 0")
				}
				n = k
			}
			x.charge(x.c.ver.c.call)
			x.c.executors++
			return &executor{processes: processes, max: int(n), n: x.c.executors - 1}, nil
		})
	}
	return &module{name: "concurrent.futures", attrs: map[string]value{
		"ThreadPoolExecutor":  make(false),
		"ProcessPoolExecutor": make(true),
		"as_completed":        notSimulated("concurrent.futures.as_completed", " yet: the order tasks finish in is known only at run time"),
		"wait":                notSimulated("concurrent.futures.wait", " yet"),
	}}
}

// submit compiles task f(*args) in the executor's next worker.
func (x *thread) submit(e *executor, f value, args []value, kw map[string]value) (*future, error) {
	if e.shut {
		return nil, raise("RuntimeError", "cannot schedule new futures after shutdown")
	}
	c := x.c
	k := e.tasks % e.max
	e.tasks++
	if k == len(e.workers) {
		w, err := x.startWorker(e, k)
		if err != nil {
			return nil, err
		}
		e.workers = append(e.workers, w)
	}
	w := e.workers[k]
	c.w.Events = append(c.w.Events, fmt.Sprintf("future %d", len(c.w.Events)+1))
	fut := &future{event: len(c.w.Events) - 1}
	v, err := w.apply(f, args, kw)
	if pe, ok := err.(*pyError); ok {
		// The task's exception is kept for result(), as CPython does;
		// the worker goes on to its next task.
		fut.err, err = pe, nil
	}
	if err != nil {
		return nil, err
	}
	w.flush()
	fut.value = v
	x.charge(c.ver.c.queuePutGet / 2)
	return fut, w.emit(sim.EventSet(w.line, fut.event))
}

// startWorker starts worker k of an executor: a thread of this process,
// or a process that forks this one.
func (x *thread) startWorker(e *executor, k int) (*thread, error) {
	c := x.c
	if !e.processes {
		name := fmt.Sprintf("ThreadPoolExecutor-%d_%d", e.n, k)
		w := c.newThread(name, "_worker", x.proc, false)
		e.ids = append(e.ids, w.id)
		c.open = append(c.open, w)
		x.charge(c.ver.c.method)
		return w, x.emit(sim.Start(x.line, w.id))
	}
	c.nproc++
	c.w.Procs = append(c.w.Procs, sim.ProcSpec{Name: fmt.Sprintf("SpawnProcess-%d", c.nproc), Start: sim.StartFork})
	pid := len(c.w.Procs) - 1
	c.modules = append(c.modules, forkScope(x.module()))
	w := c.newThread("MainThread", "_process_worker", pid, false)
	e.ids = append(e.ids, pid)
	c.open = append(c.open, w)
	x.charge(c.ver.c.method)
	return w, x.emit(sim.ProcStart(x.line, pid))
}

// result waits for a future and returns its value, or raises its task's
// exception.
func (x *thread) result(f *future) (value, error) {
	x.charge(x.c.ver.c.queuePutGet / 2)
	if err := x.emit(sim.EventWait(x.line, f.event)); err != nil {
		return nil, err
	}
	if f.err != nil {
		return nil, &pyError{kind: f.err.kind, msg: f.err.msg}
	}
	return f.value, nil
}

// shutdown waits for an executor's workers, which end after their last
// task.
func (x *thread) shutdown(e *executor, wait bool) error {
	e.shut = true
	if !wait {
		return nil
	}
	for _, id := range e.ids {
		op := sim.Join(x.line, id)
		if e.processes {
			op = sim.ProcJoin(x.line, id)
		}
		if err := x.emit(op); err != nil {
			return err
		}
	}
	e.ids = nil
	return nil
}

func (x *thread) executorAttr(e *executor, name string) (value, error) {
	switch name {
	case "submit":
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			if len(a) == 0 {
				return nil, raise("TypeError", "submit expected at least 1 argument, got 0")
			}
			return x.submit(e, a[0], a[1:], kw)
		}), nil
	case "map":
		return fn(name, func(x *thread, a []value, _ map[string]value) (value, error) {
			if len(a) < 2 {
				return nil, raise("TypeError", "map() missing 1 required positional argument: 'iterables'")
			}
			var cols [][]value
			for _, it := range a[1:] {
				items, err := x.items(it)
				if err != nil {
					return nil, err
				}
				cols = append(cols, items)
			}
			out := &results{}
			for i := 0; len(cols) > 0; i++ {
				var args []value
				for _, col := range cols {
					if i >= len(col) {
						return out, nil
					}
					args = append(args, col[i])
				}
				f, err := x.submit(e, a[0], args, nil)
				if err != nil {
					return nil, err
				}
				out.futures = append(out.futures, f)
			}
			return out, nil
		}), nil
	case "shutdown":
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			wait := true
			if v, ok := kw["wait"]; ok {
				wait, _ = v.(bool)
			} else if len(a) > 0 {
				wait, _ = a[0].(bool)
			}
			return none{}, x.shutdown(e, wait)
		}), nil
	}
	return nil, raise("AttributeError", "'%s' object has no attribute '%s'", typeName(e), name)
}

func (x *thread) futureAttr(f *future, name string) (value, error) {
	switch name {
	case "result":
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			if len(a) > 0 || len(kw) > 0 {
				return nil, x.unsupported("Future.result(timeout) is not simulated yet")
			}
			return x.result(f)
		}), nil
	case "done", "running", "cancelled":
		return nil, x.unsupported("Future.%s() is known only at run time", name)
	case "cancel":
		return fn(name, func(*thread, []value, map[string]value) (value, error) { return false, nil }), nil
	}
	return nil, raise("AttributeError", "'Future' object has no attribute '%s'", name)
}
