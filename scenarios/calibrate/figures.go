package calibrate

// Unit is what a figure is counted in. Its values are short strings fit
// for a table's unit column and for JSON.
type Unit string

// The units of the figures.
const (
	Nanoseconds  Unit = "ns"
	Microseconds Unit = "us"
	Milliseconds Unit = "ms"
	Ratio        Unit = "ratio"
	Count        Unit = "count"
	Percent      Unit = "pct"
	PerSecond    Unit = "per_s"
)

// FigureInfo describes one figure the probes measure: its key in a probe's
// JSON and in a Measurement, its unit, and one line saying what it is.
type FigureInfo struct {
	Key         string
	Unit        Unit
	Description string
}

// Figures lists every figure the probes can measure, in the order a
// Measurement holds them and a table shows them. Which probe measures
// which figure is the probes table's business (probes.go); a test checks
// that the two agree and that each key is in its probe's source.
var Figures = []FigureInfo{
	{"countdown_ns", Nanoseconds, "one iteration of `while n > 0: n -= 1` in a function, one thread"},
	{"two_threads_ratio", Ratio, "two threads counting down 1M each at once ÷ one thread counting down 2M"},
	{"two_threads_ratio_1core", Ratio, "the same with the process pinned to one CPU"},
	{"thread_start_us", Microseconds, "Thread.start() in the caller, for a target that does nothing"},
	{"fork_parent_ms", Milliseconds, "Process.start() in the parent, start method fork"},
	{"fork_child_ms", Milliseconds, "from start() returning until the fork child's first byte arrives"},
	{"spawn_parent_ms", Milliseconds, "Process.start() in the parent, start method spawn (3.4+)"},
	{"spawn_child_ms", Milliseconds, "from start() returning until the spawn child's first byte arrives"},
	{"event_pingpong_us", Microseconds, "one round trip between two threads through two threading.Events"},
	{"handoffs_per_s_500us", PerSecond, "GIL handoffs a second between two spinning threads, switch interval 0.5 ms"},
	{"slice_ms_500us", Milliseconds, "median time a spinning thread keeps the GIL, switch interval 0.5 ms"},
	{"handoffs_per_s_5ms", PerSecond, "GIL handoffs a second between two spinning threads, switch interval 5 ms"},
	{"slice_ms_5ms", Milliseconds, "median time a spinning thread keeps the GIL, switch interval 5 ms"},
	{"handoffs_per_s_50ms", PerSecond, "GIL handoffs a second between two spinning threads, switch interval 50 ms"},
	{"slice_ms_50ms", Milliseconds, "median time a spinning thread keeps the GIL, switch interval 50 ms"},
	{"handoffs_per_s_py2", PerSecond, "GIL handoffs a second between two spinning threads, 2.7's check interval"},
	{"slice_ms_py2", Milliseconds, "median time a spinning thread keeps the GIL, 2.7's check interval"},
	{"echo_rtt_p50_us", Microseconds, "median round trip of 64 bytes to an echo process over a socketpair"},
	{"echo_rtt_p99_us", Microseconds, "99th percentile of the same round trip"},
	{"echo_rps", PerSecond, "round trips a second to the echo process"},
	{"echo_cpu_rtt_p50_us", Microseconds, "median round trip to the echo process beside a CPU-bound thread"},
	{"echo_cpu_rtt_p99_us", Microseconds, "99th percentile of the round trip beside a CPU-bound thread"},
	{"echo_cpu_rps", PerSecond, "round trips a second beside a CPU-bound thread"},
	{"queue_put_us", Microseconds, "one put of a small int on a multiprocessing.Queue"},
	{"queue_get_us", Microseconds, "one get of it back, in the same process"},
	{"lost_updates", Count, "updates lost when 4 threads do `counter += 1` 200,000 times each"},
	{"lost_updates_pct", Percent, "the same, as a share of the 800,000 updates"},
}

// figureInfo returns the FigureInfo of key.
func figureInfo(key string) (FigureInfo, bool) {
	for _, f := range Figures {
		if f.Key == key {
			return f, true
		}
	}
	return FigureInfo{}, false
}
