package sim

import "fmt"

// The asyncio event loop, after BaseEventLoop._run_once: each iteration
// polls the selector (timeout 0 if callbacks are ready, else until the next
// timer or I/O completion), moves completed I/O and due timers to the ready
// queue, and then runs exactly the callbacks that were ready when the
// iteration began. A task step, from one await to the next, is one
// callback. The loop runs in an ordinary thread: it needs the GIL to run
// callbacks and releases it in the selector.

type loopPhase uint8

const (
	phaseRun    loopPhase = iota // running this iteration's callbacks
	phasePay                     // about to spend the iteration's own CPU
	phaseSelect                  // about to poll the selector
	phaseWait                    // blocked in the selector
)

func (s *Sim) taskFrame(k int32) int32 { return int32(len(s.threads)) + k }

// drive is OpRunLoop: it runs the loop of thread t. It returns true when t
// goes on executing (a task step, or the code after the loop).
func (s *Sim) drive(t *thread, op *Op) bool {
	if t.loop < 0 {
		t.loop = int32(len(s.loops))
		s.loops = append(s.loops, loop{thread: t.id, main: op.Obj, cur: -1})
		s.scheduleTask(&s.loops[t.loop], op.Obj)
	}
	L := &s.loops[t.loop]
	for {
		switch L.phase {
		case phaseRun:
			if L.ntodo > 0 {
				k := L.ready.pop()
				L.ntodo--
				s.traceReady(t, L)
				tk := &s.tasks[k]
				if tk.state == TaskFinished {
					continue
				}
				tk.state = TaskRunning
				if tk.due > 0 {
					L.maxLate = max(L.maxLate, s.now-tk.due)
					tk.due = 0
				}
				L.cur, L.start = k, s.now
				t.cur = s.taskFrame(k)
				if s.cfg.Trace {
					s.emit(TraceEvent{Kind: TraceStep, Thread: t.id, Proc: t.proc, Peer: -1, Obj: k, Value: int64(L.ready.len()), Line: s.line(t)})
				}
				return true
			}
			if L.stopping {
				L.closed = true
				s.frames[t.id].pc++
				return true
			}
			L.phase = phasePay
		case phasePay:
			L.phase = phaseSelect
			s.startCPU(t, cpuLoopIter, s.jitter(Time(s.cfg.LoopIteration)))
			return false
		case phaseSelect:
			L.iters++
			timeout := Time(-1)
			if L.ready.len() > 0 {
				timeout = 0
			} else if len(L.timers) > 0 {
				timeout = max(0, L.timers[0].at-s.now)
				if r := Time(s.cfg.SelectorResolution); r > 0 {
					timeout = (timeout + r - 1) / r * r
				}
			}
			if s.switchFirst(t, ReasonSelect) {
				L.iters--
				return false
			}
			if timeout == 0 {
				// The selector call releases the GIL even when it does not wait.
				if t.hasGIL {
					s.releaseGIL(t, ReasonSelect)
					s.acquire(t)
				}
				s.collectDue(t, L)
				continue
			}
			L.phase = phaseWait
			s.block(t, StateIO, ReasonSelect, waitSelect, t.loop)
			if timeout > 0 {
				s.schedule(t, s.now+timeout, evTimer)
			}
			return false
		default:
			panic("sim: event loop driven while waiting in select")
		}
	}
}

// selectReturn ends the selector wait: completions and due timers become
// ready, and the loop thread wants a core to run them.
func (s *Sim) selectReturn(t *thread) {
	L := &s.loops[t.loop]
	s.collectDue(t, L)
	t.waitK, t.waitO = waitNothing, -1
	s.wakeUp(t, resumeRun)
}

// collectDue moves completed I/O, then due timers, to the ready queue and
// fixes the number of callbacks this iteration will run.
func (s *Sim) collectDue(t *thread, L *loop) {
	s.scratch = s.scratch[:0]
	for len(L.timers) > 0 && L.timers[0].at <= s.now {
		s.scratch = append(s.scratch, L.timers.pop())
	}
	for pass := 0; pass < 2; pass++ {
		for _, x := range s.scratch {
			if x.io == (pass == 0) {
				if !x.io {
					s.tasks[x.task].due = x.at
				}
				s.tasks[x.task].state = TaskReady
				L.ready.push(x.task)
			}
		}
	}
	if len(s.scratch) > 0 {
		s.traceReady(t, L)
	}
	L.ntodo = L.ready.len()
	L.phase = phaseRun
}

func (s *Sim) scheduleTask(L *loop, k int32) {
	tk := &s.tasks[k]
	tk.loop = s.threads[L.thread].loop
	tk.state = TaskReady
	L.ready.push(k)
	L.high = max(L.high, L.ready.len())
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceReady, Thread: L.thread, Proc: s.threads[L.thread].proc, Peer: -1, Obj: int32(s.threads[L.thread].loop), Value: int64(L.ready.len())})
	}
}

func (s *Sim) traceReady(t *thread, L *loop) {
	L.high = max(L.high, L.ready.len())
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceReady, Thread: t.id, Proc: t.proc, Peer: -1, Obj: t.loop, Value: int64(L.ready.len())})
	}
}

// doAsync carries out an await or task op inside a task step.
func (s *Sim) doAsync(t *thread, op *Op, fr *frame) bool {
	L := &s.loops[t.loop]
	k := L.cur
	tk := &s.tasks[k]
	switch op.Kind {
	case OpAwaitSleep:
		fr.pc++
		if op.Dur == 0 {
			tk.state = TaskReady
			L.ready.push(k)
		} else {
			tk.state = TaskSleeping
			s.seq++
			L.timers.push(timer{at: s.now + s.jitter(Time(op.Dur)), seq: s.seq, task: k})
		}
		s.stepEnd(t)
		return true
	case OpAwaitIO:
		fr.pc++
		s.openRequest(fr, op.Req)
		tk.state = TaskIO
		s.seq++
		L.timers.push(timer{at: s.now + s.jitter(Time(op.Dur)), seq: s.seq, task: k, io: true})
		s.stepEnd(t)
		return true
	case OpCreateTask:
		if s.tasks[op.Obj].loop < 0 {
			s.scheduleTask(L, op.Obj)
		}
		fr.pc++
		return true
	case OpAwaitTask, OpGather:
		first, n := op.Obj, int32(1)
		if op.Kind == OpGather {
			n = int32(op.N)
		}
		fr.pc++
		wait := int32(0)
		for j := first; j < first+n; j++ {
			if s.tasks[j].loop < 0 {
				s.scheduleTask(L, j)
			}
			if s.tasks[j].state != TaskFinished {
				s.tasks[j].awaiters = append(s.tasks[j].awaiters, k)
				wait++
			}
		}
		if wait == 0 {
			return true
		}
		tk.waitN = wait
		tk.state = TaskAwaiting
		s.stepEnd(t)
		return true
	}
	panic("sim: not an asyncio op")
}

// taskFinished runs when a task's coroutine returns: its awaiters become
// ready, and if it is the task the loop was run for, the loop stops after
// this iteration.
func (s *Sim) taskFinished(t *thread) {
	L := &s.loops[t.loop]
	k := L.cur
	tk := &s.tasks[k]
	tk.state, tk.doneAt = TaskFinished, s.now
	for _, a := range tk.awaiters {
		at := &s.tasks[a]
		if at.waitN--; at.waitN <= 0 {
			at.state = TaskReady
			L.ready.push(a)
		}
	}
	tk.awaiters = nil
	if k == L.main {
		L.stopping = true
	}
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceTaskDone, Thread: t.id, Proc: t.proc, Peer: -1, Obj: k, Line: s.line(t)})
	}
	s.stepEnd(t)
}

// stepEnd closes a task step; a step slower than SlowCallback is reported
// as asyncio's debug mode reports it.
func (s *Sim) stepEnd(t *thread) {
	L := &s.loops[t.loop]
	k := L.cur
	if d := s.now - L.start; d >= Time(s.cfg.SlowCallback) {
		s.tot.slowCalls++
		spec := &s.w.Tasks[k]
		file := s.w.File
		if file == "" {
			file = "main.py"
		}
		var what string
		if s.tasks[k].state == TaskFinished {
			what = fmt.Sprintf("<Task finished name='%s' coro=<%s() done, defined at %s:%d> result=None>", spec.Name, spec.Coro, file, firstLine(s.codes[t.cur]))
		} else {
			what = fmt.Sprintf("<Task pending name='%s' coro=<%s() running at %s:%d>>", spec.Name, spec.Coro, file, s.line(t))
		}
		text := fmt.Sprintf("Executing %s took %.3f seconds", what, d.Seconds())
		s.print(t, text, true)
		if s.cfg.Trace {
			s.emit(TraceEvent{Kind: TraceSlowCallback, Thread: t.id, Proc: t.proc, Peer: -1, Obj: k, Value: int64(d), Line: s.line(t), Text: text})
		}
	}
	L.high = max(L.high, L.ready.len())
	L.cur = -1
	t.cur = t.id
}
