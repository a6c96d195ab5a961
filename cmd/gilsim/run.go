package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/gilsim/gilsim/scenarios"
)

// runOptions are the flags of gilsim run.
type runOptions struct {
	flags    runFlags
	limits   limitFlags
	json     bool
	timeline timelineFlags
}

func newRunCmd(e *env) *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run SCENARIO [flags]",
		Short: "Simulate a scenario to the end and print where the time went",
		Long: "Run simulates SCENARIO (an id from gilsim list, an article section such as 3.1.2,\n" +
			"or a Python file such as prog.py, - for standard input) to the end and prints a\n" +
			"summary: elapsed virtual time, each thread's CPU, GIL-wait, blocked and no-core\n" +
			"time, GIL handoffs and why they happened, contention, queues, request latency,\n" +
			"the scenario's own figures and what the program printed.\n" +
			"Flags may come before or after the scenario name. The exit status is 0 whenever\n" +
			"the simulation ran, whatever its outcome (completed, deadlock, limit).",
		Example: "  gilsim run cpu-bound\n" +
			"  gilsim run cpu-bound --gil off --set threads=8\n" +
			"  gilsim run prog.py --python 3.9\n" +
			"  gilsim run 3.1.2 --model py2 --cores 2\n" +
			"  gilsim run convoy --switch-interval 1ms --json",
		Args: oneScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(e, &o, args[0])
		},
	}
	o.flags.register(cmd.Flags())
	o.flags.stdin = e.stdin
	o.limits.register(cmd.Flags())
	cmd.Flags().BoolVar(&o.json, "json", false, "print the summary as one JSON document (schema in the README)")
	o.timeline.register(cmd)
	cmd.Flags().SortFlags = false
	cmd.SetHelpFunc(scenarioHelp(e))
	return cmd
}

func runRun(e *env, o *runOptions, name string) error {
	s, err := o.flags.resolve(name)
	if err != nil {
		return err
	}
	lim, err := o.limits.resolve()
	if err != nil {
		return err
	}
	r, err := simulate(s, lim)
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, r)
	}
	if _, err := fmt.Fprint(e.stdout, runText(r)); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return o.timeline.print(e.stdout, s, lim)
}

// limitFlags are the guards of a headless run, as typed.
type limitFlags struct {
	maxEvents string
	maxTime   string
	fs        *pflag.FlagSet
}

// defaultLimits are the guards unless flags say otherwise. Every built-in
// program ends by itself; the guards keep an extreme parameter choice from
// running for long and a program that never ends from running at all.
// Events bound the wall time: the costliest inputs (10,000 runnable
// threads, or a lock fought over on one core) take 150 to 200 ns an event
// with the trace off on a 2-core machine, so the default stops any run
// within about 5 s; compare shares it among its settings.
var defaultLimits = limitFlags{maxEvents: "25000000", maxTime: "1h"}

// eventsGiven reports whether --max-events was on the command line.
func (f *limitFlags) eventsGiven() bool { return f.fs != nil && f.fs.Changed("max-events") }

func (f *limitFlags) register(fs *pflag.FlagSet) {
	f.fs = fs
	textVar(fs, &f.maxEvents, "max-events", defaultLimits.maxEvents, "N",
		"stop a run after this many events (a guard; the summary says when it stops a run)")
	textVar(fs, &f.maxTime, "max-time", defaultLimits.maxTime, "DUR",
		"stop a run at this much virtual time (a guard, like --max-events)")
}

func (f *limitFlags) resolve() (limits, error) {
	n, err := strconv.ParseUint(strings.ReplaceAll(f.maxEvents, "_", ""), 10, 64)
	if err != nil || n < 1 {
		return limits{}, usagef("--max-events %q is not a number of events (accepted: a whole number from 1 up, such as 1000000)", f.maxEvents)
	}
	d, err := time.ParseDuration(f.maxTime)
	if err != nil || d < time.Microsecond {
		return limits{}, usagef("--max-time %q is not a time limit (accepted: a duration of 1us or more, such as 10s or 2m)", f.maxTime)
	}
	return limits{maxEvents: n, maxTime: d}, nil
}

// scenarioHelp is the help of a command that takes a scenario: the usual
// help, then the parameters of the scenario named on the command line, or
// a pointer to where they are listed when none is named.
func scenarioHelp(e *env) func(*cobra.Command, []string) {
	return func(cmd *cobra.Command, _ []string) {
		args := cmd.Flags().Args()
		var more string
		switch len(args) {
		case 0:
			more = "\nEach scenario has its own parameters (--set key=value): see gilsim list --params,\n" +
				"or " + cmd.CommandPath() + " SCENARIO --help.\n"
		case 1:
			if args[0] == "-" {
				more = "\nA program on standard input takes its module-level constants as parameters\n" +
					"(--set NAME=value), and python and peer: see docs/programs.md.\n"
				break
			}
			sc, err := helpScenario(args[0])
			if err != nil {
				e.helpErr = err
				return
			}
			more = "\n" + paramsHelp(sc)
		default:
			e.helpErr = oneScenario(cmd, args)
			return
		}
		cmd.Parent().HelpFunc()(cmd, nil)
		fmt.Fprint(cmd.OutOrStdout(), more)
	}
}

// helpScenario is the scenario a command's help describes: a built-in
// one, or a Python file with its constants as parameters.
func helpScenario(name string) (*scenarios.Scenario, error) {
	if !scenarios.IsProgram(name) {
		sc, err := scenarios.Lookup(name)
		if err != nil {
			return nil, usageError{err}
		}
		return sc, nil
	}
	var f runFlags
	src, shown, err := f.readProgram(name)
	if err != nil {
		return nil, err
	}
	sc, err := scenarios.FromProgram(shown, src)
	if err != nil {
		return nil, usageError{programError{err}}
	}
	return sc, nil
}
