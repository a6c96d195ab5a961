package scenarios

import (
	"slices"
	"testing"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// The bounds a scenario's pace must keep at the default configuration:
// the whole run plays in 15 to 60 seconds, and the timeline scrolls 5 to
// 20 columns a second.
const (
	minWall, maxWall       = 15 * time.Second, 60 * time.Second
	minColumns, maxColumns = 5, 20
)

// TestPaceFitsEveryRun computes, from real runs at the default
// configuration, how long each scenario (at its defaults and by each of
// its sections) plays at its pace, and how fast its timeline scrolls.
func TestPaceFitsEveryRun(t *testing.T) {
	speeds, zooms := Speeds, Zooms
	for _, sc := range All() {
		p := sc.Pace
		if !slices.Contains(speeds, p.Speed) {
			t.Errorf("%s: speed %s/s is not on the 1-2-5 ladder from 1µs to 5s", sc.ID, p.Speed)
		}
		if !slices.Contains(zooms, p.Zoom) {
			t.Errorf("%s: zoom %s per column is not on the 1-2-5 ladder from 100ns to 1s", sc.ID, p.Zoom)
		}
		cols := float64(p.Speed) / float64(p.Zoom)
		if cols < minColumns || cols > maxColumns {
			t.Errorf("%s: the timeline scrolls %.0f columns a second, want %d to %d", sc.ID, cols, minColumns, maxColumns)
		}
		if d, ok := teaching(sc); ok && d < 2*p.Zoom {
			t.Errorf("%s: what it teaches lasts %s, under two columns of %s", sc.ID, span(d), span(p.Zoom))
		}
		for _, name := range append([]string{sc.ID}, sc.Sections...) {
			v := choose(t, name)
			elapsed := elapsed(t, v, sim.DefaultConfig())
			wall := time.Duration(float64(elapsed) / float64(p.Speed) * float64(time.Second))
			t.Logf("%-20s %-6s %9s at %6s/s and %6s/column: %5.1fs of play, %2.0f columns/s, %4.0f columns in all",
				sc.ID, v.Section(), sim.Time(elapsed), span(p.Speed), span(p.Zoom), wall.Seconds(), cols,
				float64(elapsed)/float64(p.Zoom))
			if wall < minWall || wall > maxWall {
				t.Errorf("%s: %s of virtual time plays in %.1fs at %s/s, want %s to %s", name, sim.Time(elapsed),
					wall.Seconds(), span(p.Speed), minWall, maxWall)
			}
		}
	}
}

// teaching is how long the thing a scenario shows lasts at the defaults:
// the stretch that must span a few columns for a class to see it.
func teaching(sc *Scenario) (time.Duration, bool) {
	cfg, v := sim.DefaultConfig(), sc.Defaults()
	switch sc.ID {
	case "cpu-bound", "convoy", "counter-race":
		return cfg.SwitchInterval, true // the turns the GIL forces
	case "io-bound":
		return v.Duration("io"), true
	case "lock-contention":
		return heldFor(v), true
	case "thread-lock":
		return v.Duration("hold"), true
	case "thread-start":
		return cfg.ThreadStart, true
	case "process-start", "process-queue":
		return cfg.ProcStartChild[sim.StartFork], true
	case "process-queue-fixed":
		// An item's countdown: about 32ns a turn under 3.12.
		return time.Duration(v.Int("count")) * 32 * time.Nanosecond, true
	case "asyncio-blocking", "asyncio-nonblocking":
		return v.Duration("delay"), true
	case "asyncio-basic":
		return cfg.LoopIteration, false
	}
	return 0, false
}

// heldFor is how long the first critical section of a run of v at the
// default configuration holds its lock: from its acquire to its release.
func heldFor(v Values) time.Duration {
	cfg := sim.DefaultConfig()
	cfg.Trace = true
	s, err := v.New(cfg)
	if err != nil {
		panic(err)
	}
	s.Run()
	var at sim.Time
	for _, e := range s.Trace() {
		switch e.Kind {
		case sim.TraceLockAcquire:
			at = e.At
		case sim.TraceLockRelease:
			return (e.At - at).Duration()
		}
	}
	return 0
}
