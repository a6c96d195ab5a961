package tui

import (
	"fmt"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/gilsim/gilsim/sim"
)

// The console panel.

// consoleView: the last lines the program printed, stderr marked. The
// line that ends a traceback (the exception itself) stays in view while
// newer lines scroll past it, and a line too long for the width loses its
// middle, not its end, where a message's payload usually is ("took 0.251
// seconds").
func consoleView(f *side, st *Styles, width, rows int) []string {
	if rows <= 0 {
		return nil
	}
	lines := []string{st.Heading.Render("CONSOLE")}
	for _, c := range consoleLines(f, rows-1) {
		who := st.Muted.Render(fmt.Sprintf("%9s %-4s", c.At, shortName(c.Thread)))
		room := width - lipgloss.Width(who)
		text := st.Text.Render(clipMiddle(c.Text, room))
		if c.Stderr {
			text = st.Stderr.Render("! " + clipMiddle(c.Text, room-2))
		}
		lines = append(lines, clip(who+text, width))
	}
	return lines
}

// consoleLines picks the n console lines to show: the latest, and every
// exception line before them, in the order they were printed.
func consoleLines(f *side, n int) []sim.ConsoleLine {
	con := f.snap.Console
	if len(con) <= n {
		return con
	}
	exc := make(map[string]bool, len(f.rec.excs))
	for _, e := range f.rec.excs {
		exc[fmt.Sprint(e.thread, e.text)] = true
	}
	pinned := make([]bool, len(con))
	for i, c := range con {
		pinned[i] = c.Stderr && exc[fmt.Sprint(c.Thread, c.Text)]
	}
	keep := make([]bool, len(con))
	left := n
	// The newest exceptions first, up to the rows there are.
	for i := len(con) - 1; i >= 0 && left > 0; i-- {
		if pinned[i] {
			keep[i], left = true, left-1
		}
	}
	for i := len(con) - 1; i >= 0 && left > 0; i-- {
		if !keep[i] {
			keep[i], left = true, left-1
		}
	}
	out := make([]sim.ConsoleLine, 0, n)
	for i, c := range con {
		if keep[i] {
			out = append(out, c)
		}
	}
	return out
}

// clipMiddle shortens plain text to width cells by putting an ellipsis in
// its middle, keeping more of its end than of its start.
func clipMiddle(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if lipgloss.Width(s) <= width {
		return s
	}
	if width < 12 {
		return ansi.Truncate(s, width, "…")
	}
	tail := (width - 1) * 3 / 5
	head := width - 1 - tail
	return ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, lipgloss.Width(s)-tail, "")
}
