package sim

import (
	"fmt"
	"math/bits"
)

// CheckInvariants verifies what must hold between any two steps, and
// returns the first violation. last is the time of the previous check (the
// clock must not have gone back); pass 0 the first time. Tests call it
// after every step; it costs time in proportion to the whole state.
//
//   - each interpreter has at most one GIL holder, the GIL agrees with it,
//     and there is none without a GIL;
//   - the holder is running, or runnable because the OS preempted it;
//   - at most Cores threads are on cores, and the cores agree with them;
//   - a thread waits for the GIL exactly when it is on that GIL's list;
//   - no core is idle while a thread is runnable;
//   - each thread's times add up to the elapsed time;
//   - a done thread holds nothing and waits for nothing;
//   - the scheduler's indexes (run queue, woken list, idle and late cores,
//     CPU-time heaps) agree with the threads and cores they index;
//   - a lock has at most one holder, a thread that has started; every
//     thread on its waiters list is blocked waiting for it (or done);
//   - a queue's depth is its puts less its gets, never more than its
//     maxsize; every thread on its lists is blocked on it (or done);
//   - a blocked thread is on the list of what it waits for, or has been
//     woken and has its wake-up pending (a woken lock waiter stays
//     waiting for the lock, off the list, during the wake-up latency);
//   - each event loop runs at most one task, whose thread is alive and
//     not in the selector; a task is where its state says it is;
//   - a process that has exited has no live thread, one that has not
//     counts its live threads and children right, and the run is
//     completed exactly when the main process has exited.
func (s *Sim) CheckInvariants(last Time) error {
	if s.now < last {
		return fmt.Errorf("clock went back from %s to %s", last, s.now)
	}
	for _, check := range []func() error{
		s.checkThreads, s.checkGILs, s.checkCores, s.checkRunQueue,
		s.checkCoreIndexes, s.checkWaits, s.checkQueues, s.checkTasks, s.checkProcs,
	} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sim) checkThreads() error {
	var in [numStates]int32
	for i := range s.threads {
		in[s.threads[i].state]++
	}
	if in != s.inState {
		return fmt.Errorf("threads per state are %v, but the counts kept say %v", in, s.inState)
	}
	for i := range s.threads {
		t := &s.threads[i]
		if t.hasGIL {
			if !s.hasGIL() {
				return fmt.Errorf("%s holds a GIL under %s", s.ThreadName(t.id), s.cfg.Model)
			}
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
		if t.core >= 0 && s.cores[t.core] != t.id {
			return fmt.Errorf("%s thinks it is on core %d, which runs %d", s.ThreadName(t.id), t.core, s.cores[t.core])
		}
		// A woken waiter may wait for a core: it is then runnable.
		if onList := t.gw != gwNone; onList != (t.state == StateWaitGIL || t.state == StateRunnable && (t.gw == gwWaking || t.gw == gwSwitchOp)) {
			return fmt.Errorf("%s is %s with GIL wait phase %d", s.ThreadName(t.id), t.state, t.gw)
		}
		if t.state == StateRunnable && !t.queued {
			return fmt.Errorf("%s is runnable but not in the run queue", s.ThreadName(t.id))
		}
		if t.state == StateDone && (t.queued || t.hpos >= 0 || t.hasGIL || t.waitK != waitNothing) {
			return fmt.Errorf("%s is done but still queued, scheduled, holding the GIL or waiting", s.ThreadName(t.id))
		}
		var sum Time
		for _, d := range t.times {
			sum += d
		}
		if sum += s.now - t.since; sum != s.now {
			return fmt.Errorf("%s's times add up to %s, not the elapsed %s", s.ThreadName(t.id), sum, s.now)
		}
	}
	return nil
}

func (s *Sim) checkGILs() error {
	for p := range s.procs {
		g := &s.procs[p].gil
		holders := 0
		for _, id := range s.byProc[p] {
			if s.threads[id].hasGIL {
				holders++
			}
		}
		if holders > 1 {
			return fmt.Errorf("process %d has %d GIL holders", p, holders)
		}
		if holders == 0 && g.locked {
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
		if w := g.switcher; w >= 0 && (s.threads[w].gw != gwSwitch && s.threads[w].gw != gwSwitchOp || s.threads[w].proc != int32(p)) {
			return fmt.Errorf("%s is process %d's switcher but not waiting for the switch", s.ThreadName(w), p)
		}
		if s.flatTimeouts {
			continue
		}
		if err := s.checkTimedWaits(int32(p), g); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sim) checkCores() error {
	onCore := 0
	for c, id := range s.cores {
		if id < 0 {
			continue
		}
		onCore++
		if s.threads[id].core != int32(c) {
			return fmt.Errorf("core %d runs %s, which thinks it is on core %d", c, s.ThreadName(id), s.threads[id].core)
		}
	}
	if onCore > s.cfg.Cores {
		return fmt.Errorf("%d threads on %d cores", onCore, s.cfg.Cores)
	}
	if onCore+s.idle != s.cfg.Cores {
		return fmt.Errorf("%d threads on cores and %d idle, but %d cores", onCore, s.idle, s.cfg.Cores)
	}
	if s.idle > 0 {
		for id := s.runq.head; id >= 0; id = s.threads[id].rqNext {
			if t := &s.threads[id]; t.queued {
				return fmt.Errorf("%s waits for a core while %d are idle", s.ThreadName(t.id), s.idle)
			}
		}
	}
	return nil
}

// checkRunQueue checks the run queue's links and count, and that the
// woken list holds exactly its queued, woken entries, in queue order.
func (s *Sim) checkRunQueue() error {
	q := &s.runq
	n, prev, w := 0, int32(-1), q.whead
	for id := q.head; id >= 0; id = s.threads[id].rqNext {
		t := &s.threads[id]
		if !t.inRunq || t.rqPrev != prev {
			return fmt.Errorf("run queue: %s is badly linked", s.ThreadName(id))
		}
		if !t.queued && t.state != StateDone {
			return fmt.Errorf("run queue: %s has an entry but is neither queued nor done", s.ThreadName(id))
		}
		if t.queued && t.woke {
			if w != id {
				return fmt.Errorf("run queue: the woken list has %d where %s should be", w, s.ThreadName(id))
			}
			w = t.wkNext
		}
		prev = id
		if n++; n > len(s.threads) {
			return fmt.Errorf("run queue: the list has a cycle")
		}
	}
	if prev != q.tail || n != q.n || w >= 0 || q.fresh >= 0 {
		return fmt.Errorf("run queue: tail %d, count %d, woken list or fresh mark %d/%d disagree with the list", q.tail, q.n, w, q.fresh)
	}
	for i := range s.threads {
		if t := &s.threads[i]; t.queued && (!t.inRunq || t.core >= 0) {
			return fmt.Errorf("%s is queued but has no entry, or is on a core", s.ThreadName(t.id))
		}
	}
	return nil
}

// checkCoreIndexes checks the idle and late core sets and the CPU-time
// heaps against the cores. The heaps are brought up to date only when
// wake-up preemption reads them: a core marked stale may be out of date,
// every other one must be right.
func (s *Sim) checkCoreIndexes() error {
	free := 0
	for c, id := range s.cores {
		if s.free.has(c) != (id < 0) {
			return fmt.Errorf("core %d runs %d but the idle set says %v", c, id, s.free.has(c))
		}
		late, timed := false, false
		if id >= 0 {
			t := &s.threads[id]
			late = t.ev == evCPU && t.at > s.slice[c]
			timed = t.state.OnCore()
			if t.late != late {
				return fmt.Errorf("%s's mark of its core's place in the late set is wrong", s.ThreadName(id))
			}
			for _, h := range []*coreHeap{&s.least, &s.most} {
				if !s.stale.has(c) && h.has(int32(c)) && h.key[c]+s.now != s.cpuTime(t) {
					return fmt.Errorf("core %d: the heap says %s has had %s of CPU, not %s", c, s.ThreadName(id), h.key[c]+s.now, s.cpuTime(t))
				}
			}
		} else {
			free++
		}
		if s.late.has(c) != late {
			return fmt.Errorf("core %d: late %v disagrees with its thread %d", c, s.late.has(c), id)
		}
		if s.least.has(int32(c)) != s.most.has(int32(c)) || !s.stale.has(c) && s.least.has(int32(c)) != timed {
			return fmt.Errorf("core %d: in the CPU-time heaps %v and %v, but its thread %d is on core %v", c, s.least.has(int32(c)), s.most.has(int32(c)), id, timed)
		}
	}
	if free != s.idle {
		return fmt.Errorf("%d idle cores, but idle counts %d", free, s.idle)
	}
	for i := range s.threads {
		if t := &s.threads[i]; t.core < 0 && t.late {
			return fmt.Errorf("%s is off core but marked late", s.ThreadName(t.id))
		}
	}
	for _, set := range []*coreSet{&s.free, &s.late, &s.stale} {
		for w, x := range set.words {
			if (x != 0) != (set.sum&(1<<w) != 0) {
				return fmt.Errorf("a core set's summary disagrees with word %d", w)
			}
		}
		if bits.Len64(set.sum) > len(set.words) {
			return fmt.Errorf("a core set's summary names a word it does not have")
		}
	}
	for _, h := range []*coreHeap{&s.least, &s.most} {
		for i, c := range h.h {
			if h.pos[c] != int32(i) || i > 0 && h.less(c, h.h[(i-1)/2]) {
				return fmt.Errorf("a CPU-time heap is out of order at %d", i)
			}
		}
	}
	return nil
}

// checkWaits checks the locks, and that every blocked thread is on the
// list of what it waits for, or has been woken from it.
func (s *Sim) checkWaits() error {
	lists := make([]int8, len(s.threads))
	// onList checks that every live thread of list is blocked on (k, obj),
	// and counts it.
	onList := func(list []int32, k waitKind, obj int32, what string) error {
		for _, id := range list {
			t := &s.threads[id]
			if t.state == StateDone {
				continue
			}
			if t.waitK != k || t.waitO != obj {
				return fmt.Errorf("%s is on the waiters of %s but %s", s.ThreadName(id), what, t.state)
			}
			lists[id]++
		}
		return nil
	}
	for i := range s.locks {
		l := &s.locks[i]
		if o := l.owner; o >= 0 && (int(o) >= len(s.threads) || s.threads[o].state == StateNew) {
			return fmt.Errorf("lock %s is held by %d, which has not started", s.w.Locks[i], o)
		}
		if err := onList(l.waiters, waitLock, int32(i), "lock "+s.w.Locks[i]); err != nil {
			return err
		}
	}
	for i := range s.sems {
		m := &s.sems[i]
		if m.value < 0 || s.w.Sems[i].Bounded && m.value > int64(s.w.Sems[i].Value) {
			return fmt.Errorf("semaphore %s has %d permits, started with %d", s.w.Sems[i].Name, m.value, s.w.Sems[i].Value)
		}
		if err := onList(m.waiters, waitSem, int32(i), "semaphore "+s.w.Sems[i].Name); err != nil {
			return err
		}
	}
	for i := range s.tevents {
		e := &s.tevents[i]
		if e.set && len(e.waiters) > 0 {
			return fmt.Errorf("event %s is set, yet %d threads wait for it", s.w.Events[i], len(e.waiters))
		}
		if err := onList(e.waiters, waitEvent, int32(i), "event "+s.w.Events[i]); err != nil {
			return err
		}
	}
	for i := range s.queues {
		q := &s.queues[i]
		name := "queue " + s.w.Queues[i].Name
		for _, x := range []struct {
			list []int32
			k    waitKind
		}{{q.getters, waitQueueGet}, {q.putters, waitQueuePut}, {q.joiners, waitQueueJoin}} {
			if err := onList(x.list, x.k, int32(i), name); err != nil {
				return err
			}
		}
	}
	for i, list := range s.joiners {
		if err := onList(list, waitThread, int32(i), s.ThreadName(int32(i))); err != nil {
			return err
		}
	}
	for p := range s.procs {
		if err := onList(s.procs[p].joiners, waitProc, int32(p), "process "+s.w.Procs[p].Name); err != nil {
			return err
		}
	}
	for i := range s.threads {
		t := &s.threads[i]
		want, listed := StateDone, false
		switch t.waitK {
		case waitNothing:
			if t.state.Blocked() && (t.ev != evWake || t.hpos < 0) {
				return fmt.Errorf("%s is %s, waiting for nothing, with no wake-up pending", s.ThreadName(t.id), t.state)
			}
			continue
		case waitLock, waitSem, waitEvent:
			want, listed = StateWaitLock, true
		case waitQueueGet, waitQueuePut, waitQueueJoin:
			want, listed = StateQueue, true
		case waitThread, waitProc:
			want, listed = StateJoin, true
		case waitShutdown:
			p := &s.procs[t.proc]
			if t.id != p.main || p.live == 0 && p.liveKids == 0 {
				return fmt.Errorf("%s waits at shutdown, but is not a main thread or has nothing to wait for", s.ThreadName(t.id))
			}
			want = StateJoin
		case waitIO, waitSleep:
			want = StateIO
			if t.waitK == waitSleep {
				want = StateSleep
			}
			if t.ev != evTimer {
				return fmt.Errorf("%s is in a timed wait without a timer", s.ThreadName(t.id))
			}
		case waitSelect:
			if t.loop < 0 || s.loops[t.loop].phase != phaseWait || s.loops[t.loop].cur >= 0 {
				return fmt.Errorf("%s waits in a selector its loop is not in", s.ThreadName(t.id))
			}
			want = StateIO
		}
		if t.state != want {
			return fmt.Errorf("%s waits (kind %d) while %s", s.ThreadName(t.id), t.waitK, t.state)
		}
		if listed && lists[i] != 1 {
			return fmt.Errorf("%s is %s but on %d waiter lists", s.ThreadName(t.id), t.state, lists[i])
		}
	}
	return nil
}

func (s *Sim) checkQueues() error {
	for i := range s.queues {
		q := &s.queues[i]
		spec := &s.w.Queues[i]
		if q.gets > q.puts || uint64(q.depth()) != q.puts-q.gets {
			return fmt.Errorf("queue %s holds %d items after %d puts and %d gets", spec.Name, q.depth(), q.puts, q.gets)
		}
		if spec.MaxSize > 0 && q.depth() > spec.MaxSize {
			return fmt.Errorf("queue %s holds %d items, more than its maxsize %d", spec.Name, q.depth(), spec.MaxSize)
		}
		if q.unfinished < 0 || uint64(q.unfinished) > q.puts {
			return fmt.Errorf("queue %s has %d unfinished tasks after %d puts", spec.Name, q.unfinished, q.puts)
		}
	}
	return nil
}

// checkTasks checks each event loop and task: a loop runs at most one task
// step, in a live thread that is not in its selector; a task's state says
// where it is (on its loop's ready queue, among its timers, awaiting
// others); the task a thread runs is its loop's current one.
func (s *Sim) checkTasks() error {
	nt := int32(len(s.threads))
	running := make([]int, len(s.loops))
	timers := make([]int8, len(s.tasks))
	ready := make([]int8, len(s.tasks))
	for l := range s.loops {
		L := &s.loops[l]
		t := &s.threads[L.thread]
		if t.loop != int32(l) {
			return fmt.Errorf("loop %d's thread %s runs loop %d", l, s.ThreadName(t.id), t.loop)
		}
		if L.cur >= 0 {
			if t.state == StateNew || t.state == StateDone || t.state == StateStarting || t.waitK == waitSelect || L.phase != phaseRun {
				return fmt.Errorf("loop %d runs task %s while its thread is %s", l, s.w.Tasks[L.cur].Name, t.state)
			}
			if t.cur != nt+L.cur || s.tasks[L.cur].state != TaskRunning {
				return fmt.Errorf("loop %d runs task %s, which is %s, while its thread runs frame %d", l, s.w.Tasks[L.cur].Name, s.tasks[L.cur].state, t.cur)
			}
		}
		for i := 0; i < L.ready.len(); i++ {
			ready[L.ready.at(i)]++
		}
		for _, x := range L.timers {
			timers[x.task]++
			if s.tasks[x.task].loop != int32(l) {
				return fmt.Errorf("loop %d has a timer for task %s of loop %d", l, s.w.Tasks[x.task].Name, s.tasks[x.task].loop)
			}
		}
	}
	for i := range s.threads {
		if t := &s.threads[i]; t.cur != t.id && t.state != StateDone && (t.loop < 0 || s.loops[t.loop].cur != t.cur-nt) {
			return fmt.Errorf("%s runs a task step its loop does not know of", s.ThreadName(t.id))
		}
	}
	for k := range s.tasks {
		tk := &s.tasks[k]
		name := s.w.Tasks[k].Name
		if (tk.state == TaskPending) != (tk.loop < 0) {
			return fmt.Errorf("task %s is %s with loop %d", name, tk.state, tk.loop)
		}
		switch tk.state {
		case TaskRunning:
			L := &s.loops[tk.loop]
			if running[tk.loop]++; running[tk.loop] > 1 {
				return fmt.Errorf("loop %d runs two tasks at once", tk.loop)
			}
			// A loop whose thread died in a step leaves its task running.
			if L.cur != int32(k) && s.threads[L.thread].state != StateDone {
				return fmt.Errorf("task %s is running but its loop runs %d", name, L.cur)
			}
		case TaskReady:
			if ready[k] == 0 {
				return fmt.Errorf("task %s is ready but not on its loop's ready queue", name)
			}
		case TaskSleeping, TaskIO:
			if timers[k] != 1 {
				return fmt.Errorf("task %s is %s with %d timers", name, tk.state, timers[k])
			}
		case TaskAwaiting:
			if tk.waitN <= 0 {
				return fmt.Errorf("task %s awaits %d tasks", name, tk.waitN)
			}
		}
		if timers[k] != 0 && tk.state != TaskSleeping && tk.state != TaskIO {
			return fmt.Errorf("task %s is %s but has a timer", name, tk.state)
		}
		if tk.state != TaskFinished {
			for _, a := range tk.awaiters {
				if s.tasks[a].state != TaskAwaiting {
					return fmt.Errorf("task %s awaits task %s but is %s", s.w.Tasks[a].Name, name, s.tasks[a].state)
				}
			}
		}
	}
	return nil
}

// checkProcs checks the processes' life cycle and the counts interpreter
// shutdown waits on.
func (s *Sim) checkProcs() error {
	kids := make([]int, len(s.procs))
	daemons := make([]int, len(s.procs))
	for c := range s.procs {
		if cp := &s.procs[c]; cp.alive && cp.parent >= 0 && s.w.Procs[c].Daemon {
			daemons[cp.parent]++
		} else if cp.alive && cp.parent >= 0 {
			kids[cp.parent]++
		}
	}
	for pid := range s.procs {
		p := &s.procs[pid]
		name := s.w.Procs[pid].Name
		if p.alive && (!p.started || p.exited) || p.exited && (!p.started || p.alive) {
			return fmt.Errorf("process %s is alive %v, started %v, exited %v", name, p.alive, p.started, p.exited)
		}
		live := 0
		for _, id := range s.byProc[pid] {
			t := &s.threads[id]
			if p.exited && t.state != StateDone {
				return fmt.Errorf("process %s has exited but %s is %s", name, s.ThreadName(id), t.state)
			}
			if !t.daemon && id != p.main && t.state != StateNew && t.state != StateDone {
				live++
			}
		}
		if !p.exited && (p.live != live || p.liveKids != kids[pid]) {
			return fmt.Errorf("process %s counts %d live threads and %d children, not %d and %d", name, p.live, p.liveKids, live, kids[pid])
		}
		if !p.exited && p.daemons != daemons[pid] {
			return fmt.Errorf("process %s counts %d daemon children, not %d", name, p.daemons, daemons[pid])
		}
	}
	if s.procs[0].exited != (s.out == OutcomeCompleted) {
		return fmt.Errorf("the main process exited %v, but the run's outcome is %s", s.procs[0].exited, s.out)
	}
	return nil
}

// checkTimedWaits checks process p's timed waits: every waiter in one is
// kept once, in the fresh queue in the order of its first expiry (which
// may have passed since its GIL last changed), or in the ring in phase
// order once it has passed; and the one in
// the event heap is the next expiry that counts, as found by looking at
// every waiter's expiries one by one.
func (s *Sim) checkTimedWaits(p int32, g *gilState) error {
	waiting := map[int32]bool{}
	for _, id := range s.byProc[p] {
		t := &s.threads[id]
		if (t.tin != tinNone) != (t.ev == evTimeout) || t.ev == evTimeout && t.gw != gwTimed {
			return fmt.Errorf("%s's timed wait is kept as %d with event %d in GIL wait %d", s.ThreadName(id), t.tin, t.ev, t.gw)
		}
		if t.ev == evTimeout {
			waiting[id] = true
			if (t.hpos >= 0) != (g.cand == id) {
				return fmt.Errorf("%s's timed wait is in the heap: %v, its GIL's next: %v", s.ThreadName(id), t.hpos >= 0, g.cand == id)
			}
		}
	}
	if g.cand >= 0 && !waiting[g.cand] {
		return fmt.Errorf("process %d's next timed wait is %s's, which is not waiting", p, s.ThreadName(g.cand))
	}
	seen := 0
	var pt Time
	var pk uint64
	for i := g.fhead; i < len(g.fresh); i++ {
		e := g.fresh[i]
		t := &s.threads[e.id]
		if t.tin != tinFresh || t.key != e.key {
			continue
		}
		if e.f != t.tf {
			return fmt.Errorf("%s is fresh with its first expiry at %s, not %s", s.ThreadName(e.id), e.f, t.tf)
		}
		if seen > 0 && !before(pt, pk, e.f, e.key) {
			return fmt.Errorf("%s is out of order in the fresh queue", s.ThreadName(e.id))
		}
		pt, pk = e.f, e.key
		seen++
	}
	var walk func(n int32) (int, error)
	var last *ringNode
	walk = func(n int32) (int, error) {
		if n < 0 {
			return 0, nil
		}
		t, rn := &s.threads[n], &s.rnodes[n]
		for _, c := range []int32{rn.l, rn.r} {
			if c >= 0 && s.rnodes[c].prio > rn.prio {
				return 0, fmt.Errorf("the ring's heap order is broken under %s", s.ThreadName(n))
			}
		}
		if rn.key != t.key || rn.ph != t.tf%s.timedWait() || rn.prio != treapPrio(t.key) {
			return 0, fmt.Errorf("%s's ring node does not match its timed wait", s.ThreadName(n))
		}
		a, err := walk(rn.l)
		if err != nil {
			return 0, err
		}
		if t.tin != tinRing || !waiting[n] || before(s.tcT, s.tcK, t.tf, t.key) {
			return 0, fmt.Errorf("%s is in the ring, kept as %d, its first expiry at %s, the cursor at %s", s.ThreadName(n), t.tin, t.tf, s.tcT)
		}
		if last != nil && !last.less(rn) {
			return 0, fmt.Errorf("%s is out of order in the ring", s.ThreadName(n))
		}
		last = rn
		b, err := walk(rn.r)
		return a + b + 1, err
	}
	inRing, err := walk(g.ring)
	if err != nil {
		return err
	}
	if seen+inRing != len(waiting) {
		return fmt.Errorf("process %d has %d timed waits, %d fresh and %d in the ring", p, len(waiting), seen, inRing)
	}
	if g.dirty {
		return nil
	}
	// Every waiter's expiries one by one: the first after the cursor that
	// counts.
	per := s.timedWait()
	best, bt, bk := int32(-1), Time(0), uint64(0)
	for id := range waiting {
		t := &s.threads[id]
		if g.locked && g.dropRequest {
			break
		}
		for j := Time(0); ; j++ {
			e := t.tf + j*per
			if !before(s.tcT, s.tcK, e, t.key) {
				continue
			}
			counts := !g.locked
			if g.locked {
				if j == 0 {
					counts = t.saved == g.switchNo
				} else {
					counts = before(g.swT, g.swK, e-per, t.key)
				}
			}
			if counts {
				if best < 0 || before(e, t.key, bt, bk) {
					best, bt, bk = id, e, t.key
				}
				break
			}
		}
	}
	if best != g.cand || best >= 0 && s.threads[best].at != bt {
		return fmt.Errorf("process %d's next timed wait that counts is %d at %s, not %d", p, best, bt, g.cand)
	}
	return nil
}
