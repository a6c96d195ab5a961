package export_test

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/sim/export"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// run names one scenario run: a scenario, a model and parameter settings.
type run struct {
	id    string
	model sim.Model
	sets  []string
}

func (r run) String() string {
	s := r.id + "-" + r.model.String()
	for _, kv := range r.sets {
		s += "-" + strings.NewReplacer("=", "-").Replace(kv)
	}
	return s
}

// source makes the export source of r, failing the test on bad settings.
func source(t testing.TB, r run) export.Source {
	t.Helper()
	sc, err := scenarios.Lookup(r.id)
	if err != nil {
		t.Fatal(err)
	}
	v, err := sc.Parse(r.sets)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sim.DefaultConfig()
	cfg.Model = r.model
	return func() (*sim.Sim, error) { return v.New(cfg) }
}

// finished runs a fresh simulation of src to its end, keeping its whole
// trace: what the export is checked against.
func finished(t testing.TB, src export.Source) *sim.Sim {
	t.Helper()
	s, err := src()
	if err != nil {
		t.Fatal(err)
	}
	s.Run()
	return s
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./sim/export -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs (go test ./sim/export -update rewrites it after you have checked the change):\n%s", path, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first line where want and got differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return "(no line differs)"
}
