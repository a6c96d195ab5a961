package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gilsim/gilsim/scenarios/calibrate"
	"github.com/gilsim/gilsim/sim/platform"
)

// fakePython writes a POSIX sh script that answers gilsim calibrate as a
// CPython 3.12.1 would: the version query, and each probe with the figures
// a 2-core Linux machine gave (whatever the run).
func fakePython(t *testing.T) string {
	t.Helper()
	answers := map[string]string{
		"countdown.py":     `{"countdown_ns": 39.4}`,
		"threads.py":       `{"two_threads_ratio": 1.15}`,
		"threads.py 1core": `{"two_threads_ratio_1core": 0.98}`,
		"thread_start.py":  `{"thread_start_us": 156}`,
		"procstart.py":     `{"fork_parent_ms": 0.77, "fork_child_ms": 1.36, "spawn_parent_ms": 0.94, "spawn_child_ms": 72.5}`,
		"pingpong.py":      `{"event_pingpong_us": 99}`,
		"switch.py":        `{"handoffs_per_s_500us": 1270, "slice_ms_500us": 0.655, "handoffs_per_s_5ms": 186, "slice_ms_5ms": 5.17, "handoffs_per_s_50ms": 19.9, "slice_ms_50ms": 50.2}`,
		"echo.py":          `{"echo_rtt_p50_us": 72.1, "echo_rtt_p99_us": 172, "echo_rps": 13100, "echo_cpu_rtt_p50_us": 5240, "echo_cpu_rtt_p99_us": 10800, "echo_cpu_rps": 175}`,
		"mpqueue.py":       `{"queue_put_us": 1.97, "queue_get_us": 23.0}`,
		"race.py":          `{"lost_updates": 0, "lost_updates_pct": 0}`,
	}
	var b strings.Builder
	b.WriteString("#!/bin/sh\nif [ \"$1\" = \"-c\" ]; then\n")
	b.WriteString(`  printf '{"version": "3.12.1", "version_info": [3, 12, 1], "implementation": "CPython", "free_threaded": false, "gil_enabled": true, "executable": "%s"}\n' "$0"` + "\n  exit 0\nfi\n")
	b.WriteString("probe=$(basename \"$1\")\nshift\nfor a in \"$@\"; do probe=\"$probe $a\"; done\ncase \"$probe\" in\n")
	for probe, out := range answers {
		fmt.Fprintf(&b, "%q) echo '%s';;\n", probe, out)
	}
	b.WriteString("*) echo \"no such probe: $probe\" >&2; exit 2;;\nesac\n")
	path := filepath.Join(t.TempDir(), "python3.12")
	if err := os.WriteFile(path, []byte(b.String()), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// With no Python to measure, calibrate says so in one line, exit status 2.
func TestCalibrateWithoutPython(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Chdir(t.TempDir())
	r := cli(t, "calibrate")
	if r.code != 2 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "no Python to measure") {
		t.Errorf("exit %d, stdout %q, stderr %q: want one line saying there is no Python, exit 2", r.code, r.stdout, r.stderr)
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("calibrate without Python left %d files behind", len(entries))
	}
}

func TestCalibrateRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	exists := filepath.Join(dir, "mine.json")
	if err := os.WriteFile(exists, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--reps", "0"}, "--reps 0 is out of range (accepted: 1 to 20)"},
		{[]string{"--name", "My Laptop"}, `profile name "My Laptop": expected`},
		{[]string{"--name", "beazley-2010"}, "is a built-in profile's"},
		{[]string{"-o", exists}, "mine.json exists"},
		{[]string{"--python", filepath.Join(dir, "nosuch")}, "nosuch"},
		{[]string{"extra"}, "takes no arguments"},
	} {
		r := cli(t, append([]string{"calibrate"}, c.args...)...)
		if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("calibrate %v: exit %d, stderr %q; want exit 2 and one line with %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// Calibrate measures, fits, writes a profile that loads, and prints the
// measured figures beside the simulated ones.
func TestCalibrateWritesAProfile(t *testing.T) {
	py := fakePython(t)
	dir := t.TempDir()
	out, rec := filepath.Join(dir, "lab.json"), filepath.Join(dir, "lab-measured.json")
	r := cli(t, "calibrate", "--python", py, "--name", "lab", "-o", out, "--reps", "1", "--force", "--save-measurements", rec)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	p, err := platform.Load(out)
	if err != nil {
		t.Fatalf("the profile written does not load: %v", err)
	}
	if p.Name != "lab" || !strings.Contains(p.Description, "CPython 3.12.1") {
		t.Errorf("profile %q, description %q", p.Name, p.Description)
	}
	cfg := p.Config()
	if cfg.WakeLatency < 20_000 || cfg.WakeLatency > 80_000 {
		t.Errorf("wake latency fitted to %s from a 99µs ping-pong, want tens of µs", cfg.WakeLatency)
	}
	for _, want := range []string{"figure", "countdown_ns", "python_scale", "event_pingpong_us", "wake_latency", "echo_cpu_rtt_p50_us", "Profile lab written to " + out} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the report lacks %q:\n%s", want, r.stdout)
		}
	}
	b, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	record, err := calibrate.ParseRecord(b)
	if err != nil || len(record.Interpreters) != 1 || record.Interpreters[0].Python.Version != "3.12.1" {
		t.Errorf("the measurements saved read back as %+v, %v", record, err)
	}
	var doc map[string]any
	if json.Unmarshal(b, &doc) != nil {
		t.Error("the measurements file is not JSON")
	}
	// A run under the profile uses it.
	if r := cli(t, "run", "convoy", "--platform", out); r.code != 0 || !strings.Contains(r.stdout, "platform lab") {
		t.Errorf("run under the calibrated profile: exit %d, %s%s", r.code, r.stdout, r.stderr)
	}
}
