package scenarios

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gilsim/gilsim/sim"
)

// FuzzChoose gives Choose a fuzzed scenario name or section and fuzzed
// --set values (NUL-separated). It must not panic; a refusal is a one-line
// error of a known kind; accepted values are canonical (choosing them again
// gives the same settings) and build a program that runs.
func FuzzChoose(f *testing.F) {
	f.Add("cpu-bound", "threads=8\x00work=1ms")
	f.Add("3.1.1", "join=true")
	f.Add("counter-race", "threads=1_000\x00increments=+3\x00lock=TRUE")
	f.Add("counter-race", "threads=1000\x00increments=500")
	f.Add("lock-contention", "threads=50\x00iterations=20\x00critical=2_000")
	f.Add("convoy", "requests=10\x00use=processes\x00io=0.5ns")
	f.Add("asyncio-blocking", "clients=1\x00delay=1m")
	f.Add("process-start", "start_method=forkserver")
	f.Add("4.2", "workers=0")
	f.Add("thread-lock", "hold=\x00=1\x00workers")
	f.Add("io-bound", "threads=10000\x00ops=100000\x00io=1us")
	f.Add("io-bound", "threads=1000\x00ops=100\x00io=100us")
	f.Add("echo-client", "requests=1000000\x00delay=1us\x00send=1s\x00use=processes")
	f.Fuzz(func(t *testing.T, name, sets string) {
		var list []string
		if sets != "" {
			list = strings.Split(sets, "\x00")
		}
		v, err := Choose(name, list)
		if err != nil {
			if !errors.Is(err, ErrBadParam) && !errors.Is(err, ErrUnknownScenario) {
				t.Errorf("Choose(%q, %q): an error of no known kind: %v", name, list, err)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("Choose(%q, %q): the error spans lines: %q", name, list, err)
			}
			return
		}
		again, err := Choose(v.Scenario().ID, v.Settings())
		if err != nil {
			t.Fatalf("the accepted settings %q are refused: %v", v.Settings(), err)
		}
		if !slices.Equal(again.Settings(), v.Settings()) {
			t.Errorf("settings %q read back as %q", v.Settings(), again.Settings())
		}
		cfg := sim.DefaultConfig()
		cfg.MaxEvents = 2000
		s, err := v.New(cfg)
		if err != nil {
			t.Fatalf("%s with %q does not build: %v", v.Scenario().ID, v.Settings(), err)
		}
		for last := s.Now(); s.Step(); last = s.Now() {
			if err := s.CheckInvariants(last); err != nil {
				t.Fatalf("%s with %q: %v", v.Scenario().ID, v.Settings(), err)
			}
		}
	})
}
