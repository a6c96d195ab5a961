package tui

// The events panel: on a terminal with rows to spare, the latest events
// worth a line (handoffs, drop requests, lock waits, prints...), newest
// last, so that a class can read back what led to the moment on screen.

// eventsWanted is how many rows the events panel would fill: its heading
// and every logged event.
func eventsWanted(s *side) int {
	if n := min(s.rec.narr.logNext, logSize); n > 0 {
		return 1 + n
	}
	return 0
}

// eventsView: the last rows-1 logged events, one line each.
func eventsView(s *side, st *Styles, width, rows int) []string {
	if rows < 2 {
		return nil
	}
	log := s.rec.narr.logged()
	log = log[max(0, len(log)-(rows-1)):]
	lines := []string{st.Heading.Render("EVENTS")}
	for i := range log {
		at := st.Muted.Render(padLeft(log[i].e.At.String(), timeField) + "  ")
		text := sentence(s.rec, &log[i].e, log[i].prev)
		lines = append(lines, clip(at+st.Text.Render(text), width))
	}
	return lines
}
