package tui

import (
	"fmt"

	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// compareRule separates the two sides of the compare view.
const compareRule = " │ "

// compareView sets GIL on and GIL off side by side at the same virtual
// time, with the speedup so far below.
func (m Model) compareView() string {
	f, st, w := &m.frame, m.styles, m.width
	footer := m.help.View(playerHelp{&m.keys})
	on, off := &f.side, f.other
	if !f.snap.Model.HasGIL() {
		on, off = off, on
	}
	speed := speedupView(f, st, w)
	rows := m.height - 1 - len(speed) - lipgloss.Height(footer)
	half := (w - lipgloss.Width(compareRule)) / 2
	left := sideView(on, f, st, half, rows)
	right := sideView(off, f, st, w-half-lipgloss.Width(compareRule), rows)
	lines := append([]string{headerView(f, st, w)}, joinColumns(left, right, half, st.Muted.Render(compareRule))...)
	lines = append(lines, speed...)
	return pad(lines, m.height-lipgloss.Height(footer)) + "\n" + footer
}

// sideRows are the rows of a side besides its lanes: heading, GIL, cores
// and CPU.
const sideRows = 4

// sideView is one run of the compare view: its setting and progress, its
// lanes, its GIL and its cores.
func sideView(s *side, f *frame, st *Styles, width, rows int) []string {
	status := st.Playing.Render("running")
	if s.done {
		status = st.Finished.Render("finished at " + s.end.String())
	}
	lines := []string{spread(st.Title.Render(s.label), status, width)}
	compact := width < 2*minWidth/3
	lines = append(lines, lanesView(s, st, width, rows-sideRows+1, f.scale, compact)...)
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
	return append(lines, clip(st.Heading.Render("CPU   ")+st.Text.Render(brief(cpu(&s.snap))+" used so far"), width))
}

// speedupView compares the two runs: the CPU each got through in the same
// virtual time, and the speedup at the end once both runs are known.
func speedupView(f *frame, st *Styles, width int) []string {
	c := &f.compare
	now := f.snap.Now
	lines := []string{clip(st.Speedup.Render("Speedup so far "+ratio(c.offCPU, c.onCPU))+
		st.Text.Render(fmt.Sprintf(": in %s GIL off ran %s of CPU, GIL on %s", brief(now), brief(c.offCPU), brief(c.onCPU))), width)}
	end := st.Muted.Render("At the end: running both to the end…")
	if c.known {
		end = st.Speedup.Render("Speedup at the end "+ratio(c.onEnd, c.offEnd)) +
			st.Text.Render(fmt.Sprintf(": GIL on finishes at %s, GIL off at %s", brief(c.onEnd), brief(c.offEnd)))
	}
	return append(lines, clip(end, width))
}
