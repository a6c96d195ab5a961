package tui

import (
	"fmt"
	"sort"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// laneState is what a lane's timeline shows: a thread's state, or an
// asyncio task's.
type laneState interface{ sim.State | taskState }

// mark is a lane entering a state: a lane's history is a list of them.
type mark[S laneState] struct {
	at sim.Time
	// seq places the mark in the recording, so that going back can drop
	// what came later: for a thread, the index of the trace event that
	// recorded it; for a task, the number of events run when it was seen.
	seq   int64
	state S
}

// level is a queue reaching a depth.
type level struct {
	at    sim.Time
	idx   int64
	depth int32
}

// checkpoint is a copy of the run at a multiple of checkpointEvery
// events, taken when traceLen trace events had been recorded. It is only
// ever cloned, never stepped.
type checkpoint struct {
	sim      *sim.Sim
	traceLen int64
}

// recording follows one simulation run and keeps what the views need
// besides a snapshot: the recent trace, each thread's and each asyncio
// task's state changes and each queue's depth changes. With checkpoints
// on, it can also go back.
type recording struct {
	cfg sim.Config
	sim *sim.Sim

	// trace holds the trace events of the last narrationWindow events at
	// least (older ones are dropped now and then: the narration never looks
	// further back, and going back re-simulates them); evn[i] is the number
	// of the event that recorded trace[i], and base the position of
	// trace[0] among all the trace events of the run. Marks and levels
	// refer to trace events by that position.
	trace  []sim.TraceEvent
	evn    []uint64
	base   int64
	lanes  [][]mark[sim.State] // per thread
	tasks  [][]mark[taskState] // per task
	depths [][]level           // per queue, then one per event loop (its ready queue)
	loopOf map[int32]int32
	// running counts the tasks whose last mark is taskRunning: while one
	// runs, any event may end its step without a trace event saying so.
	running int

	// asyncio is what the workload says about its tasks.
	asyncio taskPlan

	every uint64 // events between checkpoints; 0: none kept
	cps   []checkpoint
}

// checkpointEvery is how many events lie between checkpoints: stepping
// back costs one clone plus at most this many steps (and the narration's
// window), and memory holds one clone per this many events.
const checkpointEvery = 256

// traceKept is how many trace events the recording lets pile up before it
// drops those older than the narration's window.
const traceKept = 1 << 16

// maxEventsPerAdvance bounds the work of one advance, so that a tick at a
// high speed on a busy run cannot hold up the keyboard: playback then
// falls behind the speed instead.
const maxEventsPerAdvance = 200_000

// newRecording starts a run of v under cfg at time zero.
func newRecording(v scenarios.Values, cfg sim.Config, checkpoints bool) (*recording, error) {
	cfg.Trace = true
	s, err := v.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("simulating %s: %w", v.Scenario().ID, err)
	}
	w := s.Workload()
	r := &recording{cfg: cfg, sim: s,
		lanes:   make([][]mark[sim.State], len(w.Threads)),
		tasks:   make([][]mark[taskState], len(w.Tasks)),
		depths:  make([][]level, len(w.Queues)),
		loopOf:  map[int32]int32{},
		asyncio: planTasks(w),
	}
	if checkpoints {
		r.every = checkpointEvery
		r.cps = []checkpoint{{sim: s.Clone()}}
	}
	return r, nil
}

// step processes one event; it reports false once the run has ended.
func (r *recording) step() bool {
	ok := r.stepOne()
	r.absorb()
	return ok
}

// stepOne steps the simulation, notes the tasks' states, absorbs the
// step's trace events and takes a checkpoint when one is due.
func (r *recording) stepOne() bool {
	from := r.sim.TraceLen()
	if !r.sim.Step() {
		r.watchTasks(from)
		r.absorb()
		return false
	}
	r.watchTasks(from)
	r.absorb()
	if e := r.sim.Events(); r.every > 0 && e%r.every == 0 && e/r.every == uint64(len(r.cps)) {
		// The trace is drained: the clone starts with an empty one, and a
		// restore appends exactly what it re-simulates.
		r.cps = append(r.cps, checkpoint{sim: r.sim.Clone(), traceLen: r.traceLen()})
	}
	return true
}

// traceLen is the number of trace events recorded so far.
func (r *recording) traceLen() int64 { return r.base + int64(len(r.trace)) }

// advanceTo processes every event up to t and moves the clock to t. With
// a budget above zero it stops early, the clock at the last event, after
// that many events.
func (r *recording) advanceTo(t sim.Time, budget int) {
	s := r.sim
	for n := 0; ; n++ {
		next, ok := s.NextEventTime()
		if !ok {
			if !s.Done() {
				r.stepOne() // nothing pending: the run ends here
			}
			break
		}
		if next > t {
			break
		}
		if budget > 0 && n == budget {
			r.absorb()
			return
		}
		r.stepOne()
	}
	s.AdvanceTo(t)
	r.absorb()
}

// seek moves the run to the instant just after event number e (or its
// end, if it has fewer). Backwards, it clones the nearest checkpoint and
// re-simulates from there.
func (r *recording) seek(e uint64) {
	if e > r.sim.Events() {
		for r.sim.Events() < e && r.stepOne() {
		}
		r.absorb()
		return
	}
	if r.every == 0 {
		return
	}
	// Start far enough back that the narration's window is re-simulated.
	from := uint64(0)
	if e > narrationWindow {
		from = e - narrationWindow
	}
	r.restore(min(int(from/r.every), len(r.cps)-1))
	for r.sim.Events() < e && r.stepOne() {
	}
	r.absorb()
}

// restore returns the run to checkpoint i, forgetting what came after.
func (r *recording) restore(i int) {
	cp := r.cps[i]
	r.truncate(cp.traceLen, uint64(i)*r.every)
	r.sim = cp.sim.Clone()
	r.restoreOverdue()
}

// seekTime moves the run to virtual time t: every event up to t done,
// none after, and the clock at t. Backwards it needs checkpoints.
func (r *recording) seekTime(t sim.Time) {
	if t < r.sim.Now() && r.every > 0 {
		// One checkpoint further back covers the narration's window.
		r.restore(max(r.checkpointBefore(t, true)-(narrationWindow+checkpointEvery-1)/checkpointEvery, 0))
	}
	r.advanceTo(t, 0)
}

// checkpointBefore is the last checkpoint taken before time t (or at t,
// with orAt), or the first.
func (r *recording) checkpointBefore(t sim.Time, orAt bool) int {
	n := sort.Search(len(r.cps), func(i int) bool {
		at := r.cps[i].sim.Now()
		return at > t || at == t && !orAt
	})
	return max(n-1, 0)
}

// lastBefore returns the latest time before t at which the run had an
// event, and false when it had none (or keeps no checkpoints). It replays
// a copy of the checkpoint before t, which the recording does not keep.
func (r *recording) lastBefore(t sim.Time) (sim.Time, bool) {
	if r.every == 0 {
		return 0, false
	}
	s := r.cps[r.checkpointBefore(t, false)].sim.Clone()
	at, ok := s.Now(), s.Events() > 0 && s.Now() < t
	for {
		next, pending := s.NextEventTime()
		if !pending || next >= t || !s.Step() {
			return at, ok
		}
		at, ok = s.Now(), true
	}
}

// absorb drains the simulation's new trace events into the recording,
// as recorded by the current event.
func (r *recording) absorb() {
	from := len(r.trace)
	r.trace = r.sim.DrainTrace(r.trace)
	n := r.sim.Events()
	for i := from; i < len(r.trace); i++ {
		r.evn = append(r.evn, n)
		r.note(r.base+int64(i), &r.trace[i])
	}
	if len(r.trace) > traceKept {
		r.trim()
	}
}

// trim drops the trace events recorded before the narration's window.
func (r *recording) trim() {
	cur := r.sim.Events()
	cut := sort.Search(len(r.evn), func(i int) bool { return r.evn[i]+narrationWindow >= cur })
	r.trace = r.trace[:copy(r.trace, r.trace[cut:])]
	r.evn = r.evn[:copy(r.evn, r.evn[cut:])]
	r.base += int64(cut)
}

// inWindow reports whether trace event i (an index into trace) lies in
// the narration's window: recorded by one of the last narrationWindow
// events. Going forward and going back keep the same events in it.
func (r *recording) inWindow(i int) bool {
	return i >= 0 && r.evn[i]+narrationWindow >= r.sim.Events()
}

func (r *recording) note(i int64, e *sim.TraceEvent) {
	switch e.Kind {
	case sim.TraceState:
		r.lanes[e.Thread] = append(r.lanes[e.Thread], mark[sim.State]{at: e.At, seq: int64(i), state: e.State})
	case sim.TracePut, sim.TraceGet:
		r.depths[e.Obj] = append(r.depths[e.Obj], level{at: e.At, idx: i, depth: int32(e.Value)})
	case sim.TraceReady:
		r.loopOf[e.Thread] = e.Obj
		r.readyLevel(e.Obj, i, e)
	case sim.TraceStep:
		if loop, ok := r.loopOf[e.Thread]; ok {
			r.readyLevel(loop, i, e)
		}
	}
}

func (r *recording) readyLevel(loop int32, i int64, e *sim.TraceEvent) {
	q := len(r.sim.Workload().Queues) + int(loop)
	for len(r.depths) <= q {
		r.depths = append(r.depths, nil)
	}
	r.depths[q] = append(r.depths[q], level{at: e.At, idx: i, depth: int32(e.Value)})
}

// watchTasks notes the tasks whose state the last step changed. The trace
// says when a task starts a step or finishes, but not when a step ends in
// an await or a task becomes ready: so after any event the trace ties to
// a loop, and after every event while a task runs, the states are also
// read from a snapshot. from is the trace length before the step.
func (r *recording) watchTasks(from int) {
	if len(r.tasks) == 0 {
		return
	}
	events := r.sim.Trace()[from:]
	if r.running == 0 && !loopEvents(events) {
		return
	}
	seq := int64(r.sim.Events())
	// Several steps may run at one instant, within one event: the trace
	// keeps each of them, which the snapshot after them all would not.
	for i := range events {
		switch e := &events[i]; e.Kind {
		case sim.TraceStep:
			r.setTask(int(e.Obj), taskRunning, e.At, seq)
		case sim.TraceTaskDone:
			r.setTask(int(e.Obj), taskDone, e.At, seq)
		}
	}
	snap := r.sim.Snapshot()
	for k := range snap.Tasks {
		if r.setTask(k, taskState(snap.Tasks[k].State), snap.Now, seq) && r.tasks[k][len(r.tasks[k])-1].state == taskSleeping {
			r.tasks[k] = r.overdue(r.tasks[k], k, snap.Tasks[k].Line)
		}
	}
}

// setTask marks task k in state st at time at, unless it is in it; it
// reports whether it did.
func (r *recording) setTask(k int, st taskState, at sim.Time, seq int64) bool {
	marks := r.tasks[k]
	last := taskPending
	if n := len(marks); n > 0 {
		last = marks[n-1].state
		if last == taskOverdue {
			last = taskSleeping
			if marks[n-1].at > at {
				// The sleep is not over yet: if it ends now, it was
				// never overdue.
				marks = marks[:n-1]
			}
		}
	}
	if st == last {
		return false
	}
	if last == taskRunning {
		r.running--
	}
	if st == taskRunning {
		r.running++
	}
	r.tasks[k] = append(marks, mark[taskState]{at: at, seq: seq, state: st})
	return true
}

// overdue appends to the marks of task k, which has just started to
// sleep with its frame at line, the mark of when its sleep is over: its
// timer is due by then (the engine may lengthen it by up to the op
// jitter), and from then on only a busy loop keeps it asleep. The mark
// lies ahead of the clock; it goes if the task wakes before.
func (r *recording) overdue(marks []mark[taskState], k int, line int32) []mark[taskState] {
	d, ok := r.asyncio.sleep(k, line)
	if !ok {
		return marks
	}
	m := marks[len(marks)-1]
	return append(marks, mark[taskState]{at: m.at + d + sim.Time(r.cfg.OpJitter), seq: m.seq, state: taskOverdue})
}

// restoreOverdue puts back, after going back to a checkpoint, the marks
// of sleeps not over yet there: a later wake-up had removed them.
func (r *recording) restoreOverdue() {
	if len(r.tasks) == 0 {
		return
	}
	snap := r.sim.Snapshot()
	for k, marks := range r.tasks {
		if n := len(marks); n > 0 && marks[n-1].state == taskSleeping {
			r.tasks[k] = r.overdue(marks, k, snap.Tasks[k].Line)
		}
	}
}

// loopEvents reports whether events hold one that changes a task's state.
func loopEvents(events []sim.TraceEvent) bool {
	for i := range events {
		switch events[i].Kind {
		case sim.TraceReady, sim.TraceStep, sim.TraceTaskDone:
			return true
		}
	}
	return false
}

// truncate forgets every trace event from position n on, and every task
// mark seen after event number events, and what was derived from them.
func (r *recording) truncate(n int64, events uint64) {
	if k := n - r.base; k >= 0 && k <= int64(len(r.trace)) {
		r.trace, r.evn = r.trace[:k], r.evn[:k]
	} else {
		r.trace, r.evn, r.base = r.trace[:0], r.evn[:0], n
	}
	for t, l := range r.lanes {
		k := len(l)
		for k > 0 && l[k-1].seq >= n {
			k--
		}
		r.lanes[t] = l[:k]
	}
	for q, l := range r.depths {
		k := len(l)
		for k > 0 && l[k-1].idx >= n {
			k--
		}
		r.depths[q] = l[:k]
	}
	r.running = 0
	for t, l := range r.tasks {
		k := len(l)
		for k > 0 && l[k-1].seq > int64(events) {
			k--
		}
		r.tasks[t] = l[:k]
		if k > 0 && l[k-1].state == taskRunning {
			r.running++
		}
	}
}

// stateAt returns the state of a lane at time at, and the index of the
// first mark after it.
func stateAt[S laneState](marks []mark[S], at sim.Time) (S, int) {
	i := sort.Search(len(marks), func(i int) bool { return marks[i].at > at })
	if i == 0 {
		var zero S
		return zero, 0
	}
	return marks[i-1].state, i
}

// depthAt is stateAt for a queue's depth.
func depthAt(levels []level, at sim.Time) (int32, int) {
	i := sort.Search(len(levels), func(i int) bool { return levels[i].at > at })
	if i == 0 {
		return 0, 0
	}
	return levels[i-1].depth, i
}
