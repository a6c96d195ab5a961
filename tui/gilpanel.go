package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// The GIL panel: holder, waiters, drop request and the last handoff.

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
	parts = append(parts, st.Text.Render(plural(int(g.Handoffs), "handoff", "handoffs")))
	return strings.Join(parts, st.Muted.Render(" · "))
}

// gilProcs summarises one GIL per process: each process's row above
// the lanes shows its own holder and waiters, so this says only what
// they add up to.
func gilProcs(snap *sim.Snapshot, st *Styles) string {
	var handoffs uint64
	waiting := 0
	for i := range snap.Procs {
		handoffs += snap.Procs[i].GIL.Handoffs
		waiting += len(snap.Procs[i].GIL.Waiters)
	}
	s := st.Text.Render("one per process, each on its process's row · ")
	if waiting > 0 {
		s += st.Waiter.Render(plural(waiting, "thread waits", "threads wait")) + st.Muted.Render(" · ")
	}
	return s + st.Text.Render(plural(int(handoffs), "handoff", "handoffs")+" in all")
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
	from, to := f.rec.name(last.From), f.rec.name(last.To)
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
