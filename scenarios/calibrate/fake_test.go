package calibrate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fake describes a fake interpreter: a POSIX sh script that answers the
// version query like version.py and runs body for a probe.
type fake struct {
	version      string // "3.12.1"
	freeThreaded bool
	// executable is what the fake reports as sys.executable; "" reports
	// the path it was started as ($0).
	executable string
	// body runs for a probe. It sees $probe, the script's file name and
	// arguments ("threads.py 1core"), $n, how many times this probe has
	// run (from 1), and $here, the fake's directory.
	body string
	// broken, if not "", makes the fake fail every call, printing it to
	// stderr, as a pyenv shim for a version not selected does.
	broken string
}

// write writes the fake as dir/name and returns its path.
func (f fake) write(t *testing.T, dir, name string) string {
	t.Helper()
	var parts [3]int
	fmt.Sscanf(f.version, "%d.%d.%d", &parts[0], &parts[1], &parts[2])
	exe := `"$0"`
	if f.executable != "" {
		exe = fmt.Sprintf("%q", f.executable)
	}
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	if f.broken != "" {
		fmt.Fprintf(&b, "echo %q >&2\nexit 127\n", f.broken)
	}
	fmt.Fprintf(&b, `here=$(dirname "$0")
if [ "$1" = "-c" ]; then
	printf '{"version": "%s", "version_info": [%d, %d, %d], "implementation": "CPython", "free_threaded": %t, "gil_enabled": %t, "executable": "%%s"}\n' %s
	exit 0
fi
probe=$(basename "$1")
shift
for a in "$@"; do probe="$probe $a"; done
count="$here/.count-$(echo "$probe" | tr ' ' _)"
n=$(cat "$count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$count"
`, f.version, parts[0], parts[1], parts[2], f.freeThreaded, !f.freeThreaded, exe)
	b.WriteString(f.body)
	b.WriteString("\n")
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// answerAll is a fake's body that prints every figure of every probe.
// Runs 1 to 5 of a probe give each of its figures base values 50, 10, 40,
// 20, 30 (median 30) times 1000, plus the figure's index in Figures, so
// that each figure's median is 30000 + index.
func answerAll() string {
	var b strings.Builder
	b.WriteString("case \"$n\" in 1) v=50;; 2) v=10;; 3) v=40;; 4) v=20;; *) v=30;; esac\n")
	b.WriteString("case \"$probe\" in\n")
	for _, p := range probes {
		var pairs []string
		for _, key := range p.keys {
			pairs = append(pairs, fmt.Sprintf(`\"%s\": $((v * 1000 + %d))`, key, figureIndex(key)))
		}
		fmt.Fprintf(&b, "%q) echo \"{%s}\";;\n", strings.Join(append([]string{p.script}, p.args...), " "), strings.Join(pairs, ", "))
	}
	b.WriteString("*) echo \"no such probe: $probe\" >&2; exit 2;;\nesac\n")
	return b.String()
}

// figureIndex returns the index of key in Figures, -1 if it is not there.
func figureIndex(key string) int {
	for i, f := range Figures {
		if f.Key == key {
			return i
		}
	}
	return -1
}

// fakeInterpreter writes f into a new directory and returns it as Discover
// would.
func fakeInterpreter(t *testing.T, f fake) Interpreter {
	t.Helper()
	path := f.write(t, t.TempDir(), "python")
	py, err := query(path)
	if err != nil {
		t.Fatal(err)
	}
	return py
}
