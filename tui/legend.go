package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// The legend under the lanes.

var legendOrder = []sim.State{sim.StateRunning, sim.StateWaitGIL, sim.StateRunnable, sim.StateWaitLock,
	sim.StateIO, sim.StateSleep, sim.StateJoin, sim.StateQueue, sim.StateStarting, sim.StateDone}

// legendView explains the timeline's glyphs, the task states' among
// them when there are task lanes. When not all fit, it keeps the states
// some lane is in or was in on the timeline.
func legendView(f *side, st *Styles, width int, scale sim.Time) string {
	entry := func(s sim.State) string {
		return st.State[s].Render(stateGlyph[s]) + " " + st.Muted.Render(legendWord[s])
	}
	taskEntry := func(s taskState) string {
		return st.Task[s].Render(taskGlyph[s]) + " " + st.Muted.Render(taskLegend[s])
	}
	brief := st.State[sim.StateRunning].Render(briefGlyph) + " " + st.Muted.Render("ran briefly")
	tasks := len(f.snap.Tasks) > 0
	var all []string
	for _, s := range legendOrder {
		all = append(all, entry(s))
		if s == sim.StateRunning {
			all = append(all, brief)
		}
	}
	for s := range numTaskStates {
		if tasks && taskLegend[s] != "" {
			all = append(all, taskEntry(s))
		}
	}
	line := " " + strings.Join(all, "  ")
	if lipgloss.Width(line) <= width {
		return line
	}
	var seen [sim.NumStates]bool
	var seenTask [numTaskStates]bool
	seen[sim.StateRunning] = true
	// Waiting for the GIL is the lesson wherever threads can contend.
	seen[sim.StateWaitGIL] = gilRows(f) > 1
	from := f.snap.Now - scale*sim.Time(lanesLayout(f, width, false).cols)
	for id, marks := range f.rec.lanes {
		at, i := stateAt(marks, max(from, 0))
		seen[at] = true
		for _, m := range marks[i:] {
			seen[m.state] = true
		}
		seen[f.snap.Threads[id].State] = true
	}
	for k, marks := range f.rec.tasks {
		at, i := stateAt(marks, max(from, 0))
		seenTask[at] = true
		for _, m := range marks[i:] {
			if m.at <= f.snap.Now {
				seenTask[m.state] = true
			}
		}
		seenTask[taskNow(f, k)] = true
	}
	for s, ok := range seenTask {
		if ok && taskLegend[s] == "" {
			seen[taskAsThread[s]] = true
		}
	}
	var some []string
	for _, s := range legendOrder {
		if seen[s] {
			some = append(some, entry(s))
		}
		if s == sim.StateRunning {
			some = append(some, brief)
		}
	}
	for s, ok := range seenTask {
		if ok && taskLegend[s] != "" {
			some = append(some, taskEntry(taskState(s)))
		}
	}
	return clip(" "+strings.Join(some, "  "), width)
}
