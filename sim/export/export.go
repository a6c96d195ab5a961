// Package export takes one simulated run out of the terminal, in three
// forms: a Chrome Trace Event Format JSON trace for Perfetto UI and
// chrome://tracing (Perfetto), a self-contained SVG timeline picture for
// slides and handouts (SVG), and a plain-text timeline for terminals and
// e-mail (Text).
//
// Every form streams: the exporter steps the simulation itself and drains
// its trace after every step, so a run of millions of events is exported
// in memory bounded by the number of threads (and, for the pictures, by
// the picture's width), never by the length of the trace. The timelines
// need the run's length before they can place anything, so SVG and Text
// simulate the run twice: once to learn how long it is, once to draw it.
// The engine is deterministic, so both passes see the same run.
//
// A long export can be given up: Options.Stop is asked every few thousand
// events, in every pass, whether to stop. The package itself never looks
// at the clock or at signals; the caller decides (gilsim passes a
// context's Err, cancelled by Ctrl-C).
//
// The package imports only the standard library and sim: it sits under
// sim/, which never depends on the user interface.
package export

import (
	"errors"
	"fmt"
	"io"

	"github.com/gilsim/gilsim/sim"
)

// Source makes a fresh simulation of the run to export. Export may call it
// more than once: the engine is deterministic, so every call gives the same
// run (e.g. a first pass to learn the elapsed time).
type Source func() (*sim.Sim, error)

// Options are the choices that do not change the run, only how it is drawn.
type Options struct {
	// Title heads the export: the scenario and its settings. Empty means a
	// title made from the run's configuration.
	Title string
	// Width is the text timeline's width in columns, labels included; zero
	// means DefaultWidth. The other formats ignore it.
	Width int
	// Stop, when not nil, is asked every checkEvery events of every pass
	// (and before each pass) whether to give up: a non-nil error stops the
	// export, which returns it wrapped. Passing a context's Err method
	// makes an export cancellable.
	Stop func() error
}

// DefaultWidth is the text timeline's width when Options.Width is zero: it
// fits a classic terminal and a printed page.
const DefaultWidth = 80

// MinWidth and MaxWidth bound Options.Width.
const (
	MinWidth = 40
	MaxWidth = 1000
)

// ErrNoTrace is returned (wrapped) when the source's simulation was made
// with the trace off: there is nothing to export then.
var ErrNoTrace = errors.New("the simulation keeps no trace (sim.Config.Trace is off)")

// ErrNotDeterministic is returned (wrapped) when two simulations from one
// source disagree, which would make a timeline drawn in two passes wrong.
var ErrNotDeterministic = errors.New("the source gave two different runs")

// checkEvery is how many steps pass between two looks at the writer's
// error and at Options.Stop, so that a full disk or a Ctrl-C stops a long
// export early: even at 40 µs an event, the slowest the engine has been
// (ten thousand runnable threads), that is a look every 40 ms.
const checkEvery = 1024

// stopped asks opt.Stop whether to give up.
func (opt Options) stopped() error {
	if opt.Stop == nil {
		return nil
	}
	if err := opt.Stop(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// open calls src and checks that the simulation it made can be exported.
func open(src Source, opt Options) (*sim.Sim, error) {
	if err := opt.stopped(); err != nil {
		return nil, err
	}
	s, err := src()
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if !s.Config().Trace {
		return nil, fmt.Errorf("export: %w", ErrNoTrace)
	}
	return s, nil
}

// measure runs a fresh simulation of src to the end, draining its trace so
// that memory stays bounded, and returns it for its end time and metrics.
func measure(src Source, opt Options) (*sim.Sim, error) {
	s, err := open(src, opt)
	if err != nil {
		return nil, err
	}
	var buf []sim.TraceEvent
	for n := 1; s.Step(); n++ {
		buf = s.DrainTrace(buf[:0])
		if n%checkEvery == 0 {
			if err := opt.stopped(); err != nil {
				return nil, err
			}
		}
	}
	s.DrainTrace(buf[:0])
	return s, nil
}

// visitor is what a format does with the run as the replay reads it.
type visitor interface {
	// span: thread th was in state st from from to to; line is the source
	// line it was at when it entered st. Spans of one thread come in time
	// order and tile the run; zero-length spans are never reported.
	span(th int32, st sim.State, line int32, from, to sim.Time)
	// hold: thread h.thread held process p's GIL from h.since to to.
	// Holds of one GIL come in time order; zero-length holds are skipped.
	hold(p int32, h holding, to sim.Time)
	// event: any trace event, after the replay has applied it (so the
	// replay's tables describe the instant just after it).
	event(e *sim.TraceEvent)
	// failed returns the first write error, to stop early.
	failed() error
}

// threadTrack is what the replay knows of one thread.
type threadTrack struct {
	state sim.State
	line  int32
	since sim.Time
}

// holding is one thread's hold on a GIL.
type holding struct {
	thread int32 // -1: the GIL is free
	since  sim.Time
	// reason and from describe how the hold began: a handoff from thread
	// from (after a release for reason), or from = -1 when the holder took
	// a GIL it had held last, or the first time.
	reason sim.Reason
	from   int32
}

// replay follows a run's trace and turns its events into spans: what each
// thread did from when to when, and who held each GIL.
type replay struct {
	s       *sim.Sim
	v       visitor
	opt     Options // for Stop
	threads []threadTrack
	gil     []holding
	// waiters counts each process's threads waiting for its GIL. The
	// engine keeps a thread in StateWaitGIL exactly while it is on the
	// GIL's list, so the state events are enough to count them.
	waiters []int
}

func newReplay(s *sim.Sim, v visitor, opt Options) *replay {
	w := s.Workload()
	r := &replay{s: s, v: v, opt: opt, threads: make([]threadTrack, len(w.Threads)),
		gil: make([]holding, len(w.Procs)), waiters: make([]int, len(w.Procs))}
	for i := range r.gil {
		r.gil[i].thread = -1
	}
	return r
}

// run steps the simulation to its end, feeding every event to the visitor.
func (r *replay) run() error {
	var buf []sim.TraceEvent
	for n := 1; ; n++ {
		more := r.s.Step()
		buf = r.s.DrainTrace(buf[:0])
		for i := range buf {
			r.apply(&buf[i])
		}
		if !more {
			break
		}
		if n%checkEvery == 0 {
			if err := r.v.failed(); err != nil {
				return err
			}
			if err := r.opt.stopped(); err != nil {
				return err
			}
		}
	}
	r.finish(r.s.Now())
	return r.v.failed()
}

func (r *replay) apply(e *sim.TraceEvent) {
	switch e.Kind {
	case sim.TraceState:
		t := &r.threads[e.Thread]
		if e.At > t.since {
			r.v.span(e.Thread, t.state, t.line, t.since, e.At)
		}
		if t.state == sim.StateWaitGIL {
			r.waiters[e.Proc]--
		}
		if e.State == sim.StateWaitGIL {
			r.waiters[e.Proc]++
		}
		*t = threadTrack{state: e.State, line: e.Line, since: e.At}
		// A killed thread loses the GIL without a release event.
		if e.State == sim.StateDone && r.gil[e.Proc].thread == e.Thread {
			r.release(e.Proc, e.At)
		}
	case sim.TraceAcquire:
		r.release(e.Proc, e.At)
		r.gil[e.Proc] = holding{thread: e.Thread, since: e.At, reason: e.Reason, from: e.Peer}
	case sim.TraceRelease:
		r.release(e.Proc, e.At)
	}
	r.v.event(e)
}

// release ends the hold on process p's GIL, if any, at time at.
func (r *replay) release(p int32, at sim.Time) {
	h := r.gil[p]
	if h.thread < 0 {
		return
	}
	if at > h.since {
		r.v.hold(p, h, at)
	}
	r.gil[p].thread = -1
}

// finish closes every open span and hold at the end of the run.
func (r *replay) finish(end sim.Time) {
	for i := range r.threads {
		t := &r.threads[i]
		if end > t.since {
			r.v.span(int32(i), t.state, t.line, t.since, end)
		}
		t.since = end
	}
	for p := range r.gil {
		r.release(int32(p), end)
	}
}

// errWriter remembers the first error of the writer it wraps and drops
// every write after it, so that formats can write freely and look at the
// error once in a while.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = fmt.Errorf("export: %w", err)
	}
	return n, e.err
}

// defaultTitle names a run when the caller gave no title.
func defaultTitle(s *sim.Sim) string {
	c := s.Config()
	w := s.Workload()
	name := w.File
	if name == "" {
		name = "run"
	}
	return fmt.Sprintf("%s · %s · %d cores · seed %d", name, c.GILLabel(), c.Cores, c.Seed)
}
