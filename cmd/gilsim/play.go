package main

import (
	"fmt"
	"os"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-isatty"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/tui"
)

func newPlayCmd(e *env) *cobra.Command {
	var f runFlags
	var theme string
	cmd := &cobra.Command{
		Use:   "play [SCENARIO] [flags]",
		Short: "Play a scenario in the terminal UI",
		Long: "play opens the terminal UI on one scenario: a lane per thread, the GIL and its\n" +
			"handoffs, queues, cores, the Python source and a narration of every event.\n" +
			"With no scenario it opens the picker, as gilsim alone does. It takes run's flags\n" +
			"for the machine, the model and the scenario's parameters (not --json, --timeline or\n" +
			"the limits: the player plays to the end). Press ? in the player for every key.",
		Example: "  gilsim play cpu-bound\n" +
			"  gilsim play 3.1.2 --cores 2\n" +
			"  gilsim play counter-race --gil off --set threads=8\n" +
			"  gilsim play --cores 8             # the picker, every scenario on 8 cores",
		Args: cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return openPicker(e, &f, theme)
			}
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
			m, err := tui.New(scenarios.All(), s.config, styles(e, th)).Play(s.values, s.config)
			if err != nil {
				return err
			}
			return runProgram(e, m)
		},
	}
	f.register(cmd.Flags())
	themeVar(cmd.Flags(), &theme)
	cmd.Flags().SortFlags = false
	cmd.SetHelpFunc(scenarioHelp(e))
	return cmd
}

// openPicker runs the terminal UI on the scenario picker, under the
// machine and model flags f holds and in the colours theme (the --theme
// flag's value) names: what gilsim and gilsim play do with no scenario.
func openPicker(e *env, f *runFlags, theme string) error {
	if len(f.sets) > 0 {
		return usagef("--set %q needs a scenario: parameters belong to one (gilsim play SCENARIO --set %s)", f.sets[0], f.sets[0])
	}
	cfg, err := f.config()
	if err != nil {
		return err
	}
	th, err := parseTheme(theme, os.Getenv)
	if err != nil {
		return err
	}
	if err := needTerminal(e, "gilsim", "gilsim run SCENARIO, with a scenario from gilsim list"); err != nil {
		return err
	}
	return runProgram(e, tui.New(scenarios.All(), cfg, styles(e, th)).WithPrograms(programsIn(".")))
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

// maxListed is how many Python files of a directory the picker lists.
const maxListed = 100

// programsIn loads the Python files of dir for the picker, in name order:
// each as a scenario, or with the one line that says why it cannot be.
func programsIn(dir string) []tui.Program {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []tui.Program
	for _, ent := range entries {
		if len(out) == maxListed {
			break
		}
		name := ent.Name()
		if !scenarios.IsProgram(name) || name == "-" || !ent.Type().IsRegular() {
			continue
		}
		p := tui.Program{Name: name}
		f := runFlags{}
		src, shown, err := f.readProgram(filepath.Join(dir, name))
		if err == nil {
			p.Scenario, err = scenarios.FromProgram(filepath.Base(shown), src)
		}
		p.Err = err
		out = append(out, p)
	}
	return out
}
