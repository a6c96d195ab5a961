package scenarios

import (
	"strings"
	"testing"

	"github.com/gilsim/gilsim/sim"
)

func TestVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sets  []string
		model sim.Model
		want  string
	}{
		{"cpu-bound", nil, sim.ModelPy3, "4 threads, each counting down from 1,000,000, took 218.710ms: parallelism 0.99x"},
		{"cpu-bound", []string{"use=processes"}, sim.ModelPy3, "4 processes, each counting down from 1,000,000, took 87.294ms: parallelism 2.84x"},
		{"io-bound", nil, sim.ModelPy3, "I/O overlap 3.66x: 40 requests of 10ms took 109.394ms, not 400ms"},
		{"convoy", nil, sim.ModelPy3, "100 requests at 329/s, p50 latency 5.104ms"},
		{"convoy", []string{"use=processes"}, sim.ModelPy3, "100 requests at 28,354/s, p50 latency 35.2µs"},
		{"echo-client", nil, sim.ModelPy3, "100 requests at 269/s, p50 latency 5.132ms"},
		{"lock-contention", nil, sim.ModelPy3, "88% of acquires found the lock taken (175 of 200)"},
		{"counter-race", nil, sim.ModelPy3, "All 800,000 increments counted"},
		{"counter-race", nil, sim.ModelFreeThreaded, "582,213 of 800,000 increments lost: counter ends at 217,787"},
		{"thread-start", nil, sim.ModelPy3, "Thread-1 (worker) started, printed and was joined; the program took 7.970ms"},
		{"3.1.1", nil, sim.ModelPy3, "Thread-1 (worker) started and printed, and interpreter shutdown waited for it; the program took 7.860ms"},
		{"thread-lock", nil, sim.ModelPy3, "75% of acquires found the lock taken (3 of 4): 4 workers holding it 10ms each took 48.664ms"},
		{"process-start", nil, sim.ModelPy3, "Process-1 booted in 1.360ms (fork) and printed; the program took 32.800ms"},
		{"process-queue", nil, sim.ModelPy3, "Failed: 2 processes died of AttributeError (MainProcess and Process-1)"},
		{"process-queue-fixed", nil, sim.ModelPy3, "10 items went through q, at most 10 waiting at once; the program took 111.251ms"},
		{"asyncio-basic", nil, sim.ModelPy3, "The coroutine ran as a task on the event loop (1 loop iteration); the program took 99.589ms"},
		{"asyncio-blocking", nil, sim.ModelPy3, "3 slow callbacks; heartbeats up to 703.176ms late; I/O overlap 1.00x"},
		{"asyncio-nonblocking", nil, sim.ModelPy3, "No slow callback; heartbeats on time (at most 28.8µs late); I/O overlap 3.00x"},
	} {
		v := choose(t, tc.name, tc.sets...)
		if got := v.Verdict(run(t, v, config(tc.model)).Metrics()); got != tc.want {
			t.Errorf("%s %v under %s:\n got %s\nwant %s", tc.name, tc.sets, tc.model, got, tc.want)
		}
	}
}

// TestEveryRunHasAVerdict: every scenario under every model ends with a
// sentence, and a run that has not ended has none.
func TestEveryRunHasAVerdict(t *testing.T) {
	for _, sc := range All() {
		for _, v := range variants(t, sc, quick[sc.ID]...) {
			for _, m := range sim.Models() {
				got := v.Verdict(run(t, v, config(m)).Metrics())
				if got == "" || strings.Contains(got, "%!") || strings.Contains(got, "?") || strings.Contains(got, "\n") {
					t.Errorf("%s %v under %s: verdict %q", sc.ID, v.Settings(), m, got)
				}
			}
		}
		s, err := sc.Defaults().New(config(sim.ModelPy3))
		if err != nil {
			t.Fatal(err)
		}
		s.Step()
		if got := sc.Defaults().Verdict(s.Metrics()); got != "" {
			t.Errorf("%s: a run just begun has the verdict %q", sc.ID, got)
		}
	}
	v := choose(t, "cpu-bound")
	stopped := run(t, v, config(sim.ModelPy3, func(c *sim.Config) { c.MaxEvents = 10 }))
	if got, want := v.Verdict(stopped.Metrics()), "Stopped by a limit at "; !strings.HasPrefix(got, want) {
		t.Errorf("a run stopped by a limit: %q, want %q...", got, want)
	}
}

// TestLiveFigures: the figures that mean something before the run ends
// say so, and those measured against the planned total (or that are the
// plan itself, such as the expected count) do not.
func TestLiveFigures(t *testing.T) {
	live := map[string]bool{
		"parallelism": false, "io_overlap": false, "final_counter": false,
		"p50_latency": true, "p99_latency": true, "requests_per_second": true,
		"contended_acquires": true, "contended_share": true, "expected_counter": false, "lost_updates": true,
		"queue_high_water": true, "items_done": true, "slow_callbacks": true,
	}
	for _, sc := range All() {
		v := sc.Defaults()
		for _, f := range v.Figures(run(t, v, config(sim.ModelPy3)).Metrics()) {
			want, ok := live[f.Key]
			if !ok {
				t.Errorf("%s: figure %s is not in this test's table", sc.ID, f.Key)
			}
			if f.Live != want {
				t.Errorf("%s: figure %s has Live %v, want %v", sc.ID, f.Key, f.Live, want)
			}
		}
	}
}
