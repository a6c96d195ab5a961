package sim

import "math"

// The py3 GIL's timed waits, played only when they matter.
//
// A waiter's timed wait expires one period (the switch interval plus
// TimedWaitLatency) after it began, and one that changes nothing is armed
// again for as long: a waiter that began at a expires at a+P, a+2P, ...
// until it is signalled. An expiry does something in two cases only. With
// the GIL free, the waiter wakes and goes for it. With the GIL held and no
// drop request pending, it sets the drop request if no handoff happened
// during that wait, that is since it was armed. Every other expiry only
// arms the wait again, and is not played: at any moment only the next
// expiry that will do something is in the event heap, one per GIL, and it
// is found again whenever what decides it changes (the GIL taken or let
// go, a drop request, a waiter beginning or ending its wait).
//
// Finding it does not look at every waiter. Expiries at one instant come
// before every other event of the instant, in the order their waits began
// (evLess), so they can be placed without playing them:
//   - The expiry cursor (Sim.tcT, tcK) is the last expiry passed, played
//     or not: a played one, or, at any other event, every one up to its
//     instant.
//   - A waiter whose first expiry has not passed is fresh: fresh waiters
//     queue on their GIL in the order they began, which is the order of
//     their first expiries. A switch happened after a fresh waiter began
//     exactly if it queued before the switch (gilState.swAbs), so the
//     first fresh waiter queued after it is the first whose first expiry
//     counts, and the first queued before it is the first whose second
//     expiry counts.
//   - Once its first expiry has passed, a waiter moves to the ring: an
//     ordered set (a treap of ringNodes) keyed by its
//     phase, the instant within the period at which it expires, and its
//     key. Its next expiry after any point is the ring's successor of that
//     point's phase, and it counts if it was armed after the last switch,
//     so the first that counts is the successor of the switch's cursor
//     plus one period.
// So finding the next expiry that counts is O(log N) in the waiters, and
// a waiter's wait costs O(log N) to begin and to end.
//
// FlatTimeouts (tests only) plays every expiry instead, each waiter's in
// the event heap; the tests compare the two.

// Where a thread's timed wait is kept (thread.tin).
const (
	tinNone  uint8 = iota
	tinFresh       // queued in gilState.fresh: its first expiry is to come
	tinRing        // in gilState.ring: its first expiry has passed
)

// freshEntry is a waiter in its GIL's fresh queue: the thread, the key of
// its wait (which tells a live entry from one whose wait has since ended)
// and its first expiry.
type freshEntry struct {
	id  int32
	key uint64
	f   Time
}

// beginTimedWait starts t's timed wait on its GIL, as t began to wait now.
func (s *Sim) beginTimedWait(t *thread) {
	g := s.gilOf(t)
	s.unschedule(t)
	t.ev = evTimeout
	t.tf = s.now + s.timedWait()
	t.tin = tinFresh
	g.fresh = append(g.fresh, freshEntry{id: t.id, key: t.key, f: t.tf})
	if g.dirty {
		return
	}
	// Nothing else changed: the new wait began after the last switch, and
	// its first expiry counts unless a drop request is pending. It is the
	// next only if it comes before the one in the heap.
	if !g.locked {
		s.timedDirty(g)
		return
	}
	if g.dropRequest {
		return
	}
	if g.cand < 0 {
		s.timedDirty(g)
		return
	}
	if c := &s.threads[g.cand]; before(t.tf, t.key, c.at, c.key) {
		s.timedDirty(g)
	}
}

// endTimedWait ends t's timed wait before it expired to some purpose (t
// signalled, woken by an expiry with the GIL free, or gone): t leaves the
// heap if its wait was its GIL's next, and the queue or the ring.
func (s *Sim) endTimedWait(t *thread) {
	g := s.gilOf(t)
	if t.tin == tinRing {
		g.ring = s.ringDelete(g.ring, t)
	}
	// A fresh entry is stale from now on, and skipped.
	t.tin = tinNone
	if g.cand == t.id {
		// Only when its wait was the next must another be found: ending
		// any other leaves the next as it was.
		s.heapRemove(t)
		g.cand = -1
		s.timedDirty(g)
	}
}

// expired is the start of a played expiry: t's wait stays armed (to be
// found again if it changes nothing), and its entry in the heap stays for
// placeTimeout to move or replace at the end of the step; a new sequence
// number tells Step the event was replaced.
func (s *Sim) expired(t *thread) {
	s.seq++
	t.seq = s.seq
	s.timedDirty(s.gilOf(t))
}

// passTimeouts moves the expiry cursor to the event about to be played.
func (s *Sim) passTimeouts(t *thread) {
	if t.ev == evTimeout {
		s.tcT, s.tcK = t.at, t.key
	} else {
		s.tcT, s.tcK = t.at, math.MaxUint64
	}
}

// noteSwitch marks a handoff on g: every fresh waiter now began before it,
// and only expiries armed after the cursor count.
func (s *Sim) noteSwitch(g *gilState) {
	if s.flatTimeouts {
		return
	}
	g.swAbs = g.fbase + len(g.fresh)
	g.swT, g.swK = s.tcT, s.tcK
}

// timedDirty asks for g's next expiry that counts to be found again at
// the end of the step.
func (s *Sim) timedDirty(g *gilState) {
	if s.flatTimeouts || g.dirty {
		return
	}
	g.dirty = true
	s.dirtyGILs = append(s.dirtyGILs, g.proc)
}

// gilChanged is told that g was taken or let go or its drop request
// changed: if it has timed waits, their next that counts is found again.
func (s *Sim) gilChanged(g *gilState) {
	if g.cand >= 0 || len(g.fresh) > g.fhead || g.ring >= 0 {
		s.timedDirty(g)
	}
}

// settleTimeouts puts the next expiry that counts of every GIL that
// changed in the event heap.
func (s *Sim) settleTimeouts() {
	for _, p := range s.dirtyGILs {
		g := &s.procs[p].gil
		g.dirty = false
		s.placeTimeout(g)
	}
	s.dirtyGILs = s.dirtyGILs[:0]
}

// placeTimeout finds g's next expiry that counts and puts it in the heap.
func (s *Sim) placeTimeout(g *gilState) {
	id, at := s.nextTimeout(g)
	if id < 0 {
		if g.cand >= 0 {
			s.heapRemove(&s.threads[g.cand])
			g.cand = -1
		}
		return
	}
	t := &s.threads[id]
	if g.cand == id && t.at == at {
		return
	}
	if g.cand >= 0 && g.cand != id {
		// The new next takes the old one's place in the heap.
		old := &s.threads[g.cand]
		t.hpos, old.hpos = old.hpos, -1
		s.heap[t.hpos] = id
	}
	s.seq++
	t.at, t.seq = at, s.seq
	if t.hpos >= 0 {
		s.heapUp(int(t.hpos))
		s.heapDown(int(t.hpos))
	} else {
		t.hpos = int32(len(s.heap))
		s.heap = append(s.heap, t.id)
		s.heapUp(int(t.hpos))
	}
	g.cand = id
}

// before reports whether expiry (at, k) comes before (bt, bk).
func before(at Time, k uint64, bt Time, bk uint64) bool {
	return at < bt || at == bt && k < bk
}

// nextTimeout returns the waiter on g whose next expiry that counts comes
// first, and when, or -1.
func (s *Sim) nextTimeout(g *gilState) (int32, Time) {
	s.passFresh(g)
	p := s.timedWait()
	lt, lk := s.tcT, s.tcK
	held := g.locked
	if held {
		if g.dropRequest {
			return -1, 0
		}
		if st := g.swT + p; before(lt, lk, st, g.swK) {
			lt, lk = st, g.swK
		}
	}
	best, bt, bk := int32(-1), Time(0), uint64(0)
	offer := func(id int32, at Time) {
		if k := s.threads[id].key; best < 0 || before(at, k, bt, bk) {
			best, bt, bk = id, at, k
		}
	}
	if g.ring >= 0 {
		ph := lt % p
		n, wrap := s.ringAfter(g.ring, ph, lk), false
		if n < 0 {
			n, wrap = s.ringFirst(g.ring), true
		}
		at := lt - ph + s.rnodes[n].ph
		if wrap {
			at += p
		}
		offer(n, at)
	}
	if !held {
		if i := s.liveFresh(g, g.fhead); i >= 0 {
			offer(g.fresh[i].id, g.fresh[i].f)
		}
		return best, bt
	}
	// The first fresh waiter that began before the switch counts from its
	// second expiry; the first that began after it, from its first.
	if i := s.liveFresh(g, g.fhead); i >= 0 && g.fbase+i < g.swAbs {
		offer(g.fresh[i].id, g.fresh[i].f+p)
	}
	from := max(g.swAbs-g.fbase, g.fhead)
	if i := s.liveFresh(g, from); i >= 0 {
		if g.fbase+i > g.swAbs {
			// Entries skipped as stale stay skipped.
			g.swAbs = g.fbase + i
		}
		offer(g.fresh[i].id, g.fresh[i].f)
	}
	return best, bt
}

// liveFresh returns the index of the first live entry of g's fresh queue
// from i on, or -1.
func (s *Sim) liveFresh(g *gilState, i int) int {
	for ; i < len(g.fresh); i++ {
		e := g.fresh[i]
		if t := &s.threads[e.id]; t.tin == tinFresh && t.key == e.key {
			return i
		}
	}
	return -1
}

// passFresh moves the fresh waiters whose first expiry has passed to the
// ring, and drops stale entries from the head of the queue.
func (s *Sim) passFresh(g *gilState) {
	for g.fhead < len(g.fresh) {
		e := g.fresh[g.fhead]
		t := &s.threads[e.id]
		if t.tin == tinFresh && t.key == e.key {
			if !before(e.f, e.key, s.tcT, s.tcK) && !(e.f == s.tcT && e.key == s.tcK) {
				break
			}
			t.tin = tinRing
			g.ring = s.ringInsert(g.ring, t)
		}
		g.fhead++
	}
	switch {
	case g.fhead == len(g.fresh):
		g.fbase += g.fhead
		g.fresh, g.fhead = g.fresh[:0], 0
	case g.fhead >= 64 && 2*g.fhead >= len(g.fresh):
		n := copy(g.fresh, g.fresh[g.fhead:])
		g.fbase += g.fhead
		g.fresh, g.fhead = g.fresh[:n], 0
	}
}

// The ring: a treap ordered by (phase, key), the phase being a waiter's
// first expiry modulo the period. Its nodes are kept apart from the
// threads, indexed by thread id, small enough for a search to touch few
// cache lines. Priorities are a hash of the key, so the shape, like
// everything else, is the same every run.
type ringNode struct {
	l, r int32
	prio uint32
	ph   Time
	key  uint64
}

func (a *ringNode) less(b *ringNode) bool {
	return a.ph < b.ph || a.ph == b.ph && a.key < b.key
}

func treapPrio(key uint64) uint32 {
	key += 0x9e3779b97f4a7c15
	key = (key ^ key>>30) * 0xbf58476d1ce4e5b9
	key = (key ^ key>>27) * 0x94d049bb133111eb
	return uint32(key ^ key>>31)
}

// ringSplit splits the treap at root into the nodes before n and the rest.
func (s *Sim) ringSplit(root int32, n *ringNode) (int32, int32) {
	if root < 0 {
		return -1, -1
	}
	r := &s.rnodes[root]
	if r.less(n) {
		a, b := s.ringSplit(r.r, n)
		r.r = a
		return root, b
	}
	a, b := s.ringSplit(r.l, n)
	r.l = b
	return a, root
}

// ringMerge joins two treaps, every node of a before every node of b.
func (s *Sim) ringMerge(a, b int32) int32 {
	if a < 0 {
		return b
	}
	if b < 0 {
		return a
	}
	na, nb := &s.rnodes[a], &s.rnodes[b]
	if na.prio > nb.prio {
		na.r = s.ringMerge(na.r, b)
		return a
	}
	nb.l = s.ringMerge(a, nb.l)
	return b
}

// ringInsert adds t, whose first expiry has passed, to the ring at root.
func (s *Sim) ringInsert(root int32, t *thread) int32 {
	n := &s.rnodes[t.id]
	*n = ringNode{l: -1, r: -1, prio: treapPrio(t.key), ph: t.tf % s.timedWait(), key: t.key}
	if root < 0 {
		return t.id
	}
	// Descend while the nodes outrank it, then split there.
	link := &root
	for *link >= 0 && s.rnodes[*link].prio > n.prio {
		c := &s.rnodes[*link]
		if n.less(c) {
			link = &c.l
		} else {
			link = &c.r
		}
	}
	n.l, n.r = s.ringSplit(*link, n)
	*link = t.id
	return root
}

// ringDelete takes t out of the ring at root.
func (s *Sim) ringDelete(root int32, t *thread) int32 {
	n := &s.rnodes[t.id]
	link := &root
	for *link != t.id {
		if *link < 0 {
			panic("sim: a timed wait missing from its ring")
		}
		c := &s.rnodes[*link]
		if n.less(c) {
			link = &c.l
		} else {
			link = &c.r
		}
	}
	*link = s.ringMerge(n.l, n.r)
	n.l, n.r = -1, -1
	return root
}

// ringAfter returns the first node after (phase, key), or -1.
func (s *Sim) ringAfter(root int32, phase Time, key uint64) int32 {
	best := int32(-1)
	for i := root; i >= 0; {
		n := &s.rnodes[i]
		if n.ph > phase || n.ph == phase && n.key > key {
			best, i = i, n.l
		} else {
			i = n.r
		}
	}
	return best
}

// ringFirst returns the treap's first node.
func (s *Sim) ringFirst(root int32) int32 {
	for s.rnodes[root].l >= 0 {
		root = s.rnodes[root].l
	}
	return root
}
