package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// The player's panels. Each is a pure function of a frame, the styles and
// the width it may fill (and the rows, for the panels that scroll); each
// returns its lines, none wider than the width.

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
var legendOrder = []sim.State{sim.StateRunning, sim.StateWaitGIL, sim.StateRunnable, sim.StateWaitLock,
	sim.StateIO, sim.StateSleep, sim.StateJoin, sim.StateQueue, sim.StateStarting, sim.StateDone}

// legendView explains the timeline's glyphs, the task states' among
// them when there are task lanes. When not all fit, it keeps the states
// some lane is in or was in on the timeline.
func legendView(f *side, st *Styles, width int, scale sim.Time) string {
	entry := func(s sim.State) string {
		return st.State[s].Render(stateGlyph[s]) + " " + st.Muted.Render(legendWord[s])
	}
	taskEntry := func(s taskState) string {
		return st.Task[s].Render(taskGlyph[s]) + " " + st.Muted.Render(taskLegend[s])
	}
	brief := st.State[sim.StateRunning].Render(briefGlyph) + " " + st.Muted.Render("ran briefly")
	tasks := len(f.snap.Tasks) > 0
	var all []string
	for _, s := range legendOrder {
		all = append(all, entry(s))
		if s == sim.StateRunning {
			all = append(all, brief)
		}
	}
	for s := range numTaskStates {
		if tasks && taskLegend[s] != "" {
			all = append(all, taskEntry(s))
		}
	}
	line := " " + strings.Join(all, "  ")
	if lipgloss.Width(line) <= width {
		return line
	}
	var seen [sim.NumStates]bool
	var seenTask [numTaskStates]bool
	seen[sim.StateRunning] = true
	// Waiting for the GIL is the lesson wherever threads can contend.
	seen[sim.StateWaitGIL] = gilRows(f) > 1
	from := f.snap.Now - scale*sim.Time(lanesLayout(f, width, false).cols)
	for id, marks := range f.rec.lanes {
		at, i := stateAt(marks, max(from, 0))
		seen[at] = true
		for _, m := range marks[i:] {
			seen[m.state] = true
		}
		seen[f.snap.Threads[id].State] = true
	}
	for k, marks := range f.rec.tasks {
		at, i := stateAt(marks, max(from, 0))
		seenTask[at] = true
		for _, m := range marks[i:] {
			if m.at <= f.snap.Now {
				seenTask[m.state] = true
			}
		}
		seenTask[taskNow(f, k)] = true
	}
	for s, ok := range seenTask {
		if ok && taskLegend[s] == "" {
			seen[taskAsThread[s]] = true
		}
	}
	var some []string
	for _, s := range legendOrder {
		if seen[s] {
			some = append(some, entry(s))
		}
		if s == sim.StateRunning {
			some = append(some, brief)
		}
	}
	for s, ok := range seenTask {
		if ok && taskLegend[s] != "" {
			some = append(some, taskEntry(taskState(s)))
		}
	}
	return clip(" "+strings.Join(some, "  "), width)
}

// gilView: who holds the GIL, who waits for it in order, the drop request
// and the handoffs so far, then the last handoff as an arrow.
func gilView(f *frame, st *Styles, width int) []string {
	snap := &f.snap
	head := st.Heading.Render("GIL   ")
	rows := gilRows(&f.side)
	if snap.Model == sim.ModelFreeThreaded {
		return []string{
			clip(head+st.Text.Render("none: the free-threaded build runs Python in every thread at once"), width),
			clip("      "+st.Muted.Render("nothing to hand off; shared data is guarded by per-object locks"), width),
		}[:rows]
	}
	var line string
	if len(snap.Procs) == 1 {
		line = gilLine(&snap.Procs[0].GIL, snap, st, width-6, true)
		if lipgloss.Width(line) > width-6 {
			line = gilLine(&snap.Procs[0].GIL, snap, st, width-6, false)
		}
	} else {
		line = gilProcs(snap, st)
	}
	return []string{clip(head+line, width), clip("      "+handoffView(f, st), width)}[:rows]
}

// gilLine describes one interpreter's GIL, naming threads in full or by
// their short names.
func gilLine(g *sim.GILView, snap *sim.Snapshot, st *Styles, width int, long bool) string {
	name := func(id int32) string {
		if long {
			return snap.Threads[id].Name
		}
		return shortName(id)
	}
	var parts []string
	if g.Holder >= 0 {
		parts = append(parts, st.Holder.Render("◆ "+name(g.Holder)+" holds it"))
	} else {
		parts = append(parts, st.Muted.Render("free"))
	}
	if len(g.Waiters) > 0 {
		var ws []string
		for _, w := range g.Waiters {
			s := name(w.Thread)
			switch w.Phase {
			case sim.WaiterWaking:
				s += " (waking)"
			case sim.WaiterSwitch:
				s += " (dropped it)"
			}
			ws = append(ws, s)
		}
		parts = append(parts, st.Waiter.Render("waiting: "+strings.Join(ws, " › ")))
	} else {
		parts = append(parts, st.Muted.Render("nobody waiting"))
	}
	if g.DropRequest {
		parts = append(parts, st.DropRequest.Render("⚑ drop requested"))
	}
	parts = append(parts, st.Text.Render(fmt.Sprintf("%d handoffs", g.Handoffs)))
	return strings.Join(parts, st.Muted.Render(" · "))
}

// gilProcs summarises one GIL per process.
func gilProcs(snap *sim.Snapshot, st *Styles) string {
	var parts []string
	var handoffs uint64
	for i := range snap.Procs {
		pv := &snap.Procs[i]
		handoffs += pv.GIL.Handoffs
		if !pv.Alive {
			continue
		}
		s := pv.Name + " "
		if pv.GIL.Holder >= 0 {
			s += st.Holder.Render("◆" + shortName(pv.GIL.Holder))
		} else {
			s += st.Muted.Render("free")
		}
		if n := len(pv.GIL.Waiters); n > 0 {
			s += st.Waiter.Render(fmt.Sprintf(" +%d waiting", n))
		}
		if pv.GIL.DropRequest {
			s += st.DropRequest.Render(" ⚑")
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		parts = append(parts, st.Muted.Render("no process is running"))
	}
	return st.Text.Render(fmt.Sprintf("one per process, %d handoffs: ", handoffs)) + strings.Join(parts, st.Muted.Render(" · "))
}

// arrowLength is the longest shaft of the handoff arrow.
const arrowLength = 8

// handoffView draws the latest handoff. For a moment after it happens the
// arrow grows from the old holder to the new one; then it stays drawn,
// and later it fades into a plain note.
func handoffView(f *frame, st *Styles) string {
	var last sim.Handoff
	last.From = -1
	for i := range f.snap.Procs {
		h := f.snap.Procs[i].GIL.Last
		if h.From >= 0 && (last.From < 0 || h.At >= last.At) {
			last = h
		}
	}
	if last.From < 0 {
		return st.Muted.Render("no handoff yet")
	}
	from, to := f.snap.Threads[last.From].Name, f.snap.Threads[last.To].Name
	age := f.snap.Now - last.At
	if age > f.hold {
		return st.Muted.Render(fmt.Sprintf("last handoff %s → %s (%s) at %s", from, to, last.Reason.Phrase(), last.At))
	}
	n := arrowLength
	if age < f.anim && f.anim > 0 {
		n = 1 + int(int64(arrowLength-1)*int64(age)/int64(f.anim))
	}
	arrow := strings.Repeat("─", n) + "▶" + strings.Repeat(" ", arrowLength-n)
	return st.Text.Render(from) + " " + st.Handoff.Render(arrow) + " " + st.Holder.Render(to) + "  " +
		st.Reason.Render(last.Reason.Phrase()) + st.Muted.Render(" at "+last.At.String())
}

// coresView: the thread on each core, by name when the names fit.
func coresView(f *side, st *Styles, width int) string {
	head := st.Heading.Render("CORES ")
	for _, long := range []bool{true, false} {
		var b strings.Builder
		b.WriteString(head)
		for c, id := range f.snap.Cores {
			fmt.Fprintf(&b, " %s", st.Muted.Render(itoa(c)+":"))
			switch {
			case id < 0:
				b.WriteString(st.Muted.Render("idle"))
			case long:
				b.WriteString(st.State[sim.StateRunning].Render(f.snap.Threads[id].Name))
			default:
				b.WriteString(st.State[sim.StateRunning].Render(shortName(id)))
			}
		}
		if lipgloss.Width(b.String()) <= width {
			return b.String()
		}
	}
	busy := 0
	var names []string
	for _, id := range f.snap.Cores {
		if id >= 0 {
			busy++
			names = append(names, shortName(id))
		}
	}
	return clip(head+st.Text.Render(fmt.Sprintf(" %d of %d busy: ", busy, len(f.snap.Cores)))+
		st.State[sim.StateRunning].Render(strings.Join(names, " ")), width)
}

// varRows is the height of the shared-variables row: one when the
// workload has shared variables.
func varRows(f *side) int {
	if len(f.snap.Vars) > 0 {
		return 1
	}
	return 0
}

// varsView: each shared variable's value and the increments lost so far,
// so that the race the GIL does not prevent shows as it happens.
func varsView(f *side, st *Styles, width int) []string {
	if len(f.snap.Vars) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(st.Heading.Render("VARS  "))
	for i, v := range f.snap.Vars {
		if i > 0 {
			b.WriteString("   ")
		}
		b.WriteString(st.Text.Render(v.Name + " = " + thousands(v.Value)))
		if v.Lost > 0 {
			b.WriteString(st.Error.Render(" · " + thousands(v.Lost) + " updates lost"))
		} else {
			b.WriteString(st.Muted.Render(" · none lost"))
		}
	}
	return []string{clip(b.String(), width)}
}

// queueCount is the number of rows the queues panel needs: every queue
// and every event loop's ready queue.
func queueCount(f *side) int { return len(f.snap.Queues) + len(f.snap.Loops) }

// queueBar is the width of a queue's depth bar, queueLabel of its name
// with its class, enough for "QUEUE q (mp.JoinableQueue)".
const (
	queueBar   = 10
	queueLabel = 34
)

// sparks draw a queue's depth history, lowest first.
var sparks = []string{"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"}

// queuesView: each queue's depth as a bar, its peak, and its recent
// history on the timeline's scale.
func queuesView(f *side, st *Styles, width int, scale sim.Time) []string {
	var lines []string
	row := func(name string, q int, depth, maxSize, peak int) {
		label := fit(st.Heading.Render("QUEUE ")+st.Text.Render(name), queueLabel)
		full := max(maxSize, peak, 1)
		n := min(queueBar, (depth*queueBar+full-1)/full)
		bar := st.Bar.Render(strings.Repeat("█", n)) + st.BarEmpty.Render(strings.Repeat("░", queueBar-n))
		nums := fmt.Sprintf(" %3d · peak %-3d ", depth, peak)
		cols := width - lipgloss.Width(label) - queueBar - len(nums) - 1
		var levels []level
		if q < len(f.rec.depths) {
			levels = f.rec.depths[q]
		}
		lines = append(lines, label+bar+st.Text.Render(nums)+st.Muted.Render("│")+spark(levels, f.snap.Now, scale, cols, st))
	}
	for i, q := range f.snap.Queues {
		row(q.Name+" "+queueClass(q.Kind), i, q.Depth, q.MaxSize, q.HighWater)
	}
	for i, lv := range f.snap.Loops {
		row("ready ("+f.snap.Threads[lv.Thread].Name+"'s loop)", len(f.snap.Queues)+i, lv.Ready, 0, lv.HighWater)
	}
	return lines
}

// queueClass names a queue's class in the few characters a row has.
func queueClass(k sim.QueueKind) string {
	switch k {
	case sim.QueueThread:
		return "(queue.Queue)"
	case sim.QueueProcess:
		return "(mp.Queue)"
	case sim.QueueJoinable:
		return "(mp.JoinableQueue)"
	}
	return "(" + k.String() + ")"
}

// spark draws the deepest level of each column of the window ending at now.
func spark(levels []level, now, scale sim.Time, cols int, st *Styles) string {
	if cols <= 0 {
		return ""
	}
	t0 := now - sim.Time(cols)*scale
	depth, i := depthAt(levels, max(t0, 0))
	peaks := make([]int32, cols)
	top := int32(1)
	for c := range peaks {
		end := t0 + sim.Time(c+1)*scale
		if end <= 0 {
			peaks[c] = -1
			continue
		}
		peak := depth
		for i < len(levels) && levels[i].at < end {
			depth = levels[i].depth
			peak = max(peak, depth)
			i++
		}
		peaks[c] = peak
		top = max(top, peak)
	}
	var b strings.Builder
	for _, p := range peaks {
		switch {
		case p <= 0:
			b.WriteByte(' ')
		default:
			b.WriteString(sparks[int(p-1)*len(sparks)/int(top)])
		}
	}
	return st.Bar.Render(b.String())
}

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
		if st == taskRunning {
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
	lines := []string{clip(st.Heading.Render("SOURCE ")+st.Text.Render(f.file)+st.Muted.Render(legend), width)}
	n := rows - 1
	start := sourceWindow(markedLines(at), focus, len(f.source), n)
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

// consoleView: the last lines the program printed, stderr marked.
func consoleView(f *side, st *Styles, width, rows int) []string {
	if rows <= 0 {
		return nil
	}
	lines := []string{st.Heading.Render("CONSOLE")}
	con := f.snap.Console
	for _, c := range con[max(0, len(con)-(rows-1)):] {
		who := st.Muted.Render(fmt.Sprintf("%9s %-4s", c.At, shortName(c.Thread)))
		text := st.Text.Render(c.Text)
		if c.Stderr {
			text = st.Stderr.Render("! " + c.Text)
		}
		lines = append(lines, clip(who+text, width))
	}
	return lines
}

// narrationView: the sentence about the last significant event, or the
// end-of-run summary, in at most n lines.
func narrationView(f *frame, st *Styles, width, n int) []string {
	if len(f.summary) > 0 {
		var lines []string
		for i, s := range f.summary {
			style := st.Summary
			if i > 0 {
				style = st.Speedup
			}
			lines = append(lines, style.Render(clip(s, width)))
		}
		return lines
	}
	if f.status != "" {
		return sentenceLines("", f.status, st, width, n)
	}
	return sideNarrationView(&f.side, "Press space to play, or → to step one event.", st, width, n)
}

// sideNarrationView: the sentence about a run's last significant event,
// or idle before there is one, in at most n lines.
func sideNarrationView(s *side, idle string, st *Styles, width, n int) []string {
	if !s.narrated {
		return sentenceLines("", idle, st, width, n)
	}
	return sentenceLines("at "+s.narrAt.String()+": ", s.narration, st, width, n)
}

// sentenceLines wraps prefix and text into at most n lines after a ▸.
func sentenceLines(prefix, text string, st *Styles, width, n int) []string {
	var lines []string
	for i, l := range wrap(prefix+text, width-2, n) {
		lead := "▸ "
		if i > 0 {
			lead = "  "
		}
		if i == 0 && prefix != "" && strings.HasPrefix(l, prefix) {
			lines = append(lines, st.Marker.Render(lead)+st.Muted.Render(prefix)+st.Narration.Render(l[len(prefix):]))
			continue
		}
		lines = append(lines, st.Marker.Render(lead)+st.Narration.Render(l))
	}
	return lines
}
