package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

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

// exportMaxEvents stops an export that would be absurdly large: at about a
// hundred bytes an event, the trace of this many is a few gigabytes. The
// export says so when it stops a run.
const exportMaxEvents = 20_000_000

// exportOptions are the flags of gilsim export, as typed.
type exportOptions struct {
	flags  runFlags
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
			"gives the format when --format is absent. A file is written whole or not at all.\n" +
			"An export stops a run after " + strconv.Itoa(exportMaxEvents/1_000_000) + " million events, and says so.",
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
	textVar(cmd.Flags(), &o.format, "format", "", "FORMAT", "perfetto, svg or text (default: from the -o file's extension)")
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "write to `FILE` (.json, .svg or .txt) instead of standard output")
	textVar(cmd.Flags(), &o.width, "width", "", "N",
		fmt.Sprintf("text timeline width in columns, %d to %d (default %d)", export.MinWidth, export.MaxWidth, export.DefaultWidth))
	cmd.Flags().SortFlags = false
	cmd.SetHelpFunc(scenarioHelp(e))
	return cmd
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
	st, err := o.flags.resolve(name)
	if err != nil {
		return err
	}
	cfg := st.config
	cfg.Trace = true
	cfg.MaxEvents = exportMaxEvents
	src := func() (*sim.Sim, error) { return st.values.New(cfg) }
	opt := export.Options{Title: exportTitle(st), Width: width}
	write := func(w io.Writer) error {
		switch format {
		case formatPerfetto:
			return export.Perfetto(w, src, opt)
		case formatSVG:
			return export.SVG(w, src, opt)
		}
		return export.Text(w, src, opt)
	}
	if o.output == "" {
		return write(e.stdout)
	}
	return writeFileWhole(o.output, write)
}

// resolveFormat finds the format from --format and the -o file's extension,
// which must agree when both are given.
func (o *exportOptions) resolveFormat() (exportFormat, error) {
	given := formatNone
	if o.format != "" {
		for f, n := range exportFormatNames {
			if n != "" && strings.EqualFold(n, o.format) {
				given = exportFormat(f)
			}
		}
		if given == formatNone {
			return formatNone, usagef("--format %q is not an export format (accepted: perfetto, svg, text)", o.format)
		}
	}
	implied := formatNone
	ext := strings.ToLower(filepath.Ext(o.output))
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
	case o.output != "":
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

// writeFileWhole writes path through a temporary file in the same folder,
// renamed over path only once write has succeeded: a failed or interrupted
// export leaves no half-written file, and an existing file stays as it was.
func writeFileWhole(path string, write func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usagef("-o %q is a folder (accepted: a file name ending in .json, .svg or .txt)", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, pathCause(err))
	}
	tmp := f.Name()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = write(&interruptible{ctx: ctx, w: f})
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		if ctx.Err() != nil {
			return errors.New("export interrupted; nothing was written")
		}
		return fmt.Errorf("cannot write %s: %w", path, pathCause(err))
	}
	return nil
}

// pathCause strips the file name from an error about a path, since the
// message names the user's path itself rather than the temporary file.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// interruptible fails every write once ctx is done, so that an export
// stopped by Ctrl-C unwinds through its error path and cleans up.
type interruptible struct {
	ctx context.Context
	w   io.Writer
}

func (i *interruptible) Write(p []byte) (int, error) {
	if err := i.ctx.Err(); err != nil {
		return 0, err
	}
	return i.w.Write(p)
}
