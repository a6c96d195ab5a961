package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeProgram writes a Python file into a test's directory.
func writeProgram(t *testing.T, name, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestProgramCommands: a Python file takes a scenario's place in run,
// compare and export, or comes on standard input as "-"; --python picks
// the version, and with it the model.
func TestProgramCommands(t *testing.T) {
	prog := writeProgram(t, "race.py", "import threading\nN = 20_000\ncounter = 0\ndef work():\n    global counter\n"+
		"    for _ in range(N):\n        counter += 1\nts = [threading.Thread(target=work) for _ in range(2)]\n"+
		"for t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(counter)\n")
	out := cliOK(t, "run", prog, "--python", "2.7")
	if !strings.HasPrefix(out, "race.py (python=2.7) · GIL on · py2 · 100 ticks") {
		t.Errorf("run --python 2.7 does not simulate the old GIL:\n%s", out)
	}
	doc := cliJSON(t, "run", prog, "--python", "3.13t", "--json")
	if cfg, _ := doc["config"].(map[string]any); cfg == nil || cfg["model"] != "free-threaded" {
		t.Errorf("--python 3.13t: config %v, want the free-threaded model", doc["config"])
	}
	t.Setenv("PYTHON_GIL", "1")
	doc = cliJSON(t, "run", prog, "--python", "3.13t", "--json")
	if cfg, _ := doc["config"].(map[string]any); cfg == nil || cfg["model"] != "py3" {
		t.Errorf("--python 3.13t with PYTHON_GIL=1: config %v, want the GIL back (py3)", doc["config"])
	}
	src, _ := os.ReadFile(prog)
	var stdout, stderr bytes.Buffer
	if code := gilsim([]string{"run", "-", "--set", "N=10"}, bytes.NewReader(src), &stdout, &stderr); code != 0 ||
		!strings.HasPrefix(stdout.String(), "<stdin> (N=10) · GIL on") || !strings.Contains(stdout.String(), "MainThread  20\n") {
		t.Errorf("run - read from standard input: exit %d, stderr %q, stdout:\n%s", code, stderr.String(), stdout.String())
	}
	if out := cliOK(t, "compare", prog); !strings.Contains(out, "GIL off · free-threaded") {
		t.Errorf("compare of a program:\n%s", out)
	}
	svg := filepath.Join(t.TempDir(), "race.svg")
	cliOK(t, "export", prog, "-o", svg)
	if b, err := os.ReadFile(svg); err != nil || !bytes.Contains(b, []byte("<svg")) {
		t.Errorf("export of a program wrote no SVG (%v)", err)
	}
}

// TestBuiltinPythonVersion: a built-in scenario is a Python program too:
// --python picks its version and with it the model, and without --python
// the version follows the GIL simulated (2.7 under --model py2).
func TestBuiltinPythonVersion(t *testing.T) {
	if out := cliOK(t, "run", "counter-race", "--python", "2.7"); !strings.HasPrefix(out, "counter-race (python=2.7) · GIL on · py2") {
		t.Errorf("run counter-race --python 2.7 does not simulate the old GIL:\n%s", out)
	}
	race := func(args ...string) float64 {
		doc := cliJSON(t, append([]string{"run", "counter-race", "--json"}, args...)...)
		figs, _ := doc["figures"].(map[string]any)
		n, ok := figs["lost_updates"].(json.Number)
		f, err := n.Float64()
		if !ok || err != nil {
			t.Fatalf("counter-race %v reports no lost_updates: %v", args, doc["figures"])
		}
		return f
	}
	if n := race(); n != 0 {
		t.Errorf("counter-race at 3.12 under py3 lost %v updates, want none", n)
	}
	if n := race("--model", "py2"); n == 0 {
		t.Errorf("counter-race under py2 (compiled as 2.7) lost no update")
	}
	if n := race("--python", "3.9"); n == 0 {
		t.Errorf("counter-race --python 3.9 lost no update")
	}
}

// TestProgramErrors: a program that cannot be simulated, or flags that do
// not fit it, get one line and exit status 2; a compiler's line reads
// "file:line:col: ..." with no prefix, so that an editor can open it.
func TestProgramErrors(t *testing.T) {
	dir := t.TempDir()
	bad := writeProgram(t, "bad.py", "import threading\nimport ctypes\n")
	syntaxErr := writeProgram(t, "syn.py", "x = (1\n")
	good := writeProgram(t, "ok.py", "N = 3\nprint(N)\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", bad}, bad + ":2:8: unsupported: ctypes is not simulated (supported modules: threading, multiprocessing, concurrent.futures, queue, asyncio, time, socket, random, os)\n"},
		{[]string{"run", syntaxErr}, syntaxErr + ":1:5: syntax error: '(' was never closed\n"},
		{[]string{"run", filepath.Join(dir, "none.py")}, "gilsim: cannot read " + filepath.Join(dir, "none.py") + ": no such file or directory\n"},
		{[]string{"run", good, "--python", "4.0"}, `gilsim: --python "4.0" is not a version gilsim simulates (accepted: 2.7, 3.9, 3.11, 3.12, 3.13, 3.13t)` + "\n"},
		{[]string{"run", good, "--set", "M=1"}, "gilsim: bad parameter: ok.py has no parameter \"M\" (did you mean N? accepted: N, python, peer)\n"},
		{[]string{"play", "-"}, "gilsim: a program on standard input (-) is read by run, compare and export; give play a file\n"},
	} {
		r := cli(t, tc.args...)
		if r.code != 2 || r.stderr != tc.want || r.stdout != "" {
			t.Errorf("gilsim %s: exit %d, stdout %q, stderr\n %q\nwant exit 2 and\n %q", strings.Join(tc.args, " "), r.code, r.stdout, r.stderr, tc.want)
		}
	}
}

// TestProgramHelp: run FILE.py --help lists the program's constants as
// its parameters, with python and peer.
func TestProgramHelp(t *testing.T) {
	prog := writeProgram(t, "p.py", "WORKERS = 4\nprint(WORKERS)\n")
	out := cliOK(t, "run", prog, "--help")
	for _, want := range []string{"Parameters of p.py", "WORKERS    4", "the constant WORKERS (line 1)", "python", "peer"} {
		if !strings.Contains(out, want) {
			t.Errorf("run p.py --help does not say %q:\n%s", want, out)
		}
	}
}

// TestSuccessorFlag: --successor random signals a waiter drawn with the
// seed, which changes who gets the GIL when, and says so in the header.
func TestSuccessorFlag(t *testing.T) {
	fifo := cliOK(t, "run", "cpu-bound", "--set", "threads=6")
	random := cliOK(t, "run", "cpu-bound", "--set", "threads=6", "--successor", "random")
	if !strings.Contains(random, "· random successor ·") || fifo == random {
		t.Errorf("--successor random: the header or the run is unchanged:\n%s", random)
	}
	if r := cli(t, "run", "cpu-bound", "--successor", "lifo"); r.code != 2 ||
		r.stderr != "gilsim: --successor \"lifo\" is not a successor policy (accepted: fifo, random)\n" {
		t.Errorf("--successor lifo: exit %d, %q", r.code, r.stderr)
	}
}
