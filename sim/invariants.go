package sim

import "fmt"

// CheckInvariants verifies what must hold between any two steps, and
// returns the first violation. last is the time of the previous check (the
// clock must not have gone back); pass 0 the first time. Tests call it
// after every step.
//
//   - each interpreter has at most one GIL holder, the GIL agrees with it,
//     and there is none without a GIL;
//   - the holder is running, or runnable because the OS preempted it;
//   - at most Cores threads are on cores, and the cores agree with them;
//   - a thread waits for the GIL exactly when it is on that GIL's list;
//   - no core is idle while a thread is runnable;
//   - each thread's times add up to the elapsed time.
func (s *Sim) CheckInvariants(last Time) error {
	if s.now < last {
		return fmt.Errorf("clock went back from %s to %s", last, s.now)
	}
	holders := make([]int, len(s.procs))
	onCore := 0
	for i := range s.threads {
		t := &s.threads[i]
		if t.hasGIL {
			if !s.hasGIL() {
				return fmt.Errorf("%s holds a GIL under %s", s.ThreadName(t.id), s.cfg.Model)
			}
			holders[t.proc]++
			if g := s.gilOf(t); !g.locked || g.holder != t.id {
				return fmt.Errorf("%s thinks it holds the GIL, but the GIL says holder %d", s.ThreadName(t.id), g.holder)
			}
			if t.state != StateRunning && t.state != StateRunnable {
				return fmt.Errorf("%s holds the GIL while %s", s.ThreadName(t.id), t.state)
			}
		}
		if t.state.OnCore() != (t.core >= 0) {
			return fmt.Errorf("%s is %s but its core is %d", s.ThreadName(t.id), t.state, t.core)
		}
		if t.core >= 0 {
			onCore++
			if s.cores[t.core] != t.id {
				return fmt.Errorf("%s thinks it is on core %d, which runs %d", s.ThreadName(t.id), t.core, s.cores[t.core])
			}
		}
		// A woken waiter may wait for a core: it is then runnable.
		if onList := t.gw != gwNone; onList != (t.state == StateWaitGIL || t.state == StateRunnable && t.gw == gwWaking) {
			return fmt.Errorf("%s is %s with GIL wait phase %d", s.ThreadName(t.id), t.state, t.gw)
		}
		if t.state == StateRunnable && !t.queued {
			return fmt.Errorf("%s is runnable but not in the run queue", s.ThreadName(t.id))
		}
		var sum Time
		for _, d := range t.times {
			sum += d
		}
		if sum += s.now - t.since; sum != s.now {
			return fmt.Errorf("%s's times add up to %s, not the elapsed %s", s.ThreadName(t.id), sum, s.now)
		}
	}
	for p, n := range holders {
		g := &s.procs[p].gil
		if n > 1 {
			return fmt.Errorf("process %d has %d GIL holders", p, n)
		}
		if n == 0 && g.locked {
			return fmt.Errorf("process %d's GIL is locked by %d, who does not know it", p, g.holder)
		}
		count := 0
		for w := g.head; w >= 0; w = s.threads[w].wnext {
			if st := s.threads[w].state; st != StateWaitGIL && st != StateRunnable || s.threads[w].proc != int32(p) {
				return fmt.Errorf("%s is on process %d's GIL list while %s", s.ThreadName(w), p, s.threads[w].state)
			}
			count++
		}
		if count != g.n {
			return fmt.Errorf("process %d's GIL list has %d waiters but counts %d", p, count, g.n)
		}
	}
	if onCore > s.cfg.Cores {
		return fmt.Errorf("%d threads on %d cores", onCore, s.cfg.Cores)
	}
	if onCore+s.idle != s.cfg.Cores {
		return fmt.Errorf("%d threads on cores and %d idle, but %d cores", onCore, s.idle, s.cfg.Cores)
	}
	if s.idle > 0 {
		for i := 0; i < s.runq.len(); i++ {
			if t := &s.threads[s.runq.at(i)]; t.queued {
				return fmt.Errorf("%s waits for a core while %d are idle", s.ThreadName(t.id), s.idle)
			}
		}
	}
	return nil
}
