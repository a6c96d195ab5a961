package tui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gilsim/gilsim/sim"
)

// weight ranks trace kinds by how much the narration should prefer them
// when several happen at one instant; zero never makes the narration.
var weight = [...]int{
	sim.TraceException:    10,
	sim.TraceLostUpdate:   9,
	sim.TraceSlowCallback: 9,
	sim.TraceDropRequest:  8,
	sim.TraceAcquire:      7,
	sim.TraceFailedWake:   7,
	sim.TraceForcedSwitch: 6,
	sim.TraceProcStart:    6,
	sim.TraceProcReady:    6,
	sim.TraceProcExit:     6,
	sim.TraceLockWait:     5,
	sim.TraceRelease:      5,
	sim.TracePrint:        4,
	sim.TracePut:          4,
	sim.TraceGet:          4,
	sim.TraceTaskDone:     4,
	sim.TraceLockAcquire:  3,
	sim.TraceLockRelease:  3,
	sim.TraceRequest:      3,
	sim.TraceStep:         3,
	sim.TraceSignal:       2,
	sim.TraceState:        1,
	sim.TraceReady:        0,
}

// weightOf is a kind's weight; kinds the table does not know never
// make the narration.
func weightOf(k sim.TraceKind) int {
	if int(k) < len(weight) {
		return weight[k]
	}
	return 0
}

// narrationWindow bounds how far back the narration looks for an event.
const narrationWindow = 4096

// narrate explains the last significant event of the recording in one
// plain sentence, and returns when it happened; ok is false before any.
func narrate(r *recording) (at sim.Time, text string, ok bool) {
	tr := r.trace
	best := -1
	for i := len(tr) - 1; i >= 0 && i >= len(tr)-narrationWindow; i-- {
		e := &tr[i]
		if best >= 0 && e.At != tr[best].At {
			break
		}
		if w := weightOf(e.Kind); w > 0 && (best < 0 || w > weightOf(tr[best].Kind)) {
			best = i
		}
	}
	if best < 0 {
		return 0, "", false
	}
	e := tr[best]
	return e.At, sentence(r, e), true
}

// sentence turns one trace event into a sentence for the classroom.
func sentence(r *recording, e sim.TraceEvent) string {
	s := r.sim
	who := s.ThreadName(e.Thread)
	var b strings.Builder
	switch e.Kind {
	case sim.TraceDropRequest:
		b.WriteString(who + " waited ")
		if since, ok := waitStart(r.lanes[e.Thread], e.At); ok {
			b.WriteString(brief(e.At-since) + " ")
		} else {
			b.WriteString("a whole interval ")
		}
		b.WriteString("for the GIL and asked " + s.ThreadName(e.Peer) + " to drop it")
	case sim.TraceAcquire:
		b.WriteString(who + " " + s.Describe(e))
		if since, ok := waitStart(r.lanes[e.Thread], e.At); ok && e.At > since {
			b.WriteString(" after waiting " + brief(e.At-since))
		}
	case sim.TraceState:
		b.WriteString(who + " is now " + e.State.String())
		if e.Line > 0 && e.State != sim.StateDone {
			b.WriteString(" at line " + itoa(int(e.Line)))
		}
	case sim.TraceProcStart, sim.TraceProcReady, sim.TraceProcExit, sim.TraceTaskDone,
		sim.TraceSlowCallback, sim.TraceReady:
		b.WriteString(capitalise(s.Describe(e)))
	case sim.TraceForcedSwitch:
		b.WriteString(who + " reached a check point and dropped the GIL as asked; it waits until another thread takes it")
	default:
		b.WriteString(who + " " + s.Describe(e))
	}
	b.WriteString(".")
	return b.String()
}

// waitStart returns when a thread that leaves (or is in) a wait for the
// GIL at time at began waiting.
func waitStart(marks []mark, at sim.Time) (sim.Time, bool) {
	_, i := stateAt(marks, at)
	for j := i - 1; j >= 0; j-- {
		if marks[j].state == sim.StateWaitGIL {
			return marks[j].at, true
		}
		if marks[j].at < at {
			return 0, false
		}
	}
	return 0, false
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
