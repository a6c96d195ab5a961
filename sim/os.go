package sim

// The OS scheduler: cores, a FIFO run queue, and round-robin time slices.
// A thread that wants a core joins the run queue; after every event,
// dispatch hands free cores to the head of the queue. While the queue is
// not empty every running thread's quantum counts, and a thread whose
// quantum runs out goes to the back of the queue, keeping the GIL if it
// held it: the OS knows nothing of the GIL. The indexes that keep this
// cheap however many threads want a core are in runq.go.

// wantCore queues t for a core; on getting one it does what r says.
func (s *Sim) wantCore(t *thread, r resumeKind) {
	t.resume = r
	if t.queued || t.core >= 0 {
		return
	}
	t.queued = true
	s.runq.pushBack(s.threads, t)
}

// wakeUp queues a thread that has just woken from a wait (I/O done, a
// signal, a timeout): if no core is free it may preempt a running one.
func (s *Sim) wakeUp(t *thread, r resumeKind) {
	if !t.woke {
		t.woke = true
		if t.queued {
			s.runq.wakeQueued(s.threads, t)
		}
	}
	s.wantCore(t, r)
}

// dequeue marks t, just taken off the run queue, as no longer queued.
func (s *Sim) dequeue(t *thread) {
	if t.queued && t.woke {
		s.runq.unwake(s.threads, t)
	}
	t.queued, t.woke = false, false
}

// dispatch hands free cores to queued threads, and marks the ones that
// must wait as runnable. It runs after every event. Only the entries
// queued since the last dispatch can need marking, and only the cores in
// s.late can need their quantum looked at, so its cost does not grow with
// the length of the queue or the number of cores.
func (s *Sim) dispatch() {
	for {
		for s.idle > 0 && s.runq.len() > 0 {
			t := s.runq.popFront(s.threads)
			if !t.queued {
				continue
			}
			s.dequeue(t)
			if t.state == StateDone {
				continue
			}
			c := s.freeCore()
			s.free.remove(c)
			s.cores[c] = t.id
			s.slice[c] = s.now + Time(s.cfg.Quantum)
			s.idle--
			t.core = int32(c)
			t.runSince = s.now
			s.stale.add(c)
			s.noteLate(t)
			s.resumeOnCore(t)
		}
		if s.runq.len() == 0 {
			return
		}
		if !s.preemptForWaker() {
			break
		}
	}
	for id := s.runq.fresh; id >= 0; id = s.threads[id].rqNext {
		t := &s.threads[id]
		if t.queued && t.state != StateRunnable && t.state != StateDone {
			s.setState(t, StateRunnable)
		}
	}
	s.runq.fresh = -1
	// Contention began: the running threads' quanta now matter. Only the
	// cores in s.late have a thread whose next stop lies past its quantum;
	// rescheduling one touches no other core's membership.
	for c := s.late.next(0); c >= 0; c = s.late.next(c + 1) {
		t := &s.threads[s.cores[c]]
		if t.ev == evCPU && t.at > s.slice[c] {
			s.reschedule(t)
		}
	}
}

// preemptForWaker is the OS's wake-up preemption, after CFS: a thread
// that has just woken is placed at most SleeperCredit behind the least CPU
// any running thread has had (its "virtual runtime"), and it preempts the
// running thread that has had the most CPU if that is ahead of it by more
// than WakeupGranularity. An I/O-bound thread therefore gets a core at once
// beside CPU hogs, while CPU-bound threads take turns by the quantum. It
// reports whether it freed a core. The waker is the first entry of the
// woken list; the least and the most CPU are found in s.least and
// s.most, whose keys plus the clock are the running threads' CPU times.
func (s *Sim) preemptForWaker() bool {
	if s.runq.whead < 0 {
		return false
	}
	w := &s.threads[s.runq.whead]
	s.syncCPUHeaps()
	victim, most := -1, Time(-1)
	if c := s.mostCPU(0); c >= 0 {
		victim, most = int(c), s.most.key[c]+s.now
	}
	vw := s.wakerRuntime(w)
	if victim < 0 || most-vw <= Time(s.cfg.WakeupGranularity) {
		// The waker is not behind enough: it waits its turn. Clear the
		// mark so that it is not looked at again at every event.
		w.woke = false
		s.runq.unwake(s.threads, w)
		return false
	}
	// The waker stays first on the woken list: it goes to the head of the
	// queue, and takes the freed core at once.
	s.runq.remove(s.threads, w)
	v := &s.threads[s.cores[victim]]
	s.leaveCore(v)
	s.setState(v, StateRunnable)
	s.wantCore(v, resumeRun)
	s.runq.pushFront(s.threads, w)
	return true
}

// wakerRuntime is the CPU time the OS counts for w, waking now: its own,
// but at most SleeperCredit behind the least any running thread has had.
// The CPU-time heaps must be in step (syncCPUHeaps).
func (s *Sim) wakerRuntime(w *thread) Time {
	vw := s.cpuTime(w)
	if c := s.least.top(); c >= 0 {
		vw = max(vw, s.least.key[c]+s.now-Time(s.cfg.SleeperCredit))
	}
	return vw
}

// cpuTime is the CPU t has had so far: the OS's measure of fairness.
func (s *Sim) cpuTime(t *thread) Time {
	c := t.times[StateRunning] + t.times[StateStarting]
	if t.state.OnCore() {
		c += s.now - t.since
	}
	return c
}

// cpuKey is cpuTime less the clock for a thread in an on-core state: it
// stays the same while the thread stays in those states, since moving
// between Running and Starting credits the time so far to one of them.
func cpuKey(t *thread) Time {
	return t.times[StateRunning] + t.times[StateStarting] - t.since
}

// syncCPUHeaps brings s.least and s.most up to date: they hold the cores
// whose thread is in an on-core state, keyed by cpuKey. A thread comes on
// a core and leaves it at almost every event, and most never meet a waker
// that wants to preempt them, so the heaps are not kept in step with
// every move: setState and leaveCore only mark the core in s.stale, and
// the heaps are fixed here, when wake-up preemption needs them.
func (s *Sim) syncCPUHeaps() {
	for c := s.stale.next(0); c >= 0; c = s.stale.next(c + 1) {
		s.stale.remove(c)
		if s.least.has(int32(c)) {
			s.least.remove(int32(c))
			s.most.remove(int32(c))
		}
		if id := s.cores[c]; id >= 0 && s.threads[id].state.OnCore() {
			k := cpuKey(&s.threads[id])
			s.least.push(int32(c), k)
			s.most.push(int32(c), k)
		}
	}
}

// mostCPU returns the core, in the subtree of s.most at index i, whose
// thread has had the most CPU and is not in a py2 release window, which
// wake-up preemption must not interrupt; -1 if there is none. A heap's
// node comes before all of its subtree, so the search stops at the first
// node on each path that is not in a window: it visits the windows at
// the top and their children, no more.
func (s *Sim) mostCPU(i int) int32 {
	h := &s.most
	if i >= len(h.h) {
		return -1
	}
	c := h.h[i]
	if s.threads[s.cores[c]].cpu != cpuWindow {
		return c
	}
	a, b := s.mostCPU(2*i+1), s.mostCPU(2*i+2)
	if a < 0 || b >= 0 && h.less(b, a) {
		return b
	}
	return a
}

// noteLate keeps the core of t, which is on one, in s.late when t's next
// stop lies past the end of its quantum, and out of it otherwise. That
// happens to a thread scheduled while nobody waited for a core (its stop
// then ignores the quantum), to a py2 release window, and to a thread
// whose quantum ended while the queue was empty. It is on the path of
// every schedule of a thread on a core.
func (s *Sim) noteLate(t *thread) {
	if (t.ev == evCPU && t.at > s.slice[t.core]) != t.late {
		s.flipLate(t)
	}
}

func (s *Sim) flipLate(t *thread) {
	if t.late = !t.late; t.late {
		s.late.add(int(t.core))
	} else {
		s.late.remove(int(t.core))
	}
}

// freeCore returns the idle core with the lowest number.
func (s *Sim) freeCore() int {
	if c := s.free.next(0); c >= 0 {
		return c
	}
	panic("sim: no free core although idle > 0")
}

// resumeOnCore starts a thread that has just been given a core.
func (s *Sim) resumeOnCore(t *thread) {
	switch t.resume {
	case resumeGIL:
		s.gilAttempt(t)
	case resumeLock:
		s.setState(t, StateRunning)
		s.exec(t)
	case resumeSwitched:
		t.gw = gwNone
		s.exec(t)
	default:
		// exec sets the running state once the thread has what it needs to
		// run (the GIL, usually), so that a thread that goes straight back to
		// waiting shows no zero-length run.
		s.exec(t)
	}
}

// setRunState puts an on-core thread in Running, or Starting while its
// interpreter boots.
func (s *Sim) setRunState(t *thread) {
	if t.cpu == cpuOp && s.codes[t.cur][s.frames[t.cur].pc].Kind == opBoot {
		s.setState(t, StateStarting)
		return
	}
	s.setState(t, StateRunning)
}

// leaveCore takes t off its core; the core goes to the run queue's head at
// the next dispatch.
func (s *Sim) leaveCore(t *thread) {
	if t.core < 0 {
		return
	}
	s.progress(t)
	c := t.core
	s.stale.add(int(c))
	if t.late {
		s.flipLate(t)
	}
	s.free.add(int(c))
	s.cores[c] = -1
	s.idle++
	t.core = -1
	if t.ev == evCPU || t.ev == evContinue {
		s.unschedule(t)
	}
}

// progress credits an on-core thread with the CPU it has run since it was
// last looked at.
func (s *Sim) progress(t *thread) {
	d := s.now - t.runSince
	t.runSince = s.now
	if t.cpu == cpuNone || d <= 0 {
		return
	}
	if t.taxed {
		py := s.py2Untax(d)
		s.tot.py2Overhead += d - py
		d = py
	}
	t.left -= d
	if t.left < 0 {
		t.left = 0
	}
	if s.cfg.Model == ModelPy2 && t.hasGIL && t.cpu == cpuOp && s.curOp(t).Kind == OpPython {
		g := s.gilOf(t)
		g.py2Used = (g.py2Used + d) % s.period
	}
}

// curOp returns the op at t's program counter.
func (s *Sim) curOp(t *thread) *Op { return &s.codes[t.cur][s.frames[t.cur].pc] }

// startCPU begins a burst of d on t's core.
func (s *Sim) startCPU(t *thread, k cpuKind, d Time) {
	t.cpu, t.left, t.total, t.runSince = k, d, d, s.now
	s.reschedule(t)
}

// reschedule computes an on-core thread's next stop: the end of its burst,
// a check point it must honour, the py2 check, or the end of its quantum.
func (s *Sim) reschedule(t *thread) {
	s.progress(t)
	t.taxed = false
	at, stop := s.now+t.left, stopEnd
	if t.hasGIL && t.cpu == cpuOp {
		op := s.curOp(t)
		g := s.gilOf(t)
		if op.Kind == OpPython {
			switch s.cfg.Model {
			case ModelPy3:
				if g.dropRequest && op.Check > 0 {
					chk := max(s.cfg.scalePython(Time(op.Check)), 1)
					done := t.total - t.left
					next := (done/chk + 1) * chk
					if next < t.total {
						if c := s.now + next - done; c < at {
							at, stop = c, stopCheck
						}
					}
				}
			case ModelPy2:
				switch {
				case g.n > 0:
					c := s.now + s.period - g.py2Used
					if c < at {
						at, stop = c, stopPy2
					}
				case g.threaded && s.cfg.SignalNone > 0:
					t.taxed = true
					at += s.py2Tax(t.left)
				}
			}
		}
	}
	if s.runq.len() > 0 && t.cpu != cpuWindow {
		if c := max(s.slice[t.core], s.now); c < at {
			at, stop = c, stopSlice
		}
	}
	t.stop = stop
	s.schedule(t, at, evCPU)
}

// onStop handles an on-core thread's evCPU.
func (s *Sim) onStop(t *thread) {
	if t.left == 0 {
		s.cpuDone(t)
		return
	}
	switch t.stop {
	case stopCheck:
		if !s.forcedDrop(t) {
			s.exec(t)
		}
	case stopPy2:
		s.py2Check(t)
	case stopSlice:
		if s.runq.len() == 0 {
			s.slice[t.core] = s.now + Time(s.cfg.Quantum)
			s.reschedule(t)
			return
		}
		s.leaveCore(t)
		s.setState(t, StateRunnable)
		s.wantCore(t, resumeRun)
	default:
		s.reschedule(t)
	}
}
