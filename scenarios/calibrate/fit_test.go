package calibrate

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// synthetic is a measurement of version as the model gives it under
// truth: what Fit must find its way back from.
func synthetic(t *testing.T, truth sim.Config, py Interpreter) Measurement {
	t.Helper()
	got, err := Simulate(truth, SimVersion(py.Major, py.Minor, py.FreeThreaded), nil)
	if err != nil {
		t.Fatal(err)
	}
	m := Measurement{Python: py}
	for _, f := range Figures {
		if v, ok := got[f.Key]; ok {
			m.Figures = append(m.Figures, Figure{Key: f.Key, Median: v, Samples: []float64{v}, Unit: f.Unit})
		}
	}
	return m
}

// Fit recovers the knobs of a machine from the figures the model itself
// gives on it: fitting by simulating is only as good as this.
func TestFitRecoversTheKnobs(t *testing.T) {
	truth := sim.DefaultConfig()
	truth.Cores = 2
	truth.SelectorResolution = time.Millisecond
	truth.PythonScale = 1.3
	truth.WakeLatency = 37 * time.Microsecond
	truth.TimedWaitLatency = 80 * time.Microsecond
	truth.ThreadStart = 90 * time.Microsecond
	truth.ProcStartParent[sim.StartFork] = 700 * time.Microsecond
	truth.ProcStartChild[sim.StartSpawn] = 50 * time.Millisecond
	truth.Pickle, truth.Unpickle = 3*time.Microsecond, 15*time.Microsecond
	truth.SignalRemote = 8 * time.Microsecond
	ms := []Measurement{
		synthetic(t, truth, Interpreter{Version: "2.7.18", Major: 2, Minor: 7, Micro: 18}),
		synthetic(t, truth, Interpreter{Version: "3.12.1", Major: 3, Minor: 12, Micro: 1}),
	}
	base := sim.DefaultConfig()
	base.Cores = 2
	base.SelectorResolution = time.Millisecond
	got, rows, err := Fit(base, ms)
	if err != nil {
		t.Fatal(err)
	}
	near := func(name string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol*math.Abs(want) {
			t.Errorf("%s: fitted %g, the machine's %g (tolerance %.0f%%)", name, got, want, 100*tol)
		}
	}
	near("python_scale", got.PythonScale, truth.PythonScale, 0.02)
	near("wake_latency", float64(got.WakeLatency), float64(truth.WakeLatency), 0.15)
	near("timed_wait_latency", float64(got.TimedWaitLatency), float64(truth.TimedWaitLatency), 0.25)
	near("thread_start", float64(got.ThreadStart), float64(truth.ThreadStart), 0.05)
	near("proc_start_parent.fork", float64(got.ProcStartParent[sim.StartFork]), float64(truth.ProcStartParent[sim.StartFork]), 0.05)
	near("proc_start_child.spawn", float64(got.ProcStartChild[sim.StartSpawn]), float64(truth.ProcStartChild[sim.StartSpawn]), 0.05)
	near("pickle", float64(got.Pickle), float64(truth.Pickle), 0.1)
	near("unpickle", float64(got.Unpickle), float64(truth.Unpickle), 0.1)
	near("signal_remote", float64(got.SignalRemote), float64(truth.SignalRemote), 0.25)
	// Every fitted figure comes out as measured.
	fitted := 0
	for _, r := range rows {
		if r.Knob == "" || r.Measured == 0 {
			continue
		}
		fitted++
		if math.Abs(r.Simulated-r.Measured) > 0.1*math.Abs(r.Measured) {
			t.Errorf("%s %s, fitted to %s: measured %g, simulated %g", r.Label, r.Key, r.Knob, r.Measured, r.Simulated)
		}
	}
	if fitted < 12 {
		t.Errorf("only %d figures were fitted:\n%s", fitted, FormatRows(rows))
	}
	if err := got.Validate(); err != nil {
		t.Errorf("the fitted configuration does not validate: %v", err)
	}
}

// A simulated figure comes from the simulation: a knob moves it.
func TestSimulateFollowsTheKnobs(t *testing.T) {
	base := sim.DefaultConfig()
	base.Cores, base.PythonScale = 2, 1
	a, err := Simulate(base, "3.12", nil)
	if err != nil {
		t.Fatal(err)
	}
	slow := base
	slow.WakeLatency *= 4
	slow.PythonScale = 2
	b, err := Simulate(slow, "3.12", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := b["countdown_ns"] / a["countdown_ns"]; math.Abs(r-2) > 0.01 {
		t.Errorf("countdown at python_scale 2 is %.3fx the one at 1, want 2x", r)
	}
	if b["event_pingpong_us"] <= a["event_pingpong_us"]*2 {
		t.Errorf("Event ping-pong %.1fµs with 4x the wake-up latency, %.1fµs without", b["event_pingpong_us"], a["event_pingpong_us"])
	}
	for _, f := range Figures {
		if _, ok := a[f.Key]; !ok && !strings.HasSuffix(f.Key, "_py2") {
			t.Errorf("3.12 simulated no %s", f.Key)
		}
	}
}

func TestSimVersion(t *testing.T) {
	for _, c := range []struct {
		major, minor int
		ft           bool
		want         string
	}{
		{2, 7, false, "2.7"}, {3, 12, false, "3.12"}, {3, 10, false, "3.11"}, {3, 6, false, "3.9"},
		{3, 14, false, "3.13"}, {3, 13, true, "3.13t"},
	} {
		if got := SimVersion(c.major, c.minor, c.ft); got != c.want {
			t.Errorf("%d.%d (free-threaded %t) is simulated as %s, want %s", c.major, c.minor, c.ft, got, c.want)
		}
	}
}
