package sim

// FlatTimeouts makes s play every expiry of every py3 timed wait, each in
// the event heap, rather than only the ones that matter: the engine as it
// was, for the tests that check the lazy expiries change no result. Call
// it before the first step.
func FlatTimeouts(s *Sim) { s.flatTimeouts = true }
