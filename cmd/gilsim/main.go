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
	"strings"

	"github.com/spf13/cobra"
)

func main() {
	os.Exit(gilsim(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// usageError marks an error in what the user typed: exit status 2.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// gilsim runs the command line and returns the exit status: 0 on success,
// 2 for bad input, 1 for any other failure. Errors are one line on stderr.
func gilsim(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		err = e.helpErr
	}
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "gilsim: "+err.Error())
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}

// env is what commands read and write instead of the process globals, so
// that tests can run them in memory.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// helpErr is bad input found while printing help (an unknown scenario
	// in run SCENARIO --help): cobra's help functions cannot return errors.
	helpErr error
}

func newRootCmd(e *env) *cobra.Command {
	var theme string
	root := &cobra.Command{
		Use:   "gilsim",
		Short: "An educational simulator of CPython's global interpreter lock",
		Long: "gilsim simulates CPython's global interpreter lock (GIL): threads, processes and\n" +
			"asyncio tasks on a simulated multi-core machine, under the new GIL (py3), the old\n" +
			"one (py2) or none (free-threaded). With no command it opens the scenario picker.",
		Args:          noArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return openPicker(e, theme)
		},
	}
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(flagError)
	themeVar(root.Flags(), &theme)
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(newListCmd(e), newRunCmd(e), newCompareCmd(e), newPlayCmd(e), newExportCmd(e))
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(flagError)
	}
	return root
}

// flagError turns pflag's parse errors into one usage line with a pointer
// to the command's help.
func flagError(cmd *cobra.Command, err error) error {
	return usagef("%v (see %s --help)", err, cmd.CommandPath())
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 && cmd.HasAvailableSubCommands() {
		var names []string
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() {
				names = append(names, c.Name())
			}
		}
		return usagef("unknown command %q (accepted: %s; see %s --help)", args[0], strings.Join(names, ", "), cmd.CommandPath())
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
	return usagef("%s takes one scenario, got %d arguments: %q", cmd.CommandPath(), len(args), args)
}
