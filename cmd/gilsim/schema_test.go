package main

import (
	"slices"
	"sort"
	"strings"
	"testing"
)

// runSchema lists every key of the gilsim run --json document, as paths,
// except those the scenario names (params.*, figures.*). It is the schema
// the README documents: a change here is a change of the documented
// schema, and needs the README (and, for a renamed or removed key,
// schemaVersion) to change with it.
var runSchema = []string{
	"blocked[].name", "blocked[].process", "blocked[].state", "blocked[].thread", "blocked[].waits_for",
	"config.check_interval_ticks", "config.cores", "config.gil", "config.model", "config.platform", "config.seed", "config.successor",
	"config.switch_interval_ns",
	"console[].at_ns", "console[].process_id", "console[].stderr", "console[].text", "console[].thread", "console[].thread_name",
	"cpu_ns", "cpu_utilisation", "elapsed_ns",
	"event_loops[].iterations", "event_loops[].max_late_ns", "event_loops[].ready_high_water", "event_loops[].thread", "event_loops[].thread_name",
	"events", "figures", "figures_partial",
	"gil.drop_requests", "gil.enabled", "gil.failed_wakeups", "gil.forced_switches", "gil.handoffs",
	"gil.handoffs_by_reason.check_interval", "gil.handoffs_by_reason.exit", "gil.handoffs_by_reason.interval",
	"gil.handoffs_by_reason.io", "gil.handoffs_by_reason.join", "gil.handoffs_by_reason.lock",
	"gil.handoffs_by_reason.native", "gil.handoffs_by_reason.queue", "gil.handoffs_by_reason.select",
	"gil.handoffs_by_reason.shutdown", "gil.handoffs_by_reason.sleep", "gil.handoffs_by_reason.start",
	"gil.handoffs_per_second", "gil.max_waiters", "gil.mean_waiters", "gil.py2_overhead_ns", "gil.signals", "gil.switch_waits",
	"limits.max_events", "limits.max_time_ns",
	"locks[].acquires", "locks[].contended", "locks[].name",
	"outcome", "params",
	"processes[].exception", "processes[].exit_code", "processes[].exit_ns", "processes[].exited", "processes[].gil_handoffs", "processes[].id",
	"processes[].max_gil_waiters", "processes[].mean_gil_waiters", "processes[].name", "processes[].ready_ns",
	"processes[].start_method", "processes[].start_ns", "processes[].started",
	"queues[].gets", "queues[].high_water", "queues[].kind", "queues[].left", "queues[].name", "queues[].puts",
	"requests.count", "requests.max_ns", "requests.mean_ns", "requests.min_ns", "requests.p50_ns", "requests.p90_ns",
	"requests.p99_ns", "requests.per_second",
	"scenario", "schema", "sections", "slow_callbacks", "summary",
	"threads[].blocked_ns", "threads[].cpu_ns", "threads[].id", "threads[].inactive_ns", "threads[].name",
	"threads[].process", "threads[].process_id", "threads[].runnable_ns", "threads[].wait_gil_ns",
	"title",
	"variables[].final", "variables[].initial", "variables[].lost_updates", "variables[].name",
}

// compareSchema is the same for gilsim compare --json; settings[].run is a
// run document.
var compareSchema = []string{
	"baseline", "check_interval_ticks", "cores", "params", "platform", "scenario", "schema", "sections", "seed",
	"settings[].cpu_utilisation", "settings[].elapsed_ns", "settings[].failed_wakeups", "settings[].figures", "settings[].figures_partial",
	"settings[].gil", "settings[].gil_handoffs", "settings[].label", "settings[].model", "settings[].outcome",
	"settings[].processes", "settings[].run", "settings[].setting", "settings[].speedup",
	"summary", "switch_interval_ns", "title",
}

// keyPaths collects the key paths of a decoded document into seen.
func keyPaths(v any, prefix string, seen map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			seen[p] = true
			if p == "params" || strings.HasSuffix(p, "figures") || strings.HasSuffix(p, "[].run") {
				continue
			}
			keyPaths(e, p, seen)
		}
	case []any:
		for _, e := range x {
			keyPaths(e, prefix+"[]", seen)
		}
	}
}

// leaves keeps the paths that are not a prefix of another path.
func leaves(seen map[string]bool) []string {
	var out []string
	for p := range seen {
		leaf := true
		for q := range seen {
			if strings.HasPrefix(q, p+".") || strings.HasPrefix(q, p+"[]") {
				leaf = false
				break
			}
		}
		if leaf {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

func TestJSONSchema(t *testing.T) {
	// Between them these runs fill every list of the run document.
	seen := map[string]bool{}
	for _, args := range [][]string{
		{"run", "convoy"},              // requests
		{"run", "process-queue-fixed"}, // queues, processes, console
		{"run", "lock-contention"},     // locks
		{"run", "counter-race"},        // variables
		{"run", "asyncio-basic"},       // event loops
	} {
		keyPaths(cliJSON(t, append(args, "--json")...), "", seen)
	}
	keyPaths(decodeReport(t, reportOf(t, deadlockWorkload())), "", seen) // blocked
	want := slices.Clone(runSchema)
	sort.Strings(want)
	if got := leaves(seen); !slices.Equal(got, want) {
		t.Errorf("run --json keys changed:\n got %q\nwant %q", got, want)
	}

	seen = map[string]bool{}
	keyPaths(cliJSON(t, "compare", "cpu-bound", "--set", "threads=2", "--json"), "", seen)
	want = slices.Clone(compareSchema)
	sort.Strings(want)
	if got := leaves(seen); !slices.Equal(got, want) {
		t.Errorf("compare --json keys changed:\n got %q\nwant %q", got, want)
	}
}
