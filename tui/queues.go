package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// The queues panel.

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
func queuesView(f *side, st *Styles, width int, win window) []string {
	var lines []string
	src := laneMarks(f, win)
	row := func(name string, q int, depth, maxSize, peak int) {
		label := fit(st.Heading.Render("QUEUE ")+st.Text.Render(name), queueLabel)
		full := max(maxSize, peak, 1)
		n := min(queueBar, (depth*queueBar+full-1)/full)
		bar := st.Bar.Render(strings.Repeat("█", n)) + st.BarEmpty.Render(strings.Repeat("░", queueBar-n))
		nums := fmt.Sprintf(" %3d · peak %-3d ", depth, peak)
		cols := width - lipgloss.Width(label) - queueBar - len(nums) - 1
		var levels []level
		if q < len(src.depths) {
			levels = src.depths[q]
		}
		start, scale := win.span(cols)
		lines = append(lines, label+bar+st.Text.Render(nums)+st.Muted.Render("│")+spark(levels, start, scale, cols, st))
	}
	for i, q := range f.snap.Queues {
		row(q.Name+" "+queueClass(q.Kind), i, q.Depth, q.MaxSize, q.HighWater)
	}
	for i, lv := range f.snap.Loops {
		row("ready ("+f.rec.name(lv.Thread)+"'s loop)", len(f.snap.Queues)+i, lv.Ready, 0, lv.HighWater)
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

// spark draws the deepest level of each of cols columns from t0.
func spark(levels []level, t0, scale sim.Time, cols int, st *Styles) string {
	if cols <= 0 {
		return ""
	}
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
