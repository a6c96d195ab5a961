package calibrate

import (
	"fmt"
	"math"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// measured is what the probes measured on one interpreter, as Fit reads
// it: label names the interpreter ("3.12.1"), version the cost table it is
// simulated with ("3.12"), get a figure's median by key.
type measured struct {
	label, version string
	get            func(key string) (float64, bool)
}

// asMeasured is m as Fit reads it.
func asMeasured(ms []Measurement) []measured {
	out := make([]measured, len(ms))
	for i, m := range ms {
		py := m.Python
		out[i] = measured{label: py.Name(), version: SimVersion(py.Major, py.Minor, py.FreeThreaded), get: m.Get}
	}
	return out
}

// Row is one figure of one interpreter: measured, and simulated under the
// fitted profile. Knob names the knob fitted to it, if one was.
type Row struct {
	Label, Version, Key string
	Measured, Simulated float64
	Knob                string
}

// Fit fits the knobs of base (cores, the platform's selector already set
// by the caller) to the measurements by simulating: each knob is moved
// until the figure it governs comes out as measured, the median over the
// interpreters that measured it. It returns the fitted configuration and,
// for every figure measured, the measured value beside the simulated one.
func Fit(base sim.Config, measurements []Measurement) (sim.Config, []Row, error) {
	ms := asMeasured(measurements)
	cfg := base
	fitted := map[string]string{}
	py3 := func(m measured) bool { return m.version != "2.7" && modelOf(m.version) == sim.ModelPy3 }

	// How fast Python runs here, against the cost tables' machine.
	cfg.PythonScale = 1
	var scales []float64
	for _, m := range ms {
		if v, ok := m.get("countdown_ns"); ok && v > 0 {
			s, err := countdownNs(cfg, m.version)
			if err != nil {
				return cfg, nil, err
			}
			scales = append(scales, v/s)
		}
	}
	if len(scales) > 0 {
		cfg.PythonScale = clamp(round3(median(scales)), 0.01, 100)
		fitted["countdown_ns"] = "python_scale"
	}

	// The knobs a figure grows with in proportion, in the order they are
	// fitted: each fit simulates with the knobs fitted before it.
	all := func(measured) bool { return true }
	type linear struct {
		key, knob string
		use       func(measured) bool
		unit, hi  float64 // ns of the knob a unit of the figure; the knob's upper bound
		field     func(*sim.Config) *time.Duration
		simulate  func(sim.Config, string) (float64, error)
	}
	fits := []linear{
		// Wake-up latency from the Event ping-pong: two wake-ups a round.
		{"event_pingpong_us", "wake_latency", py3, 1e3, float64(time.Millisecond),
			func(c *sim.Config) *time.Duration { return &c.WakeLatency }, pingPongUs},
		// The timed wait's latency from the slices at 0.5ms.
		{"slice_ms_500us", "timed_wait_latency", py3, 1e6, float64(time.Millisecond),
			func(c *sim.Config) *time.Duration { return &c.TimedWaitLatency },
			func(c sim.Config, v string) (float64, error) {
				_, s, err := switchSlices(c, v, 500*time.Microsecond)
				return s, err
			}},
		{"thread_start_us", "thread_start", all, 1e3, float64(time.Second),
			func(c *sim.Config) *time.Duration { return &c.ThreadStart }, threadStartUs},
	}
	// Process start, by start method.
	for _, method := range probedStartMethods {
		name := method.String()
		fits = append(fits,
			linear{name + "_parent_ms", "proc_start_parent." + name, all, 1e6, float64(10 * time.Second),
				func(c *sim.Config) *time.Duration { return &c.ProcStartParent[method] },
				func(c sim.Config, v string) (float64, error) {
					p, _, err := procStartMs(c, v, method)
					return p, err
				}},
			linear{name + "_child_ms", "proc_start_child." + name, all, 1e6, float64(10 * time.Second),
				func(c *sim.Config) *time.Duration { return &c.ProcStartChild[method] },
				func(c sim.Config, v string) (float64, error) {
					_, ch, err := procStartMs(c, v, method)
					return ch, err
				}})
	}
	// A multiprocessing queue's put and get.
	fits = append(fits,
		linear{"queue_put_us", "pickle", all, 1e3, float64(time.Second),
			func(c *sim.Config) *time.Duration { return &c.Pickle },
			func(c sim.Config, v string) (float64, error) {
				p, _, err := queueUs(c, v)
				return p, err
			}},
		linear{"queue_get_us", "unpickle", all, 1e3, float64(time.Second),
			func(c *sim.Config) *time.Duration { return &c.Unpickle },
			func(c sim.Config, v string) (float64, error) {
				_, g, err := queueUs(c, v)
				return g, err
			}})
	for _, f := range fits {
		if err := fitLinear(&cfg, ms, f.use, f.key, f.knob, f.unit, 0, f.hi, f.field, fitted, f.simulate); err != nil {
			return cfg, nil, err
		}
	}
	// The old GIL, from 2.7's figures: what a release costs without an
	// interrupt to another core, from two threads on one core (the release
	// with nobody waiting is taken to cost the same); how soon a waiter
	// whose wake-up failed wakes again, from the slices; what waking a
	// waiter on another core costs, from two threads on every core. Each
	// fit moves the others' figures a little, so the three are fitted
	// twice.
	is2 := func(m measured) bool { return m.version == "2.7" }
	for range 2 {
		if err := fitBisect(&cfg, ms, is2, "two_threads_ratio_1core", "signal_local", 0, float64(5*time.Microsecond),
			func(c *sim.Config) *time.Duration { return &c.SignalLocal }, fitted,
			func(c sim.Config, v string) (float64, error) {
				c.SignalNone = c.SignalLocal
				return twoThreadsRatio(c, v, 1)
			}); err != nil {
			return cfg, nil, err
		}
		if fitted["two_threads_ratio_1core"] != "" {
			cfg.SignalNone = cfg.SignalLocal
			fitted["two_threads_ratio_1core"] = "signal_local, signal_none"
		}
		if err := fitBisect(&cfg, ms, is2, "slice_ms_py2", "rewake_latency", 0, float64(cfg.WakeLatency),
			func(c *sim.Config) *time.Duration { return &c.RewakeLatency }, fitted,
			func(c sim.Config, v string) (float64, error) {
				_, sl, err := switchSlices(c, v, 0)
				return sl, err
			}); err != nil {
			return cfg, nil, err
		}
		if err := fitBisect(&cfg, ms, is2, "two_threads_ratio", "signal_remote", 0, float64(50*time.Microsecond),
			func(c *sim.Config) *time.Duration { return &c.SignalRemote }, fitted,
			func(c sim.Config, v string) (float64, error) { return twoThreadsRatio(c, v, c.Cores) }); err != nil {
			return cfg, nil, err
		}
	}
	if err := cfg.Validate(); err != nil {
		return cfg, nil, err
	}
	if _, ok := firstMeasured(ms, "echo_rtt_p50_us"); ok {
		fitted["echo_rtt_p50_us"] = "the simulated echo's delay (not a knob)"
	}
	rows, err := compare(cfg, ms)
	for i := range rows {
		rows[i].Knob = fitted[rows[i].Key]
	}
	return cfg, rows, err
}

func clamp(x, lo, hi float64) float64 { return math.Min(math.Max(x, lo), hi) }

// round3 keeps three significant digits.
func round3(x float64) float64 {
	if x == 0 {
		return 0
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

// roundDuration keeps a fitted duration to three significant digits, so
// that a profile reads "23.4us", not "23.41876us".
func roundDuration(ns float64) time.Duration { return time.Duration(math.Round(round3(ns))) }

// fitLinear fits the knob at field so that the figure key, simulated,
// comes out as measured: the figure is simulated with the knob at lo and
// at a second point, and the knob set where the line through them meets
// the measured value (the figures it is used for grow in proportion with
// the knob), clamped to [lo, hi]; unit converts a figure into ns of the
// knob. The median over the interpreters that pass use is kept.
func fitLinear(cfg *sim.Config, ms []measured, use func(measured) bool, key, knob string, unit, lo, hi float64,
	field func(*sim.Config) *time.Duration, fitted map[string]string, simulate func(sim.Config, string) (float64, error)) error {
	var xs []float64
	for _, m := range ms {
		want, ok := m.get(key)
		if !ok || !use(m) {
			continue
		}
		c := *cfg
		*field(&c) = time.Duration(lo)
		y0, err := simulate(c, m.version)
		if err != nil {
			return fmt.Errorf("simulating %s for %s: %w", key, m.label, err)
		}
		step := math.Max(want*unit-y0*unit, float64(10*time.Microsecond))
		*field(&c) = time.Duration(lo + step)
		y1, err := simulate(c, m.version)
		if err != nil {
			return fmt.Errorf("simulating %s for %s: %w", key, m.label, err)
		}
		slope := (y1 - y0) * unit / step
		if slope <= 0 {
			continue
		}
		xs = append(xs, clamp(lo+(want-y0)*unit/slope, lo, hi))
	}
	if len(xs) > 0 {
		*field(cfg) = roundDuration(median(xs))
		fitted[key] = knob
	}
	return nil
}

// fitBisect fits the knob at field by bisection in [lo, hi], for figures
// that grow with the knob but not in proportion (a ratio of run times).
func fitBisect(cfg *sim.Config, ms []measured, use func(measured) bool, key, knob string, lo, hi float64,
	field func(*sim.Config) *time.Duration, fitted map[string]string, simulate func(sim.Config, string) (float64, error)) error {
	var xs []float64
	for _, m := range ms {
		want, ok := m.get(key)
		if !ok || !use(m) {
			continue
		}
		a, b := lo, hi
		for range 14 {
			mid := (a + b) / 2
			c := *cfg
			*field(&c) = time.Duration(mid)
			y, err := simulate(c, m.version)
			if err != nil {
				return fmt.Errorf("simulating %s for %s: %w", key, m.label, err)
			}
			if y < want {
				a = mid
			} else {
				b = mid
			}
		}
		xs = append(xs, (a+b)/2)
	}
	if len(xs) > 0 {
		*field(cfg) = roundDuration(median(xs))
		fitted[key] = knob
	}
	return nil
}

// Compare simulates every figure the measurements hold under cfg, and
// returns them side by side, in the order of the measurements and of
// Figures.
func Compare(cfg sim.Config, ms []Measurement) ([]Row, error) { return compare(cfg, asMeasured(ms)) }

// firstMeasured is the first measurement of key, if any holds it.
func firstMeasured(ms []measured, key string) (float64, bool) {
	for _, m := range ms {
		if v, ok := m.get(key); ok {
			return v, true
		}
	}
	return 0, false
}

func compare(cfg sim.Config, ms []measured) ([]Row, error) {
	var rows []Row
	for _, m := range ms {
		got, err := Simulate(cfg, m.version, m.get)
		if err != nil {
			return nil, fmt.Errorf("simulating %s: %w", m.label, err)
		}
		for _, f := range Figures {
			k := f.Key
			want, ok := m.get(k)
			if !ok {
				continue
			}
			v, ok := got[k]
			if !ok {
				continue
			}
			rows = append(rows, Row{Label: m.label, Version: m.version, Key: k, Measured: want, Simulated: v})
		}
	}
	return rows, nil
}

// Simulate gives every figure gilsim's model predicts for version under
// cfg. get, when not nil, supplies measured figures the simulation takes
// as the machine's given: the echo's reply time, from the measured round
// trip without a CPU thread.
func Simulate(cfg sim.Config, version string, get func(string) (float64, bool)) (map[string]float64, error) {
	out := map[string]float64{}
	var err error
	add := func(key string, f func() (float64, error)) {
		if err != nil {
			return
		}
		var v float64
		if v, err = f(); err == nil {
			out[key] = v
		} else {
			err = fmt.Errorf("%s: %w", key, err)
		}
	}
	add("countdown_ns", func() (float64, error) { return countdownNs(cfg, version) })
	add("two_threads_ratio", func() (float64, error) { return twoThreadsRatio(cfg, version, cfg.Cores) })
	add("two_threads_ratio_1core", func() (float64, error) { return twoThreadsRatio(cfg, version, 1) })
	add("thread_start_us", func() (float64, error) { return threadStartUs(cfg, version) })
	methods := probedStartMethods
	if version == "2.7" {
		methods = methods[:1] // 2.7 only forks
	}
	for _, method := range methods {
		var child float64
		add(method.String()+"_parent_ms", func() (float64, error) {
			p, c, err := procStartMs(cfg, version, method)
			child = c
			return p, err
		})
		add(method.String()+"_child_ms", func() (float64, error) { return child, nil })
	}
	add("event_pingpong_us", func() (float64, error) { return pingPongUs(cfg, version) })
	if modelOf(version) == sim.ModelPy3 {
		for _, iv := range []struct {
			name string
			d    time.Duration
		}{{"500us", 500 * time.Microsecond}, {"5ms", 5 * time.Millisecond}, {"50ms", 50 * time.Millisecond}} {
			var slice float64
			add("handoffs_per_s_"+iv.name, func() (float64, error) {
				r, s, err := switchSlices(cfg, version, iv.d)
				slice = s
				return r, err
			})
			add("slice_ms_"+iv.name, func() (float64, error) { return slice, nil })
		}
	}
	if version == "2.7" {
		var slice float64
		add("handoffs_per_s_py2", func() (float64, error) {
			r, s, err := switchSlices(cfg, version, 0)
			slice = s
			return r, err
		})
		add("slice_ms_py2", func() (float64, error) { return slice, nil })
	}
	delay := 30 * time.Microsecond
	if get != nil {
		if p50, ok := get("echo_rtt_p50_us"); ok {
			d, derr := echoDelay(cfg, version, p50)
			if derr != nil {
				return nil, derr
			}
			delay = d
		}
	}
	for _, cpu := range []int{0, 1} {
		prefix, n := "echo_", 200
		if cpu == 1 {
			prefix, n = "echo_cpu_", 60
		}
		var p99, rps float64
		add(prefix+"rtt_p50_us", func() (float64, error) {
			p50, a, b, err := echo(cfg, version, cpu, delay, n)
			p99, rps = a, b
			return p50, err
		})
		add(prefix+"rtt_p99_us", func() (float64, error) { return p99, nil })
		add(prefix+"rps", func() (float64, error) { return rps, nil })
	}
	var get2 float64
	add("queue_put_us", func() (float64, error) {
		p, g, err := queueUs(cfg, version)
		get2 = g
		return p, err
	})
	add("queue_get_us", func() (float64, error) { return get2, nil })
	var lost float64
	add("lost_updates", func() (float64, error) {
		var err error
		lost, err = lostUpdates(cfg, version)
		return lost, err
	})
	add("lost_updates_pct", func() (float64, error) { return 100 * lost / 800_000, nil })
	return out, err
}

// echoDelay is the echo's reply time that makes the simulated round trip
// without a CPU thread come out at p50 µs: the round trip less what the
// client's own Python and GIL add to it.
func echoDelay(cfg sim.Config, version string, p50 float64) (time.Duration, error) {
	const d0 = 20 * time.Microsecond
	got, _, _, err := echo(cfg, version, 0, d0, 50)
	if err != nil {
		return 0, err
	}
	d := d0 + time.Duration((p50-got)*1e3)
	return max(d, time.Microsecond).Round(100 * time.Nanosecond), nil
}
