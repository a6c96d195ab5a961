package scenarios

import (
	"fmt"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// The network scenarios: threads waiting on sockets, and the convoy a
// CPU-bound thread makes of their round trips. Their programs are
// programs/io_bound.py, convoy*.py and echo_client*.py; the simulated
// network is the front end's (package python: a send blocks
// Options.Send, the peer answers after Options.Peer, and each round trip
// is a request whose latency the figures report).

// The CPU-bound workers of the convoy and the echo client are daemons
// that spin forever (spin() in their programs), as the background load
// of a server does: work sized to cover the requests would either run
// out before the last request, so that the convoy vanishes part-way, or
// outlast it, so that the run measures the countdown and not the
// server. Daemon threads and processes die when the main thread ends,
// as in CPython.

var ioBound = fromPython(&Scenario{
	ID:      "io-bound",
	Title:   "I/O-bound threads",
	Summary: "I/O-bound threads: their waits overlap even under the GIL",
	Notice: "A thread blocked on I/O releases the GIL, so the waits of all threads overlap: " +
		"four threads finish about four times sooner than one would, GIL or not. " +
		"The GIL only serialises the short bursts of Python between the waits.",
	Params: []Param{
		// A thread's requests differ (each reads its reply), so the
		// front end compiles them one by one: threads × ops stays within
		// its 200,000 iterations.
		{Name: "threads", Kind: Int, Default: "4", Min: 1, Max: 10000, Help: "number of threads"},
		{Name: "ops", Kind: Int, Default: "10", Min: 1, Max: 100000, Help: "requests each thread makes"},
		{Name: "io", Kind: Duration, Default: "10ms", Min: int64(100 * time.Microsecond), Max: int64(time.Minute),
			Help: "how long each request waits on the network, from its send (50µs of it) to the reply"},
	},
	Pace:    Pace{Speed: 5 * time.Millisecond, Zoom: 500 * time.Microsecond},
	verdict: ioBoundVerdict,
	lessons: ioBoundLessons,
	figures: func(v Values, m sim.Metrics) []Figure {
		wait := time.Duration(v.Int("threads")*v.Int("ops")) * v.Duration("io")
		o := 0.0
		if m.Elapsed > 0 {
			o = float64(wait) / float64(m.Elapsed)
		}
		return append([]Figure{{Key: "io_overlap", Label: "I/O overlap", Value: fmt.Sprintf("%.2fx", o), Number: o, Unit: UnitRatio}},
			latencyFigures(m)...)
	},
}, pyBinding{peer: "io", peerFromSend: true})

// latencyFigures reports request latency percentiles and throughput.
func latencyFigures(m sim.Metrics) []Figure {
	r := m.Requests
	if r.Count == 0 {
		return nil
	}
	return []Figure{
		{Key: "p50_latency", Label: "p50 latency", Value: r.P50.String(), Number: r.P50.Seconds(), Live: true, Unit: UnitSeconds},
		{Key: "p99_latency", Label: "p99 latency", Value: r.P99.String(), Number: r.P99.Seconds(), Live: true, Unit: UnitSeconds},
		{Key: "requests_per_second", Label: "requests/s", Value: commas(int64(r.PerSecond + 0.5)), Number: r.PerSecond, Live: true, Unit: UnitRate},
	}
}

// spinnerFile picks the threads or the processes variant of a program
// with CPU-bound spinners beside it.
func spinnerFile(name string) func(v Values) string {
	return func(v Values) string {
		if v.UsesProcesses() {
			return name + "_processes.py"
		}
		return name + ".py"
	}
}

var convoy = fromPython(&Scenario{
	ID:      "convoy",
	Title:   "The convoy effect",
	Summary: "convoy effect: an I/O thread waits a switch interval for the GIL after every I/O call",
	Notice: "The echo server releases the GIL on every recv and send. When the call returns, the CPU-bound " +
		"thread holds the GIL, and the server must wait a whole switch interval before it may even ask for it: " +
		"a round trip of tens of microseconds takes an interval or more. Lower the switch interval and the " +
		"latency falls; add CPU threads and it grows; make the CPU workers processes and it disappears.",
	Params: []Param{
		// Each request reads the client's message, so the front end
		// compiles them one by one, up to its 200,000 iterations.
		{Name: "requests", Kind: Int, Default: "100", Min: 1, Max: 1000000, Help: "round trips the echo server serves"},
		{Name: "io", Kind: Duration, Default: "25µs", Min: int64(time.Microsecond), Max: int64(time.Minute), Help: "how long each recv waits for the client's next message"},
		{Name: "send", Kind: Duration, Default: "10µs", Min: int64(time.Microsecond), Max: int64(time.Second), Help: "how long each send blocks, handing the reply to the kernel"},
		{Name: "cpu_threads", Kind: Int, Default: "1", Min: 0, Max: 1000, Help: "CPU-bound threads (or processes) beside the server"},
		useParam,
	},
	Processes: "processes",
	Pace:      Pace{Speed: 20 * time.Millisecond, Zoom: time.Millisecond},
	figures:   func(v Values, m sim.Metrics) []Figure { return latencyFigures(m) },
	verdict:   convoyVerdict,
	lessons:   convoyLessons,
}, pyBinding{
	file:  spinnerFile("convoy"),
	peer:  "io",
	send:  "send",
	alias: map[string]string{"CPU_PROCESSES": "cpu_threads"},
})

var echoClient = fromPython(&Scenario{
	ID:      "echo-client",
	Title:   "An echo client beside a CPU-bound thread",
	Summary: "the convoy from the client's side: each round trip to an echo process waits for the GIL",
	Notice: "The client sends a message and waits for the echo, which another process sends back after a delay " +
		"counted from the send, as a socketpair benchmark measures. With a CPU-bound thread beside it, the client " +
		"queues for the GIL after its recv, and after its send too when the CPU-bound thread, woken by the send, " +
		"takes the GIL before the send is over: a round trip of tens of microseconds takes one switch interval or " +
		"two (one on the default linux platform, whose woken threads need about 50µs; often two under " +
		"--platform skvortsov-2021). Make the CPU worker a process, or drop the GIL, and the round trip is the echo's delay.",
	Params: []Param{
		{Name: "requests", Kind: Int, Default: "100", Min: 1, Max: 1000000, Help: "round trips the client makes, one at a time"},
		{Name: "delay", Kind: Duration, Default: "50µs", Min: int64(time.Microsecond), Max: int64(time.Minute), Help: "how long after the send began the echo's reply arrives (the recv waits at least 1µs)"},
		{Name: "send", Kind: Duration, Default: "10µs", Min: int64(time.Microsecond), Max: int64(time.Second), Help: "how long each send blocks"},
		{Name: "cpu_threads", Kind: Int, Default: "1", Min: 0, Max: 1000, Help: "CPU-bound threads (or processes) beside the client"},
		useParam,
	},
	Processes: "processes",
	Pace:      Pace{Speed: 20 * time.Millisecond, Zoom: time.Millisecond},
	figures:   func(v Values, m sim.Metrics) []Figure { return latencyFigures(m) },
	verdict:   convoyVerdict,
	lessons:   []*Lesson{dropRequestLesson, forcedSwitchLesson, failedWakeLesson},
}, pyBinding{
	file:         spinnerFile("echo_client"),
	peer:         "delay",
	peerFromSend: true,
	send:         "send",
	alias:        map[string]string{"CPU_PROCESSES": "cpu_threads"},
})
