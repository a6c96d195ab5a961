package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// Palette names every colour the interface uses by what it means. Each is
// adaptive: one shade for light terminals, one for dark ones.
type Palette struct {
	Running, Starting, NoCore, WaitingGIL, WaitingLock, BlockedIO lipgloss.AdaptiveColor
	Sleeping, Joining, Queued, Done                               lipgloss.AdaptiveColor
	Holder, Handoff, DropRequest, Accent, Muted, Text, Error      lipgloss.AdaptiveColor
	Bar, Speedup                                                  lipgloss.AdaptiveColor
}

// DefaultPalette returns the palette gilsim ships with: warm colours for
// waiting on the GIL, cool ones for being blocked outside it.
func DefaultPalette() Palette {
	c := func(light, dark string) lipgloss.AdaptiveColor {
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	return Palette{
		Running:     c("#1a7f37", "#3fb950"),
		Starting:    c("#0a6e6e", "#39c5bb"),
		NoCore:      c("#9a6700", "#d29922"),
		WaitingGIL:  c("#cf222e", "#f85149"),
		WaitingLock: c("#8250df", "#bc8cff"),
		BlockedIO:   c("#0969da", "#58a6ff"),
		Sleeping:    c("#57606a", "#8b949e"),
		Joining:     c("#6e7781", "#6e7681"),
		Queued:      c("#bf3989", "#f778ba"),
		Done:        c("#afb8c1", "#484f58"),
		Holder:      c("#1a7f37", "#56d364"),
		Handoff:     c("#bc4c00", "#ffa657"),
		DropRequest: c("#cf222e", "#ff7b72"),
		Accent:      c("#0550ae", "#79c0ff"),
		Muted:       c("#6e7781", "#8b949e"),
		Text:        c("#1f2328", "#e6edf3"),
		Error:       c("#a40e26", "#ffa198"),
		Bar:         c("#8250df", "#d2a8ff"),
		Speedup:     c("#1a7f37", "#7ee787"),
	}
}

// Styles holds every style the interface renders with. Build it once with
// NewStyles; views only call Render on its fields.
type Styles struct {
	// State colours a thread state's timeline cells and its name; Task
	// does the same for an asyncio task's state.
	State [sim.NumStates]lipgloss.Style
	Task  [numTaskStates]lipgloss.Style

	Title, Heading, Text, Muted, Accent lipgloss.Style
	// Holder marks the thread that holds a GIL; Waiter the ones waiting.
	Holder, Waiter lipgloss.Style
	// Handoff draws the animated GIL handoff arrow; Reason its label.
	Handoff, Reason, DropRequest lipgloss.Style
	// Playing, Paused and Finished label the player's mode in the header.
	Playing, Paused, Finished lipgloss.Style
	// LineNumber, Marker and CurrentLine draw the source panel.
	LineNumber, Marker, CurrentLine lipgloss.Style
	// Stderr marks console lines the program wrote to standard error.
	Stderr lipgloss.Style
	// Narration is the sentence explaining the last event; Summary the
	// end-of-run figures; Speedup a speedup figure.
	Narration, Summary, Speedup lipgloss.Style
	// Bar is the filled part of a queue depth bar, BarEmpty the rest.
	Bar, BarEmpty lipgloss.Style
	// Selected is the picker's highlighted scenario.
	Selected lipgloss.Style
	// Error is the "terminal too small" line.
	Error lipgloss.Style
	// Help styles the footer generated from the key map.
	Help help.Styles
}

// NewStyles builds the styles from a palette with renderer r, which decides
// the colour profile (NO_COLOR gives plain text) and the background shade.
func NewStyles(r *lipgloss.Renderer, p Palette) Styles {
	fg := func(c lipgloss.AdaptiveColor) lipgloss.Style { return r.NewStyle().Foreground(c) }
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
	}
	for st, c := range taskColour {
		s.Task[st] = fg(c)
	}
	s.Title = fg(p.Accent).Bold(true)
	s.Heading = fg(p.Muted).Bold(true)
	s.Text = fg(p.Text)
	s.Muted = fg(p.Muted)
	s.Accent = fg(p.Accent)
	s.Holder = fg(p.Holder).Bold(true)
	s.Waiter = fg(p.WaitingGIL)
	s.Handoff = fg(p.Handoff).Bold(true)
	s.Reason = fg(p.Handoff)
	s.DropRequest = fg(p.DropRequest).Bold(true)
	s.Playing = fg(p.Running).Bold(true)
	s.Paused = fg(p.NoCore).Bold(true)
	s.Finished = fg(p.Accent).Bold(true)
	s.LineNumber = fg(p.Muted)
	s.Marker = fg(p.Handoff).Bold(true)
	s.CurrentLine = fg(p.Text).Bold(true)
	s.Stderr = fg(p.Error)
	s.Narration = fg(p.Text).Italic(true)
	s.Summary = fg(p.Accent).Bold(true)
	s.Speedup = fg(p.Speedup).Bold(true)
	s.Bar = fg(p.Bar)
	s.BarEmpty = fg(p.Done)
	s.Selected = fg(p.Accent).Bold(true)
	s.Error = fg(p.Error).Bold(true)
	s.Help = help.Styles{
		ShortKey: fg(p.Accent), ShortDesc: fg(p.Muted), ShortSeparator: fg(p.Done),
		FullKey: fg(p.Accent), FullDesc: fg(p.Muted), FullSeparator: fg(p.Done),
		Ellipsis: fg(p.Done),
	}
	return s
}

// DefaultStyles builds the default palette's styles for renderer r.
func DefaultStyles(r *lipgloss.Renderer) Styles { return NewStyles(r, DefaultPalette()) }

// stateGlyph is the timeline cell of each state. Glyphs differ so that the
// timeline reads without colour.
var stateGlyph = [sim.NumStates]string{
	sim.StateNew:      " ",
	sim.StateStarting: "▓",
	sim.StateRunning:  "█",
	sim.StateRunnable: "▒",
	sim.StateWaitGIL:  "░",
	sim.StateWaitLock: "#",
	sim.StateIO:       "~",
	sim.StateSleep:    "z",
	sim.StateJoin:     "j",
	sim.StateQueue:    "q",
	sim.StateDone:     "·",
}

// stateWord is each state in the few words a lane has room for.
var stateWord = [sim.NumStates]string{
	sim.StateNew:      "not started",
	sim.StateStarting: "starting",
	sim.StateRunning:  "running",
	sim.StateRunnable: "no core",
	sim.StateWaitGIL:  "waits GIL",
	sim.StateWaitLock: "waits lock",
	sim.StateIO:       "I/O",
	sim.StateSleep:    "sleeping",
	sim.StateJoin:     "joining",
	sim.StateQueue:    "waits queue",
	sim.StateDone:     "done",
}

// legendWord is each state in the legend, where it explains a glyph.
var legendWord = [sim.NumStates]string{
	sim.StateStarting: "starting",
	sim.StateRunning:  "running",
	sim.StateRunnable: "no core",
	sim.StateWaitGIL:  "waits GIL",
	sim.StateWaitLock: "lock",
	sim.StateIO:       "I/O",
	sim.StateSleep:    "sleep",
	sim.StateJoin:     "join",
	sim.StateQueue:    "queue",
	sim.StateDone:     "done",
}

// taskGlyph is the timeline cell of each task state: the thread state's
// glyph where the meaning is the same, a letter of its own otherwise.
var taskGlyph = [numTaskStates]string{
	taskPending:  " ",
	taskReady:    "r",
	taskRunning:  "█",
	taskSleeping: "z",
	taskIO:       "~",
	taskAwaiting: "a",
	taskDone:     "·",
	taskOverdue:  "!",
}

// taskWord is each task state in the few words a lane has room for.
var taskWord = [numTaskStates]string{
	taskPending:  "pending",
	taskReady:    "ready",
	taskRunning:  "running",
	taskSleeping: "sleeping",
	taskIO:       "awaits I/O",
	taskAwaiting: "awaits task",
	taskDone:     "done",
	taskOverdue:  "overdue",
}

// taskLegend is the legend's word for the task states whose glyph no
// thread state shares; taskAsThread maps the others to that thread state.
var (
	taskLegend   = [numTaskStates]string{taskReady: "ready", taskOverdue: "overdue", taskAwaiting: "awaits"}
	taskAsThread = [numTaskStates]sim.State{
		taskPending: sim.StateNew, taskRunning: sim.StateRunning, taskSleeping: sim.StateSleep,
		taskIO: sim.StateIO, taskDone: sim.StateDone,
	}
)
