package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/sim/export"
)

// exportFormat is one of the forms gilsim export writes.
type exportFormat uint8

const (
	// formatNone: not given, and not implied by the output file's name.
	formatNone exportFormat = iota
	// formatPerfetto: Chrome Trace Event Format JSON for Perfetto UI.
	formatPerfetto
	// formatSVG: a timeline picture.
	formatSVG
	// formatText: a plain-text timeline.
	formatText
	numExportFormats
)

var exportFormatNames = [numExportFormats]string{formatNone: "", formatPerfetto: "perfetto", formatSVG: "svg", formatText: "text"}

// exportExtensions are the file extensions that imply a format. A
// .perfetto-trace file is Perfetto's protobuf format, which this is not,
// so the trace takes the plain .json.
var exportExtensions = [numExportFormats]string{formatPerfetto: ".json", formatSVG: ".svg", formatText: ".txt"}

func (f exportFormat) String() string { return exportFormatNames[f] }

// exportMaxEvents is export's default --max-events. An export costs more
// an event than a run (it writes every event, and the pictures simulate
// the run twice), so it stops sooner. Measured (December 2026, 2 vCPU):
// the worst py3 input, lock-contention with 10,000 threads, costs about
// 1 s of CPU per million events of the cap in every format, so this cap
// keeps it to about 5 s; GIL-off and process runs cost 0.7 to 1.2 s per
// million, and the default hour of virtual time stops them sooner still.
// A Perfetto trace of this many events is a gigabyte at most. The export
// says so, in the file and on stderr, when it stops a run.
const exportMaxEvents = 5_000_000

// exportOptions are the flags of gilsim export, as typed.
type exportOptions struct {
	flags  runFlags
	limits limitFlags
	format string
	output string
	width  string
}

func newExportCmd(e *env) *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export SCENARIO [flags]",
		Short: "Write one run as a Perfetto trace, an SVG timeline or a text timeline",
		Long: "Export simulates SCENARIO once and writes the run in one of three forms:\n" +
			"  perfetto  Chrome Trace Event Format JSON: open it in ui.perfetto.dev or chrome://tracing\n" +
			"  svg       a timeline picture for slides and handouts\n" +
			"  text      the same timeline as plain text, for terminals and e-mail\n" +
			"It writes to standard output, or to the -o file, whose extension (.json, .svg, .txt)\n" +
			"gives the format when --format is absent. A file is written whole or not at all; a\n" +
			"FIFO or a device such as /dev/stdout is written through; -o - is standard output.\n" +
			"A run stops after " + strconv.Itoa(exportMaxEvents/1_000_000) + " million events (--max-events) or an hour of virtual time\n" +
			"(--max-time); the export and stderr then say so. Ctrl-C stops an export and leaves\n" +
			"no file behind.",
		Example: "  gilsim export cpu-bound --format text\n" +
			"  gilsim export convoy -o convoy.svg\n" +
			"  gilsim export cpu-bound --model py2 -o py2.json\n" +
			"  gilsim export io-bound --format text --width 120",
		Args: oneScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(e, &o, args[0])
		},
	}
	o.flags.register(cmd.Flags())
	o.flags.stdin = e.stdin
	o.limits.register(cmd.Flags())
	exportLimitFlags(cmd.Flags())
	textVar(cmd.Flags(), &o.format, "format", "", "FORMAT", "perfetto, svg or text (default: from the -o file's extension)")
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "write to `FILE` (.json, .svg or .txt), or - for standard output")
	textVar(cmd.Flags(), &o.width, "width", "", "N",
		fmt.Sprintf("text timeline width in columns, %d to %d (default %d)", export.MinWidth, export.MaxWidth, export.DefaultWidth))
	cmd.Flags().SortFlags = false
	cmd.SetHelpFunc(scenarioHelp(e))
	return cmd
}

// exportLimitFlags gives export's --max-events its own default and both
// guards export's wording.
func exportLimitFlags(fs *pflag.FlagSet) {
	for _, d := range []struct{ name, value, usage string }{
		{"max-events", strconv.Itoa(exportMaxEvents), "stop the run after this many events (a guard; the export and stderr say when it stops a run)"},
		{"max-time", defaultLimits.maxTime, "stop the run at this much virtual time (a guard, like --max-events)"},
	} {
		f := fs.Lookup(d.name)
		f.Value.Set(d.value)
		f.DefValue, f.Usage = d.value, d.usage
	}
}

func runExport(e *env, o *exportOptions, name string) error {
	format, err := o.resolveFormat()
	if err != nil {
		return err
	}
	width, err := o.resolveWidth(format)
	if err != nil {
		return err
	}
	// A stopping signal while a Python program compiles stops the
	// export as one during the simulation does.
	stop := newStopper(e.stderr)
	defer stop.release()
	st, err := o.flags.resolve(name)
	if err != nil {
		return err
	}
	lim, err := o.limits.resolve()
	if err != nil {
		return err
	}
	cfg := st.config
	cfg.Trace = true
	cfg.MaxEvents, cfg.MaxTime = lim.maxEvents, lim.maxTime
	// last is the simulation the export drew, to tell whether a guard
	// stopped it.
	var last *sim.Sim
	src := func() (*sim.Sim, error) {
		s, err := st.values.New(cfg)
		last = s
		return s, err
	}
	opt := export.Options{Title: exportTitle(st), Width: width, Stop: stop.err}
	write := func(w io.Writer) error {
		switch format {
		case formatPerfetto:
			return export.Perfetto(w, src, opt)
		case formatSVG:
			return export.SVG(w, src, opt)
		}
		return export.Text(w, src, opt)
	}
	if err := writeOutput(stop, o.output, e.stdout, write); err != nil {
		return err
	}
	if note := limitNote(last, st.scenario.ID); note != "" {
		fmt.Fprintln(e.stderr, "gilsim: "+note)
	}
	return nil
}

// limitNote is the line on stderr that says a guard stopped the run an
// export shows, or "" when the run ended by itself: the export says so
// too, but inside the file, where no one looks at first.
func limitNote(s *sim.Sim, id string) string {
	if s == nil || s.Outcome() != sim.OutcomeLimit {
		return ""
	}
	c := s.Config()
	what := fmt.Sprintf("the event limit (%s events; --max-events)", count(c.MaxEvents))
	if c.MaxEvents == 0 || s.Events() < c.MaxEvents {
		what = fmt.Sprintf("the time limit (%s of virtual time; --max-time)", dur(c.MaxTime))
	}
	return fmt.Sprintf("the export shows only the first %s of the run, stopped by %s: raise the limit, or make the run smaller with --set (see gilsim export %s --help)",
		dur(s.Now()), what, id)
}

// resolveFormat finds the format from --format and the -o file's extension,
// which must agree when both are given.
func (o *exportOptions) resolveFormat() (exportFormat, error) {
	given := formatNone
	if o.format != "" {
		// The extension's name works as well: json is Perfetto's JSON.
		for f, n := range exportFormatNames {
			if n != "" && (strings.EqualFold(n, o.format) || strings.EqualFold(strings.TrimPrefix(exportExtensions[f], "."), o.format)) {
				given = exportFormat(f)
			}
		}
		if given == formatNone {
			return formatNone, usagef("--format %q is not an export format (accepted: perfetto or json, svg, text or txt)", o.format)
		}
	}
	implied := formatNone
	ext := ""
	if o.output != "-" {
		ext = strings.ToLower(filepath.Ext(o.output))
	}
	for f, x := range exportExtensions {
		if x != "" && x == ext {
			implied = exportFormat(f)
		}
	}
	switch {
	case given != formatNone && implied != formatNone && given != implied:
		return formatNone, usagef("--format %s disagrees with -o %q, whose extension means %s (name the file %s, or drop --format)",
			given, o.output, implied, strings.TrimSuffix(o.output, filepath.Ext(o.output))+exportExtensions[given])
	case given != formatNone:
		return given, nil
	case implied != formatNone:
		return implied, nil
	case o.output != "" && o.output != "-":
		return formatNone, usagef("cannot tell the format from -o %q (accepted extensions: .json, .svg, .txt; or give --format perfetto, svg or text)", o.output)
	}
	return formatNone, usagef("gilsim export needs --format perfetto, svg or text, or an -o file ending in .json, .svg or .txt")
}

// resolveWidth checks --width, which only the text timeline has.
func (o *exportOptions) resolveWidth(f exportFormat) (int, error) {
	if o.width == "" {
		return 0, nil
	}
	if f != formatText {
		return 0, usagef("--width sets the text timeline's columns and does not apply to --format %s", f)
	}
	return parseWidth(o.width)
}

// parseWidth checks a --width value.
func parseWidth(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < export.MinWidth || n > export.MaxWidth {
		return 0, usagef("--width %q is not a width (accepted: a whole number of columns from %d to %d)", s, export.MinWidth, export.MaxWidth)
	}
	return n, nil
}

// timelineFlags are gilsim run's --timeline and --width: the run's text
// timeline, printed after the summary.
type timelineFlags struct {
	on    bool
	width string
	cols  int
}

// register adds the flags to cmd, and checks them before cmd runs, so that
// bad input is refused before anything is printed.
func (f *timelineFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.on, "timeline", false, "after the summary, print the run as a text timeline (as gilsim export --format text)")
	textVar(cmd.Flags(), &f.width, "width", "", "N",
		fmt.Sprintf("the timeline's width in columns, %d to %d (default %d); implies --timeline", export.MinWidth, export.MaxWidth, export.DefaultWidth))
	prev := cmd.PreRunE
	cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		if err := f.check(cmd); err != nil {
			return err
		}
		if prev != nil {
			return prev(cmd, args)
		}
		return nil
	}
}

func (f *timelineFlags) check(cmd *cobra.Command) error {
	if f.width != "" {
		n, err := parseWidth(f.width)
		if err != nil {
			return err
		}
		f.on, f.cols = true, n
	}
	if j := cmd.Flags().Lookup("json"); f.on && j != nil && j.Value.String() == "true" {
		return usagef("--timeline prints text and cannot go with --json (use gilsim export --format perfetto for the events as JSON)")
	}
	return nil
}

// print writes the timeline of the run s describes, under the same limits
// as the summary's run, when --timeline asked for it.
func (f *timelineFlags) print(w io.Writer, s setup, lim limits) error {
	if !f.on {
		return nil
	}
	cfg := s.config
	cfg.Trace = true
	cfg.MaxEvents, cfg.MaxTime = lim.maxEvents, lim.maxTime
	src := func() (*sim.Sim, error) { return s.values.New(cfg) }
	if _, err := fmt.Fprintln(w); err != nil {
		return fmt.Errorf("write timeline: %w", err)
	}
	return export.Text(w, src, export.Options{Title: exportTitle(s), Width: f.cols})
}

// exportTitle heads an export: the scenario's title, id and settings.
func exportTitle(s setup) string { return s.scenario.Title + " — " + s.describe() }
