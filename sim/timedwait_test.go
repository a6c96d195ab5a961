package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/sim/platform"
)

// Playing only the timed waits that matter changes no result: every
// scenario, under every model, at several settings, seeds, intervals and
// platforms, gives the same trace, console and metrics as playing every
// expiry of every timed wait, up to the instant of the 60,000th event of
// the run with every expiry played. Only the number of events differs.
func TestLazyTimedWaitsChangeNothing(t *testing.T) {
	more := map[string][]string{
		"cpu-bound":       {"threads=12", "count=100000"},
		"io-bound":        {"threads=12"},
		"convoy":          {"requests=30", "cpu_threads=4"},
		"echo-client":     {"requests=30", "cpu_threads=3"},
		"lock-contention": {"threads=8", "iterations=10"},
		"counter-race":    {"threads=8", "increments=3000"},
	}
	type setting struct {
		platform string
		iv       time.Duration
		seed     uint64
	}
	var settings []setting
	for _, seed := range []uint64{1, 7, 42} {
		for _, iv := range []time.Duration{5 * time.Millisecond, 300 * time.Microsecond} {
			settings = append(settings, setting{platform.DefaultName, iv, seed})
		}
	}
	settings = append(settings, setting{"beazley-2010", 5 * time.Millisecond, 3}, setting{"skvortsov-2021", time.Millisecond, 5})
	runs := 0
	var played, lazy uint64
	for _, sc := range scenarios.All() {
		sets := [][]string{nil}
		if m, ok := more[sc.ID]; ok {
			sets = append(sets, m)
		}
		for _, set := range sets {
			v, err := sc.Parse(set)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []sim.Model{sim.ModelPy3, sim.ModelPy2, sim.ModelFreeThreaded} {
				for _, st := range settings {
					p, err := platform.Load(st.platform)
					if err != nil {
						t.Fatal(err)
					}
					cfg := sim.DefaultConfig()
					p.Apply(&cfg)
					cfg.Model, cfg.Seed, cfg.SwitchInterval = m, st.seed, st.iv
					a, b, na, nb := runBoth(t, v, cfg)
					if a != b {
						t.Fatalf("%s %v under %s on %s, seed %d, interval %s: the lazy timed waits give another run:\n%s",
							sc.ID, set, m, st.platform, st.seed, st.iv, firstDifference(a, b))
					}
					played, lazy = played+na, lazy+nb
					runs++
				}
			}
		}
	}
	t.Logf("%d runs compared: %d events with every expiry played, %d played lazily", runs, played, lazy)
	if lazy >= played {
		t.Errorf("the lazy timed waits played %d events, no fewer than the %d of playing every expiry", lazy, played)
	}
}

// runBoth simulates v under cfg playing every expiry and lazily, up to
// the instant of the 60,000th event of the first, and returns each run as
// text with its event count.
func runBoth(t *testing.T, v scenarios.Values, cfg sim.Config) (flat, lazy string, nflat, nlazy uint64) {
	t.Helper()
	probe := cfg
	probe.MaxEvents = 60_000
	s, err := v.New(probe)
	if err != nil {
		t.Fatal(err)
	}
	sim.FlatTimeouts(s)
	s.Run()
	until := s.Now()
	if !s.Done() || s.Outcome() == sim.OutcomeLimit {
		until--
	}
	out := [2]string{}
	n := [2]uint64{}
	for i := range out {
		s, err := v.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			sim.FlatTimeouts(s)
		}
		s.AdvanceTo(until)
		var b strings.Builder
		for _, e := range s.Trace() {
			b.WriteString(s.FormatEvent(e) + "\n")
		}
		for _, l := range s.Snapshot().Console {
			fmt.Fprintf(&b, "console %s %d %s\n", l.At, l.Thread, l.Text)
		}
		m := s.Metrics()
		n[i], m.Events = m.Events, 0
		fmt.Fprintf(&b, "%s at %s\n%+v\n", s.Outcome(), s.Now(), m)
		out[i] = b.String()
	}
	return out[0], out[1], n[0], n[1]
}

// firstDifference shows the first line where got differs from want.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d:\n  every expiry: %s\n  lazy:         %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(w), len(g))
}
