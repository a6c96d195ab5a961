package main

import (
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-isatty"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/tui"
)

func newPlayCmd(e *env) *cobra.Command {
	var f runFlags
	var theme string
	cmd := &cobra.Command{
		Use:   "play SCENARIO [flags]",
		Short: "Play a scenario in the terminal UI",
		Long: "play opens the terminal UI on one scenario: a lane per thread, the GIL and its\n" +
			"handoffs, queues, cores, the Python source and a narration of every event.\n" +
			"It takes the same flags as run; press ? in the player for every key.",
		Args: oneScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := f.resolve(args[0])
			if err != nil {
				return err
			}
			th, err := parseTheme(theme, os.Getenv)
			if err != nil {
				return err
			}
			if err := needTerminal(e, "gilsim play", "gilsim run "+args[0]); err != nil {
				return err
			}
			m, err := tui.New(scenarios.All(), sim.DefaultConfig(), styles(e, th)).Play(s.values, s.config)
			if err != nil {
				return err
			}
			return runProgram(e, m)
		},
	}
	f.register(cmd.Flags())
	themeVar(cmd.Flags(), &theme)
	return cmd
}

// openPicker runs the terminal UI on the scenario picker, in the colours
// theme (the --theme flag's value) names: what gilsim does with no command.
func openPicker(e *env, theme string) error {
	th, err := parseTheme(theme, os.Getenv)
	if err != nil {
		return err
	}
	if err := needTerminal(e, "gilsim", "gilsim run SCENARIO (see gilsim list)"); err != nil {
		return err
	}
	return runProgram(e, tui.New(scenarios.All(), sim.DefaultConfig(), styles(e, th)))
}

// needTerminal refuses to draw the UI anywhere but on a terminal: into a
// pipe or a file it would only write escape sequences.
// It reads its keys from standard input, which must be the terminal too.
func needTerminal(e *env, what, instead string) error {
	if !isTerminal(e.stdout) {
		return usagef("%s draws a terminal UI, but standard output is not a terminal (for text output use %s)", what, instead)
	}
	if !isTerminal(e.stdin) {
		return usagef("%s reads keys from the terminal, but standard input is not one (run it without redirecting its input, or for text output use %s)", what, instead)
	}
	return nil
}

// isTerminal reports whether v, a standard stream, is a terminal.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// styles builds the UI's styles for the terminal on stdout, with a
// renderer of its own that the model gets handed (nothing reads lipgloss's
// default renderer). Asking the terminal for its background is I/O, so it
// happens here, once, before the program takes the terminal over, and only
// when the theme depends on it and there are colours to draw (not under
// NO_COLOR).
func styles(e *env, c themeChoice) tui.Styles {
	r := lipgloss.NewRenderer(e.stdout)
	r.SetColorProfile(r.ColorProfile())
	t := c.dark
	if r.ColorProfile() != termenv.Ascii {
		t = c.pick(func() bool { return darkBackground(e) })
	}
	r.SetHasDarkBackground(t.Dark())
	return tui.ThemeStyles(r, t)
}

func runProgram(e *env, m tea.Model) error {
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithOutput(e.stdout)}
	if f, ok := e.stdin.(*os.File); ok {
		opts = append(opts, tea.WithInput(f))
	}
	if _, err := tea.NewProgram(m, opts...).Run(); err != nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}
