package export_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/sim/export"
)

// TestStop: Options.Stop reaches every simulation loop of every format,
// the pictures' first pass (which writes nothing) included: the export
// gives up within a few thousand events of Stop saying so, and returns
// its error.
func TestStop(t *testing.T) {
	errStop := errors.New("stop")
	base := source(t, run{id: "cpu-bound", model: sim.ModelPy2, sets: []string{"count=6000000"}})
	formats := map[string]func(io.Writer, export.Source, export.Options) error{
		"perfetto": export.Perfetto, "svg": export.SVG, "text": export.Text,
	}
	for name, f := range formats {
		for _, after := range []int{0, 1, 5} {
			var made []*sim.Sim
			src := func() (*sim.Sim, error) {
				s, err := base()
				made = append(made, s)
				return s, err
			}
			asked := 0
			stop := func() error {
				asked++
				if asked > after {
					return errStop
				}
				return nil
			}
			var buf bytes.Buffer
			if err := f(&buf, src, export.Options{Stop: stop}); !errors.Is(err, errStop) {
				t.Errorf("%s, stop after %d looks: error %v, want Stop's", name, after, err)
			}
			for _, s := range made {
				if s.Done() || s.Events() > 10_000 {
					t.Errorf("%s, stop after %d looks: a pass went on to %d events (done %v)", name, after, s.Events(), s.Done())
				}
			}
			if name != "perfetto" && buf.Len() > 0 {
				t.Errorf("%s: wrote %d bytes before stopping", name, buf.Len())
			}
		}
	}
}

// TestLimitNamed: a run stopped by a guard says which one, in every
// format.
func TestLimitNamed(t *testing.T) {
	base := source(t, run{id: "cpu-bound", model: sim.ModelPy3})
	limited := func(events uint64, at time.Duration) export.Source {
		return func() (*sim.Sim, error) {
			s, err := base()
			if err != nil {
				return nil, err
			}
			c := s.Config()
			c.Trace, c.MaxEvents, c.MaxTime = true, events, at
			return sim.New(c, *s.Workload())
		}
	}
	for _, tc := range []struct {
		name      string
		src       export.Source
		text, key string
	}{
		{"events", limited(50, 0), "stopped at the event limit", `"stopped_by":"event limit"`},
		{"time", limited(0, 10*time.Millisecond), "stopped at the time limit (10.000ms of virtual time)", `"stopped_by":"time limit"`},
		{"both, time first", limited(1_000_000, 10*time.Millisecond), "stopped at the time limit", `"stopped_by":"time limit"`},
	} {
		var txt, svg, trace bytes.Buffer
		if err := export.Text(&txt, tc.src, export.Options{}); err != nil {
			t.Fatal(err)
		}
		if err := export.SVG(&svg, tc.src, export.Options{}); err != nil {
			t.Fatal(err)
		}
		if err := export.Perfetto(&trace, tc.src, export.Options{}); err != nil {
			t.Fatal(err)
		}
		for format, got := range map[string]string{"text": txt.String(), "svg": svg.String()} {
			if !strings.Contains(got, tc.text) || strings.Contains(got, "event or time") {
				t.Errorf("%s: the %s export does not say %q", tc.name, format, tc.text)
			}
		}
		if !strings.Contains(trace.String(), tc.key) {
			t.Errorf("%s: the trace's otherData has no %s", tc.name, tc.key)
		}
	}
	var trace bytes.Buffer
	if err := export.Perfetto(&trace, base, export.Options{}); err != nil || strings.Contains(trace.String(), "stopped_by") {
		t.Errorf("a completed run's trace names a limit (%v)", err)
	}
}
