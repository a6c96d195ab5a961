package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// Queuing the timed waits on their GIL changes no result: every scenario,
// under every model, at several settings and seeds, gives the same trace,
// console, metrics and event count as with every timed wait in the heap,
// over the first 60,000 events of each run.
func TestTimedWaitQueueChangesNothing(t *testing.T) {
	more := map[string][]string{
		"cpu-bound":       {"threads=12", "count=100000"},
		"io-bound":        {"threads=12"},
		"convoy":          {"requests=30", "cpu_threads=4"},
		"echo-client":     {"requests=30", "cpu_threads=3"},
		"lock-contention": {"threads=8", "iterations=10"},
		"counter-race":    {"threads=8", "increments=3000"},
	}
	runs := 0
	for _, sc := range scenarios.All() {
		settings := [][]string{nil}
		if m, ok := more[sc.ID]; ok {
			settings = append(settings, m)
		}
		for _, set := range settings {
			v, err := sc.Parse(set)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []sim.Model{sim.ModelPy3, sim.ModelPy2, sim.ModelFreeThreaded} {
				for _, seed := range []uint64{1, 7, 42} {
					for _, iv := range []time.Duration{5 * time.Millisecond, 300 * time.Microsecond} {
						cfg := sim.DefaultConfig()
						cfg.Model, cfg.Seed, cfg.SwitchInterval, cfg.MaxEvents = m, seed, iv, 60_000
						a, b := runBoth(t, v, cfg)
						if a != b {
							t.Fatalf("%s %v under %s, seed %d, interval %s: the queued timed waits give another run:\n%s",
								sc.ID, set, m, seed, iv, firstDifference(b, a))
						}
						runs++
					}
				}
			}
		}
	}
	t.Logf("%d runs compared", runs)
}

// runBoth simulates v under cfg with the timed waits queued and in the
// heap, and returns each run as text.
func runBoth(t *testing.T, v scenarios.Values, cfg sim.Config) (queued, flat string) {
	t.Helper()
	out := [2]string{}
	for i := range out {
		s, err := v.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			sim.FlatTimeouts(s)
		}
		s.Run()
		var b strings.Builder
		for _, e := range s.Trace() {
			b.WriteString(s.FormatEvent(e) + "\n")
		}
		for _, l := range s.Snapshot().Console {
			fmt.Fprintf(&b, "console %s %d %s\n", l.At, l.Thread, l.Text)
		}
		fmt.Fprintf(&b, "%s at %s after %d events\n%+v\n", s.Outcome(), s.Now(), s.Events(), s.Metrics())
		out[i] = b.String()
	}
	return out[0], out[1]
}

// firstDifference shows the first line where got differs from want.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d:\n  heap:   %s\n  queued: %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(w), len(g))
}
