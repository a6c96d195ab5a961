package calibrate

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const (
	statBefore = `cpu  3210156 61296 569439 3661005 5605 0 2647 121269 0 0
cpu0 1600201 24310 284882 1843199 1428 0 514 61135 0 0
cpu1 1609955 36986 284556 1817805 4177 0 2132 60133 0 0
intr 123456 0 0
ctxt 987654
btime 1767000000
processes 22217
procs_running 1
procs_blocked 0
softirq 1 2 3
`
	// 200 jiffies later, 30 of them stolen.
	statAfter = `cpu  3210256 61296 569459 3661055 5605 0 2647 121299 0 0
cpu0 1600251 24310 284892 1843224 1428 0 514 61150 0 0
cpu1 1610005 36986 284566 1817830 4177 0 2132 60148 0 0
`
)

func TestParseLoadavg(t *testing.T) {
	for _, tc := range []struct {
		text string
		want float64
		ok   bool
	}{
		{"0.16 1.01 1.41 1/89 22217\n", 0.16, true},
		{"12.50 9.00 3.00 8/900 1\n", 12.5, true},
		{"", 0, false},
		{"busy 1.0 1.0 1/2 3\n", 0, false},
		{"-1 0 0 1/2 3\n", 0, false},
	} {
		got, err := parseLoadavg(tc.text)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseLoadavg(%q) = %v, %v; want %v, ok %v", tc.text, got, err, tc.want, tc.ok)
		}
	}
}

func TestParseStat(t *testing.T) {
	before, err := parseStat(statBefore)
	if err != nil {
		t.Fatal(err)
	}
	want := cpuTimes{total: 3210156 + 61296 + 569439 + 3661005 + 5605 + 0 + 2647 + 121269, steal: 121269, hasSteal: true, cpus: 2}
	if before != want {
		t.Errorf("parseStat = %+v, want %+v", before, want)
	}
	after, err := parseStat(statAfter)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := stealPct(before, after); !ok || math.Abs(got-15) > 1e-9 {
		t.Errorf("stealPct = %v, %v; want 15, true", got, ok)
	}
	if _, ok := stealPct(before, before); ok {
		t.Error("stealPct of no time passing claims to know")
	}

	// A kernel before 2.6.11 has no steal column.
	old, err := parseStat("cpu  1 2 3 4 5 6 7\ncpu0 1 2 3 4 5 6 7\n")
	if err != nil || old.hasSteal || old.total != 28 || old.cpus != 1 {
		t.Errorf("parseStat of a 2.6.10 kernel = %+v, %v", old, err)
	}
	if _, ok := stealPct(old, old); ok {
		t.Error("stealPct without a steal column claims to know")
	}
	for _, bad := range []string{"", "intr 1 2 3\n", "cpu  1 x 3 4 5 6 7 8\n"} {
		if _, err := parseStat(bad); err == nil {
			t.Errorf("parseStat(%q) succeeded", bad)
		}
	}
}

func TestCheckLoad(t *testing.T) {
	proc := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(proc, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("loadavg", "1.20 0.90 0.50 2/100 4242\n")
	write("stat", statBefore)
	l, err := checkLoad(context.Background(), proc, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The same stat twice: no time passed, so steal is unknown.
	if !l.LoadKnown || l.Load1 != 1.2 || l.CPUs != 2 || l.StealKnown {
		t.Errorf("checkLoad = %+v", l)
	}
	if refuse, warn := l.Verdict(); refuse || !strings.Contains(warn, "0.60 a CPU") {
		t.Errorf("Verdict of %+v = %v, %q; want a warning about 0.60 a CPU", l, refuse, warn)
	}

	// No /proc, as on macOS: unknown, not an error, not a refusal.
	l, err = checkLoad(context.Background(), filepath.Join(proc, "missing"), 0)
	if err != nil || l.LoadKnown || l.StealKnown || l.CPUs != runtime.NumCPU() {
		t.Errorf("checkLoad without /proc = %+v, %v", l, err)
	}
	if refuse, warn := l.Verdict(); refuse || !strings.Contains(warn, "unknown") {
		t.Errorf("Verdict without /proc = %v, %q; want a warning, no refusal", refuse, warn)
	}

	write("loadavg", "garbage\n")
	if _, err := checkLoad(context.Background(), proc, 0); err == nil {
		t.Error("checkLoad of a garbled /proc/loadavg succeeded")
	}

	write("loadavg", "0.10 0.10 0.10 1/100 4242\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := checkLoad(ctx, proc, 1<<62); err != context.Canceled {
		t.Errorf("checkLoad after cancel = %v, want context.Canceled", err)
	}
}

func TestVerdict(t *testing.T) {
	for _, tc := range []struct {
		name   string
		load   Load
		refuse bool
		warn   []string // what the message must say; none means no message
	}{
		{"quiet", Load{Load1: 0.3, LoadKnown: true, CPUs: 2, StealPct: 1, StealKnown: true}, false, nil},
		{"just under the warning", Load{Load1: 0.79, LoadKnown: true, CPUs: 2, StealPct: 2.9, StealKnown: true}, false, nil},
		{"moderate load", Load{Load1: 0.8, LoadKnown: true, CPUs: 2}, false, []string{"0.80 on 2 CPUs", "0.40 a CPU", "0.40 a CPU from which"}},
		{"heavy load", Load{Load1: 3.4, LoadKnown: true, CPUs: 4, StealKnown: true}, true, []string{"3.40 on 4 CPUs", "0.85 a CPU", "0.80 a CPU at which calibration refuses"}},
		{"moderate steal", Load{Load1: 0.1, LoadKnown: true, CPUs: 8, StealPct: 4.2, StealKnown: true}, false, []string{"4.2%", "steal", "3%"}},
		{"heavy steal", Load{Load1: 0.1, LoadKnown: true, CPUs: 8, StealPct: 12.5, StealKnown: true}, true, []string{"12.5%", "steal", "10%"}},
		{"heavy steal beats moderate load", Load{Load1: 4, LoadKnown: true, CPUs: 8, StealPct: 10, StealKnown: true}, true, []string{"10.0%", "steal"}},
		{"steal unknown", Load{Load1: 0.1, LoadKnown: true, CPUs: 1}, false, nil},
		{"load unknown, steal heavy", Load{CPUs: 1, StealPct: 20, StealKnown: true}, true, []string{"20.0%"}},
		{"nothing known", Load{CPUs: 4}, false, []string{"unknown"}},
	} {
		refuse, warn := tc.load.Verdict()
		if refuse != tc.refuse {
			t.Errorf("%s: refuse = %v, want %v (%q)", tc.name, refuse, tc.refuse, warn)
		}
		if (warn == "") != (len(tc.warn) == 0) {
			t.Errorf("%s: message %q, want one saying %q", tc.name, warn, tc.warn)
		}
		for _, w := range tc.warn {
			if !strings.Contains(warn, w) {
				t.Errorf("%s: message %q, want it to say %q", tc.name, warn, w)
			}
		}
		if strings.Count(warn, ". ") > 0 || strings.HasSuffix(warn, ".") {
			t.Errorf("%s: message %q is not one sentence without a final period", tc.name, warn)
		}
	}
}
