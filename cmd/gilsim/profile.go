package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gilsim/gilsim/scenarios/calibrate"
	"github.com/gilsim/gilsim/sim/platform"
)

// newProfileCmd is gilsim profile: the platform profiles that --platform
// takes, listed and shown.
func newProfileCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile",
		Short: "List, show or check the platform profiles that --platform takes",
		Long: "A platform profile holds the knobs of the simulated machine: how long a signalled\n" +
			"thread needs to wake up, what the old GIL's release costs, the OS scheduler's time\n" +
			"slice, what starting a thread or a process costs. --platform NAME or --platform\n" +
			"FILE runs a scenario under one (run, compare, export, play); flags such as --cores\n" +
			"given as well win over it. The file format is in docs/platforms.md.",
		Example: "  gilsim profile list\n" +
			"  gilsim profile show skvortsov-2021\n" +
			"  gilsim profile check linux\n" +
			"  gilsim profile show beazley-2010 --all\n" +
			"  gilsim run convoy --platform skvortsov-2021",
		Args: profileArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newProfileListCmd(e), newProfileShowCmd(e), newProfileCheckCmd(e))
	for _, c := range cmd.Commands() {
		c.SetFlagErrorFunc(flagError)
	}
	return cmd
}

// profileArgs refuses a word after gilsim profile that is not one of its
// commands, pointing at show when it names a profile.
func profileArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if _, err := platform.Load(args[0]); err == nil {
		return usagef("%q is a profile, not a command: gilsim profile show %s prints it", args[0], args[0])
	}
	return noArgs(cmd, args)
}

func newProfileListCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the built-in platform profiles",
		Long:  "List prints every built-in platform profile: its name and where its knobs come from.",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			if _, err := fmt.Fprint(e.stdout, profileList()); err != nil {
				return fmt.Errorf("write list: %w", err)
			}
			return nil
		},
	}
}

// profileList is gilsim profile list: each built-in profile's name, then
// its description.
func profileList() string {
	var b strings.Builder
	for _, p := range platform.Builtins() {
		b.WriteString(p.Name + "\n")
		for _, l := range wrap(p.Description, listWidth-2) {
			b.WriteString("  " + l + "\n")
		}
	}
	b.WriteString("\nA run without --platform is on the " + platform.DefaultName + " platform. gilsim profile show NAME\n" +
		"prints a profile's knobs; --platform NAME, or a profile file, runs under it.\n")
	return b.String()
}

func newProfileShowCmd(e *env) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "show NAME|FILE",
		Short: "Print a platform profile as JSON",
		Long: "Show prints a profile, built-in or in a file, as the JSON file that holds it: its\n" +
			"name, description and every knob it sets. With --all it prints every knob of the\n" +
			"configuration a run under it starts from: the profile's knobs, and gilsim's\n" +
			"defaults for the rest. The output is a profile file: save it, change it, and run\n" +
			"under it with --platform FILE (under a name of its own).",
		Example: "  gilsim profile show skvortsov-2021\n" +
			"  gilsim profile show linux\n" +
			"  gilsim profile show beazley-2010 --all > my-machine.json",
		Args: func(cmd *cobra.Command, args []string) error {
			switch len(args) {
			case 0:
				return usagef("%s needs a profile: a name (accepted: %s) or a profile file", cmd.CommandPath(), strings.Join(platform.Names(), ", "))
			case 1:
				return nil
			}
			return usagef("%s takes one profile, got %d arguments: %q", cmd.CommandPath(), len(args), args)
		},
		RunE: func(_ *cobra.Command, args []string) error {
			p, err := platform.Load(args[0])
			if err != nil {
				return usageError{err}
			}
			if all {
				p = platform.FromConfig(p.Name, p.Description, p.Config())
			}
			if _, err := e.stdout.Write(p.Format()); err != nil {
				return fmt.Errorf("write profile: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "print every knob of the resulting configuration, gilsim's defaults for those the profile does not set")
	return cmd
}

func newProfileCheckCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "check NAME",
		Short: "Compare a built-in profile's reference figures with what gilsim simulates",
		Long: "Check prints a built-in profile's fidelity table: for linux, every figure gilsim\n" +
			"calibrate measured on the CPython interpreters the profile was fitted to; for a\n" +
			"publication's profile, its published table. Beside each, what gilsim simulates under\n" +
			"the profile now, how far apart they are, and the tolerance the figure is held to (a\n" +
			"test fails when one leaves it), or why gilsim does not hold it. Every simulated figure\n" +
			"is computed when the command runs. A profile file has no reference figures: gilsim\n" +
			"calibrate prints its own table when it makes one.",
		Example: "  gilsim profile check linux\n" +
			"  gilsim profile check skvortsov-2021",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("%s needs one built-in profile (accepted: %s)", cmd.CommandPath(), strings.Join(platform.Names(), ", "))
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			if _, err := platform.Load(args[0]); err != nil {
				return usageError{err}
			}
			source, checks, ok, err := calibrate.Fidelity(args[0])
			if err != nil {
				return err
			}
			if !ok {
				return usagef("%s has no reference figures to check (accepted: %s); gilsim calibrate prints the table of a profile it makes",
					args[0], strings.Join(platform.Names(), ", "))
			}
			held, checked := 0, 0
			for _, c := range checks {
				if c.Tolerance > 0 {
					checked++
					if c.Held() {
						held++
					}
				}
			}
			var b strings.Builder
			b.WriteString(args[0] + ": ")
			for i, l := range wrap(source, listWidth-len(args[0])-2) {
				if i > 0 {
					b.WriteString(strings.Repeat(" ", len(args[0])+2))
				}
				b.WriteString(l + "\n")
			}
			b.WriteString("\n" + calibrate.FormatChecks(checks))
			fmt.Fprintf(&b, "\n%d of %d figures checked are within their tolerance.\n", held, checked)
			if n := len(checks) - checked; n > 0 {
				fmt.Fprintf(&b, "%d more are shown but not held, for the reasons given.\n", n)
			}
			if _, err := fmt.Fprint(e.stdout, b.String()); err != nil {
				return fmt.Errorf("write table: %w", err)
			}
			return nil
		},
	}
}
