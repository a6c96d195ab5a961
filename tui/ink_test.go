package tui

import (
	"testing"

	"github.com/muesli/termenv"

	"github.com/gilsim/gilsim/sim"
)

// An ink paints a line exactly as its style renders it, for every style
// the lanes paint with, of every theme in every colour profile.
func TestInkPaintsAsItsStyle(t *testing.T) {
	for _, th := range Themes() {
		for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI, termenv.Ascii} {
			st := ThemeStyles(profileRenderer(p), th)
			styles := append(threadGlyphStyles(&st), taskGlyphStyles(&st)...)
			styles = append(styles, st.Text, st.Muted, st.Future, st.State[sim.StateRunning], st.Task[taskRunning])
			for _, s := range styles {
				for _, text := range []string{"█████", "T1 Thread-1", "├ ", "x", "▏"} {
					if got, want := inkOf(s).paint(text), s.Render(text); got != want {
						t.Errorf("%s, %v: ink paints %q, the style renders %q", th, p, got, want)
					}
				}
			}
		}
	}
}
