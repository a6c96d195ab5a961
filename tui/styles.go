package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// numHolders is how many colours tell GIL holders apart in a "who holds
// the GIL" row; thread i takes colour i mod numHolders.
const numHolders = 8

// Palette names every colour the interface uses by what it means. Each is
// adaptive: one shade for light terminals, one for dark ones. A theme
// (see Theme) takes one palette and one of its two shades.
type Palette struct {
	// A lane's states. Native is a thread running C code with the GIL
	// released: on a core like Running, so a hue of its own. Blocking is
	// an asyncio task whose step blocks its event loop. Future is a
	// timeline after "now" in a whole-run view: dimmer than the past.
	Running, Native, Starting, NoCore, WaitingGIL, WaitingLock, BlockedIO lipgloss.AdaptiveColor
	Sleeping, Joining, Queued, Done, Blocking, Future                     lipgloss.AdaptiveColor
	// The GIL panel: its holder, the handoff arrow, the drop request.
	Holder, Handoff, DropRequest lipgloss.AdaptiveColor
	// Holders tell threads apart in a row of who held the GIL when.
	Holders [numHolders]lipgloss.AdaptiveColor
	// Text and its tones.
	Accent, Muted, Text, Error lipgloss.AdaptiveColor
	// Lesson is a lesson callout's border and title; Busy a "working"
	// indicator; Result the scenario's own figures; Lock a lock's name and
	// holder; Bar a queue's depth; Speedup a speedup figure.
	Lesson, Busy, Result, Lock, Bar, Speedup lipgloss.AdaptiveColor
}

// Styles holds every style the interface renders with. Build it once with
// ThemeStyles (or NewStyles) from the renderer of the terminal it draws
// on; views only call Render on its fields, so nothing reads lipgloss's
// default renderer and each terminal (an SSH session, say) can have its own.
type Styles struct {
	// State colours a thread state's timeline cells and its name; Task
	// does the same for an asyncio task's state.
	State [sim.NumStates]lipgloss.Style
	Task  [numTaskStates]lipgloss.Style
	// Native is a thread running C code with the GIL released; Blocking
	// an asyncio task whose step blocks its event loop; Future a timeline
	// after "now" in a whole-run view.
	Native, Blocking, Future lipgloss.Style

	Title, Heading, Text, Muted, Accent lipgloss.Style
	// Holder marks the thread that holds a GIL; Waiter the ones waiting.
	Holder, Waiter lipgloss.Style
	// Holders tell threads apart in a row of who held the GIL when:
	// thread i uses Holders[i%len(Holders)].
	Holders []lipgloss.Style
	// Handoff draws the animated GIL handoff arrow; Reason its label.
	Handoff, Reason, DropRequest lipgloss.Style
	// Lock is a lock's name and holder in the locks panel.
	Lock lipgloss.Style
	// Playing, Paused and Finished label the player's mode in the header;
	// Busy says it is working (re-simulating…).
	Playing, Paused, Finished, Busy lipgloss.Style
	// LineNumber, Marker and CurrentLine draw the source panel.
	LineNumber, Marker, CurrentLine lipgloss.Style
	// Stderr marks console lines the program wrote to standard error.
	Stderr lipgloss.Style
	// Narration is the sentence explaining the last event; Summary the
	// end-of-run figures; Speedup a speedup figure; Result a row of the
	// scenario's own results ("121 requests/s").
	Narration, Summary, Speedup, Result lipgloss.Style
	// Callout is the text of a lesson callout, CalloutTitle its title and
	// CalloutBorder the colour of its border (render the border's glyphs
	// with it, or take its foreground for lipgloss's BorderForeground).
	Callout, CalloutTitle, CalloutBorder lipgloss.Style
	// Bar is the filled part of a queue depth bar, BarEmpty the rest.
	Bar, BarEmpty lipgloss.Style
	// Selected is the picker's highlighted scenario.
	Selected lipgloss.Style
	// Error is the "terminal too small" line.
	Error lipgloss.Style
	// Help styles the footer generated from the key map.
	Help help.Styles
	// List styles the picker's list: title, filter, status bar, pagination.
	List list.Styles
}

// NewStyles builds the styles from palette p, in its dark or its light
// shades, with renderer r, which decides the colour profile (NO_COLOR gives
// plain text). The colours are fixed here: rendering never asks r for the
// terminal's background.
func NewStyles(r *lipgloss.Renderer, p Palette, dark bool) Styles {
	fg := func(c lipgloss.AdaptiveColor) lipgloss.Style { return r.NewStyle().Foreground(shade(c, dark)) }
	var s Styles
	stateColour := [sim.NumStates]lipgloss.AdaptiveColor{
		sim.StateNew: p.Done, sim.StateStarting: p.Starting, sim.StateRunning: p.Running,
		sim.StateRunnable: p.NoCore, sim.StateWaitGIL: p.WaitingGIL, sim.StateWaitLock: p.WaitingLock,
		sim.StateIO: p.BlockedIO, sim.StateSleep: p.Sleeping, sim.StateJoin: p.Joining,
		sim.StateQueue: p.Queued, sim.StateDone: p.Done,
	}
	for st, c := range stateColour {
		s.State[st] = fg(c)
	}
	// A task shares its colour with the thread state it resembles: ready
	// is runnable without a core (the loop is the core), awaiting another
	// task is joining it; a sleep that is over but not acted on is the
	// warning colour of waiting for the GIL.
	taskColour := [numTaskStates]lipgloss.AdaptiveColor{
		taskPending: p.Done, taskReady: p.NoCore, taskRunning: p.Running, taskSleeping: p.Sleeping,
		taskIO: p.BlockedIO, taskAwaiting: p.Joining, taskDone: p.Done, taskOverdue: p.WaitingGIL,
		taskBlocking: p.Blocking,
	}
	for st, c := range taskColour {
		s.Task[st] = fg(c)
	}
	s.Native = fg(p.Native)
	s.Blocking = fg(p.Blocking).Bold(true)
	s.Future = fg(p.Future)
	s.Title = fg(p.Accent).Bold(true)
	s.Heading = fg(p.Muted).Bold(true)
	s.Text = fg(p.Text)
	s.Muted = fg(p.Muted)
	s.Accent = fg(p.Accent)
	s.Holder = fg(p.Holder).Bold(true)
	s.Waiter = fg(p.WaitingGIL)
	s.Holders = make([]lipgloss.Style, len(p.Holders))
	for i, c := range p.Holders {
		s.Holders[i] = fg(c)
	}
	s.Handoff = fg(p.Handoff).Bold(true)
	s.Reason = fg(p.Handoff)
	s.DropRequest = fg(p.DropRequest).Bold(true)
	s.Lock = fg(p.Lock)
	s.Playing = fg(p.Running).Bold(true)
	s.Paused = fg(p.NoCore).Bold(true)
	s.Finished = fg(p.Accent).Bold(true)
	s.Busy = fg(p.Busy).Bold(true)
	s.LineNumber = fg(p.Muted)
	s.Marker = fg(p.Handoff).Bold(true)
	s.CurrentLine = fg(p.Text).Bold(true)
	s.Stderr = fg(p.Error)
	s.Narration = fg(p.Text).Italic(true)
	s.Summary = fg(p.Accent).Bold(true)
	s.Speedup = fg(p.Speedup).Bold(true)
	s.Result = fg(p.Result).Bold(true)
	s.Callout = fg(p.Text)
	s.CalloutTitle = fg(p.Lesson).Bold(true)
	s.CalloutBorder = fg(p.Lesson)
	s.Bar = fg(p.Bar)
	s.BarEmpty = fg(p.Done)
	s.Selected = fg(p.Accent).Bold(true)
	s.Error = fg(p.Error).Bold(true)
	s.Help = help.Styles{
		ShortKey: fg(p.Accent), ShortDesc: fg(p.Muted), ShortSeparator: fg(p.Done),
		FullKey: fg(p.Accent), FullDesc: fg(p.Muted), FullSeparator: fg(p.Done),
		Ellipsis: fg(p.Done),
	}
	s.List = listStyles(r, fg, p)
	return s
}

// listStyles are the picker list's styles: bubbles' list.DefaultStyles
// builds them with lipgloss's default renderer and colours of its own, so
// every one it renders is made again here, from r and the palette, with
// the same layout.
func listStyles(r *lipgloss.Renderer, fg func(lipgloss.AdaptiveColor) lipgloss.Style, p Palette) list.Styles {
	const bullet = "•"
	return list.Styles{
		TitleBar:                    r.NewStyle().Padding(0, 0, 1, 2),
		Title:                       fg(p.Accent).Bold(true),
		Spinner:                     fg(p.Muted),
		FilterPrompt:                fg(p.Accent).Bold(true),
		FilterCursor:                fg(p.Text),
		DefaultFilterCharacterMatch: r.NewStyle().Underline(true),
		StatusBar:                   fg(p.Muted).Padding(0, 0, 1, 2),
		StatusEmpty:                 fg(p.Muted),
		StatusBarActiveFilter:       fg(p.Text),
		StatusBarFilterCount:        fg(p.Muted),
		NoItems:                     fg(p.Muted),
		PaginationStyle:             r.NewStyle().PaddingLeft(2),
		HelpStyle:                   r.NewStyle().Padding(1, 0, 0, 2),
		ActivePaginationDot:         fg(p.Accent).SetString(bullet),
		InactivePaginationDot:       fg(p.Done).SetString(bullet),
		ArabicPagination:            fg(p.Muted),
		DividerDot:                  fg(p.Done).SetString(" " + bullet + " "),
	}
}

// DefaultStyles builds the standard palette's styles for renderer r, in the
// shade its background calls for (asking the terminal, unless r was told).
func DefaultStyles(r *lipgloss.Renderer) Styles {
	return NewStyles(r, DefaultPalette(), r.HasDarkBackground())
}

// shade is c's colour for a dark or a light background.
func shade(c lipgloss.AdaptiveColor, dark bool) lipgloss.Color {
	if dark {
		return lipgloss.Color(c.Dark)
	}
	return lipgloss.Color(c.Light)
}
