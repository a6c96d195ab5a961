package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/gilsim/gilsim/scenarios"
)

func newListCmd(e *env) *cobra.Command {
	var params bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the built-in scenarios",
		Long: "List prints every built-in scenario: its id, the sections of the article it comes\n" +
			"from (each also accepted in place of the id) and what it shows. With --params it\n" +
			"also lists each scenario's parameters, set with --set key=value.",
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			var text string
			if params {
				text = listParams()
			} else {
				text = listScenarios()
			}
			if _, err := fmt.Fprint(e.stdout, text); err != nil {
				return fmt.Errorf("write list: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&params, "params", false, "also list each scenario's parameters: default, accepted values, meaning")
	return cmd
}

// listScenarios is gilsim list: a table of one line per scenario, then
// each scenario's article sections and what to watch for in it.
func listScenarios() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tSECTIONS\tWHAT IT SHOWS")
	for _, sc := range scenarios.All() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", sc.ID, sections(sc), sc.Summary)
	}
	tw.Flush()
	b.WriteString("\nWHAT TO WATCH FOR\n")
	for _, sc := range scenarios.All() {
		b.WriteString("\n" + sc.ID + "\n")
		b.WriteString(sectionLines(sc))
		for _, l := range wrap(sc.Notice, listWidth-2) {
			b.WriteString("  " + l + "\n")
		}
	}
	b.WriteString("\nRun one with gilsim run SCENARIO (an id or a section, such as 3.1.2);\n" +
		"a section runs its scenario with the settings that give the section's code.\n" +
		"gilsim list --params shows every scenario's parameters.\n")
	return b.String()
}

// listWidth is the width gilsim list wraps its paragraphs to: a terminal
// of 80 columns.
const listWidth = 80

// sectionLines lists a scenario's article sections, one a line, each with
// its heading in English and Chinese and the settings that give its code.
func sectionLines(sc *scenarios.Scenario) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, sec := range sc.ArticleSections {
		line := "  §" + sec.Number + "\t" + sec.Title
		if sec.Heading != "" {
			line += " (" + sec.Heading + ")"
		}
		if len(sec.Set) > 0 {
			line += ": " + strings.Join(sec.Set, ", ")
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	return b.String()
}

// wrap breaks text into lines of at most width runes, between words.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// listParams is gilsim list --params: every scenario with its parameters.
func listParams() string {
	var b strings.Builder
	for i, sc := range scenarios.All() {
		if i > 0 {
			b.WriteByte('\n')
		}
		title := sc.ID
		if len(sc.Sections) > 0 {
			title += " (" + sections(sc) + ")"
		}
		fmt.Fprintf(&b, "%s: %s\n", title, sc.Summary)
		b.WriteString(paramsTable(sc))
	}
	return b.String()
}

// paramsHelp is the parameters section of run SCENARIO --help.
func paramsHelp(sc *scenarios.Scenario) string {
	if len(sc.Params) == 0 {
		return fmt.Sprintf("Scenario %s takes no parameters.\n", sc.ID)
	}
	return fmt.Sprintf("Parameters of %s (set with --set key=value):\n", sc.ID) + paramsTable(sc)
}

// paramsTable lists a scenario's parameters: name, default and meaning,
// with the accepted values below the meaning.
func paramsTable(sc *scenarios.Scenario) string {
	if len(sc.Params) == 0 {
		return "  (no parameters)\n"
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  PARAMETER\tDEFAULT\tMEANING")
	for _, p := range sc.Params {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", p.Name, p.Default, p.Help)
		fmt.Fprintf(tw, "  \t\taccepts %s\n", p.Accepts())
	}
	tw.Flush()
	return b.String()
}

func sections(sc *scenarios.Scenario) string {
	if len(sc.Sections) == 0 {
		return "-"
	}
	return strings.Join(sc.Sections, ", ")
}
