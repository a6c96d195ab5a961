package python

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/gilsim/gilsim/scenarios/python/syntax"
	"github.com/gilsim/gilsim/sim"
)

// Error is a program gilsim cannot simulate: valid Python that uses what
// the front end does not model. Its text is one line,
// "prog.py:12:5: unsupported: ctypes is not simulated (supported modules: ...)".
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: unsupported: %s", e.File, e.Line, e.Col, oneLine(e.Msg))
}

// oneLine escapes line breaks so that a message prints on one line.
func oneLine(s string) string {
	return strings.NewReplacer("\n", `\n`, "\r", `\r`).Replace(s)
}

// pyError is a Python exception raised while the program is compiled: it
// can be caught by the program's try; otherwise the thread dies of it at
// run time, with a traceback, as in CPython.
type pyError struct {
	kind, msg string
	// line is where it was raised; 0 until a statement sees it.
	line int
}

func (e *pyError) Error() string { return e.kind + ": " + e.msg }

// at returns the line it was raised at, or line.
func (e *pyError) at(line int) int {
	if e.line > 0 {
		return e.line
	}
	return line
}

func raise(kind, format string, args ...any) error {
	return &pyError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// errDied says the thread's program ends where its thread dies of an
// exception at run time: the rest is never run.
var errDied = errors.New("the thread has died")

// errDynamic is returned where a value known only at run time decides
// what the program does.
var errDynamic = errors.New("a value known only at run time")

// Limits on what one program may ask of the compiler.
const (
	// maxOps bounds the program the engine is handed.
	maxOps   = 4_000_000
	maxDepth = 100
)

// maxSteps bounds the statements and calls compiled in all: a program
// that does more while compiling (a recursion that doubles) is refused.
var maxSteps = 5_000_000

// maxIterations bounds the loop iterations run one by one while compiling
// (a loop whose iterations all do the same takes none).
var maxIterations = 200_000

// compiler turns one program into a workload.
type compiler struct {
	file *syntax.File
	name string
	ver  *Version
	opts Options
	// set are the constants --set overrides.
	set     map[string]value
	w       sim.Workload
	modules []*scope // per process: its module's globals
	// shared are the module-level names some function assigns after
	// "global": ints every thread of a process sees, simulated as shared
	// variables so that a race on them can lose updates.
	shared map[string]bool
	vars   map[varKey]int
	ops    int
	iters  int
	steps  int
	mods   map[string]*module
	// open are the executors' workers, whose programs grow with every
	// task submitted and are handed over at the end.
	open      []*thread
	executors int
	rng       *rand.Rand // random's generator, made on first use
	texts     map[string]int
	// imported says which modules each process has imported.
	imported map[varKey]bool
	nthr     int // threads created, for Thread-N names
	nconn    int // connections accepted, for their clients' ports
	nproc    int
	ntask    int
	// startMethod is how Process.start starts a child: fork, unless
	// multiprocessing.set_start_method chose another. methodFixed says
	// the choice is made (set, read or used by a start), as CPython's
	// default context is then.
	startMethod sim.StartMethod
	methodFixed bool
	// memos are the calls remembered, by function (see callPure).
	memos map[*function]*memo
}

type varKey struct {
	proc int
	name string
}

// scope holds the names of a module or of a function call.
type scope struct {
	vars   map[string]value
	outer  *scope // the enclosing function's scope, for closures
	global map[string]bool
	module bool
}

func newScope(outer *scope, module bool) *scope {
	return &scope{vars: map[string]value{}, outer: outer, global: map[string]bool{}, module: module}
}

// thread is the compiler's place in one simulated thread's program (or an
// asyncio task's): the code so far and the CPU not yet turned into an op.
type thread struct {
	c    *compiler
	proc int
	id   int // the simulated thread; for a task, the thread of its loop
	task int // the task compiled, or -1
	code sim.Code
	cost time.Duration
	line int
	col  int
	// depth counts the calls being compiled.
	depth int
	// runLoops counts the loops around what is compiled that run at run
	// time (a loop with a dynamic break).
	runLoops int
	// gen counts the values read into the register.
	gen int
	// ret is the value of the return statement being compiled.
	ret returned
	// selves are the methods being compiled, innermost last, for super().
	selves []selfFrame
	// nmarks counts the clock readings; markGen[m] is which reading mark
	// m holds.
	nmarks  int
	markGen [sim.MaxMarks]int
	// held counts the RLocks the thread holds, by lock.
	held map[int]int
	// req is the socket whose round trip is open as a request (see
	// socketCall), or nil: the engine keeps one per thread or task.
	req *socketObj
}

// charge adds CPU to the statement being compiled.
func (x *thread) charge(d time.Duration) { x.cost += d }

// flush turns the CPU charged so far into an op.
func (x *thread) flush() {
	if x.cost <= 0 {
		x.cost = 0
		return
	}
	check := time.Duration(0)
	if x.c.ver.EveryBytecode {
		// The eval loop looks at the GIL request between most bytecodes:
		// about every 10-20 ns of Python.
		check = max(x.cost/4, time.Nanosecond)
	}
	x.code = append(x.code, sim.Python(x.line, x.cost, check)...)
	x.cost = 0
}

// emit appends ops after the CPU charged so far.
func (x *thread) emit(code sim.Code) error {
	x.flush()
	x.code = append(x.code, code...)
	x.c.ops += len(code)
	if x.c.ops > maxOps {
		return x.unsupported("the program makes more than %d simulated operations; make its loops shorter", maxOps)
	}
	return nil
}

// unsupported returns an Error at the construct being compiled.
func (x *thread) unsupported(format string, args ...any) error {
	return &Error{File: x.c.name, Line: x.line, Col: x.col, Msg: fmt.Sprintf(format, args...)}
}

// at moves the compiler's position to node n.
func (x *thread) at(n syntax.Node) {
	p := n.Position()
	x.line, x.col = p.Line, p.Col
}

// module returns the globals of the thread's process.
func (x *thread) module() *scope { return x.c.modules[x.proc] }

// text returns the index of s in the workload's texts, adding it once.
func (c *compiler) text(s string) int {
	if i, ok := c.texts[s]; ok {
		return i
	}
	c.w.Texts = append(c.w.Texts, s)
	c.texts[s] = len(c.w.Texts) - 1
	return len(c.w.Texts) - 1
}

// newThread starts compiling a new simulated thread in process proc.
func (c *compiler) newThread(name, fn string, proc int, daemon bool) *thread {
	c.w.Threads = append(c.w.Threads, sim.ThreadSpec{Name: name, Func: fn, Proc: proc, Daemon: daemon})
	return &thread{c: c, proc: proc, id: len(c.w.Threads) - 1, task: -1}
}

// finish hands a compiled thread's program to the workload.
func (x *thread) finish() {
	x.flush()
	if n := len(x.code); n > 0 && x.code[n-1].Req == sim.ReqEnd {
		// The engine ends a request when the thread next runs an op, with
		// the GIL retaken; a thread whose last op ends one retakes it to
		// return.
		x.code = append(x.code, sim.Python(x.line, 0, 0)...)
	}
	if x.task >= 0 {
		x.c.w.Tasks[x.task].Code = x.code
		return
	}
	x.c.w.Threads[x.id].Code = x.code
}

// sharedVar returns the simulated variable for global name in the
// thread's process, made on first use with the value the module holds.
func (x *thread) sharedVar(name string) (int, error) {
	k := varKey{x.proc, name}
	if i, ok := x.c.vars[k]; ok {
		return i, nil
	}
	init, ok := x.module().vars[name].(int64)
	if !ok {
		return 0, x.unsupported("the global %s, which functions assign, holds a %s: gilsim shares only ints between threads",
			name, typeName(x.module().vars[name]))
	}
	label := name
	if x.proc != 0 {
		label = x.c.w.Procs[x.proc].Name + "." + name
	}
	x.c.w.Vars = append(x.c.w.Vars, sim.VarSpec{Name: label, Init: init})
	x.c.vars[k] = len(x.c.w.Vars) - 1
	return len(x.c.w.Vars) - 1, nil
}

// isShared reports whether name, read or written in scope s, is one of
// the shared module-level ints.
func (x *thread) isShared(s *scope, name string) bool {
	if !x.c.shared[name] {
		return false
	}
	if s.module {
		return true
	}
	if s.global[name] {
		return true
	}
	// A function reads a module global it does not assign.
	for o := s; o != nil; o = o.outer {
		if _, ok := o.vars[name]; ok && !o.module {
			return false
		}
	}
	return true
}

// findShared lists the names assigned after "global" in any function.
func findShared(body []syntax.Stmt) map[string]bool {
	out := map[string]bool{}
	var walk func([]syntax.Stmt, map[string]bool)
	walk = func(stmts []syntax.Stmt, globals map[string]bool) {
		for _, s := range stmts {
			switch s := s.(type) {
			case *syntax.FunctionDef:
				g := map[string]bool{}
				collectGlobals(s.Body, g)
				walk(s.Body, g)
			case *syntax.ClassDef:
				walk(s.Body, nil)
			default:
				for _, t := range assigned(s) {
					if globals[t] {
						out[t] = true
					}
				}
				for _, b := range blocks(s) {
					walk(b, globals)
				}
			}
		}
	}
	walk(body, nil)
	return out
}

func collectGlobals(stmts []syntax.Stmt, g map[string]bool) {
	for _, s := range stmts {
		if gl, ok := s.(*syntax.Global); ok {
			for _, n := range gl.Names {
				g[n] = true
			}
		}
		if _, ok := s.(*syntax.FunctionDef); ok {
			continue
		}
		for _, b := range blocks(s) {
			collectGlobals(b, g)
		}
	}
}

// assigned returns the plain names statement s assigns (not in its blocks).
func assigned(s syntax.Stmt) []string {
	var out []string
	add := func(e syntax.Expr) { out = append(out, targetNames(e)...) }
	switch s := s.(type) {
	case *syntax.Assign:
		for _, t := range s.Targets {
			add(t)
		}
	case *syntax.AugAssign:
		add(s.Target)
	case *syntax.AnnAssign:
		add(s.Target)
	case *syntax.For:
		add(s.Target)
	}
	return out
}

func targetNames(e syntax.Expr) []string {
	switch e := e.(type) {
	case *syntax.Name:
		return []string{e.ID}
	case *syntax.Tuple:
		var out []string
		for _, x := range e.Elts {
			out = append(out, targetNames(x)...)
		}
		return out
	case *syntax.List:
		var out []string
		for _, x := range e.Elts {
			out = append(out, targetNames(x)...)
		}
		return out
	case *syntax.Starred:
		return targetNames(e.Value)
	}
	return nil
}

// blocks returns the statement lists inside s.
func blocks(s syntax.Stmt) [][]syntax.Stmt {
	switch s := s.(type) {
	case *syntax.If:
		return [][]syntax.Stmt{s.Body, s.OrElse}
	case *syntax.While:
		return [][]syntax.Stmt{s.Body, s.OrElse}
	case *syntax.For:
		return [][]syntax.Stmt{s.Body, s.OrElse}
	case *syntax.With:
		return [][]syntax.Stmt{s.Body}
	case *syntax.Try:
		out := [][]syntax.Stmt{s.Body, s.OrElse, s.FinalBody}
		for _, h := range s.Handlers {
			out = append(out, h.Body)
		}
		return out
	}
	return nil
}

// compile runs the module's code in the main thread of the main process.
func (c *compiler) compile() error {
	c.w.File = c.name
	c.w.Procs = []sim.ProcSpec{{Name: "MainProcess"}}
	c.modules = []*scope{newScope(nil, true)}
	c.modules[0].vars["__name__"] = "__main__"
	c.shared = findShared(c.file.Body)
	c.vars = map[varKey]int{}
	c.mods = map[string]*module{}
	c.texts = map[string]int{}
	c.imported = map[varKey]bool{}
	x := c.newThread("MainThread", "<module>", 0, false)
	err := x.run(c.file.Body, c.modules[0])
	if err := x.uncaught(err); err != nil {
		return err
	}
	x.finish()
	for _, w := range c.open {
		w.finish()
	}
	return nil
}

// uncaught ends a thread's program with the exception it died of, or
// passes on an error that stops the compilation.
func (x *thread) uncaught(err error) error {
	var pe *pyError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return x.emit(sim.Raise(pe.at(x.line), pe.kind, pe.msg))
	case errors.Is(err, errReturn), errors.Is(err, errBreak), errors.Is(err, errContinue),
		errors.Is(err, errDied), errors.Is(err, errEndless):
		return nil
	}
	return err
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
