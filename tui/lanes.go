package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// The lanes: a timeline per thread and asyncio task.

// laneLayout is the column layout shared by the lanes and their ruler.
type laneLayout struct {
	label, state, detail, cols int
	total                      int
}

// width is the width of a lane, the timeline included.
func (l laneLayout) width() int { return l.total }

// detailWidth is the width of the lanes' "what it does or waits for"
// column, shown when the terminal is wide enough to keep a long timeline.
const detailWidth = 36

// detailFrom is the narrowest terminal that shows the detail column.
const detailFrom = 140

// stateWidth fits the longest state word, a thread's or a task's.
var stateWidth = func() int {
	w := lipgloss.Width(atExitWord)
	for _, s := range threadWord {
		w = max(w, lipgloss.Width(s))
	}
	for _, s := range syncWord {
		w = max(w, lipgloss.Width(s))
	}
	for _, s := range taskWords {
		w = max(w, lipgloss.Width(s))
	}
	return w
}()

// maxLabel caps a lane's label so the timeline keeps most of the width.
const maxLabel = 22

func lanesLayout(f *side, width int, compact bool) laneLayout {
	l := laneLayout{state: stateWidth, total: width}
	for i := range f.snap.Threads {
		l.label = max(l.label, lipgloss.Width(laneLabel(&f.snap.Threads[i], compact)))
	}
	for i := range f.snap.Tasks {
		if f.rec.asyncio.shown(i) {
			l.label = max(l.label, taskLabelWidth(&f.snap.Tasks[i], compact))
		}
	}
	l.label = min(l.label, maxLabel)
	if width >= detailFrom {
		l.detail = detailWidth
	}
	// gutter, label, space, state, space, detail, the timeline's left edge
	l.cols = width - (1 + l.label + 1 + l.state + 1 + l.detail + 1)
	if l.cols < 8 {
		l.state = 0
		l.cols = width - (1 + l.label + 1 + 1)
	}
	return l
}

// laneLabel names a lane: "T1 Thread-1", or only "T1" when compact.
func laneLabel(t *sim.ThreadView, compact bool) string {
	if compact {
		return shortName(t.ID)
	}
	return shortName(t.ID) + " " + t.Name
}

// taskLabelWidth is the width of a task lane's label: a branch, the
// task's name and, unless compact, its coroutine.
func taskLabelWidth(t *sim.TaskView, compact bool) int {
	w := 2 + lipgloss.Width(t.Name)
	if !compact {
		w += 1 + lipgloss.Width(t.Coro)
	}
	return w
}

// laneItem is one row of the lanes: a process's heading, a thread, an
// asyncio task under the thread whose loop runs it, or the row that
// counts the tasks left out.
type laneItem struct {
	kind   laneKind
	proc   int32
	id     int32 // the thread or the task
	last   bool  // the last task row under its thread
	hidden []int32
}

// laneKind says what a lane row shows.
type laneKind uint8

const (
	// laneProc heads a process's lanes.
	laneProc laneKind = iota
	// laneThread is a thread.
	laneThread
	// laneTask is an asyncio task.
	laneTask
	// laneMoreTasks counts the tasks without a row of their own.
	laneMoreTasks
	// laneGIL is who held a process's GIL across the timeline.
	laneGIL
)

var laneKindNames = [...]string{laneProc: "process", laneThread: "thread", laneTask: "task", laneMoreTasks: "more tasks",
	laneGIL: "GIL holder"}

func (k laneKind) String() string { return laneKindNames[k] }

// taskRank orders task states by how much a row for them is worth when
// not every task gets one: the running task first, then those waiting to
// run, then those waiting on something, the finished last.
var taskRank = [numTaskStates]int{
	taskRunning: 0, taskBlocking: 0, taskReady: 1, taskOverdue: 1, taskIO: 2, taskSleeping: 3, taskAwaiting: 4, taskPending: 5,
	taskDone: 6,
}

// laneItems lists the lanes' rows, in at most avail rows when each thread
// and task lane is height rows tall: processes, their threads, under a
// thread that runs an event loop its tasks, and under a process whose
// threads share a GIL the row of who held it. When not every task fits,
// the ones that matter most keep their rows (in their order) and one row
// counts the rest; when the threads alone do not fit, tasks and GIL rows
// get no rows and the threads that do not fit are returned.
func laneItems(f *side, avail, height int) (items []laneItem, hiddenThreads []int32) {
	snap := &f.snap
	plan := &f.rec.asyncio
	multi := len(snap.Procs) > 1
	byProc := make([][]int32, len(snap.Procs))
	for i := range snap.Threads {
		p := snap.Threads[i].Proc
		byProc[p] = append(byProc[p], int32(i))
	}
	byLoop := map[int32][]int32{}
	tasks := 0
	for k := range snap.Tasks {
		if plan.shown(k) {
			byLoop[plan.loop[k]] = append(byLoop[plan.loop[k]], int32(k))
			tasks++
		}
	}
	gils := 0
	if snap.Model.HasGIL() {
		for _, ids := range byProc {
			if len(ids) > 1 {
				gils++
			}
		}
	}
	threadRows := len(snap.Threads) * height
	if multi {
		threadRows += len(snap.Procs)
	}
	keep := func(int32) bool { return true }
	more := false
	switch {
	case threadRows+gils+tasks*height <= avail:
	case tasks > 0 && threadRows+gils+1 <= avail:
		keep = pickTasks(f, (avail-threadRows-gils-1)/height)
		more = true
	case threadRows+gils <= avail:
		keep = func(int32) bool { return false }
	default:
		keep = func(int32) bool { return false }
		gils = 0
	}
	var hidden []int32
	for pi, ids := range byProc {
		if multi {
			items = append(items, laneItem{kind: laneProc, proc: int32(pi)})
		}
		for _, id := range ids {
			items = append(items, laneItem{kind: laneThread, proc: int32(pi), id: id})
			start, dropped := len(items), false
			for _, k := range byLoop[id] {
				if keep(k) {
					items = append(items, laneItem{kind: laneTask, proc: int32(pi), id: k})
				} else {
					hidden, dropped = append(hidden, k), true
				}
			}
			// The row counting the others closes the branch instead.
			if len(items) > start && !dropped {
				items[len(items)-1].last = true
			}
		}
		if gils > 0 && len(ids) > 1 {
			items = append(items, laneItem{kind: laneGIL, proc: int32(pi)})
		}
	}
	if more {
		items = append(items, laneItem{kind: laneMoreTasks, hidden: hidden})
	}
	used := 0
	for i, it := range items {
		h := 1
		if it.kind == laneThread || it.kind == laneTask {
			h = height
		}
		if used+h > avail-1 && i < len(items)-1 || used+h > avail {
			for _, rest := range items[i:] {
				if rest.kind == laneThread {
					hiddenThreads = append(hiddenThreads, rest.id)
				}
			}
			items = items[:i]
			break
		}
		used += h
	}
	return items, hiddenThreads
}

// pickTasks chooses the n tasks that keep a row of their own: by rank of
// their state, then in order.
func pickTasks(f *side, n int) func(int32) bool {
	var ids []int32
	for k := range f.snap.Tasks {
		if f.rec.asyncio.shown(k) {
			ids = append(ids, int32(k))
		}
	}
	rank := func(k int32) int { return taskRank[taskNow(f, int(k))] }
	slices.SortStableFunc(ids, func(a, b int32) int { return rank(a) - rank(b) })
	kept := make(map[int32]bool, n)
	for _, k := range ids[:min(n, len(ids))] {
		kept[k] = true
	}
	return func(k int32) bool { return kept[k] }
}

// window is the span of virtual time the timelines show: the columns
// that end at now, or in the whole-run view the run from time zero to its
// end. Columns that start after now are the future (whole-run view only).
type window struct {
	scale sim.Time // virtual time of one column, outside the whole-run view
	now   sim.Time
	// whole: the first column starts at time zero and the columns cover
	// total.
	whole bool
	total sim.Time
}

// span returns the start of the first of cols columns and the virtual
// time of one.
func (w window) span(cols int) (start, scale sim.Time) {
	if !w.whole {
		return w.now - sim.Time(cols)*w.scale, w.scale
	}
	n := sim.Time(max(cols, 1))
	return 0, max((max(w.total, w.now)+n-1)/n, 1)
}

// rulerView is the lanes' heading row after the labels: what a column
// spans, and where the window lies.
func rulerView(win window, cols int, st *Styles) string {
	start, scale := win.span(cols)
	if win.whole {
		// "0   whole run, 1 col = 16ms   831ms", with ▼ over the column
		// that holds now.
		right := []rune(brief(max(win.total, win.now)))
		now := int((win.now - start) / scale)
		var row []rune
		for _, words := range []string{"whole run, 1 col = ", "1 col = "} {
			if row = wholeRuler([]rune(words+short(scale)), right, now, cols); row != nil {
				break
			}
		}
		if row == nil {
			row = []rune(strings.Repeat(" ", cols))
		}
		if now >= 0 && now < cols {
			row[now] = '▼'
		}
		return st.Muted.Render(string(row))
	}
	ruler := st.Muted.Render("1 col = " + short(scale) + " · now")
	if ago := st.Muted.Render("◀ " + short(scale*sim.Time(cols)) + " ago"); lipgloss.Width(ago)+lipgloss.Width(ruler) < cols {
		return spread(ago, ruler, cols)
	}
	return spread("", ruler, cols)
}

// wholeRuler lays out the whole-run ruler, "0   whole run, 1 col = 16ms
// 831ms", with the text and the end time clear of the ▼ that will mark
// now: the text centred, or beside ▼; the "0" and then the end time give
// way to it when there is no room. It is nil when the text cannot be
// clear of ▼.
func wholeRuler(text, right []rune, now, cols int) []rune {
	for _, keep := range [][2]bool{{true, true}, {false, true}, {true, false}, {false, false}} {
		zero, end := keep[0], keep[1]
		lo, hi := 0, cols
		if zero {
			lo = 2
		}
		if end {
			hi = cols - len(right) - 1
			if now >= hi {
				continue // ▼ would cut the end time
			}
		}
		if hi-lo < len(text) {
			continue
		}
		at := lo + (hi-lo-len(text))/2
		if now >= at-1 && now <= at+len(text) {
			switch {
			case now+2+len(text) <= hi:
				at = now + 2
			case now-1-len(text) >= lo:
				at = now - 1 - len(text)
			default:
				continue
			}
		}
		row := []rune(strings.Repeat(" ", cols))
		if zero {
			row[0] = '0'
		}
		copy(row[at:], text)
		if end {
			copy(row[cols-len(right):], right)
		}
		return row
	}
	return nil
}

// laneMarks is where a side's timelines come from: the recording, or in
// the whole-run view the run to the end once it is known.
func laneMarks(f *side, win window) *recording {
	if win.whole && f.full != nil {
		return f.full
	}
	return f.rec
}

// lanesView: a heading with the timeline's ruler, then one lane per thread,
// grouped under a row per process when there are several, and a lane per
// asyncio task under the thread whose loop runs it; under the lanes of a
// process whose threads share its GIL, a row of who held it. Each lane is
// height rows tall. When the rows run out, the last says how many threads
// are hidden.
func lanesView(f *side, st *Styles, width, rows, height int, win window, compact bool) []string {
	l := lanesLayout(f, width, compact)
	snap := &f.snap
	multi := len(snap.Procs) > 1
	title := "THREADS"
	if !multi && !compact {
		title += " · " + snap.Procs[0].Name
	}
	if len(snap.Tasks) > 0 && !compact {
		title += " · tasks"
	}
	lines := []string{fit(st.Heading.Render(title), width-l.cols-1) + st.Muted.Render("│") + rulerView(win, l.cols, st)}
	items, hidden := laneItems(f, rows-1, height)
	src := laneMarks(f, win)
	tl := timeline{win: win, cells: make([]int8, l.cols), st: st, threads: inks(threadGlyphStyles(st)),
		tasks: inks(taskGlyphStyles(st)), text: inkOf(st.Text), muted: inkOf(st.Muted), future: inkOf(st.Future),
		part: inkOf(st.State[sim.StateRunning]), taskPart: inkOf(st.Task[taskRunning])}
	tl.start, tl.scale = win.span(l.cols)
	for _, it := range items {
		var row []string
		switch it.kind {
		case laneProc:
			row = []string{procRow(&snap.Procs[it.proc], st, width)}
		case laneThread:
			row = laneRow(f, src, it.id, l, &tl, compact, height)
		case laneTask:
			row = taskRow(f, src, it, l, &tl, compact, height)
		case laneMoreTasks:
			row = []string{moreTasksRow(f, it.hidden, st, width)}
		case laneGIL:
			row = []string{gilRow(f, src, it.proc, l, &tl)}
		}
		lines = append(lines, row...)
	}
	if len(hidden) > 0 {
		lines = append(lines, hiddenRow(f, hidden, st, width))
	}
	return lines
}

// procRow heads a process's lanes: its name, its life and its own GIL.
func procRow(pv *sim.ProcView, st *Styles, width int) string {
	var b strings.Builder
	b.WriteString(st.Heading.Render(pv.Name))
	switch {
	case pv.Exited && pv.ExitCode < 0:
		b.WriteString(st.Muted.Render(fmt.Sprintf(" · killed by %s, exit code %d", signalName(int64(-pv.ExitCode)), pv.ExitCode)))
	case pv.Exited && pv.Exception != "":
		b.WriteString(st.Error.Render(fmt.Sprintf(" · died of %s, exit code %d", exceptionType(pv.Exception), pv.ExitCode)))
	case pv.Exited:
		b.WriteString(st.Muted.Render(fmt.Sprintf(" · exited with code %d", pv.ExitCode)))
	case !pv.Started:
		b.WriteString(st.Muted.Render(" · not started"))
	case pv.GIL.Enabled:
		b.WriteString(st.Muted.Render(" · its own GIL: "))
		if pv.GIL.Holder >= 0 {
			b.WriteString(st.Holder.Render("◆ " + shortName(pv.GIL.Holder)))
		} else {
			b.WriteString(st.Muted.Render("free"))
		}
		if n := len(pv.GIL.Waiters); n > 0 {
			b.WriteString(st.Waiter.Render(fmt.Sprintf(", %d waiting", n)))
		}
	}
	return clip(b.String(), width)
}

// laneRow is one thread: GIL mark, label, state in words (and, when
// wide, what it does or waits for), timeline; height rows of it.
func laneRow(f *side, src *recording, id int32, l laneLayout, tl *timeline, compact bool, height int) []string {
	t, st := &f.snap.Threads[id], tl.st
	var b strings.Builder
	if t.HoldsGIL {
		b.WriteString(st.Holder.Render("◆"))
	} else {
		b.WriteByte(' ')
	}
	label := laneLabel(t, compact)
	if !compact && lipgloss.Width(label) > l.label {
		label = shortName(t.ID) + " " + clipMiddle(t.Name, l.label-lipgloss.Width(shortName(t.ID))-1)
	}
	b.WriteString(fitPainted(tl.text, label, l.label) + " ")
	now := threadNow(f, id)
	if l.state > 0 {
		word := threadWord[now]
		if t.AtExit {
			word = atExitWord
		}
		if now == threadState(sim.StateWaitLock) && t.State == sim.StateWaitLock && int(t.Sync) < len(syncWord) && syncWord[t.Sync] != "" {
			word = syncWord[t.Sync]
		}
		b.WriteString(fitPainted(tl.threads[now], word, l.state) + " ")
	}
	if l.detail > 0 {
		what := t.WaitsFor
		if t.State.OnCore() {
			what = t.Activity
		}
		b.WriteString(fitPainted(tl.muted, what, l.detail-1) + " ")
	}
	lead := b.String()
	fillCells(src.lanes[id], tl.start, tl.scale, threadState(sim.StateRunning), tl.cells)
	cells := tl.render(threadGlyph[:], tl.threads, tl.part)
	return tallRow(lead, l, cells, tl, height)
}

// threadNow is the state thread id's lane is in at the side's time: the
// snapshot's, or running C code without the GIL.
func threadNow(f *side, id int32) threadState {
	s := threadState(f.snap.Threads[id].State)
	if s == threadState(sim.StateRunning) {
		if at, _ := stateAt(f.rec.lanes[id], f.snap.Now); at == threadNative {
			return threadNative
		}
	}
	return s
}

// tallRow is a lane of height rows: the label and words on the first,
// the timeline on every one.
func tallRow(lead string, l laneLayout, cells string, tl *timeline, height int) []string {
	rows := []string{lead + tl.muted.paint("│") + cells}
	if height > 1 {
		blank := strings.Repeat(" ", l.width()-l.cols-1)
		for range height - 1 {
			rows = append(rows, blank+tl.muted.paint("│")+cells)
		}
	}
	return rows
}

// taskRow is one asyncio task: a branch from its loop's thread, its name
// and coroutine, its state in words, and its timeline.
func taskRow(f *side, src *recording, it laneItem, l laneLayout, tl *timeline, compact bool, height int) []string {
	t := &f.snap.Tasks[it.id]
	state := taskNow(f, int(it.id))
	var b strings.Builder
	branch := "├ "
	if it.last {
		branch = "└ "
	}
	label := tl.muted.paint(branch) + tl.text.paint(t.Name)
	if !compact {
		label += " " + tl.muted.paint(t.Coro)
	}
	b.WriteString(" " + fit(label, l.label) + " ")
	if l.state > 0 {
		b.WriteString(fitPainted(tl.tasks[state], taskWords[state], l.state) + " ")
	}
	if l.detail > 0 {
		b.WriteString(fitPainted(tl.muted, taskDetail(f, t, state), l.detail-1) + " ")
	}
	fillCells(src.tasks[it.id], tl.start, tl.scale, taskRunning, tl.cells)
	cells := tl.render(taskGlyphs[:], tl.tasks, tl.taskPart)
	return tallRow(b.String(), l, cells, tl, height)
}

// gilRow is who held process p's GIL across the timeline, one colour per
// thread as in Beazley's charts: each column shows the last digit of the
// thread that held it most of the column, a dash where it was mostly free.
func gilRow(f *side, src *recording, p int32, l laneLayout, tl *timeline) string {
	st := tl.st
	var b strings.Builder
	// The label and state columns together: "GIL held by   T1", or in a
	// compact lane "GIL held by T1".
	now := st.Muted.Render("free")
	if h := f.snap.Procs[p].GIL.Holder; h >= 0 {
		now = holderStyle(st, h).Render(shortName(h))
	}
	room := l.label
	if l.state > 0 {
		room += 1 + l.state
	}
	lead := fit(st.Heading.Render("GIL held by"), max(l.label, 11)) + " " + now
	for _, short := range []string{"GIL held by ", "GIL "} {
		if lipgloss.Width(lead) > room {
			lead = st.Heading.Render(short) + now
		}
	}
	b.WriteString(" " + fit(lead, room) + " ")
	if l.detail > 0 {
		b.WriteString(strings.Repeat(" ", l.detail))
	}
	b.WriteString(st.Muted.Render("│"))
	holders := holderCells(src.gil[p], tl.start, tl.scale, len(tl.cells))
	future := tl.futureFrom()
	for i := 0; i < len(holders); {
		j := i + 1
		for j < len(holders) && holders[j] == holders[i] && (j < future) == (i < future) {
			j++
		}
		h := holders[i]
		switch {
		case h == noHolder:
			b.WriteString(strings.Repeat(" ", j-i))
		case h < 0:
			// Free most of the column.
			b.WriteString(st.Muted.Render(strings.Repeat("-", j-i)))
		case i >= future:
			b.WriteString(st.Future.Render(strings.Repeat(digit(h), j-i)))
		default:
			b.WriteString(holderStyle(st, h).Render(strings.Repeat(digit(h), j-i)))
		}
		i = j
	}
	return b.String()
}

// digit is the last digit of a thread's number, its glyph in a GIL row.
func digit(id int32) string { return string(rune('0' + id%10)) }

// holderStyle is thread id's colour in a GIL row.
func holderStyle(st *Styles, id int32) lipgloss.Style {
	return st.Holders[int(id)%len(st.Holders)]
}

// noHolder marks a GIL-row column before the run began.
const noHolder = -2

// holderCells is, per column from start, the thread that held the GIL (or
// a lock) for most of it, -1 where it was mostly free.
func holderCells(marks []mark[int32], start, scale sim.Time, cols int) []int32 {
	out := make([]int32, cols)
	holder, i := int32(-1), 0
	if start > 0 {
		holder = holderAt(marks, start)
		i = sortedAfter(marks, start)
	}
	held := map[int32]sim.Time{}
	for c := range out {
		from, end := start+sim.Time(c)*scale, start+sim.Time(c+1)*scale
		if end <= 0 {
			out[c] = noHolder
			continue
		}
		clear(held)
		cur := max(from, 0)
		for cur < end {
			next := end
			if i < len(marks) && marks[i].at < end {
				next = marks[i].at
			}
			held[holder] += next - cur
			cur = next
			for i < len(marks) && marks[i].at <= cur && cur < end {
				holder = marks[i].state
				i++
			}
		}
		best, bestT := int32(-1), sim.Time(-1)
		for h, d := range held {
			if d > bestT || d == bestT && h > best {
				best, bestT = h, d
			}
		}
		out[c] = best
	}
	return out
}

// sortedAfter is the index of the first mark after time at.
func sortedAfter[S any](marks []mark[S], at sim.Time) int {
	_, i := stateAt(marks, at)
	return i
}

// taskDetail says what a task does or waits for, for the lanes' detail
// column: how long it has run or been ready, else the await it is in.
func taskDetail(f *side, t *sim.TaskView, state taskState) string {
	var since sim.Time
	if m, ok := currentMark(f.rec.tasks[t.ID], f.snap.Now); ok {
		since = f.snap.Now - m.at
	}
	switch state {
	case taskBlocking:
		return "blocked " + brief(since) + " in a call, holding up the loop"
	case taskOverdue:
		return "sleep over " + brief(since) + " ago, loop busy"
	case taskRunning:
		return "running " + brief(since) + " without awaiting"
	case taskReady:
		return "ready " + brief(since) + ", waits for the loop"
	case taskPending:
		return "not scheduled yet"
	case taskDone:
		return "finished " + brief(since) + " ago"
	}
	return strings.TrimSpace(f.rec.sim.SourceLine(int(f.rec.asyncio.line(t, state))))
}

// moreTasksRow counts the tasks that have no row, by state.
func moreTasksRow(f *side, ids []int32, st *Styles, width int) string {
	var count [numTaskStates]int
	for _, k := range ids {
		count[taskNow(f, int(k))]++
	}
	text := fmt.Sprintf(" └ %d more tasks", len(ids))
	if p := censusPhrase(count); p != "" {
		text += ": " + p
	}
	return clip(st.Muted.Render(text), width)
}

// hiddenRow says how many threads did not fit and what they are doing.
func hiddenRow(f *side, ids []int32, st *Styles, width int) string {
	var count [numThreadStates]int
	for _, id := range ids {
		count[threadNow(f, id)]++
	}
	var parts []string
	for s, n := range count {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, threadWord[s]))
		}
	}
	return clip(st.Muted.Render(fmt.Sprintf(" … %d more threads: %s", len(ids), strings.Join(parts, ", "))), width)
}

// Timeline cells besides the states: a column before the run began, and
// columns in which the lane ran for part of the time but was mostly in
// another state (partCell plus the eighths it ran).
const (
	noCell   = -1
	partCell = int8(maxLaneStates + 1)
)

// maxLaneStates bounds the states of any lane, threads' or tasks'.
const maxLaneStates = max(int(numThreadStates), int(numTaskStates))

// timeline draws lanes' cells over one window: cols columns from start,
// each scale long; columns after now are the future.
type timeline struct {
	win          window
	start, scale sim.Time
	cells        []int8
	st           *Styles
	// threads and tasks are the glyphs' inks by state; the others the
	// inks of lane labels, of the future, and of partly running columns.
	threads, tasks                      []ink
	text, muted, future, part, taskPart ink
}

// futureFrom is the first column that starts after now.
func (tl *timeline) futureFrom() int {
	if !tl.win.whole {
		return len(tl.cells)
	}
	c := (tl.win.now - tl.start + tl.scale - 1) / tl.scale
	return int(min(max(c, 0), sim.Time(len(tl.cells))))
}

// fillCells sets each of the columns from start to the state that filled
// most of it, not counting the time before the lane began; a column in
// which the lane was running for an eighth or more, but mostly waited,
// gets partCell plus those eighths. A short burst below an eighth does not
// show: the column is what the lane mostly did.
func fillCells[S laneState](marks []mark[S], start, scale sim.Time, running S, cells []int8) {
	state, i := stateAt(marks, max(start, 0))
	for c := range cells {
		from, end := start+sim.Time(c)*scale, start+sim.Time(c+1)*scale
		if end <= 0 {
			cells[c] = noCell
			continue
		}
		var acc [maxLaneStates]sim.Time
		cur := max(from, 0)
		for cur < end {
			next := end
			if i < len(marks) && marks[i].at < end {
				next = marks[i].at
			}
			acc[state] += next - cur
			cur = next
			for i < len(marks) && marks[i].at <= cur && cur < end {
				state = marks[i].state
				i++
			}
		}
		best := state
		for s, d := range acc {
			if d > acc[best] {
				best = S(s)
			}
		}
		// Not started yet (state zero) is an absence: a column in which
		// the lane began shows what it began doing.
		if best == 0 {
			for s, d := range acc[1:] {
				if d > 0 && (best == 0 || d > acc[best]) {
					best = S(s + 1)
				}
			}
		}
		cells[c] = int8(best)
		if !best.busy() {
			if eighths := int8(acc[running] * 8 / (end - max(from, 0))); eighths > 0 {
				cells[c] = partCell + min(eighths, 7)
			}
		}
	}
}

// render writes the glyphs of the cells, one painted run per state; part
// paints the partly running columns, and the future is dimmer.
func (tl *timeline) render(glyph []string, style []ink, part ink) string {
	var b strings.Builder
	cells, future := tl.cells, tl.futureFrom()
	for i := 0; i < len(cells); {
		j := i + 1
		for j < len(cells) && cells[j] == cells[i] && (j < future) == (i < future) {
			j++
		}
		var text string
		s := part
		switch c := cells[i]; {
		case c == noCell:
			b.WriteString(strings.Repeat(" ", j-i))
			i = j
			continue
		case c > partCell:
			text = strings.Repeat(partGlyphs[c-partCell], j-i)
		default:
			text, s = strings.Repeat(glyph[c], j-i), style[c]
		}
		if i >= future {
			s = tl.future
		}
		b.WriteString(s.paint(text))
		i = j
	}
	return b.String()
}
