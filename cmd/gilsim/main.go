// Command gilsim simulates CPython's global interpreter lock: it runs the
// scenarios of the source article and the GIL's classic effects on a
// simulated multi-core machine, headless (run, compare, export) or in a
// terminal UI that animates every handoff (play).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/gilsim/gilsim/scenarios"
)

func main() {
	os.Exit(gilsim(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// usageError marks an error in what the user typed: exit status 2.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// programError is a Python program gilsim cannot simulate: its message
// starts with the file, line and column.
type programError struct{ error }

func (e programError) Unwrap() error { return e.error }

// gilsim runs the command line and returns the exit status: 0 on success,
// 2 for bad input, 128+N for an export stopped by signal N (130 for
// Ctrl-C), 1 for any other failure. Errors are one line on stderr.
func gilsim(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		err = e.helpErr
	}
	if err == nil && e.help.err != nil {
		err = fmt.Errorf("write help: %w", e.help.err)
	}
	if err == nil {
		return 0
	}
	if errors.As(err, new(programError)) {
		// A compiler's "prog.py:3:12: ..." reads best, and opens in an
		// editor, without the prefix.
		fmt.Fprintln(stderr, oneLine(err.Error()))
	} else {
		fmt.Fprintln(stderr, "gilsim: "+oneLine(err.Error()))
	}
	if errors.As(err, new(usageError)) {
		return 2
	}
	var st interface{ exitStatus() int }
	if errors.As(err, &st) {
		return st.exitStatus()
	}
	return 1
}

// oneLine keeps a message on one line whatever the user typed: a newline
// or other control character in a value shows escaped, as %q would.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// errWriter remembers the first error writing to w: cobra's help and
// usage functions cannot return one.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// env is what commands read and write instead of the process globals, so
// that tests can run them in memory.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// helpErr is bad input found while printing help (an unknown scenario
	// in run SCENARIO --help): cobra's help functions cannot return errors.
	helpErr error
	// help is standard output as cobra's help writes it.
	help errWriter
}

func newRootCmd(e *env) *cobra.Command {
	var (
		theme string
		f     runFlags
	)
	root := &cobra.Command{
		Use:   "gilsim",
		Short: "An educational simulator of CPython's global interpreter lock",
		Long: "gilsim simulates CPython's global interpreter lock (GIL): threads, processes and\n" +
			"asyncio tasks on a simulated multi-core machine, under the new GIL (py3), the old\n" +
			"one (py2) or none (free-threaded). With no command it opens the scenario picker,\n" +
			"whose scenarios run on the machine and model the flags below give.",
		Example: "  gilsim                    # the picker: choose a scenario, enter, then space; ? lists every key\n" +
			"  gilsim --gil off --cores 8\n" +
			"  gilsim play cpu-bound\n" +
			"  gilsim run convoy\n" +
			"  gilsim compare cpu-bound",
		Args:          noArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return openPicker(e, &f, theme)
		},
	}
	e.help.w = e.stdout
	root.Version = version()
	root.SetVersionTemplate("gilsim {{.Version}}\n")
	root.SetOut(&e.help)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(flagError)
	f.registerMachine(root.Flags())
	themeVar(root.Flags(), &theme)
	root.Flags().SortFlags = false
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(newListCmd(e), newRunCmd(e), newCompareCmd(e), newPlayCmd(e), newExportCmd(e), newProfileCmd(e), newCalibrateCmd(e))
	root.SetHelpCommand(newHelpCmd(root))
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(flagError)
	}
	return root
}

// flagError turns pflag's parse errors into one usage line with a pointer
// to the command's help, quoting what the user typed.
func flagError(cmd *cobra.Command, err error) error {
	var (
		unknown *pflag.NotExistError
		invalid *pflag.InvalidValueError
	)
	switch {
	case errors.As(err, &unknown) && unknown.GetSpecifiedShortnames() != "":
		return usagef("unknown shorthand flag %q in %q (see %s --help)",
			[]rune(unknown.GetSpecifiedName())[0], "-"+unknown.GetSpecifiedShortnames(), cmd.CommandPath())
	case errors.As(err, &unknown):
		return usagef("unknown flag %q (see %s --help)", "--"+unknown.GetSpecifiedName(), cmd.CommandPath())
	case errors.As(err, &invalid) && errors.Is(err, errEmptyValue):
		f := invalid.GetFlag()
		return usagef("--%s is empty (accepted: %s; see %s --help)", f.Name, acceptedBy(f.Usage), cmd.CommandPath())
	}
	return usagef("%v (see %s --help)", err, cmd.CommandPath())
}

// version is gilsim's version from its build information: the module
// version for go install …@version, else the commit it was built from
// (marked dirty when the tree had changes), and the Go that built it.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown version)"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
		var rev, dirty string
		for _, kv := range bi.Settings {
			switch {
			case kv.Key == "vcs.revision" && len(kv.Value) >= 12:
				rev = kv.Value[:12]
			case kv.Key == "vcs.modified" && kv.Value == "true":
				dirty = "-dirty"
			}
		}
		if rev != "" {
			v += " " + rev + dirty
		}
	}
	return v + " (" + bi.GoVersion + ")"
}

// newHelpCmd is gilsim help [COMMAND [SCENARIO]]: the help of a command,
// or of a command on one scenario (its parameters), and bad input for
// anything else.
func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command [scenario]]",
		Short: "Help about any command, or about a command on one scenario",
		RunE: func(_ *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if err != nil || target == root && len(args) > 0 {
				return usagef("no help for %q (accepted: %s)", strings.Join(args, " "), strings.Join(commandNames(root), ", "))
			}
			target.InitDefaultHelpFlag()
			takesScenario := strings.Contains(target.Use, "SCENARIO")
			switch {
			case len(rest) > 1 || len(rest) == 1 && !takesScenario:
				return usagef("%s takes no more words, got %q (see %s --help)", strings.Join(append([]string{"gilsim help"}, args[:len(args)-len(rest)]...), " "), rest, target.CommandPath())
			case len(rest) == 1:
				if err := target.ParseFlags(rest); err != nil {
					return flagError(target, err)
				}
			}
			return target.Help()
		},
	}
}

// commandNames are the commands a user can type.
func commandNames(cmd *cobra.Command) []string {
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return names
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 && cmd.HasAvailableSubCommands() {
		if _, err := scenarios.Lookup(args[0]); err == nil {
			return usagef("%q is a scenario, not a command: gilsim play %s plays it, gilsim run %s prints its summary", args[0], args[0], args[0])
		}
		hint := ""
		if s := scenarios.Nearest(args[0], commandNames(cmd)); s != "" {
			hint = "did you mean " + s + "? "
		}
		return usagef("unknown command %q (%saccepted: %s; see %s --help)", args[0], hint, strings.Join(commandNames(cmd), ", "), cmd.CommandPath())
	}
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q (see %s --help)", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}

// oneScenario checks that a command got exactly one scenario name.
func oneScenario(cmd *cobra.Command, args []string) error {
	switch len(args) {
	case 0:
		return usagef("%s needs a scenario name (see gilsim list)", cmd.CommandPath())
	case 1:
		return nil
	}
	// Two common slips leave a setting as an argument: --set threads 8
	// (the value apart from its key) and -set threads=8 (one dash: -s et).
	for _, a := range args[1:] {
		if strings.Contains(a, "=") {
			return usagef("%s takes one scenario, got %q as well: a parameter is given as --set %s (two dashes, or -s)", cmd.CommandPath(), a, a)
		}
	}
	if f := cmd.Flags().Lookup("set"); f != nil {
		for _, kv := range *f.Value.(*listValue).list {
			if !strings.Contains(kv, "=") {
				return usagef("--set takes key=value as one word, as --set %s=%s (got --set %q and the argument %q)", kv, args[len(args)-1], kv, args[len(args)-1])
			}
		}
	}
	return usagef("%s takes one scenario, got %d arguments: %q", cmd.CommandPath(), len(args), args)
}
