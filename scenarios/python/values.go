package python

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gilsim/gilsim/scenarios/python/syntax"
	"github.com/gilsim/gilsim/sim"
)

// A value is what a Python expression evaluates to while the program is
// compiled. The plain Python values are Go values:
//
//	none      None
//	bool      True, False
//	int64     an int (a larger one is refused as unsupported)
//	float64   a float
//	string    a str
//	bytesVal  a bytes
//	*list, *tuple, *dict
//
// and the rest are the pointer types below: functions, classes and their
// instances, modules, built-in functions and methods, and the handles of
// what the simulation runs (threads, processes, locks, queues, tasks,
// sockets). A dynamic value stands for one known only when the program
// runs: an item taken from a queue, a shared counter read.
type value any

// none is Python's None.
type none struct{}

// bytesVal is a bytes object.
type bytesVal []byte

// list is a Python list.
type list struct{ items []value }

// tuple is a Python tuple.
type tuple struct{ items []value }

// dict is a Python dict, keyed by the printed form of hashable keys.
type dict struct {
	keys []value
	vals []value
}

// function is a def or a lambda, with the scope it was defined in.
type function struct {
	name  string
	def   *syntax.FunctionDef // nil for a lambda
	args  *syntax.Arguments
	body  []syntax.Stmt
	expr  syntax.Expr // a lambda's body
	defs  []value     // defaults of the last positional parameters
	kwdef map[string]value
	outer *scope
	async bool
}

// class is a class statement's result.
type class struct {
	name  string
	bases []*class
	// builtin is the library class it derives from ("threading.Thread"),
	// or "".
	builtin string
	attrs   map[string]value
}

// instance is an object of a user class.
type instance struct {
	cls   *class
	attrs map[string]value
	// thread is set for instances of threading.Thread subclasses.
	thread *threadObj
}

// module is an imported module.
type module struct {
	name  string
	attrs map[string]value
}

// builtin is a function of the library, or a method bound to its receiver.
type builtin struct {
	name string
	fn   func(x *thread, args []value, kw map[string]value) (value, error)
}

// boundMethod is a user function bound to an instance.
type boundMethod struct {
	self value
	fn   *function
}

// threadObj is a threading.Thread.
type threadObj struct {
	name    string
	target  value
	args    []value
	kwargs  map[string]value
	daemon  bool
	self    *instance // for subclasses: run() is called on it
	id      int       // the simulated thread, once started; -1 before
	proc    int
	started bool
}

// processObj is a multiprocessing.Process.
type processObj struct {
	name    string
	target  value
	args    []value
	kwargs  map[string]value
	daemon  bool
	id      int // the simulated process, once started; -1 before
	started bool
}

// poolObj is a multiprocessing.Pool of n worker processes.
type poolObj struct {
	n       int
	workers []int // the processes of every map so far
	closed  bool
}

// semObj is a threading.Semaphore or BoundedSemaphore.
type semObj struct {
	id   int
	kind string
}

// eventObj is a threading.Event.
type eventObj struct{ id int }

// lockObj is a threading.Lock, RLock or multiprocessing.Lock.
type lockObj struct {
	id   int
	kind string
}

// queueObj is a queue.Queue, multiprocessing.Queue or JoinableQueue.
type queueObj struct {
	id   int
	kind string
}

// coroutine is the result of calling an async def: not yet run.
type coroutine struct {
	fn      *function
	args    []value
	kw      map[string]value
	awaited bool
}

// taskObj is an asyncio task; result is what its coroutine returns.
type taskObj struct {
	id     int
	name   string
	result value
}

// socketObj is a socket.socket. A client's peer (connect,
// create_connection) echoes what it is sent; the peer of a connection a
// server accepted is a client that sends clientMessage after the
// connection and after each reply.
type socketObj struct {
	connected bool
	closed    bool
	buf       []byte // sent, not yet answered
	reply     []byte // answered (or the client's message), not yet received
	// listening is a server's socket (create_server, or bind and
	// listen): accept gives connections.
	listening bool
	// accepted is a connection a server accepted; due says the client's
	// next message is on its way, not yet arrived (after the connection
	// and after each send of a reply).
	accepted, due bool
	// sent adds up the waits of the sends since the peer last answered,
	// which Options.PeerFromSend takes off the wait for its answer.
	sent time.Duration
}

// clientMessage is what the simulated client of an accepted connection
// sends each time.
const clientMessage = "ping"

// dynamic is a value known only at run time: what the thread's register
// holds after a queue's get or a shared variable's read (from names the
// variable), plus add. gen tells which read it was: the register holds
// only the thread's last one.
type dynamic struct {
	gen  int
	from string
	add  int64
}

// clockVal is a reading of the clock (time.time()), which the
// simulation keeps in mark slot of the thread's frame; gen tells which
// reading the slot held.
type clockVal struct{ slot, gen int }

// clockDiff is the seconds between two readings (b.slot -1: since the
// run began) times scale: what an elapsed time prints.
type clockDiff struct {
	a, b  clockVal
	scale float64
}

// text is the part of a print's text that shows d with format spec.
func (d *clockDiff) text(spec string) string { return sim.ClockText(d.a.slot, d.b.slot, d.scale, spec) }

// typeName returns the Python type name of v, for messages.
func typeName(v value) string {
	switch v := v.(type) {
	case none:
		return "NoneType"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case bytesVal:
		return "bytes"
	case *list:
		return "list"
	case *tuple:
		return "tuple"
	case *dict:
		return "dict"
	case *function:
		return "function"
	case *class:
		return "type"
	case *instance:
		return v.cls.name
	case *module:
		return "module"
	case *builtin, *boundMethod:
		return "builtin_function_or_method"
	case *threadObj:
		return "Thread"
	case *processObj:
		return "Process"
	case *poolObj:
		return "Pool"
	case *executor:
		if v.processes {
			return "ProcessPoolExecutor"
		}
		return "ThreadPoolExecutor"
	case *future:
		return "Future"
	case *results:
		return "generator"
	case *semObj:
		return v.kind
	case *eventObj:
		return "Event"
	case *lockObj:
		return v.kind
	case *queueObj:
		return v.kind
	case *coroutine:
		return "coroutine"
	case *taskObj:
		return "Task"
	case *socketObj:
		return "socket"
	case *dynamic:
		return "object"
	case *clockVal, *clockDiff:
		return "float"
	case *excValue:
		return v.cls.name
	case *excClass:
		return "type"
	}
	return fmt.Sprintf("%T", v)
}

// truthy is Python's bool(v).
func truthy(v value) (bool, error) {
	switch v := v.(type) {
	case none:
		return false, nil
	case bool:
		return v, nil
	case int64:
		return v != 0, nil
	case float64:
		return v != 0, nil
	case string:
		return v != "", nil
	case bytesVal:
		return len(v) > 0, nil
	case *list:
		return len(v.items) > 0, nil
	case *tuple:
		return len(v.items) > 0, nil
	case *dict:
		return len(v.keys) > 0, nil
	case *dynamic, *clockVal, *clockDiff:
		return false, errDynamic
	}
	return true, nil
}

// str is Python's str(v).
func str(v value) string {
	switch v := v.(type) {
	case string:
		return v
	case *excValue:
		return v.msg
	}
	return repr(v)
}

// repr is Python's repr(v).
func repr(v value) string {
	switch v := v.(type) {
	case none:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return syntax.FloatRepr(v)
	case string:
		return syntax.StrRepr(v)
	case bytesVal:
		return syntax.BytesRepr(v)
	case *list:
		return "[" + joinRepr(v.items) + "]"
	case *tuple:
		if len(v.items) == 1 {
			return "(" + repr(v.items[0]) + ",)"
		}
		return "(" + joinRepr(v.items) + ")"
	case *dict:
		parts := make([]string, len(v.keys))
		for i := range v.keys {
			parts[i] = repr(v.keys[i]) + ": " + repr(v.vals[i])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *function:
		return "<function " + v.name + ">"
	case *class:
		return "<class '__main__." + v.name + "'>"
	case *instance:
		if v.thread != nil {
			return "<" + v.cls.name + "(" + v.thread.name + ", initial)>"
		}
		return "<__main__." + v.cls.name + " object>"
	case *module:
		return "<module '" + v.name + "'>"
	case *builtin:
		return "<built-in function " + v.name + ">"
	case *threadObj:
		return "<Thread(" + v.name + ", initial)>"
	case *processObj:
		return "<Process name='" + v.name + "'>"
	case *coroutine:
		return "<coroutine object " + v.fn.name + ">"
	case *taskObj:
		return "<Task pending name='" + v.name + "'>"
	case *dynamic:
		return "{}"
	case *clockVal:
		return (&clockDiff{a: *v, b: clockVal{slot: -1}, scale: 1}).text("")
	case *clockDiff:
		return v.text("")
	case *excValue:
		if v.msg == "" {
			return v.cls.name + "()"
		}
		return v.cls.name + "(" + syntax.StrRepr(v.msg) + ")"
	case *excClass:
		return "<class '" + v.name + "'>"
	}
	return "<" + typeName(v) + " object>"
}

func joinRepr(items []value) string {
	parts := make([]string, len(items))
	for i, x := range items {
		parts[i] = repr(x)
	}
	return strings.Join(parts, ", ")
}

// equal is Python's == for the plain values.
func equal(a, b value) bool {
	switch a := a.(type) {
	case none:
		_, ok := b.(none)
		return ok
	case bool, int64, float64:
		x, ok1 := number(a)
		y, ok2 := number(b)
		return ok1 && ok2 && x == y
	case string:
		s, ok := b.(string)
		return ok && s == a
	case bytesVal:
		s, ok := b.(bytesVal)
		return ok && string(s) == string(a)
	case *list:
		l, ok := b.(*list)
		return ok && slices.EqualFunc(a.items, l.items, equal)
	case *tuple:
		l, ok := b.(*tuple)
		return ok && slices.EqualFunc(a.items, l.items, equal)
	}
	return a == b
}

// number returns a bool, int or float as a float64.
func number(v value) (float64, bool) {
	switch v := v.(type) {
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

// constant converts a literal's value.
func constant(v any) (value, bool) {
	switch v := v.(type) {
	case nil:
		return none{}, true
	case bool, int64, float64, string:
		return v, true
	case []byte:
		return bytesVal(v), true
	case *big.Int:
		return nil, false
	}
	return nil, false
}
