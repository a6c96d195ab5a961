package calibrate

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMeasureMedians(t *testing.T) {
	py := fakeInterpreter(t, fake{version: "3.12.1", body: answerAll()})
	tmp := privateTempDir(t)
	var heard []string
	m, err := Measure(context.Background(), py, 5, func(s string) { heard = append(heard, s) })
	if err != nil {
		t.Fatal(err)
	}
	if m.Python != py {
		t.Errorf("Measurement.Python = %+v, want %+v", m.Python, py)
	}
	if len(m.Figures) != len(Figures) {
		t.Fatalf("Measure gave %d figures, want all %d", len(m.Figures), len(Figures))
	}
	for i, f := range m.Figures {
		info := Figures[i]
		if f.Key != info.Key || f.Unit != info.Unit {
			t.Errorf("figure %d is %s in %s, want %s in %s", i, f.Key, f.Unit, info.Key, info.Unit)
		}
		want := []float64{50000, 10000, 40000, 20000, 30000}
		for j := range want {
			want[j] += float64(i)
		}
		if !slices.Equal(f.Samples, want) {
			t.Errorf("%s: samples %v, want %v in the order of the runs", f.Key, f.Samples, want)
		}
		if f.Median != 30000+float64(i) {
			t.Errorf("%s: median %v, want %v", f.Key, f.Median, 30000+i)
		}
		if v, ok := m.Get(f.Key); !ok || v != f.Median {
			t.Errorf("Get(%s) = %v, %v; want %v, true", f.Key, v, ok, f.Median)
		}
	}
	if len(heard) != 5*len(probes) {
		t.Errorf("progress heard %d runs, want %d", len(heard), 5*len(probes))
	}
	if want := "countdown, run 2 of 5"; !slices.Contains(heard, want) {
		t.Errorf("progress never heard %q: %q", want, heard)
	}
	if m.Took <= 0 {
		t.Errorf("Took = %v", m.Took)
	}
	assertEmpty(t, tmp)
}

func TestMeasureMissingFigures(t *testing.T) {
	// Like 2.7: no spawn, only the py2 slice, and a figure that only
	// some runs could give, as when a run is left unpinned.
	body := `case "$probe" in
procstart.py) echo '{"fork_parent_ms": 1.5, "fork_child_ms": 2}';;
switch.py) echo '{"handoffs_per_s_py2": 300, "slice_ms_py2": 0.1}';;
"threads.py 1core") if [ "$n" -le 2 ]; then echo '{"two_threads_ratio_1core": '$n'}'; else echo '{}'; fi;;
*) echo '{}';;
esac`
	py := fakeInterpreter(t, fake{version: "3.12.1", body: body})
	m, err := Measure(context.Background(), py, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range m.Figures {
		keys = append(keys, f.Key)
	}
	want := []string{"two_threads_ratio_1core", "fork_parent_ms", "fork_child_ms", "handoffs_per_s_py2", "slice_ms_py2"}
	if !slices.Equal(keys, want) {
		t.Errorf("Measure gave %v, want %v", keys, want)
	}
	if v, ok := m.Get("two_threads_ratio_1core"); !ok || v != 1.5 {
		t.Errorf("Get(two_threads_ratio_1core) = %v, %v; want the median of 1 and 2", v, ok)
	}
	for _, key := range []string{"spawn_child_ms", "slice_ms_5ms", "countdown_ns", "no_such_figure"} {
		if v, ok := m.Get(key); ok {
			t.Errorf("Get(%s) = %v, true; want it missing", key, v)
		}
	}
}

func TestMeasureErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{
			"probe fails",
			`case "$probe" in
echo.py) echo 'Traceback (most recent call last):' >&2; echo 'OSError: [Errno 24] Too many open files' >&2; exit 1;;
*) echo '{}';;
esac`,
			[]string{"probe echo", "python 3.12.1", "exit status 1", "OSError: [Errno 24] Too many open files"},
		},
		{
			"no JSON",
			`echo 'warming up'; echo 'done, no figures'`,
			[]string{"probe countdown", "printed no figures", "done, no figures"},
		},
		{
			"another probe's figure",
			`case "$probe" in race.py) echo '{"countdown_ns": 3}';; *) echo '{}';; esac`,
			[]string{"probe race", `"countdown_ns"`, "not one of its figures"},
		},
		{
			"not a number",
			`echo '{"countdown_ns": "fast"}'`,
			[]string{"probe countdown", "printed no figures"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			py := fakeInterpreter(t, fake{version: "3.12.1", body: tc.body})
			tmp := privateTempDir(t)
			_, err := Measure(context.Background(), py, 5, nil)
			assertEmpty(t, tmp)
			if err == nil {
				t.Fatal("Measure succeeded, want an error")
			}
			for _, w := range append(tc.want, py.Path) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Measure = %q, want it to say %q", err, w)
				}
			}
		})
	}
}

func TestMeasureTimeout(t *testing.T) {
	// The sleep is a child of the shell: the shell's output stays open
	// until it ends, so Measure returns before the hour is up only if the
	// whole process group was killed.
	py := fakeInterpreter(t, fake{version: "3.12.1", body: `case "$probe" in
countdown.py) echo '{"countdown_ns": 1}';;
threads.py) sleep 3600;;
*) echo '{}';;
esac`})
	r := runner{timeout: 200 * time.Millisecond, waitDelay: time.Hour}
	_, err := r.measure(context.Background(), py, 5, nil)
	if err == nil || !strings.Contains(err.Error(), "probe threads on python 3.12.1") || !strings.Contains(err.Error(), "timed out after 200ms") {
		t.Fatalf("Measure = %v, want the threads probe timed out", err)
	}
}

func TestMeasureCancel(t *testing.T) {
	py := fakeInterpreter(t, fake{version: "3.12.1", body: `echo '{}'`})
	ctx, cancel := context.WithCancel(context.Background())
	runs := 0
	_, err := Measure(ctx, py, 5, func(string) {
		if runs++; runs == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "probe threads-1core") {
		t.Fatalf("Measure = %v, want it cancelled at the third run", err)
	}
}

func TestMeasureReps(t *testing.T) {
	py := fakeInterpreter(t, fake{version: "3.12.1", body: `echo '{}'`})
	if _, err := Measure(context.Background(), py, 0, nil); err == nil {
		t.Error("Measure with 0 repetitions succeeded")
	}
}

// privateTempDir points os.TempDir, where Measure writes its probes, at a
// directory of the test's own, and returns it.
func privateTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return dir
}

// assertEmpty fails the test if Measure left anything in dir.
func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("Measure left %s behind", e.Name())
	}
}

func TestDetail(t *testing.T) {
	for _, tc := range []struct{ stderr, want string }{
		{"", ""},
		{"\n  \n", ""},
		{"Traceback (most recent call last):\n  File \"echo.py\", line 3, in <module>\nOSError: [Errno 24] Too many open files\n", ": OSError: [Errno 24] Too many open files"},
		{"pyenv: python3.9: command not found\n\nThe `python3.9' command exists in these Python versions:\n  3.9.18\n", ": pyenv: python3.9: command not found"},
		{"Fatal Python error: Segmentation fault\n\nCurrent thread 0x1 (most recent call first):\n  File \"x.py\", line 1\n", ": Fatal Python error: Segmentation fault"},
	} {
		if got := detail([]byte(tc.stderr)); got != tc.want {
			t.Errorf("detail(%q) = %q, want %q", tc.stderr, got, tc.want)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{
		{[]float64{7}, 7},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{5, 5, 1, 9, 5}, 5},
	} {
		xs := slices.Clone(tc.xs)
		if got := median(xs); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
		if !slices.Equal(xs, tc.xs) {
			t.Errorf("median reordered its argument: %v", xs)
		}
	}
}

func TestProbeCommand(t *testing.T) {
	py3 := Interpreter{Path: "/usr/bin/python3.12", Major: 3, Minor: 12}
	py2 := Interpreter{Path: "/usr/bin/python2.7", Major: 2, Minor: 7}
	one := probes[slices.IndexFunc(probes, func(p probe) bool { return p.oneCPU })]
	countdown := probes[0]
	for _, tc := range []struct {
		name    string
		p       probe
		py      Interpreter
		taskset string
		want    []string
	}{
		{"3.x pins itself", one, py3, "/usr/bin/taskset", []string{"/usr/bin/python3.12", "/d/threads.py", "1core"}},
		{"2.7 under taskset", one, py2, "/usr/bin/taskset", []string{"/usr/bin/taskset", "-c", "2", "/usr/bin/python2.7", "/d/threads.py", "1core", "--pinned"}},
		{"2.7 without taskset", one, py2, "", []string{"/usr/bin/python2.7", "/d/threads.py", "1core"}},
		{"2.7, a probe that needs no pinning", countdown, py2, "/usr/bin/taskset", []string{"/usr/bin/python2.7", "/d/countdown.py"}},
	} {
		name, args := tc.p.command(tc.py, "/d", tc.taskset, 2)
		if got := append([]string{name}, args...); !slices.Equal(got, tc.want) {
			t.Errorf("%s: command %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestFirstCPU(t *testing.T) {
	for _, tc := range []struct {
		status string
		want   int
	}{
		{"Name:\tgo\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed:\t1\n", 0},
		{"Cpus_allowed_list:\t4,6-7\n", 4},
		{"Cpus_allowed_list:\t3\n", 3},
		{"Name:\tgo\n", 0},
		{"", 0},
	} {
		if got := firstCPU(tc.status); got != tc.want {
			t.Errorf("firstCPU(%q) = %d, want %d", tc.status, got, tc.want)
		}
	}
}
