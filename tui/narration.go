package tui

import (
	"strings"
)

// The narration and the summary at the end.

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
