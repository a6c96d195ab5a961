package tui

import (
	"fmt"
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

// stateWidth fits the longest state word.
var stateWidth = func() int {
	w := 0
	for _, s := range stateWord {
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

// lanesView: a heading with the timeline's ruler, then one lane per thread,
// grouped under a row per process when there are several. When the rows
// run out, the last says how many threads are hidden.
func lanesView(f *side, st *Styles, width, rows int, scale sim.Time, compact bool) []string {
	l := lanesLayout(f, width, compact)
	snap := &f.snap
	multi := len(snap.Procs) > 1
	title := "THREADS"
	if !multi && !compact {
		title += " · " + snap.Procs[0].Name
	}
	ruler := st.Muted.Render("1 col = " + short(scale) + " · now")
	if ago := st.Muted.Render("◀ " + short(scale*sim.Time(l.cols)) + " ago"); lipgloss.Width(ago)+lipgloss.Width(ruler) < l.cols {
		ruler = spread(ago, ruler, l.cols)
	} else {
		ruler = spread("", ruler, l.cols)
	}
	lines := []string{fit(st.Heading.Render(title), width-l.cols-1) + st.Muted.Render("│") + ruler}
	type item struct{ proc, thread int32 } // thread -1: the process's heading
	byProc := make([][]int32, len(snap.Procs))
	for i := range snap.Threads {
		p := snap.Threads[i].Proc
		byProc[p] = append(byProc[p], int32(i))
	}
	var items []item
	for pi, ids := range byProc {
		if multi {
			items = append(items, item{int32(pi), -1})
		}
		for _, id := range ids {
			items = append(items, item{int32(pi), id})
		}
	}
	var hidden []int32
	if avail := rows - 1; len(items) > avail {
		for _, it := range items[max(avail-1, 0):] {
			if it.thread >= 0 {
				hidden = append(hidden, it.thread)
			}
		}
		items = items[:max(avail-1, 0)]
	}
	cells := make([]int8, l.cols)
	for _, it := range items {
		if it.thread < 0 {
			lines = append(lines, procRow(&snap.Procs[it.proc], st, width))
			continue
		}
		lines = append(lines, laneRow(&snap.Threads[it.thread], f.rec.lanes[it.thread], snap.Now, scale, l, cells, st, compact))
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
func laneRow(t *sim.ThreadView, marks []mark, now, scale sim.Time, l laneLayout, cells []int8, st *Styles, compact bool) string {
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
	fillCells(marks, now, scale, cells)
	renderCells(&b, cells, st)
	return b.String()
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
// a column in which the thread ran for less than most of it.
const (
	noCell    = -1
	briefCell = int8(sim.NumStates)
)

// briefGlyph marks a column in which a thread ran, but not for most of
// it: without it a short burst (an I/O thread's turn with the GIL in the
// convoy) would vanish between longer waits.
const briefGlyph = "▌"

// fillCells sets each column of the window that ends at now to the state
// that filled most of it, or to briefCell when the thread ran for a part.
func fillCells(marks []mark, now, scale sim.Time, cells []int8) {
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
		var acc [sim.NumStates]sim.Time
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
				best = sim.State(s)
			}
		}
		cells[c] = int8(best)
		if best != sim.StateRunning && acc[sim.StateRunning] > 0 {
			cells[c] = briefCell
		}
	}
}

// renderCells writes the glyphs of cells, one styled run per state.
func renderCells(b *strings.Builder, cells []int8, st *Styles) {
	for i := 0; i < len(cells); {
		j := i + 1
		for j < len(cells) && cells[j] == cells[i] {
			j++
		}
		switch cells[i] {
		case noCell:
			b.WriteString(strings.Repeat(" ", j-i))
		case briefCell:
			b.WriteString(st.State[sim.StateRunning].Render(strings.Repeat(briefGlyph, j-i)))
		default:
			s := sim.State(cells[i])
			b.WriteString(st.State[s].Render(strings.Repeat(stateGlyph[s], j-i)))
		}
		i = j
	}
}

// legendOrder lists the states the legend explains, the commonest first.
var legendOrder = []sim.State{sim.StateRunning, sim.StateWaitGIL, sim.StateRunnable, sim.StateWaitLock,
	sim.StateIO, sim.StateSleep, sim.StateJoin, sim.StateQueue, sim.StateStarting, sim.StateDone}

// legendView explains the timeline's glyphs. When not all fit, it keeps
// the states some thread is in or was in on the timeline.
func legendView(f *side, st *Styles, width int, scale sim.Time) string {
	entry := func(s sim.State) string {
		return st.State[s].Render(stateGlyph[s]) + " " + st.Muted.Render(legendWord[s])
	}
	brief := st.State[sim.StateRunning].Render(briefGlyph) + " " + st.Muted.Render("ran briefly")
	var all []string
	for _, s := range legendOrder {
		all = append(all, entry(s))
		if s == sim.StateRunning {
			all = append(all, brief)
		}
	}
	line := " " + strings.Join(all, "  ")
	if lipgloss.Width(line) <= width {
		return line
	}
	var seen [sim.NumStates]bool
	seen[sim.StateRunning], seen[sim.StateWaitGIL] = true, true
	from := f.snap.Now - scale*sim.Time(lanesLayout(f, width, false).cols)
	for id, marks := range f.rec.lanes {
		at, i := stateAt(marks, max(from, 0))
		seen[at] = true
		for _, m := range marks[i:] {
			seen[m.state] = true
		}
		seen[f.snap.Threads[id].State] = true
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
	return clip(" "+strings.Join(some, "  "), width)
}

// gilView: who holds the GIL, who waits for it in order, the drop request
// and the handoffs so far, then the last handoff as an arrow.
func gilView(f *frame, st *Styles, width int) []string {
	snap := &f.snap
	head := st.Heading.Render("GIL   ")
	if snap.Model == sim.ModelFreeThreaded {
		return []string{
			clip(head+st.Text.Render("none: the free-threaded build runs Python in every thread at once"), width),
			clip("      "+st.Muted.Render("nothing to hand off; shared data is guarded by per-object locks"), width),
		}
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
	return []string{clip(head+line, width), clip("      "+handoffView(f, st), width)}
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

// sourceView: the Python source with every live thread's current line
// marked: ▶ where a thread runs, ● where threads wait.
func sourceView(f *frame, st *Styles, width, rows int) []string {
	if rows <= 0 {
		return nil
	}
	snap := &f.snap
	at := make(map[int][]int32)
	focus, rank := 0, 0
	for i := range snap.Threads {
		t := &snap.Threads[i]
		if t.State == sim.StateNew || t.State == sim.StateDone || t.Line <= 0 {
			continue
		}
		ln := int(t.Line)
		if t.State.OnCore() {
			at[ln] = append([]int32{t.ID}, at[ln]...)
		} else {
			at[ln] = append(at[ln], t.ID)
		}
		// Follow the GIL holder, else a thread on a core, else any.
		r := 1
		switch {
		case t.HoldsGIL:
			r = 3
		case t.State.OnCore():
			r = 2
		}
		if r > rank {
			focus, rank = ln, r
		}
	}
	head := st.Heading.Render("SOURCE ") + st.Text.Render(f.file) +
		st.Muted.Render("   ▶ a thread runs here   ● threads wait here")
	lines := []string{clip(head, width)}
	n := rows - 1
	start := sourceWindow(at, focus, len(f.source), n)
	for ln := start; ln < start+n && ln <= len(f.source); ln++ {
		lines = append(lines, sourceLine(f, snap, st, width, ln, at[ln]))
	}
	return lines
}

// sourceWindow picks the first line shown so that every marked line fits
// when it can, and the focus line otherwise.
func sourceWindow(at map[int][]int32, focus, total, n int) int {
	lo, hi := 0, 0
	for ln := range at {
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

func sourceLine(f *frame, snap *sim.Snapshot, st *Styles, width, ln int, ids []int32) string {
	gutter, text := " ", strings.ReplaceAll(f.source[ln-1], "\t", "    ")
	var marks string
	if len(ids) > 0 {
		gutter = st.Marker.Render("●")
		if snap.Threads[ids[0]].State.OnCore() {
			gutter = st.Marker.Render("▶")
		}
		var b strings.Builder
		b.WriteString(st.Marker.Render(" ◀"))
		for _, id := range ids {
			b.WriteString(" " + st.State[snap.Threads[id].State].Render(shortName(id)))
		}
		marks = b.String()
	}
	num := st.LineNumber.Render(fmt.Sprintf("%4d ", ln))
	room := width - 6 - lipgloss.Width(marks)
	if room < 12 {
		marks, room = clip(marks, width-18), 12
	}
	style := st.Text
	if len(ids) > 0 {
		style = st.CurrentLine
	}
	return clip(gutter+num+style.Render(clip(text, room))+marks, width)
}

// consoleView: the last lines the program printed, stderr marked.
func consoleView(f *frame, st *Styles, width, rows int) []string {
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
	text := "Press space to play, or → to step one event."
	prefix := ""
	if f.narrated {
		prefix = "at " + f.narrAt.String() + ": "
		text = f.narration
	}
	if f.status != "" {
		text = f.status
	}
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
