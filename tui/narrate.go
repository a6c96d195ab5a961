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
	sim.TraceReady:        1,
}

// weightOf is an event's weight; kinds the table does not know never make
// the narration, and a store that loses nothing weighs little.
func weightOf(e *sim.TraceEvent) int {
	if int(e.Kind) >= len(weight) {
		return 0
	}
	if e.Kind == sim.TraceLostUpdate && e.Value <= 0 {
		return weight[sim.TraceLockAcquire]
	}
	return weight[e.Kind]
}

// narrate explains in one plain sentence what the run shows at its
// position: after a step, the event stepped to (every step gets a
// sentence, even one that changed nothing visible); between events, as
// after playing, the latest significant event, however long ago. It
// returns when that happened; ok is false before there is anything to say.
func narrate(r *recording, snap *sim.Snapshot) (at sim.Time, text string, ok bool) {
	n := &r.narr
	if r.onEvent() && !n.stepSig {
		return n.evAt, stepSentence(r, snap), true
	}
	if !n.has {
		return 0, "", false
	}
	return n.sig.At, sentence(r, &n.sig, n.sigPrev), true
}

// sentence turns trace event e into a sentence for the classroom; prev is,
// for a task step, the task its loop ran before.
func sentence(r *recording, e *sim.TraceEvent, prev int32) string {
	if text, ok := taskSentence(r, e, prev); ok {
		return text + "."
	}
	w := r.sim.Workload()
	who := r.name(e.Thread)
	var b strings.Builder
	switch e.Kind {
	case sim.TraceDropRequest:
		b.WriteString(who + " waited ")
		if since, ok := waitStart(r.lanes[e.Thread], e.At); ok {
			b.WriteString(brief(e.At-since) + " ")
		} else {
			b.WriteString("a whole interval ")
		}
		b.WriteString("for the GIL and asks " + r.name(e.Peer) + " to drop it")
	case sim.TraceAcquire:
		if e.Peer >= 0 {
			b.WriteString(fmt.Sprintf("%s takes the GIL from %s (%s)", who, r.name(e.Peer), e.Reason.Phrase()))
		} else {
			b.WriteString(who + " takes the GIL")
		}
		if since, ok := waitStart(r.lanes[e.Thread], e.At); ok && e.At > since {
			b.WriteString(" after waiting " + brief(e.At-since))
		}
	case sim.TraceRelease:
		b.WriteString(releaseSentence(r, e))
	case sim.TraceState:
		b.WriteString(who + " is now " + e.State.String())
		if e.Line > 0 && e.State != sim.StateDone {
			b.WriteString(" at line " + itoa(int(e.Line)))
		}
	case sim.TraceForcedSwitch:
		b.WriteString(who + " reached a check point and dropped the GIL as asked; it waits until another thread takes it")
	case sim.TraceSignal:
		b.WriteString(who + " signals " + r.name(e.Peer) + " to wake up and take the GIL")
	case sim.TraceFailedWake:
		b.WriteString(fmt.Sprintf("%s woke up, but %s holds the GIL again: a failed wake-up, and it sleeps again", who, r.name(e.Peer)))
	case sim.TraceLockAcquire:
		b.WriteString(who + " acquires " + w.Locks[e.Obj])
	case sim.TraceLockWait:
		b.WriteString(fmt.Sprintf("%s finds %s held by %s: it releases the GIL and waits for the lock", who, w.Locks[e.Obj], r.name(e.Peer)))
	case sim.TraceLockRelease:
		b.WriteString(who + " releases " + w.Locks[e.Obj])
	case sim.TracePut:
		b.WriteString(fmt.Sprintf("%s puts an item on %s (depth %d)", who, w.Queues[e.Obj].Name, e.Value))
	case sim.TraceGet:
		b.WriteString(fmt.Sprintf("%s takes an item from %s (depth %d)", who, w.Queues[e.Obj].Name, e.Value))
	case sim.TracePrint:
		b.WriteString(who + " prints " + fmt.Sprintf("%q", e.Text))
	case sim.TraceException:
		b.WriteString(who + " dies: " + e.Text)
	case sim.TraceProcStart:
		b.WriteString(fmt.Sprintf("Process %s starts (%s): a new interpreter with its own GIL boots", w.Procs[e.Proc].Name, sim.StartMethod(e.Value)))
	case sim.TraceProcReady:
		b.WriteString(fmt.Sprintf("Process %s's interpreter is up", w.Procs[e.Proc].Name))
	case sim.TraceProcExit:
		b.WriteString(exitSentence(r, e))
	case sim.TraceLostUpdate:
		b.WriteString(lostSentence(r, e))
	case sim.TraceRequest:
		b.WriteString(who + " completes a request in " + brief(sim.Time(e.Value)))
	default:
		b.WriteString(who + " " + r.sim.Describe(*e))
	}
	if k := runningTask(r, e.Thread, e.At); k >= 0 && (e.Kind == sim.TraceAcquire || e.Kind == sim.TracePrint) {
		b.WriteString(", in a step of " + taskName(r, k))
	}
	b.WriteString(".")
	return b.String()
}

// releaseSentence says why a thread let the GIL go.
func releaseSentence(r *recording, e *sim.TraceEvent) string {
	who := r.name(e.Thread)
	switch e.Reason {
	case sim.ReasonShutdown:
		return who + "'s code has ended: interpreter shutdown releases the GIL and waits for the non-daemon threads " +
			"and child processes before the process can exit"
	case sim.ReasonExit:
		return who + " finishes and releases the GIL"
	case sim.ReasonNative:
		return who + " enters C code that releases the GIL: other threads may run Python meanwhile"
	case sim.ReasonStart:
		return who + " releases the GIL while it starts a thread"
	case sim.ReasonInterval:
		return who + " drops the GIL as asked"
	case sim.ReasonCheck:
		return who + " releases the GIL at a check interval and at once tries to take it back"
	}
	return fmt.Sprintf("%s releases the GIL (%s)", who, e.Reason.Phrase())
}

// exitSentence says how a process ended: normally, of an exception, or
// killed by a signal (multiprocessing reports signal N as exit code -N).
func exitSentence(r *recording, e *sim.TraceEvent) string {
	w := r.sim.Workload()
	name := w.Procs[e.Proc].Name
	code := e.Value
	switch {
	case code < 0:
		return fmt.Sprintf("Process %s is killed by %s: its exit code is %d", name, signalName(-code), code)
	case code > 0:
		if exc := r.sim.Snapshot().Procs[e.Proc].Exception; exc != "" {
			return fmt.Sprintf("Process %s exits with code %d: its main thread died of %s", name, code, exceptionType(exc))
		}
		return fmt.Sprintf("Process %s exits with code %d", name, code)
	}
	return fmt.Sprintf("Process %s exits normally (code 0)", name)
}

// signalName names the signals a simulated process can die of.
func signalName(n int64) string {
	switch n {
	case 15:
		return "SIGTERM (p.terminate())"
	case 9:
		return "SIGKILL"
	}
	return "signal " + itoa(int(n))
}

// exceptionType is the class of an exception line: "AttributeError".
func exceptionType(exc string) string {
	if i := strings.IndexByte(exc, ':'); i > 0 {
		return exc[:i]
	}
	return exc
}

// lostSentence tells a store that wrote over other threads' increments.
func lostSentence(r *recording, e *sim.TraceEvent) string {
	who, v := r.name(e.Thread), r.sim.Workload().Vars[e.Obj].Name
	last := r.name(e.Peer)
	switch {
	case e.Value == 1:
		return fmt.Sprintf("%s stores %s over the increment %s made after %s loaded it: that update is lost",
			who, v, last, who)
	case e.Value > 1:
		return fmt.Sprintf("%s stores %s over %s made after it loaded it (the last by %s): those updates are lost",
			who, v, plural(int(e.Value), "increment", "increments"), last)
	case e.Value == 0:
		return fmt.Sprintf("%s stores %s after other threads stored it since its load, but their changes cancel out: "+
			"nothing more is lost", who, v)
	}
	return fmt.Sprintf("%s stores %s and puts back %s an earlier stale store had wiped out", who, v,
		plural(int(-e.Value), "increment", "increments"))
}

// stepSentence tells the event the clock stands on when that step left
// no trace event worth a sentence: a waiter whose timed wait expired with
// the GIL free, a thread moving on to its next line.
func stepSentence(r *recording, snap *sim.Snapshot) string {
	ev := r.sim.LastEvent()
	if ev.Thread < 0 || int(ev.Thread) >= len(snap.Threads) {
		return "Nothing visible changes."
	}
	who := r.name(ev.Thread)
	t := &snap.Threads[ev.Thread]
	switch ev.Kind {
	case sim.EventTimeout:
		// A timed wait is played only when it does something: with the GIL
		// held it asks for it (a trace event, told above), so here the GIL
		// was free and the waiter wakes to take it.
		return fmt.Sprintf("%s's %s wait for the GIL timed out with the GIL free: %s wakes to take it.",
			who, shortDuration(r.cfg.SwitchInterval), who)
	case sim.EventPy2Check:
		return who + " reached a check interval with nobody waiting: it keeps the GIL and goes on."
	case sim.EventTimer:
		return who + "'s wait is over."
	case sim.EventWake:
		return who + " wakes up."
	case sim.EventBegin:
		return who + " starts running the module."
	}
	if t.State == sim.StateDone || t.Line <= 0 {
		return who + " goes on."
	}
	where := fmt.Sprintf("line %d", t.Line)
	if src := r.sim.SourceLine(int(t.Line)); src != "" {
		where += ": " + src
	}
	if t.Task >= 0 {
		return fmt.Sprintf("%s goes on with %s at %s.", who, taskName(r, t.Task), where)
	}
	return fmt.Sprintf("%s goes on at %s.", who, where)
}

// taskSentence explains trace event e in terms of asyncio tasks, when it
// is about one or happens on a loop's thread: which task runs, why the
// others wait. prev is, for a step, the task its loop ran before. ok is
// false for any other event.
func taskSentence(r *recording, e *sim.TraceEvent, prev int32) (text string, ok bool) {
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
		if prev >= 0 && prev != e.Obj {
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
	case sim.TraceReady:
		var ready []string
		for k, marks := range r.tasks {
			if r.asyncio.loop[k] != e.Thread {
				continue
			}
			if st, _ := stateAt(marks, e.At); st == taskReady {
				ready = append(ready, taskName(r, int32(k)))
			}
		}
		if len(ready) == 0 {
			return "", false
		}
		if len(ready) > 3 {
			ready = append(ready[:3], "…")
		}
		return fmt.Sprintf("%s ready on %s's loop (%s): the loop runs them in its next iteration",
			plural(int(e.Value), "task is", "tasks are"), r.name(e.Thread), strings.Join(ready, ", ")), true
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
			text := "Nothing is ready: " + r.name(e.Thread) + "'s loop waits in select() until I/O completes or a timer is due"
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
	for j >= 0 && !marks[j].state.runs() {
		j--
	}
	for j > 0 && marks[j-1].state.runs() {
		j-- // a step that blocked its loop began before it did
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

// plural is "1 task" or "3 tasks": n with the word that fits it.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(int64(n)) + " " + many
}

// waitStart returns when a thread that leaves (or is in) a wait for the
// GIL at time at began waiting.
func waitStart(marks []mark[threadState], at sim.Time) (sim.Time, bool) {
	_, i := stateAt(marks, at)
	for j := i - 1; j >= 0; j-- {
		if marks[j].state == threadState(sim.StateWaitGIL) {
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
