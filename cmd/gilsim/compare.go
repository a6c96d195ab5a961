package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/gilsim/gilsim/sim"
)

// compareOptions are the flags of gilsim compare.
type compareOptions struct {
	flags  runFlags
	limits limitFlags
	json   bool
}

func newCompareCmd(e *env) *cobra.Command {
	var o compareOptions
	cmd := &cobra.Command{
		Use:   "compare SCENARIO [flags]",
		Short: "Run one workload with the GIL on, off, the old GIL and processes, side by side",
		Long: "Compare runs the same workload under py3 (GIL on), free-threaded (GIL off) and py2\n" +
			"(the old tick GIL), and, when the scenario has a processes variant, in processes\n" +
			"under py3 (use=processes: one GIL per process). It prints one row per setting:\n" +
			"elapsed virtual time, speedup against GIL on, CPU utilisation, GIL handoffs, failed\n" +
			"wake-ups and the scenario's own figures. It chooses the models itself, so --gil and\n" +
			"--model are not accepted; the other run flags apply to every row.",
		Example: "  gilsim compare cpu-bound\n" +
			"  gilsim compare cpu-bound --set threads=2 --cores 2\n" +
			"  gilsim compare convoy --switch-interval 1ms --json",
		Args: oneScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, name := range []string{"gil", "model"} {
				if cmd.Flags().Changed(name) {
					return usagef("compare runs every GIL model itself (py3, free-threaded, py2, and processes where the scenario has them), so --%s is not accepted; use gilsim run for one setting", name)
				}
			}
			return runCompare(e, &o, args[0])
		},
	}
	o.flags.register(cmd.Flags())
	o.flags.stdin = e.stdin
	o.flags.everyModel = true
	for _, name := range []string{"gil", "model"} {
		_ = cmd.Flags().MarkHidden(name)
	}
	o.limits.register(cmd.Flags())
	cmd.Flags().BoolVar(&o.json, "json", false, "print the comparison as one JSON document (schema in the README)")
	cmd.Flags().SortFlags = false
	cmd.SetHelpFunc(scenarioHelp(e))
	return cmd
}

// compareReport is what gilsim compare prints, and its JSON document.
type compareReport struct {
	Schema         int           `json:"schema"`
	Scenario       string        `json:"scenario"`
	Title          string        `json:"title"`
	Summary        string        `json:"summary"`
	Sections       []string      `json:"sections"`
	Params         orderedObject `json:"params"`
	Cores          int           `json:"cores"`
	SwitchInterval time.Duration `json:"switch_interval_ns"`
	CheckInterval  int           `json:"check_interval_ticks"`
	Seed           uint64        `json:"seed"`
	Platform       string        `json:"platform"`
	Baseline       string        `json:"baseline"`
	Rows           []compareRow  `json:"settings"`
	heading        string
	limits         limits
}

// compareRow is one setting of a comparison.
type compareRow struct {
	Setting       compareSetting `json:"setting"`
	Label         string         `json:"label"`
	Model         string         `json:"model"`
	GIL           bool           `json:"gil"`
	Processes     bool           `json:"processes"`
	Outcome       string         `json:"outcome"`
	Elapsed       sim.Time       `json:"elapsed_ns"`
	Speedup       *float64       `json:"speedup"`
	Utilisation   float64        `json:"cpu_utilisation"`
	Handoffs      uint64         `json:"gil_handoffs"`
	FailedWakeups uint64         `json:"failed_wakeups"`
	Figures       figures        `json:"figures"`
	Partial       bool           `json:"figures_partial"`
	Run           *runReport     `json:"run"`
	setup         setup
	completed     bool
}

// compareSetting is one row of gilsim compare.
type compareSetting uint8

const (
	// settingGILOn is the workload under py3: the baseline every speedup
	// is measured against, so it comes first.
	settingGILOn compareSetting = iota
	// settingGILOff is the workload under free-threaded.
	settingGILOff
	// settingOldGIL is the workload under py2.
	settingOldGIL
	// settingProcesses is the scenario's processes variant under py3: one
	// GIL per process. Only scenarios with such a variant have it.
	settingProcesses
	numCompareSettings
)

var compareSettingNames = [numCompareSettings]string{
	settingGILOn:     "py3",
	settingGILOff:    "free-threaded",
	settingOldGIL:    "py2",
	settingProcesses: "processes",
}

var compareSettingModels = [numCompareSettings]sim.Model{
	settingGILOn:     sim.ModelPy3,
	settingGILOff:    sim.ModelFreeThreaded,
	settingOldGIL:    sim.ModelPy2,
	settingProcesses: sim.ModelPy3,
}

func (c compareSetting) String() string { return compareSettingNames[c] }

// MarshalText makes a setting its name in JSON.
func (c compareSetting) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// compareSettings are the rows compare runs for base. When base already
// selects the processes variant (--set use=processes), every row runs it
// and there is no separate processes row.
func compareSettings(base setup) ([]compareRow, error) {
	sc := base.scenario
	var rows []compareRow
	for c := range numCompareSettings {
		s := base
		s.config.Model = compareSettingModels[c]
		if c == settingProcesses {
			if sc.Processes == "" || base.values.UsesProcesses() {
				continue
			}
			v, err := base.values.Set("use", sc.Processes)
			if err != nil {
				return nil, fmt.Errorf("processes variant of %s: %w", sc.ID, err)
			}
			s.values = v
		}
		r := compareRow{Setting: c, setup: s, Label: s.config.GILLabel(), Model: s.config.Model.String(),
			GIL: s.config.Model.HasGIL(), Processes: s.values.UsesProcesses()}
		if r.Processes {
			r.Label = "processes · " + r.Label
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func runCompare(e *env, o *compareOptions, name string) error {
	base, err := o.flags.resolve(name)
	if err != nil {
		return err
	}
	lim, err := o.limits.resolve()
	if err != nil {
		return err
	}
	c, err := compare(base, lim, !o.limits.eventsGiven())
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, c)
	}
	if _, err := fmt.Fprint(e.stdout, compareText(c)); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	return nil
}

// compare runs every setting (each simulation is independent and
// deterministic, so they run side by side) and builds the report.
//
// With share, the event limit is for the whole comparison, split evenly
// among its settings, so that the default bounds compare's wall time as it
// does run's; else each setting's run has the whole limit.
func compare(base setup, lim limits, share bool) (*compareReport, error) {
	rows, err := compareSettings(base)
	if err != nil {
		return nil, err
	}
	if share {
		lim.maxEvents = max(1, lim.maxEvents/uint64(len(rows)))
	}
	errs := make([]error, len(rows))
	var wg sync.WaitGroup
	for i := range rows {
		wg.Go(func() {
			rows[i].Run, errs[i] = simulate(rows[i].setup, lim)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	cfg := base.config
	c := &compareReport{Schema: schemaVersion, Scenario: base.scenario.ID, Title: base.scenario.Title,
		Sections: nonNil(base.scenario.Sections), Params: rows[0].Run.Params, Cores: cfg.Cores,
		SwitchInterval: cfg.SwitchInterval, CheckInterval: cfg.CheckInterval, Seed: cfg.Seed,
		Platform: base.platformName(), Baseline: rows[0].Setting.String(), Rows: rows, Summary: base.scenario.Summary, limits: lim}
	c.heading = base.scenario.ID
	if set := base.values.Settings(); len(set) > 0 {
		c.heading += " (" + strings.Join(set, ", ") + ")"
	}
	if p := base.platformLabel(); p != "" {
		c.heading += " · " + p
	}
	c.heading += fmt.Sprintf(" · %d cores · seed %d", cfg.Cores, cfg.Seed)
	baseline := rows[0].Run.Elapsed
	for i := range c.Rows {
		r := &c.Rows[i]
		run := r.Run
		r.Outcome, r.Elapsed, r.Utilisation = run.Outcome, run.Elapsed, run.Utilisation
		r.Handoffs, r.FailedWakeups, r.Figures, r.Partial = run.GIL.Handoffs, run.GIL.FailedWakeups, run.Figures, run.Partial
		r.completed = run.metrics.Outcome == sim.OutcomeCompleted
		// A run stopped by a guard or a deadlock has no comparable
		// elapsed time, and nor has anything compared with it.
		if r.completed && c.Rows[0].Run.metrics.Outcome == sim.OutcomeCompleted && run.Elapsed > 0 {
			speedup := float64(baseline) / float64(run.Elapsed)
			r.Speedup = &speedup
		}
	}
	return c, nil
}

// compareText renders a comparison as a table for people.
func compareText(c *compareReport) string {
	var b strings.Builder
	b.WriteString(c.heading + "\n" + c.Summary + "\n\n")
	// The scenario's figures become columns, in the order they first
	// appear; a setting without one leaves its cell empty.
	var keys, labels []string
	for _, r := range c.Rows {
		for _, f := range r.Figures {
			if !slices.Contains(keys, f.Key) {
				keys, labels = append(keys, f.Key), append(labels, f.Label)
			}
		}
	}
	allDone := true
	for _, r := range c.Rows {
		allDone = allDone && r.completed
	}
	right := []bool{false, true, true, true, true, true}
	header := []string{"setting", "elapsed", "speedup", "CPU use", "GIL handoffs", "failed wake-ups"}
	if !allDone {
		right, header = append(right, false), append(header, "outcome")
	}
	for _, l := range labels {
		right, header = append(right, true), append(header, l)
	}
	t := newTable("", right...)
	t.row(header...)
	for _, r := range c.Rows {
		handoffs, failed := "no GIL", "-"
		if r.GIL {
			handoffs, failed = count(r.Handoffs), count(r.FailedWakeups)
		}
		speedup := "-"
		if r.Speedup != nil {
			speedup = strconv.FormatFloat(*r.Speedup, 'f', 2, 64) + "x"
		}
		cells := []string{r.Label, dur(r.Elapsed), speedup,
			percent(r.Utilisation), handoffs, failed}
		if !allDone {
			cells = append(cells, r.Outcome)
		}
		for _, k := range keys {
			cells = append(cells, figureText(r, k))
		}
		t.row(cells...)
	}
	b.WriteString(t.String())
	fmt.Fprintf(&b, "\nspeedup = elapsed with the GIL on (py3) / elapsed of the setting; above 1x is faster.\n"+
		"CPU use = share of the %d cores kept busy.\n", c.Cores)
	best := -1
	for i, r := range c.Rows {
		if r.Speedup != nil && (best < 0 || *r.Speedup > *c.Rows[best].Speedup) {
			best = i
		}
	}
	// Differences of a few percent are noise of the model's jitter, not a
	// lesson: only a clear winner is named.
	switch {
	case best < 0:
	case *c.Rows[best].Speedup >= 1.05:
		fmt.Fprintf(&b, "Fastest: %s, %.2fx.\n", c.Rows[best].Label, *c.Rows[best].Speedup)
	default:
		b.WriteString("No setting is more than 5% faster than the GIL on for this workload.\n")
	}
	for _, r := range c.Rows {
		if !r.completed {
			fmt.Fprintf(&b, "%s did not complete (%s): %s shows why.\n", r.Label, r.Outcome, r.runCommand(c.limits))
		}
	}
	return b.String()
}

// figureText is a row's cell for a figure: empty when the setting has no
// such figure, and "-" when its run stopped before the figure meant
// anything.
func figureText(r compareRow, key string) string {
	for _, f := range r.Figures {
		if f.Key == key {
			return f.Text
		}
	}
	if r.Partial {
		return "-"
	}
	return ""
}

// runCommand is the gilsim run command line that shows this setting's
// run in full.
func (r *compareRow) runCommand(lim limits) string {
	s := r.setup
	args := []string{"gilsim run", s.scenario.ID, "--model", r.Model}
	for _, kv := range s.values.Settings() {
		args = append(args, "--set", kv)
	}
	// A flag is needed only where the setting differs from what the
	// platform gives.
	d := sim.DefaultConfig()
	if p := s.platform; p != nil && !p.IsDefault() {
		arg := p.Name
		if p.File != "" {
			arg = p.File
		}
		args = append(args, "--platform", arg)
		d = p.Config()
	}
	if s.config.Cores != d.Cores {
		args = append(args, "--cores", strconv.Itoa(s.config.Cores))
	}
	if s.config.SwitchInterval != d.SwitchInterval && s.config.Model == sim.ModelPy3 {
		args = append(args, "--switch-interval", s.config.SwitchInterval.String())
	}
	if s.config.CheckInterval != d.CheckInterval && s.config.Model == sim.ModelPy2 {
		args = append(args, "--check-interval", strconv.Itoa(s.config.CheckInterval))
	}
	if s.config.Successor != d.Successor && s.config.Model.HasGIL() {
		args = append(args, "--successor", s.config.Successor.String())
	}
	if s.config.Seed != d.Seed {
		args = append(args, "--seed", strconv.FormatUint(s.config.Seed, 10))
	}
	def, _ := defaultLimits.resolve()
	if lim.maxEvents != def.maxEvents {
		args = append(args, "--max-events", strconv.FormatUint(lim.maxEvents, 10))
	}
	if lim.maxTime != def.maxTime {
		args = append(args, "--max-time", lim.maxTime.String())
	}
	return strings.Join(args, " ")
}
