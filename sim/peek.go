package sim

// Peeking at one thing. A watcher that looks at every trace event of a run
// (millions of them) needs to ask about the one thread, task or core an
// event concerns without building a Snapshot, which copies everything. Each
// accessor here is O(1), allocates nothing, changes nothing, and answers
// for the instant after the last Step; an id out of range gets the zero
// answer.

// NumThreads returns the number of threads of the workload, started or not.
func (s *Sim) NumThreads() int { return len(s.threads) }

// ThreadsIn returns the number of threads in state st, in constant time.
func (s *Sim) ThreadsIn(st State) int {
	if st >= numStates {
		return 0
	}
	return int(s.inState[st])
}

// ThreadState returns the state thread id is in.
func (s *Sim) ThreadState(id int32) State {
	if id < 0 || int(id) >= len(s.threads) {
		return StateNew
	}
	return s.threads[id].state
}

// StateSince returns when thread id entered the state it is in.
func (s *Sim) StateSince(id int32) Time {
	if id < 0 || int(id) >= len(s.threads) {
		return 0
	}
	return s.threads[id].since
}

// AtExit reports whether thread id is a main thread whose code has ended
// and which waits in interpreter shutdown for its process's non-daemon
// threads and children (ThreadView.AtExit).
func (s *Sim) AtExit(id int32) bool {
	if id < 0 || int(id) >= len(s.threads) {
		return false
	}
	t := &s.threads[id]
	return t.waitK == waitShutdown && t.state != StateDone
}

// ThreadTask returns the asyncio task whose step thread id is running, or
// -1 when it runs no step (its own code, or its loop between steps).
func (s *Sim) ThreadTask(id int32) int32 {
	if id < 0 || int(id) >= len(s.threads) {
		return -1
	}
	t := &s.threads[id]
	if t.cur == t.id {
		return -1
	}
	return t.cur - int32(len(s.threads))
}

// NumTasks returns the number of asyncio tasks of the workload.
func (s *Sim) NumTasks() int { return len(s.tasks) }

// TaskState returns the state task k is in.
func (s *Sim) TaskState(k int32) TaskState {
	if k < 0 || int(k) >= len(s.tasks) {
		return TaskPending
	}
	return s.tasks[k].state
}

// CoreThread returns the thread on core c, or -1 for an idle core.
func (s *Sim) CoreThread(c int) int32 {
	if c < 0 || c >= len(s.cores) {
		return -1
	}
	return s.cores[c]
}

// VarValue returns the value of shared variable v.
func (s *Sim) VarValue(v int32) int64 {
	if v < 0 || int(v) >= len(s.vars) {
		return 0
	}
	return s.vars[v].val
}

// ProcStartTime returns when process p was started (zero for the main
// process, and for a process not started yet).
func (s *Sim) ProcStartTime(p int32) Time {
	if p < 0 || int(p) >= len(s.procs) {
		return 0
	}
	return s.procs[p].startAt
}

// MaxLate returns, for the event loop thread id runs, the longest any
// task's step has begun after its sleep was over (LoopView.MaxLate); zero
// when the thread runs no loop.
func (s *Sim) MaxLate(id int32) Time {
	if id < 0 || int(id) >= len(s.threads) || s.threads[id].loop < 0 {
		return 0
	}
	return s.loops[s.threads[id].loop].maxLate
}
