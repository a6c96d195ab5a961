package scenarios

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gilsim/gilsim/sim"
)

// lessonCase is a run and the lessons it must teach, in the order of the
// run.
type lessonCase struct {
	name  string // an id or a section
	sets  []string
	model sim.Model
	want  []string
}

func (c lessonCase) String() string { return fmt.Sprintf("%s%v/%s", c.name, c.sets, c.model) }

// lessonCases are every scenario at its defaults and by each of its
// sections, and under the other models or settings where a lesson depends
// on them.
var lessonCases = []lessonCase{
	{"cpu-bound", nil, sim.ModelPy3, []string{"drop-request", "forced-switch"}},
	{"cpu-bound", nil, sim.ModelPy2, []string{"failed-wakeup"}},
	{"cpu-bound", nil, sim.ModelFreeThreaded, []string{"all-at-once"}},
	{"cpu-bound", []string{"use=processes"}, sim.ModelPy3, []string{"all-at-once"}},
	{"cpu-bound", []string{"use=processes"}, sim.ModelPy2, []string{"all-at-once"}},
	// A single thread never drops the GIL: nobody asks it to.
	{"cpu-bound", []string{"threads=1"}, sim.ModelPy3, nil},
	{"io-bound", nil, sim.ModelPy3, []string{"io-overlap"}},
	{"io-bound", nil, sim.ModelPy2, []string{"io-overlap"}},
	{"io-bound", nil, sim.ModelFreeThreaded, []string{"io-overlap"}},
	{"io-bound", []string{"threads=1"}, sim.ModelPy3, nil},
	{"convoy", nil, sim.ModelPy3, []string{"server-drop", "slow-request"}},
	{"convoy", nil, sim.ModelPy2, []string{"quick-request"}},
	{"convoy", nil, sim.ModelFreeThreaded, []string{"quick-request"}},
	{"convoy", []string{"use=processes"}, sim.ModelPy3, []string{"quick-request"}},
	{"convoy", []string{"cpu_threads=0"}, sim.ModelPy3, []string{"quick-request"}},
	{"echo-client", nil, sim.ModelPy3, []string{"drop-request", "forced-switch"}},
	{"echo-client", nil, sim.ModelPy2, []string{"failed-wakeup"}},
	{"echo-client", nil, sim.ModelFreeThreaded, nil},
	{"lock-contention", nil, sim.ModelPy3, []string{"lock-wait"}},
	{"lock-contention", nil, sim.ModelFreeThreaded, []string{"lock-wait"}},
	{"counter-race", nil, sim.ModelPy3, []string{"back-edge-switch"}},
	{"counter-race", nil, sim.ModelPy2, []string{"lost-update"}},
	{"counter-race", nil, sim.ModelFreeThreaded, []string{"lost-update"}},
	{"counter-race", []string{"lock=true", "increments=20000"}, sim.ModelFreeThreaded, nil},
	// 3.9 has the new GIL, but switches between the load and the store.
	{"counter-race", []string{"python=3.9"}, sim.ModelPy3, []string{"lost-update"}},
	// The GIL changes hands at the back-edges, but the lock is the reason
	// nothing is lost.
	{"counter-race", []string{"lock=true", "increments=20000"}, sim.ModelPy3, nil},
	{"thread-start", nil, sim.ModelPy3, []string{"join-wait", "start"}},
	{"thread-start", nil, sim.ModelFreeThreaded, []string{"join-wait", "start"}},
	{"thread-start", nil, sim.ModelPy2, []string{"join-wait", "start"}},
	{"3.1.1", nil, sim.ModelPy3, []string{"shutdown-wait", "start"}},
	{"3.1.1", nil, sim.ModelFreeThreaded, []string{"shutdown-wait", "start"}},
	{"4.1", nil, sim.ModelPy3, []string{"join-wait", "start"}},
	{"thread-lock", nil, sim.ModelPy3, []string{"lock-wait"}},
	{"3.1.2", nil, sim.ModelPy3, []string{"lock-wait"}},
	{"process-start", nil, sim.ModelPy3, []string{"process-boot", "join-wait", "process-ready"}},
	{"3.2.1", nil, sim.ModelPy3, []string{"process-boot", "shutdown-wait", "process-ready"}},
	{"4.2", nil, sim.ModelPy3, []string{"process-boot", "join-wait", "process-ready"}},
	{"4.2", []string{"start_method=spawn"}, sim.ModelFreeThreaded, []string{"process-boot", "join-wait", "process-ready"}},
	// The fork program runs under 2.7 too, which has no set_start_method.
	{"4.2", nil, sim.ModelPy2, []string{"process-boot", "join-wait", "process-ready"}},
	{"process-queue", nil, sim.ModelPy3, []string{"main-error", "child-error"}},
	{"3.2.2", nil, sim.ModelFreeThreaded, []string{"main-error", "child-error"}},
	{"process-queue-fixed", nil, sim.ModelPy3, []string{"queue-peak", "terminate"}},
	{"asyncio-basic", nil, sim.ModelPy3, []string{"task-step"}},
	{"3.3.2", nil, sim.ModelPy3, []string{"task-step"}},
	{"4.3", nil, sim.ModelPy3, []string{"task-step"}},
	{"asyncio-blocking", nil, sim.ModelPy3, []string{"loop-blocked", "slow-callback", "late-heartbeat"}},
	{"3.3.3", nil, sim.ModelFreeThreaded, []string{"loop-blocked", "slow-callback", "late-heartbeat"}},
	// asyncio needs Python 3: under the old GIL auto runs 3.12's costs.
	{"asyncio-blocking", nil, sim.ModelPy2, []string{"loop-blocked", "slow-callback", "late-heartbeat"}},
	{"asyncio-nonblocking", nil, sim.ModelPy3, []string{"waits-overlap"}},
	{"asyncio-nonblocking", []string{"clients=1"}, sim.ModelPy3, nil},
}

func choose(t testing.TB, name string, sets ...string) Values {
	t.Helper()
	v, err := Choose(name, sets)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func keys(pts []Point) []string {
	var out []string
	for _, p := range pts {
		out = append(out, p.Lesson.Key)
	}
	return out
}

// TestEveryLessonIsFound runs every case and checks that it finds exactly
// the lessons it must, each once, in the order of the run, with callouts
// fit for a class.
func TestEveryLessonIsFound(t *testing.T) {
	for _, c := range lessonCases {
		t.Run(c.String(), func(t *testing.T) {
			v := choose(t, c.name, c.sets...)
			pts, err := v.Points(config(c.model))
			if err != nil {
				t.Fatal(err)
			}
			if got := keys(pts); !slices.Equal(got, c.want) {
				t.Fatalf("lessons %q, want %q", got, c.want)
			}
			for i, p := range pts {
				if i > 0 && (p.At < pts[i-1].At || p.Event < pts[i-1].Event) {
					t.Errorf("%s at %s (event %d) comes before %s at %s (event %d)", p.Lesson.Key, p.At, p.Event,
						pts[i-1].Lesson.Key, pts[i-1].At, pts[i-1].Event)
				}
				checkCallout(t, p)
			}
		})
	}
}

func checkCallout(t *testing.T, p Point) {
	t.Helper()
	c := p.Callout
	switch {
	case c == "" || !strings.HasSuffix(c, "."):
		t.Errorf("%s: callout %q is not a sentence", p.Lesson.Key, c)
	case strings.Contains(c, "%!") || strings.Contains(c, "\n") || strings.Contains(c, "?"):
		t.Errorf("%s: callout %q is badly formatted", p.Lesson.Key, c)
	case strings.Count(c, ". ") > 1:
		t.Errorf("%s: callout %q has more than two sentences", p.Lesson.Key, c)
	}
}

// TestLessonCasesCoverEverything: every scenario and section has a case,
// and every lesson is found by one.
func TestLessonCasesCoverEverything(t *testing.T) {
	named := map[string]bool{}
	for _, c := range lessonCases {
		named[c.name] = true
	}
	found := map[*Lesson]bool{}
	for _, c := range lessonCases {
		pts, err := choose(t, c.name, c.sets...).Points(config(c.model))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pts {
			found[p.Lesson] = true
		}
	}
	for _, sc := range All() {
		if len(sc.Lessons()) == 0 || len(sc.Lessons()) > maxLessons {
			t.Errorf("%s has %d lessons", sc.ID, len(sc.Lessons()))
		}
		for _, name := range append([]string{sc.ID}, sc.Sections...) {
			if !named[name] {
				t.Errorf("no lesson case runs %s", name)
			}
		}
		seen := map[string]bool{}
		for _, l := range sc.Lessons() {
			if l.Key == "" || l.Title == "" || l.kinds == 0 || l.match == nil || l.callout == nil {
				t.Errorf("%s: lesson %+v is incomplete", sc.ID, l)
			}
			if seen[l.Key] {
				t.Errorf("%s: two lessons are called %s", sc.ID, l.Key)
			}
			seen[l.Key] = true
			if !found[l] {
				t.Errorf("%s: no case finds lesson %s", sc.ID, l.Key)
			}
		}
	}
}

// watchRun steps s to the end, draining the trace after every step into
// w, and returns the points found.
func watchRun(s *sim.Sim, w *Watch) []Point {
	var buf []sim.TraceEvent
	var pts []Point
	for {
		more := s.Step()
		buf = s.DrainTrace(buf[:0])
		for i := range buf {
			if p, ok := w.Observe(s, &buf[i]); ok {
				pts = append(pts, p)
			}
		}
		if !more {
			return pts
		}
	}
}

// TestWatchAgreesWithPoints feeds a Watch by stepping a run and draining
// its trace, as the player does, and checks that it finds exactly what
// Points finds; and that a copy of the Watch taken with a clone of the run
// mid-way finds the same points as the original from there on.
func TestWatchAgreesWithPoints(t *testing.T) {
	for _, c := range lessonCases {
		t.Run(c.String(), func(t *testing.T) {
			v := choose(t, c.name, c.sets...)
			cfg := config(c.model)
			want, err := v.Points(cfg)
			if err != nil {
				t.Fatal(err)
			}
			s, err := v.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			w := v.Watch()
			if got := watchRun(s, &w); !reflect.DeepEqual(got, want) {
				t.Fatalf("stepping found %v, Points %v", keys(got), keys(want))
			}
			if len(want) == 0 {
				return
			}
			// Checkpoint just before the last point, as a player's step back.
			last := want[len(want)-1]
			s, _ = v.New(cfg)
			w = v.Watch()
			var before []Point
			var buf []sim.TraceEvent
			for s.Events() < last.Event-1 && s.Step() {
				buf = s.DrainTrace(buf[:0])
				for i := range buf {
					if p, ok := w.Observe(s, &buf[i]); ok {
						before = append(before, p)
					}
				}
			}
			clone, copied := s.Clone(), w
			after := watchRun(s, &w)
			replay := watchRun(clone, &copied)
			if !reflect.DeepEqual(after, replay) {
				t.Fatalf("from event %d the run found %v, its clone with the copied Watch %v", last.Event-1, keys(after), keys(replay))
			}
			if got := append(before, after...); !reflect.DeepEqual(got, want) {
				t.Fatalf("split at event %d: found %v, want %v", last.Event-1, keys(got), keys(want))
			}
		})
	}
}

// TestObserveAllocatesOnlyForPoints feeds a whole run's events to a Watch
// and checks that only the points found allocate (their callouts), not the
// hundreds of thousands of events that are not lessons.
func TestObserveAllocatesOnlyForPoints(t *testing.T) {
	for _, c := range []struct {
		id    string
		sets  []string
		model sim.Model
	}{
		{"counter-race", []string{"increments=20000"}, sim.ModelPy3},
		{"counter-race", []string{"increments=20000"}, sim.ModelFreeThreaded},
		{"cpu-bound", []string{"threads=8", "use=processes"}, sim.ModelPy3},
		{"io-bound", []string{"threads=100", "ops=100"}, sim.ModelPy3},
		{"lock-contention", []string{"threads=8", "iterations=200"}, sim.ModelPy3},
		{"asyncio-nonblocking", []string{"clients=200"}, sim.ModelPy3},
	} {
		v := choose(t, c.id, c.sets...)
		s, evs := recorded(t, v, config(c.model))
		points := 0
		allocs := testing.AllocsPerRun(3, func() {
			w := v.Watch()
			points = 0
			for i := range evs {
				if _, ok := w.Observe(s, &evs[i]); ok {
					points++
				}
			}
		})
		t.Logf("%s %v under %s: %d events, %d points, %.0f allocations", c.id, c.sets, c.model, len(evs), points, allocs)
		if limit := float64(50 * (points + 1)); allocs > limit {
			t.Errorf("%s %v under %s: %.0f allocations for %d events and %d points", c.id, c.sets, c.model, allocs, len(evs), points)
		}
	}
}

// recorded runs v under cfg to the end and returns the run and its trace.
func recorded(t testing.TB, v Values, cfg sim.Config) (*sim.Sim, []sim.TraceEvent) {
	t.Helper()
	cfg.Trace = true
	s, err := v.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.Run()
	return s, s.DrainTrace(nil)
}
