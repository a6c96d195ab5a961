package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// The header: scenario, GIL setting, time, speed and play mode.

// Widths of the header's right-hand fields: fixed, so that nothing in
// the header moves while the run plays.
const (
	timeField   = 9  // "999.999ms"
	eventsField = 7  // "1234567"
	speedField  = 7  // "500µs/s"
	modeField   = 10 // "■ finished"
	// wideHeader is the narrowest terminal whose header names gilsim and
	// the number of cores.
	wideHeader = 100
)

// headerView: scenario (with its article section), GIL setting, cores
// when wide, virtual time, event number, speed and play mode. Every
// field on the right has a fixed width and the title is clipped to what
// is left, so that the header never reflows as the numbers grow.
func headerView(f *frame, st *Styles, width int) string {
	setting := "  " + st.Accent.Render(f.setting)
	title := f.title
	if f.section != "" {
		title = "§" + f.section + " " + title
	}
	if width >= wideHeader {
		setting += st.Muted.Render(fmt.Sprintf(" · %d cores", f.cores))
		title = "gilsim · " + title
	}
	speed := padLeft(shortDuration(f.speed)+"/s", speedField)
	speedStyle := st.Muted
	if f.behind {
		// Playback cannot keep up: it shows less than the speed says.
		speed, speedStyle = padLeft("behind", speedField), st.Paused
	}
	right := st.Text.Render(padLeft(f.snap.Now.String(), timeField)) +
		st.Muted.Render(" ev "+padRight(f.events, eventsField)+" ") +
		speedStyle.Render(speed) + " " +
		modeStyle(st, f.mode).Render(padRight(f.mode.String(), modeField))
	room := width - lipgloss.Width(setting) - lipgloss.Width(right) - 1
	return fit(st.Title.Render(clip(title, room))+setting, width-lipgloss.Width(right)) + right
}

// eventsText is the header's event count: the run's, or in the compare
// view both runs', GIL on first.
func eventsText(f *frame) string {
	if f.other == nil {
		return strconv.FormatUint(f.snap.Events, 10)
	}
	on, off := f.snap.Events, f.other.snap.Events
	if !f.snap.Model.HasGIL() {
		on, off = off, on
	}
	return strconv.FormatUint(on, 10) + "⇄" + strconv.FormatUint(off, 10)
}

// padLeft right-aligns s in n cells; padRight left-aligns it.
func padLeft(s string, n int) string {
	return strings.Repeat(" ", max(0, n-lipgloss.Width(s))) + s
}

func padRight(s string, n int) string {
	return s + strings.Repeat(" ", max(0, n-lipgloss.Width(s)))
}

func modeStyle(st *Styles, m playMode) lipgloss.Style {
	switch m {
	case modePlaying:
		return st.Playing
	case modeFinished:
		return st.Finished
	case modeBusy:
		return st.Busy
	}
	return st.Paused
}
