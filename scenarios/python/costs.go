package python

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// The cost tables are measurements of real interpreters, one file per
// version, made by docs/python-costs/measure.py (docs/python-costs.md says
// how). Each line is a construct's key and its cost in nanoseconds; "-"
// marks a construct the version does not have.
//
//go:embed costs/*.tsv
var costFiles embed.FS

// Version is a CPython version the front end can simulate: its GIL and
// what each construct costs it.
type Version struct {
	// Name is how --python names it ("3.12").
	Name string
	// Model is the GIL the version has.
	Model sim.Model
	// EveryBytecode says the eval loop looks at the GIL request between
	// almost any two bytecodes (before 3.10), not only at loop back-edges
	// and calls: "counter += 1" can then be interrupted between its read
	// and its write.
	EveryBytecode bool
	// Measured names the interpreter the costs were measured on, and says
	// where they were borrowed.
	Measured string
	// Async says the version has asyncio's async and await.
	Async bool

	c costs
}

// costs are the virtual CPU times of constructs.
type costs struct {
	stmt, globalStore, augLocal, augGlobal time.Duration
	binopInt, binopFloat, binopStr         time.Duration
	compare, format                        time.Duration
	call, callArg, builtinCall, method     time.Duration
	attr, listLoad, dictLoad, listStore    time.Duration
	listAppend, dictStore, comprehension   time.Duration
	print, rangeIter, whileIter            time.Duration
	lock, withLock, queuePutGet, timeCall  time.Duration
	sleep0                                 time.Duration
	// intAlloc is what an int result outside the cache of small ints
	// (-5 to 256) adds: a new object and the old one freed.
	intAlloc                         time.Duration
	imports                          map[string]time.Duration
	taskCreate, asyncSleep, asyncRun time.Duration
}

// costKeys maps each cost to its key in the tables.
func (c *costs) keys() map[string]*time.Duration {
	return map[string]*time.Duration{
		"stmt.assign.local": &c.stmt, "stmt.assign.global": &c.globalStore,
		"stmt.augassign.int.local": &c.augLocal, "stmt.augassign.int.global": &c.augGlobal,
		"expr.binop.int": &c.binopInt, "expr.binop.float": &c.binopFloat, "expr.binop.str.concat": &c.binopStr,
		"expr.compare.int": &c.compare, "expr.fstring": &c.format,
		"call.func.0args": &c.call, "call.func.2args": &c.callArg, "call.builtin.len": &c.builtinCall,
		"call.method": &c.method, "attr.load": &c.attr, "subscript.list.load": &c.listLoad,
		"subscript.dict.load": &c.dictLoad, "subscript.list.store": &c.listStore,
		"list.append": &c.listAppend, "dict.store": &c.dictStore, "list.comp.per.item": &c.comprehension,
		"print.line": &c.print, "loop.range": &c.rangeIter, "loop.while": &c.whileIter,
		"lock.acquire_release": &c.lock, "with.lock": &c.withLock, "queue.Queue.put_get": &c.queuePutGet,
		"time.time": &c.timeCall, "time.sleep.0": &c.sleep0,
	}
}

// asyncKeys are the costs only versions with asyncio's await have.
func (c *costs) asyncKeys() map[string]*time.Duration {
	return map[string]*time.Duration{
		"asyncio.create_task_await": &c.taskCreate, "asyncio.sleep.0": &c.asyncSleep, "asyncio.run.empty": &c.asyncRun,
	}
}

// versions are the versions --python accepts, in order.
var versions = []*Version{
	{Name: "2.7", Model: sim.ModelPy2, EveryBytecode: true},
	{Name: "3.9", Model: sim.ModelPy3, EveryBytecode: true, Async: true},
	{Name: "3.11", Model: sim.ModelPy3, Async: true},
	{Name: "3.12", Model: sim.ModelPy3, Async: true},
	{Name: "3.13", Model: sim.ModelPy3, Async: true},
	{Name: "3.13t", Model: sim.ModelFreeThreaded, Async: true},
}

// DefaultVersion is the version simulated unless --python says another.
const DefaultVersion = "3.12"

func init() {
	for _, v := range versions {
		file := v.Name
		if v.Model == sim.ModelFreeThreaded {
			// No free-threaded build was at hand to measure: it takes the
			// costs of its GIL build, and the engine's FreeThreadTax adds
			// the free-threaded slowdown.
			file = strings.TrimSuffix(v.Name, "t")
		}
		if err := v.load(file); err != nil {
			panic("python: cost table " + file + ": " + err.Error())
		}
	}
}

// load reads the cost table of version file.
func (v *Version) load(file string) error {
	data, err := costFiles.ReadFile("costs/" + file + ".tsv")
	if err != nil {
		return err
	}
	got := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			if m, ok := strings.CutPrefix(line, "# measured:"); ok {
				v.Measured = strings.TrimSpace(m)
			}
			continue
		}
		key, val, ok := strings.Cut(line, "\t")
		if !ok {
			return fmt.Errorf("line %q is not key<TAB>ns", line)
		}
		got[key] = strings.TrimSpace(val)
	}
	read := func(key string, into *time.Duration) error {
		s, ok := got[key]
		if !ok {
			return fmt.Errorf("no %s", key)
		}
		ns, err := strconv.ParseFloat(s, 64)
		if err != nil || ns < 0 {
			return fmt.Errorf("%s is %q, not a cost in ns", key, s)
		}
		*into = time.Duration(ns + 0.5)
		return nil
	}
	for key, into := range v.c.keys() {
		if err := read(key, into); err != nil {
			return err
		}
	}
	if v.Async {
		for key, into := range v.c.asyncKeys() {
			if err := read(key, into); err != nil {
				return err
			}
		}
	}
	v.c.imports = map[string]time.Duration{}
	for key, s := range got {
		if mod, ok := strings.CutPrefix(key, "import."); ok && s != "-" && !strings.Contains(mod, ".") {
			var d time.Duration
			if err := read(key, &d); err != nil {
				return err
			}
			v.c.imports[mod] = d
		}
	}
	// The while loop measured counts down from a small number, whose
	// ints are cached; the 20-million countdown makes a new int at every
	// step: the difference is what an int beyond the cache costs.
	countdown, err := strconv.ParseFloat(got["countdown.20M.s"], 64)
	if err != nil {
		return fmt.Errorf("countdown.20M.s is %q, not seconds", got["countdown.20M.s"])
	}
	v.c.intAlloc = max(0, time.Duration(countdown*1e9/20e6+0.5)-v.c.whileIter)
	// The call costs measured hold the call with two arguments: the
	// second cost is what each argument adds.
	v.c.callArg = max(0, (v.c.callArg-v.c.call)/2)
	// The while loop measured is "while n > 0: n -= 1": what the loop
	// itself adds is the rest once the test and the statement are paid.
	// Measured apart, those two cost a little more than inside the loop,
	// so the rest can be below zero: a correction the test's cost absorbs.
	v.c.whileIter -= v.c.augLocal + v.c.compare
	return nil
}

// Versions returns the names --python accepts.
func Versions() []string {
	out := make([]string, len(versions))
	for i, v := range versions {
		out[i] = v.Name
	}
	return out
}

// LookupVersion returns the version called name.
func LookupVersion(name string) (*Version, error) {
	for _, v := range versions {
		if v.Name == name {
			return v, nil
		}
	}
	return nil, fmt.Errorf("unknown Python version %q (accepted: %s)", name, strings.Join(Versions(), ", "))
}
