package calibrate

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// probeFS holds the probe scripts, their shared helper _probe.py and the
// version query version.py.
//
//go:embed probes/*.py
var probeFS embed.FS

// probe is one run of a script: a process that prints the figures in keys,
// or those of them it can measure on the interpreter at hand.
type probe struct {
	// name names the probe in progress reports and errors.
	name string
	// script is the file under probes/; args follow it on the command line.
	script string
	args   []string
	// keys are the figures the probe may report; any other is an error.
	keys []string
	// oneCPU marks the probe that pins itself to one CPU. An interpreter
	// without os.sched_setaffinity (2.7) is pinned from outside instead,
	// under taskset, and told so with --pinned.
	oneCPU bool
}

// probes is every probe, in the order a repetition runs them.
var probes = []probe{
	{name: "countdown", script: "countdown.py", keys: []string{"countdown_ns"}},
	{name: "threads", script: "threads.py", keys: []string{"two_threads_ratio"}},
	{name: "threads-1core", script: "threads.py", args: []string{"1core"}, keys: []string{"two_threads_ratio_1core"}, oneCPU: true},
	{name: "thread-start", script: "thread_start.py", keys: []string{"thread_start_us"}},
	{name: "process-start", script: "procstart.py", keys: []string{"fork_parent_ms", "fork_child_ms", "spawn_parent_ms", "spawn_child_ms"}},
	{name: "event-pingpong", script: "pingpong.py", keys: []string{"event_pingpong_us"}},
	{name: "switch", script: "switch.py", keys: []string{
		"handoffs_per_s_500us", "slice_ms_500us",
		"handoffs_per_s_5ms", "slice_ms_5ms",
		"handoffs_per_s_50ms", "slice_ms_50ms",
		"handoffs_per_s_py2", "slice_ms_py2",
	}},
	{name: "echo", script: "echo.py", keys: []string{
		"echo_rtt_p50_us", "echo_rtt_p99_us", "echo_rps",
		"echo_cpu_rtt_p50_us", "echo_cpu_rtt_p99_us", "echo_cpu_rps",
	}},
	{name: "queue", script: "mpqueue.py", keys: []string{"queue_put_us", "queue_get_us"}},
	{name: "race", script: "race.py", keys: []string{"lost_updates", "lost_updates_pct"}},
}

// reports says whether the probe may report key.
func (p probe) reports(key string) bool {
	for _, k := range p.keys {
		if k == key {
			return true
		}
	}
	return false
}

// command returns the program and arguments that run p on py from dir,
// the directory writeProbes filled. taskset is the path of taskset, "" if
// there is none, and cpu the CPU it pins to.
func (p probe) command(py Interpreter, dir, taskset string, cpu int) (string, []string) {
	args := append([]string{filepath.Join(dir, p.script)}, p.args...)
	if p.oneCPU && py.Major < 3 && taskset != "" {
		args = append([]string{"-c", strconv.Itoa(cpu), py.Path}, args...)
		return taskset, append(args, "--pinned")
	}
	return py.Path, args
}

// writeProbes writes every embedded script into dir, where the probes run
// from: a spawned child imports its parent's main module from its file.
func writeProbes(dir string) error {
	entries, err := fs.ReadDir(probeFS, "probes")
	if err != nil {
		return err
	}
	for _, e := range entries {
		b, err := probeFS.ReadFile("probes/" + e.Name())
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			return fmt.Errorf("calibrate: writing the probes: %w", err)
		}
	}
	return nil
}

// versionQuery is the source of version.py, which runs with -c.
var versionQuery = func() string {
	b, err := probeFS.ReadFile("probes/version.py")
	if err != nil {
		panic("calibrate: version.py is not embedded: " + err.Error())
	}
	return string(b)
}()

// firstCPU returns the lowest CPU this process may run on, read from the
// Cpus_allowed_list line of a /proc/self/status (status), or 0.
func firstCPU(status string) int {
	for line := range strings.Lines(status) {
		list, ok := strings.CutPrefix(line, "Cpus_allowed_list:")
		if !ok {
			continue
		}
		first := strings.TrimSpace(list)
		if i := strings.IndexAny(first, ",-"); i >= 0 {
			first = first[:i]
		}
		if n, err := strconv.Atoi(first); err == nil {
			return n
		}
	}
	return 0
}
