package sim

import "slices"

// Clone returns an independent copy of the run at this instant. Stepping
// either leaves the other unchanged, and both go on exactly as the
// original would have: the random generator's state is copied too. The
// workload and its code are shared; they never change after New.
func (s *Sim) Clone() *Sim {
	c := *s
	c.threads = slices.Clone(s.threads)
	c.joiners = cloneLists(s.joiners)
	c.frames = slices.Clone(s.frames)
	c.procs = slices.Clone(s.procs)
	for i := range c.procs {
		c.procs[i].joiners = slices.Clone(s.procs[i].joiners)
	}
	c.locks = slices.Clone(s.locks)
	for i := range c.locks {
		c.locks[i].waiters = slices.Clone(s.locks[i].waiters)
	}
	c.vars = slices.Clone(s.vars)
	c.queues = slices.Clone(s.queues)
	for i := range c.queues {
		q := &c.queues[i]
		q.items = s.queues[i].items.clone()
		q.getters = slices.Clone(q.getters)
		q.putters = slices.Clone(q.putters)
		q.joiners = slices.Clone(q.joiners)
	}
	c.tasks = slices.Clone(s.tasks)
	for i := range c.tasks {
		c.tasks[i].awaiters = slices.Clone(s.tasks[i].awaiters)
	}
	c.loops = slices.Clone(s.loops)
	for i := range c.loops {
		c.loops[i].ready = s.loops[i].ready.clone()
		c.loops[i].timers = slices.Clone(s.loops[i].timers)
	}
	c.heap = slices.Clone(s.heap)
	c.cores = slices.Clone(s.cores)
	c.slice = slices.Clone(s.slice)
	c.free = s.free.clone()
	c.late = s.late.clone()
	c.stale = s.stale.clone()
	c.least = s.least.clone()
	c.most = s.most.clone()
	c.scratch = nil
	// The trace, console and latencies only grow: sharing their prefix is
	// safe once appends can no longer write into the shared array.
	if len(s.trace) > 0 {
		c.trace = s.trace[:len(s.trace):len(s.trace)]
		s.traceShared, c.traceShared = true, true
	} else {
		// Nothing to share: each keeps (or grows) its own buffer.
		c.trace, c.traceShared = nil, false
	}
	c.console = s.console[:len(s.console):len(s.console)]
	c.lat = s.lat[:len(s.lat):len(s.lat)]
	return &c
}

func cloneLists(l [][]int32) [][]int32 {
	c := make([][]int32, len(l))
	for i, x := range l {
		c[i] = slices.Clone(x)
	}
	return c
}
