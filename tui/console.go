package tui

import (
	"fmt"
)

// The console panel.

// consoleView: the last lines the program printed, stderr marked.
func consoleView(f *side, st *Styles, width, rows int) []string {
	if rows <= 0 {
		return nil
	}
	lines := []string{st.Heading.Render("CONSOLE")}
	con := f.snap.Console
	for _, c := range con[max(0, len(con)-(rows-1)):] {
		who := st.Muted.Render(fmt.Sprintf("%9s %-4s", c.At, shortName(c.Thread)))
		text := st.Text.Render(c.Text)
		if c.Stderr {
			text = st.Stderr.Render("! " + c.Text)
		}
		lines = append(lines, clip(who+text, width))
	}
	return lines
}
