package main

import (
	"strings"
	"testing"
	"time"

	"github.com/gilsim/gilsim/scenarios"
)

func TestCompareGolden(t *testing.T) {
	checkGolden(t, "compare-cpu-bound.golden", cliOK(t, "compare", "cpu-bound", "--set", "threads=2", "--set", "count=300000"))
}

// TestCompareMatchesRun checks every row of a comparison against gilsim
// run of the same setting, and the speedups against the elapsed times.
func TestCompareMatchesRun(t *testing.T) {
	cases := []struct {
		scenario  string
		flags     []string
		intervals []string // compare's interval flags, which run takes only for their model
		settings  []string
		runArgs   [][]string // the run flags of each setting
	}{
		{"cpu-bound", []string{"--set", "threads=3", "--cores", "2"}, nil,
			[]string{"py3", "free-threaded", "py2", "processes"},
			[][]string{{"--model", "py3"}, {"--model", "free-threaded"}, {"--model", "py2"}, {"--model", "py3", "--set", "use=processes"}}},
		{"io-bound", []string{"--set", "ops=2"}, []string{"--switch-interval", "1ms", "--check-interval", "20"},
			[]string{"py3", "free-threaded", "py2"},
			[][]string{{"--model", "py3", "--switch-interval", "1ms"}, {"--model", "free-threaded"}, {"--model", "py2", "--check-interval", "20"}}},
	}
	for _, tc := range cases {
		t.Run(tc.scenario, func(t *testing.T) {
			doc := cliJSON(t, append(append([]string{"compare", tc.scenario, "--json"}, tc.flags...), tc.intervals...)...)
			checkKeys(t, "compare", doc)
			if jsonStr(t, doc, "scenario") != tc.scenario || jsonStr(t, doc, "baseline") != "py3" {
				t.Errorf("scenario %q, baseline %q", jsonStr(t, doc, "scenario"), jsonStr(t, doc, "baseline"))
			}
			rows := jsonArr(t, doc, "settings")
			if len(rows) != len(tc.settings) {
				t.Fatalf("%d settings, want %v", len(rows), tc.settings)
			}
			base := jsonNum(t, rows[0], "elapsed_ns")
			for i, row := range rows {
				if got := jsonStr(t, row, "setting"); got != tc.settings[i] {
					t.Errorf("setting %d is %q, want %q", i, got, tc.settings[i])
				}
				run := cliJSON(t, append(append([]string{"run", tc.scenario, "--json"}, tc.flags...), tc.runArgs[i]...)...)
				for _, k := range []string{"elapsed_ns", "cpu_utilisation"} {
					if jsonNum(t, row, k) != jsonNum(t, run, k) {
						t.Errorf("%s: %s = %v, gilsim run says %v", tc.settings[i], k, jsonNum(t, row, k), jsonNum(t, run, k))
					}
				}
				if jsonNum(t, row, "gil_handoffs") != jsonNum(t, run, "gil", "handoffs") ||
					jsonNum(t, row, "failed_wakeups") != jsonNum(t, run, "gil", "failed_wakeups") {
					t.Errorf("%s: GIL figures differ from gilsim run", tc.settings[i])
				}
				if jsonStr(t, row, "model") != jsonStr(t, run, "config", "model") || jsonAt(t, row, "gil") != jsonAt(t, run, "config", "gil") {
					t.Errorf("%s: model %q, gilsim run has %q", tc.settings[i], jsonStr(t, row, "model"), jsonStr(t, run, "config", "model"))
				}
				want := base / jsonNum(t, row, "elapsed_ns")
				if got := jsonNum(t, row, "speedup"); got != want {
					t.Errorf("%s: speedup %v, want %v", tc.settings[i], got, want)
				}
				figs, ok := jsonAt(t, row, "figures").(map[string]any)
				if !ok {
					t.Fatalf("%s: figures is not an object", tc.settings[i])
				}
				for k := range jsonAt(t, run, "figures").(map[string]any) {
					if jsonNum(t, figs, k) != jsonNum(t, run, "figures", k) {
						t.Errorf("%s: figure %s differs from gilsim run", tc.settings[i], k)
					}
				}
				if jsonNum(t, row, "run", "elapsed_ns") != jsonNum(t, row, "elapsed_ns") {
					t.Errorf("%s: the embedded run disagrees with the row", tc.settings[i])
				}
			}
		})
	}
}

// TestCompareTable checks the text table of every scenario: a row per
// setting with its label, the baseline's speedup is 1.00x, and a column
// per figure. It renders one comparison both ways, since the other tests
// cover the command line.
func TestCompareTable(t *testing.T) {
	lim, err := defaultLimits.resolve()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range scenarios.All() {
		t.Run(sc.ID, func(t *testing.T) {
			t.Parallel()
			base, err := defaultFlags(t, "").resolve(sc.ID)
			if err != nil {
				t.Fatal(err)
			}
			c, err := compare(base, lim, false)
			if err != nil {
				t.Fatal(err)
			}
			text := compareText(c)
			doc := reportJSON(t, c)
			header := lineWith(text, "setting", "elapsed", "speedup", "CPU use", "GIL handoffs", "failed wake-ups")
			if header == "" {
				t.Fatalf("no table header:\n%s", text)
			}
			for i, row := range jsonArr(t, doc, "settings") {
				line := lineWith(text, jsonStr(t, row, "label"))
				if line == "" {
					t.Errorf("no row for %s:\n%s", jsonStr(t, row, "label"), text)
					continue
				}
				if i == 0 && jsonStr(t, row, "outcome") == "completed" && !strings.Contains(line, " 1.00x ") {
					t.Errorf("baseline row has no 1.00x speedup: %q", line)
				}
				if !jsonAt(t, row, "gil").(bool) && !strings.Contains(line, "no GIL") {
					t.Errorf("row without a GIL does not say so: %q", line)
				}
				for _, f := range c.Rows[i].Figures {
					if !strings.Contains(header, f.Label) || !strings.Contains(line, f.Text) {
						t.Errorf("figure %s = %s is not in its column: %q", f.Label, f.Text, line)
					}
				}
			}
			if sc.Processes != "" && lineWith(text, "processes · ") == "" {
				t.Errorf("%s has a processes variant but no processes row", sc.ID)
			}
		})
	}
}

// TestCompareIncompleteRuns checks a comparison in which guards stop some
// runs: those rows say so, have no speedup, and the command the table
// suggests shows the same stopped run.
func TestCompareIncompleteRuns(t *testing.T) {
	args := []string{"compare", "cpu-bound", "--max-events", "100", "--seed", "3"}
	doc := cliJSON(t, append(args, "--json")...)
	text := cliOK(t, args...)
	if lineWith(text, "setting", "outcome") == "" {
		t.Errorf("no outcome column:\n%s", text)
	}
	stopped := 0
	for _, row := range jsonArr(t, doc, "settings") {
		label, outcome := jsonStr(t, row, "label"), jsonStr(t, row, "outcome")
		if lineWith(text, label, outcome) == "" {
			t.Errorf("row %s does not show its outcome %s", label, outcome)
		}
		if outcome == "completed" {
			continue
		}
		stopped++
		if jsonAt(t, row, "speedup") != nil {
			t.Errorf("%s stopped (%s) but has a speedup", label, outcome)
		}
		note := lineWith(text, label+" did not complete ("+outcome+"): gilsim run ")
		if note == "" {
			t.Errorf("no note for %s:\n%s", label, text)
			continue
		}
		cmd := note[strings.Index(note, "gilsim run ")+len("gilsim ") : strings.LastIndex(note, " shows why.")]
		run := cliJSON(t, append(strings.Fields(cmd), "--json")...)
		if jsonStr(t, run, "outcome") != outcome || jsonNum(t, run, "elapsed_ns") != jsonNum(t, row, "elapsed_ns") {
			t.Errorf("%q does not show the run of row %s", cmd, label)
		}
	}
	if stopped == 0 {
		t.Fatalf("no run was stopped by --max-events 100:\n%s", text)
	}
	// The baseline needs 192 events, so it is stopped too, and then no
	// speedup means anything.
	if out := jsonStr(t, jsonArr(t, doc, "settings")[0], "outcome"); out != "limit" {
		t.Fatalf("the GIL-on run ended %s, not stopped by the limit", out)
	}
	for _, row := range jsonArr(t, doc, "settings") {
		if jsonAt(t, row, "speedup") != nil {
			t.Errorf("%s has a speedup against a stopped baseline", jsonStr(t, row, "label"))
		}
	}
}

// TestCompareSharesTheEventLimit: without --max-events, compare splits the
// limit among its settings, so that the default bounds its wall time as it
// does one run's; a setting it stops names the limit that reproduces it.
func TestCompareSharesTheEventLimit(t *testing.T) {
	base, err := defaultFlags(t, "").resolve("cpu-bound")
	if err != nil {
		t.Fatal(err)
	}
	c, err := compare(base, limits{maxEvents: 4000, maxTime: time.Hour}, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Rows {
		if got := r.Run.Limits.MaxEvents; got != 1000 {
			t.Errorf("%s ran with an event limit of %d, want 4000/4", r.Label, got)
		}
	}
	if def, _ := defaultLimits.resolve(); def.maxEvents != 25_000_000 {
		t.Errorf("default event limit %d; the README and docs say 25,000,000", def.maxEvents)
	}
	text := cli(t, "compare", "cpu-bound", "--max-events", "4000").stdout
	if !strings.Contains(text, "--max-events 4000 shows why") {
		t.Errorf("a given --max-events is not each setting's own:\n%s", text)
	}
}
