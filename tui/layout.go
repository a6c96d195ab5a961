package tui

import "strings"

// The smallest terminal the player is laid out for; below it the screen
// says so instead of drawing a broken layout.
const (
	minWidth  = 80
	minHeight = 24
)

// narrationRows is the height of the narration, or of the summary that
// replaces it at the end: fixed, so the panels above do not jump.
const narrationRows = 2

// maxLaneHeight is the tallest a lane gets on a large terminal.
const maxLaneHeight = 3

// playerLayout is how many rows each panel of variable height gets, and
// which of the optional ones are shown.
type playerLayout struct {
	lanes, laneHeight, source, console, events int
	cores                                      bool
}

// layoutPlayer shares the rows left by the fixed panels: the lanes first
// (every thread and task, and who held the GIL, when they fit), then a few
// source lines and the console's last lines, then the cores row; what is
// left makes the lanes taller (up to three rows each, so that a large
// terminal shows bigger, not smaller, pictures), the source longer, and
// then lists the latest events.
func layoutPlayer(f *frame, width, height, footer int) playerLayout {
	fixed := 1 + 1 + gilRows(&f.side) + varRows(&f.side) + lockRows(&f.side) + queueCount(&f.side) +
		resultRows(&f.side) + narrationHeight(f, width) + footer
	rest := height - fixed
	laneRows, tall := lanesWanted(&f.side, 1), lanesWanted(&f.side, 2)-lanesWanted(&f.side, 1)
	sourceWant := 1 + len(f.source)
	consoleWant, minConsole := 0, 0
	if n := len(f.snap.Console); n > 0 {
		consoleWant, minConsole = 1+n, 2
		if hasTraceback(&f.side) {
			minConsole = min(consoleWant, 5)
		}
	}
	minSource := min(sourceWant, 4)
	if tasks := len(f.snap.Tasks); tasks > 0 {
		// Many tasks must not take every row: their lines in the source
		// say as much as their lanes.
		minSource = min(sourceWant, max(4, rest/4))
	}
	var l playerLayout
	l.laneHeight = 1
	l.lanes = max(2, min(laneRows, rest-minSource-minConsole))
	rest -= l.lanes
	if rest-minSource-minConsole >= 1 {
		l.cores = true
		rest--
	}
	// Taller lanes once the source and the console have what they want,
	// or at least a dozen rows between them.
	for l.laneHeight < maxLaneHeight && l.lanes == laneRows+(l.laneHeight-1)*tall &&
		rest-tall >= min(sourceWant+consoleWant, 12) {
		l.laneHeight++
		l.lanes += tall
		rest -= tall
	}
	l.source = max(0, min(sourceWant, rest-max(minConsole, min(consoleWant, rest/3))))
	rest -= l.source
	l.console = max(0, min(consoleWant, rest))
	rest -= l.console
	// Rows still left list the latest events.
	if rest >= 3 {
		l.events = min(eventsWanted(&f.side), rest)
	}
	return l
}

// lanesWanted is the number of rows a side's lanes need to show every
// thread, task and GIL row at lanes height rows tall, heading included.
func lanesWanted(s *side, height int) int {
	n := 1 + len(s.snap.Threads)*height
	if len(s.snap.Procs) > 1 {
		n += len(s.snap.Procs)
	}
	for k := range s.snap.Tasks {
		if s.rec.asyncio.shown(k) {
			n += height
		}
	}
	if s.snap.Model.HasGIL() {
		per := map[int32]int{}
		for i := range s.snap.Threads {
			if per[s.snap.Threads[i].Proc]++; per[s.snap.Threads[i].Proc] == 2 {
				n++
			}
		}
	}
	return n
}

// hasTraceback reports whether the program has died of an exception: its
// console then matters more than its source.
func hasTraceback(s *side) bool { return len(s.rec.excs) > 0 }

// gilRows is the GIL panel's height: the state of the lock, and the last
// handoff; only the first when no process has two threads, so that no
// GIL can ever be handed off.
func gilRows(s *side) int {
	per := make(map[int]int)
	for _, t := range s.rec.sim.Workload().Threads {
		if per[t.Proc]++; per[t.Proc] > 1 {
			return 2
		}
	}
	return 1
}

// pad adds blank lines to reach n lines, so the footer sits at the bottom.
func pad(lines []string, n int) string {
	for len(lines) < n {
		lines = append(lines, "")
	}
	return strings.Join(lines[:min(len(lines), n)], "\n")
}
