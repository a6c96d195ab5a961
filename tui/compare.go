package tui

import (
	"fmt"

	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// compareRule separates the two sides of the compare view.
const compareRule = " │ "

// compareLayout is how many rows each part of the compare view gets.
type compareLayout struct {
	// lanes is the height of each side's lanes, heading included.
	lanes, narration, source, console int
}

// sideRows are the rows of a side besides its lanes: heading, GIL, cores,
// shared variables, locks and the scenario's figures (when there are any).
func sideRows(s *side) int { return 3 + varRows(s) + lockRows(s) + resultRows(s) }

// compareNarrationRows is the most rows a side's narration, wrapped at
// half the width, may take.
const compareNarrationRows = 4

// layoutCompare shares rows, the header, the speedup and the footer
// taken, between the sides' lanes (first), their narrations (narration
// rows wanted), the source and the sides' consoles.
func layoutCompare(on, off *side, sourceLen, narration, rows int) compareLayout {
	rest := rows - sideRows(on)
	var l compareLayout
	l.lanes = max(2, min(max(lanesWanted(on, 1), lanesWanted(off, 1)), rest-2))
	rest -= l.lanes
	l.narration = max(0, min(narration, rest))
	rest -= l.narration
	consoleWant := 1 + max(len(on.snap.Console), len(off.snap.Console))
	if consoleWant == 1 {
		consoleWant = 0
	}
	if rest >= 3 {
		l.source = min(1+sourceLen, rest-min(consoleWant, max(2, rest/3)))
		if l.source < 3 {
			l.source = 0
		}
	}
	rest -= l.source
	l.console = max(0, min(consoleWant, rest))
	if l.console < 2 {
		l.console = 0
	}
	return l
}

// compareView sets GIL on and GIL off side by side at the same virtual
// time: their lanes, GILs, cores and figures so far, what each shows now,
// the source with both runs' lines, their consoles, and how they end.
func (m Model) compareView() string {
	f, st, w := &m.frame, m.styles, m.width
	footer := m.footer()
	on, off := &f.side, f.other
	if !f.snap.Model.HasGIL() {
		on, off = off, on
	}
	speed := speedupView(f, st, w)
	rows := m.height - 1 - len(speed) - lipgloss.Height(footer)
	rw := lipgloss.Width(compareRule)
	// Both halves are the same width, so that their time axes line up.
	half := (w - rw) / 2
	rule := st.Muted.Render(compareRule)
	const idle = "Nothing has happened yet."
	narrOn := sideNarrationView(on, idle, st, half, compareNarrationRows)
	narrOff := sideNarrationView(off, idle, st, half, compareNarrationRows)
	lay := layoutCompare(on, off, len(f.source), max(len(narrOn), len(narrOff)), rows)
	lines := []string{headerView(f, st, w)}
	lines = append(lines, joinColumns(sideView(on, f, st, half, lay.lanes), sideView(off, f, st, half, lay.lanes), half, rule)...)
	if lay.narration > 0 {
		lines = append(lines, joinColumns(
			sideNarrationView(on, idle, st, half, lay.narration),
			sideNarrationView(off, idle, st, half, lay.narration), half, rule)...)
	}
	lines = append(lines, compareSourceView(f, on, off, st, w, lay.source)...)
	if lay.console > 0 {
		lines = append(lines, joinColumns(consoleView(on, st, half, lay.console), consoleView(off, st, half, lay.console), half, rule)...)
	}
	lines = append(lines, speed...)
	return pad(lines, m.height-lipgloss.Height(footer)) + "\n" + footer
}

// sideView is one run of the compare view: its setting and progress, its
// lanes (lanes rows, heading included), its GIL, its cores, and the
// scenario's figures so far, which say how far it has got.
func sideView(s *side, f *frame, st *Styles, width, lanes int) []string {
	status := st.Playing.Render("running")
	if s.done {
		status = st.Finished.Render("done at " + brief(s.end))
	}
	lines := []string{spread(st.Title.Render(s.label), status, width)}
	compact := width < 2*minWidth/3
	lines = append(lines, lanesView(s, st, width, lanes, 1, f.win, compact)...)
	for len(lines) < 1+lanes {
		lines = append(lines, "")
	}
	var gil string
	switch {
	case s.snap.Model == sim.ModelFreeThreaded:
		gil = st.Text.Render("none: threads run Python at once")
	case len(s.snap.Procs) == 1:
		gil = gilLine(&s.snap.Procs[0].GIL, &s.snap, st, width, false)
	default:
		gil = gilProcs(&s.snap, st)
	}
	lines = append(lines, clip(st.Heading.Render("GIL   ")+gil, width), coresView(s, st, width))
	lines = append(lines, varsView(s, st, width)...)
	lines = append(lines, locksView(s, st, width)...)
	return append(lines, resultsView(s, st, width)...)
}

// compareSourceView: the source once, with both runs' threads and tasks
// at their lines. Each line has two gutters, the GIL-on run's then the
// GIL-off run's, and after the text the names of each: "◀ T1 │ T1 T2 T3".
func compareSourceView(f *frame, on, off *side, st *Styles, width, rows int) []string {
	if rows <= 0 {
		return nil
	}
	atOn, focus, rank := sourceMarks(on)
	atOff, focusOff, rankOff := sourceMarks(off)
	if rankOff > rank {
		focus = focusOff
	}
	head := st.Heading.Render("SOURCE ") + st.Text.Render(f.file) + asVersion(st, on.version, off.version) +
		st.Muted.Render("   left GIL on, right GIL off · ▶ runs  ● waits")
	lines := []string{clip(head, width)}
	n := rows - 1
	start := sourceWindow(markedLines(atOn, atOff), focus, len(f.source), n)
	// Each side's names get a share of what the text leaves.
	room := (width - 7 - minSourceText - 5) / 2
	for ln := start; ln < start+n && ln <= len(f.source); ln++ {
		mOn, mOff := atOn[ln], atOff[ln]
		gutter := lineGutter(mOn, st) + lineGutter(mOff, st)
		var marks string
		if mOn != nil || mOff != nil {
			marks = st.Marker.Render(" ◀") + compareMarks(on, mOn, st, room) + st.Muted.Render(" │") + compareMarks(off, mOff, st, room)
		}
		lines = append(lines, sourceText(f, st, width, ln, gutter, 7, marks, marks != ""))
	}
	return lines
}

// compareMarks names one side's threads and tasks at a line, or a dash.
func compareMarks(s *side, m *lineMarks, st *Styles, room int) string {
	if m == nil {
		return st.Muted.Render(" –")
	}
	return markList(s, m, st, room)
}

// speedupView says how the two runs end: each side's end as it comes,
// and the speedup once both are known. Nothing is compared before: CPU
// used, or time alone, says nothing about how far each has got; the
// sides' own figures do.
func speedupView(f *frame, st *Styles, width int) []string {
	c := &f.compare
	if c.known {
		return []string{clip(st.Speedup.Render("Speedup without the GIL "+ratio(c.onEnd, c.offEnd))+
			st.Text.Render(fmt.Sprintf(": GIL on finishes at %s, GIL off at %s", brief(c.onEnd), brief(c.offEnd))), width)}
	}
	return []string{clip(st.Muted.Render("At the end: running both to the end to compare…"), width)}
}
