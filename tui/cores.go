package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// The cores row.

// coresView: the thread on each core, by name when the names fit (with
// its process where two processes have threads of that name), and what
// it runs when that is C code without the GIL.
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
				b.WriteString(threadStyle(st, threadNow(f, id)).Render(f.rec.name(id)))
			default:
				b.WriteString(threadStyle(st, threadNow(f, id)).Render(shortName(id)))
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
		st.Text.Render(strings.Join(names, " ")), width)
}
