package sim

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// At their defaults, and with WakeLatencyPreempt set to WakeLatency, the
// two latency knobs leave the golden traces byte for byte as they were.
func TestLatencyKnobsAtDefaultChangeNothing(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		w    Workload
	}{
		{"py3-two-cpu-threads", config(ModelPy3, true), cpuWorkers(2, 12*time.Millisecond)},
		{"py2-two-cpu-threads", config(ModelPy2, true), cpuWorkers(2, 400*time.Microsecond)},
		{"py3-mixed", config(ModelPy3, true), mixed()},
	}
	mods := map[string]func(*Config){
		"zero":              func(c *Config) { c.TimedWaitLatency, c.WakeLatencyPreempt = 0, 0 },
		"preempt as normal": func(c *Config) { c.WakeLatencyPreempt = c.WakeLatency },
	}
	for _, tc := range cases {
		want, err := os.ReadFile(filepath.Join("testdata", tc.name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		for mname, mod := range mods {
			c := tc.cfg
			mod(&c)
			if got := listing(run(t, c, tc.w)); got != string(want) {
				t.Errorf("%s, %s: trace differs from the golden one:\n%s", tc.name, mname, firstDiff(string(want), got))
			}
		}
	}
}

// A timed wait that expires TimedWaitLatency late sets the drop request
// that much later: interval + latency after the wait began.
func TestTimedWaitLatencyDelaysTheDropRequest(t *testing.T) {
	const lat = 50 * time.Microsecond
	for _, iv := range []time.Duration{500 * time.Microsecond, 5 * time.Millisecond} {
		c := config(ModelPy3, true)
		c.SwitchInterval = iv
		c.TimedWaitLatency = lat
		s := run(t, c, cpuWorkers(2, 30*time.Millisecond))
		var waitStart, drop Time = -1, -1
		for _, e := range s.Trace() {
			switch {
			case e.Kind == TraceState && e.State == StateWaitGIL && e.Thread == 2 && waitStart < 0:
				waitStart = e.At
			case e.Kind == TraceDropRequest && drop < 0 && waitStart >= 0:
				drop = e.At
			}
		}
		if waitStart < 0 || drop < 0 {
			t.Fatalf("interval %s: wait %s, drop request %s: one is missing", iv, waitStart, drop)
		}
		if got, want := drop-waitStart, Time(iv+lat); got != want {
			t.Errorf("interval %s: the drop request came %s after the wait began, want %s", iv, got, want)
		}
	}
}

// A CPU-bound pair switches once per interval + wake-up; a late expiry
// stretches every cycle, so there are fewer handoffs a second.
func TestTimedWaitLatencyLowersTheSwitchRate(t *testing.T) {
	rate := func(lat time.Duration) float64 {
		c := config(ModelPy3, false)
		c.SwitchInterval = 500 * time.Microsecond
		c.TimedWaitLatency = lat
		return run(t, c, cpuWorkers(2, 50*time.Millisecond)).Metrics().GIL.PerSecond
	}
	base, late := rate(0), rate(50*time.Microsecond)
	t.Logf("0.5ms interval, CPU-bound pair: %.0f handoffs/s instant, %.0f with a 50µs late expiry", base, late)
	// Each cycle is about interval + wake-up (510µs) and becomes 560µs.
	if r := late / base; !within(r, 510.0/560, 0.03) {
		t.Errorf("handoff rate fell to %.3f of %.0f/s, want about %.3f", r, base, 510.0/560)
	}
}

// signalToAcquire is the median time from a signal to the signalled
// thread's taking the GIL released for reason r, over the signals followed
// by that, and how many there were.
func signalToAcquire(s *Sim, r Reason) (Time, int) {
	pending := map[int32]Time{}
	var d []Time
	for _, e := range s.Trace() {
		switch e.Kind {
		case TraceSignal:
			pending[e.Peer] = e.At
		case TraceAcquire:
			if at, ok := pending[e.Thread]; ok && e.Reason == r {
				d = append(d, e.At-at)
			}
			delete(pending, e.Thread)
		case TraceFailedWake:
			delete(pending, e.Thread)
		}
	}
	if len(d) == 0 {
		return 0, 0
	}
	slices.Sort(d)
	return d[len(d)/2], len(d)
}

// A thread that drops the GIL for C code keeps its core. With one core the
// waiter it signals has none to wake on and needs WakeLatencyPreempt; with
// idle cores it needs WakeLatency, and the knob changes nothing.
func TestWakeLatencyPreemptWhenNoCoreIsFree(t *testing.T) {
	w := func() Workload {
		return workers(Loop(3, 100, Python(3, 200*time.Microsecond, 50), Native(4, 300*time.Microsecond)),
			Python(6, 40*time.Millisecond, 50), Native(8, 80*time.Millisecond))
	}
	sim := func(cores int, pre time.Duration) *Sim {
		c := config(ModelPy3, true)
		c.Cores = cores
		c.WakeJitter = 0
		c.WakeLatencyPreempt = pre
		return run(t, c, w())
	}
	base, slow := sim(2, 0), sim(2, 200*time.Microsecond)
	mb, nb := signalToAcquire(base, ReasonNative)
	ms, ns := signalToAcquire(slow, ReasonNative)
	t.Logf("2 cores, 3 threads wanting them: median signal to acquisition after C code released the GIL %s over %d handoffs at WakeLatency, %s over %d with a 200µs preempting wake-up; elapsed %s and %s",
		mb, nb, ms, ns, base.Now(), slow.Now())
	if nb == 0 || ns == 0 {
		t.Fatalf("no signalled thread took the GIL: %d and %d", nb, ns)
	}
	if want := mb + Time(190*time.Microsecond); ms != want {
		t.Errorf("median signal to acquisition took %s with a 200µs preempting wake-up, %s without: want %s", ms, mb, want)
	}
	if slow.Now() <= base.Now() {
		t.Errorf("the run took %s with the slower preempting wake-up, %s without", slow.Now(), base.Now())
	}
	if listing(sim(8, 0)) != listing(sim(8, 200*time.Microsecond)) {
		t.Errorf("with idle cores to wake on, WakeLatencyPreempt changed the trace")
	}
}

// The same configuration and seed give the same trace with the knobs set.
func TestLatencyKnobsDeterministic(t *testing.T) {
	c := config(ModelPy3, true)
	c.Cores = 1
	c.SwitchInterval = time.Millisecond
	c.TimedWaitLatency = 30 * time.Microsecond
	c.WakeLatencyPreempt = 80 * time.Microsecond
	c.Seed = 7
	w := workers(Loop(3, 50, Python(3, 300*time.Microsecond, 50), Native(4, 100*time.Microsecond), IO(5, 50*time.Microsecond, ReqNone)),
		Python(6, 20*time.Millisecond, 50), Python(7, 20*time.Millisecond, 50))
	a, b := listing(run(t, c, w)), listing(run(t, c, w))
	if a != b {
		t.Errorf("two runs with the same seed differ:\n%s", firstDiff(a, b))
	}
}

func TestLatencyKnobsValidated(t *testing.T) {
	for name, mod := range map[string]func(*Config){
		"negative timed-wait latency": func(c *Config) { c.TimedWaitLatency = -1 },
		"huge timed-wait latency":     func(c *Config) { c.TimedWaitLatency = 2 * time.Second },
		"negative preempt latency":    func(c *Config) { c.WakeLatencyPreempt = -time.Microsecond },
		"huge preempt latency":        func(c *Config) { c.WakeLatencyPreempt = time.Minute },
	} {
		c := referenceConfig()
		mod(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c := referenceConfig()
	c.TimedWaitLatency, c.WakeLatencyPreempt = time.Second, time.Second
	if err := c.Validate(); err != nil {
		t.Errorf("1s latencies refused: %v", err)
	}
}
