package tui

import (
	"strings"
)

// The shared variables row.

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
