package tui

import (
	"fmt"
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
	sim.TraceTaskDone:     7,
	sim.TraceLockAcquire:  3,
	sim.TraceLockRelease:  3,
	sim.TraceRequest:      3,
	sim.TraceStep:         7,
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

// narrationWindow bounds how far back, in events, the narration looks for
// a trace event.
const narrationWindow = 1024

// narrate explains the last significant event of the recording in one
// plain sentence, and returns when it happened; ok is false before any.
func narrate(r *recording) (at sim.Time, text string, ok bool) {
	tr := r.trace
	best := -1
	for i := len(tr) - 1; r.inWindow(i); i-- {
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
	return tr[best].At, sentence(r, best), true
}

// sentence turns trace event i into a sentence for the classroom.
func sentence(r *recording, i int) string {
	e := r.trace[i]
	if text, ok := taskSentence(r, i); ok {
		return text + "."
	}
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
	if k := runningTask(r, e.Thread, e.At); k >= 0 && (e.Kind == sim.TraceAcquire || e.Kind == sim.TracePrint) {
		b.WriteString(", in a step of " + taskName(r, k))
	}
	b.WriteString(".")
	return b.String()
}

// taskSentence explains trace event i in terms of asyncio tasks, when it
// is about one or happens on a loop's thread: which task runs, why the
// others wait. ok is false for any other event.
func taskSentence(r *recording, i int) (text string, ok bool) {
	e := &r.trace[i]
	if len(r.tasks) == 0 {
		return "", false
	}
	w := r.sim.Workload()
	switch e.Kind {
	case sim.TraceSlowCallback:
		// The tasks that waited are those alive when the step began.
		count, _ := taskCensus(r, e.Thread, e.At-sim.Time(e.Value))
		n := others(count)
		return fmt.Sprintf("%s ran %s without awaiting, so %s waited: asyncio's debug mode reports every step over %s",
			w.Tasks[e.Obj].Name, brief(sim.Time(e.Value)), otherTasks(n), brief(sim.Time(r.cfg.SlowCallback))), true
	case sim.TraceStep:
		var b strings.Builder
		if prev := previousStep(r, i); prev >= 0 && prev != e.Obj {
			if st, _ := stateAt(r.tasks[prev], e.At); st.suspended() {
				b.WriteString(w.Tasks[prev].Name + " " + awaitPhrase(st) + ", so the loop runs " + taskName(r, e.Obj) + " meanwhile")
			}
		}
		late, wasLate := lateBy(r.tasks[e.Obj], e.At)
		if b.Len() == 0 {
			b.WriteString("The loop runs a step of " + taskName(r, e.Obj))
			if !wasLate {
				b.WriteString(": nothing else runs until it awaits")
			}
		}
		if wasLate {
			b.WriteString(", " + brief(late) + " after its sleep was over")
		}
		switch e.Value {
		case 0:
		case 1:
			b.WriteString("; 1 more task is ready")
		default:
			b.WriteString(fmt.Sprintf("; %d more tasks are ready", e.Value))
		}
		return b.String(), true
	case sim.TraceTaskDone:
		count, _ := taskCensus(r, e.Thread, e.At)
		text := taskName(r, e.Obj) + " is done"
		if late, ok := lateBy(r.tasks[e.Obj], e.At); ok {
			text += ", its last step " + brief(late) + " after its sleep was over"
		}
		if left := others(count); left > 0 {
			return fmt.Sprintf("%s; %s left: %s", text, plural(left, "task is", "tasks are"), censusPhrase(count)), true
		}
		return text + ", the last task on the loop", true
	case sim.TraceRelease, sim.TraceState:
		if _, loop := r.loopOf[e.Thread]; !loop {
			return "", false
		}
		count, k := taskCensus(r, e.Thread, e.At)
		blocked := e.Kind == sim.TraceRelease && blocking[e.Reason] || e.Kind == sim.TraceState && e.State.Blocked()
		if k >= 0 && blocked {
			return fmt.Sprintf("%s blocks the loop in a call at line %d instead of awaiting: %s cannot run until it returns",
				taskName(r, k), e.Line, otherTasks(others(count))), true
		}
		inSelect := e.Kind == sim.TraceRelease && e.Reason == sim.ReasonSelect ||
			e.Kind == sim.TraceState && e.State == sim.StateIO && others(count) > 0
		if k < 0 && inSelect {
			text := "Nothing is ready: " + r.sim.ThreadName(e.Thread) + "'s loop waits in select() until I/O completes or a timer is due"
			if p := censusPhrase(count); p != "" {
				text += " (" + p + ")"
			}
			return text, true
		}
	}
	return "", false
}

// blocking marks the reasons a thread releases the GIL to wait: inside a
// task's step, each holds up the whole loop.
var blocking = [sim.NumReasons]bool{sim.ReasonIO: true, sim.ReasonSleep: true, sim.ReasonLock: true,
	sim.ReasonJoin: true, sim.ReasonQueue: true}

// lateBy returns how long after its sleep was over the task's latest
// step up to time at began, and false when that step did not follow a
// sleep that ran over.
func lateBy(marks []mark[taskState], at sim.Time) (sim.Time, bool) {
	_, i := stateAt(marks, at)
	j := i - 1
	for j >= 0 && marks[j].state != taskRunning {
		j--
	}
	for k := j - 1; k >= 0; k-- {
		switch marks[k].state {
		case taskReady:
			continue
		case taskOverdue:
			return marks[j].at - marks[k].at, marks[j].at > marks[k].at
		}
		break
	}
	return 0, false
}

// taskName names task k with its coroutine: "Task-6 (worker)".
func taskName(r *recording, k int32) string {
	t := &r.sim.Workload().Tasks[k]
	return t.Name + " (" + t.Coro + ")"
}

// runningTask is the task whose step thread runs at time at, or -1.
func runningTask(r *recording, thread int32, at sim.Time) int32 {
	if len(r.tasks) == 0 {
		return -1
	}
	_, k := taskCensus(r, thread, at)
	return k
}

// previousStep is the task whose step the loop thread of step event i ran
// before it, or -1.
func previousStep(r *recording, i int) int32 {
	e := &r.trace[i]
	for j := i - 1; r.inWindow(j); j-- {
		if p := &r.trace[j]; p.Kind == sim.TraceStep && p.Thread == e.Thread {
			return p.Obj
		}
	}
	return -1
}

// awaitPhrase says what a suspended task awaits.
func awaitPhrase(st taskState) string {
	switch st {
	case taskSleeping:
		return "awaits asyncio.sleep"
	case taskIO:
		return "awaits its I/O"
	}
	return "awaits other tasks"
}

// otherTasks is "every other task" for n of them: "the 6 other tasks".
func otherTasks(n int) string {
	switch n {
	case 0:
		return "no other task"
	case 1:
		return "the one other task"
	}
	return fmt.Sprintf("the %d other tasks", n)
}

// plural is "1 task is" or "3 tasks are".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// waitStart returns when a thread that leaves (or is in) a wait for the
// GIL at time at began waiting.
func waitStart(marks []mark[sim.State], at sim.Time) (sim.Time, bool) {
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
