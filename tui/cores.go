package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/sim"
)

// The cores row.

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
