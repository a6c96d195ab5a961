package sim

// Threads and processes coming and going. A process exits when its main
// thread has finished and, as at interpreter shutdown, every non-daemon
// thread and non-daemon child process has finished too; daemon ones are
// killed then. The run ends when the main process exits.

// startThread makes a started thread runnable.
func (s *Sim) startThread(c *thread) {
	c.started = true
	p := &s.procs[c.proc]
	if !c.daemon && c.id != p.main {
		p.live++
	}
	if c.id != p.main {
		p.gil.threaded = true
	}
	s.wantCore(c, resumeRun)
}

// startProcess brings process pid to life: its main thread starts by
// booting the interpreter.
func (s *Sim) startProcess(pid int32) {
	p := &s.procs[pid]
	p.alive, p.startAt = true, s.now
	if s.w.Procs[pid].Daemon {
		s.procs[p.parent].daemons++
	} else {
		s.procs[p.parent].liveKids++
	}
	m := &s.threads[p.main]
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceProcStart, Thread: m.id, Proc: pid, Peer: -1, Value: int64(s.w.Procs[pid].Start), Line: s.line(m)})
	}
	s.startThread(m)
}

// threadEnd runs when t's function returns or raises.
func (s *Sim) threadEnd(t *thread) {
	p := &s.procs[t.proc]
	if t.id != p.main {
		s.finishThread(t)
		s.checkShutdown(t.proc)
		return
	}
	if p.live > 0 || p.liveKids > 0 {
		// Interpreter shutdown joins the remaining non-daemon threads and
		// child processes.
		s.block(t, StateJoin, ReasonShutdown, waitShutdown, -1)
		return
	}
	s.finishThread(t)
	s.exitProcess(t.proc, p.exitCode)
}

// checkShutdown lets a main thread waiting at shutdown finish once the
// last non-daemon thread or child has.
func (s *Sim) checkShutdown(pid int32) {
	p := &s.procs[pid]
	m := &s.threads[p.main]
	if m.waitK == waitShutdown && m.state != StateDone && p.live == 0 && p.liveKids == 0 {
		m.waitK = waitNothing
		s.finishThread(m)
		s.exitProcess(pid, p.exitCode)
	}
}

// finishThread ends t normally: the GIL is released (reason exit) and
// joiners are woken.
func (s *Sim) finishThread(t *thread) {
	s.releaseLeaving(t, ReasonExit)
	s.retire(t)
}

// kill ends t at once, as when its process is terminated or it is a daemon
// thread at shutdown. A GIL it holds is freed without a handoff reason.
func (s *Sim) kill(t *thread) {
	if t.state == StateDone {
		return
	}
	if t.hasGIL {
		g := s.gilOf(t)
		g.locked, g.holder, t.hasGIL = false, -1, false
	}
	t.killed = true
	s.retire(t)
}

// retire takes t out of every structure and marks it done.
func (s *Sim) retire(t *thread) {
	g := s.gilOf(t)
	if t.gw != gwNone {
		if t.gw != gwSwitchOp {
			s.waitersRemove(g, t)
		}
		if g.switcher == t.id {
			g.switcher = -1
		}
		t.gw = gwNone
	}
	s.leaveCore(t)
	s.unschedule(t)
	// A queued thread's entry stays in the run queue until dispatch drops
	// it; it is no longer a candidate for wake-up preemption.
	if t.queued && t.woke {
		s.runq.unwake(s.threads, t)
	}
	t.queued = false
	t.cpu = cpuNone
	t.waitK, t.waitO = waitNothing, -1
	if t.loop >= 0 && s.loops[t.loop].cur >= 0 {
		s.loops[t.loop].cur = -1
	}
	s.setState(t, StateDone)
	p := &s.procs[t.proc]
	if !t.daemon && t.id != p.main && t.started {
		p.live--
	}
	for _, j := range s.joiners[t.id] {
		s.wake(j, resumeRun)
	}
	s.joiners[t.id] = nil
}

// exitProcess ends process pid with an exit code: its remaining (daemon)
// threads die, its daemon children are terminated, its joiners wake.
func (s *Sim) exitProcess(pid int32, code int) {
	p := &s.procs[pid]
	if p.exited {
		return
	}
	for _, id := range s.byProc[pid] {
		s.kill(&s.threads[id])
	}
	p.alive, p.exited, p.exitAt, p.exitCode = false, true, s.now, code
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceProcExit, Thread: p.main, Proc: pid, Peer: -1, Value: int64(code)})
	}
	for _, j := range p.joiners {
		s.wake(j, resumeRun)
	}
	p.joiners = nil
	// Its daemon children die with it. Most processes have none, and
	// then nothing is scanned.
	for c := 0; p.daemons > 0 && c < len(s.procs); c++ {
		if cp := &s.procs[c]; cp.parent == pid && cp.alive && s.w.Procs[c].Daemon {
			s.terminate(int32(c))
		}
	}
	if pid == 0 {
		for c := range s.procs {
			if s.procs[c].alive {
				s.terminate(int32(c))
			}
		}
		s.end(OutcomeCompleted)
		return
	}
	if p.parent >= 0 && s.w.Procs[pid].Daemon {
		s.procs[p.parent].daemons--
	} else if p.parent >= 0 {
		s.procs[p.parent].liveKids--
		s.checkShutdown(p.parent)
	}
}

// terminate is Process.terminate: SIGTERM, exit code -15.
func (s *Sim) terminate(pid int32) {
	s.exitProcess(pid, -15)
}
