package sim

// The OS scheduler: cores, a FIFO run queue, and round-robin time slices.
// A thread that wants a core joins the run queue; after every event,
// dispatch hands free cores to the head of the queue. While the queue is
// not empty every running thread's quantum counts, and a thread whose
// quantum runs out goes to the back of the queue, keeping the GIL if it
// held it: the OS knows nothing of the GIL.

// wantCore queues t for a core; on getting one it does what r says.
func (s *Sim) wantCore(t *thread, r resumeKind) {
	t.resume = r
	if t.queued || t.core >= 0 {
		return
	}
	t.queued = true
	s.runq.push(t.id)
}

// dispatch hands free cores to queued threads, and marks the ones that
// must wait as runnable. It runs after every event.
func (s *Sim) dispatch() {
	for s.idle > 0 && s.runq.len() > 0 {
		t := &s.threads[s.runq.pop()]
		if !t.queued {
			continue
		}
		t.queued = false
		if t.state == StateDone {
			continue
		}
		c := s.freeCore()
		s.cores[c] = t.id
		s.slice[c] = s.now + Time(s.cfg.Quantum)
		s.idle--
		t.core = int32(c)
		t.runSince = s.now
		s.resumeOnCore(t)
	}
	if s.runq.len() == 0 {
		return
	}
	for i := 0; i < s.runq.len(); i++ {
		t := &s.threads[s.runq.at(i)]
		if t.queued && t.state != StateRunnable && t.state != StateDone {
			s.setState(t, StateRunnable)
		}
	}
	// Contention began: the running threads' quanta now matter.
	for c, id := range s.cores {
		if id >= 0 {
			t := &s.threads[id]
			if t.ev == evCPU && t.at > s.slice[c] {
				s.reschedule(t)
			}
		}
	}
}

func (s *Sim) freeCore() int {
	for c, id := range s.cores {
		if id < 0 {
			return c
		}
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
	s.cores[t.core] = -1
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
	at, stop := s.now+t.left, stopEnd
	if t.hasGIL && t.cpu == cpuOp {
		op := s.curOp(t)
		g := s.gilOf(t)
		if op.Kind == OpPython {
			switch s.cfg.Model {
			case ModelPy3:
				if g.dropRequest && op.Check > 0 {
					chk := Time(op.Check)
					done := t.total - t.left
					next := (done/chk + 1) * chk
					if next < t.total {
						if c := s.now + next - done; c < at {
							at, stop = c, stopCheck
						}
					}
				}
			case ModelPy2:
				if g.n > 0 {
					c := s.now + s.period - g.py2Used
					if c < at {
						at, stop = c, stopPy2
					}
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
