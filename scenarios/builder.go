package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// builder assembles a workload beside its Python source, finding the line
// each op stands for by a snippet of that line, so ops and source cannot
// drift apart.
type builder struct {
	lines []string
	w     sim.Workload
}

func newBuilder(source string) *builder {
	source = strings.TrimLeft(source, "\n")
	b := &builder{lines: strings.Split(source, "\n")}
	b.w.File = "main.py"
	b.w.Source = source
	b.w.Procs = []sim.ProcSpec{{Name: "MainProcess"}}
	return b
}

// line returns the 1-based number of the first line containing snippet at
// or after line from. A built-in scenario that names a missing snippet is
// a programming error, caught by the tests that build every scenario.
func (b *builder) line(snippet string) int { return b.lineAfter(0, snippet) }

func (b *builder) lineAfter(from int, snippet string) int {
	for i := max(from-1, 0); i < len(b.lines); i++ {
		if strings.Contains(b.lines[i], snippet) {
			return i + 1
		}
	}
	panic(fmt.Sprintf("scenarios: no line contains %q", snippet))
}

// thread adds a thread and returns its index.
func (b *builder) thread(name, fn string, proc int, code sim.Code) int {
	b.w.Threads = append(b.w.Threads, sim.ThreadSpec{Name: name, Func: fn, Proc: proc, Code: code})
	return len(b.w.Threads) - 1
}

// threadPool adds n threads, Thread-1 to Thread-n, each running fn's
// worker code, and returns the main thread's part: building the list
// ("threads = [..."), then "for t in threads: t.start()" and
// "for t in threads: t.join()".
func (b *builder) threadPool(n int, fn string, worker sim.Code) sim.Code {
	start, join := b.line("t.start()"), b.line("t.join()")
	// One pass that appends, not sim.Seq per thread, which copies the
	// program so far every time: 10,000 threads would take seconds.
	code := make(sim.Code, 0, 1+2*n)
	code = append(code, sim.Python(b.line("threads = ["), time.Duration(n)*10*time.Microsecond, iteration)...)
	first := len(b.w.Threads)
	b.grow(n)
	for i := 1; i <= n; i++ {
		t := b.thread(fmt.Sprintf("Thread-%d", i), fn, 0, worker)
		code = append(code, sim.Start(start, t)...)
	}
	for t := first; t < first+n; t++ {
		code = append(code, sim.Join(join, t)...)
	}
	return code
}

// grow makes room for n more threads.
func (b *builder) grow(n int) { b.w.Threads = slices.Grow(b.w.Threads, n) }

// setCode replaces the program of thread i.
func (b *builder) setCode(i int, code sim.Code) { b.w.Threads[i].Code = code }

// daemonThread adds a daemon thread (threading.Thread(daemon=True)), which
// interpreter shutdown kills instead of joining, and returns its index.
func (b *builder) daemonThread(name, fn string, proc int, code sim.Code) int {
	i := b.thread(name, fn, proc, code)
	b.w.Threads[i].Daemon = true
	return i
}

// proc adds a process and returns its index.
func (b *builder) proc(name string, m sim.StartMethod) int {
	b.w.Procs = append(b.w.Procs, sim.ProcSpec{Name: name, Start: m})
	return len(b.w.Procs) - 1
}

// daemonProc adds a daemon process (Process(daemon=True)), which the
// parent terminates when it exits, and returns its index.
func (b *builder) daemonProc(name string, m sim.StartMethod) int {
	p := b.proc(name, m)
	b.w.Procs[p].Daemon = true
	return p
}

func (b *builder) lock(name string) int {
	b.w.Locks = append(b.w.Locks, name)
	return len(b.w.Locks) - 1
}

func (b *builder) variable(name string, init int64) int {
	b.w.Vars = append(b.w.Vars, sim.VarSpec{Name: name, Init: init})
	return len(b.w.Vars) - 1
}

func (b *builder) queue(name string, k sim.QueueKind, maxsize int) int {
	b.w.Queues = append(b.w.Queues, sim.QueueSpec{Name: name, Kind: k, MaxSize: maxsize})
	return len(b.w.Queues) - 1
}

func (b *builder) task(name, coro string, code sim.Code) int {
	b.w.Tasks = append(b.w.Tasks, sim.TaskSpec{Name: name, Coro: coro, Code: code})
	return len(b.w.Tasks) - 1
}

func (b *builder) workload() sim.Workload { return b.w }

// Typical costs of small pieces of Python, for the ops that stand for them.
const (
	// iteration is one turn of a tight loop such as the countdown.
	iteration = 50 * time.Nanosecond
	// bytecode is roughly one bytecode.
	bytecode = 20 * time.Nanosecond
	// statement is a short statement with a call or two.
	statement = 2 * time.Microsecond
)

// thousands writes n with underscores between thousands, as Python allows.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var out []byte
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '_')
		}
		out = append(out, c)
	}
	return string(out)
}

// span formats a duration as a person would write it: "50ms", "25µs",
// "1.5s", "1m" (not time.Duration's "1m0s").
func span(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}
