package tui

import (
	"fmt"
	"sort"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// mark is a thread entering a state: the lane history is a list of them.
type mark struct {
	at    sim.Time
	idx   int32 // index of the trace event that recorded it
	state sim.State
}

// level is a queue reaching a depth.
type level struct {
	at    sim.Time
	idx   int32
	depth int32
}

// checkpoint is a copy of the run at a multiple of checkpointEvery
// events, taken when the recorded trace held traceLen events. It is only
// ever cloned, never stepped.
type checkpoint struct {
	sim      *sim.Sim
	traceLen int
}

// recording follows one simulation run and keeps what the views need
// besides a snapshot: the trace, each thread's state changes and each
// queue's depth changes. With checkpoints on, it can also go back.
type recording struct {
	cfg sim.Config
	sim *sim.Sim

	trace  []sim.TraceEvent
	lanes  [][]mark  // per thread
	depths [][]level // per queue, then one per event loop (its ready queue)
	loopOf map[int32]int32

	every uint64 // events between checkpoints; 0: none kept
	cps   []checkpoint
}

// checkpointEvery is how many events lie between checkpoints: stepping
// back costs one clone plus at most this many steps, and memory holds one
// clone per this many events.
const checkpointEvery = 256

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
		lanes:  make([][]mark, len(w.Threads)),
		depths: make([][]level, len(w.Queues)),
		loopOf: map[int32]int32{},
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

// stepOne steps the simulation and takes a checkpoint when one is due; it
// leaves the trace to absorb.
func (r *recording) stepOne() bool {
	if !r.sim.Step() {
		return false
	}
	if e := r.sim.Events(); r.every > 0 && e%r.every == 0 && e/r.every == uint64(len(r.cps)) {
		// Drain first, so that the clone starts with an empty trace and
		// a restore can append exactly what it re-simulates.
		r.absorb()
		r.cps = append(r.cps, checkpoint{sim: r.sim.Clone(), traceLen: len(r.trace)})
	}
	return true
}

// advanceTo processes every event up to t and moves the clock to t. With
// a budget above zero it stops early, the clock at the last event, after
// that many events.
func (r *recording) advanceTo(t sim.Time, budget int) {
	s := r.sim
	for n := 0; ; n++ {
		next, ok := s.NextEventTime()
		if !ok {
			if !s.Done() {
				s.Step() // nothing pending: the run ends here
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
	i := min(int(e/r.every), len(r.cps)-1)
	cp := r.cps[i]
	r.truncate(cp.traceLen)
	r.sim = cp.sim.Clone()
	for r.sim.Events() < e && r.sim.Step() {
	}
	r.absorb()
}

// absorb drains the simulation's new trace events into the recording.
func (r *recording) absorb() {
	from := len(r.trace)
	r.trace = r.sim.DrainTrace(r.trace)
	for i := from; i < len(r.trace); i++ {
		r.note(int32(i), &r.trace[i])
	}
}

func (r *recording) note(i int32, e *sim.TraceEvent) {
	switch e.Kind {
	case sim.TraceState:
		r.lanes[e.Thread] = append(r.lanes[e.Thread], mark{at: e.At, idx: i, state: e.State})
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

func (r *recording) readyLevel(loop, i int32, e *sim.TraceEvent) {
	q := len(r.sim.Workload().Queues) + int(loop)
	for len(r.depths) <= q {
		r.depths = append(r.depths, nil)
	}
	r.depths[q] = append(r.depths[q], level{at: e.At, idx: i, depth: int32(e.Value)})
}

// truncate forgets every trace event from index n on, and what was
// derived from them.
func (r *recording) truncate(n int) {
	r.trace = r.trace[:n]
	for t, l := range r.lanes {
		k := len(l)
		for k > 0 && int(l[k-1].idx) >= n {
			k--
		}
		r.lanes[t] = l[:k]
	}
	for q, l := range r.depths {
		k := len(l)
		for k > 0 && int(l[k-1].idx) >= n {
			k--
		}
		r.depths[q] = l[:k]
	}
}

// stateAt returns the state of thread t at time at, and the index of the
// first mark after it.
func stateAt(marks []mark, at sim.Time) (sim.State, int) {
	i := sort.Search(len(marks), func(i int) bool { return marks[i].at > at })
	if i == 0 {
		return sim.StateNew, 0
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
