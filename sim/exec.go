package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The interpreter of pseudo-thread programs. exec runs an on-core thread's
// ops until one takes time (a CPU burst, with an evCPU at its end) or
// blocks (the thread leaves its core). Ops that take no time run back to
// back within one event.

// exec runs t, which is on a core, as far as it goes at this instant.
func (s *Sim) exec(t *thread) {
	for n := 0; n < execBudget; n++ {
		if t.core < 0 || t.state == StateDone {
			return
		}
		if t.cpu != cpuNone {
			if s.burstNeedsGIL(t) && !t.hasGIL && !s.takeGIL(t) {
				return
			}
			s.setRunState(t)
			s.reschedule(t)
			return
		}
		fr := &s.frames[t.cur]
		code := s.codes[t.cur]
		atEnd := int(fr.pc) >= len(code)
		if !t.hasGIL && s.hasGIL() {
			// Every op runs Python, and so does returning from the thread's
			// function; only a woken lock waiter takes the lock first, and a
			// booting interpreter has no other thread to share with.
			// A thread back from waiting for the switch in drop_gil goes on
			// with the op it released the GIL for.
			if atEnd || !(code[fr.pc].Kind == OpAcquire && t.resume == resumeLock) && code[fr.pc].Kind != opBoot && t.resume != resumeSwitched {
				if !s.takeGIL(t) {
					return
				}
			}
		}
		if atEnd {
			if !s.frameEnd(t) {
				return
			}
			continue
		}
		op := &code[fr.pc]
		if op.Kind != opBoot {
			s.setState(t, StateRunning)
		}
		t.resume = resumeRun
		if fr.reqEnd {
			s.endRequest(t, fr)
		}
		if !s.do(t, op, fr) {
			return
		}
	}
	s.schedule(t, s.now, evContinue)
}

// burstNeedsGIL reports whether t's CPU burst runs with the GIL held.
func (s *Sim) burstNeedsGIL(t *thread) bool {
	if !s.hasGIL() {
		return false
	}
	switch t.cpu {
	case cpuLoopIter:
		return true
	case cpuOp:
		switch s.curOp(t).Kind {
		case OpNative, OpStart, opBoot:
			return false
		}
		return true
	}
	return false
}

// pythonTime is how long d of Python takes under the model.
func (s *Sim) pythonTime(d Time) Time {
	d = s.cfg.scalePython(d)
	if s.cfg.Model == ModelFreeThreaded {
		d += Time(float64(d) * s.cfg.FreeThreadTax)
	}
	return s.jitter(d)
}

// do carries out op for t. It returns true when t should go straight on to
// its next op, and false when t now waits for an event.
func (s *Sim) do(t *thread, op *Op, fr *frame) bool {
	switch op.Kind {
	case OpPython:
		d := s.pythonTime(Time(op.Dur))
		if d == 0 {
			fr.pc++
			return true
		}
		s.startCPU(t, cpuOp, d)
		return false
	case OpNative:
		if s.switchFirst(t, ReasonNative) {
			return false
		}
		s.releaseGIL(t, ReasonNative)
		return s.burst(t, fr, Time(op.Dur))
	case OpNativeHold:
		return s.burst(t, fr, Time(op.Dur))
	case OpIO, OpSleep:
		st, r, wk := StateIO, ReasonIO, waitIO
		if op.Kind == OpSleep {
			st, r, wk = StateSleep, ReasonSleep, waitSleep
		}
		if s.switchFirst(t, r) {
			return false
		}
		s.openRequest(fr, op.Req)
		s.block(t, st, r, wk, -1)
		s.schedule(t, s.now+s.jitter(Time(op.Dur)), evTimer)
		return false
	case OpCheck:
		fr.pc++
		return !s.checkPoint(t)
	case OpLoop:
		if op.N == 0 {
			fr.pc = op.jump + 1
			return true
		}
		fr.loops[fr.depth] = max(op.N-1, -1)
		fr.depth++
		fr.pc++
		return true
	case OpEnd:
		r := &fr.loops[fr.depth-1]
		if *r == 0 {
			fr.depth--
			fr.pc++
		} else {
			if *r > 0 {
				*r--
			}
			fr.pc = op.jump + 1
		}
		return !s.checkPoint(t)
	case OpBreakIfNone:
		if fr.regNone {
			fr.depth--
			fr.pc = op.jump + 1
		} else {
			fr.pc++
		}
		return true
	case OpLoad:
		v := &s.vars[op.Obj]
		fr.reg, fr.regNone, fr.regText, fr.loadVer = v.val, false, false, v.ver
		fr.pc++
		return true
	case OpStore:
		s.store(t, op, fr)
		fr.pc++
		return true
	case OpRaise:
		exc, msg, _ := strings.Cut(op.Text, ": ")
		return s.raise(t, exc, msg)
	case OpClock:
		fr.marks[op.Obj] = s.now
		fr.pc++
		return true
	case OpPrint:
		text := op.Text
		if strings.Contains(text, "{}") {
			text = strings.ReplaceAll(text, "{}", s.regString(fr))
		}
		if strings.Contains(text, clockOpen) {
			text = clockString(text, fr)
		}
		s.print(t, text, false)
		fr.pc++
		return true
	case OpStart:
		c := &s.threads[op.Obj]
		if c.started {
			return s.raise(t, "RuntimeError", "threads can only be started once")
		}
		if s.switchFirst(t, ReasonStart) {
			return false
		}
		c.started = true
		s.releaseGIL(t, ReasonStart)
		if s.cfg.ThreadStart > 0 {
			s.startCPU(t, cpuOp, Time(s.cfg.ThreadStart))
			return false
		}
		fr.pc++
		s.startThread(c)
		return true
	case OpJoin:
		c := &s.threads[op.Obj]
		if c.state == StateDone {
			fr.pc++
			return true
		}
		if !c.started {
			return s.raise(t, "RuntimeError", "cannot join thread before it is started")
		}
		if c.id == t.id {
			return s.raise(t, "RuntimeError", "cannot join current thread")
		}
		if s.switchFirst(t, ReasonJoin) {
			return false
		}
		s.block(t, StateJoin, ReasonJoin, waitThread, c.id)
		s.joiners[c.id] = append(s.joiners[c.id], t.id)
		s.timeout(t, op)
		return false
	case OpSemAcquire:
		return s.semAcquire(t, op, fr)
	case OpSemRelease:
		return s.semRelease(t, op, fr)
	case OpEventWait, OpEventSet, OpEventClear:
		return s.eventOp(t, op, fr)
	case OpAcquire:
		return s.lockAcquire(t, op, fr)
	case OpRelease:
		return s.lockRelease(t, op, fr)
	case OpProcStart:
		p := &s.procs[op.Obj]
		if p.started {
			return s.raise(t, "AssertionError", "cannot start a process twice")
		}
		p.started = true
		p.parent = t.proc
		s.startCPU(t, cpuOp, Time(s.cfg.ProcStartParent[s.w.Procs[op.Obj].Start]))
		return false
	case OpProcJoin:
		p := &s.procs[op.Obj]
		if p.exited {
			fr.pc++
			return true
		}
		if !p.started {
			return s.raise(t, "AssertionError", "can only join a started process")
		}
		if s.switchFirst(t, ReasonJoin) {
			return false
		}
		s.block(t, StateJoin, ReasonJoin, waitProc, op.Obj)
		p.joiners = append(p.joiners, t.id)
		s.timeout(t, op)
		return false
	case OpProcTerminate:
		if p := &s.procs[op.Obj]; p.started && !p.exited {
			s.terminate(op.Obj)
		}
		fr.pc++
		return true
	case OpPut:
		return s.put(t, op, fr)
	case OpGet:
		return s.get(t, op, fr)
	case OpTaskDone:
		return s.taskDone(t, op, fr)
	case OpQueueJoin:
		return s.queueJoin(t, op, fr)
	case OpRunLoop:
		return s.drive(t, op)
	case OpAwaitSleep, OpAwaitIO, OpCreateTask, OpAwaitTask, OpGather:
		return s.doAsync(t, op, fr)
	case opBoot:
		s.startCPU(t, cpuOp, s.jitter(Time(s.cfg.ProcStartChild[s.w.Procs[t.proc].Start])))
		s.setState(t, StateStarting)
		return false
	}
	panic(fmt.Sprintf("sim: op %s not handled", op.Kind))
}

// burst starts a CPU burst of d for the current op, or steps over the op
// if d is zero.
func (s *Sim) burst(t *thread, fr *frame, d Time) bool {
	d = s.jitter(d)
	if d == 0 {
		fr.pc++
		return true
	}
	s.startCPU(t, cpuOp, d)
	return false
}

// cpuDone finishes t's CPU burst and carries on.
func (s *Sim) cpuDone(t *thread) {
	k := t.cpu
	t.cpu = cpuNone
	switch k {
	case cpuWindow:
		s.py2WindowEnd(t)
		return
	case cpuLoopIter:
		s.exec(t)
		return
	}
	fr := &s.frames[t.cur]
	op := &s.codes[t.cur][fr.pc]
	switch op.Kind {
	case OpPython:
		fr.pc++
		if op.Check > 0 && s.checkPoint(t) {
			return
		}
	case OpStart:
		fr.pc++
		s.startThread(&s.threads[op.Obj])
	case OpProcStart:
		fr.pc++
		s.startProcess(op.Obj)
	case opBoot:
		fr.pc++
		p := &s.procs[t.proc]
		p.readyAt = s.now
		s.setState(t, StateRunning)
		if s.cfg.Trace {
			s.emit(TraceEvent{Kind: TraceProcReady, Thread: t.id, Proc: t.proc, Peer: -1, Line: s.line(t)})
		}
	case OpPut, OpGet:
		// Pickling done; the op itself runs again to finish.
	default:
		fr.pc++
	}
	s.exec(t)
}

// drop returns list without id, in a copy: lists are shared with clones
// of the run.
func drop(list []int32, id int32) []int32 {
	out := make([]int32, 0, len(list))
	for _, x := range list {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// block takes t off its core into a blocked state, releasing the GIL.
func (s *Sim) block(t *thread, st State, r Reason, wk waitKind, obj int32) {
	s.releaseLeaving(t, r)
	t.waitK, t.waitO = wk, obj
	s.leaveCore(t)
	s.setState(t, st)
}

// timeout starts the timer of a timed wait (op's N is 1): when it fires
// first, onTimer takes the thread off the waiters and it goes on.
func (s *Sim) timeout(t *thread, op *Op) {
	if op.N == 1 {
		s.schedule(t, s.now+Time(op.Dur), evTimer)
	}
}

// onTimer ends an off-core timed wait.
func (s *Sim) onTimer(t *thread) {
	switch t.waitK {
	case waitSelect:
		s.selectReturn(t)
		return
	case waitThread:
		s.joiners[t.waitO] = drop(s.joiners[t.waitO], t.id)
	case waitProc:
		s.procs[t.waitO].joiners = drop(s.procs[t.waitO].joiners, t.id)
	case waitEvent:
		e := &s.tevents[t.waitO]
		e.waiters = drop(e.waiters, t.id)
	}
	s.frames[t.cur].pc++
	t.waitK, t.waitO = waitNothing, -1
	s.wakeUp(t, resumeRun)
}

// wake wakes a blocked thread: after the wake-up latency it wants a core,
// and then does what r says.
func (s *Sim) wake(id int32, r resumeKind) {
	t := &s.threads[id]
	if t.state == StateDone {
		return
	}
	t.waitK, t.waitO = waitNothing, -1
	t.resume = r
	s.schedule(t, s.now+s.wakeLatency(), evWake)
}

func (s *Sim) openRequest(fr *frame, r Req) {
	if r == ReqBegin || r == ReqWhole {
		fr.reqStart, fr.reqOpen = s.now, true
	}
	if (r == ReqEnd || r == ReqWhole) && fr.reqOpen {
		// Ends when this frame next runs Python: after the I/O, with the
		// GIL retaken.
		fr.reqEnd = true
	}
}

func (s *Sim) endRequest(t *thread, fr *frame) {
	l := s.now - fr.reqStart
	fr.reqOpen, fr.reqEnd = false, false
	if s.lat.len() == 0 || fr.reqStart < s.reqFrom {
		s.reqFrom = fr.reqStart
	}
	s.reqTo = s.now
	s.lat.add(l)
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceRequest, Thread: t.id, Proc: t.proc, Peer: -1, Value: int64(l), Line: s.line(t)})
	}
}

func (s *Sim) store(t *thread, op *Op, fr *frame) {
	v := &s.vars[op.Obj]
	if v.ver != fr.loadVer {
		// Stores since our load are overwritten: the increments they made
		// are lost. The difference can be negative when this store puts back
		// a value that an earlier stale store had rolled back; summed over
		// all stores it is exactly the expected total minus the final value.
		lost := v.val - fr.reg
		v.lost += lost
		s.tot.lost += lost
		if s.cfg.Trace {
			s.emit(TraceEvent{Kind: TraceLostUpdate, Thread: t.id, Proc: t.proc, Peer: v.writer, Obj: op.Obj, Value: lost, Line: op.Line})
		}
	}
	v.val = fr.reg + op.N
	v.ver++
	v.writer = t.id
}

func (s *Sim) regString(fr *frame) string {
	if fr.regNone {
		return "None"
	}
	if fr.regText {
		return s.w.Texts[fr.reg]
	}
	return strconv.FormatInt(fr.reg, 10)
}

// clockString replaces each ClockText in text with the seconds it shows.
func clockString(text string, fr *frame) string {
	var b strings.Builder
	for {
		before, rest, ok := strings.Cut(text, clockOpen)
		b.WriteString(before)
		if !ok {
			return b.String()
		}
		field, after, _ := strings.Cut(rest, clockClose)
		text = after
		parts := strings.SplitN(field, ",", 4)
		if len(parts) != 4 {
			continue
		}
		x, _ := strconv.Atoi(parts[0])
		y, _ := strconv.Atoi(parts[1])
		scale, _ := strconv.ParseFloat(parts[2], 64)
		if x < 0 || x >= MaxMarks || y >= MaxMarks {
			continue
		}
		d := fr.marks[x]
		if y >= 0 {
			d -= fr.marks[y]
		}
		b.WriteString(formatFloat(d.Seconds()*scale, parts[3]))
	}
}

// formatFloat formats f as Python's format(f, spec) does, for an empty
// spec (repr) and the fixed, exponent and percent forms with a precision.
func formatFloat(f float64, spec string) string {
	if spec == "" {
		s := strconv.FormatFloat(f, 'g', -1, 64)
		if a := math.Abs(f); a >= 1e16 || a != 0 && a < 1e-4 {
			// Go's shortest form with an exponent is Python's: 1e-05.
			return s
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	prec := 6
	kind := spec[len(spec)-1]
	if p, err := strconv.Atoi(strings.TrimPrefix(spec[:len(spec)-1], ".")); err == nil {
		prec = p
	}
	switch kind {
	case 'e':
		return strconv.FormatFloat(f, 'e', prec, 64)
	case '%':
		return strconv.FormatFloat(f*100, 'f', prec, 64) + "%"
	case 'g':
		return strconv.FormatFloat(f, 'g', prec, 64)
	}
	return strconv.FormatFloat(f, 'f', prec, 64)
}

// print appends a line to the console.
func (s *Sim) print(t *thread, text string, stderr bool) {
	s.console.add(ConsoleLine{At: s.now, Thread: t.id, Proc: t.proc, Text: text, Stderr: stderr})
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TracePrint, Thread: t.id, Proc: t.proc, Peer: -1, Line: s.line(t), Text: text})
	}
}

// frameEnd runs when a frame's code is exhausted. It reports whether t goes
// on executing.
func (s *Sim) frameEnd(t *thread) bool {
	if t.cur != t.id {
		s.taskFinished(t)
		return true
	}
	s.threadEnd(t)
	return false
}

// raise ends t with an exception printed as CPython prints an uncaught one.
// It returns false: t does not go on.
func (s *Sim) raise(t *thread, exc, msg string) bool {
	p := &s.procs[t.proc]
	ts := &s.w.Threads[t.id]
	fn := ts.Func
	if t.cur != t.id {
		fn = s.w.Tasks[int(t.cur)-len(s.threads)].Coro
	}
	var lines []string
	switch {
	case t.id == p.main && t.proc != 0:
		lines = append(lines, "Process "+s.w.Procs[t.proc].Name+":",
			"Traceback (most recent call last):",
			`  File "/usr/lib/python3.12/multiprocessing/process.py", line 314, in _bootstrap`,
			"    self.run()",
			`  File "/usr/lib/python3.12/multiprocessing/process.py", line 108, in run`,
			"    self._target(*self._args, **self._kwargs)")
	case t.id != p.main:
		name := ts.Name
		if !strings.HasSuffix(name, "("+fn+")") {
			// CPython 3.10 and later name a thread after its target.
			name += " (" + fn + ")"
		}
		lines = append(lines, fmt.Sprintf("Exception in thread %s:", name),
			"Traceback (most recent call last):",
			`  File "/usr/lib/python3.12/threading.py", line 1073, in _bootstrap_inner`,
			"    self.run()",
			`  File "/usr/lib/python3.12/threading.py", line 1010, in run`,
			"    self._target(*self._args, **self._kwargs)")
	default:
		lines = append(lines, "Traceback (most recent call last):")
		if fn == "" {
			fn = "<module>"
		}
	}
	file := s.w.File
	if file == "" {
		file = "main.py"
	}
	ln := s.line(t)
	lines = append(lines, fmt.Sprintf(`  File "%s", line %d, in %s`, file, ln, fn))
	if src := s.SourceLine(int(ln)); src != "" {
		lines = append(lines, "    "+src)
	}
	lines = append(lines, exc+": "+msg)
	for _, l := range lines {
		s.print(t, l, true)
	}
	if s.cfg.Trace {
		s.emit(TraceEvent{Kind: TraceException, Thread: t.id, Proc: t.proc, Peer: -1, Line: ln, Text: exc + ": " + msg})
	}
	if t.id == p.main {
		p.exitCode = 1
		p.exc = exc + ": " + msg
	}
	if t.cur != t.id {
		// The exception escapes the event loop with the task that raised it.
		s.tasks[int(t.cur)-len(s.threads)].state = TaskFinished
		s.loops[t.loop].cur = -1
		t.cur = t.id
	}
	s.threadEnd(t)
	return false
}
