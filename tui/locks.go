package tui

import (
	"strings"

	"github.com/gilsim/gilsim/sim"
)

// The locks panel: who holds each threading.Lock, since when, and who
// waits for it in order.

// lockRows is the height of the locks panel: a row per lock.
func lockRows(f *side) int { return len(f.snap.Locks) }

// locksView: each lock's owner and how long it has held it, and its
// waiters in the order they came.
func locksView(f *side, st *Styles, width int) []string {
	var lines []string
	for i, l := range f.snap.Locks {
		var b strings.Builder
		b.WriteString(st.Heading.Render("LOCK  ") + st.Lock.Render(l.Name) + " ")
		if l.Owner >= 0 {
			held := ""
			if m, ok := currentMark(f.rec.owners[i], f.snap.Now); ok && m.state == l.Owner {
				held = " for " + brief(f.snap.Now-m.at)
			}
			b.WriteString(st.Holder.Render("held by "+f.rec.name(l.Owner)) + st.Muted.Render(held))
		} else {
			b.WriteString(st.Muted.Render("free"))
		}
		if n := len(l.Waiters); n > 0 {
			names := make([]string, n)
			for j, w := range l.Waiters {
				names[j] = shortName(w)
			}
			b.WriteString(st.Muted.Render(" · ") + st.State[sim.StateWaitLock].Render(
				plural(n, "waiter", "waiters")+": "+strings.Join(names, " › ")))
		} else {
			b.WriteString(st.Muted.Render(" · nobody waiting"))
		}
		lines = append(lines, clip(b.String(), width))
	}
	return lines
}
