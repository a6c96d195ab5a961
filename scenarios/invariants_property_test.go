package scenarios_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// TestScenariosKeepTheInvariantsUnderRandomSettings is a property test
// over the built-in scenarios: a seeded generator picks a scenario, a
// value for each of its parameters anywhere in its range (most of them
// small, so that a run finishes or reaches the event cap quickly), a
// model, 1 to 64 cores (now and then 1,024), a switch interval from 1µs
// to 10s and a seed. The engine's invariants must hold after every step;
// the run must complete or stop at the event cap (no built-in scenario can
// deadlock); and a second run must give the same metrics and trace.
func TestScenariosKeepTheInvariantsUnderRandomSettings(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 12))
	n, maxEvents := 120, uint64(4000)
	if testing.Short() {
		n, maxEvents = 30, 2000
	}
	all := scenarios.All()
	models := []sim.Model{sim.ModelPy3, sim.ModelPy2, sim.ModelFreeThreaded}
	for i := range n {
		sc := all[r.IntN(len(all))]
		v := randomValues(t, r, sc)
		cfg := sim.DefaultConfig()
		cfg.Model = models[r.IntN(len(models))]
		cfg.Cores = 1 + r.IntN(64)
		if r.IntN(8) == 0 {
			cfg.Cores = 1024
		}
		cfg.SwitchInterval = logDuration(r, time.Microsecond, 10*time.Second)
		cfg.Seed = r.Uint64()
		cfg.Trace = r.IntN(2) == 0
		cfg.MaxEvents = maxEvents
		name := fmt.Sprintf("case %d: %s %v under %s, %d cores, %s interval, seed %d",
			i, sc.ID, v.Settings(), cfg.Model, cfg.Cores, cfg.SwitchInterval, cfg.Seed)

		s, err := v.New(cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var last sim.Time
		for s.Step() {
			if err := s.CheckInvariants(last); err != nil {
				t.Fatalf("%s, after event %d at %s: %v", name, s.Events(), s.Now(), err)
			}
			last = s.Now()
		}
		if err := s.CheckInvariants(last); err != nil {
			t.Fatalf("%s, at the end: %v", name, err)
		}
		m := s.Metrics()
		switch m.Outcome {
		case sim.OutcomeCompleted:
			if len(m.Blocked) != 0 {
				t.Fatalf("%s: completed with blocked threads %+v", name, m.Blocked)
			}
		case sim.OutcomeLimit:
			if m.Events != maxEvents {
				t.Fatalf("%s: stopped at the limit after %d events, not %d", name, m.Events, maxEvents)
			}
		default:
			t.Fatalf("%s: outcome %s after %d events (blocked: %+v)", name, m.Outcome, m.Events, m.Blocked)
		}

		again, err := v.New(cfg)
		if err != nil {
			t.Fatalf("%s, again: %v", name, err)
		}
		again.Run()
		if !reflect.DeepEqual(again.Metrics(), m) || !reflect.DeepEqual(again.Trace(), s.Trace()) {
			t.Fatalf("%s: a second run differs", name)
		}
	}
}

// randomValues gives every parameter of sc a value in its range: an int
// mostly small (log-uniform up to 64, now and then anywhere up to its
// maximum), a duration log-uniform over its whole range, a bool or a
// choice at random.
func randomValues(t *testing.T, r *rand.Rand, sc *scenarios.Scenario) scenarios.Values {
	t.Helper()
	v := sc.Defaults()
	for _, p := range sc.Params {
		var val string
		switch p.Kind {
		case scenarios.Int:
			hi := min(p.Max, max(p.Min, 64))
			if r.IntN(10) == 0 {
				hi = p.Max
			}
			val = strconv.FormatInt(logInt(r, p.Min, hi), 10)
		case scenarios.Duration:
			val = logDuration(r, time.Duration(p.Min), time.Duration(p.Max)).String()
		case scenarios.Bool:
			val = strconv.FormatBool(r.IntN(2) == 0)
		case scenarios.Choice:
			val = p.Choices[r.IntN(len(p.Choices))]
		}
		var err error
		if v, err = v.Set(p.Name, val); err != nil {
			t.Fatalf("%s: %v", sc.ID, err)
		}
	}
	return v
}

// logInt returns an integer in [lo, hi], log-uniform over lo+1 .. hi+1.
func logInt(r *rand.Rand, lo, hi int64) int64 {
	x := math.Exp(r.Float64()*math.Log(float64(hi-lo+1))) - 1
	return min(hi, lo+int64(x))
}

// logDuration returns a duration in [lo, hi], log-uniform (from 1ns when
// lo is zero).
func logDuration(r *rand.Rand, lo, hi time.Duration) time.Duration {
	a := math.Log(float64(max(lo, 1)))
	d := time.Duration(math.Exp(a + r.Float64()*(math.Log(float64(hi))-a)))
	return min(hi, max(lo, d))
}
