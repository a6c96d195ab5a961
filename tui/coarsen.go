package tui

import (
	"sort"
	"unsafe"

	"github.com/gilsim/gilsim/sim"
)

// Coarsening: how a run's marks stay within its budget.
//
// Marks are what the lanes, the GIL rows, the locks and the queues draw:
// one per change of state, so a long run has millions. When they outweigh
// the budget, compactMarks keeps the newest of them as they are (a quarter
// of the budget's worth), from a horizon on, and coarsens everything
// before the horizon to a grain: of
// the marks in each grain-long bucket of time, one remains, saying what
// the lane did for most of the bucket (for a queue, its deepest level and
// its last). The grain is a power of two nanoseconds, as fine as the
// budget allows, and never gets finer: the older past is drawn in blocks
// a grain wide, as a zoomed-out timeline would draw it anyway. A few marks
// stay exact: the last before the horizon, which says what the lane does
// from there on, and the last before each checkpoint older than it, so
// that going back to a checkpoint finds every lane, GIL and lock exactly
// as it was there.

// markSize is the size of a mark, a level's too.
const markSize = int64(unsafe.Sizeof(mark[int32]{}))

// put appends e to l, counting the capacity the append adds.
func put[E any](r *recording, l []E, e E) []E {
	c := cap(l)
	l = append(l, e)
	if cap(l) != c {
		r.markBytes += int64(cap(l)-c) * int64(unsafe.Sizeof(e))
	}
	return l
}

// compactMarks coarsens the marks before a horizon until they fit the
// budget again: it keeps the newest quarter of the budget's worth exact
// and coarsens the older ones into an eighth, leaving each lane room to
// grow, so that compacting again is thousands of marks away. Should the
// marks that coarsening keeps exact (a few per lane) not fit in that,
// as with a tiny budget and thousands of lanes, it compacts anyway at the
// coarsest grain and waits for another half budget of marks.
func (r *recording) compactMarks() {
	if r.markBytes <= r.markLimit || r.budget.marks <= 0 {
		return
	}
	keep := r.budget.marks / markSize / 4
	room := r.budget.marks / markSize / 8
	t := r.markHorizon(keep)
	pins := r.pins(t)
	g := max(r.grain, 1)
	for 2*g <= t && r.coarseCount(t, g, len(pins)) > room {
		g *= 2
	}
	if t = t / g * g; t > 0 {
		r.horizon, r.grain = max(r.horizon, t), g
	}
	r.coarsenAll(t, g, pins)
	r.markLimit = max(r.budget.marks, r.markBytes+r.budget.marks/2)
}

// markHorizon is the earliest time from which on the run has at most keep
// marks.
func (r *recording) markHorizon(keep int64) sim.Time {
	lo, hi := sim.Time(0), r.sim.Now()
	for lo < hi {
		mid := lo + (hi-lo)/2
		if r.marksFrom(mid) <= keep {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// marksFrom counts the marks at time t or later.
func (r *recording) marksFrom(t sim.Time) int64 {
	return countFrom(r.lanes, t) + countFrom(r.gil, t) + countFrom(r.owners, t) + countFrom(r.tasks, t) +
		levelsFrom(r.depths, t)
}

func countFrom[S any](ls [][]mark[S], t sim.Time) int64 {
	var n int64
	for _, l := range ls {
		n += int64(len(l) - sort.Search(len(l), func(i int) bool { return l[i].at >= t }))
	}
	return n
}

func levelsFrom(ls [][]level, t sim.Time) int64 {
	var n int64
	for _, l := range ls {
		n += int64(len(l) - sort.Search(len(l), func(i int) bool { return l[i].at >= t }))
	}
	return n
}

// coarseCount bounds the marks left before t at grain g: a lane keeps at
// most one per bucket it had any in, and its pinned ones.
func (r *recording) coarseCount(t, g sim.Time, pins int) int64 {
	buckets := int64(t/g) + 1
	var n int64
	count := func(before int) {
		n += min(int64(before), buckets) + int64(min(before, pins+1))
	}
	eachBefore(r.lanes, t, count)
	eachBefore(r.gil, t, count)
	eachBefore(r.owners, t, count)
	eachBefore(r.tasks, t, count)
	for _, l := range r.depths {
		k := sort.Search(len(l), func(i int) bool { return l[i].at >= t })
		n += min(int64(k), 2*buckets)
	}
	return n
}

func eachBefore[S any](ls [][]mark[S], t sim.Time, f func(int)) {
	for _, l := range ls {
		f(sort.Search(len(l), func(i int) bool { return l[i].at >= t }))
	}
}

// pin is a position in the run that coarsening keeps exact: a checkpoint
// before the horizon. trace is its count of trace events, events its
// count of events (task marks are placed by events).
type pin struct {
	trace  int64
	events uint64
}

// pins are the checkpoints taken before time t.
func (r *recording) pins(t sim.Time) []pin {
	var ps []pin
	for i := range r.cps {
		if r.cps[i].sim.Now() < t {
			ps = append(ps, pin{trace: r.cps[i].traced, events: r.cps[i].events})
		}
	}
	return ps
}

// coarsenAll coarsens every lane's, GIL's, lock's, task's and queue's
// marks before t to grain g, and recounts what they weigh.
func (r *recording) coarsenAll(t, g sim.Time, pins []pin) {
	trace := make([]int64, len(pins))
	events := make([]int64, len(pins))
	for i, p := range pins {
		// A thread's, GIL's or lock's mark is before a checkpoint when
		// its trace position is below the checkpoint's count; a task's
		// when its events count is at most the checkpoint's.
		trace[i], events[i] = p.trace, int64(p.events)+1
	}
	r.markBytes = 0
	for i, l := range r.lanes {
		r.lanes[i] = coarsen(l, t, g, trace)
		r.markBytes += int64(cap(r.lanes[i])) * markSize
	}
	for i, l := range r.gil {
		r.gil[i] = coarsen(l, t, g, trace)
		r.markBytes += int64(cap(r.gil[i])) * markSize
	}
	for i, l := range r.owners {
		r.owners[i] = coarsen(l, t, g, trace)
		r.markBytes += int64(cap(r.owners[i])) * markSize
	}
	for i, l := range r.tasks {
		r.tasks[i] = coarsen(l, t, g, events)
		r.markBytes += int64(cap(r.tasks[i])) * markSize
	}
	for i, l := range r.depths {
		r.depths[i] = coarsenLevels(l, t, g)
		r.markBytes += int64(cap(r.depths[i])) * markSize
	}
}

// coarsen returns l with its marks before t (a multiple of g) coarsened:
// in each g-long bucket that holds any, one mark at the first one's time
// and position, in the state held for most of the bucket, unless the lane
// is in that state already. Kept as they are, after it: the marks that
// say what the lane does from t on (the last before t, with any at its
// position) and from each position in before on (the last below it).
// The result has room for nothing more, so that it weighs what it holds.
func coarsen[S comparable](l []mark[S], t, g sim.Time, before []int64) []mark[S] {
	k := sort.Search(len(l), func(i int) bool { return l[i].at >= t })
	if k == 0 {
		return trimmed(l)
	}
	keep := pinned(l[:k], before)
	out := make([]mark[S], 0, len(l)-k+8)
	var acc tally[S]
	started := false
	var state S
	for i := 0; i < k; {
		first := i
		start := l[i].at / g * g
		end := start + g
		acc.reset()
		cur := start
		for ; i < k && l[i].at < end; i++ {
			if started {
				acc.add(state, l[i].at-cur)
			}
			cur, state, started = l[i].at, l[i].state, true
		}
		acc.add(state, end-cur)
		// A kept mark first in the bucket says what the lane did there.
		if most := acc.most(); !keep[first] && (len(out) == 0 || out[len(out)-1].state != most) {
			out = append(out, mark[S]{at: l[first].at, seq: l[first].seq, state: most})
		}
		for j := first; j < i; j++ {
			if keep[j] && (len(out) == 0 || out[len(out)-1] != l[j]) {
				out = append(out, l[j])
			}
		}
	}
	return trimmed(append(out, l[k:]...))
}

// trimmed returns l with room for a quarter more, so that a lane grows
// for a while before its slice is copied and made larger.
func trimmed[E any](l []E) []E {
	if len(l) == 0 {
		return nil
	}
	if c := len(l) + len(l)/4 + 4; cap(l) > c {
		return append(make([]E, 0, c), l...)
	}
	return l
}

// pinned marks, among l, the last one below each position in before and
// the last one of all, with any others at the same position.
func pinned[S any](l []mark[S], before []int64) []bool {
	keep := make([]bool, len(l))
	mark := func(j int) {
		for i := j; i >= 0 && l[i].seq == l[j].seq; i-- {
			keep[i] = true
		}
	}
	mark(len(l) - 1)
	for _, p := range before {
		if j := sort.Search(len(l), func(i int) bool { return l[i].seq >= p }) - 1; j >= 0 {
			mark(j)
		}
	}
	return keep
}

// tally adds up how long a lane spent in each state within a bucket.
// Few states (a thread's) are looked up in a list, many (a GIL's holders
// among a thousand threads) in a map.
type tally[S comparable] struct {
	states []S
	times  []sim.Time
	index  map[S]int
	mapped bool
}

func (a *tally[S]) reset() {
	a.states, a.times, a.mapped = a.states[:0], a.times[:0], false
}

func (a *tally[S]) add(s S, d sim.Time) {
	if a.mapped {
		if i, ok := a.index[s]; ok {
			a.times[i] += d
			return
		}
		a.index[s] = len(a.states)
	} else {
		for i := range a.states {
			if a.states[i] == s {
				a.times[i] += d
				return
			}
		}
	}
	a.states, a.times = append(a.states, s), append(a.times, d)
	if !a.mapped && len(a.states) > 16 {
		if a.index == nil {
			a.index = map[S]int{}
		}
		clear(a.index)
		for i, st := range a.states {
			a.index[st] = i
		}
		a.mapped = true
	}
}

// most is the state held longest, the first of those held as long.
func (a *tally[S]) most() S {
	best := 0
	for i := range a.times {
		if a.times[i] > a.times[best] {
			best = i
		}
	}
	return a.states[best]
}

// coarsenLevels is coarsen for a queue's levels: in each bucket, its
// deepest level at the first one's time and position, then its last
// level at its own when that differs, so that a sparkline still shows the
// peaks and the depth the queue goes on at.
func coarsenLevels(l []level, t, g sim.Time) []level {
	k := sort.Search(len(l), func(i int) bool { return l[i].at >= t })
	if k == 0 {
		return trimmed(l)
	}
	out := make([]level, 0, len(l)-k+8)
	for i := 0; i < k; {
		first := i
		end := l[i].at/g*g + g
		deepest := l[i].depth
		for ; i < k && l[i].at < end; i++ {
			deepest = max(deepest, l[i].depth)
		}
		last := l[i-1]
		out = append(out, level{at: l[first].at, idx: l[first].idx, depth: deepest})
		if last.depth != deepest {
			out = append(out, last)
		}
	}
	return trimmed(append(out, l[k:]...))
}
