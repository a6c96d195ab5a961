package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// The legend under the lanes.

// legendOrder lists the thread states the legend explains, the commonest
// first.
var legendOrder = []threadState{threadState(sim.StateRunning), threadState(sim.StateWaitGIL), threadNative,
	threadState(sim.StateRunnable), threadState(sim.StateWaitLock), threadState(sim.StateIO), threadState(sim.StateSleep),
	threadState(sim.StateJoin), threadState(sim.StateQueue), threadState(sim.StateStarting), threadState(sim.StateDone)}

// legendView explains the timeline's glyphs, the task states' among
// them when there are task lanes. When not all fit, it keeps the states
// some lane is in or was in on the timeline, and the partly-running
// glyph when some column shows it.
func legendView(f *side, st *Styles, width int, win window) string {
	entry := func(s threadState) string {
		return threadStyle(st, s).Render(threadGlyph[s]) + " " + st.Muted.Render(threadLegend[s])
	}
	taskEntry := func(s taskState) string {
		return taskStyle(st, s).Render(taskGlyphs[s]) + " " + st.Muted.Render(taskLegends[s])
	}
	part := st.State[sim.StateRunning].Render(partGlyphs[2]+partGlyphs[4]+partGlyphs[6]) + " " + st.Muted.Render("ran part")
	tasks := len(f.snap.Tasks) > 0
	var all []string
	for _, s := range legendOrder {
		if s == threadNative && !f.snap.Model.HasGIL() {
			continue
		}
		all = append(all, entry(s))
		if s == threadState(sim.StateRunning) {
			all = append(all, part)
		}
	}
	for s := range numTaskStates {
		if tasks && taskLegends[s] != "" {
			all = append(all, taskEntry(s))
		}
	}
	line := " " + strings.Join(all, "  ")
	if lipgloss.Width(line) <= width {
		return line
	}
	seen, seenTask := legendSeen(f, width, win)
	var some []string
	for _, s := range legendOrder {
		if seen[s] {
			some = append(some, entry(s))
		}
		if s == threadState(sim.StateRunning) {
			some = append(some, part)
		}
	}
	for s, ok := range seenTask {
		if ok && taskLegends[s] != "" {
			some = append(some, taskEntry(taskState(s)))
		}
	}
	return clip(" "+strings.Join(some, "  "), width)
}

// legendSeen lists the thread and task states some lane is in, or was in
// within the window; waiting for the GIL always counts where threads can
// contend for it, as it is the lesson there.
func legendSeen(f *side, width int, win window) (seen [numThreadStates]bool, seenTask [numTaskStates]bool) {
	seen[sim.StateRunning] = true
	seen[sim.StateWaitGIL] = gilRows(f) > 1
	from, _ := win.span(lanesLayout(f, width, false).cols)
	src := laneMarks(f, win)
	for id, marks := range src.lanes {
		at, i := stateAt(marks, max(from, 0))
		seen[at] = true
		for j, m := range marks[i:] {
			// A state left at the instant it was entered draws nothing.
			if i+j+1 == len(marks) || marks[i+j+1].at > m.at {
				seen[m.state] = true
			}
		}
		seen[threadNow(f, int32(id))] = true
	}
	for k, marks := range src.tasks {
		at, i := stateAt(marks, max(from, 0))
		seenTask[at] = true
		for j, m := range marks[i:] {
			if (m.at <= f.snap.Now || win.whole) && (i+j+1 == len(marks) || marks[i+j+1].at > m.at) {
				seenTask[m.state] = true
			}
		}
		seenTask[taskNow(f, k)] = true
	}
	for s, ok := range seenTask {
		if ok && taskLegends[s] == "" {
			seen[taskLikeThread[s]] = true
		}
	}
	return seen, seenTask
}
