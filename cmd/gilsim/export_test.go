package main

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// readmeSVG is the picture the README shows, made by the command the
// README gives (readmeCommand, with -o pointing at it).
var (
	readmeSVG     = filepath.Join("..", "..", "sim", "export", "testdata", "readme-convoy.svg")
	readmeCommand = []string{"export", "convoy", "--set", "requests=20"}
)

// TestExportReadmePicture regenerates the README's picture and compares it
// with the committed one; -update rewrites it.
func TestExportReadmePicture(t *testing.T) {
	out := filepath.Join(t.TempDir(), "readme-convoy.svg")
	if r := cli(t, append(readmeCommand, "-o", out)...); r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Fatalf("exit status %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(readmeSVG, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(readmeSVG)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/gilsim -update makes it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s is stale: %s made a different picture (go test ./cmd/gilsim -update rewrites it)",
			readmeSVG, "gilsim "+strings.Join(readmeCommand, " "))
	}
}

// TestExportFormats: each format, chosen by --format or by the file's
// extension, to standard output or to a file.
func TestExportFormats(t *testing.T) {
	dir := t.TempDir()
	umasked := newFileMode(t)
	isJSON := func(t *testing.T, b []byte) {
		t.Helper()
		var doc struct {
			TraceEvents []map[string]any `json:"traceEvents"`
		}
		if err := json.Unmarshal(b, &doc); err != nil || len(doc.TraceEvents) == 0 {
			t.Errorf("not a trace (%v): %.80q", err, b)
		}
	}
	isSVG := func(t *testing.T, b []byte) {
		t.Helper()
		var doc struct {
			XMLName xml.Name
		}
		if err := xml.Unmarshal(b, &doc); err != nil || doc.XMLName.Local != "svg" {
			t.Errorf("not an SVG picture (%v): %.80q", err, b)
		}
	}
	isText := func(t *testing.T, b []byte) {
		t.Helper()
		if s := string(b); !strings.Contains(s, "legend:") || !strings.Contains(s, "CPU-bound threads — cpu-bound") {
			t.Errorf("not a text timeline of cpu-bound: %.200q", b)
		}
	}
	for _, tc := range []struct {
		name  string
		args  []string
		file  string // the output file, or "" for standard output
		check func(*testing.T, []byte)
	}{
		{"perfetto to stdout", []string{"--format", "perfetto"}, "", isJSON},
		{"svg to stdout", []string{"--format", "svg"}, "", isSVG},
		{"text to stdout", []string{"--format", "text", "--width", "100"}, "", isText},
		{"json extension", nil, "run.json", isJSON},
		{"svg extension", nil, "run.SVG", isSVG},
		{"txt extension", nil, "run.txt", isText},
		{"format and agreeing extension", []string{"--format", "text"}, "agree.txt", isText},
		{"format and another extension", []string{"--format", "perfetto"}, "trace.data", isJSON},
		{"flags before the scenario", []string{"--model", "py2", "--cores", "2", "--format", "Text"}, "", isText},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"export"}
			if tc.name == "flags before the scenario" {
				args = append(append(args, tc.args...), "cpu-bound")
			} else {
				args = append(append(args, "cpu-bound"), tc.args...)
			}
			path := ""
			if tc.file != "" {
				path = filepath.Join(dir, tc.file)
				args = append(args, "-o", path)
			}
			out := cliOK(t, args...)
			if path == "" {
				tc.check(t, []byte(out))
				return
			}
			if out != "" {
				t.Errorf("wrote %d bytes to stdout as well as to %s", len(out), path)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, b)
			// A new file gets the mode the shell's > would give it.
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != umasked {
				t.Errorf("%s: mode %v, %v; want %v", path, fi.Mode().Perm(), err, umasked)
			}
		})
	}
	noLeftovers(t, dir)
}

// TestExportBadInput: one line on stderr, nothing on stdout, exit status 2
// for what the user typed wrong and 1 for a file that cannot be written,
// and no file left behind.
func TestExportBadInput(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder.svg")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // in the error line
	}{
		{"unknown format", []string{"--format", "png"}, 2, `--format "png" is not an export format (accepted: perfetto or json, svg, text or txt)`},
		{"no format", nil, 2, "needs --format perfetto, svg or text"},
		{"unknown extension", []string{"-o", filepath.Join(dir, "run.out")}, 2, "cannot tell the format"},
		{"format and extension disagree", []string{"--format", "svg", "-o", filepath.Join(dir, "run.json")}, 2, "disagrees with -o"},
		{"width too small", []string{"--format", "text", "--width", "10"}, 2, `--width "10" is not a width`},
		{"width not a number", []string{"--format", "text", "--width", "wide"}, 2, `--width "wide"`},
		{"width with svg", []string{"--format", "svg", "--width", "100"}, 2, "does not apply to --format svg"},
		{"output is a folder", []string{"-o", folder}, 2, "is a folder"},
		{"unknown parameter", []string{"--format", "text", "--set", "x=1"}, 2, "has no parameter"},
		{"bad cores", []string{"--format", "text", "--cores", "0"}, 2, "--cores"},
		{"missing folder", []string{"-o", filepath.Join(dir, "no", "such", "run.svg")}, 1, "no such file or directory"},
		{"folder is a file", []string{"-o", filepath.Join(notDir, "run.svg")}, 1, "not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cli(t, append([]string{"export", "cpu-bound"}, tc.args...)...)
			if r.code != tc.code {
				t.Errorf("exit status %d, want %d", r.code, tc.code)
			}
			if r.stdout != "" {
				t.Errorf("stdout %.80q, want nothing", r.stdout)
			}
			if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "gilsim: ") || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr %q, want one line with %q", r.stderr, tc.want)
			}
		})
	}
	r := cli(t, "export")
	if r.code != 2 || !strings.Contains(r.stderr, "needs a scenario name") {
		t.Errorf("export without a scenario: exit status %d, stderr %q", r.code, r.stderr)
	}
	noLeftovers(t, dir, "plain-file", "folder.svg")
}

// TestWriteOutput: a failed write leaves neither a temporary file nor a
// half-written one, and an existing file keeps its old content; a good
// one replaces it.
func TestWriteOutput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "old.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	stop := newStopper(io.Discard)
	defer stop.release()
	err := writeOutput(stop, path, nil, func(w io.Writer) error {
		io.WriteString(w, "half a timeline")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want the writer's", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("the old file now holds %q", b)
	}
	if err := writeOutput(stop, path, nil, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("the file holds %q after a good write", b)
	}
	noLeftovers(t, dir, "old.txt")
}

// newFileMode is the mode a new file gets under the test's umask: what
// the shell's > gives, and what an export to a new name must give.
func newFileMode(t *testing.T) os.FileMode {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(t.TempDir(), "probe"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// stderrLine fails unless stderr is one gilsim line holding want.
func stderrLine(t *testing.T, stderr, want string) {
	t.Helper()
	if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "gilsim: ") || !strings.Contains(stderr, want) {
		t.Errorf("stderr %q, want one line with %q", stderr, want)
	}
}

// noLeftovers fails if dir holds any file but the expected ones: in
// particular a temporary file an export failed to remove.
func noLeftovers(t *testing.T, dir string, expected ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("%s left behind in %s", e.Name(), dir)
		}
		if len(expected) > 0 {
			found := false
			for _, x := range expected {
				found = found || x == e.Name()
			}
			if !found {
				t.Errorf("%s left behind in %s", e.Name(), dir)
			}
		}
	}
}

// TestRunTimeline: gilsim run --timeline prints the summary, then the
// same text timeline gilsim export writes; its bad input is refused before
// anything is printed.
func TestRunTimeline(t *testing.T) {
	summary := cliOK(t, "run", "cpu-bound")
	timeline := cliOK(t, "export", "cpu-bound", "--format", "text", "--width", "100")
	got := cliOK(t, "run", "cpu-bound", "--timeline", "--width", "100")
	if got != summary+"\n"+timeline {
		t.Errorf("run --timeline is not the summary, a blank line and the timeline:\n%s", got)
	}
	if implied := cliOK(t, "run", "cpu-bound", "--width", "100"); implied != got {
		t.Error("--width alone does not imply --timeline")
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--timeline", "--json"}, "cannot go with --json"},
		{[]string{"--width", "20"}, `--width "20" is not a width`},
	} {
		r := cli(t, append([]string{"run", "cpu-bound"}, tc.args...)...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("run %v: exit status %d, stdout %.40q, stderr %q; want 2, nothing, %q", tc.args, r.code, r.stdout, r.stderr, tc.want)
		}
	}
}

// TestExportLimits: --max-events and --max-time stop an export, which
// then says so on stderr in one line naming the limit (and still exits 0,
// as run does, since the export is whole); bad values are refused.
func TestExportLimits(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-events", "100"}, "stopped by the event limit (100 events; --max-events)"},
		{[]string{"--max-time", "10ms"}, "stopped by the time limit (10.000ms of virtual time; --max-time)"},
	} {
		path := filepath.Join(dir, "limited.txt")
		r := cli(t, append([]string{"export", "cpu-bound", "-o", path}, tc.args...)...)
		if r.code != 0 || r.stdout != "" {
			t.Errorf("%v: exit status %d, stdout %.40q", tc.args, r.code, r.stdout)
		}
		stderrLine(t, r.stderr, tc.want)
		if b, _ := os.ReadFile(path); !strings.Contains(string(b), "stopped at the") {
			t.Errorf("%v: the file does not say the run was stopped", tc.args)
		}
	}
	if r := cli(t, "export", "cpu-bound", "--format", "text"); r.stderr != "" {
		t.Errorf("a run that ends by itself: stderr %q", r.stderr)
	}
	for _, bad := range [][]string{{"--max-events", "0"}, {"--max-time", "soon"}} {
		r := cli(t, append([]string{"export", "cpu-bound", "--format", "text"}, bad...)...)
		if r.code != 2 || r.stdout != "" {
			t.Errorf("%v: exit status %d, stdout %.40q; want 2", bad, r.code, r.stdout)
		}
		stderrLine(t, r.stderr, bad[0])
	}
	help := cliOK(t, "export", "--help")
	if !strings.Contains(help, "--max-events N") || !strings.Contains(help, "(default "+strconv.Itoa(exportMaxEvents)+")") {
		t.Errorf("export --help does not show --max-events with export's default:\n%s", help)
	}
}
