package python

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gilsim/gilsim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// compile compiles src under version ver, with constants set.
func compile(t testing.TB, name, src, ver string, set ...string) (sim.Workload, error) {
	t.Helper()
	p, err := Load(name, []byte(src))
	if err != nil {
		return sim.Workload{}, err
	}
	v, err := LookupVersion(ver)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Version: v, Set: map[string]string{}}
	for _, kv := range set {
		k, val, _ := strings.Cut(kv, "=")
		o.Set[k] = val
	}
	return p.Compile(o)
}

// simulate compiles src under ver, with constants set, and runs it to the
// end, checking the engine's invariants every 97 steps.
func simulate(t testing.TB, name, src, ver string, set ...string) *sim.Sim {
	t.Helper()
	w, err := compile(t, name, src, ver, set...)
	if err != nil {
		t.Fatalf("%s under %s: %v", name, ver, err)
	}
	v, _ := LookupVersion(ver)
	cfg := sim.DefaultConfig()
	cfg.Model = v.Model
	cfg.Trace = true
	// The front end's costs are checked on the machine they were measured
	// on: Python at the cost tables' own speed.
	cfg.PythonScale = 1
	s, err := sim.New(cfg, w)
	if err != nil {
		t.Fatalf("%s under %s: the engine refused the workload: %v", name, ver, err)
	}
	last := s.Now()
	for n := 0; s.Step(); n++ {
		if n%97 == 0 {
			if err := s.CheckInvariants(last); err != nil {
				t.Fatalf("%s under %s, event %d: %v", name, ver, s.Events(), err)
			}
		}
		last = s.Now()
		if n > 20_000_000 {
			t.Fatalf("%s under %s: no end after 20 M events", name, ver)
		}
	}
	return s
}

// readFile returns the text of a file the tests run.
func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.FromSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// report is what a run shows that a golden file keeps: how it ended,
// each thread's CPU and what the program printed.
func report(s *sim.Sim) string {
	var b strings.Builder
	m := s.Metrics()
	fmt.Fprintf(&b, "outcome %s at %s, %d events\n", m.Outcome, m.Elapsed, m.Events)
	for _, th := range m.Threads {
		fmt.Fprintf(&b, "thread %s (process %d): CPU %s, waiting for the GIL %s\n", th.Name, th.Proc, th.CPU, th.WaitGIL)
	}
	for _, v := range m.Vars {
		fmt.Fprintf(&b, "variable %s: %d, %d updates lost\n", v.Name, v.Final, v.LostUpdates)
	}
	for _, l := range s.Snapshot().Console {
		fmt.Fprintf(&b, "%s %s| %s\n", l.At, s.ThreadName(l.Thread), l.Text)
	}
	return b.String()
}

// golden compares got with testdata/golden/name, or rewrites it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- want\n%s--- got\n%s", name, want, got)
	}
}
