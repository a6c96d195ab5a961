package scenarios

import (
	"fmt"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// Lesson is a moment of a run that teaches; the player pauses there and
// shows its callout. A scenario names its lessons; a Watch finds them in a
// run.
type Lesson struct {
	// Key names the lesson in code and tests ("drop-request").
	Key string
	// Title names it for people in a few words ("The first drop request").
	Title string

	// kinds are the trace kinds the lesson can be seen at (bit k for kind
	// k): a Watch asks match only about events of these kinds.
	kinds uint64
	// applies reports whether a run of v under model m can teach the
	// lesson at all (nil: every run); a Watch stops looking for the
	// lessons that cannot.
	applies func(v Values, m sim.Model) bool
	// match reports whether e, just recorded by s, is the lesson's moment.
	// It is called for every event of the lesson's kinds until the lesson
	// is found, so it must be cheap and must not allocate.
	match func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool
	// callout says what happened at e and what to look at, for a class.
	// It is called once, when the lesson is found.
	callout func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string
}

// kinds returns the set of trace kinds ks.
func kinds(ks ...sim.TraceKind) uint64 {
	var m uint64
	for _, k := range ks {
		m |= 1 << k
	}
	return m
}

// Point is a lesson found in a run.
type Point struct {
	Lesson *Lesson
	// Event is the number of the event at which the lesson was seen
	// (Sim.Events after the Step that recorded it): stepping a fresh run
	// that many times lands on the moment.
	Event uint64
	// At is the virtual time of the moment.
	At sim.Time
	// Callout is one or two sentences for a class: what just happened,
	// with the run's own numbers, and what to look at on screen.
	Callout string
}

// maxLessons is how many lessons a scenario may have: a Watch keeps one
// bit per lesson.
const maxLessons = 64

// Watch follows a run's trace events and finds each of the scenario's
// lessons once, at its first occurrence. It is a small value: copying it
// copies its state, so a player that keeps a copy with every checkpoint
// finds the same points when it steps back and replays.
//
// Feed it every event of a run, in order, right after the Step that
// recorded it (drain the trace after every step): some lessons look at
// the run's state as the event left it.
type Watch struct {
	v Values
	// workers is the number of workers the scenario starts (its threads
	// parameter), for the lessons about all of them at once.
	workers int
	// The rest is set by the first Observe, from the run's configuration.
	ready         bool
	model         sim.Model
	cores         int
	interval      time.Duration
	checkInterval int
	// want holds the trace kinds some lesson still looked for watches.
	want uint64
	// found and off hold a bit per lesson: found, or impossible in this run.
	found, off uint64
}

// Lessons returns the moments the scenario teaches, in the order they
// usually happen. The slice must not be modified.
func (s *Scenario) Lessons() []*Lesson { return s.lessons }

// Watch returns a Watch that finds the lessons of v's scenario in a run
// of v.
func (v Values) Watch() Watch {
	w := Watch{v: v}
	if _, ok := v.sc.Param("threads"); ok {
		w.workers = v.Int("threads")
	}
	return w
}

// start readies w for the run of s: it drops the lessons the run cannot
// teach and gathers the trace kinds the others need.
func (w *Watch) start(s *sim.Sim) {
	cfg := s.Config()
	w.ready, w.model, w.cores = true, cfg.Model, cfg.Cores
	w.interval, w.checkInterval = cfg.SwitchInterval, cfg.CheckInterval
	for i, l := range w.v.sc.lessons {
		if l.applies != nil && !l.applies(w.v, w.model) {
			w.off |= 1 << i
		}
	}
	w.rewant()
}

func (w *Watch) rewant() {
	w.want = 0
	for i, l := range w.v.sc.lessons {
		if (w.found|w.off)&(1<<i) == 0 {
			w.want |= l.kinds
		}
	}
}

// Observe looks at trace event e, just recorded by run s (s.Events() is
// the number of the event that recorded it). It returns the lesson point
// e is, if it is the first occurrence of one of the scenario's lessons; at
// most one lesson is found per event.
func (w *Watch) Observe(s *sim.Sim, e *sim.TraceEvent) (Point, bool) {
	if !w.ready {
		w.start(s)
	}
	if e.Kind >= 64 || w.want&(1<<e.Kind) == 0 {
		return Point{}, false
	}
	for i, l := range w.v.sc.lessons {
		if (w.found|w.off)&(1<<i) != 0 || l.kinds&(1<<e.Kind) == 0 || !l.match(w, s, e) {
			continue
		}
		w.found |= 1 << i
		w.rewant()
		return Point{Lesson: l, Event: s.Events(), At: e.At, Callout: l.callout(w, s, e)}, true
	}
	return Point{}, false
}

// Done reports whether every lesson the run can teach has been found, so
// that the rest of the run need not be watched. Before the first Observe
// it is false.
func (w *Watch) Done() bool { return w.ready && w.want == 0 }

// Points runs v under cfg to the end, with the trace on but drained after
// every step (so memory stays bounded however long the run), and returns
// every lesson point, in the order of the run. It stops early once every
// lesson the run can teach is found.
func (v Values) Points(cfg sim.Config) ([]Point, error) {
	cfg.Trace = true
	s, err := v.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("points of %s: %w", v.sc.ID, err)
	}
	w := v.Watch()
	var (
		buf []sim.TraceEvent
		pts []Point
	)
	for !w.Done() {
		more := s.Step()
		buf = s.DrainTrace(buf[:0])
		for i := range buf {
			if p, ok := w.Observe(s, &buf[i]); ok {
				pts = append(pts, p)
			}
		}
		if !more {
			break
		}
	}
	return pts, nil
}
