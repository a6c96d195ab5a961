package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gilsim/gilsim/scenarios/calibrate"
	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/sim/platform"
)

// calibrateFlags are gilsim calibrate's flags.
type calibrateFlags struct {
	pythons      []string
	name, output string
	force        bool
	reps         int
	measurements string
}

func newCalibrateCmd(e *env) *cobra.Command {
	var f calibrateFlags
	cmd := &cobra.Command{
		Use:   "calibrate",
		Short: "Measure your CPython and write a platform profile fitted to it",
		Long: "Calibrate runs short probes on the CPython interpreters it finds (python2.7 and\n" +
			"python3.x on PATH, or those given with --python), five times each: countdown speed,\n" +
			"thread and process start, an Event ping-pong, GIL switching at 0.5, 5 and 50 ms, an\n" +
			"echo round trip with and without a CPU-bound thread, multiprocessing queue costs and\n" +
			"lost updates of counter += 1. It then fits the knobs of a platform profile to the\n" +
			"medians by simulating the same programs, writes the profile, and prints what it\n" +
			"measured beside what gilsim now simulates. It refuses to measure on a busy machine\n" +
			"(a 1-minute load of 0.8 a CPU, or 10% steal); --force measures anyway. The probes\n" +
			"are in scenarios/calibrate/probes; each interpreter takes 10 to 20 seconds.",
		Example: "  gilsim calibrate\n" +
			"  gilsim calibrate --python /usr/bin/python3.12 --python /usr/bin/python2.7\n" +
			"  gilsim calibrate --name my-laptop -o my-laptop.json\n" +
			"  gilsim run convoy --platform my-laptop.json",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runCalibrate(ctx, e, f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.pythons, "python", nil, "an interpreter to measure, a path or a name on PATH (repeat for several; default: every python2.7 and python3.x found on PATH)")
	fl.StringVar(&f.name, "name", "", "the profile's name (default: this machine's host name)")
	fl.StringVarP(&f.output, "output", "o", "", "the profile file to write (default: NAME.json; an existing file is not replaced)")
	fl.BoolVar(&f.force, "force", false, "measure even on a busy machine")
	fl.IntVar(&f.reps, "reps", calibrate.DefaultReps, "runs of each probe; the figures are their medians (accepted: 1 to 20)")
	fl.StringVar(&f.measurements, "save-measurements", "", "also write every sample measured to this JSON file")
	return cmd
}

func runCalibrate(ctx context.Context, e *env, f calibrateFlags) error {
	if f.reps < 1 || f.reps > 20 {
		return usagef("--reps %d is out of range (accepted: 1 to 20)", f.reps)
	}
	name := f.name
	if name == "" {
		name = hostProfileName()
	} else if err := platform.CheckName(name); err != nil {
		return usageError{err}
	}
	out := f.output
	if out == "" {
		out = name + ".json"
	}
	if _, err := os.Stat(out); err == nil {
		return usagef("%s exists: remove it, or give --output another file", out)
	}
	pys, err := calibrate.Discover(f.pythons)
	if errors.Is(err, calibrate.ErrNoPython) {
		return usagef("no Python to measure: no python2.7, python3.x, python3 or python that runs is on PATH; give one with --python PATH")
	}
	if err != nil {
		return usageError{err}
	}
	load, err := calibrate.CheckLoad(ctx)
	if err != nil {
		return err
	}
	refuse, warn := load.Verdict()
	switch {
	case refuse && !f.force:
		return fmt.Errorf("this machine is busy: %s; wait for it to settle, or give --force to measure anyway", warn)
	case warn != "":
		fmt.Fprintf(e.stderr, "gilsim: warning: %s\n", warn)
	}
	start := time.Now()
	var ms []calibrate.Measurement
	for _, py := range pys {
		fmt.Fprintf(e.stderr, "measuring %s ...", py)
		m, err := calibrate.Measure(ctx, py, f.reps, func(string) { fmt.Fprint(e.stderr, ".") })
		if err != nil {
			fmt.Fprintln(e.stderr)
			return err
		}
		fmt.Fprintf(e.stderr, " %.0fs\n", m.Took.Seconds())
		ms = append(ms, m)
	}
	base := sim.DefaultConfig()
	base.Cores = load.CPUs
	if base.Cores < 1 {
		base.Cores = runtime.NumCPU()
	}
	mc := calibrate.ThisMachine(runtime.GOOS, base.Cores)
	if f.measurements != "" {
		rec := calibrate.Record{Date: start.UTC().Format("2006-01-02"), Machine: mc, Load1: load.Load1, Interpreters: ms}
		if err := writeFileAtomic(f.measurements, calibrate.MarshalRecord(rec)); err != nil {
			return err
		}
	}
	fmt.Fprint(e.stderr, "fitting the profile by simulating the probes ...")
	base.SelectorResolution = calibrate.SelectorResolution(runtime.GOOS)
	cfg, rows, err := calibrate.Fit(base, ms)
	fmt.Fprintln(e.stderr)
	if err != nil {
		return err
	}
	p := platform.FromConfig(name, calibrate.Describe(ms, mc, start), cfg)
	if err := writeFileAtomic(out, p.Format()); err != nil {
		return err
	}
	fmt.Fprint(e.stdout, calibrate.FormatRows(rows))
	fmt.Fprintf(e.stdout, "\nProfile %s written to %s (measured in %.0fs). Run under it with --platform %s.\n",
		name, out, time.Since(start).Seconds(), out)
	return nil
}

// hostProfileName is a profile name made of the host name: lowercase,
// with anything a name may not hold turned into '-'.
func hostProfileName() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		h = "my-machine"
	}
	h, _, _ = strings.Cut(strings.ToLower(h), ".")
	var b strings.Builder
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if len(name) > 30 {
		name = name[:30]
	}
	if name == "" || platform.CheckName(name) != nil {
		name = "my-machine"
	}
	for _, builtin := range platform.Names() {
		if name == builtin {
			name += "-measured"
		}
	}
	return name
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory, so that nothing half-written is ever left at path.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gilsim-*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
