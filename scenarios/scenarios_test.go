package scenarios

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gilsim/gilsim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden traces in testdata")

// values looks up a scenario and parses settings for it.
func values(t *testing.T, id string, settings ...string) Values {
	t.Helper()
	sc, err := Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	v, err := sc.Parse(settings)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// config is the default configuration under model m, changed by mods.
func config(m sim.Model, mods ...func(*sim.Config)) sim.Config {
	cfg := sim.DefaultConfig()
	cfg.Model = m
	for _, f := range mods {
		f(&cfg)
	}
	return cfg
}

// run simulates v under cfg to the end.
func run(t *testing.T, v Values, cfg sim.Config) *sim.Sim {
	t.Helper()
	s, err := v.New(cfg)
	if err != nil {
		t.Fatalf("%s %v: %v", v.Scenario().ID, v.Settings(), err)
	}
	s.Run()
	return s
}

// runChecked simulates v under cfg to the end, checking the engine's
// invariants after every step.
func runChecked(t *testing.T, v Values, cfg sim.Config) *sim.Sim {
	t.Helper()
	s, err := v.New(cfg)
	if err != nil {
		t.Fatalf("%s %v: %v", v.Scenario().ID, v.Settings(), err)
	}
	var last sim.Time
	for s.Step() {
		if err := s.CheckInvariants(last); err != nil {
			t.Fatalf("%s %v under %s, after event %d at %s: %v", v.Scenario().ID, v.Settings(), cfg.Model, s.Events(), s.Now(), err)
		}
		last = s.Now()
	}
	return s
}

// variants returns a scenario's values with settings, plus its processes
// variant when it has one.
func variants(t *testing.T, sc *Scenario, settings ...string) []Values {
	t.Helper()
	out := []Values{values(t, sc.ID, settings...)}
	if sc.Processes != "" {
		out = append(out, values(t, sc.ID, append(slices.Clone(settings), "use="+sc.Processes)...))
	}
	return out
}

// quick holds settings that keep the heavier scenarios to tens of
// thousands of events, for the tests that check every step.
var quick = map[string][]string{
	"cpu-bound":       {"count=200000"},
	"convoy":          {"requests=20"},
	"lock-contention": {"iterations=20"},
	"counter-race":    {"increments=5000"},
}

func TestEveryScenarioRunsUnderEveryModelWithInvariants(t *testing.T) {
	for _, sc := range All() {
		for _, v := range variants(t, sc, quick[sc.ID]...) {
			for _, m := range sim.Models() {
				t.Run(fmt.Sprintf("%s%v/%s", sc.ID, v.Settings(), m), func(t *testing.T) {
					mt := runChecked(t, v, config(m)).Metrics()
					if mt.Outcome != sim.OutcomeCompleted {
						t.Fatalf("outcome %s, want completed; blocked: %+v", mt.Outcome, mt.Blocked)
					}
					for _, f := range v.Figures(mt) {
						if f.Key == "" || f.Label == "" || f.Value == "" || f.Number != f.Number {
							t.Errorf("figure %+v is incomplete", f)
						}
					}
				})
			}
		}
	}
}

func TestEveryScenarioIsDescribed(t *testing.T) {
	ids := map[string]bool{}
	sections := map[string]string{}
	for _, sc := range All() {
		if ids[sc.ID] {
			t.Errorf("id %s is used twice", sc.ID)
		}
		ids[sc.ID] = true
		for _, sec := range sc.Sections {
			if other, ok := sections[sec]; ok {
				t.Errorf("section %s is an alias of both %s and %s", sec, other, sc.ID)
			}
			sections[sec] = sc.ID
		}
		if sc.Title == "" || sc.Summary == "" || sc.Notice == "" || strings.Contains(sc.Summary, "\n") {
			t.Errorf("%s: title, one-line summary and notice are all required", sc.ID)
		}
		if sc.build == nil {
			t.Errorf("%s has no workload", sc.ID)
		}
		for _, p := range sc.Params {
			if p.Help == "" {
				t.Errorf("%s: parameter %s has no help", sc.ID, p.Name)
			}
			if canon, err := p.check(p.Default); err != nil || canon != p.Default {
				t.Errorf("%s: parameter %s: default %q is not in canonical form (%q, %v)", sc.ID, p.Name, p.Default, canon, err)
			}
		}
		if sc.Processes != "" {
			if p, ok := sc.Param("use"); !ok || !slices.Contains(p.Choices, sc.Processes) {
				t.Errorf("%s: processes variant %q is not a choice of its use parameter", sc.ID, sc.Processes)
			}
		}
	}
}

// TestOpsPointAtSource checks that every op of every thread and task
// stands for a line of the scenario's Python source that has code on it.
func TestOpsPointAtSource(t *testing.T) {
	for _, sc := range All() {
		for _, v := range variants(t, sc) {
			w := v.Workload()
			lines := strings.Split(w.Source, "\n")
			check := func(who string, code sim.Code) {
				for i, op := range code {
					n := int(op.Line)
					if n < 1 || n > len(lines) || strings.TrimSpace(lines[n-1]) == "" || strings.HasPrefix(strings.TrimSpace(lines[n-1]), "#") {
						t.Errorf("%s %v: %s op %d (%s) points at line %d, which holds no code", sc.ID, v.Settings(), who, i, op.Kind, n)
					}
				}
			}
			for _, th := range w.Threads {
				check(th.Name, th.Code)
			}
			for _, tk := range w.Tasks {
				check(tk.Name, tk.Code)
			}
			if v.UsesProcesses() && len(w.Procs) < 2 {
				t.Errorf("%s: the processes variant starts no process", sc.ID)
			}
		}
	}
}

func TestRunsAreDeterministic(t *testing.T) {
	for _, sc := range All() {
		for _, v := range variants(t, sc, quick[sc.ID]...) {
			for _, m := range sim.Models() {
				t.Run(fmt.Sprintf("%s%v/%s", sc.ID, v.Settings(), m), func(t *testing.T) {
					a, b := run(t, v, config(m)), run(t, v, config(m))
					ta, tb := formatTrace(a), formatTrace(b)
					if !slices.Equal(ta, tb) {
						for i := range min(len(ta), len(tb)) {
							if ta[i] != tb[i] {
								t.Fatalf("traces differ at event %d:\n%s\n%s", i, ta[i], tb[i])
							}
						}
						t.Fatalf("traces differ in length: %d and %d events", len(ta), len(tb))
					}
					if ma, mb := a.Metrics(), b.Metrics(); !reflect.DeepEqual(ma, mb) {
						t.Fatalf("metrics differ:\n%+v\n%+v", ma, mb)
					}
				})
			}
		}
	}
}

func formatTrace(s *sim.Sim) []string {
	var out []string
	for _, e := range s.Trace() {
		out = append(out, s.FormatEvent(e))
	}
	for _, c := range s.Snapshot().Console {
		stream := "stdout"
		if c.Stderr {
			stream = "stderr"
		}
		out = append(out, fmt.Sprintf("%10s  %-18s %s: %s", sim.Time(c.At), s.ThreadName(c.Thread), stream, c.Text))
	}
	return out
}

// golden lists the runs whose traces are kept in testdata: every scenario
// at its defaults under py3, except where the defaults make a trace too
// long to review; those use the settings named in the file name.
var golden = []struct {
	id       string
	settings []string
}{
	{"cpu-bound", nil},
	{"cpu-bound", []string{"use=processes"}},
	{"io-bound", []string{"threads=2", "ops=3"}},
	{"convoy", []string{"requests=10"}},
	{"convoy", []string{"requests=10", "use=processes"}},
	{"echo-client", []string{"requests=10"}},
	{"lock-contention", []string{"threads=2", "iterations=30"}},
	{"counter-race", nil},
	{"counter-race", []string{"threads=2", "increments=3", "lock=true"}},
	{"thread-start", nil},
	{"thread-lock", nil},
	{"process-start", nil},
	{"process-start", []string{"start_method=spawn"}},
	{"process-queue", nil},
	{"process-queue-fixed", nil},
	{"asyncio-basic", nil},
	{"asyncio-blocking", nil},
	{"asyncio-nonblocking", nil},
}

func TestGoldenTraces(t *testing.T) {
	covered := map[string]bool{}
	for _, g := range golden {
		covered[g.id] = true
		name := g.id
		if len(g.settings) > 0 {
			name += "@" + strings.Join(g.settings, ",")
		}
		t.Run(name, func(t *testing.T) {
			v := values(t, g.id, g.settings...)
			s := run(t, v, config(sim.ModelPy3))
			var b strings.Builder
			fmt.Fprintf(&b, "# gilsim run %s", g.id)
			for _, kv := range g.settings {
				b.WriteString(" --set " + kv)
			}
			fmt.Fprintf(&b, "  (py3, 4 cores, 5ms switch interval, seed 1)\n# every trace event, then the console\n")
			for _, l := range formatTrace(s) {
				b.WriteString(l + "\n")
			}
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./scenarios -update to create it)", err)
			}
			if got := b.String(); got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := range min(len(gl), len(wl)) {
					if gl[i] != wl[i] {
						t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test ./scenarios -update if the change is intended)", path, i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("%s: got %d lines, want %d (run go test ./scenarios -update if the change is intended)", path, len(gl), len(wl))
			}
		})
	}
	for _, sc := range All() {
		if !covered[sc.ID] {
			t.Errorf("%s has no golden trace", sc.ID)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"cpu-bound", "cpu-bound"},
		{"convoy", "convoy"},
		{"3.1.1", "thread-start"},
		{"4.1", "thread-start"},
		{"3.1.2", "thread-lock"},
		{"3.2.1", "process-start"},
		{"4.2", "process-start"},
		{"3.2.2", "process-queue"},
		{"3.3.2", "asyncio-basic"},
		{"4.3", "asyncio-basic"},
		{"3.3.3", "asyncio-blocking"},
	} {
		sc, err := Lookup(tc.name)
		if err != nil || sc.ID != tc.want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", tc.name, sc, err, tc.want)
		}
	}
	_, err := Lookup("no-such-thing")
	if !errors.Is(err, ErrUnknownScenario) {
		t.Fatalf("Lookup of an unknown name: %v, want ErrUnknownScenario", err)
	}
	for _, id := range IDs() {
		if !strings.Contains(err.Error(), id) {
			t.Errorf("the unknown-scenario error %q does not list %s", err, id)
		}
	}
}

func TestParseRejectsBadSettings(t *testing.T) {
	for _, tc := range []struct {
		id, setting string
		accepted    string // what the message must name
	}{
		{"cpu-bound", "bogus=1", "threads, count, use, python"},
		{"thread-start", "workers=2", "join"},
		// The article's code has no constant: python is the one parameter.
		{"asyncio-basic", "x=1", `has no parameter "x" (accepted: python)`},
		// asyncio needs Python 3, so 2.7 is no choice.
		{"asyncio-basic", "python=2.7", "one of auto, 3.9, 3.11"},
		{"cpu-bound", "threads", "not key=value"},
		{"cpu-bound", "threads=many", "a whole number from 1 to 10000"},
		{"cpu-bound", "threads=0", "a whole number from 1 to 10000"},
		{"cpu-bound", "threads=10001", "a whole number from 1 to 10000"},
		{"io-bound", "io=fast", "a duration from"},
		{"io-bound", "io=5", "such as 5ms or 250us"},
		{"io-bound", "io=-1ms", "a duration from"},
		{"cpu-bound", "python=3.7", "one of auto, 2.7, 3.9"},
		{"counter-race", "lock=maybe", "true or false"},
		{"convoy", "use=fibers", "one of threads, processes"},
		{"process-start", "start_method=vfork", "one of fork, spawn, forkserver"},
	} {
		sc, err := Lookup(tc.id)
		if err != nil {
			t.Fatal(err)
		}
		_, err = sc.Parse([]string{tc.setting})
		if !errors.Is(err, ErrBadParam) {
			t.Errorf("%s %s: %v, want ErrBadParam", tc.id, tc.setting, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.accepted) {
			t.Errorf("%s %s: message %q does not say %q", tc.id, tc.setting, err, tc.accepted)
		}
	}
}

func TestParseAcceptsAndCanonicalises(t *testing.T) {
	v := values(t, "cpu-bound", "threads=1_000", "count=2_000", " use = processes ")
	if v.Int("threads") != 1000 || v.Get("count") != "2000" || !v.UsesProcesses() {
		t.Fatalf("parsed %v", v.Settings())
	}
	if v = values(t, "io-bound", "io=0.5ms"); v.Get("io") != "500µs" {
		t.Fatalf("parsed %v", v.Settings())
	}
	again, err := v.Scenario().Parse(v.Settings())
	if err != nil || !slices.Equal(again.Settings(), v.Settings()) {
		t.Fatalf("Settings %v do not parse back to themselves: %v, %v", v.Settings(), again.Settings(), err)
	}
	if d := values(t, "counter-race").Settings(); len(d) != 0 {
		t.Fatalf("defaults report settings %v", d)
	}
}

// TestEveryParameterValueRuns runs every scenario with each parameter in
// turn at its minimum, at every choice and at both booleans, the rest at
// their quick settings, under every model, checking every step.
func TestEveryParameterValueRuns(t *testing.T) {
	for _, sc := range All() {
		for _, p := range sc.Params {
			var vals []string
			switch p.Kind {
			case Int:
				vals = []string{fmt.Sprint(p.Min)}
			case Duration:
				vals = []string{time.Duration(p.Min).String()}
			case Bool:
				vals = []string{"true", "false"}
			case Choice:
				vals = p.Choices
			}
			for _, val := range vals {
				settings := append(slices.Clone(quick[sc.ID]), p.Name+"="+val)
				for _, m := range sim.Models() {
					s := runChecked(t, values(t, sc.ID, settings...), config(m))
					if s.Outcome() != sim.OutcomeCompleted {
						t.Errorf("%s %v under %s: outcome %s", sc.ID, settings, m, s.Outcome())
					}
				}
			}
		}
	}
}

// TestSourcesFitTheSourcePanel keeps every line of Python within 80
// columns, the width of a terminal the source panel shares.
func TestSourcesFitTheSourcePanel(t *testing.T) {
	for _, sc := range All() {
		for _, v := range variants(t, sc) {
			for i, l := range strings.Split(v.Source(), "\n") {
				if n := utf8.RuneCountInString(l); n > 80 {
					t.Errorf("%s %v line %d is %d columns: %s", sc.ID, v.Settings(), i+1, n, l)
				}
			}
		}
	}
}

// TestMistakesAreMetHalfway: names in another case are accepted, near
// misses get a "did you mean", and a comma-joined --set gets a hint.
func TestMistakesAreMetHalfway(t *testing.T) {
	for _, tc := range []struct{ name, suggest string }{
		{"cpu-bond", "cpu-bound"}, {"cpu_bound", "cpu-bound"}, {"3.1", "3.1.1"}, {"convoi", "convoy"},
		{"asyncio-block", "asyncio-blocking"}, {"zzz", ""},
	} {
		_, err := Lookup(tc.name)
		if !errors.Is(err, ErrUnknownScenario) {
			t.Fatalf("Lookup(%q): %v, want ErrUnknownScenario", tc.name, err)
		}
		hint := "did you mean " + tc.suggest + "?"
		if tc.suggest == "" && strings.Contains(err.Error(), "did you mean") || tc.suggest != "" && !strings.Contains(err.Error(), hint) {
			t.Errorf("Lookup(%q): %q, want the hint %q", tc.name, err, hint)
		}
	}
	sc, err := Lookup("CPU-Bound")
	if err != nil || sc.ID != "cpu-bound" {
		t.Fatalf("Lookup(CPU-Bound) = %v, %v", sc, err)
	}
	v, err := Choose("Counter-Race", []string{"THREADS=3", "Lock=TRUE"})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Settings(); !slices.Equal(got, []string{"threads=3", "lock=true"}) {
		t.Errorf("settings %q, want the canonical threads=3, lock=true", got)
	}
	v, err = Choose("cpu-bound", []string{"use=Processes", "COUNT=5_000"})
	if err != nil || v.Get("use") != "processes" || v.Get("count") != "5000" {
		t.Errorf("use=Processes COUNT=5_000: %v, use %q, count %q", err, v.Get("use"), v.Get("count"))
	}
	v, err = Choose("io-bound", []string{"IO=5MS"})
	if err != nil || v.Get("io") != "5ms" {
		t.Errorf("IO=5MS: %v, io %q", err, v.Get("io"))
	}
	if _, err := Choose("cpu-bound", []string{"thread=3"}); err == nil || !strings.Contains(err.Error(), "did you mean threads?") {
		t.Errorf("thread=3: %v, want a did-you-mean threads", err)
	}
	_, err = Choose("cpu-bound", []string{"threads=8,count=10"})
	if err == nil || !strings.Contains(err.Error(), "--set threads=8 --set count=10") {
		t.Errorf("threads=8,count=10: %v, want a hint to split it", err)
	}
}

// TestFigureUnits: every figure of every scenario, at its defaults and
// by each of its sections, says its unit, and its text reads as that
// unit: a time with its unit, a ratio with x, a share with %, a count or
// a rate in digits.
func TestFigureUnits(t *testing.T) {
	for _, sc := range All() {
		for _, name := range append([]string{sc.ID}, sc.Sections...) {
			v, err := Choose(name, nil)
			if err != nil {
				t.Fatal(err)
			}
			s, err := v.New(sim.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			s.Run()
			for _, f := range v.Figures(s.Metrics()) {
				var ok bool
				switch f.Unit {
				case UnitSeconds:
					d, err := time.ParseDuration(f.Value)
					ok = err == nil && strings.HasSuffix(f.Value, "s") && math.Abs(d.Seconds()-f.Number) <= 0.001*math.Abs(f.Number)+1e-9
				case UnitRatio:
					ok = strings.HasSuffix(f.Value, "x")
				case UnitShare:
					ok = strings.HasSuffix(f.Value, "%")
				case UnitCount, UnitRate:
					ok = strings.Trim(f.Value, "0123456789,") == ""
				}
				if !ok {
					t.Errorf("%s: figure %s is %q, which does not read as %s", name, f.Key, f.Value, f.Unit)
				}
			}
		}
	}
}
