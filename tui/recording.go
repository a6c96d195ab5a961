package tui

import (
	"fmt"
	"maps"
	"sort"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// threadState is what a thread's lane shows: the engine's state for the
// thread (sim.State, same numbers), or running C code without the GIL.
type threadState uint8

const (
	// threadNative: on a core, without the GIL that its interpreter has
	// (C code between Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS,
	// starting a thread, py2's release window). The engine calls it
	// running; the lane tells it from running Python, which needs the GIL.
	threadNative = threadState(sim.NumStates)
	// numThreadStates counts the states a thread's lane can show.
	numThreadStates = threadNative + 1
)

func (s threadState) String() string {
	if s == threadNative {
		return "running C code, GIL released"
	}
	return sim.State(s).String()
}

// laneState is what a lane's timeline shows: a thread's state, or an
// asyncio task's.
type laneState interface {
	threadState | taskState
	// busy reports whether the lane is at work in this state: on a core,
	// or running a step.
	busy() bool
}

func (s threadState) busy() bool { return s == threadNative || sim.State(s).OnCore() }

// mark is a lane (or a GIL's or a lock's holder) entering a state: a
// lane's history is a list of them.
type mark[S any] struct {
	at sim.Time
	// seq places the mark in the recording, so that going back can drop
	// what came later: for a thread, a GIL or a lock, the position of the
	// trace event that recorded it; for a task, the number of events run
	// when it was seen.
	seq   int64
	state S
}

// level is a queue reaching a depth.
type level struct {
	at    sim.Time
	idx   int64
	depth int32
}

// exception is a thread dying of an exception: its console keeps the
// traceback, whose last line is text.
type exception struct {
	seq    int64
	thread int32
	text   string
}

// narrState is what the narration needs besides the marks, kept as the
// run goes so that it never looks back through the trace, however long
// ago the last event worth a sentence was.
type narrState struct {
	// sig is the latest significant trace event: of those at the latest
	// instant that had any, the weightiest (the latest among equals).
	sig sim.TraceEvent
	// sigPrev is, when sig is a task step, the task the same loop ran a
	// step of before it, or -1.
	sigPrev int32
	has     bool
	// stepSig says the last event processed recorded a significant trace
	// event; evAt is when that event happened.
	stepSig bool
	evAt    sim.Time
	// atEvAt counts the events processed at instant evAt.
	atEvAt uint64
	// prev is, per thread that runs an event loop, the task of its last
	// step.
	prev map[int32]int32
	// log keeps the latest events worth a line in the events panel, the
	// newest at log[(logNext-1)%logSize]; logged counts them all.
	log     [logSize]logEntry
	logNext int
}

// logSize is how many events the events panel can list.
const logSize = 12

// logWeight is the least weight an event needs to be logged: handoffs,
// drop requests, lock waits and the like, not every change of state.
const logWeight = 3

// logEntry is one logged event, with what its sentence needs.
type logEntry struct {
	e    sim.TraceEvent
	prev int32
}

// logged returns the logged events, oldest first.
func (n *narrState) logged() []logEntry {
	k := min(n.logNext, logSize)
	out := make([]logEntry, 0, k)
	for i := n.logNext - k; i < n.logNext; i++ {
		out = append(out, n.log[i%logSize])
	}
	return out
}

func (n narrState) clone() narrState {
	n.prev = maps.Clone(n.prev)
	return n
}

// newNarrState is the narration's state before the first event.
func newNarrState() narrState { return narrState{sigPrev: -1, prev: map[int32]int32{}} }

// recording follows one simulation run and keeps what the views need
// besides a snapshot: each thread's and each asyncio task's state
// changes, each GIL's and each lock's holder, each queue's depth, the
// exceptions, the lesson points and what the narration needs. With
// checkpoints on, it can also go back. Its checkpoints and marks stay
// within its budget (checkpoints.go, coarsen.go).
type recording struct {
	cfg sim.Config
	// vals is the scenario the run simulates, to start it again.
	vals scenarios.Values
	sim  *sim.Sim
	// names are the threads' names as the player shows them: the
	// engine's, with the process first where two processes have threads
	// of the same name ("MainProcess/MainThread").
	names []string

	// traced counts the trace events absorbed so far. Marks, levels and
	// exceptions refer to trace events by that count.
	traced int64
	lanes  [][]mark[threadState] // per thread
	holds  []bool                // per thread: holds its interpreter's GIL
	gil    [][]mark[int32]       // per process: its GIL's holder, -1 when free
	owners [][]mark[int32]       // per lock: its owner, -1 when free
	tasks  [][]mark[taskState]   // per task
	depths [][]level             // per queue, then one per event loop (its ready queue)
	excs   []exception
	loopOf map[int32]int32
	// running counts the tasks whose last mark is taskRunning or
	// taskBlocking: while one runs, any event may end its step without a
	// trace event saying so.
	running int
	narr    narrState

	// watch finds the scenario's lessons as the run goes; points are the
	// lesson points found so far, in order.
	watch  scenarios.Watch
	points []scenarios.Point

	// asyncio is what the workload says about its tasks.
	asyncio taskPlan

	// checkpoints says the run keeps checkpoints, so that it can go back;
	// cps are they, by event, and cpBytes what they weigh. denseFrom is
	// the first event a checkpoint is taken at: 0, but during the replay
	// of a seek back, just behind where it lands.
	checkpoints bool
	cps         []checkpoint
	cpBytes     int64
	denseFrom   uint64
	aim         aim

	// budget bounds the checkpoints and the marks; markBytes is what the
	// marks weigh (their capacity), markLimit what makes them coarsen.
	// Marks before horizon may have been coarsened, to grain-long buckets
	// of time at most (grain 0: never).
	budget    budget
	markBytes int64
	markLimit int64
	horizon   sim.Time
	grain     sim.Time
}

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
	r := &recording{cfg: cfg, vals: v, sim: s,
		names:   threadNames(s),
		lanes:   make([][]mark[threadState], len(w.Threads)),
		holds:   make([]bool, len(w.Threads)),
		gil:     make([][]mark[int32], len(w.Procs)),
		owners:  make([][]mark[int32], len(w.Locks)),
		tasks:   make([][]mark[taskState], len(w.Tasks)),
		depths:  make([][]level, len(w.Queues)),
		loopOf:  map[int32]int32{},
		narr:    newNarrState(),
		watch:   v.Watch(),
		asyncio: planTasks(w),
		budget:  fullBudget,
	}
	r.checkpoints = checkpoints
	if checkpoints {
		r.budget = shownBudget
		r.takeCheckpoint()
	}
	r.markLimit = r.budget.marks
	return r, nil
}

// threadNames names every thread of s as the player shows it: where two
// processes have a thread of the same name (every process has a
// MainThread), the main process's threads get its name too; the
// children's already have theirs.
func threadNames(s *sim.Sim) []string {
	w := s.Workload()
	names := make([]string, len(w.Threads))
	count := map[string]int{}
	for i := range w.Threads {
		count[w.Threads[i].Name]++
	}
	for i := range w.Threads {
		names[i] = s.ThreadName(int32(i))
		if t := &w.Threads[i]; t.Proc == 0 && count[t.Name] > 1 && len(w.Procs) > 1 {
			names[i] = w.Procs[0].Name + "/" + t.Name
		}
	}
	return names
}

// name is thread id's name as the player shows it.
func (r *recording) name(id int32) string {
	if id < 0 || int(id) >= len(r.names) {
		return "?"
	}
	return r.names[id]
}

// stepOne steps the simulation, notes the tasks' states, absorbs the
// step's trace events and takes a checkpoint when one is due; it reports
// false once the run has ended.
func (r *recording) stepOne() bool {
	from := r.sim.TraceLen()
	before := r.sim.Now()
	ok := r.sim.Step()
	if len(r.tasks) > 0 {
		r.watchTasks(from)
	}
	if ok {
		if r.sim.Now() != before || r.sim.Events() == 1 {
			r.narr.atEvAt = 0
		}
		r.narr.atEvAt++
		r.narr.stepSig = false
		r.narr.evAt = r.sim.Now()
	}
	r.absorb()
	if e := r.sim.Events(); ok && r.checkpoints && e%checkpointEvery == 0 && e >= r.denseFrom && r.worthKeeping(e) {
		r.takeCheckpoint()
	}
	if r.markBytes > r.markLimit {
		r.compactMarks()
	}
	return ok
}

// advanceTo processes every event up to t and moves the clock to t. With
// a budget above zero it stops early, the clock at the last event, after
// that many events; it reports whether it got to t.
func (r *recording) advanceTo(t sim.Time, budget int) bool {
	return r.advance(t, budget, nil)
}

// advance is advanceTo that also stops, the clock at the event, right
// after an event for which stop reports true.
func (r *recording) advance(t sim.Time, budget int, stop func() bool) bool {
	if stop == nil || r.watch.Done() {
		// Where it stops can be foreseen: see worthKeeping.
		r.aim = aim{on: true, to: t, left: budget, paceFrom: r.sim.Now()}
		defer func() { r.aim.on = false }()
	}
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
			return false
		}
		r.aim.left = budget - n - 1
		r.stepOne()
		if stop != nil && stop() {
			return false
		}
	}
	s.AdvanceTo(t)
	return true
}

// seek moves the run to the instant just after event number e (or its
// end, if it has fewer). Backwards, it clones the nearest checkpoint and
// re-simulates from there, taking checkpoints just behind e on the way.
func (r *recording) seek(e uint64) {
	if e < r.sim.Events() || e == r.sim.Events() && r.sim.Now() != r.narr.evAt {
		if !r.checkpoints {
			return
		}
		r.restore(r.checkpointAt(e))
	}
	r.denseFrom = e - min(e, seekDense)
	for r.sim.Events() < e && r.stepOne() {
	}
	r.denseFrom = 0
}

// restore returns the run to checkpoint i, or to its start when i is -1,
// forgetting what came after.
func (r *recording) restore(i int) {
	if i < 0 {
		r.sim = r.fresh()
		r.truncate(0, 0)
		r.narr = newNarrState()
		r.watch, r.points = r.vals.Watch(), r.points[:0]
		return
	}
	cp := &r.cps[i]
	// The run shown is dropped: its memory takes the copy, so that going
	// back again and again allocates next to nothing.
	r.sim = cp.sim.CloneInto(r.sim)
	r.truncate(cp.traced, r.sim.Events())
	r.narr = cp.narr.clone()
	r.watch, r.points = cp.watch, r.points[:cp.points]
	r.restoreOverdue()
}

// fresh is the run at its start again, where no checkpoint is kept.
func (r *recording) fresh() *sim.Sim {
	s, err := r.vals.New(r.cfg)
	if err != nil {
		// The same values and configuration made a run before.
		panic("tui: a run that started once cannot start again: " + err.Error())
	}
	return s
}

// seekTime moves the run to virtual time t: every event up to t done,
// none after, and the clock at t. Backwards it needs checkpoints; it
// takes them again over the last events before where it was, as the
// place it goes back to is usually close.
func (r *recording) seekTime(t sim.Time) {
	if t < r.sim.Now() && r.checkpoints {
		r.denseFrom = r.sim.Events() - min(r.sim.Events(), seekDense)
		r.restore(r.checkpointBefore(t, true))
	}
	r.advanceTo(t, 0)
	r.denseFrom = 0
}

// seekInstant moves the run to time t with only the first k events of
// the instant t done (all of those before t): the position of a run that
// had processed k events at t. Backwards it needs checkpoints, and takes
// them again as seekTime does.
func (r *recording) seekInstant(t sim.Time, k uint64) {
	if r.checkpoints && (t < r.sim.Now() || t == r.sim.Now() && r.atInstant(t) > k) {
		r.denseFrom = r.sim.Events() - min(r.sim.Events(), seekDense)
		r.restore(r.checkpointBefore(t, false))
	}
	r.reach(position{at: t, k: k}, 0)
	r.denseFrom = 0
}

// reach brings the run forward to pos, doing at most budget events (0: no
// limit); it reports whether it got there (or to the end of the run).
func (r *recording) reach(pos position, budget int) bool {
	if pos.lesson == 0 {
		// Where it stops can be foreseen: see worthKeeping.
		r.aim = aim{on: true, to: pos.at, byEvent: pos.byEvent, event: pos.event, paceFrom: r.sim.Now()}
		defer func() { r.aim.on = false }()
	}
	more := func() bool {
		switch {
		case pos.lesson > 0:
			return len(r.points) < pos.lesson
		case pos.byEvent:
			return r.sim.Events() < pos.event
		}
		next, ok := r.sim.NextEventTime()
		switch {
		case !ok:
			return !r.sim.Done() // a step ends the run
		case next > pos.at:
			r.sim.AdvanceTo(pos.at) // no event left at or before pos.at
			return false
		}
		// The rest of the instant's events stay to be done once k are:
		// the clock is at pos.at already, or just before it when k is 0.
		return next < pos.at || r.atInstant(pos.at) < pos.k
	}
	for n := 0; more(); n++ {
		if budget > 0 && n == budget {
			return false
		}
		if !r.stepOne() {
			return true
		}
	}
	return true
}

// rewind takes the run back to the last checkpoint before pos when it is
// past pos, so that reach can bring it forward to pos.
func (r *recording) rewind(pos position) {
	if !r.checkpoints || r.sim.Events() == 0 {
		return
	}
	switch {
	case pos.byEvent:
		if r.sim.Events() > pos.event {
			r.restore(r.checkpointAt(pos.event))
		}
	case pos.lesson > 0:
		if len(r.points) >= pos.lesson {
			r.restore(r.checkpointAt(0))
		}
	case r.sim.Now() > pos.at || r.sim.Now() == pos.at && r.atInstant(pos.at) > pos.k:
		r.restore(r.checkpointBefore(pos.at, false))
	}
}

// atInstant is how many events the run has processed at instant t.
func (r *recording) atInstant(t sim.Time) uint64 {
	if r.sim.Events() > 0 && r.narr.evAt == t {
		return r.narr.atEvAt
	}
	return 0
}

// lastBefore returns the latest time before t at which the run had an
// event, and false when it had none (or keeps no checkpoints). It replays
// a copy of the checkpoint before t (or a new run), which the recording
// does not keep, and drops its trace as it goes.
func (r *recording) lastBefore(t sim.Time) (sim.Time, bool) {
	if !r.checkpoints {
		return 0, false
	}
	var s *sim.Sim
	if i := r.checkpointBefore(t, false); i >= 0 {
		s = r.cps[i].sim.Clone()
	} else {
		s = r.fresh()
	}
	at, ok := s.Now(), s.Events() > 0 && s.Now() < t
	for {
		next, pending := s.NextEventTime()
		if !pending || next >= t || !s.Step() {
			return at, ok
		}
		s.ClearTrace()
		at, ok = s.Now(), true
	}
}

// absorb takes the simulation's new trace events into the recording,
// reading them in place, and clears the trace.
func (r *recording) absorb() {
	evs := r.sim.Trace()
	if len(evs) == 0 {
		return
	}
	for i := range evs {
		r.note(r.traced, &evs[i])
		r.traced++
	}
	r.sim.ClearTrace()
}

// onEvent reports whether the clock stands at the last event processed,
// as after a step, rather than between events, as after playing.
func (r *recording) onEvent() bool {
	return r.sim.Events() > 0 && r.sim.Now() == r.narr.evAt
}

func (r *recording) note(i int64, e *sim.TraceEvent) {
	switch e.Kind {
	case sim.TraceState:
		st := threadState(e.State)
		if e.State == sim.StateRunning && r.cfg.Model.HasGIL() && !r.holds[e.Thread] {
			st = threadNative
		}
		r.setLane(e.Thread, e.At, i, st)
		if e.State == sim.StateDone && r.holds[e.Thread] {
			// A killed thread's GIL is freed without a release.
			r.holds[e.Thread] = false
			r.gil[e.Proc] = put(r, r.gil[e.Proc], mark[int32]{at: e.At, seq: i, state: -1})
		}
	case sim.TraceAcquire:
		r.holds[e.Thread] = true
		r.gil[e.Proc] = put(r, r.gil[e.Proc], mark[int32]{at: e.At, seq: i, state: e.Thread})
		if r.laneNow(e.Thread) == threadNative {
			r.setLane(e.Thread, e.At, i, threadState(sim.StateRunning))
		}
	case sim.TraceRelease:
		r.holds[e.Thread] = false
		r.gil[e.Proc] = put(r, r.gil[e.Proc], mark[int32]{at: e.At, seq: i, state: -1})
		if r.laneNow(e.Thread) == threadState(sim.StateRunning) {
			r.setLane(e.Thread, e.At, i, threadNative)
		}
	case sim.TraceLockAcquire:
		r.owners[e.Obj] = put(r, r.owners[e.Obj], mark[int32]{at: e.At, seq: i, state: e.Thread})
	case sim.TraceLockRelease:
		r.owners[e.Obj] = put(r, r.owners[e.Obj], mark[int32]{at: e.At, seq: i, state: -1})
	case sim.TracePut, sim.TraceGet:
		r.depths[e.Obj] = put(r, r.depths[e.Obj], level{at: e.At, idx: i, depth: int32(e.Value)})
	case sim.TraceReady:
		r.loopOf[e.Thread] = e.Obj
		r.readyLevel(e.Obj, i, e)
	case sim.TraceStep:
		if loop, ok := r.loopOf[e.Thread]; ok {
			r.readyLevel(loop, i, e)
		}
	case sim.TraceException:
		r.excs = append(r.excs, exception{seq: i, thread: e.Thread, text: e.Text})
	}
	r.follow(e)
	if p, ok := r.watch.Observe(r.sim, e); ok {
		r.points = append(r.points, p)
	}
}

// atPoints returns the lesson points the run stands on: found at the last
// event processed (one event may show several), with the clock still at
// that event; n is the number of the first among all found so far.
func (r *recording) atPoints() (points []scenarios.Point, n int) {
	if !r.onEvent() {
		return nil, 0
	}
	i := len(r.points)
	for i > 0 && r.points[i-1].Event == r.sim.Events() {
		i--
	}
	return r.points[i:], i + 1
}

// follow keeps the latest significant event up to date with e.
func (r *recording) follow(e *sim.TraceEvent) {
	n := &r.narr
	prev := int32(-1)
	if e.Kind == sim.TraceStep {
		if p, ok := n.prev[e.Thread]; ok {
			prev = p
		}
		n.prev[e.Thread] = e.Obj
	}
	w := weightOf(e)
	if w == 0 {
		return
	}
	n.stepSig = true
	if !n.has || e.At != n.sig.At || w >= weightOf(&n.sig) {
		n.sig, n.sigPrev, n.has = *e, prev, true
	}
	if w < logWeight {
		return
	}
	// One line per instant: its weightiest event.
	if last := &n.log[(n.logNext+logSize-1)%logSize]; n.logNext > 0 && last.e.At == e.At {
		if w >= weightOf(&last.e) {
			*last = logEntry{e: *e, prev: prev}
		}
		return
	}
	n.log[n.logNext%logSize] = logEntry{e: *e, prev: prev}
	n.logNext++
}

// laneNow is the state of thread id's lane after its last mark.
func (r *recording) laneNow(id int32) threadState {
	if l := r.lanes[id]; len(l) > 0 {
		return l[len(l)-1].state
	}
	return threadState(sim.StateNew)
}

// setLane marks thread id in state st from time at on.
func (r *recording) setLane(id int32, at sim.Time, seq int64, st threadState) {
	r.lanes[id] = put(r, r.lanes[id], mark[threadState]{at: at, seq: seq, state: st})
}

func (r *recording) readyLevel(loop int32, i int64, e *sim.TraceEvent) {
	q := len(r.sim.Workload().Queues) + int(loop)
	for len(r.depths) <= q {
		r.depths = append(r.depths, nil)
	}
	r.depths[q] = put(r, r.depths[q], level{at: e.At, idx: i, depth: int32(e.Value)})
}

// watchTasks notes the tasks whose state the last step changed. The trace
// says when a task starts a step or finishes, but not when a step ends in
// an await or a task becomes ready: so after any event the trace ties to
// a loop, and after every event while a task runs, the states are also
// read from a snapshot. A running task whose loop's thread is blocked in
// a call is marked as blocking the loop. from is the trace length before
// the step.
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
		st := taskState(snap.Tasks[k].State)
		if st == taskRunning {
			if th := r.asyncio.loop[k]; th >= 0 && snap.Threads[th].State.Blocked() {
				st = taskBlocking
			}
		}
		if r.setTask(k, st, snap.Now, seq) && r.tasks[k][len(r.tasks[k])-1].state == taskSleeping {
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
	if last.runs() {
		r.running--
	}
	if st.runs() {
		r.running++
	}
	r.tasks[k] = put(r, marks, mark[taskState]{at: at, seq: seq, state: st})
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
	return put(r, marks, mark[taskState]{at: m.at + d + sim.Time(r.cfg.OpJitter), seq: m.seq, state: taskOverdue})
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

// truncate forgets every trace-derived mark from trace position n on,
// and every task mark seen after event number events, and what was
// derived from them.
func (r *recording) truncate(n int64, events uint64) {
	r.traced = n
	for t, l := range r.lanes {
		r.lanes[t] = cut(l, n)
	}
	for p, l := range r.gil {
		r.gil[p] = cut(l, n)
	}

	for i, l := range r.owners {
		r.owners[i] = cut(l, n)
	}
	for q, l := range r.depths {
		k := len(l)
		for k > 0 && l[k-1].idx >= n {
			k--
		}
		r.depths[q] = l[:k]
	}
	k := len(r.excs)
	for k > 0 && r.excs[k-1].seq >= n {
		k--
	}
	r.excs = r.excs[:k]
	r.running = 0
	for t, l := range r.tasks {
		k := len(l)
		for k > 0 && l[k-1].seq > int64(events) {
			k--
		}
		r.tasks[t] = l[:k]
		if k > 0 && l[k-1].state.runs() {
			r.running++
		}
	}
	// Who holds each GIL is its last mark's: the marks follow every
	// acquire and release, as holds does.
	clear(r.holds)
	for _, l := range r.gil {
		if n := len(l); n > 0 && l[n-1].state >= 0 {
			r.holds[l[n-1].state] = true
		}
	}
}

// cut drops the marks recorded at trace position n or later.
func cut[S any](l []mark[S], n int64) []mark[S] {
	k := len(l)
	for k > 0 && l[k-1].seq >= n {
		k--
	}
	return l[:k]
}

// stateAt returns the state of a lane at time at, and the index of the
// first mark after it.
func stateAt[S any](marks []mark[S], at sim.Time) (S, int) {
	i := sort.Search(len(marks), func(i int) bool { return marks[i].at > at })
	if i == 0 {
		var zero S
		return zero, 0
	}
	return marks[i-1].state, i
}

// holderAt is the holder of a GIL or a lock at time at, -1 when free.
func holderAt(marks []mark[int32], at sim.Time) int32 {
	i := sort.Search(len(marks), func(i int) bool { return marks[i].at > at })
	if i == 0 {
		return -1
	}
	return marks[i-1].state
}

// depthAt is stateAt for a queue's depth.
func depthAt(levels []level, at sim.Time) (int32, int) {
	i := sort.Search(len(levels), func(i int) bool { return levels[i].at > at })
	if i == 0 {
		return 0, 0
	}
	return levels[i-1].depth, i
}
