package export

import (
	"go/parser"
	"go/token"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gilsim/gilsim/sim"
)

// TestGrid: the buckets tile the run, and index finds the bucket whose
// bounds hold an instant, for runs shorter and far longer than the grid.
func TestGrid(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		n   int
		end sim.Time
	}{
		{47, 202_350_000}, {1920, 1}, {1920, 7}, {80, 80}, {3, 1 << 62}, {1000, 3_600_000_000_000},
	} {
		g := grid{n: tc.n, end: tc.end}
		if g.bound(0) != 0 || g.bound(g.n) != g.end {
			t.Errorf("%+v: bounds %s .. %s, want 0 .. %s", tc, g.bound(0), g.bound(g.n), g.end)
		}
		for k := 0; k < g.n; k++ {
			if g.bound(k+1) < g.bound(k) {
				t.Fatalf("%+v: bound %d = %s after bound %d = %s", tc, k+1, g.bound(k+1), k, g.bound(k))
			}
		}
		for range 1000 {
			at := sim.Time(rng.Int64N(int64(tc.end)))
			k := g.index(at)
			if at < g.bound(k) || at >= g.bound(k+1) {
				t.Fatalf("%+v: index(%d) = %d, whose bounds are [%d, %d)", tc, at, k, g.bound(k), g.bound(k+1))
			}
		}
	}
}

// TestStateLane: each bucket gets the state that filled most of it, ties
// go to the GIL's story, and an empty bucket repeats the state of the
// instant.
func TestStateLane(t *testing.T) {
	g := grid{n: 4, end: 40}
	type span struct {
		st       sim.State
		from, to sim.Time
	}
	for _, tc := range []struct {
		name  string
		spans []span
		want  []sim.State
	}{
		{"one state", []span{{sim.StateRunning, 0, 40}}, []sim.State{sim.StateRunning, sim.StateRunning, sim.StateRunning, sim.StateRunning}},
		{"majority", []span{{sim.StateRunning, 0, 14}, {sim.StateWaitGIL, 14, 40}},
			[]sim.State{sim.StateRunning, sim.StateWaitGIL, sim.StateWaitGIL, sim.StateWaitGIL}},
		{"tie goes to waiting for the GIL", []span{{sim.StateRunning, 0, 5}, {sim.StateWaitGIL, 5, 10}, {sim.StateIO, 10, 40}},
			[]sim.State{sim.StateWaitGIL, sim.StateIO, sim.StateIO, sim.StateIO}},
		{"short states lose", []span{{sim.StateIO, 0, 9}, {sim.StateRunning, 9, 10}, {sim.StateIO, 10, 40}},
			[]sim.State{sim.StateIO, sim.StateIO, sim.StateIO, sim.StateIO}},
	} {
		l := newStateLane(g.n)
		var total sim.Time
		for _, s := range tc.spans {
			l.add(g, s.st, s.from, s.to)
			total += s.to - s.from
		}
		l.finish()
		for k, st := range l.cells {
			if st != tc.want[k] {
				t.Errorf("%s: bucket %d is %s, want %s", tc.name, k, st, tc.want[k])
			}
		}
		var sum sim.Time
		for _, d := range l.total {
			sum += d
		}
		if sum != total {
			t.Errorf("%s: lane totals add up to %d, want %d", tc.name, sum, total)
		}
	}
	// A run shorter than the grid: buckets of no length repeat the state.
	short := grid{n: 8, end: 2}
	l := newStateLane(short.n)
	l.add(short, sim.StateRunning, 0, 1)
	l.add(short, sim.StateIO, 1, 2)
	l.finish()
	for k, st := range l.cells {
		if st != sim.StateRunning && st != sim.StateIO {
			t.Errorf("short run: bucket %d is %s", k, st)
		}
	}
}

// TestHolderLane: the GIL lane shows the longest holder, or free when the
// GIL was held for less than half the bucket, and counts handoffs.
func TestHolderLane(t *testing.T) {
	g := grid{n: 4, end: 40}
	l := newHolderLane(g.n)
	l.add(g, 1, 0, 4)   // bucket 0: 1 holds 4 of 10 → free
	l.add(g, 2, 10, 13) // bucket 1: 2 holds 3, 3 holds 4 → 3
	l.add(g, 3, 14, 18)
	l.add(g, 1, 20, 40) // buckets 2, 3: 1
	l.marks.mark(g, 10, sim.ReasonIO)
	l.marks.mark(g, 14, sim.ReasonInterval)
	l.marks.mark(g, 15, sim.ReasonInterval)
	l.marks.mark(g, 20, sim.ReasonExit)
	l.finish(g)
	want := []int32{-1, 3, 1, 1}
	for k, th := range l.cells {
		if th != want[k] {
			t.Errorf("bucket %d: holder %d, want %d", k, th, want[k])
		}
	}
	wantMarks := []sim.Reason{sim.ReasonNone, sim.ReasonInterval, sim.ReasonExit, sim.ReasonNone}
	for k, r := range l.marks.cells {
		if r != wantMarks[k] {
			t.Errorf("bucket %d: handoff mark %s, want %s", k, r, wantMarks[k])
		}
	}
	if l.busy != 31 {
		t.Errorf("busy %d, want 31", l.busy)
	}
}

func TestAppendMicros(t *testing.T) {
	for _, tc := range []struct {
		t    sim.Time
		want string
	}{
		{0, "0"}, {1, "0.001"}, {999, "0.999"}, {1000, "1"}, {1500, "1.5"}, {12_345_678, "12345.678"}, {-2500, "-2.5"},
	} {
		if got := string(appendMicros(nil, tc.t)); got != tc.want {
			t.Errorf("appendMicros(%d) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestAxisLabels(t *testing.T) {
	for _, tc := range []struct {
		end   sim.Time
		ticks int
		step  sim.Time
		label string // of the second tick
	}{
		{202_350_000, 5, 50_000_000, "50ms"},
		{1_518_000_000, 8, 200_000_000, "200ms"},
		{2_892_000, 6, 500_000, "500µs"},
		{9_000_000_000, 4, 5_000_000_000, "5s"},
		{7, 10, 1, "1ns"},
	} {
		step := niceStep(tc.end, tc.ticks)
		if step != tc.step || axisLabel(step, step) != tc.label {
			t.Errorf("niceStep(%s, %d) = %s labelled %q, want %s labelled %q", tc.end, tc.ticks, step, axisLabel(step, step), tc.step, tc.label)
		}
	}
	// Every tick of an axis is in its step's unit.
	if got := axisLabel(1_500_000_000, 500_000_000); got != "1500ms" {
		t.Errorf("axisLabel(1.5s, step 500ms) = %q, want 1500ms", got)
	}
}

// TestImports: the package stays under sim's rule, standard library and
// sim only, so that no user-interface package can creep in through it.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if strings.Contains(first, ".") && path != "github.com/gilsim/gilsim/sim" {
				t.Errorf("%s imports %s: only the standard library and sim are allowed", name, path)
			}
		}
	}
}
