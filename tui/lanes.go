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
}

// detailWidth is the width of the lanes' "what it does or waits for"
// column, shown when the terminal is wide enough to keep a long timeline.
const detailWidth = 36

// detailFrom is the narrowest terminal that shows the detail column.
const detailFrom = 140

// stateWidth fits the longest state word, a thread's or a task's.
var stateWidth = func() int {
	w := lipgloss.Width(blocksLoopWord)
	for _, s := range stateWord {
		w = max(w, lipgloss.Width(s))
	}
	for _, s := range taskWord {
		w = max(w, lipgloss.Width(s))
	}
	return w
}()

// maxLabel caps a lane's label so the timeline keeps most of the width.
const maxLabel = 22

func lanesLayout(f *side, width int, compact bool) laneLayout {
	l := laneLayout{state: stateWidth}
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
)

var laneKindNames = [...]string{laneProc: "process", laneThread: "thread", laneTask: "task", laneMoreTasks: "more tasks"}

func (k laneKind) String() string { return laneKindNames[k] }

// taskRank orders task states by how much a row for them is worth when
// not every task gets one: the running task first, then those waiting to
// run, then those waiting on something, the finished last.
var taskRank = [numTaskStates]int{
	taskRunning: 0, taskReady: 1, taskOverdue: 1, taskIO: 2, taskSleeping: 3, taskAwaiting: 4, taskPending: 5, taskDone: 6,
}

// laneItems lists the lanes' rows, at most avail of them: processes,
// their threads, and under a thread that runs an event loop its tasks.
// When not every task fits, the ones that matter most keep their rows (in
// their order) and one row counts the rest; when the threads alone do not
// fit, tasks get no rows and the threads that do not fit are returned.
func laneItems(f *side, avail int) (items []laneItem, hiddenThreads []int32) {
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
	threadRows := len(snap.Threads)
	if multi {
		threadRows += len(snap.Procs)
	}
	keep := func(int32) bool { return true }
	more := false
	switch {
	case threadRows+tasks <= avail:
	case tasks > 0 && threadRows+1 <= avail:
		keep = pickTasks(f, avail-threadRows-1)
		more = true
	default:
		keep = func(int32) bool { return false }
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
	}
	if more {
		items = append(items, laneItem{kind: laneMoreTasks, hidden: hidden})
	}
	if len(items) > avail {
		for _, it := range items[max(avail-1, 0):] {
			if it.kind == laneThread {
				hiddenThreads = append(hiddenThreads, it.id)
			}
		}
		items = items[:max(avail-1, 0)]
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

// lanesView: a heading with the timeline's ruler, then one lane per thread,
// grouped under a row per process when there are several, and a lane per
// asyncio task under the thread whose loop runs it. When the rows run out,
// the last says how many threads are hidden.
func lanesView(f *side, st *Styles, width, rows int, scale sim.Time, compact bool) []string {
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
	ruler := st.Muted.Render("1 col = " + short(scale) + " · now")
	if ago := st.Muted.Render("◀ " + short(scale*sim.Time(l.cols)) + " ago"); lipgloss.Width(ago)+lipgloss.Width(ruler) < l.cols {
		ruler = spread(ago, ruler, l.cols)
	} else {
		ruler = spread("", ruler, l.cols)
	}
	lines := []string{fit(st.Heading.Render(title), width-l.cols-1) + st.Muted.Render("│") + ruler}
	items, hidden := laneItems(f, rows-1)
	cells := make([]int8, l.cols)
	for _, it := range items {
		switch it.kind {
		case laneProc:
			lines = append(lines, procRow(&snap.Procs[it.proc], st, width))
		case laneThread:
			lines = append(lines, laneRow(&snap.Threads[it.id], f.rec.lanes[it.id], snap.Now, scale, l, cells, st, compact))
		case laneTask:
			lines = append(lines, taskRow(f, it, st, l, cells, scale, compact))
		case laneMoreTasks:
			lines = append(lines, moreTasksRow(f, it.hidden, st, width))
		}
	}
	if len(hidden) > 0 {
		lines = append(lines, hiddenRow(snap, hidden, st, width))
	}
	return lines
}

// procRow heads a process's lanes: its name, its life and its own GIL.
func procRow(pv *sim.ProcView, st *Styles, width int) string {
	var b strings.Builder
	b.WriteString(st.Heading.Render(pv.Name))
	switch {
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

// laneRow is one thread: GIL mark, label, state in words, timeline.
func laneRow(t *sim.ThreadView, marks []mark[sim.State], now, scale sim.Time, l laneLayout, cells []int8, st *Styles, compact bool) string {
	var b strings.Builder
	if t.HoldsGIL {
		b.WriteString(st.Holder.Render("◆"))
	} else {
		b.WriteByte(' ')
	}
	b.WriteString(fit(st.Text.Render(laneLabel(t, compact)), l.label) + " ")
	if l.state > 0 {
		b.WriteString(fit(st.State[t.State].Render(stateWord[t.State]), l.state) + " ")
	}
	if l.detail > 0 {
		what := t.WaitsFor
		if t.State.OnCore() {
			what = t.Activity
		}
		b.WriteString(fit(st.Muted.Render(what), l.detail-1) + " ")
	}
	b.WriteString(st.Muted.Render("│"))
	fillCells(marks, now, scale, sim.StateRunning, cells)
	renderCells(&b, cells, stateGlyph[:], st.State[:], st.State[sim.StateRunning])
	return b.String()
}

// taskRow is one asyncio task: a branch from its loop's thread, its name
// and coroutine, its state in words, and its timeline.
func taskRow(f *side, it laneItem, st *Styles, l laneLayout, cells []int8, scale sim.Time, compact bool) string {
	t := &f.snap.Tasks[it.id]
	state := taskNow(f, int(it.id))
	var b strings.Builder
	branch := "├ "
	if it.last {
		branch = "└ "
	}
	label := st.Muted.Render(branch) + st.Text.Render(t.Name)
	if !compact {
		label += " " + st.Muted.Render(t.Coro)
	}
	b.WriteString(" " + fit(label, l.label) + " ")
	blocks := state == taskRunning && blocksLoop(f, it.id)
	if l.state > 0 {
		word := st.Task[state].Render(taskWord[state])
		if blocks {
			// Its step goes on while the loop's thread waits in a
			// blocking call: the task holds the whole loop.
			word = st.Task[taskOverdue].Render(blocksLoopWord)
		}
		b.WriteString(fit(word, l.state) + " ")
	}
	if l.detail > 0 {
		b.WriteString(fit(st.Muted.Render(taskDetail(f, t, state, blocks)), l.detail-1) + " ")
	}
	b.WriteString(st.Muted.Render("│"))
	fillCells(f.rec.tasks[it.id], f.snap.Now, scale, taskRunning, cells)
	renderCells(&b, cells, taskGlyph[:], st.Task[:], st.Task[taskRunning])
	return b.String()
}

// taskDetail says what a task does or waits for, for the lanes' detail
// column: how long it has run or been ready, else the await it is in.
func taskDetail(f *side, t *sim.TaskView, state taskState, blocks bool) string {
	var since sim.Time
	if m, ok := currentMark(f.rec.tasks[t.ID], f.snap.Now); ok {
		since = f.snap.Now - m.at
	}
	switch {
	case blocks:
		return "running " + brief(since) + ", blocking the loop"
	}
	switch state {
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

// blocksLoopWord is the state word of a running task whose loop's thread
// is blocked.
const blocksLoopWord = "blocks loop"

// blocksLoop reports whether the thread that runs task k's step is
// blocked: in a call that does not await, it holds up every other task.
func blocksLoop(f *side, k int32) bool {
	th := f.rec.asyncio.loop[k]
	return th >= 0 && f.snap.Threads[th].State.Blocked()
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
func hiddenRow(snap *sim.Snapshot, ids []int32, st *Styles, width int) string {
	var count [sim.NumStates]int
	for _, id := range ids {
		count[snap.Threads[id].State]++
	}
	var parts []string
	for s, n := range count {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, stateWord[s]))
		}
	}
	return clip(st.Muted.Render(fmt.Sprintf(" … %d more threads: %s", len(ids), strings.Join(parts, ", "))), width)
}

// Timeline cells besides the states: a column before the run began, and
// a column in which the lane ran for less than most of it.
const (
	noCell    = -1
	briefCell = int8(maxLaneStates)
)

// maxLaneStates bounds the states of any lane, threads' or tasks'.
const maxLaneStates = max(sim.NumStates, int(numTaskStates))

// briefGlyph marks a column in which a thread ran, but not for most of
// it: without it a short burst (an I/O thread's turn with the GIL in the
// convoy, a task's step between awaits) would vanish between longer waits.
const briefGlyph = "▌"

// fillCells sets each column of the window that ends at now to the state
// that filled most of it, or to briefCell when the lane was in state
// running for a part.
func fillCells[S laneState](marks []mark[S], now, scale sim.Time, running S, cells []int8) {
	n := sim.Time(len(cells))
	t0 := now - n*scale
	from := max(t0, 0)
	state, i := stateAt(marks, from)
	for c := range cells {
		start, end := t0+sim.Time(c)*scale, t0+sim.Time(c+1)*scale
		if end <= 0 {
			cells[c] = noCell
			continue
		}
		var acc [maxLaneStates]sim.Time
		cur := max(start, 0)
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
		cells[c] = int8(best)
		if best != running && acc[running] > 0 {
			cells[c] = briefCell
		}
	}
}

// renderCells writes the glyphs of cells, one styled run per state; brief
// styles the columns of briefCell.
func renderCells(b *strings.Builder, cells []int8, glyph []string, style []lipgloss.Style, brief lipgloss.Style) {
	for i := 0; i < len(cells); {
		j := i + 1
		for j < len(cells) && cells[j] == cells[i] {
			j++
		}
		switch cells[i] {
		case noCell:
			b.WriteString(strings.Repeat(" ", j-i))
		case briefCell:
			b.WriteString(brief.Render(strings.Repeat(briefGlyph, j-i)))
		default:
			b.WriteString(style[cells[i]].Render(strings.Repeat(glyph[cells[i]], j-i)))
		}
		i = j
	}
}

// legendOrder lists the states the legend explains, the commonest first.
