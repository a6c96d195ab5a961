package sim

// FlatTimeouts makes s keep every py3 timed wait in the event heap rather
// than queued on its GIL: the engine as it was, for the tests that check
// the queue changes no result. Call it before the first step.
func FlatTimeouts(s *Sim) { s.flatTimeouts = true }
