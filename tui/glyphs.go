package tui

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// The glyphs and words of the lanes. Glyphs differ per state so that a
// timeline reads without colour.

// threadGlyph is the timeline cell of each thread state.
var threadGlyph = [numThreadStates]string{
	threadState(sim.StateNew):      " ",
	threadState(sim.StateStarting): "▓",
	threadState(sim.StateRunning):  "█",
	threadState(sim.StateRunnable): "▒",
	threadState(sim.StateWaitGIL):  "░",
	threadState(sim.StateWaitLock): "#",
	threadState(sim.StateIO):       "~",
	threadState(sim.StateSleep):    "z",
	threadState(sim.StateJoin):     "j",
	threadState(sim.StateQueue):    "q",
	threadState(sim.StateDone):     "·",
	threadNative:                   "c",
}

// threadWord is each thread state in the few words a lane has room for.
var threadWord = [numThreadStates]string{
	threadState(sim.StateNew):      "not started",
	threadState(sim.StateStarting): "starting",
	threadState(sim.StateRunning):  "running",
	threadState(sim.StateRunnable): "no core",
	threadState(sim.StateWaitGIL):  "waits GIL",
	threadState(sim.StateWaitLock): "waits lock",
	threadState(sim.StateIO):       "I/O",
	threadState(sim.StateSleep):    "sleeping",
	threadState(sim.StateJoin):     "joining",
	threadState(sim.StateQueue):    "waits queue",
	threadState(sim.StateDone):     "done",
	threadNative:                   "C code",
}

// syncWord is the state word of a thread waiting for a lock, a
// semaphore or an event.
var syncWord = [...]string{sim.SyncLock: "waits lock", sim.SyncSemaphore: "waits sem", sim.SyncEvent: "waits event"}

// atExitWord is the state word of a main thread waiting in interpreter
// shutdown: its lane shows it joining, though its code has no join.
const atExitWord = "at exit"

// threadLegend is each thread state in the legend, where it explains a
// glyph.
var threadLegend = [numThreadStates]string{
	threadState(sim.StateStarting): "starting",
	threadState(sim.StateRunning):  "running",
	threadState(sim.StateRunnable): "no core",
	threadState(sim.StateWaitGIL):  "waits GIL",
	threadState(sim.StateWaitLock): "lock",
	threadState(sim.StateIO):       "I/O",
	threadState(sim.StateSleep):    "sleep",
	threadState(sim.StateJoin):     "join",
	threadState(sim.StateQueue):    "queue",
	threadState(sim.StateDone):     "done",
	threadNative:                   "C code, no GIL",
}

// taskGlyphs is the timeline cell of each task state: the thread state's
// glyph where the meaning is the same, a letter of its own otherwise.
var taskGlyphs = [numTaskStates]string{
	taskPending:  " ",
	taskReady:    "r",
	taskRunning:  "█",
	taskSleeping: "z",
	taskIO:       "~",
	taskAwaiting: "a",
	taskDone:     "·",
	taskOverdue:  "!",
	taskBlocking: "X",
}

// taskWords is each task state in the few words a lane has room for.
var taskWords = [numTaskStates]string{
	taskPending:  "pending",
	taskReady:    "ready",
	taskRunning:  "running",
	taskSleeping: "sleeping",
	taskIO:       "awaits I/O",
	taskAwaiting: "awaits task",
	taskDone:     "done",
	taskOverdue:  "overdue",
	taskBlocking: "blocks loop",
}

// taskLegends is the legend's word for the task states whose glyph no
// thread state shares; taskLikeThread maps the others to that thread state.
var (
	taskLegends = [numTaskStates]string{taskReady: "ready", taskOverdue: "overdue", taskAwaiting: "awaits",
		taskBlocking: "blocks the loop"}
	taskLikeThread = [numTaskStates]threadState{
		taskPending: threadState(sim.StateNew), taskRunning: threadState(sim.StateRunning),
		taskSleeping: threadState(sim.StateSleep), taskIO: threadState(sim.StateIO), taskDone: threadState(sim.StateDone),
	}
)

// partGlyphs draw a column in which a lane ran for part of the time but
// was mostly in another state: one to seven eighths of a block, by the
// share of the column it ran.
var partGlyphs = [...]string{1: "▏", 2: "▎", 3: "▍", 4: "▌", 5: "▋", 6: "▊", 7: "▉"}

// threadStyle is the style of a thread state's glyph and word.
func threadStyle(st *Styles, s threadState) lipgloss.Style {
	if s == threadNative {
		return st.Native
	}
	return st.State[s]
}

// taskStyle is the style of a task state's glyph and word.
func taskStyle(st *Styles, s taskState) lipgloss.Style {
	if s == taskBlocking {
		return st.Blocking
	}
	return st.Task[s]
}

// threadGlyphStyles and taskGlyphStyles list the glyphs' styles by state,
// for renderCells.
func threadGlyphStyles(st *Styles) []lipgloss.Style {
	out := make([]lipgloss.Style, numThreadStates)
	for s := range out {
		out[s] = threadStyle(st, threadState(s))
	}
	return out
}

func taskGlyphStyles(st *Styles) []lipgloss.Style {
	out := make([]lipgloss.Style, numTaskStates)
	for s := range out {
		out[s] = taskStyle(st, taskState(s))
	}
	return out
}
