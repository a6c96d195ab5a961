package export

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"

	"github.com/gilsim/gilsim/sim"
)

// Perfetto writes the run as Chrome Trace Event Format JSON (the object
// form, {"traceEvents": [...]}), which Perfetto UI (ui.perfetto.dev) and
// chrome://tracing open. Times are microseconds from the run's start, with
// nanoseconds as three decimals.
//
// Tracks: every simulated process is a process (pid), every thread a
// thread (tid) named by thread_name metadata; the main thread's tid equals
// its pid, which Perfetto shows first, and sort-index metadata puts it
// first in chrome://tracing too. Each interpreter has one more track,
// "GIL", whose slices are named after the thread holding it.
//
// What the run's trace becomes (the tests count it):
//   - every stretch of positive length that a thread spends in one state,
//     except "new" (not started) and "done", is one complete event ("X")
//     named after the state, with the Python source line it began at;
//   - every hold of a GIL of positive length (from an acquire to the
//     release, the holder's death or the run's end) is one "X" on the GIL
//     track;
//   - every drop request, forced switch, failed wake-up, exception, lost
//     update and slow callback is one thread-scoped instant event ("i");
//   - counters ("C"): the number of threads waiting for each GIL, each
//     queue's depth (under the main process, since a queue belongs to the
//     program rather than to one thread) and each event loop's ready queue;
//     one event for every instant at which the value differs from the last
//     one written; a counter's first value (zero at the start for the GIL
//     and the queues, the depth when its loop starts for a ready queue) is
//     always written.
func Perfetto(w io.Writer, src Source, opt Options) error {
	s, err := open(src, opt)
	if err != nil {
		return err
	}
	ew := &errWriter{w: w}
	bw := bufio.NewWriterSize(ew, 64<<10)
	p := newPerfetto(s, bw)
	p.ew = ew
	p.title = opt.Title
	if p.title == "" {
		p.title = defaultTitle(s)
	}
	p.header()
	p.r = newReplay(s, p, opt)
	if err := p.r.run(); err != nil {
		return err
	}
	p.footer()
	bw.Flush() // its error, if any, is the one ew keeps
	return ew.err
}

// perfetto is the visitor that writes trace events as the replay goes.
type perfetto struct {
	s     *sim.Sim
	r     *replay
	w     *bufio.Writer
	ew    *errWriter
	title string
	buf   []byte
	n     int // events written

	pids     []int    // per process
	tids     []int    // per thread
	gilTids  []int    // per process: the GIL track
	names    [][]byte // per thread, JSON-quoted
	states   [sim.NumStates][]byte
	reasons  [sim.NumReasons][]byte
	sources  map[int32][]byte // per source line: `"line":N,"source":"..."`
	counters []counter
	gilCtr   []int       // per process: index in counters, or -1
	queueCtr []int       // per queue
	readyCtr map[int]int // per loop thread
}

// counter is one counter track. A value is written only once the clock
// has moved past the instant of its last change, so that several changes
// at one instant make one event, and never when it equals the last value
// written.
type counter struct {
	pid, tid int
	name     []byte // the JSON-quoted event name
	key      []byte // the JSON-quoted argument name
	written  int64
	pending  int64
	at       sim.Time
	dirty    bool
}

func newPerfetto(s *sim.Sim, w *bufio.Writer) *perfetto {
	wl := s.Workload()
	p := &perfetto{s: s, w: w, sources: map[int32][]byte{}, readyCtr: map[int]int{}}
	np, nt := len(wl.Procs), len(wl.Threads)
	p.pids, p.gilTids, p.gilCtr = make([]int, np), make([]int, np), make([]int, np)
	p.tids, p.names = make([]int, nt), make([][]byte, nt)
	for i := range wl.Procs {
		p.pids[i] = i + 1
		p.gilTids[i] = np + nt + 1 + i
		p.gilCtr[i] = -1
	}
	hasMain := make([]bool, np)
	for i, t := range wl.Threads {
		p.names[i] = quoteJSON(t.Name)
		if !hasMain[t.Proc] {
			// A process's first thread is its main thread, and Perfetto
			// lists the thread whose tid is its pid first.
			hasMain[t.Proc] = true
			p.tids[i] = p.pids[t.Proc]
		} else {
			p.tids[i] = np + 1 + i
		}
	}
	for st := range p.states {
		p.states[st] = quoteJSON(sim.State(st).String())
	}
	for r := range p.reasons {
		p.reasons[r] = quoteJSON(sim.Reason(r).Phrase())
	}
	return p
}

func (p *perfetto) header() {
	p.w.WriteString("{\"traceEvents\":[\n")
	wl := p.s.Workload()
	hasGIL := p.s.Config().Model.HasGIL()
	for i, pr := range wl.Procs {
		pid := p.pids[i]
		p.meta(pid, -1, "process_name", `"name":`, quoteJSON(pr.Name))
		p.meta(pid, -1, "process_sort_index", `"sort_index":`, strconv.AppendInt(nil, int64(i), 10))
		if hasGIL {
			p.meta(pid, p.gilTids[i], "thread_name", `"name":`, quoteJSON("GIL"))
			p.meta(pid, p.gilTids[i], "thread_sort_index", `"sort_index":`, []byte("1"))
			p.gilCtr[i] = p.newCounter(pid, p.gilTids[i], "GIL", "waiters")
		}
	}
	order := make([]int, len(wl.Procs))
	for i, t := range wl.Threads {
		pid := p.pids[t.Proc]
		p.meta(pid, p.tids[i], "thread_name", `"name":`, p.names[i])
		// The main thread first, then the GIL, then the others in the order
		// they were created.
		idx := 0
		if order[t.Proc] > 0 {
			idx = order[t.Proc] + 1
		}
		order[t.Proc]++
		p.meta(pid, p.tids[i], "thread_sort_index", `"sort_index":`, strconv.AppendInt(nil, int64(idx), 10))
	}
	for _, q := range wl.Queues {
		p.queueCtr = append(p.queueCtr, p.newCounter(p.pids[0], p.tids[0], "queue "+q.Name, "depth"))
	}
	for c := range p.counters {
		p.set(c, 0, 0)
	}
}

func (p *perfetto) newCounter(pid, tid int, name, key string) int {
	// No value was written yet: the first one always is.
	p.counters = append(p.counters, counter{pid: pid, tid: tid, name: quoteJSON(name), key: quoteJSON(key), written: -1})
	return len(p.counters) - 1
}

// meta writes one metadata event; tid < 0 leaves it out.
func (p *perfetto) meta(pid, tid int, name, key string, val []byte) {
	b := p.begin()
	b = append(b, `{"ph":"M","name":"`...)
	b = append(b, name...)
	b = append(b, `","pid":`...)
	b = strconv.AppendInt(b, int64(pid), 10)
	if tid >= 0 {
		b = append(b, `,"tid":`...)
		b = strconv.AppendInt(b, int64(tid), 10)
	}
	b = append(b, `,"args":{`...)
	b = append(b, key...)
	b = append(b, val...)
	b = append(b, "}}"...)
	p.end(b)
}

// begin starts an event in the scratch buffer, with the comma before it.
func (p *perfetto) begin() []byte {
	b := p.buf[:0]
	if p.n > 0 {
		b = append(b, ",\n"...)
	}
	return b
}

func (p *perfetto) end(b []byte) {
	p.w.Write(b)
	p.buf = b
	p.n++
}

// head appends the fields every timed event shares.
func head(b []byte, ph, cat string, name []byte, pid, tid int, at sim.Time) []byte {
	b = append(b, `{"ph":"`...)
	b = append(b, ph...)
	b = append(b, `","cat":"`...)
	b = append(b, cat...)
	b = append(b, `","name":`...)
	b = append(b, name...)
	b = append(b, `,"pid":`...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, `,"tid":`...)
	b = strconv.AppendInt(b, int64(tid), 10)
	b = append(b, `,"ts":`...)
	return appendMicros(b, at)
}

func (p *perfetto) span(th int32, st sim.State, line int32, from, to sim.Time) {
	if st == sim.StateNew || st == sim.StateDone {
		return
	}
	t := p.s.Workload().Threads[th]
	b := head(p.begin(), "X", "state", p.states[st], p.pids[t.Proc], p.tids[th], from)
	b = append(b, `,"dur":`...)
	b = appendMicros(b, to-from)
	if line > 0 {
		b = append(b, `,"args":{`...)
		b = append(b, p.source(line)...)
		b = append(b, '}')
	}
	b = append(b, '}')
	p.end(b)
}

// source is the args of a slice at line: its number and its text.
func (p *perfetto) source(line int32) []byte {
	if a, ok := p.sources[line]; ok {
		return a
	}
	a := append([]byte(`"line":`), strconv.Itoa(int(line))...)
	if text := p.s.SourceLine(int(line)); text != "" {
		a = append(a, `,"source":`...)
		a = append(a, quoteJSON(text)...)
	}
	p.sources[line] = a
	return a
}

func (p *perfetto) hold(pr int32, h holding, to sim.Time) {
	b := head(p.begin(), "X", "gil", p.names[h.thread], p.pids[pr], p.gilTids[pr], h.since)
	b = append(b, `,"dur":`...)
	b = appendMicros(b, to-h.since)
	b = append(b, `,"args":{"holder":`...)
	b = append(b, p.names[h.thread]...)
	if h.from >= 0 {
		b = append(b, `,"from":`...)
		b = append(b, p.names[h.from]...)
		b = append(b, `,"handoff":`...)
		b = append(b, p.reasons[h.reason]...)
	}
	b = append(b, "}}"...)
	p.end(b)
}

func (p *perfetto) event(e *sim.TraceEvent) {
	wl := p.s.Workload()
	switch e.Kind {
	case sim.TraceState:
		if c := p.gilCtr[e.Proc]; c >= 0 {
			p.set(c, e.At, int64(p.r.waiters[e.Proc]))
		}
	case sim.TracePut, sim.TraceGet:
		p.set(p.queueCtr[e.Obj], e.At, e.Value)
	case sim.TraceReady:
		c, ok := p.readyCtr[int(e.Thread)]
		if !ok {
			name := "ready queue (" + wl.Threads[e.Thread].Name + ")"
			c = p.newCounter(p.pids[e.Proc], p.tids[e.Thread], name, "callbacks")
			p.readyCtr[int(e.Thread)] = c
		}
		p.set(c, e.At, e.Value)
	case sim.TraceDropRequest:
		b := p.instant(e, nameDropRequest)
		b = append(b, `"holder":`...)
		p.endInstant(append(b, p.name(e.Peer)...), e)
	case sim.TraceForcedSwitch:
		b := p.instant(e, nameForcedSwitch)
		b = append(b, `"waiters":`...)
		p.endInstant(strconv.AppendInt(b, e.Value, 10), e)
	case sim.TraceFailedWake:
		b := p.instant(e, nameFailedWake)
		b = append(b, `"holder":`...)
		p.endInstant(append(b, p.name(e.Peer)...), e)
	case sim.TraceException:
		b := p.instant(e, nameException)
		b = append(b, `"exception":`...)
		p.endInstant(append(b, quoteJSON(e.Text)...), e)
	case sim.TraceLostUpdate:
		b := p.instant(e, nameLostUpdate)
		b = append(b, `"variable":`...)
		b = append(b, quoteJSON(wl.Vars[e.Obj].Name)...)
		b = append(b, `,"lost":`...)
		b = strconv.AppendInt(b, e.Value, 10)
		b = append(b, `,"last_by":`...)
		p.endInstant(append(b, p.name(e.Peer)...), e)
	case sim.TraceSlowCallback:
		b := p.instant(e, nameSlowCallback)
		b = append(b, `"task":`...)
		b = append(b, quoteJSON(wl.Tasks[e.Obj].Name)...)
		b = append(b, `,"took":`...)
		p.endInstant(append(b, quoteJSON(sim.Time(e.Value).String())...), e)
	}
}

func (p *perfetto) name(th int32) []byte {
	if th < 0 || int(th) >= len(p.names) {
		return []byte("null")
	}
	return p.names[th]
}

// The names of the instant events, JSON-quoted.
var (
	nameDropRequest  = quoteJSON("drop request")
	nameForcedSwitch = quoteJSON("forced switch")
	nameFailedWake   = quoteJSON("failed wake-up")
	nameException    = quoteJSON("exception")
	nameLostUpdate   = quoteJSON("lost update")
	nameSlowCallback = quoteJSON("slow callback")
)

// instant begins a thread-scoped instant event for e, up to the opening
// of its args; the caller appends them and passes the event to endInstant.
func (p *perfetto) instant(e *sim.TraceEvent, name []byte) []byte {
	b := head(p.begin(), "i", "gil", name, p.pids[e.Proc], p.tids[e.Thread], e.At)
	return append(b, `,"s":"t","args":{`...)
}

// endInstant adds the source line to an instant's args and writes it.
func (p *perfetto) endInstant(b []byte, e *sim.TraceEvent) {
	if e.Line > 0 {
		b = append(b, ',')
		b = append(b, p.source(e.Line)...)
	}
	p.end(append(b, "}}"...))
}

// set records counter c's value v at time at.
func (p *perfetto) set(c int, at sim.Time, v int64) {
	ct := &p.counters[c]
	if ct.dirty && at > ct.at {
		p.flush(ct)
	}
	ct.pending, ct.at, ct.dirty = v, at, true
}

func (p *perfetto) flush(ct *counter) {
	if ct.dirty && ct.pending != ct.written {
		p.writeCounter(ct.pid, ct.tid, ct.name, ct.key, ct.at, ct.pending)
		ct.written = ct.pending
	}
	ct.dirty = false
}

func (p *perfetto) writeCounter(pid, tid int, name, key []byte, at sim.Time, v int64) {
	b := head(p.begin(), "C", "counter", name, pid, tid, at)
	b = append(b, `,"args":{`...)
	b = append(b, key...)
	b = append(b, ':')
	b = strconv.AppendInt(b, v, 10)
	b = append(b, "}}"...)
	p.end(b)
}

func (p *perfetto) failed() error { return p.ew.err }

// footer flushes the counters and closes the event array, then adds what
// the run was: Perfetto shows otherData as the trace's metadata.
func (p *perfetto) footer() {
	for i := range p.counters {
		p.flush(&p.counters[i])
	}
	c := p.s.Config()
	m := p.s.Metrics()
	b := append(p.buf[:0], "\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{"...)
	b = append(b, `"title":`...)
	b = append(b, quoteJSON(p.title)...)
	b = append(b, `,"model":`...)
	b = append(b, quoteJSON(c.GILLabel())...)
	b = append(b, `,"cores":`...)
	b = strconv.AppendInt(b, int64(c.Cores), 10)
	b = append(b, `,"seed":`...)
	b = strconv.AppendUint(b, c.Seed, 10)
	b = append(b, `,"elapsed":`...)
	b = append(b, quoteJSON(m.Elapsed.String())...)
	b = append(b, `,"events":`...)
	b = strconv.AppendUint(b, m.Events, 10)
	b = append(b, `,"outcome":`...)
	b = append(b, quoteJSON(m.Outcome.String())...)
	if l := limitHit(c, m); l != "" {
		b = append(b, `,"stopped_by":`...)
		b = append(b, quoteJSON(l)...)
	}
	b = append(b, `,"gil_handoffs":`...)
	b = strconv.AppendUint(b, m.GIL.Handoffs, 10)
	b = append(b, "}}\n"...)
	p.w.Write(b)
}

// appendMicros appends t in microseconds, with up to three decimals.
func appendMicros(b []byte, t sim.Time) []byte {
	if t < 0 {
		b = append(b, '-')
		t = -t
	}
	b = strconv.AppendInt(b, int64(t/1000), 10)
	ns := int(t % 1000)
	if ns == 0 {
		return b
	}
	b = append(b, '.', byte('0'+ns/100), byte('0'+ns/10%10), byte('0'+ns%10))
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	return b
}

// quoteJSON returns s as a JSON string.
func quoteJSON(s string) []byte {
	b, err := json.Marshal(s)
	if err != nil {
		// Marshal cannot fail on a string: it replaces invalid UTF-8.
		panic("export: " + err.Error())
	}
	return b
}
