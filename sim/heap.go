package sim

// The event queue. Every pending event belongs to one thread and a thread
// has at most one pending event, so the queue is an indexed binary heap of
// thread ids: rescheduling a thread moves its entry in place, and no stale
// entries pile up. Ties in time are broken by the sequence number given at
// scheduling, so equal-time events replay in the same order every run.

func (s *Sim) evLess(a, b int32) bool {
	ta, tb := &s.threads[a], &s.threads[b]
	if ta.at != tb.at {
		return ta.at < tb.at
	}
	return ta.seq < tb.seq
}

func (s *Sim) heapSwap(i, j int) {
	h := s.heap
	h[i], h[j] = h[j], h[i]
	s.threads[h[i]].hpos = int32(i)
	s.threads[h[j]].hpos = int32(j)
}

func (s *Sim) heapUp(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !s.evLess(s.heap[i], s.heap[p]) {
			return
		}
		s.heapSwap(i, p)
		i = p
	}
}

func (s *Sim) heapDown(i int) {
	n := len(s.heap)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && s.evLess(s.heap[r], s.heap[l]) {
			m = r
		}
		if !s.evLess(s.heap[m], s.heap[i]) {
			return
		}
		s.heapSwap(i, m)
		i = m
	}
}

// schedule gives thread t its one pending event, replacing any it had.
func (s *Sim) schedule(t *thread, at Time, kind evKind) {
	if at < s.now {
		panic("sim: event scheduled in the past")
	}
	if kind == evTimeout && !s.flatTimeouts {
		s.armTimeout(t, at)
		return
	}
	live := s.takeLiveTimeout(t)
	s.seq++
	t.at, t.seq, t.ev = at, s.seq, kind
	if t.core >= 0 {
		s.noteLate(t)
	}
	if t.hpos >= 0 {
		i := int(t.hpos)
		s.heapUp(i)
		s.heapDown(int(t.hpos))
	} else {
		t.hpos = int32(len(s.heap))
		s.heap = append(s.heap, t.id)
		s.heapUp(int(t.hpos))
	}
	if live {
		s.promoteTimeout(s.gilOf(t))
	}
}

// unschedule drops thread t's pending event, if any.
func (s *Sim) unschedule(t *thread) {
	i := int(t.hpos)
	if i < 0 {
		if t.ev == evTimeout {
			// A timed wait still queued on its GIL: its entry goes stale.
			t.ev = evNone
		}
		return
	}
	live := s.takeLiveTimeout(t)
	s.heapRemove(t)
	t.ev = evNone
	if t.late {
		s.flipLate(t)
	}
	if live {
		s.promoteTimeout(s.gilOf(t))
	}
}

// heapRemove takes t's entry out of the event heap.
func (s *Sim) heapRemove(t *thread) {
	i := int(t.hpos)
	last := len(s.heap) - 1
	if i != last {
		s.heapSwap(i, last)
	}
	s.heap = s.heap[:last]
	t.hpos = -1
	if i != last {
		s.heapUp(i)
		s.heapDown(i)
	}
}

// The py3 GIL's timed waits. A waiter's wait expires one interval (plus
// TimedWaitLatency) after it began, and one that changes nothing is armed
// again for as long: every timed wait armed on a GIL expires after all
// those armed before it. So they queue on their GIL in expiry order, and
// only the first is in the event heap; arming one is an append, not a
// descent through a heap that holds every waiter. The heap orders events
// by time and by the sequence number given when they were armed, and the
// queue holds them in that same order, so events happen exactly as they
// would with every timed wait in the heap.

// tqEntry is a timed wait queued on its GIL: the thread and the sequence
// number it was armed with, which tells a live entry from a stale one
// (the thread since woken, signalled or gone).
type tqEntry struct {
	id  int32
	seq uint64
}

// armTimeout gives t, a py3 GIL waiter, a timed wait expiring at at.
func (s *Sim) armTimeout(t *thread, at Time) {
	g := s.gilOf(t)
	if t.hpos >= 0 {
		live := s.takeLiveTimeout(t)
		s.heapRemove(t)
		if live {
			g.tqLive = -1
		}
	}
	s.seq++
	t.at, t.seq, t.ev = at, s.seq, evTimeout
	g.tq = append(g.tq, tqEntry{id: t.id, seq: t.seq})
	s.promoteTimeout(g)
}

// takeLiveTimeout reports whether t's pending event is its GIL's timed wait
// in the heap; it clears the GIL's mark of it, so that the caller, about
// to replace or drop the event, can put the next in its place.
func (s *Sim) takeLiveTimeout(t *thread) bool {
	if t.ev != evTimeout || t.hpos < 0 {
		return false
	}
	g := s.gilOf(t)
	if g.tqLive != t.id {
		return false
	}
	g.tqLive = -1
	return true
}

// promoteTimeout puts g's first live queued timed wait in the event heap,
// if none is there.
func (s *Sim) promoteTimeout(g *gilState) {
	if g.tqLive >= 0 {
		return
	}
	for g.tqHead < len(g.tq) {
		e := g.tq[g.tqHead]
		g.tqHead++
		t := &s.threads[e.id]
		if t.ev != evTimeout || t.seq != e.seq || t.hpos >= 0 {
			continue
		}
		t.hpos = int32(len(s.heap))
		s.heap = append(s.heap, t.id)
		s.heapUp(int(t.hpos))
		g.tqLive = t.id
		break
	}
	switch {
	case g.tqHead == len(g.tq):
		g.tq, g.tqHead = g.tq[:0], 0
	case g.tqHead >= 64 && 2*g.tqHead >= len(g.tq):
		n := copy(g.tq, g.tq[g.tqHead:])
		g.tq, g.tqHead = g.tq[:n], 0
	}
}
