package tui

import (
	"strings"
)

// The results row: the scenario's own figures so far, such as the
// convoy's requests per second or the counter's lost updates.

// resultRows is the height of the results row: one when the scenario
// has figures to show.
func resultRows(f *side) int {
	if len(f.results) > 0 {
		return 1
	}
	return 0
}

// resultsView: the scenario's figures so far, "p50 latency 10.05ms ·
// requests/s 121".
func resultsView(f *side, st *Styles, width int) []string {
	if len(f.results) == 0 {
		return nil
	}
	parts := make([]string, len(f.results))
	for i, r := range f.results {
		parts[i] = st.Muted.Render(r.Label+" ") + st.Result.Render(r.Value)
	}
	head := "SO FAR"
	if f.done {
		head = "RESULT"
	}
	return []string{clip(st.Heading.Render(head+"  ")+strings.Join(parts, st.Muted.Render(" · ")), width)}
}
