package sim_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// BenchmarkAgainstSimPy simulates cpu-bound with 60 threads each counting
// down from 1,000,000,000 (52 s of CPU a thread at the defaults, 618,646
// handoffs) under py3, then, once, the same workload as a plain SimPy 2
// model (docs/bench/simpy_cpu_bound.py: the same GIL rules, every timed
// wait an event), side by side. ns/op is gilsim's whole run, the Python
// compile included; simpy-s the SimPy model's simulation; x-simpy how many
// times faster gilsim is. Without SimPy 2 (Debian's python3-simpy) only
// gilsim is measured, and the log says so. With GILSIM_SIMPY_LAZY=1 in the
// environment the SimPy model plays only the timed waits that matter, as
// gilsim does.
func BenchmarkAgainstSimPy(b *testing.B) {
	sc, err := scenarios.Lookup("cpu-bound")
	if err != nil {
		b.Fatal(err)
	}
	v, err := sc.Parse([]string{"threads=60", "count=1000000000"})
	if err != nil {
		b.Fatal(err)
	}
	cfg := sim.DefaultConfig()
	cfg.Trace = false
	var m sim.Metrics
	start := time.Now()
	for b.Loop() {
		s, err := v.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		if s.Run() != sim.OutcomeCompleted {
			b.Fatalf("the run ended %s", s.Outcome())
		}
		m = s.Metrics()
	}
	perRun := time.Since(start).Seconds() / float64(b.N)
	b.ReportMetric(float64(m.GIL.Handoffs), "handoffs")
	b.ReportMetric(float64(m.Events), "events")
	b.StopTimer()
	python := simPyPython()
	if python == "" {
		b.Log("SimPy 2 is not installed (Debian: python3-simpy): gilsim alone was measured")
		return
	}
	w := m.Threads[len(m.Threads)-1]
	args := []string{"../docs/bench/simpy_cpu_bound.py", "60",
		strconv.FormatFloat(time.Duration(w.CPU).Seconds(), 'g', -1, 64),
		strconv.FormatFloat(cfg.SwitchInterval.Seconds(), 'g', -1, 64),
		strconv.FormatFloat(cfg.WakeLatency.Seconds(), 'g', -1, 64),
		// One check point an iteration of the countdown.
		strconv.FormatFloat(time.Duration(w.CPU).Seconds()/1e9, 'g', -1, 64)}
	if os.Getenv("GILSIM_SIMPY_LAZY") == "1" {
		args = append(args, "lazy")
	}
	out, err := exec.Command(python, args...).Output()
	if err != nil {
		b.Fatalf("the SimPy model failed: %v", err)
	}
	got := map[string]float64{}
	sc2 := bufio.NewScanner(bytes.NewReader(out))
	for sc2.Scan() {
		k, val, _ := strings.Cut(sc2.Text(), " ")
		f, err := strconv.ParseFloat(val, 64)
		if err != nil {
			b.Fatalf("the SimPy model printed %q", sc2.Text())
		}
		got[k] = f
	}
	b.ReportMetric(got["wall_s"], "simpy-s")
	b.ReportMetric(got["wall_s"]/perRun, "x-simpy")
	b.Logf("SimPy: %.0f handoffs in %.0f s of virtual time, %.0f events, %.1f s; gilsim: %d handoffs in %s, %d events, %.3f s",
		got["handoffs"], got["virtual_s"], got["events"], got["wall_s"], m.GIL.Handoffs, m.Elapsed, m.Events, perRun)
}

// simPyPython returns a Python that imports SimPy 2, or "".
func simPyPython() string {
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import SimPy.Simulation").Run() == nil {
			return p
		}
	}
	return ""
}
