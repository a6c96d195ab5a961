package export_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/sim/export"
)

// textRuns are the text timelines kept as golden files: the GIL's main
// stories (no speedup, overlap, convoy, the old GIL, no GIL, processes,
// locks, a queue, an event loop), at the default width and at others.
var textRuns = []struct {
	run
	width int
}{
	{run{id: "cpu-bound", model: sim.ModelPy3}, 0},
	{run{id: "cpu-bound", model: sim.ModelPy2, sets: []string{"count=150000"}}, 0},
	{run{id: "cpu-bound", model: sim.ModelFreeThreaded}, 0},
	{run{id: "cpu-bound", model: sim.ModelPy3, sets: []string{"use=processes"}}, 100},
	{run{id: "io-bound", model: sim.ModelPy3}, 120},
	{run{id: "convoy", model: sim.ModelPy3, sets: []string{"requests=20"}}, 0},
	{run{id: "lock-contention", model: sim.ModelPy3, sets: []string{"iterations=10"}}, 0},
	{run{id: "process-queue-fixed", model: sim.ModelPy3}, 0},
	{run{id: "asyncio-blocking", model: sim.ModelPy3}, export.MinWidth},
}

func TestTextGolden(t *testing.T) {
	for _, tc := range textRuns {
		name := tc.String()
		if tc.width != 0 {
			name += fmt.Sprintf("-w%d", tc.width)
		}
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			opt := export.Options{Title: "Test run — " + tc.String(), Width: tc.width}
			if err := export.Text(&buf, source(t, tc.run), opt); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "text-"+name+".txt", buf.Bytes())
			width := tc.width
			if width == 0 {
				width = export.DefaultWidth
			}
			for i, line := range strings.Split(buf.String(), "\n") {
				if n := utf8.RuneCountInString(line); n > width {
					t.Errorf("line %d is %d columns wide, over %d: %q", i+1, n, width, line)
				}
			}
		})
	}
}

// TestTextRows checks the rows against the run itself: one row per thread
// and GIL, all as wide as the axis, each thread's share of running time
// as the engine counts it.
func TestTextRows(t *testing.T) {
	for _, r := range []run{
		{id: "cpu-bound", model: sim.ModelPy3},
		{id: "cpu-bound", model: sim.ModelFreeThreaded, sets: []string{"threads=3"}},
		{id: "io-bound", model: sim.ModelPy2},
	} {
		t.Run(r.String(), func(t *testing.T) {
			src := source(t, r)
			var buf bytes.Buffer
			if err := export.Text(&buf, src, export.Options{}); err != nil {
				t.Fatal(err)
			}
			ref := finished(t, src)
			m := ref.Metrics()
			lines := strings.Split(buf.String(), "\n")
			ruler := -1
			for i, l := range lines {
				if strings.Contains(l, "+--") {
					ruler = i
					break
				}
			}
			if ruler < 0 {
				t.Fatalf("no axis ruler in\n%s", buf.String())
			}
			start := strings.IndexByte(lines[ruler], '+')
			stop := strings.LastIndexByte(lines[ruler], '+')
			var rows []string
			for _, l := range lines[ruler+1:] {
				if l == "" {
					break
				}
				rows = append(rows, l)
			}
			gils := 0
			if ref.Config().Model.HasGIL() {
				gils = len(ref.Workload().Procs)
			}
			if want := len(m.Threads) + gils; len(rows) != want {
				t.Fatalf("%d rows, want %d threads and %d GIL rows:\n%s", len(rows), len(m.Threads), gils, buf.String())
			}
			for i, row := range rows {
				if len(row) <= stop || row[start] != '|' || row[stop] != '|' {
					t.Errorf("row %q does not line up with the axis %q", row, lines[ruler])
				}
				if gils == 1 && i == 0 {
					continue
				}
				tm := m.Threads[i-gils]
				// A name longer than the label column keeps its start.
				if name := []rune(tm.Name); !strings.Contains(row, tm.Name) && (len(name) <= 16 || !strings.Contains(row, string(name[:15])+"~")) {
					t.Errorf("row %d is %q, want thread %s", i, row, tm.Name)
				}
				want := fmt.Sprintf("run %3.0f%%", 100*float64(tm.CPU)/float64(m.Elapsed))
				if !strings.Contains(row, want) {
					t.Errorf("row %q lacks %q", row, want)
				}
			}
		})
	}
}

func TestTextBadWidth(t *testing.T) {
	src := source(t, run{id: "cpu-bound", model: sim.ModelPy3})
	for _, w := range []int{-1, export.MinWidth - 1, export.MaxWidth + 1} {
		var buf bytes.Buffer
		err := export.Text(&buf, src, export.Options{Width: w})
		if err == nil || !strings.Contains(err.Error(), "width") {
			t.Errorf("width %d: error %v, want one about the width", w, err)
		}
		if buf.Len() != 0 {
			t.Errorf("width %d: wrote %d bytes before failing", w, buf.Len())
		}
	}
}

// TestSourceErrors: every format passes on the source's error, refuses a
// run without a trace, and notices a source that is not deterministic.
func TestSourceErrors(t *testing.T) {
	formats := map[string]func(*bytes.Buffer, export.Source) error{
		"perfetto": func(b *bytes.Buffer, s export.Source) error { return export.Perfetto(b, s, export.Options{}) },
		"svg":      func(b *bytes.Buffer, s export.Source) error { return export.SVG(b, s, export.Options{}) },
		"text":     func(b *bytes.Buffer, s export.Source) error { return export.Text(b, s, export.Options{}) },
	}
	base := source(t, run{id: "cpu-bound", model: sim.ModelPy3})
	boom := errors.New("boom")
	noTrace := func() (*sim.Sim, error) {
		s, err := base()
		if err != nil {
			return nil, err
		}
		c := s.Config()
		c.Trace = false
		return sim.New(c, *s.Workload())
	}
	seed := uint64(0)
	drifting := func() (*sim.Sim, error) {
		s, err := base()
		if err != nil {
			return nil, err
		}
		seed++
		c := s.Config()
		c.Seed = seed
		return sim.New(c, *s.Workload())
	}
	for name, f := range formats {
		var buf bytes.Buffer
		if err := f(&buf, func() (*sim.Sim, error) { return nil, boom }); !errors.Is(err, boom) {
			t.Errorf("%s: error %v, want the source's", name, err)
		}
		if err := f(&buf, noTrace); !errors.Is(err, export.ErrNoTrace) {
			t.Errorf("%s: error %v, want ErrNoTrace", name, err)
		}
		if name != "perfetto" {
			// Only the pictures simulate twice.
			if err := f(&buf, drifting); !errors.Is(err, export.ErrNotDeterministic) {
				t.Errorf("%s: error %v, want ErrNotDeterministic", name, err)
			}
		}
	}
}

// failingWriter accepts n bytes, then fails.
type failingWriter struct{ n int }

var errFull = errors.New("disk full")

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return 0, errFull
	}
	f.n -= len(p)
	return len(p), nil
}

// TestWriteErrors: a writer's error comes back, and a long Perfetto export
// stops soon after it instead of simulating to the end.
func TestWriteErrors(t *testing.T) {
	var made []*sim.Sim
	base := source(t, run{id: "cpu-bound", model: sim.ModelPy2, sets: []string{"count=600000"}})
	src := func() (*sim.Sim, error) {
		s, err := base()
		made = append(made, s)
		return s, err
	}
	for name, f := range map[string]func() error{
		"perfetto": func() error { return export.Perfetto(&failingWriter{n: 1000}, src, export.Options{}) },
		"svg":      func() error { return export.SVG(&failingWriter{n: 1000}, src, export.Options{}) },
		"text":     func() error { return export.Text(&failingWriter{n: 100}, src, export.Options{}) },
	} {
		made = nil
		if err := f(); !errors.Is(err, errFull) {
			t.Errorf("%s: error %v, want the writer's", name, err)
		}
		if name == "perfetto" && made[0].Done() {
			t.Errorf("perfetto went on simulating to the end (%d events) after its writer failed", made[0].Events())
		}
	}
}

// TestStreaming: the exporter drains the trace as it goes, so the
// simulation never holds more than one step's events.
func TestStreaming(t *testing.T) {
	var made []*sim.Sim
	base := source(t, run{id: "cpu-bound", model: sim.ModelPy2, sets: []string{"count=150000"}})
	src := func() (*sim.Sim, error) {
		s, err := base()
		made = append(made, s)
		return s, err
	}
	for name, f := range map[string]func() error{
		"perfetto": func() error { return export.Perfetto(new(bytes.Buffer), src, export.Options{}) },
		"svg":      func() error { return export.SVG(new(bytes.Buffer), src, export.Options{}) },
		"text":     func() error { return export.Text(new(bytes.Buffer), src, export.Options{}) },
	} {
		made = nil
		if err := f(); err != nil {
			t.Fatal(err)
		}
		for _, s := range made {
			if !s.Done() || s.Events() < 10000 || s.TraceLen() != 0 {
				t.Errorf("%s: a simulation of %d events (done %v) still holds %d trace events", name, s.Events(), s.Done(), s.TraceLen())
			}
		}
	}
}

// TestInstantRun: a program that takes no time at all still exports in
// every format.
func TestInstantRun(t *testing.T) {
	w := sim.Workload{
		Source:  "print('hi')",
		Procs:   []sim.ProcSpec{{Name: "MainProcess"}},
		Threads: []sim.ThreadSpec{{Name: "MainThread", Func: "<module>", Code: sim.Print(1, "hi")}},
	}
	src := func() (*sim.Sim, error) { return sim.New(sim.DefaultConfig(), w) }
	if s := finished(t, src); s.Now() != 0 {
		t.Fatalf("the program takes %s, want no time", s.Now())
	}
	var buf bytes.Buffer
	if err := export.Text(&buf, src, export.Options{}); err != nil || !strings.Contains(buf.String(), "elapsed 0s") {
		t.Errorf("text: %v\n%s", err, buf.String())
	}
	buf.Reset()
	if err := export.SVG(&buf, src, export.Options{}); err != nil {
		t.Errorf("svg: %v", err)
	}
	parseSVG(t, buf.Bytes())
	buf.Reset()
	if err := export.Perfetto(&buf, src, export.Options{}); err != nil {
		t.Errorf("perfetto: %v", err)
	}
	var f traceFile
	if err := json.Unmarshal(buf.Bytes(), &f); err != nil {
		t.Errorf("perfetto: %v", err)
	}
}
