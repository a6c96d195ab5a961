package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// reportOf runs a hand-made workload to the end and reports it the way
// gilsim run does, so that endings no built-in scenario has (a deadlock, a
// flood of output) are covered whatever the scenarios are.
func reportOf(t *testing.T, w sim.Workload) *runReport {
	t.Helper()
	sc := &scenarios.Scenario{ID: "hand-made", Title: "A hand-made workload", Summary: "a workload built by the test"}
	cfg := sim.DefaultConfig()
	cfg.Trace = false
	run, err := sim.New(cfg, w)
	if err != nil {
		t.Fatal(err)
	}
	run.Run()
	return newRunReport(setup{scenario: sc, values: sc.Defaults(), config: cfg}, run, limits{maxEvents: 1e6, maxTime: time.Minute})
}

// decodeReport encodes a report and decodes it again as generic JSON.
func decodeReport(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// deadlockWorkload is two threads taking two locks in opposite orders.
func deadlockWorkload() sim.Workload {
	src := `import threading, time
a, b = threading.Lock(), threading.Lock()
def one():
    with a:
        time.sleep(0.001)
        with b: pass
def two():
    with b:
        time.sleep(0.001)
        with a: pass
t1 = threading.Thread(target=one); t2 = threading.Thread(target=two)
t1.start(); t2.start(); t1.join(); t2.join()`
	return sim.Workload{Source: src, Procs: []sim.ProcSpec{{Name: "MainProcess"}}, Locks: []string{"a", "b"},
		Threads: []sim.ThreadSpec{
			{Name: "MainThread", Func: "<module>", Code: sim.Seq(sim.Start(12, 1), sim.Start(12, 2), sim.Join(12, 1), sim.Join(12, 2))},
			{Name: "Thread-1", Func: "one", Code: sim.Seq(sim.Acquire(4, 0), sim.Sleep(5, time.Millisecond), sim.Acquire(6, 1))},
			{Name: "Thread-2", Func: "two", Code: sim.Seq(sim.Acquire(8, 1), sim.Sleep(9, time.Millisecond), sim.Acquire(10, 0))},
		}}
}

func TestDeadlockReport(t *testing.T) {
	r := reportOf(t, deadlockWorkload())
	text := runText(r)
	if !strings.Contains(text, "\nDEADLOCK at "+dur(r.Elapsed)+": nothing more can happen") {
		t.Fatalf("no deadlock section:\n%s", text)
	}
	// Each blocked thread, its state and what it waits for, on one line.
	for _, b := range r.metrics.Blocked {
		if lineWith(text, b.Name, b.State.String(), b.WaitsFor) == "" {
			t.Errorf("deadlock report has no line for %s (%s, %s):\n%s", b.Name, b.State, b.WaitsFor, text)
		}
	}
	if lineWith(text, "Thread-1", "waiting for lock", "b, held by Thread-2") == "" ||
		lineWith(text, "Thread-2", "waiting for lock", "a, held by Thread-1") == "" ||
		lineWith(text, "MainThread", "joining", "Thread-1 to finish") == "" {
		t.Errorf("the deadlock report does not name who holds each lock:\n%s", text)
	}
	doc := decodeReport(t, r)
	if jsonStr(t, doc, "outcome") != "deadlock" {
		t.Errorf("outcome %q", jsonStr(t, doc, "outcome"))
	}
	blocked := jsonArr(t, doc, "blocked")
	if len(blocked) != 3 {
		t.Fatalf("%d blocked threads in JSON, want 3: %v", len(blocked), blocked)
	}
	for _, b := range blocked {
		if jsonStr(t, b, "waits_for") == "" || jsonStr(t, b, "state") == "" || jsonStr(t, b, "process") != "MainProcess" {
			t.Errorf("blocked thread without state, wait or process: %v", b)
		}
	}
}

// printingWorkload prints n lines on stdout, then dies calling task_done
// on a multiprocessing.Queue, which prints a traceback on stderr.
func printingWorkload(n int64) sim.Workload {
	src := `import multiprocessing
q = multiprocessing.Queue()
for i in range(N):
    print("tick", i)
q.task_done()`
	return sim.Workload{Source: src, Procs: []sim.ProcSpec{{Name: "MainProcess"}},
		Queues: []sim.QueueSpec{{Name: "q", Kind: sim.QueueProcess}},
		Threads: []sim.ThreadSpec{{Name: "MainThread", Func: "<module>", Code: sim.Seq(
			sim.Loop(3, n, sim.Print(4, "tick"), sim.Python(4, time.Microsecond, 0)),
			sim.TaskDone(5, 0))}}}
}

func TestConsoleMarksStderr(t *testing.T) {
	r := reportOf(t, printingWorkload(3))
	text := runText(r)
	console := text[strings.Index(text, "\nConsole"):]
	stdout, stderr := 0, 0
	for _, c := range r.Console {
		line := lineWith(console, dur(c.At), c.Name, c.Text)
		switch {
		case line == "":
			t.Errorf("console line %q missing:\n%s", c.Text, console)
		case c.Stderr:
			stderr++
			if !strings.Contains(line, " stderr ") {
				t.Errorf("stderr line not marked: %q", line)
			}
		default:
			stdout++
			if strings.Contains(line, "stderr") {
				t.Errorf("stdout line marked as stderr: %q", line)
			}
		}
	}
	if stdout != 3 || stderr == 0 || !strings.Contains(console, "AttributeError: 'Queue' object has no attribute 'task_done'") {
		t.Errorf("%d stdout and %d stderr lines; want 3 and a traceback:\n%s", stdout, stderr, console)
	}
	doc := decodeReport(t, r)
	lines := jsonArr(t, doc, "console")
	if len(lines) != len(r.Console) {
		t.Fatalf("%d console lines in JSON, %d in the run", len(lines), len(r.Console))
	}
	if last := lines[len(lines)-1]; jsonAt(t, last, "stderr") != true || !strings.HasPrefix(jsonStr(t, last, "text"), "AttributeError") {
		t.Errorf("last console line %v", last)
	}
}

func TestLongConsoleIsCut(t *testing.T) {
	r := reportOf(t, printingWorkload(100))
	text := runText(r)
	shown := strings.Count(text, " tick\n")
	if shown != maxConsoleRows-1 {
		t.Errorf("%d console lines shown, want %d", shown, maxConsoleRows-1)
	}
	if rest := len(r.Console) - shown; !strings.Contains(text, fmt.Sprintf("… %d more lines (gilsim run hand-made --json has them all)", rest)) {
		t.Errorf("no note of the %d lines left out:\n%s", rest, text)
	}
}

func TestFiguresJSON(t *testing.T) {
	fs := newFigures([]scenarios.Figure{
		{Key: "p99_latency", Label: "p99 latency", Value: "5.161ms", Number: 0.005160840, Unit: scenarios.UnitSeconds},
		{Key: "lost_updates", Label: "lost updates", Value: "12", Number: 12},
		{Key: "lost_none", Label: "none lost", Value: "0", Number: 0},
		{Key: "parallelism", Label: "parallelism", Value: "3.59x", Number: 3.5912, Unit: scenarios.UnitRatio},
	}, true)
	b, err := json.Marshal(fs)
	if err != nil {
		t.Fatal(err)
	}
	// A count of none stays a count: its key does not depend on its value.
	want := `{"p99_latency_ns":5160840,"lost_updates":12,"lost_none":0,"parallelism":3.5912}`
	if string(b) != want {
		t.Errorf("figures JSON %s, want %s", b, want)
	}
}

// TestUnfinishedRunShowsNoImpossibleFigures: a run stopped by a limit
// keeps only the figures that mean something before the end, marks them
// partial in the JSON, says so in the text, and compare shows "-" where a
// figure would assume the whole run.
func TestUnfinishedRunShowsNoImpossibleFigures(t *testing.T) {
	r := cli(t, "run", "counter-race", "--max-events", "1000", "--json")
	var run struct {
		Outcome string             `json:"outcome"`
		Figures map[string]float64 `json:"figures"`
		Partial bool               `json:"figures_partial"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &run); err != nil {
		t.Fatal(err)
	}
	if run.Outcome != "limit" || !run.Partial {
		t.Errorf("outcome %q, figures_partial %v; want limit, true", run.Outcome, run.Partial)
	}
	if _, ok := run.Figures["expected"]; ok {
		t.Errorf("an unfinished run reports the expected total as a figure: %v", run.Figures)
	}
	if _, ok := run.Figures["lost_updates"]; !ok {
		t.Errorf("an unfinished run lost its live figure lost_updates: %v", run.Figures)
	}
	text := cli(t, "run", "counter-race", "--max-events", "1000").stdout
	if !strings.Contains(text, "So far (figures that need the finished program are left out)") || strings.Contains(text, "expected ") {
		t.Errorf("the text summary of an unfinished run does not mark its figures:\n%s", text)
	}
	run.Partial = true
	if err := json.Unmarshal([]byte(cli(t, "run", "counter-race", "--json").stdout), &run); err != nil {
		t.Fatal(err)
	}
	if run.Outcome != "completed" || run.Partial || len(run.Figures) != 3 {
		t.Errorf("a finished run: outcome %q, figures_partial %v, figures %v", run.Outcome, run.Partial, run.Figures)
	}

	c := cli(t, "compare", "cpu-bound", "--max-events", "1000", "--json")
	var cmp struct {
		Settings []struct {
			Setting string             `json:"setting"`
			Outcome string             `json:"outcome"`
			Figures map[string]float64 `json:"figures"`
			Partial bool               `json:"figures_partial"`
		} `json:"settings"`
	}
	if err := json.Unmarshal([]byte(c.stdout), &cmp); err != nil {
		t.Fatal(err)
	}
	stopped := 0
	for _, s := range cmp.Settings {
		if s.Partial != (s.Outcome != "completed") {
			t.Errorf("%s: outcome %s but figures_partial %v", s.Setting, s.Outcome, s.Partial)
		}
		if p, ok := s.Figures["parallelism"]; ok && p > 4.01 {
			t.Errorf("%s: parallelism %.2f on 4 cores", s.Setting, p)
		}
		if s.Partial {
			stopped++
		}
	}
	if stopped == 0 {
		t.Fatalf("no setting hit the 1,000-event limit, so this checks nothing: %s", c.stdout)
	}
	table := cli(t, "compare", "cpu-bound", "--max-events", "1000").stdout
	for _, line := range strings.Split(table, "\n") {
		if strings.Contains(line, " limit ") && !strings.HasSuffix(strings.TrimSpace(line), " -") {
			t.Errorf("a stopped setting shows its parallelism: %q", line)
		}
	}
}

func TestCount(t *testing.T) {
	cases := []struct {
		n    int64
		want string
	}{{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-45000, "-45,000"}}
	for _, tc := range cases {
		if got := count(tc.n); got != tc.want {
			t.Errorf("count(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestTable(t *testing.T) {
	tab := newTable("  ", false, true, true)
	tab.row("thread", "CPU", "blocked")
	tab.heading("MainProcess, a long heading line")
	tab.row("MainThread", "640.0µs", "")
	tab.row("Thread-10", "50.000ms", "")
	want := "  thread           CPU\n" +
		"  MainProcess, a long heading line\n" +
		"  MainThread   640.0µs\n" +
		"  Thread-10   50.000ms\n"
	tab.dropEmpty()
	if got := tab.String(); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}

func TestJSONKeepsPythonReprs(t *testing.T) {
	var b strings.Builder
	doc := orderedObject{{"text", "Executing <Task finished> took 0.251 seconds & more"}}
	if err := writeJSON(&b, doc); err != nil {
		t.Fatal(err)
	}
	if want := `"Executing <Task finished> took 0.251 seconds & more"`; !strings.Contains(b.String(), want) {
		t.Errorf("JSON %s does not hold %s as is", b.String(), want)
	}
}
