package tui

import (
	"fmt"

	"github.com/charmbracelet/lipgloss"
)

// The header: scenario, GIL setting, time, speed and play mode.

// headerView: scenario, GIL setting, cores, virtual time, event number,
// speed and play mode.
func headerView(f *frame, st *Styles, width int) string {
	setting := "  " + st.Accent.Render(f.setting) + st.Muted.Render(fmt.Sprintf(" · %d cores", f.cores))
	mode := modeStyle(st, f.mode).Render(f.mode.String())
	speed := st.Muted.Render("  "+shortDuration(f.speed)+"/s  ") + mode
	right := st.Text.Render(f.snap.Now.String()) + st.Muted.Render(fmt.Sprintf("  ev %d", f.snap.Events)) + speed
	title := "gilsim · " + f.title
	room := width - lipgloss.Width(setting) - lipgloss.Width(right) - 1
	if lipgloss.Width(title) > room {
		title = f.title
	}
	if lipgloss.Width(title) > room {
		// The scenario matters more than the event number.
		right = st.Text.Render(f.snap.Now.String()) + speed
		room = width - lipgloss.Width(setting) - lipgloss.Width(right) - 1
	}
	return spread(st.Title.Render(clip(title, room))+setting, right, width)
}

func modeStyle(st *Styles, m playMode) lipgloss.Style {
	switch m {
	case modePlaying:
		return st.Playing
	case modeFinished:
		return st.Finished
	}
	return st.Paused
}
