package scenarios

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/sim/platform"
)

// Each test here checks the lesson a scenario teaches against the shapes
// published in gil-model.md, with the tolerance stated beside it. A test
// of a published table runs under that publication's platform profile
// (published), so that the table keeps its shape whatever the default
// platform becomes.

// published is the configuration of the platform profile named profile
// (sim.DefaultConfig with its knobs applied) under model m, changed by
// mods.
func published(t *testing.T, profile string, m sim.Model, mods ...func(*sim.Config)) sim.Config {
	t.Helper()
	p, err := platform.Load(profile)
	if err != nil {
		t.Fatal(err)
	}
	cfg := p.Config()
	cfg.Model = m
	for _, f := range mods {
		f(&cfg)
	}
	return cfg
}

// elapsed runs v under cfg and returns the virtual time it took.
func elapsed(t *testing.T, v Values, cfg sim.Config) time.Duration {
	t.Helper()
	s := run(t, v, cfg)
	if s.Outcome() != sim.OutcomeCompleted {
		t.Fatalf("%s %v under %s: outcome %s", v.Scenario().ID, v.Settings(), cfg.Model, s.Outcome())
	}
	return s.Now().Duration()
}

// within reports whether got lies in [lo, hi].
func within[T int | int64 | float64 | time.Duration](got, lo, hi T) bool {
	return got >= lo && got <= hi
}

// figure returns the scenario figure called key.
func figure(t *testing.T, v Values, m sim.Metrics, key string) float64 {
	t.Helper()
	for _, f := range v.Figures(m) {
		if f.Key == key {
			return f.Number
		}
	}
	t.Fatalf("%s reports no figure %q", v.Scenario().ID, key)
	return 0
}

// consoleAt returns the times at which the program printed text.
func consoleAt(s *sim.Sim, text string) []time.Duration {
	var at []time.Duration
	for _, c := range s.Snapshot().Console {
		if c.Text == text {
			at = append(at, c.At.Duration())
		}
	}
	return at
}

// runCPUBound runs a countdown from 6 million split over n workers:
// about 200ms of CPU under 3.12.
func runCPUBound(t *testing.T, n int, use string, cfg sim.Config) time.Duration {
	t.Helper()
	return runCountdown(t, 6_000_000, n, use, cfg)
}

// runCountdown runs a countdown from total split over n workers.
func runCountdown(t *testing.T, total, n int, use string, cfg sim.Config) time.Duration {
	t.Helper()
	v := values(t, "cpu-bound", fmt.Sprint("threads=", n), fmt.Sprint("count=", total/n), "use="+use)
	return elapsed(t, v, cfg)
}

func TestCPUBoundUnderPy3TakesAsLongWithMoreThreads(t *testing.T) {
	one := runCPUBound(t, 1, "threads", config(sim.ModelPy3))
	for _, n := range []int{2, 4} {
		// Same total work: within 5% of the single thread's time.
		if got := runCPUBound(t, n, "threads", config(sim.ModelPy3)); !within(float64(got)/float64(one), 0.95, 1.05) {
			t.Errorf("%d threads took %s, 1 thread %s: want within 5%%", n, got, one)
		}
	}
}

func TestCPUBoundFreeThreadedScalesWithCores(t *testing.T) {
	cfg := config(sim.ModelFreeThreaded, func(c *sim.Config) { c.Cores = 4 })
	one, four := runCPUBound(t, 1, "threads", cfg), runCPUBound(t, 4, "threads", cfg)
	// About 4x sooner: thread start-up keeps it a little under 4.
	if s := float64(one) / float64(four); !within(s, 3.5, 4.05) {
		t.Errorf("free-threaded: 1 thread %s, 4 threads %s: speedup %.2f, want 3.5 to 4.05", one, four, s)
	}
}

// TestCPUBoundPy2IsSlowerWithTwoThreadsOnSeveralCores checks Beazley's
// table (gil-model.md §2) under its platform, beazley-2010.
func TestCPUBoundPy2IsSlowerWithTwoThreadsOnSeveralCores(t *testing.T) {
	cfg := published(t, "beazley-2010", sim.ModelPy2, func(c *sim.Config) { c.Cores = 4 })
	// Beazley's baseline counted down twice in the main thread, with no
	// thread started: the old GIL did not exist yet.
	sc, err := FromProgram("sequential.py", []byte("def countdown(n):\n    while n > 0:\n        n -= 1\n\ncountdown(3000000)\ncountdown(3000000)\n"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := sc.Parse([]string{"python=2.7"})
	if err != nil {
		t.Fatal(err)
	}
	one, two := elapsed(t, v, cfg), runCPUBound(t, 2, "threads", cfg)
	t.Logf("beazley-2010, py2 on 4 cores: sequential %s, 2 threads %s (%.2fx; published 1.97x)", one, two, float64(two)/float64(one))
	// Beazley measured 15.4 s against 7.8 s (1.97x); accept 1.5x to 2.5x.
	if r := float64(two) / float64(one); !within(r, 1.5, 2.5) {
		t.Errorf("py2 on 4 cores: sequential %s, 2 threads %s: ratio %.2f, want 1.5 to 2.5", one, two, r)
	}
}

func TestCPUBoundProcessesBeatThreadsUnderTheGIL(t *testing.T) {
	cfg := config(sim.ModelPy3, func(c *sim.Config) { c.Cores = 4 })
	// A second of countdown, so that importing multiprocessing (about
	// 19ms under 3.12) and starting the processes weigh little.
	threads, procs := runCountdown(t, 30_000_000, 4, "threads", cfg), runCountdown(t, 30_000_000, 4, "processes", cfg)
	// About 4x: process start-up (fork, then the child's boot) costs a few ms.
	if s := float64(threads) / float64(procs); !within(s, 3.4, 4.05) {
		t.Errorf("4 threads %s, 4 processes %s: speedup %.2f, want 3.4 to 4.05", threads, procs, s)
	}
}

func TestIOBoundThreadsOverlapUnderEveryModel(t *testing.T) {
	for _, m := range sim.Models() {
		one := elapsed(t, values(t, "io-bound", "threads=1"), config(m))
		v := values(t, "io-bound", "threads=4")
		s := run(t, v, config(m))
		// Four times the requests in about the same time: within 10%.
		if four := s.Now().Duration(); float64(four) > 1.1*float64(one) {
			t.Errorf("%s: 4 threads took %s, 1 thread %s: the waits do not overlap", m, four, one)
		}
		if o := figure(t, v, s.Metrics(), "io_overlap"); o < 3.6 {
			t.Errorf("%s: I/O overlap %.2fx, want at least 3.6x with 4 threads", m, o)
		}
	}
}

// convoyRun runs the convoy at a switch interval on the platform of
// Skvortsov's table, skvortsov-2021, and returns its metrics.
func convoyRun(t *testing.T, interval time.Duration, settings ...string) sim.Metrics {
	t.Helper()
	s := run(t, values(t, "convoy", settings...), published(t, "skvortsov-2021", sim.ModelPy3, func(c *sim.Config) { c.SwitchInterval = interval }))
	m := s.Metrics()
	if m.Outcome != sim.OutcomeCompleted || m.Requests.Count == 0 {
		t.Fatalf("convoy %v at %s: outcome %s, %d requests", settings, interval, m.Outcome, m.Requests.Count)
	}
	return m
}

func TestConvoyLatencyFollowsTheSwitchInterval(t *testing.T) {
	for _, iv := range []time.Duration{5 * time.Millisecond, time.Millisecond} {
		r := convoyRun(t, iv).Requests
		// A request needs the GIL back twice, after recv and after send, and
		// each time the CPU thread has taken it meanwhile: the server waits
		// an interval (plus the time to reach a check point and wake up)
		// for each. p99 between 1 and 2.5 intervals, as in Skvortsov's
		// measurement (100 requests/s at 5ms: two intervals a request).
		if !within(r.P99.Duration(), iv, iv*5/2) {
			t.Errorf("at %s: p99 latency %s, want between %s and %s", iv, r.P99, iv, iv*5/2)
		}
		// Most requests wait: the mean is at least an interval.
		if r.Mean.Duration() < iv {
			t.Errorf("at %s: mean latency %s, want at least %s", iv, r.Mean, iv)
		}
	}
	alone := convoyRun(t, 5*time.Millisecond, "cpu_threads=0").Requests
	// Without a CPU-bound thread a round trip is tens of µs.
	if alone.P99.Duration() > 100*time.Microsecond {
		t.Errorf("without CPU threads p99 latency is %s, want under 100µs", alone.P99)
	}
}

// TestEchoClientRoundTripIsTheEchosDelay: the echo answers delay after
// the send began, so with nobody else wanting the GIL a round trip is
// delay (plus the Python of the loop); when the send outlasts it the
// recv still costs its syscall. Beside a CPU-bound thread it takes
// switch intervals.
func TestEchoClientRoundTripIsTheEchosDelay(t *testing.T) {
	us := time.Microsecond
	for _, c := range []struct {
		settings []string
		model    sim.Model
		want     time.Duration
	}{
		{nil, sim.ModelFreeThreaded, 50 * us},
		{[]string{"use=processes"}, sim.ModelPy3, 50 * us},
		{[]string{"cpu_threads=0", "delay=200us", "send=30us"}, sim.ModelPy3, 200 * us},
		{[]string{"cpu_threads=0", "delay=5us", "send=10us"}, sim.ModelPy3, 11 * us},
	} {
		r := run(t, values(t, "echo-client", c.settings...), config(c.model)).Metrics().Requests
		if r.Count != 100 || !within(r.P50.Duration(), c.want, c.want+us) || !within(r.P99.Duration(), c.want, c.want+us) {
			t.Errorf("%v under %s: %d round trips, p50 %s, p99 %s; want 100 of %s", c.settings, c.model, r.Count, r.P50, r.P99, c.want)
		}
	}
	r := run(t, values(t, "echo-client"), config(sim.ModelPy3)).Metrics().Requests
	if iv := sim.DefaultConfig().SwitchInterval; r.P50.Duration() < iv {
		t.Errorf("beside a CPU-bound thread: p50 %s, want at least a %s interval", r.P50, iv)
	}
}

// TestConvoyHasTheShapeOfTheSkvortsovTable checks gil-model.md §6 in
// shape, under its platform, skvortsov-2021 (convoyRun): more CPU
// threads, fewer requests per second; a smaller interval, more; CPU-bound
// processes instead of threads, about as many as with none.
func TestConvoyHasTheShapeOfTheSkvortsovTable(t *testing.T) {
	rps := func(iv time.Duration, settings ...string) float64 {
		return convoyRun(t, iv, settings...).Requests.PerSecond
	}
	for _, iv := range []time.Duration{5 * time.Millisecond, time.Millisecond} {
		none := rps(iv, "cpu_threads=0")
		prev := none
		for _, n := range []int{1, 2, 4} {
			got := rps(iv, fmt.Sprint("cpu_threads=", n))
			// Each added group of CPU threads cuts the rate by 1.3x or more
			// (the table: 300x from none to one, then 1.5x to 2x).
			want := prev / 1.3
			if n == 1 {
				want = prev / 10
			}
			if got > want {
				t.Errorf("at %s with %d CPU threads: %.0f requests/s, want at most %.0f (previous %.0f)", iv, n, got, want, prev)
			}
			prev = got
		}
	}
	for _, n := range []int{1, 2, 4} {
		slow, fast := rps(5*time.Millisecond, fmt.Sprint("cpu_threads=", n)), rps(time.Millisecond, fmt.Sprint("cpu_threads=", n))
		// The table gains 5x to 7x from 5 ms to 1 ms; want at least 3x.
		if fast < 3*slow {
			t.Errorf("%d CPU threads: %.0f requests/s at 1ms against %.0f at 5ms, want at least 3x", n, fast, slow)
		}
	}
	alone := convoyRun(t, 5*time.Millisecond, "cpu_threads=0").Requests
	// With processes on 4 cores the server keeps its pace, even with as
	// many CPU-bound processes as cores: waking from I/O, it preempts one.
	for _, n := range []int{1, 2, 4} {
		threads := rps(5*time.Millisecond, fmt.Sprint("cpu_threads=", n))
		r := convoyRun(t, 5*time.Millisecond, fmt.Sprint("cpu_threads=", n), "use=processes").Requests
		if r.PerSecond < 20*threads || r.P90 > alone.P90*11/10 {
			t.Errorf("%d CPU processes: %.0f requests/s, p90 latency %s; want 20x the %.0f of threads, and p90 within 10%% of %s (none)",
				n, r.PerSecond, r.P90, threads, alone.P90)
		}
		// With a core to spare the server never waits for one. With as
		// many CPU-bound processes as cores, a round trip or two early on
		// waits for a core: the server has had the CPU of importing
		// multiprocessing (19ms under 3.12), and the engine's wake-up
		// preemption weighs the CPU each thread has had since it started,
		// so the new processes are not yet far enough behind it.
		if n < 4 && r.PerSecond < 0.9*alone.PerSecond {
			t.Errorf("%d CPU processes: %.0f requests/s, want at least 90%% of %.0f (none)", n, r.PerSecond, alone.PerSecond)
		}
	}
}

// runCounterRace runs counter-race and returns its final, expected and lost
// figures and the number of GIL handoffs forced by the interval.
func runCounterRace(t *testing.T, m sim.Model, settings ...string) (final, expected, lost float64, forced uint64) {
	t.Helper()
	v := values(t, "counter-race", settings...)
	s := run(t, v, config(m))
	mt := s.Metrics()
	return figure(t, v, mt, "final_counter"), figure(t, v, mt, "expected_counter"), figure(t, v, mt, "lost_updates"), mt.GIL.ByReason[sim.ReasonInterval]
}

func TestCounterRaceLosesUpdatesOnlyWhereCPythonDoes(t *testing.T) {
	for _, m := range sim.Models() {
		// The lock needs no long run to show it loses nothing.
		final, expected, lost, _ := runCounterRace(t, m, "increments=20000", "lock=true")
		if lost != 0 || final != expected {
			t.Errorf("%s with the lock: counter %.0f of %.0f, %.0f lost; want none lost", m, final, expected, lost)
		}
		final, expected, lost, forced := runCounterRace(t, m)
		if lost != expected-final {
			t.Errorf("%s: %.0f lost updates, but the counter is %.0f short", m, lost, expected-final)
		}
		switch m {
		case sim.ModelPy3:
			// Switches do happen inside the loop, but only at its back-edge.
			if lost != 0 || forced < 3 {
				t.Errorf("py3 without the lock: %.0f lost after %d forced switches; want none lost, at least 3 switches", lost, forced)
			}
		case sim.ModelPy2:
			// py2 checks every 100 ticks, between the load and the store too.
			if lost == 0 {
				t.Errorf("py2 without the lock lost no update")
			}
		case sim.ModelFreeThreaded:
			// Without the GIL the threads overlap: a tenth or more goes missing.
			if lost < expected/10 {
				t.Errorf("free-threaded without the lock lost %.0f of %.0f, want at least a tenth", lost, expected)
			}
		}
	}
}

func TestLockContention(t *testing.T) {
	for _, m := range sim.Models() {
		v := values(t, "lock-contention")
		s := run(t, v, config(m))
		mt := s.Metrics()
		// A switch inside the critical section (a countdown from 6,500)
		// followed by a countdown from 1,500 outside, longer than a
		// waiter's wake-up: at least half of the acquires find the lock
		// taken.
		if share := figure(t, v, mt, "contended_share"); share < 0.5 {
			t.Errorf("%s: %.0f%% of acquires contended, want at least half", m, 100*share)
		}
		alone := run(t, values(t, "lock-contention", "threads=1"), config(m))
		if n := figure(t, v, alone.Metrics(), "contended_acquires"); n != 0 {
			t.Errorf("%s: a single thread contended %.0f times", m, n)
		}
		// The lock serialises the critical sections: four-fifths of a
		// worker's countdowns are inside it, so four workers take at
		// least three times as long as one alone, even without the GIL.
		if min := 3 * alone.Metrics().Threads[1].CPU; s.Now() < min {
			t.Errorf("%s: took %s, less than the %s of critical sections in a row", m, s.Now(), min)
		}
	}
}

func TestThreadLockLetsOneWorkerInAtATime(t *testing.T) {
	for _, m := range sim.Models() {
		v := values(t, "thread-lock", "workers=5", "hold=20ms")
		s := run(t, v, config(m))
		if n := figure(t, v, s.Metrics(), "contended_acquires"); n != 4 {
			t.Errorf("%s: %.0f contended acquires, want 4 (every worker but the first)", m, n)
		}
		printed := consoleAt(s, "Worker thread is running...")
		if n := len(printed); n != 5 {
			t.Fatalf("%s: %d workers printed, want 5", m, n)
		}
		// From the first worker's print (after import threading, 2 to 5ms
		// by version): 5 × 20ms in a row, plus under 2ms of wake-ups and
		// Python.
		if got := s.Now().Duration() - printed[0]; !within(got, 100*time.Millisecond, 102*time.Millisecond) {
			t.Errorf("%s: took %s from the first print, want 100ms to 102ms", m, got)
		}
	}
}

func TestStartingAProcessCostsFarMoreThanAThread(t *testing.T) {
	cfg := config(sim.ModelPy3)
	// printed returns how long after the start call began the worker
	// printed: the import before it takes milliseconds (19ms for
	// multiprocessing under 3.12), which a start must not be charged.
	printed := func(id, text string, settings ...string) time.Duration {
		v := values(t, id, settings...)
		s := run(t, v, cfg)
		at := consoleAt(s, text)
		if len(at) != 1 {
			t.Fatalf("%s %v printed %q %d times", id, settings, text, len(at))
		}
		var start sim.Time
		if id == "thread-start" {
			// MainThread lets the GIL go as Thread.start's C code begins.
			for _, e := range s.Trace() {
				if e.Kind == sim.TraceRelease && e.Thread == 0 && e.Reason == sim.ReasonStart {
					start = e.At
					break
				}
			}
		} else {
			// Process.start costs the parent ProcStartParent, then the
			// child starts.
			m, _ := sim.ParseStartMethod(v.Get("start_method"))
			start = s.ProcStartTime(1) - sim.Time(cfg.ProcStartParent[m])
		}
		if start <= 0 {
			t.Fatalf("%s %v: no start call found", id, settings)
		}
		return at[0] - start.Duration()
	}
	// The worker's print comes right after its start-up.
	thread := printed("thread-start", "Worker thread is running...")
	if thread > 500*time.Microsecond {
		t.Errorf("the thread printed %s after its start, want well under 1ms", thread)
	}
	for _, tc := range []struct {
		method string
		lo, hi time.Duration
	}{
		{"fork", time.Millisecond, 10 * time.Millisecond},
		{"forkserver", 10 * time.Millisecond, 30 * time.Millisecond},
		{"spawn", 20 * time.Millisecond, 150 * time.Millisecond},
	} {
		got := printed("process-start", "Worker process is running...", "start_method="+tc.method)
		if !within(got, tc.lo, tc.hi) {
			t.Errorf("%s: the process printed %s after its start, want %s to %s", tc.method, got, tc.lo, tc.hi)
		}
	}
	// 3.1.1 has no join: interpreter shutdown still waits for the thread.
	s := run(t, values(t, "thread-start", "join=false"), config(sim.ModelPy3))
	if s.Outcome() != sim.OutcomeCompleted || len(consoleAt(s, "Worker thread is running...")) != 1 {
		t.Errorf("without join: outcome %s, console %v", s.Outcome(), s.Snapshot().Console)
	}
}

func TestProcessQueueAsWrittenFailsAsCPythonDoes(t *testing.T) {
	for _, m := range sim.Models() {
		s := run(t, values(t, "process-queue"), config(m))
		mt := s.Metrics()
		if mt.Outcome != sim.OutcomeCompleted {
			t.Fatalf("%s: outcome %s, want completed", m, mt.Outcome)
		}
		var stderr []string
		for _, c := range s.Snapshot().Console {
			if c.Stderr {
				stderr = append(stderr, c.Text)
			}
		}
		text := strings.Join(stderr, "\n")
		join := strings.Index(text, "AttributeError: 'Queue' object has no attribute 'join'")
		done := strings.Index(text, "AttributeError: 'Queue' object has no attribute 'task_done'")
		if join < 0 || done < join || !strings.Contains(text, "Process Process-1:") {
			t.Errorf("%s: want the main traceback (join) and then the child's (task_done) on stderr, got:\n%s", m, text)
		}
		if main, child := mt.Procs[0].ExitCode, mt.Procs[1].ExitCode; main != 1 || child != 1 {
			t.Errorf("%s: exit codes main %d, child %d; want 1 and 1", m, main, child)
		}
		if n := len(consoleAt(s, "Worker process is running...")); n != 1 {
			t.Errorf("%s: the worker printed %d times, want once before it died", m, n)
		}
	}
}

func TestProcessQueueFixedDrainsEveryItem(t *testing.T) {
	for _, settings := range [][]string{nil, {"items=40", "count=30000"}} {
		v := values(t, "process-queue-fixed", settings...)
		items := v.Int("items")
		for _, m := range sim.Models() {
			s := run(t, v, config(m))
			mt := s.Metrics()
			q := mt.Queues[0]
			if mt.Outcome != sim.OutcomeCompleted || q.Puts != uint64(items) || q.Gets != uint64(items) || q.Left != 0 {
				t.Errorf("%s %v: outcome %s, %d put, %d got, %d left; want all %d through", m, settings, mt.Outcome, q.Puts, q.Gets, q.Left, items)
			}
			// The producer outruns the worker, whose interpreter is still
			// booting while the items go in.
			if q.HighWater <= 1 {
				t.Errorf("%s %v: queue high-water mark %d, want above 1", m, settings, q.HighWater)
			}
			if n := len(consoleAt(s, "Worker process is running...")); n != items {
				t.Errorf("%s %v: %d items handled, want %d", m, settings, n, items)
			}
			if main, child := mt.Procs[0].ExitCode, mt.Procs[1].ExitCode; main != 0 || child != -15 {
				t.Errorf("%s %v: exit codes main %d, child %d; want 0 and -15 (terminated)", m, settings, main, child)
			}
			// Every version takes more than 20ns a turn of the countdown.
			if min := time.Duration(items*v.Int("count")) * 20 * time.Nanosecond; mt.Threads[len(mt.Threads)-1].CPU.Duration() < min {
				t.Errorf("%s %v: the worker ran %s, less than the %s its countdowns take at least", m, settings, mt.Threads[len(mt.Threads)-1].CPU, min)
			}
		}
	}
}

func TestAsyncioBlockingStallsTheLoop(t *testing.T) {
	for _, m := range sim.Models() {
		v := values(t, "asyncio-blocking")
		sum, _ := asyncioWaits(v)
		s := run(t, v, config(m))
		// From the loop's first step, about the sum of the blocking
		// calls: within 5%.
		if got := s.Now().Duration() - loopStart(t, s); !within(got, sum, sum*105/100) {
			t.Errorf("%s: the loop took %s, want the %s of blocking calls, within 5%%", m, got, sum)
		}
		received := consoleAt(s, "Received 13 out of 13 bytes")
		if len(received) != 3 {
			t.Fatalf("%s: %d clients finished, want 3", m, len(received))
		}
		// The heartbeats, due every 50ms from the start, all wait for the
		// last blocking client.
		for n := 1; n <= heartbeats; n++ {
			at := consoleAt(s, fmt.Sprint("heartbeat ", n))
			if len(at) != 1 || at[0] < received[2] {
				t.Errorf("%s: heartbeat %d at %v, want after the last client (%s)", m, n, at, received[2])
			}
		}
		if mt := s.Metrics(); mt.SlowCallbacks != 3 {
			t.Errorf("%s: %d slow callbacks reported, want one per client (3)", m, mt.SlowCallbacks)
		}
		if !strings.Contains(consoleText(s), "Executing <Task finished name='Task-6' coro=<worker() done, defined at asyncio_blocking.py:8>") {
			t.Errorf("%s: no debug-mode report of the slow step:\n%s", m, consoleText(s))
		}
	}
}

func TestAsyncioNonblockingOverlapsTheWaits(t *testing.T) {
	for _, m := range sim.Models() {
		v := values(t, "asyncio-nonblocking")
		_, longest := asyncioWaits(v)
		s := run(t, v, config(m))
		// From the loop's first step, about the longest single wait:
		// within 5%.
		if got := s.Now().Duration() - loopStart(t, s); !within(got, longest, longest*105/100) {
			t.Errorf("%s: the loop took %s, want the longest wait %s, within 5%%", m, got, longest)
		}
		// Every heartbeat fires on time: BEAT apart, within 1ms.
		beat := v.Duration("delay") / (heartbeats + 1)
		var prev time.Duration
		for n := 1; n <= heartbeats; n++ {
			at := consoleAt(s, fmt.Sprint("heartbeat ", n))
			if len(at) != 1 || n > 1 && !within(at[0]-prev, beat-time.Millisecond, beat+time.Millisecond) {
				t.Errorf("%s: heartbeat %d at %v, previous at %s; want %s apart", m, n, at, prev, beat)
			}
			if len(at) == 1 {
				prev = at[0]
			}
		}
		if n := len(consoleAt(s, "Received 13 out of 13 bytes")); n != 3 {
			t.Errorf("%s: %d clients finished, want 3", m, n)
		}
		if mt := s.Metrics(); mt.SlowCallbacks != 0 {
			t.Errorf("%s: %d slow callbacks, want none", m, mt.SlowCallbacks)
		}
	}
}

func TestAsyncioBasicRunsTheCoroutine(t *testing.T) {
	for _, m := range sim.Models() {
		s := run(t, values(t, "asyncio-basic"), config(m))
		mt := s.Metrics()
		if mt.Outcome != sim.OutcomeCompleted || len(consoleAt(s, "Worker coroutine is running...")) != 1 || len(mt.Loops) != 1 {
			t.Errorf("%s: outcome %s, %d loops, console %q", m, mt.Outcome, len(mt.Loops), consoleText(s))
		}
	}
}

// loopStart returns when the event loop ran its first step, after the
// import of asyncio (61ms under 3.12).
func loopStart(t *testing.T, s *sim.Sim) time.Duration {
	t.Helper()
	for _, e := range s.Trace() {
		if e.Kind == sim.TraceStep {
			return e.At.Duration()
		}
	}
	t.Fatal("the event loop ran no step")
	return 0
}

func consoleText(s *sim.Sim) string {
	var b strings.Builder
	for _, c := range s.Snapshot().Console {
		b.WriteString(c.Text + "\n")
	}
	return b.String()
}
