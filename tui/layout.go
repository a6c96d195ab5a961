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

// playerLayout is how many rows each panel of variable height gets.
type playerLayout struct {
	lanes, source, console int
}

// layoutPlayer shares the rows left by the fixed panels between the
// lanes, the source and the console: the lanes first (all threads and
// tasks when they fit), then a few source lines and the console's last
// lines, then the source grows.
func layoutPlayer(f *frame, height, footer int) playerLayout {
	fixed := 1 + 1 + gilRows(&f.side) + 1 + varRows(&f.side) + queueCount(&f.side) + narrationRows + footer
	rest := height - fixed
	lanesWant := 1 + len(f.snap.Threads)
	if len(f.snap.Procs) > 1 {
		lanesWant += len(f.snap.Procs)
	}
	tasks := 0
	for k := range f.snap.Tasks {
		if f.rec.asyncio.shown(k) {
			tasks++
		}
	}
	lanesWant += tasks
	sourceWant := 1 + len(f.source)
	consoleWant, minConsole := 0, 0
	if n := len(f.snap.Console); n > 0 {
		consoleWant, minConsole = 1+n, 2
	}
	minSource := min(sourceWant, 4)
	if tasks > 0 {
		// Many tasks must not take every row: their lines in the source
		// say as much as their lanes.
		minSource = min(sourceWant, max(4, rest/4))
	}
	var l playerLayout
	l.lanes = max(2, min(lanesWant, rest-minSource-minConsole))
	rest -= l.lanes
	l.source = max(0, min(sourceWant, rest-max(minConsole, min(consoleWant, rest/3))))
	rest -= l.source
	l.console = max(0, min(consoleWant, rest))
	return l
}

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
