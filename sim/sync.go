package sim

// threading.Lock and the queues. A blocked acquire, get or put releases
// the GIL. Release and put wake one waiter, which after the wake-up
// latency tries again and may find that another thread got there first.
// A woken lock waiter takes the lock before it asks for the GIL, as
// PyThread_acquire_lock returns before take_gil.

func (s *Sim) lockAcquire(t *thread, op *Op, fr *frame) bool {
	l := &s.locks[op.Obj]
	if l.owner < 0 {
		l.owner = t.id
		l.acquires++
		if s.cfg.Trace {
			s.emit(TraceEvent{Kind: TraceLockAcquire, Thread: t.id, Proc: t.proc, Peer: -1, Obj: op.Obj, Line: op.Line})
		}
		fr.pc++
		return true
	}
	if s.switchFirst(t, ReasonLock) {
		return false
	}
	if t.resume != resumeLock {
		l.contends++
	}
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceLockWait, Thread: t.id, Proc: t.proc, Peer: l.owner, Obj: op.Obj, Line: op.Line})
	}
	s.block(t, StateWaitLock, ReasonLock, waitLock, op.Obj)
	l.waiters = append(l.waiters, t.id)
	return false
}

func (s *Sim) lockRelease(t *thread, op *Op, fr *frame) bool {
	l := &s.locks[op.Obj]
	if l.owner != t.id {
		return s.raise(t, "RuntimeError", "release unlocked lock")
	}
	l.owner = -1
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceLockRelease, Thread: t.id, Proc: t.proc, Peer: -1, Obj: op.Obj, Line: op.Line})
	}
	n := len(l.waiters)
	l.waiters = s.wakeOne(l.waiters, resumeLock)
	return s.payWake(t, fr, len(l.waiters) < n)
}

// semAcquire takes a permit, or waits for one with the GIL released.
func (s *Sim) semAcquire(t *thread, op *Op, fr *frame) bool {
	m := &s.sems[op.Obj]
	if m.value > 0 {
		m.value--
		m.acquires++
		fr.pc++
		return true
	}
	if s.switchFirst(t, ReasonLock) {
		return false
	}
	if t.resume != resumeLock {
		m.contends++
	}
	s.block(t, StateWaitLock, ReasonLock, waitSem, op.Obj)
	m.waiters = append(m.waiters, t.id)
	return false
}

// semRelease gives a permit back and wakes the first waiter.
func (s *Sim) semRelease(t *thread, op *Op, fr *frame) bool {
	m := &s.sems[op.Obj]
	if spec := s.w.Sems[op.Obj]; spec.Bounded && m.value >= int64(spec.Value) {
		return s.raise(t, "ValueError", "Semaphore released too many times")
	}
	m.value++
	n := len(m.waiters)
	m.waiters = s.wakeOne(m.waiters, resumeLock)
	return s.payWake(t, fr, len(m.waiters) < n)
}

// eventOp is Event.wait, set and clear. set moves each waiter past its
// wait before waking it: a waiter set free goes on even if the event is
// cleared before it runs, as in CPython.
func (s *Sim) eventOp(t *thread, op *Op, fr *frame) bool {
	e := &s.tevents[op.Obj]
	switch op.Kind {
	case OpEventSet:
		e.set = true
		woke := len(e.waiters) > 0
		for _, id := range e.waiters {
			if w := &s.threads[id]; w.state != StateDone {
				s.frames[w.cur].pc++
				s.wake(id, resumeRun)
			}
		}
		e.waiters = e.waiters[:0]
		if woke {
			return s.payWake(t, fr, true)
		}
	case OpEventClear:
		e.set = false
	case OpEventWait:
		if !e.set {
			if s.switchFirst(t, ReasonLock) {
				return false
			}
			s.block(t, StateWaitLock, ReasonLock, waitEvent, op.Obj)
			e.waiters = append(e.waiters, t.id)
			s.timeout(t, op)
			return false
		}
	}
	fr.pc++
	return true
}

// payWake finishes an op that may have woken a blocked thread: waking one
// costs the caller WakeCost of CPU, with the GIL held, before it goes on.
func (s *Sim) payWake(t *thread, fr *frame, woke bool) bool {
	if !woke || s.cfg.WakeCost == 0 {
		fr.pc++
		return true
	}
	s.startCPU(t, cpuOp, s.jitter(Time(s.cfg.WakeCost)))
	return false
}

// wakeOne wakes the first live thread of list and returns the rest.
func (s *Sim) wakeOne(list []int32, r resumeKind) []int32 {
	for len(list) > 0 {
		id := list[0]
		list = list[1:]
		if s.threads[id].state != StateDone {
			s.wake(id, r)
			break
		}
	}
	if len(list) == 0 {
		return list[:0]
	}
	return list
}

// depth is the number of items in q.
func (q *queue) depth() int { return q.items.n }

func (s *Sim) put(t *thread, op *Op, fr *frame) bool {
	q := &s.queues[op.Obj]
	spec := &s.w.Queues[op.Obj]
	if spec.Kind != QueueThread && t.phase == 0 {
		t.phase = 1
		s.startCPU(t, cpuOp, s.jitter(Time(s.cfg.Pickle)))
		return false
	}
	if spec.MaxSize > 0 && q.depth() >= spec.MaxSize {
		if s.switchFirst(t, ReasonQueue) {
			return false
		}
		s.block(t, StateQueue, ReasonQueue, waitQueuePut, op.Obj)
		q.putters = append(q.putters, t.id)
		return false
	}
	t.phase = 0
	val, none := op.N, op.Text == "None"
	if op.Text == "index" {
		val += loopIndex(s.codes[t.cur], fr)
	}
	q.items.push(item{val: val, none: none, text: op.Text == "text"})
	q.unfinished++
	q.puts++
	q.high = max(q.high, q.depth())
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TracePut, Thread: t.id, Proc: t.proc, Peer: -1, Obj: op.Obj, Value: int64(q.depth()), Line: op.Line})
	}
	q.getters = s.wakeOne(q.getters, resumeRun)
	fr.pc++
	return true
}

func (s *Sim) get(t *thread, op *Op, fr *frame) bool {
	q := &s.queues[op.Obj]
	spec := &s.w.Queues[op.Obj]
	if t.phase == 1 {
		// Unpickled.
		t.phase = 0
		fr.pc++
		return true
	}
	if q.depth() == 0 {
		if s.switchFirst(t, ReasonQueue) {
			return false
		}
		s.block(t, StateQueue, ReasonQueue, waitQueueGet, op.Obj)
		q.getters = append(q.getters, t.id)
		return false
	}
	it := q.items.pop()
	fr.reg, fr.regNone, fr.regText = it.val, it.none, it.text
	q.gets++
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceGet, Thread: t.id, Proc: t.proc, Peer: -1, Obj: op.Obj, Value: int64(q.depth()), Line: op.Line})
	}
	if spec.MaxSize > 0 {
		q.putters = s.wakeOne(q.putters, resumeRun)
	}
	if spec.Kind != QueueThread {
		t.phase = 1
		s.startCPU(t, cpuOp, s.jitter(Time(s.cfg.Unpickle)))
		return false
	}
	fr.pc++
	return true
}

func (s *Sim) taskDone(t *thread, op *Op, fr *frame) bool {
	q := &s.queues[op.Obj]
	if s.w.Queues[op.Obj].Kind == QueueProcess {
		return s.raise(t, "AttributeError", "'Queue' object has no attribute 'task_done'")
	}
	if q.unfinished <= 0 {
		return s.raise(t, "ValueError", "task_done() called too many times")
	}
	q.unfinished--
	if q.unfinished == 0 {
		for _, j := range q.joiners {
			s.wake(j, resumeRun)
		}
		q.joiners = q.joiners[:0]
	}
	fr.pc++
	return true
}

func (s *Sim) queueJoin(t *thread, op *Op, fr *frame) bool {
	q := &s.queues[op.Obj]
	if s.w.Queues[op.Obj].Kind == QueueProcess {
		return s.raise(t, "AttributeError", "'Queue' object has no attribute 'join'")
	}
	if q.unfinished == 0 {
		fr.pc++
		return true
	}
	if s.switchFirst(t, ReasonQueue) {
		return false
	}
	s.block(t, StateQueue, ReasonQueue, waitQueueJoin, op.Obj)
	q.joiners = append(q.joiners, t.id)
	return false
}

// loopIndex is the number of the innermost loop's current iteration.
func loopIndex(code Code, fr *frame) int64 {
	if fr.depth == 0 {
		return 0
	}
	// Find the innermost open loop: the nearest OpLoop before pc whose
	// OpEnd lies after pc.
	for i := int(fr.pc); i >= 0; i-- {
		if op := code[i]; op.Kind == OpLoop && int(op.jump) > int(fr.pc) {
			if op.N < 0 {
				return 0
			}
			return op.N - 1 - fr.loops[fr.depth-1]
		}
	}
	return 0
}
