package tui

import (
	"strings"
)

// The narration at the bottom, the callout of a lesson point in its
// place, and the summary at the end.

// maxCalloutLines is the most lines a callout's text wraps to.
const maxCalloutLines = 3

// narrationHeight is how many rows the bottom panel takes: the
// narration's two, a lesson point's callout, or the summary at the end.
func narrationHeight(f *frame, width int) int {
	switch {
	case len(f.summary) > 0:
		return len(summaryLines(f.summary, width))
	case f.callout != nil && f.busy == "":
		return 1 + len(wrap(f.callout.text, width-2, maxCalloutLines+f.callout.last-f.callout.n))
	}
	return narrationRows
}

// narrationView: what the run shows at this moment, or the end-of-run
// summary, or a lesson point's callout, in n lines.
func narrationView(f *frame, st *Styles, width, n int) []string {
	switch {
	case len(f.summary) > 0:
		var lines []string
		for i, s := range summaryLines(f.summary, width) {
			style := st.Summary
			if i > 0 {
				style = st.Speedup
			}
			lines = append(lines, style.Render(s))
		}
		return lines
	case f.busy != "":
		var lines []string
		for i, l := range wrap("⧗ "+capitalise(f.busy)+"… the screen shows the run as it was until it is done.", width, n) {
			if i == 0 {
				lines = append(lines, st.Busy.Render(l))
				continue
			}
			lines = append(lines, st.Muted.Render(l))
		}
		return lines
	case f.callout != nil:
		return calloutView(f.callout, st, width, n)
	case f.status != "":
		return sentenceLines("", f.status, st, width, n)
	}
	return sideNarrationView(&f.side, "Press space to play, or → to step one event.", st, width, n)
}

// summaryLines lays the summary out: its first two lines clipped, the
// comparison with the other GIL setting wrapped to two.
func summaryLines(summary []string, width int) []string {
	var lines []string
	for i, s := range summary {
		if i < 2 {
			lines = append(lines, clip(s, width))
			continue
		}
		lines = append(lines, wrap(s, width, 2)...)
	}
	return lines
}

// calloutView: a lesson point's title and what to look at, behind a bar.
func calloutView(c *calloutInfo, st *Styles, width, n int) []string {
	bar := st.CalloutBorder.Render("┃ ")
	count := "Lesson " + itoa(c.n)
	if c.last > c.n {
		count = "Lessons " + itoa(c.n) + "–" + itoa(c.last)
	}
	if c.total > 0 {
		count += " of " + itoa(c.total)
	}
	keys := st.Muted.Render("  space plays on · n next")
	title := st.CalloutTitle.Render("⏸ " + count + " · " + c.title)
	lines := []string{clip(bar+title+keys, width)}
	for _, l := range wrap(c.text, width-2, max(1, n-1)) {
		lines = append(lines, bar+st.Callout.Render(l))
	}
	return lines
}

// sideNarrationView: the sentence about what a run shows at this
// moment, or idle before there is anything, in at most n lines.
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
