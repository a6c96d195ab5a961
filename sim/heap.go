package sim

// The event queue. Every pending event belongs to one thread and a thread
// has at most one pending event, so the queue is an indexed binary heap of
// thread ids: rescheduling a thread moves its entry in place, and no stale
// entries pile up. Ties in time are broken by the sequence number given at
// scheduling, so equal-time events replay in the same order every run;
// except that py3 timed waits expiring at an instant come before every
// other event of that instant, in the order their waits began (thread.key,
// set when the thread began to wait and kept as the wait is armed again).
// So where a timed wait falls among the events depends only on when its
// waiter began to wait, which lets the expiries that change nothing go
// unplayed (timedwait.go).

func (s *Sim) evLess(a, b int32) bool {
	ta, tb := &s.threads[a], &s.threads[b]
	if ta.at != tb.at {
		return ta.at < tb.at
	}
	if xa, xb := ta.ev == evTimeout, tb.ev == evTimeout; xa || xb {
		if xa != xb {
			return xa
		}
		return ta.key < tb.key
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
	if t.ev == evTimeout && !s.flatTimeouts {
		s.endTimedWait(t)
	}
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
}

// unschedule drops thread t's pending event, if any.
func (s *Sim) unschedule(t *thread) {
	if t.ev == evTimeout && !s.flatTimeouts {
		s.endTimedWait(t)
		t.ev = evNone
		return
	}
	if t.hpos < 0 {
		return
	}
	s.heapRemove(t)
	t.ev = evNone
	if t.late {
		s.flipLate(t)
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
