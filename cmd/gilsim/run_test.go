package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// Small runs whose text summaries are kept as golden files: one per GIL
// model, a processes run and a run with requests.
var runGoldens = []struct {
	name string
	args []string
}{
	{"run-cpu-bound-py3.golden", []string{"run", "cpu-bound", "--set", "threads=2", "--set", "count=300000"}},
	{"run-cpu-bound-processes.golden", []string{"run", "cpu-bound", "--set", "threads=2", "--set", "count=300000", "--set", "use=processes"}},
	{"run-io-bound-py2.golden", []string{"run", "io-bound", "--model", "py2", "--cores", "2", "--set", "threads=3", "--set", "ops=2"}},
	{"run-io-bound-free-threaded.golden", []string{"run", "io-bound", "--gil", "off", "--set", "threads=2", "--set", "ops=3"}},
}

func TestRunGolden(t *testing.T) {
	for _, tc := range runGoldens {
		t.Run(tc.name, func(t *testing.T) {
			checkGolden(t, tc.name, cliOK(t, tc.args...))
		})
	}
}

// TestRunJSONMatchesSimulation checks the JSON document field by field
// against a simulation of the same setup made here, straight from the
// scenarios and sim packages.
func TestRunJSONMatchesSimulation(t *testing.T) {
	cases := []struct {
		args  []string
		model sim.Model
		cores int
		sets  []string
	}{
		{[]string{"cpu-bound", "--set", "threads=3"}, sim.ModelPy3, 4, []string{"threads=3"}},
		{[]string{"io-bound", "--model", "py2", "--cores", "2"}, sim.ModelPy2, 2, nil},
		{[]string{"cpu-bound", "--gil", "off", "-s", "use=processes"}, sim.ModelFreeThreaded, 4, []string{"use=processes"}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			doc := cliJSON(t, append([]string{"run", "--json"}, tc.args...)...)
			sc, err := scenarios.Lookup(tc.args[0])
			if err != nil {
				t.Fatal(err)
			}
			v, err := sc.Parse(tc.sets)
			if err != nil {
				t.Fatal(err)
			}
			cfg := sim.DefaultConfig()
			cfg.Model, cfg.Cores, cfg.Trace = tc.model, tc.cores, false
			run, err := v.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			run.Run()
			m := run.Metrics()

			if got := jsonNum(t, doc, "schema"); got != schemaVersion {
				t.Errorf("schema = %v, want %d", got, schemaVersion)
			}
			for _, f := range []struct {
				keys []string
				want string
			}{
				{[]string{"scenario"}, sc.ID},
				{[]string{"config", "model"}, tc.model.String()},
				{[]string{"outcome"}, m.Outcome.String()},
			} {
				if got := jsonStr(t, doc, f.keys...); got != f.want {
					t.Errorf("%s = %q, want %q", strings.Join(f.keys, "."), got, f.want)
				}
			}
			for _, f := range []struct {
				keys []string
				want float64
			}{
				{[]string{"config", "cores"}, float64(cfg.Cores)},
				{[]string{"config", "switch_interval_ns"}, float64(cfg.SwitchInterval)},
				{[]string{"elapsed_ns"}, float64(m.Elapsed)},
				{[]string{"events"}, float64(m.Events)},
				{[]string{"cpu_ns"}, float64(m.CPU)},
				{[]string{"cpu_utilisation"}, m.Utilisation},
				{[]string{"gil", "handoffs"}, float64(m.GIL.Handoffs)},
				{[]string{"gil", "drop_requests"}, float64(m.GIL.DropRequests)},
				{[]string{"gil", "failed_wakeups"}, float64(m.GIL.FailedWakeups)},
				{[]string{"gil", "max_waiters"}, float64(m.GIL.MaxWaiters)},
			} {
				if got := jsonNum(t, doc, f.keys...); got != f.want {
					t.Errorf("%s = %v, want %v", strings.Join(f.keys, "."), got, f.want)
				}
			}
			if got := jsonAt(t, doc, "config", "gil").(bool); got != tc.model.HasGIL() {
				t.Errorf("config.gil = %v under %s", got, tc.model)
			}
			for p, want := range v.Settings() {
				key, val, _ := strings.Cut(want, "=")
				if got := jsonStr(t, doc, "params", key); got != val {
					t.Errorf("params.%s = %q, want %q (setting %d)", key, got, val, p)
				}
			}

			var sum float64
			for r := sim.Reason(1); int(r) < sim.NumReasons; r++ {
				n := jsonNum(t, doc, "gil", "handoffs_by_reason", snake(r.String()))
				if n != float64(m.GIL.ByReason[r]) {
					t.Errorf("handoffs_by_reason.%s = %v, want %d", snake(r.String()), n, m.GIL.ByReason[r])
				}
				sum += n
			}
			if sum != jsonNum(t, doc, "gil", "handoffs") {
				t.Errorf("handoffs by reason add up to %v, handoffs = %v", sum, jsonNum(t, doc, "gil", "handoffs"))
			}

			threads := jsonArr(t, doc, "threads")
			if len(threads) != len(m.Threads) {
				t.Fatalf("%d threads in JSON, %d in the run", len(threads), len(m.Threads))
			}
			for i, th := range threads {
				want := m.Threads[i]
				if jsonStr(t, th, "name") != run.ThreadName(want.ID) || jsonNum(t, th, "process_id") != float64(want.Proc) {
					t.Errorf("thread %d is %v", i, th)
				}
				total := 0.0
				for _, k := range []string{"cpu_ns", "wait_gil_ns", "blocked_ns", "runnable_ns", "inactive_ns"} {
					total += jsonNum(t, th, k)
				}
				if jsonNum(t, th, "cpu_ns") != float64(want.CPU) || total != float64(m.Elapsed) {
					t.Errorf("thread %s: cpu_ns %v (want %d), times add up to %v, not the elapsed %d",
						want.Name, jsonNum(t, th, "cpu_ns"), want.CPU, total, m.Elapsed)
				}
			}
			if got, want := len(jsonArr(t, doc, "processes")), len(m.Procs); got != want {
				t.Errorf("%d processes in JSON, %d in the run", got, want)
			}
			for _, f := range v.Figures(m) {
				key, want := f.Key, f.Number
				if f.Unit == scenarios.UnitSeconds {
					key, want = f.Key+"_ns", float64(time.Duration(f.Number*1e9).Round(time.Nanosecond))
				}
				if got := jsonNum(t, doc, "figures", key); got != want {
					t.Errorf("figures.%s = %v, want %v", key, got, want)
				}
			}
		})
	}
}

var snakeKey = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// checkKeys fails for any object key in v that is not snake_case.
func checkKeys(t *testing.T, where string, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if !snakeKey.MatchString(k) {
				t.Errorf("%s: key %q is not snake_case", where, k)
			}
			checkKeys(t, where+"."+k, e)
		}
	case []any:
		for i, e := range x {
			checkKeys(t, fmt.Sprintf("%s[%d]", where, i), e)
		}
	}
}

// defaultFlags returns run flags at their defaults, as the commands
// register them, with --model set to model unless it is empty.
func defaultFlags(t *testing.T, model string) *runFlags {
	t.Helper()
	var f runFlags
	f.register(pflag.NewFlagSet("test", pflag.ContinueOnError))
	f.model = model
	return &f
}

// reportJSON encodes a document as gilsim prints it and decodes it again.
func reportJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	var b strings.Builder
	if err := writeJSON(&b, v); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(b.String()))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestEveryScenarioRuns reports every scenario at its defaults under every
// model, as text and as JSON: the report must handle whatever a scenario
// has (processes, queues, event loops, figures, deadlocks). It renders one
// simulation both ways, since the other tests cover the command line.
func TestEveryScenarioRuns(t *testing.T) {
	outcomes := map[string]bool{"completed": true, "deadlock": true, "limit": true}
	lim, err := defaultLimits.resolve()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range scenarios.All() {
		for _, m := range sim.Models() {
			t.Run(sc.ID+"/"+m.String(), func(t *testing.T) {
				t.Parallel()
				s, err := defaultFlags(t, m.String()).resolve(sc.ID)
				if err != nil {
					t.Fatal(err)
				}
				r, err := simulate(s, lim)
				if err != nil {
					t.Fatal(err)
				}
				text := runText(r)
				if !strings.HasPrefix(text, s.describe()+"\n"+sc.Summary+"\n") {
					t.Errorf("summary does not start with the scenario and its setting:\n%s", text)
				}
				doc := reportJSON(t, r)
				checkKeys(t, "run", doc)
				out := jsonStr(t, doc, "outcome")
				if !outcomes[out] {
					t.Errorf("outcome %q", out)
				}
				if lineWith(text, "outcome", out) == "" {
					t.Errorf("text summary does not give the outcome %q", out)
				}
				if out == "deadlock" && len(jsonArr(t, doc, "blocked")) == 0 {
					t.Errorf("a deadlock with no blocked thread")
				}
				// Every console line the program printed is in the text,
				// up to the cap.
				for i, c := range jsonArr(t, doc, "console") {
					if i >= maxConsoleRows-1 {
						break
					}
					if line := jsonStr(t, c, "text"); !strings.Contains(text, line) {
						t.Errorf("console line %q missing from the text summary", line)
					}
				}
				for _, f := range r.Figures {
					if lineWith(text, f.Label, f.Text) == "" {
						t.Errorf("figure %s = %s missing from the text summary", f.Label, f.Text)
					}
				}
			})
		}
	}
}

// TestFlagsBeforeOrAfterScenario checks that flags may come on either side
// of the scenario name, with long and short forms.
func TestFlagsBeforeOrAfterScenario(t *testing.T) {
	want := cliOK(t, "run", "cpu-bound", "--cores", "2", "--set", "threads=3", "--switch-interval", "1ms", "--seed", "7")
	for _, args := range [][]string{
		{"run", "--cores", "2", "--set", "threads=3", "--switch-interval", "1ms", "--seed", "7", "cpu-bound"},
		{"run", "--cores=2", "-s", "threads=3", "cpu-bound", "--switch-interval=1ms", "--seed", "7"},
		{"run", "-s", "threads=3", "--seed=7", "cpu-bound", "--switch-interval", "1ms", "--cores", "2"},
	} {
		if got := cliOK(t, args...); got != want {
			t.Errorf("gilsim %s differs from flags after the name:\n%s", strings.Join(args, " "), lineDiff(want, got))
		}
	}
	if !strings.HasPrefix(want, "cpu-bound (threads=3) · GIL on · py3 · 1ms · 2 cores · seed 7\n") {
		t.Errorf("heading does not reflect the flags: %q", strings.SplitN(want, "\n", 2)[0])
	}
	// A section alias is the scenario it names, with the section's
	// settings; only the heading differs, naming the section.
	for _, sc := range scenarios.All() {
		for _, sec := range sc.ArticleSections {
			args := []string{"run", sc.ID}
			for _, kv := range sec.Set {
				args = append(args, "--set", kv)
			}
			got, want := cliOK(t, "run", sec.Number), cliOK(t, args...)
			gotHead, gotRest, _ := strings.Cut(got, "\n")
			wantHead, wantRest, _ := strings.Cut(want, "\n")
			if gotRest != wantRest {
				t.Errorf("gilsim run %s differs from gilsim %s:\n%s", sec.Number, strings.Join(args, " "), lineDiff(want, got))
			}
			if !strings.HasPrefix(gotHead, sc.ID+" §"+sec.Number) || strings.Replace(gotHead, " §"+sec.Number, "", 1) != wantHead {
				t.Errorf("gilsim run %s: heading %q, want %q with the section after the id", sec.Number, gotHead, wantHead)
			}
		}
	}
	// A --set overrides the section's own setting, and then the heading no
	// longer claims the section's code.
	if got, want := cliOK(t, "run", "3.1.1", "--set", "join=true"), cliOK(t, "run", "thread-start"); got != want {
		t.Errorf("gilsim run 3.1.1 --set join=true differs from gilsim run thread-start:\n%s", lineDiff(want, got))
	}
}

func TestRunHelpShowsScenarioParameters(t *testing.T) {
	for _, sc := range scenarios.All() {
		for _, name := range append([]string{sc.ID}, sc.Sections...) {
			for _, args := range [][]string{{"run", name, "--help"}, {"run", "--help", name}, {"compare", name, "-h"}, {"help", "export", name}, {"play", name, "--help"}} {
				out := cliOK(t, args...)
				if !strings.Contains(out, "--switch-interval") || !strings.Contains(out, "--set key=value") {
					t.Errorf("gilsim %s: the run flags are missing", strings.Join(args, " "))
				}
				if len(sc.Params) == 0 && !strings.Contains(out, sc.ID+" takes no parameters") {
					t.Errorf("gilsim %s does not say %s takes no parameters", strings.Join(args, " "), sc.ID)
				}
				for _, p := range sc.Params {
					if lineWith(out, p.Name, p.Default, p.Help) == "" || !strings.Contains(out, p.Accepts()) {
						t.Errorf("gilsim %s: parameter %s (default %s, %s) is not shown", strings.Join(args, " "), p.Name, p.Default, p.Accepts())
					}
				}
			}
		}
	}
	out := cliOK(t, "run", "--help")
	if !strings.Contains(out, "gilsim list --params") || !strings.Contains(out, "--max-events") {
		t.Errorf("gilsim run --help does not show the flags and point to gilsim list --params:\n%s", out)
	}
	for _, p := range scenarios.All()[0].Params {
		if lineWith(out, p.Name, p.Default, p.Help) != "" {
			t.Errorf("gilsim run --help without a scenario shows a scenario's parameter %s", p.Name)
		}
	}
}

// TestHelpCommand: gilsim help COMMAND is that command's help, and help
// that cannot be written fails like any other output.
func TestHelpCommand(t *testing.T) {
	if got, want := cliOK(t, "help", "run"), cliOK(t, "run", "--help"); got != want {
		t.Errorf("gilsim help run differs from gilsim run --help:\n%s", lineDiff(want, got))
	}
	if got := cliOK(t, "help"); !strings.Contains(got, "Available Commands:") {
		t.Errorf("gilsim help does not list the commands:\n%s", got)
	}
	var stderr bytes.Buffer
	code := gilsim([]string{"run", "cpu-bound", "--help"}, strings.NewReader(""), failingWriter{}, &stderr)
	if code != 1 || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), "write help: no space left") {
		t.Errorf("help into a full disk: exit %d, stderr %q; want 1 and one line", code, stderr.String())
	}
}

// TestVersion: gilsim --version prints one line naming the version and the
// Go that built it.
func TestVersion(t *testing.T) {
	out := cliOK(t, "--version")
	if !regexp.MustCompile(`^gilsim \S.* \(go1\.\d+[^)]*\)\n$`).MatchString(out) {
		t.Errorf("gilsim --version printed %q", out)
	}
}

// failingWriter is a standard output on a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

func TestRunLimitIsReported(t *testing.T) {
	text := cliOK(t, "run", "cpu-bound", "--max-events", "100")
	if !strings.Contains(text, "STOPPED by the event limit (100 events; --max-events)") {
		t.Errorf("the event limit is not reported:\n%s", text)
	}
	doc := cliJSON(t, "run", "cpu-bound", "--max-events", "100", "--json")
	if jsonStr(t, doc, "outcome") != "limit" || jsonNum(t, doc, "events") != 100 || jsonNum(t, doc, "limits", "max_events") != 100 {
		t.Errorf("limit run: outcome %q after %v events", jsonStr(t, doc, "outcome"), jsonNum(t, doc, "events"))
	}
	text = cliOK(t, "run", "cpu-bound", "--max-time", "2ms")
	if !strings.Contains(text, "STOPPED by the time limit (2.000ms of virtual time; --max-time)") {
		t.Errorf("the time limit is not reported:\n%s", text)
	}
	doc = cliJSON(t, "run", "cpu-bound", "--max-time", "2ms", "--json")
	if el := jsonNum(t, doc, "elapsed_ns"); el > float64(2*time.Millisecond) {
		t.Errorf("a run limited to 2ms went on to %v ns", el)
	}
}

// TestManyThreadsAreSummarised checks the thread table's cap: the rows it
// leaves out are summed in one row, and the JSON keeps them all.
func TestManyThreadsAreSummarised(t *testing.T) {
	const n = 40 // worker threads, plus the main thread
	text := cliOK(t, "run", "io-bound", "--set", fmt.Sprint("threads=", n), "--set", "ops=1")
	rest := n + 1 - (maxThreadRows - 1)
	if lineWith(text, fmt.Sprintf("%d more threads, together", rest)) == "" {
		t.Errorf("no summary row for the %d threads left out:\n%s", rest, text)
	}
	if got := strings.Count(text, "\n  Thread-"); got != maxThreadRows-2 {
		t.Errorf("%d worker rows, want %d", got, maxThreadRows-2)
	}
	doc := cliJSON(t, "run", "io-bound", "--set", fmt.Sprint("threads=", n), "--set", "ops=1", "--json")
	if got := len(jsonArr(t, doc, "threads")); got != n+1 {
		t.Errorf("JSON has %d threads, want %d", got, n+1)
	}
}

// TestManyProcessesAreSummarised checks the processes table's cap, like
// the threads table's.
func TestManyProcessesAreSummarised(t *testing.T) {
	const n = 40 // worker processes, plus the main one
	args := []string{"run", "cpu-bound", "--set", "use=processes", "--set", fmt.Sprint("threads=", n), "--set", "count=30000"}
	text := cliOK(t, args...)
	section := text[strings.Index(text, "\nProcesses\n"):]
	section = section[:strings.Index(section[1:], "\n\n")+1]
	rest := n + 1 - (maxThreadRows - 1)
	if lineWith(section, fmt.Sprintf("%d more processes, together", rest), fmt.Sprintf("%d exited", rest), "all 0") == "" {
		t.Errorf("no summary row for the %d processes left out:\n%s", rest, section)
	}
	if got := strings.Count(section, "\n  Process-"); got != maxThreadRows-2 {
		t.Errorf("%d worker process rows, want %d:\n%s", got, maxThreadRows-2, section)
	}
	if got := len(jsonArr(t, cliJSON(t, append(args, "--json")...), "processes")); got != n+1 {
		t.Errorf("JSON has %d processes, want %d", got, n+1)
	}
}

// TestProcessesAreGrouped checks that a run with several processes groups
// its threads under their process and lists the processes.
func TestProcessesAreGrouped(t *testing.T) {
	args := []string{"run", "cpu-bound", "--set", "use=processes", "--set", "threads=2", "--set", "count=150000"}
	text := cliOK(t, args...)
	doc := cliJSON(t, append(args, "--json")...)
	procs := jsonArr(t, doc, "processes")
	if len(procs) != 3 {
		t.Fatalf("%d processes, want the main one and 2 workers", len(procs))
	}
	threads := text[strings.Index(text, "\nThreads\n"):strings.Index(text, "\nGIL")]
	for i, p := range procs {
		name := jsonStr(t, p, "name")
		if !strings.Contains(threads, "\n  "+name+"\n") {
			t.Errorf("no heading for process %s in the thread table:\n%s", name, threads)
		}
		method := jsonAt(t, p, "start_method")
		if i == 0 && method != nil || i > 0 && method != "fork" {
			t.Errorf("process %s: start_method %v", name, method)
		}
		if jsonAt(t, p, "exited") != true || jsonNum(t, p, "exit_code") != 0 {
			t.Errorf("process %s did not exit cleanly: %v", name, p)
		}
		if section := text[strings.Index(text, "\nProcesses\n"):]; i > 0 && lineWith(section, name, "fork") == "" {
			t.Errorf("process %s missing from the processes table:\n%s", name, section)
		}
	}
	if !strings.Contains(text, "GIL (summed over the 3 interpreters, one GIL each)") {
		t.Errorf("the GIL section does not say there are several GILs:\n%s", text)
	}
}
