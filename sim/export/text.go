package export

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gilsim/gilsim/sim"
)

// stateChars are the text timeline's letters: one character a state, ASCII
// so that it survives e-mail and any printer.
var stateChars = [sim.NumStates]byte{
	sim.StateNew:      ' ',
	sim.StateStarting: '+',
	sim.StateRunning:  '#',
	sim.StateRunnable: 'r',
	sim.StateWaitGIL:  'g',
	sim.StateWaitLock: 'l',
	sim.StateIO:       'i',
	sim.StateSleep:    's',
	sim.StateJoin:     'j',
	sim.StateQueue:    'q',
	sim.StateDone:     '.',
}

// legendOrder is the order states appear in the legends.
var legendOrder = [...]sim.State{
	sim.StateRunning, sim.StateWaitGIL, sim.StateRunnable, sim.StateWaitLock, sim.StateIO,
	sim.StateSleep, sim.StateJoin, sim.StateQueue, sim.StateStarting, sim.StateDone, sim.StateNew,
}

// markDigits name a process's threads in its GIL row: its main thread is
// 0, the threads it starts 1, 2, ... 9, A ... Z, and * after that.
const markDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

func mark(i int) byte {
	if i < len(markDigits) {
		return markDigits[i]
	}
	return '*'
}

const (
	maxLabel     = 16 // longest thread name shown whole
	summaryWidth = 18 // " run 100% gil 100%"
	minBuckets   = 20 // fewer, and the row drops its summary
)

// Text writes the run as a plain-text timeline: a time axis, one row per
// thread of state characters over Options.Width columns (each column the
// state the thread spent most of that slice of time in), a row per GIL
// with the thread holding it, a legend, and a summary of the run.
func Text(w io.Writer, src Source, opt Options) error {
	width := opt.Width
	if width == 0 {
		width = DefaultWidth
	}
	if width < MinWidth || width > MaxWidth {
		return fmt.Errorf("export: text width %d is out of range (accepted: %d to %d columns)", width, MinWidth, MaxWidth)
	}
	first, err := measure(src, opt)
	if err != nil {
		return err
	}
	lay := textLayout(first.Workload(), width)
	s, tl, err := draw(src, opt, first, lay.buckets, pickAll(first.Workload()))
	if err != nil {
		return err
	}
	ew := &errWriter{w: w}
	bw := bufio.NewWriter(ew)
	title := opt.Title
	if title == "" {
		title = defaultTitle(s)
	}
	writeText(bw, s, tl, lay, title)
	if err := bw.Flush(); err != nil {
		return ew.err
	}
	return nil
}

// layout is where the columns of a text timeline go.
type layout struct {
	label   int // width of the label column
	buckets int
	summary bool
	width   int
}

func textLayout(w *sim.Workload, width int) layout {
	name := len("GIL")
	for _, t := range w.Threads {
		name = max(name, min(utf8.RuneCountInString(t.Name), maxLabel))
	}
	l := layout{label: 2 + name + 1, summary: true, width: width}
	l.buckets = width - l.label - 2 - summaryWidth
	if l.buckets < minBuckets {
		l.summary = false
		l.buckets = width - l.label - 2
	}
	return l
}

func writeText(w *bufio.Writer, s *sim.Sim, tl *timeline, lay layout, title string) {
	wl := s.Workload()
	m := s.Metrics()
	end := tl.g.end
	writeWrapped(w, "", "", strings.SplitAfter(title, " — "), "", lay.width)
	fmt.Fprintln(w)
	labels, ruler := axisRows(end, lay.buckets)
	pad := strings.Repeat(" ", lay.label)
	fmt.Fprintln(w, strings.TrimRight(pad+labels, " "))
	fmt.Fprintln(w, pad+ruler)
	hasGIL := s.Config().Model.HasGIL()
	used := map[sim.State]bool{}
	row := make([]byte, lay.buckets)
	byProc, local := members(wl)
	for p, pr := range wl.Procs {
		if len(wl.Procs) > 1 {
			fmt.Fprintln(w, pr.Name)
		}
		if hasGIL {
			g := tl.gils[p]
			for k, th := range g.cells {
				row[k] = '.'
				if th >= 0 {
					row[k] = mark(local[th])
				}
			}
			fmt.Fprintf(w, "%-*s|%s|", lay.label, "  GIL", row)
			if lay.summary {
				fmt.Fprintf(w, " held %s", percent(g.busy, end))
			}
			fmt.Fprintln(w)
		}
		for _, i := range byProc[p] {
			t := wl.Threads[i]
			l := tl.threads[i]
			for k, st := range l.cells {
				row[k] = stateChars[st]
				used[st] = true
			}
			label := string(mark(local[i])) + " " + clip(t.Name, maxLabel)
			fmt.Fprintf(w, "%s%s|%s|", label, strings.Repeat(" ", lay.label-utf8.RuneCountInString(label)), row)
			if lay.summary {
				fmt.Fprintf(w, " run %s", percent(l.total[sim.StateRunning]+l.total[sim.StateStarting], end))
				if hasGIL {
					fmt.Fprintf(w, " gil %s", percent(l.total[sim.StateWaitGIL], end))
				}
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintln(w)
	var items []string
	for _, st := range legendOrder {
		if used[st] && st != sim.StateNew {
			items = append(items, fmt.Sprintf("%c %s", stateChars[st], st))
		}
	}
	if used[sim.StateNew] {
		items = append(items, "blank: not started")
	}
	writeWrapped(w, "legend: ", "        ", items, "  ", lay.width)
	if hasGIL {
		writeWrapped(w, "", "  ", []string{"GIL rows: the thread (0 main, 1, 2, ...) that held the GIL longest in each column; . free"}, "", lay.width)
	}
	if lay.summary {
		notes := []string{"run: share of the time on a core"}
		if hasGIL {
			notes = append(notes, "gil: waiting for the GIL", "held: GIL held")
		}
		writeWrapped(w, "", "  ", notes, "; ", lay.width)
	}
	fmt.Fprintln(w)
	for _, line := range summaryLines(s.Config(), m) {
		writeWrapped(w, "", "  ", line, " · ", lay.width)
	}
}

// summaryLines say what the run was and what the GIL did: each line a
// list of items, to be joined with " · ".
func summaryLines(c sim.Config, m sim.Metrics) [][]string {
	outcome := m.Outcome.String()
	switch m.Outcome {
	case sim.OutcomeDeadlock:
		outcome = "deadlock: the program never finished"
	case sim.OutcomeLimit:
		outcome = "stopped at the event limit"
		if limitHit(c, m) == "time limit" {
			outcome = "stopped at the time limit (" + sim.FormatDuration(c.MaxTime) + " of virtual time)"
		}
	}
	lines := [][]string{{"elapsed " + m.Elapsed.String(), outcome, count(m.Events, "event", "events"),
		count(c.Cores, "core", "cores"), fmt.Sprintf("CPU utilisation %.0f%%", 100*m.Utilisation)}}
	if !c.Model.HasGIL() {
		lines = append(lines, []string{"no GIL (free-threaded): threads run Python on every core at once"})
	} else {
		g := m.GIL
		var by []string
		for r, n := range g.ByReason {
			if n > 0 {
				by = append(by, groupDigits(uint64(n))+" "+sim.Reason(r).String())
			}
		}
		h := "GIL: " + count(g.Handoffs, "handoff", "handoffs")
		if len(by) > 0 {
			h += " (" + strings.Join(by, ", ") + ")"
		}
		lines = append(lines, []string{h, count(g.DropRequests, "drop request", "drop requests"),
			count(g.ForcedSwitches, "forced switch", "forced switches"), count(g.FailedWakeups, "failed wake-up", "failed wake-ups")})
	}
	if r := m.Requests; r.Count > 0 {
		lines = append(lines, []string{fmt.Sprintf("requests: %d", r.Count), "p50 " + r.P50.String(),
			"p99 " + r.P99.String(), fmt.Sprintf("%.0f per second", r.PerSecond)})
	}
	for _, v := range m.Vars {
		if v.LostUpdates > 0 {
			lines = append(lines, []string{fmt.Sprintf("%s: %s (final value %d)", v.Name, count(v.LostUpdates, "lost update", "lost updates"), v.Final)})
		}
	}
	if m.SlowCallbacks > 0 {
		lines = append(lines, []string{fmt.Sprintf("asyncio: %s slower than %s", count(m.SlowCallbacks, "callback", "callbacks"), sim.FormatDuration(c.SlowCallback))})
	}
	return lines
}

// limitHit names the guard that stopped a run, "event limit" or "time
// limit", or is empty when none did. The engine stops a run at the event
// limit exactly when it has processed that many events.
func limitHit(c sim.Config, m sim.Metrics) string {
	switch {
	case m.Outcome != sim.OutcomeLimit:
		return ""
	case c.MaxEvents > 0 && m.Events >= c.MaxEvents:
		return "event limit"
	}
	return "time limit"
}

// count is n followed by the singular or the plural noun.
func count[N ~int | ~int64 | ~uint64](n N, one, many string) string {
	noun := many
	if n == 1 {
		noun = one
	}
	return groupDigits(uint64(n)) + " " + noun
}

// groupDigits writes n with commas between thousands (20,000,000), as
// every other count gilsim prints.
func groupDigits(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// writeWrapped writes items joined by sep, wrapped to width.
func writeWrapped(w *bufio.Writer, prefix, indent string, items []string, sep string, width int) {
	for _, line := range wrapItems(prefix, indent, items, sep, width) {
		fmt.Fprintln(w, line)
	}
}

// wrapItems joins items with sep into lines of at most width runes,
// breaking between items (and inside an item only when it alone is too
// long). The first line starts with prefix, the others with indent.
func wrapItems(prefix, indent string, items []string, sep string, width int) []string {
	var out []string
	line := prefix
	for i, it := range items {
		switch {
		case i == 0:
			line += it
		case utf8.RuneCountInString(line+sep+it) > width:
			out = append(out, line)
			line = indent + it
		default:
			line += sep + it
		}
		for utf8.RuneCountInString(line) > width {
			cut := breakAt(line, width)
			out = append(out, strings.TrimRight(line[:cut], " "))
			line = indent + strings.TrimLeft(line[cut:], " ")
		}
	}
	if len(items) > 0 {
		out = append(out, line)
	}
	return out
}

// breakAt is the byte offset of the last space that leaves at most width
// runes before it, or the offset of rune width when there is none.
func breakAt(s string, width int) int {
	n, last, hard := 0, -1, len(s)
	for i, r := range s {
		if n == width {
			hard = i
			break
		}
		if r == ' ' && n > 0 {
			last = i
		}
		n++
	}
	if last > 0 {
		return last
	}
	return hard
}

// percent is d as a share of total, right-aligned in four columns.
func percent(d, total sim.Time) string {
	if total <= 0 {
		return "  0%"
	}
	return fmt.Sprintf("%3.0f%%", 100*float64(d)/float64(total))
}

// clip shortens s to n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "~"
}

// axisRows are the time labels and the ruler of a text timeline n columns
// wide over a run of length end.
func axisRows(end sim.Time, n int) (labels, ruler string) {
	step := niceStep(end, max(2, n/8))
	lab := []byte(strings.Repeat(" ", n+2))
	rul := []byte("+" + strings.Repeat("-", n) + "+")
	next := 0 // first column a label may use
	g := grid{n: n, end: end}
	for t := sim.Time(0); t <= end; t += step {
		c := 0
		if t > 0 {
			c = g.index(t) + 1
		}
		switch {
		case t == end:
			c = n + 1
		case c == n:
			// A tick in the last column would touch the border.
			continue
		}
		rul[c] = '+'
		text := axisLabel(t, step)
		if c >= next && c+len(text) <= len(lab) {
			copy(lab[c:], text)
			next = c + len(text) + 2
		}
	}
	return string(lab), string(rul)
}

// niceStep is the smallest 1, 2 or 5 × 10^k nanoseconds that divides a
// run of length end into at most ticks steps.
func niceStep(end sim.Time, ticks int) sim.Time {
	raw := float64(end) / float64(ticks)
	if raw < 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, f := range []float64{1, 2, 5, 10} {
		if s := f * p; s >= raw {
			return sim.Time(s)
		}
	}
	return sim.Time(10 * p)
}

// axisLabel formats tick t in the unit its step calls for, the same for
// every tick of an axis: "0", "50ms", "1500ms", "250µs".
func axisLabel(t, step sim.Time) string {
	if t == 0 {
		return "0"
	}
	unit, div := "ns", sim.Time(1)
	switch {
	case step >= sim.Time(time.Second):
		unit, div = "s", sim.Time(time.Second)
	case step >= sim.Time(time.Millisecond):
		unit, div = "ms", sim.Time(time.Millisecond)
	case step >= sim.Time(time.Microsecond):
		unit, div = "µs", sim.Time(time.Microsecond)
	}
	// A nice step is a whole number of its unit, and so is every tick.
	return fmt.Sprintf("%d%s", t/div, unit)
}
