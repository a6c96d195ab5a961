package export

import (
	"fmt"
	"math/bits"

	"github.com/gilsim/gilsim/sim"
)

// The pictures (SVG and Text) divide the run into n equal buckets of time
// and give each bucket of each lane one value: the state a thread spent
// most of the bucket in, the thread that held a GIL longest, the most
// common reason of the handoffs in it. A lane is filled as the replay
// reports spans in time order and each bucket is settled as soon as the
// replay has passed it, so a lane costs a few bytes per bucket however long
// the run.

// grid maps the run's time onto n buckets: bucket k covers
// [bound(k), bound(k+1)).
type grid struct {
	n   int
	end sim.Time
}

// bound is the first instant of bucket k: ceil(k × end / n), computed in
// 128 bits so that long runs and wide pictures cannot overflow.
func (g grid) bound(k int) sim.Time {
	if k >= g.n {
		return g.end
	}
	hi, lo := bits.Mul64(uint64(g.end), uint64(k))
	q, r := bits.Div64(hi, lo, uint64(g.n))
	if r != 0 {
		q++
	}
	return sim.Time(q)
}

// index is the bucket that holds instant t.
func (g grid) index(t sim.Time) int {
	if t <= 0 {
		return 0
	}
	if t >= g.end {
		return g.n - 1
	}
	hi, lo := bits.Mul64(uint64(t), uint64(g.n))
	q, _ := bits.Div64(hi, lo, uint64(g.end))
	return min(int(q), g.n-1)
}

// statePriority breaks ties between states that filled a bucket equally:
// the ones that tell the GIL's story win.
var statePriority = [...]sim.State{
	sim.StateWaitGIL, sim.StateRunning, sim.StateRunnable, sim.StateWaitLock, sim.StateIO,
	sim.StateQueue, sim.StateSleep, sim.StateJoin, sim.StateStarting, sim.StateDone, sim.StateNew,
}

// stateLane is one thread's row: its dominant state in every bucket.
type stateLane struct {
	cells []sim.State
	cur   int
	acc   [sim.NumStates]sim.Time
	last  sim.State
	// total is the time spent in each state over the whole run.
	total [sim.NumStates]sim.Time
}

func newStateLane(n int) *stateLane { return &stateLane{cells: make([]sim.State, n)} }

func (l *stateLane) add(g grid, st sim.State, from, to sim.Time) {
	l.total[st] += to - from
	for from < to {
		for l.cur < g.n-1 && from >= g.bound(l.cur+1) {
			l.settle()
		}
		end := to
		if l.cur < g.n-1 {
			end = min(to, g.bound(l.cur+1))
		}
		l.acc[st] += end - from
		l.last = st
		from = end
	}
}

// settle fixes the current bucket and moves to the next.
func (l *stateLane) settle() {
	best, bestD := l.last, sim.Time(0)
	for _, st := range statePriority {
		if d := l.acc[st]; d > bestD {
			best, bestD = st, d
		}
	}
	l.cells[l.cur] = best
	l.acc = [sim.NumStates]sim.Time{}
	l.cur++
}

// finish settles every bucket left.
func (l *stateLane) finish() {
	for l.cur < len(l.cells) {
		l.settle()
	}
}

// holderLane is one GIL's row: the thread that held it longest in every
// bucket (-1: free for most of the bucket), and the handoffs.
type holderLane struct {
	cells []int32
	cur   int
	// acc is the time each holder held the GIL in the current bucket, in
	// the order they first held it. Under a GIL thousands of threads may
	// share a bucket of a long run: past a few holders, index finds each
	// one's entry.
	acc   []holderTime
	index map[int32]int
	// busy is how long the GIL was held over the whole run.
	busy  sim.Time
	marks markLane
}

type holderTime struct {
	thread int32
	d      sim.Time
}

func newHolderLane(n int) *holderLane {
	return &holderLane{cells: make([]int32, n), marks: markLane{cells: make([]sim.Reason, n)}}
}

func (l *holderLane) add(g grid, th int32, from, to sim.Time) {
	l.busy += to - from
	for from < to {
		for l.cur < g.n-1 && from >= g.bound(l.cur+1) {
			l.settle(g)
		}
		end := to
		if l.cur < g.n-1 {
			end = min(to, g.bound(l.cur+1))
		}
		l.credit(th, end-from)
		from = end
	}
}

// fewHolders is how many holders a bucket has before credit indexes them.
const fewHolders = 8

func (l *holderLane) credit(th int32, d sim.Time) {
	if len(l.acc) <= fewHolders {
		for i := range l.acc {
			if l.acc[i].thread == th {
				l.acc[i].d += d
				return
			}
		}
		l.acc = append(l.acc, holderTime{th, d})
		if len(l.acc) > fewHolders {
			if l.index == nil {
				l.index = map[int32]int{}
			}
			for i, h := range l.acc {
				l.index[h.thread] = i
			}
		}
		return
	}
	if i, ok := l.index[th]; ok {
		l.acc[i].d += d
		return
	}
	l.index[th] = len(l.acc)
	l.acc = append(l.acc, holderTime{th, d})
}

func (l *holderLane) settle(g grid) {
	best, bestD, held := int32(-1), sim.Time(0), sim.Time(0)
	for _, h := range l.acc {
		held += h.d
		if h.d > bestD {
			best, bestD = h.thread, h.d
		}
	}
	// A GIL held for less than half the bucket counts as free, even when
	// the holders' time is split so finely that no one of them beats the
	// free time (the old GIL's check intervals).
	if span := g.bound(l.cur+1) - g.bound(l.cur); 2*held < span {
		best = -1
	}
	l.cells[l.cur] = best
	if len(l.acc) > fewHolders {
		clear(l.index)
	}
	l.acc = l.acc[:0]
	l.cur++
}

func (l *holderLane) finish(g grid) {
	for l.cur < len(l.cells) {
		l.settle(g)
	}
	l.marks.finish()
}

// markLane records the GIL handoffs: in every bucket, the most common
// reason of the handoffs in it, or ReasonNone.
type markLane struct {
	cells  []sim.Reason
	cur    int
	counts [sim.NumReasons]int
}

func (m *markLane) mark(g grid, at sim.Time, r sim.Reason) {
	if k := g.index(at); k > m.cur {
		m.settle()
		m.cur = k
	}
	m.counts[r]++
}

func (m *markLane) settle() {
	best, n := sim.ReasonNone, 0
	for r, c := range m.counts {
		if c > n {
			best, n = sim.Reason(r), c
		}
	}
	if m.cur < len(m.cells) {
		m.cells[m.cur] = best
	}
	m.counts = [sim.NumReasons]int{}
}

func (m *markLane) finish() { m.settle() }

// timeline is the visitor behind both pictures: it fills a state lane for
// each drawn thread and a holder lane for each drawn GIL.
type timeline struct {
	g       grid
	threads []*stateLane  // nil for a thread that is not drawn
	gils    []*holderLane // nil for a process whose GIL is not drawn
}

// lanePick says which lanes a picture draws: a thread's state lane, a
// process's heading and GIL lane. A lane not drawn costs no memory.
type lanePick struct {
	threads []bool // per thread
	procs   []bool // per process
}

// pickAll draws every lane.
func pickAll(w *sim.Workload) lanePick {
	p := lanePick{threads: make([]bool, len(w.Threads)), procs: make([]bool, len(w.Procs))}
	for i := range p.threads {
		p.threads[i] = true
	}
	for i := range p.procs {
		p.procs[i] = true
	}
	return p
}

// members lists each process's threads, in the workload's order, and
// gives each thread its place in its process: 0 for the main thread, then
// 1, 2, ... in the order they were created. Both pictures need them for
// every process, so they are found in one pass rather than one a process.
func members(w *sim.Workload) (byProc [][]int32, local []int) {
	byProc = make([][]int32, len(w.Procs))
	local = make([]int, len(w.Threads))
	for i, t := range w.Threads {
		local[i] = len(byProc[t.Proc])
		byProc[t.Proc] = append(byProc[t.Proc], int32(i))
	}
	return byProc, local
}

// newTimeline prepares lanes of n buckets for the lanes pick selects.
func newTimeline(s *sim.Sim, end sim.Time, n int, pick lanePick) *timeline {
	w := s.Workload()
	t := &timeline{g: grid{n: n, end: max(end, 1)}, threads: make([]*stateLane, len(w.Threads)),
		gils: make([]*holderLane, len(w.Procs))}
	for i := range w.Threads {
		if pick.threads[i] {
			t.threads[i] = newStateLane(n)
		}
	}
	for p := range w.Procs {
		if pick.procs[p] {
			t.gils[p] = newHolderLane(n)
		}
	}
	return t
}

func (t *timeline) span(th int32, st sim.State, _ int32, from, to sim.Time) {
	if l := t.threads[th]; l != nil {
		l.add(t.g, st, from, to)
	}
}

func (t *timeline) hold(p int32, h holding, to sim.Time) {
	if l := t.gils[p]; l != nil {
		l.add(t.g, h.thread, h.since, to)
	}
}

func (t *timeline) event(e *sim.TraceEvent) {
	if l := t.gils[e.Proc]; l != nil && e.Kind == sim.TraceAcquire && e.Peer >= 0 {
		l.marks.mark(t.g, e.At, e.Reason)
	}
}

func (t *timeline) failed() error { return nil }

func (t *timeline) finish() {
	for _, l := range t.threads {
		if l != nil {
			l.finish()
		}
	}
	for _, l := range t.gils {
		if l != nil {
			l.finish(t.g)
		}
	}
}

// draw runs the second pass of a picture: a fresh simulation of src,
// replayed into a timeline of n buckets over the first pass's length,
// with the lanes pick selects.
func draw(src Source, opt Options, first *sim.Sim, n int, pick lanePick) (*sim.Sim, *timeline, error) {
	s, err := open(src, opt)
	if err != nil {
		return nil, nil, err
	}
	tl := newTimeline(s, first.Now(), n, pick)
	if err := newReplay(s, tl, opt).run(); err != nil {
		return nil, nil, err
	}
	if s.Now() != first.Now() || s.Events() != first.Events() {
		return nil, nil, fmt.Errorf("export: %w", ErrNotDeterministic)
	}
	tl.finish()
	return s, tl, nil
}
