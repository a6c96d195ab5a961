package sim

// The GIL, after Python/ceval_gil.c. take_gil, drop_gil and the drop
// request follow the new GIL (py3); py2 replaces the timed waits by a
// release-and-retake every check interval; free-threaded has no GIL, and
// every function here is a no-op under it.

// takeGIL is take_gil for an on-core thread. It returns true if t now
// holds the GIL; otherwise t has left its core to wait.
func (s *Sim) takeGIL(t *thread) bool {
	if !s.hasGIL() {
		return true
	}
	g := s.gilOf(t)
	if !g.locked {
		s.acquire(t)
		return true
	}
	s.leaveCore(t)
	s.waitersAppend(g, t)
	s.sleepOnGIL(t, g)
	return false
}

// sleepOnGIL puts a waiter (already on the list, off its core) to sleep
// on the GIL's condition variable: py3 for one interval at a time, py2
// until signalled.
func (s *Sim) sleepOnGIL(t *thread, g *gilState) {
	if s.cfg.Model == ModelPy3 {
		t.gw = gwTimed
		t.saved = g.switchNo
		s.seq++
		t.key = s.seq
		if s.flatTimeouts {
			s.schedule(t, s.now+s.timedWait(), evTimeout)
		} else {
			s.beginTimedWait(t)
		}
	} else {
		t.gw = gwPlain
	}
	s.setState(t, StateWaitGIL)
}

// kickHolder makes a running py2 holder schedule its next check now that
// a waiter has arrived: checks only matter while somebody waits.
func (s *Sim) kickHolder(g *gilState) {
	if g.holder < 0 || g.n != 1 {
		return
	}
	if h := &s.threads[g.holder]; h.core >= 0 && h.ev == evCPU {
		s.reschedule(h)
	}
}

// acquire gives the free GIL to t. If t is not the last holder this is a
// handoff: switch_number moves, the handoff is counted under the reason of
// the release before it, and a thread waiting in drop_gil for the switch
// (FORCE_SWITCHING) goes back to waiting like any waiter.
func (s *Sim) acquire(t *thread) {
	g := s.gilOf(t)
	if t.gw != gwNone {
		s.waitersRemove(g, t)
		t.gw = gwNone
	}
	g.locked, g.holder, t.hasGIL = true, t.id, true
	t.switched = false
	prev := g.last
	peer, reason := int32(-1), ReasonNone
	if prev != t.id {
		g.last = t.id
		g.switchNo++
		s.noteSwitch(g)
		if prev >= 0 {
			peer, reason = prev, g.lastReason
			s.tot.handoffs[reason]++
			g.handoffs++
			g.lastHand = Handoff{At: s.now, From: prev, To: t.id, Reason: reason}
		}
		if g.switcher >= 0 {
			// The thread that dropped on request is woken from its wait on
			// switch_cond; once running it calls take_gil again, and if the
			// new holder has already let go it takes the GIL at once. One
			// that released it to block or to run C code goes on with that.
			wt := &s.threads[g.switcher]
			g.switcher = -1
			if wt.gw == gwSwitchOp {
				wt.resume = resumeSwitched
			} else {
				wt.gw = gwWaking
				wt.resume = resumeGIL
				wt.switched = true
			}
			s.schedule(wt, s.now+s.gilWakeLatency(false), evWake)
		}
	}
	g.dropRequest = false
	s.gilChanged(g)
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceAcquire, Thread: t.id, Proc: t.proc, Peer: peer, Reason: reason, Line: s.line(t), Value: int64(g.n)})
	}
}

// releaseGIL is drop_gil for a voluntary release: the GIL is freed and one
// waiter signalled, and t goes on, on its core (C code without the GIL,
// Thread.start, the selector's poll). It returns the waiter signalled, or
// -1. The caller has let switchFirst make t wait for the switch if a drop
// request was pending.
func (s *Sim) releaseGIL(t *thread, r Reason) int32 { return s.release(t, r, false) }

// releaseLeaving is releaseGIL for a thread that leaves its core right
// after (to block, to wait for the switch, to end): the waiter it signals
// may take that core.
func (s *Sim) releaseLeaving(t *thread, r Reason) { s.release(t, r, true) }

// release frees t's GIL and signals one waiter; leaving says whether t
// leaves its core right after. It returns the waiter signalled, or -1.
func (s *Sim) release(t *thread, r Reason, leaving bool) int32 {
	if !t.hasGIL {
		return -1
	}
	g := s.gilOf(t)
	g.locked, g.holder, t.hasGIL = false, -1, false
	g.lastReason = r
	s.gilChanged(g)
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceRelease, Thread: t.id, Proc: t.proc, Peer: -1, Reason: r, Line: s.line(t)})
	}
	return s.signal(g, t, leaving)
}

// switchFirst is drop_gil's FORCE_SWITCHING wait on a voluntary release
// (C code, I/O, a sleep, a blocking lock, queue or join, the selector):
// if a drop request is pending when the holder lets the GIL go for r, it
// does not go on at once but waits on switch_cond until another thread
// has taken the GIL, and only then does what it released it for. It
// reports whether t now waits; the op that called it runs again when t is
// back on a core (resumeSwitched), without the GIL. A thread ending
// releases without a thread state, and does not wait.
func (s *Sim) switchFirst(t *thread, r Reason) bool {
	if s.cfg.Model != ModelPy3 || !t.hasGIL {
		return false
	}
	g := s.gilOf(t)
	if !g.dropRequest || g.n == 0 {
		return false
	}
	g.dropRequest = false
	s.gilChanged(g)
	s.tot.switchWaits++
	s.releaseLeaving(t, r)
	s.leaveCore(t)
	t.gw = gwSwitchOp
	g.switcher = t.id
	s.setState(t, StateWaitGIL)
	return true
}

// forcedDrop is drop_gil after a drop request, at a check point: the holder
// releases the GIL, signals a waiter, and (FORCE_SWITCHING) waits until some
// other thread has taken it before it queues up again. It reports whether t
// left its core.
func (s *Sim) forcedDrop(t *thread) bool {
	g := s.gilOf(t)
	s.tot.forced++
	g.dropRequest = false
	s.gilChanged(g)
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceForcedSwitch, Thread: t.id, Proc: t.proc, Peer: -1, Line: s.line(t), Value: int64(g.n)})
	}
	s.releaseLeaving(t, ReasonInterval)
	if g.n == 0 {
		// Nobody left to switch to (the requester died): take it back.
		s.acquire(t)
		return false
	}
	s.leaveCore(t)
	s.waitersAppend(g, t)
	t.gw = gwSwitch
	g.switcher = t.id
	s.setState(t, StateWaitGIL)
	return true
}

// signal wakes one waiter that is still asleep, chosen by the successor
// policy. The woken thread needs WakeLatency before it can look at the GIL,
// or WakeLatencyPreempt if no core is free for it (see gilWakeLatency);
// leaving says whether from leaves its core right after.
func (s *Sim) signal(g *gilState, from *thread, leaving bool) int32 {
	want := gwTimed
	if s.cfg.Model == ModelPy2 {
		want = gwPlain
	}
	pick := int32(-1)
	if s.cfg.Successor == PolicyRandom {
		n := 0
		for w := g.head; w >= 0; w = s.threads[w].wnext {
			if s.threads[w].gw == want {
				n++
			}
		}
		if n > 0 {
			k := s.randn(n)
			for w := g.head; w >= 0; w = s.threads[w].wnext {
				if s.threads[w].gw == want {
					if k == 0 {
						pick = w
						break
					}
					k--
				}
			}
		}
	} else {
		for w := g.head; w >= 0; w = s.threads[w].wnext {
			if s.threads[w].gw == want {
				pick = w
				break
			}
		}
	}
	if pick < 0 {
		return -1
	}
	w := &s.threads[pick]
	w.gw = gwWaking
	w.resume = resumeGIL
	s.tot.signals++
	lat := s.gilWakeLatency(leaving)
	if s.rewakes(w) {
		lat = s.drawLatency(Time(s.cfg.RewakeLatency))
	}
	s.schedule(w, s.now+lat, evWake)
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceSignal, Thread: from.id, Proc: from.proc, Peer: pick, Line: s.line(from)})
	}
	return pick
}

// rewakes reports whether py2 waiter w, signalled now, is woken again
// soon after a failed wake-up, while its core is still awake: within two
// check periods of the failure. It then needs RewakeLatency (when set), not
// the wake-up from an idle core: the waiter keeps retrying as the holder
// keeps releasing, which is how the old GIL changes hands at all on
// Linux, where a first wake-up takes longer than the release window.
func (s *Sim) rewakes(w *thread) bool {
	return s.cfg.Model == ModelPy2 && s.cfg.RewakeLatency > 0 && w.failedAt >= 0 && s.now-w.failedAt <= 2*s.period
}

// gilWakeLatency draws the wake-up latency of a GIL waiter signalled now:
// WakeLatencyPreempt (when set) if no core is free for it, WakeLatency
// otherwise. A core is free for it if the idle cores, plus the signaller's
// when it leaves its core right after (leaving), outnumber the threads
// already queued for a core; otherwise the waiter must wait for the OS to
// preempt a running thread, or for a core.
func (s *Sim) gilWakeLatency(leaving bool) Time {
	if p := s.cfg.WakeLatencyPreempt; p > 0 {
		free := s.idle
		if leaving {
			free++
		}
		if free <= s.runq.len() {
			return s.drawLatency(Time(p))
		}
	}
	return s.wakeLatency()
}

// onTimeout handles the end of a py3 waiter's timed wait: if the GIL is
// still held and no switch happened during the wait, ask the holder to
// drop it; then wait again. If the GIL is free, go and take it.
func (s *Sim) onTimeout(t *thread) {
	g := s.gilOf(t)
	lazy := !s.flatTimeouts
	if lazy {
		s.expired(t)
	}
	if !g.locked {
		t.gw = gwWaking
		if lazy {
			s.endTimedWait(t)
			t.ev = evNone
		}
		s.wakeUp(t, resumeGIL)
		return
	}
	// Played lazily, an expiry with the GIL held is one that counts.
	if (lazy || g.switchNo == t.saved) && !g.dropRequest {
		g.dropRequest = true
		s.tot.drops++
		if s.cfg.Trace {
			s.emit(TraceEvent{Kind: TraceDropRequest, Thread: t.id, Proc: t.proc, Peer: g.holder, Line: s.line(t)})
		}
		if h := &s.threads[g.holder]; h.core >= 0 && h.ev == evCPU {
			s.reschedule(h)
		}
	}
	if lazy {
		return
	}
	t.saved = g.switchNo
	s.schedule(t, s.now+s.timedWait(), evTimeout)
}

// timedWait is how long a py3 waiter's timed wait on the GIL lasts: one
// switch interval (COND_TIMED_WAIT's timeout), plus TimedWaitLatency
// before the expired waiter runs again and looks at the GIL.
func (s *Sim) timedWait() Time {
	return Time(s.cfg.SwitchInterval) + Time(s.cfg.TimedWaitLatency)
}

// gilAttempt is a woken waiter, now on a core, looking at the GIL: it takes
// it if it is free; otherwise the wake-up failed and it waits again.
func (s *Sim) gilAttempt(t *thread) {
	g := s.gilOf(t)
	if !g.locked {
		s.acquire(t)
		s.setRunState(t)
		s.exec(t)
		return
	}
	if t.switched {
		// Back from the FORCE_SWITCHING wait, it simply queues up again.
		t.switched = false
	} else {
		s.tot.failed++
		t.failedAt = s.now
		if s.cfg.Trace {
			s.emit(TraceEvent{Kind: TraceFailedWake, Thread: t.id, Proc: t.proc, Peer: g.holder, Line: s.line(t)})
		}
	}
	s.leaveCore(t)
	s.sleepOnGIL(t, g)
}

// py2Check is the old GIL's periodic check: with waiters present, the
// holder releases the GIL, spends the release's cost with it released (a
// waiter that arrives in that window wins), then retakes it. What the
// release costs depends on whom it wakes: a waiter asleep on the GIL while
// a core is idle costs SignalRemote (it wakes on another core: the futex
// wake and an inter-processor interrupt); otherwise the release costs
// SignalLocal, the futex wake alone: a waiter asleep with no core idle is
// woken on the releaser's own core, where it runs at once, inside the
// window, if wake-up preemption lets it (preemptInWindow), and with every
// waiter already awake the wake system call is made all the same, as the
// semaphore counts them as waiting. With nobody waiting at all, the
// release and retake cost SignalNone (py2Tax).
func (s *Sim) py2Check(t *thread) {
	g := s.gilOf(t)
	g.py2Used = 0
	if g.n == 0 {
		s.reschedule(t)
		return
	}
	idle := s.idle
	w := s.releaseGIL(t, ReasonCheck)
	cost := Time(s.cfg.SignalLocal)
	if w >= 0 && idle > 0 {
		cost = Time(s.cfg.SignalRemote)
	}
	t.saveCPU, t.saveLeft, t.saveTot = t.cpu, t.left, t.total
	s.tot.py2Overhead += cost
	s.startCPU(t, cpuWindow, cost)
	if w >= 0 && idle == 0 {
		s.preemptInWindow(t, &s.threads[w])
	}
}

// py2Tax is what the checks in d of Python cost a py2 holder with
// nobody waiting: from the start of a second thread on the old GIL exists,
// and every check releases and retakes it, waiters or not, for SignalNone.
// With nobody to take it in between, the checks are not simulated one by
// one: the burst is stretched by their cost (reschedule), and progress
// takes it back out (py2Untax). Rounding up here and down there keeps
// d = py2Untax(d + py2Tax(d)).
func (s *Sim) py2Tax(d Time) Time {
	n, p := Time(s.cfg.SignalNone), s.period
	return (d*n + p - 1) / p
}

// py2Untax is how much Python a taxed burst ran in d of time.
func (s *Sim) py2Untax(d Time) Time {
	n, p := Time(s.cfg.SignalNone), s.period
	return d * p / (p + n)
}

// preemptInWindow is the wake-up of a py2 waiter on its releaser's core:
// if the waiter is far enough behind in CPU time (as preemptForWaker
// judges), it preempts the releaser at once, while the GIL is free, and
// takes it; the releaser finishes its window when it next gets a core and
// finds the GIL taken. Otherwise the waiter wakes as usual, and waits for
// a core.
func (s *Sim) preemptInWindow(t, w *thread) {
	s.syncCPUHeaps()
	if s.cpuTime(t)-s.wakerRuntime(w) <= Time(s.cfg.WakeupGranularity) {
		return
	}
	s.unschedule(w)
	s.leaveCore(t)
	s.setState(t, StateRunnable)
	s.wantCore(t, resumeRun)
	w.resume = resumeGIL
	w.queued = true
	s.runq.pushFront(s.threads, w)
}

// py2WindowEnd retakes the GIL after the release window, unless a woken
// waiter took it meanwhile.
func (s *Sim) py2WindowEnd(t *thread) {
	t.cpu, t.left, t.total, t.runSince = t.saveCPU, t.saveLeft, t.saveTot, s.now
	g := s.gilOf(t)
	if !g.locked {
		s.acquire(t)
		s.exec(t)
		return
	}
	s.leaveCore(t)
	s.waitersAppend(g, t)
	s.sleepOnGIL(t, g)
}

// checkPoint is an eval-breaker check: under py3 a pending drop request
// makes the holder drop the GIL here. It reports whether t left its core.
func (s *Sim) checkPoint(t *thread) bool {
	if s.cfg.Model != ModelPy3 || !t.hasGIL || !s.gilOf(t).dropRequest {
		return false
	}
	return s.forcedDrop(t)
}

func (s *Sim) waitersAppend(g *gilState, t *thread) {
	s.noteGIL(g)
	t.wprev, t.wnext = g.tail, -1
	if g.tail >= 0 {
		s.threads[g.tail].wnext = t.id
	} else {
		g.head = t.id
	}
	g.tail = t.id
	g.n++
	if g.n > g.maxWaiters {
		g.maxWaiters = g.n
	}
	if s.cfg.Model == ModelPy2 {
		s.kickHolder(g)
	}
}

func (s *Sim) waitersRemove(g *gilState, t *thread) {
	s.noteGIL(g)
	if t.wprev >= 0 {
		s.threads[t.wprev].wnext = t.wnext
	} else {
		g.head = t.wnext
	}
	if t.wnext >= 0 {
		s.threads[t.wnext].wprev = t.wprev
	} else {
		g.tail = t.wprev
	}
	t.wprev, t.wnext = -1, -1
	g.n--
}

// noteGIL adds the waiter count since the last change to the integral
// behind the mean number of waiters.
func (s *Sim) noteGIL(g *gilState) {
	g.waitArea += float64(g.n) * float64(s.now-g.since)
	g.since = s.now
}

// noteWaiters brings every interpreter's waiter integral up to now.
func (s *Sim) noteWaiters() {
	for i := range s.procs {
		s.noteGIL(&s.procs[i].gil)
	}
}
