package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// The source panel.

// lineMarks are the threads and tasks at one line of the source.
type lineMarks struct {
	threads, tasks []int32
	// runs says a thread runs on a core at this line.
	runs bool
}

// sourceMarks finds the line of every live thread and every scheduled
// task of a run, and the line to keep in view when not all of them fit:
// the GIL holder's, else the running task's, else a running thread's,
// else the line where most tasks wait, else any thread's. A thread that
// runs its event loop between task steps counts for the least: the tasks'
// lines say more. rank says how good a focus it is (0: none).
func sourceMarks(s *side) (at map[int]*lineMarks, focus, rank int) {
	snap := &s.snap
	at = make(map[int]*lineMarks)
	get := func(ln int) *lineMarks {
		m := at[ln]
		if m == nil {
			m = &lineMarks{}
			at[ln] = m
		}
		return m
	}
	for i := range snap.Threads {
		t := &snap.Threads[i]
		if t.State == sim.StateNew || t.State == sim.StateDone || t.Line <= 0 {
			continue
		}
		ln := int(t.Line)
		m := get(ln)
		if t.State.OnCore() {
			m.threads = append([]int32{t.ID}, m.threads...)
			m.runs = true
		} else {
			m.threads = append(m.threads, t.ID)
		}
		r := 2
		switch {
		case t.Task < 0 && s.rec.asyncio.loopLine[t.ID] == t.Line && len(snap.Tasks) > 0:
			r = 1
		case t.HoldsGIL:
			r = 6
		case t.State.OnCore():
			r = 4
		}
		if r > rank {
			focus, rank = ln, r
		}
	}
	crowd := 0
	for i := range snap.Tasks {
		t := &snap.Tasks[i]
		st := taskNow(s, i)
		if !s.rec.asyncio.shown(i) || st == taskPending || st == taskDone {
			continue
		}
		ln := int(s.rec.asyncio.line(t, st))
		if ln <= 0 {
			continue
		}
		m := get(ln)
		if st.runs() {
			m.tasks = append([]int32{t.ID}, m.tasks...)
			if rank < 5 {
				focus, rank = ln, 5
			}
			continue
		}
		m.tasks = append(m.tasks, t.ID)
		if rank <= 3 && len(m.tasks) > crowd {
			focus, rank, crowd = ln, 3, len(m.tasks)
		}
	}
	return at, focus, rank
}

// sourceView: the Python source with every live thread's and scheduled
// task's line marked: ▶ where a thread runs, ● where threads or tasks wait.
func sourceView(f *frame, st *Styles, width, rows int) []string {
	if rows <= 0 {
		return nil
	}
	at, focus, _ := sourceMarks(&f.side)
	legend := "   ▶ a thread runs here   ● threads wait here"
	if len(f.snap.Tasks) > 0 {
		legend = "   ▶ a thread runs here   ● threads or tasks wait here"
	}
	lines := []string{clip(st.Heading.Render("SOURCE ")+st.Text.Render(f.file)+asVersion(st, f.version, "")+st.Muted.Render(legend), width)}
	n := rows - 1
	marked := markedLines(at)
	if len(marked) == 0 && len(f.snap.Threads) > 0 {
		// Every thread is done (or none has started): keep the main
		// thread's last line in view rather than jump back to the top.
		marked, focus = []int{int(f.snap.Threads[0].Line)}, int(f.snap.Threads[0].Line)
	}
	start := sourceWindow(marked, focus, len(f.source), n)
	for ln := start; ln < start+n && ln <= len(f.source); ln++ {
		gutter, marks := " ", ""
		if m := at[ln]; m != nil {
			gutter = lineGutter(m, st)
			marks = st.Marker.Render(" ◀") + markList(&f.side, m, st, width-6-minSourceText-2)
		}
		lines = append(lines, sourceText(f, st, width, ln, gutter, 6, marks, at[ln] != nil))
	}
	return lines
}

// minSourceText is the fewest cells of source text a marked line keeps.
const minSourceText = 12

// markedLines lists the lines that have a mark.
func markedLines(at ...map[int]*lineMarks) []int {
	var lines []int
	for _, m := range at {
		for ln := range m {
			lines = append(lines, ln)
		}
	}
	return lines
}

// sourceWindow picks the first line shown so that every marked line fits
// when it can, and the focus line otherwise.
func sourceWindow(marked []int, focus, total, n int) int {
	lo, hi := 0, 0
	for _, ln := range marked {
		if lo == 0 || ln < lo {
			lo = ln
		}
		hi = max(hi, ln)
	}
	start := 1
	switch {
	case lo == 0:
	case hi-lo < n:
		start = lo - (n-(hi-lo+1))/2
	default:
		start = focus - n/3
	}
	return max(1, min(start, total-n+1))
}

// lineGutter is ▶ when a thread runs at the line, ● when threads or
// tasks wait there, a space when nothing is there.
func lineGutter(m *lineMarks, st *Styles) string {
	switch {
	case m == nil:
		return " "
	case m.runs:
		return st.Marker.Render("▶")
	}
	return st.Marker.Render("●")
}

// markList names the threads and tasks of a line, " T1 T2 Task-6", each
// in the colour of its state, in at most room cells: the names that do
// not fit are counted, " T1 +5".
func markList(s *side, m *lineMarks, st *Styles, room int) string {
	type name struct {
		text  string
		style lipgloss.Style
	}
	var names []name
	for _, id := range m.threads {
		names = append(names, name{shortName(id), st.State[s.snap.Threads[id].State]})
	}
	for _, k := range m.tasks {
		t := &s.snap.Tasks[k]
		names = append(names, name{t.Name, st.Task[taskNow(s, int(k))]})
	}
	var b strings.Builder
	used := 0
	for i, nm := range names {
		w := 1 + lipgloss.Width(nm.text)
		rest := 0
		if i < len(names)-1 {
			rest = len(" +") + len(itoa(len(names)-i))
		}
		if used+w+rest > room && i > 0 {
			b.WriteString(st.Muted.Render(" +" + itoa(len(names)-i)))
			break
		}
		b.WriteString(" " + nm.style.Render(nm.text))
		used += w
	}
	return b.String()
}

// sourceText draws source line ln after gutter (lead cells wide with the
// line number) and before marks, clipping the text to what is left.
func sourceText(f *frame, st *Styles, width, ln int, gutter string, lead int, marks string, current bool) string {
	text := strings.ReplaceAll(f.source[ln-1], "\t", "    ")
	num := st.LineNumber.Render(fmt.Sprintf("%4d ", ln))
	room := max(width-lead-lipgloss.Width(marks), minSourceText)
	style := st.Text
	if current {
		style = st.CurrentLine
	}
	return clip(gutter+num+style.Render(clip(text, room))+marks, width)
}

// asVersion is what the source heading says of the CPython version the
// program is simulated as: " as 3.12", or " as 3.12 ⇄ 3.13t" beside
// another run's; "" when the scenario is not a program.
func asVersion(st *Styles, version, other string) string {
	if version == "" {
		return ""
	}
	if other != "" && other != version {
		version += " ⇄ " + other
	}
	return st.Muted.Render(" as ") + st.Text.Render(version)
}
