package platform

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// kind is what a knob's value is in a profile file.
type kind uint8

const (
	// kindDuration is a Go duration string: "10us", "1.5us", "2ms".
	kindDuration kind = iota
	// kindCount is a JSON whole number.
	kindCount
	// kindNumber is a JSON number, fractions allowed.
	kindNumber
	// kindPolicy is a successor policy's name: "fifo" or "random".
	kindPolicy
)

// knob is one setting of sim.Config a profile may hold: its key in the
// file, where it lives in the Config, and the range the engine accepts
// (sim.Config.Validate's, so that a profile that loads always validates).
type knob struct {
	// key is the knob's snake_case key; a start method's cost is
	// "proc_start_child.fork", written nested in the file.
	key  string
	kind kind
	// field points into c at the knob's value: *time.Duration for a
	// duration, *int for a count, *float64 for a number, *sim.Policy.
	field func(c *sim.Config) any
	// lo and hi bound the value (nanoseconds for a duration); hi 0 means
	// no upper bound. positive refuses lo itself.
	lo, hi   float64
	positive bool
}

// knobs lists every knob in the order of sim.Config, which is the order
// a profile is written in. Model, Seed, Trace, MaxEvents and MaxTime are
// not knobs of a platform: they belong to the run.
var knobs = buildKnobs()

func buildKnobs() []knob {
	us := float64(time.Microsecond)
	ks := []knob{
		{key: "cores", kind: kindCount, field: func(c *sim.Config) any { return &c.Cores }, lo: 1, hi: 1024},
		{key: "switch_interval", kind: kindDuration, field: func(c *sim.Config) any { return &c.SwitchInterval }, lo: us, hi: float64(10 * time.Second)},
		{key: "timed_wait_latency", kind: kindDuration, field: func(c *sim.Config) any { return &c.TimedWaitLatency }, hi: float64(time.Second)},
		{key: "wake_latency", kind: kindDuration, field: func(c *sim.Config) any { return &c.WakeLatency }},
		{key: "wake_jitter", kind: kindNumber, field: func(c *sim.Config) any { return &c.WakeJitter }, hi: 1},
		{key: "wake_latency_preempt", kind: kindDuration, field: func(c *sim.Config) any { return &c.WakeLatencyPreempt }, hi: float64(time.Second)},
		{key: "successor", kind: kindPolicy, field: func(c *sim.Config) any { return &c.Successor }},
		{key: "tick", kind: kindDuration, field: func(c *sim.Config) any { return &c.Tick }, positive: true},
		{key: "check_interval", kind: kindCount, field: func(c *sim.Config) any { return &c.CheckInterval }, lo: 1, hi: 1_000_000},
		{key: "signal_remote", kind: kindDuration, field: func(c *sim.Config) any { return &c.SignalRemote }},
		{key: "signal_local", kind: kindDuration, field: func(c *sim.Config) any { return &c.SignalLocal }},
		{key: "signal_none", kind: kindDuration, field: func(c *sim.Config) any { return &c.SignalNone }},
		{key: "rewake_latency", kind: kindDuration, field: func(c *sim.Config) any { return &c.RewakeLatency }, hi: float64(time.Second)},
		{key: "wake_cost", kind: kindDuration, field: func(c *sim.Config) any { return &c.WakeCost }},
		{key: "python_scale", kind: kindNumber, field: func(c *sim.Config) any { return &c.PythonScale }, lo: 0.01, hi: 100},
		{key: "free_thread_tax", kind: kindNumber, field: func(c *sim.Config) any { return &c.FreeThreadTax }, hi: 10},
		{key: "op_jitter", kind: kindDuration, field: func(c *sim.Config) any { return &c.OpJitter }},
		{key: "quantum", kind: kindDuration, field: func(c *sim.Config) any { return &c.Quantum }, lo: us},
		{key: "wakeup_granularity", kind: kindDuration, field: func(c *sim.Config) any { return &c.WakeupGranularity }},
		{key: "sleeper_credit", kind: kindDuration, field: func(c *sim.Config) any { return &c.SleeperCredit }},
		{key: "thread_start", kind: kindDuration, field: func(c *sim.Config) any { return &c.ThreadStart }},
	}
	var c sim.Config
	for m := range len(c.ProcStartParent) {
		ks = append(ks, knob{key: "proc_start_parent." + sim.StartMethod(m).String(), kind: kindDuration,
			field: func(c *sim.Config) any { return &c.ProcStartParent[m] }})
	}
	for m := range len(c.ProcStartChild) {
		ks = append(ks, knob{key: "proc_start_child." + sim.StartMethod(m).String(), kind: kindDuration,
			field: func(c *sim.Config) any { return &c.ProcStartChild[m] }})
	}
	return append(ks,
		knob{key: "pickle", kind: kindDuration, field: func(c *sim.Config) any { return &c.Pickle }},
		knob{key: "unpickle", kind: kindDuration, field: func(c *sim.Config) any { return &c.Unpickle }},
		knob{key: "loop_iteration", kind: kindDuration, field: func(c *sim.Config) any { return &c.LoopIteration }, positive: true},
		knob{key: "selector_resolution", kind: kindDuration, field: func(c *sim.Config) any { return &c.SelectorResolution }, hi: float64(time.Second)},
		knob{key: "slow_callback", kind: kindDuration, field: func(c *sim.Config) any { return &c.SlowCallback }, positive: true},
	)
}

// knobIndex finds a knob by its key.
func knobIndex(key string) (int, bool) {
	for i, k := range knobs {
		if k.key == key {
			return i, true
		}
	}
	return 0, false
}

// topKeys are the keys a profile file's object accepts, in order: name,
// description, then every knob, a nested group ("proc_start_child") once.
func topKeys() []string {
	keys := []string{"name", "description"}
	for _, k := range knobs {
		top, _, _ := strings.Cut(k.key, ".")
		if keys[len(keys)-1] != top {
			keys = append(keys, top)
		}
	}
	return keys
}

// subKeys are the keys of the nested group top ("fork", "spawn", ...).
func subKeys(top string) []string {
	var keys []string
	for _, k := range knobs {
		if g, sub, ok := strings.Cut(k.key, "."); ok && g == top {
			keys = append(keys, sub)
		}
	}
	return keys
}

// isGroup reports whether top is a nested group of knobs.
func isGroup(top string) bool { return len(subKeys(top)) > 0 }

// formatDuration writes d as a Go duration string with "us" for
// microseconds, which every keyboard has and time.ParseDuration reads.
func formatDuration(d time.Duration) string {
	return strings.ReplaceAll(d.String(), "µs", "us")
}

// text is the knob's value in c as it is written in a profile file.
func (k knob) text(c *sim.Config) string {
	switch p := k.field(c).(type) {
	case *time.Duration:
		return strconv.Quote(formatDuration(*p))
	case *int:
		return strconv.Itoa(*p)
	case *float64:
		return strconv.FormatFloat(*p, 'g', -1, 64)
	case *sim.Policy:
		return strconv.Quote(p.String())
	}
	panic("platform: knob " + k.key + " has a field of no known type")
}

// copyTo sets the knob in dst to its value in src.
func (k knob) copyTo(dst, src *sim.Config) {
	switch d := k.field(dst).(type) {
	case *time.Duration:
		*d = *k.field(src).(*time.Duration)
	case *int:
		*d = *k.field(src).(*int)
	case *float64:
		*d = *k.field(src).(*float64)
	case *sim.Policy:
		*d = *k.field(src).(*sim.Policy)
	}
}

// accepted says what the knob accepts, as the end of an error sentence:
// "a duration of 0 or more, such as 10us".
func (k knob) accepted() string {
	def := sim.DefaultConfig()
	example := strings.Trim(k.text(&def), `"`)
	switch k.kind {
	case kindDuration:
		switch {
		case k.hi > 0:
			return fmt.Sprintf("a duration from %s to %s, such as %s",
				formatDuration(time.Duration(k.lo)), formatDuration(time.Duration(k.hi)), example)
		case k.positive:
			return "a duration above 0, such as " + example
		case k.lo > 0:
			return fmt.Sprintf("a duration of %s or more, such as %s", formatDuration(time.Duration(k.lo)), example)
		}
		return "a duration of 0 or more, such as " + example
	case kindCount:
		return fmt.Sprintf("a whole number from %.0f to %.0f, such as %s", k.lo, k.hi, example)
	case kindNumber:
		return fmt.Sprintf("a number from %g to %g, such as %s", k.lo, k.hi, example)
	}
	return policyNames()
}

// policyNames are the successor policies, "fifo or random".
func policyNames() string {
	var names []string
	for p := sim.Policy(0); ; p++ {
		if _, err := sim.ParsePolicy(p.String()); err != nil {
			break
		}
		names = append(names, p.String())
	}
	return strings.Join(names, " or ")
}
