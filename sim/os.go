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

// wakeUp queues a thread that has just woken from a wait (I/O done, a
// signal, a timeout): if no core is free it may preempt a running one.
func (s *Sim) wakeUp(t *thread, r resumeKind) {
	t.woke = true
	s.wantCore(t, r)
}

// dispatch hands free cores to queued threads, and marks the ones that
// must wait as runnable. It runs after every event.
func (s *Sim) dispatch() {
	for {
		for s.idle > 0 && s.runq.len() > 0 {
			t := &s.threads[s.runq.pop()]
			if !t.queued {
				continue
			}
			t.queued, t.woke = false, false
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
		if !s.preemptForWaker() {
			break
		}
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

// preemptForWaker is the OS's wake-up preemption, after CFS: a thread
// that has just woken is placed at most SleeperCredit behind the least CPU
// any running thread has had (its "virtual runtime"), and it preempts the
// running thread that has had the most CPU if that is ahead of it by more
// than WakeupGranularity. An I/O-bound thread therefore gets a core at once
// beside CPU hogs, while CPU-bound threads take turns by the quantum. It
// reports whether it freed a core.
func (s *Sim) preemptForWaker() bool {
	wi := -1
	for i := 0; i < s.runq.len(); i++ {
		if t := &s.threads[s.runq.at(i)]; t.queued && t.woke {
			wi = i
			break
		}
	}
	if wi < 0 {
		return false
	}
	victim, most, least := -1, Time(-1), Time(-1)
	for c, id := range s.cores {
		if id < 0 {
			continue
		}
		v := s.cpuTime(&s.threads[id])
		if least < 0 || v < least {
			least = v
		}
		if s.threads[id].cpu != cpuWindow && v > most {
			victim, most = c, v
		}
	}
	w := &s.threads[s.runq.at(wi)]
	vw := max(s.cpuTime(w), least-Time(s.cfg.SleeperCredit))
	if victim < 0 || most-vw <= Time(s.cfg.WakeupGranularity) {
		// The waker is not behind enough: it waits its turn. Clear the
		// mark so that it is not looked at again at every event.
		w.woke = false
		return false
	}
	s.runq.removeAt(wi)
	v := &s.threads[s.cores[victim]]
	s.leaveCore(v)
	s.setState(v, StateRunnable)
	s.wantCore(v, resumeRun)
	s.runq.pushFront(w.id)
	return true
}

// cpuTime is the CPU t has had so far: the OS's measure of fairness.
func (s *Sim) cpuTime(t *thread) Time {
	c := t.times[StateRunning] + t.times[StateStarting]
	if t.state.OnCore() {
		c += s.now - t.since
	}
	return c
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
