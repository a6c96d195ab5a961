package tui

import (
	"slices"
	"sort"
	"unsafe"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// Checkpoints: copies of the run that going back starts from.
//
// A checkpoint is taken every checkpointEvery events while the run moves
// forward, and each is weighed when it is taken (footprint: the bytes its
// clone does not share with the run). When a run's checkpoints outweigh
// its budget, thin drops the one whose loss matters least: the one whose
// neighbours lie closest together measured against their distance from
// the position on screen. What is left is dense around the position
// (one every checkpointEvery events, so that a step back replays at most
// that many) and thins out with distance, roughly in proportion to it.
// Going back follows the same rule: a seek takes checkpoints again just
// behind where it lands, and the ones far away make room. Playing at
// speed, which would clone only for thinning to drop most clones at once,
// takes them only near where each tick will stop (worthKeeping).

// checkpoint is a copy of the run after events events, taken when traced
// trace events had been absorbed. It is only ever cloned, never stepped.
type checkpoint struct {
	sim    *sim.Sim
	events uint64
	traced int64
	narr   narrState
	// watch is the lesson watch as it was then, and points how many
	// lesson points had been found.
	watch  scenarios.Watch
	points int
	// bytes is what the checkpoint costs: its clone, less what the clone
	// shares with the run, and the narration's copy.
	bytes int64
}

// checkpointEvery is how many events lie between checkpoints near the
// position: a step back costs one clone plus at most this many steps.
const checkpointEvery = 256

// seekDense is how far behind the place a seek goes back to it takes
// checkpoints on the way: the steps back that follow it are then as cheap
// as near the end of the run. Farther behind it takes none, as cloning a
// large run costs more than simulating hundreds of events.
const seekDense = 2 * checkpointEvery

// aim is where advance or reach is taking the run, while it does: to
// time to, or with byEvent to event number event, or as far as its budget
// of events allows (left of them; 0 or less: no limit). paceFrom is when
// the run was at the last multiple of checkpointEvery.
type aim struct {
	on       bool
	to       sim.Time
	byEvent  bool
	event    uint64
	left     int
	paceFrom sim.Time
}

// Playing takes a checkpoint near where a tick will stop, within
// nearEnd×checkpointEvery events, and one every sparseEvery events on the
// way there.
const (
	nearEnd     = 4
	sparseEvery = 16 * checkpointEvery
)

// cheapCheckpoint is the weight below which a checkpoint costs less to
// take than the events between two (about 170 threads' worth): runs that
// small take one every checkpointEvery events even while playing.
const cheapCheckpoint = 64 << 10

// worthKeeping reports whether a checkpoint at event e (a multiple of
// checkpointEvery) may be kept. While advance or reach moves the run on to
// a place it can foresee, a checkpoint far before that place would be
// thinned away before anyone could step back to it, so only those near it
// are taken (by the events left, by its budget, or by the time left at the
// pace of the last checkpointEvery events), and a sparse few on the way,
// so that where it stops short of that place (the pace changes) a step
// back still replays at most sparseEvery events. Playing a large run at
// speed, or re-simulating it to where it was, so clones seldom instead of
// every checkpointEvery events. While the budget has room, or when a
// checkpoint is cheap, every one is worth keeping.
func (r *recording) worthKeeping(e uint64) bool {
	a := &r.aim
	if !a.on || r.room() || r.cps[len(r.cps)-1].bytes < cheapCheckpoint {
		return true
	}
	now := r.sim.Now()
	pace := now - a.paceFrom
	a.paceFrom = now
	near := a.left > 0 && a.left <= nearEnd*checkpointEvery
	if a.byEvent {
		near = near || a.event <= e+nearEnd*checkpointEvery
	} else {
		near = near || a.to-now <= nearEnd*pace
	}
	if near {
		return true
	}
	i := r.checkpointAt(e)
	return i < 0 || e-r.cps[i].events >= sparseEvery
}

// room reports whether the budget holds another checkpoint, as large as
// the last one taken, without thinning.
func (r *recording) room() bool {
	n := len(r.cps)
	return n == 0 || n < maxCheckpoints && r.cpBytes+r.cps[n-1].bytes <= r.budget.checkpoints
}

// maxCheckpoints bounds a run's checkpoints however small they are, so
// that thinning them stays cheap.
const maxCheckpoints = 1024

// budget is how much of its past one run may keep, in bytes: its
// checkpoints, and its marks (what its lanes, GIL rows, locks and queues
// draw).
type budget struct {
	checkpoints, marks int64
}

// The budgets. The run on screen gets shownBudget (in the compare view,
// each of the two gets half); a run kept to toggle back to gets an
// eighth of it, and a run to the end, made for the whole-run view and the
// summary, keeps marks only. At most keptRuns runs are kept and two runs
// to the end, so the player's history stays under about 131 MiB
// (72 + 3×9 + 2×16) besides the simulations themselves (some 390 bytes a
// thread each); a re-simulation in progress adds up to one shownBudget,
// shared by the runs it builds, until they replace the runs on screen.
var (
	shownBudget = budget{checkpoints: 48 << 20, marks: 24 << 20}
	fullBudget  = budget{marks: 16 << 20}
)

// keptShare is the part of shownBudget each kept run gets.
const keptShare = 8

func (b budget) div(n int64) budget {
	return budget{checkpoints: b.checkpoints / n, marks: b.marks / n}
}

// setBudget gives r budget b, thinning its checkpoints and coarsening its
// marks at once if they no longer fit.
func (r *recording) setBudget(b budget) {
	r.budget = b
	r.markLimit = b.marks
	r.thin()
	r.compactMarks()
}

// takeCheckpoint keeps a copy of the run as it is now, unless one is kept
// at this event already. The trace must be drained: the clone starts with
// an empty one, and a restore appends exactly what it re-simulates.
func (r *recording) takeCheckpoint() {
	e := r.sim.Events()
	i := r.checkpointAt(e)
	if i >= 0 && r.cps[i].events == e {
		return
	}
	cp := checkpoint{sim: r.sim.Clone(), events: e, traced: r.traced, narr: r.narr.clone(),
		watch: r.watch, points: len(r.points)}
	cp.bytes = footprint(cp.sim, r.sim) + footprint(&cp.narr, &r.narr) - int64(unsafe.Sizeof(cp.narr)) +
		int64(unsafe.Sizeof(cp))
	r.cps = slices.Insert(r.cps, i+1, cp)
	r.cpBytes += cp.bytes
	r.thin()
}

// checkpointAt is the index of the last checkpoint taken at or before
// event e, or -1 when there is none.
func (r *recording) checkpointAt(e uint64) int {
	if n := len(r.cps); n > 0 && r.cps[n-1].events <= e {
		return n - 1
	}
	return sort.Search(len(r.cps), func(i int) bool { return r.cps[i].events > e }) - 1
}

// checkpointBefore is the last checkpoint taken before time t (or at t,
// with orAt), or -1 when there is none.
func (r *recording) checkpointBefore(t sim.Time, orAt bool) int {
	return sort.Search(len(r.cps), func(i int) bool {
		at := r.cps[i].sim.Now()
		return at > t || at == t && !orAt
	}) - 1
}

// thin drops checkpoints, the least useful first, until they fit the
// budget; the last one left stays, whatever it weighs.
func (r *recording) thin() {
	for len(r.cps) > 1 && (r.cpBytes > r.budget.checkpoints || len(r.cps) > maxCheckpoints) {
		i := leastUseful(r.cps, r.sim.Events())
		r.cpBytes -= r.cps[i].bytes
		r.cps = slices.Delete(r.cps, i, i+1)
	}
}

// leastUseful is the checkpoint whose loss matters least to a run at
// event pos. A step back to an event from checkpoint i's on to the next
// one's replays from checkpoint i; without it, from the one before (or
// the start), so the gap there widens to the distance between its
// neighbours. A gap matters in proportion to its width and in inverse
// proportion to its distance from pos, where the steps back start; the
// checkpoint that pos itself would replay from goes last. Ties go to the
// earliest checkpoint.
func leastUseful(cps []checkpoint, pos uint64) int {
	best, bestCost, bestHolds := -1, 0.0, false
	for i := range cps {
		var lo uint64 // the start of the run, before the first
		if i > 0 {
			lo = cps[i-1].events
		}
		from, to := cps[i].events, cps[i].events+checkpointEvery
		if i+1 < len(cps) {
			to = cps[i+1].events
		}
		var dist uint64
		switch {
		case pos < from:
			dist = from - pos
		case pos >= to && i+1 < len(cps):
			dist = pos - to + 1
		}
		holds := dist == 0
		cost := float64(to-lo) / float64(max(dist, checkpointEvery))
		if best < 0 || !holds && bestHolds || holds == bestHolds && cost < bestCost {
			best, bestCost, bestHolds = i, cost, holds
		}
	}
	return best
}
