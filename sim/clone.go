package sim

import "slices"

// Clone returns an independent copy of the run at this instant. Stepping
// either leaves the other unchanged, and both go on exactly as the
// original would have: the random generator's state is copied too. The
// workload and its code are shared; they never change after New.
func (s *Sim) Clone() *Sim { return s.CloneInto(nil) }

// CloneInto is Clone, but it makes the copy in dst, reusing the memory
// dst's run holds, and returns dst; with dst nil it is Clone. Going back
// to a checkpoint over and over (a player stepping back one event at a
// time) then copies the run into memory already in use, with no new
// allocation for the bulk of it. dst's run is gone afterwards: no one may
// go on using it, and no clone may have been made into s's memory.
func (s *Sim) CloneInto(dst *Sim) *Sim {
	if dst == s {
		return s
	}
	var was Sim
	if dst == nil {
		dst = new(Sim)
	} else {
		was = *dst
	}
	c := dst
	*c = *s
	// The flat per-thread and per-core arrays are most of a run's size:
	// they are copied into the memory dst had for them.
	c.threads = into(was.threads, s.threads)
	c.rnodes = into(was.rnodes, s.rnodes)
	c.frames = into(was.frames, s.frames)
	c.heap = into(was.heap, s.heap)
	c.cores = into(was.cores, s.cores)
	c.slice = into(was.slice, s.slice)
	c.vars = into(was.vars, s.vars)
	c.free = s.free.cloneInto(was.free)
	c.late = s.late.cloneInto(was.late)
	c.stale = s.stale.cloneInto(was.stale)
	c.least = s.least.cloneInto(was.least)
	c.most = s.most.cloneInto(was.most)
	// What holds lists of its own reuses its outer array; the lists that
	// change in place, usually short or empty, are copied afresh.
	// The joiners of a thread or a process are only ever appended to or
	// dropped: the copy shares them, with no room to append in place.
	c.joiners = into(was.joiners, s.joiners)
	for i, l := range c.joiners {
		c.joiners[i] = l[:len(l):len(l)]
	}
	c.procs = into(was.procs, s.procs)
	for i := range c.procs {
		l := c.procs[i].joiners
		c.procs[i].joiners = l[:len(l):len(l)]
		g := &c.procs[i].gil
		g.fresh = clip(g.fresh)
	}
	c.locks = into(was.locks, s.locks)
	for i := range c.locks {
		c.locks[i].waiters = clip(c.locks[i].waiters)
	}
	c.sems = into(was.sems, s.sems)
	for i := range c.sems {
		c.sems[i].waiters = clip(c.sems[i].waiters)
	}
	c.tevents = into(was.tevents, s.tevents)
	for i := range c.tevents {
		c.tevents[i].waiters = clip(c.tevents[i].waiters)
	}
	c.queues = into(was.queues, s.queues)
	for i := range c.queues {
		q := &c.queues[i]
		q.items = s.queues[i].items.clone()
		q.getters = clip(q.getters)
		q.putters = clip(q.putters)
		q.joiners = clip(q.joiners)
	}
	c.tasks = into(was.tasks, s.tasks)
	for i := range c.tasks {
		c.tasks[i].awaiters = clip(c.tasks[i].awaiters)
	}
	c.loops = into(was.loops, s.loops)
	for i := range c.loops {
		c.loops[i].ready = s.loops[i].ready.clone()
		c.loops[i].timers = clip(c.loops[i].timers)
	}
	c.scratch = nil
	// The trace, console and latencies only grow: the copy shares what
	// they hold so far, and appends where the original cannot see.
	if len(s.trace) > 0 {
		c.trace = s.trace[:len(s.trace):len(s.trace)]
		s.traceShared, c.traceShared = true, true
	} else {
		// Nothing to share: each keeps (or grows) its own buffer.
		c.trace, c.traceShared = nil, false
	}
	c.console = s.console.clone()
	c.lat = s.lat.clone()
	return c
}

// into copies src into dst's memory when it is large enough, and into
// new memory otherwise. It is slices.Clone that may reuse dst: nil stays
// nil, so a copy reads the same as its original.
func into[T any](dst, src []T) []T {
	if len(src) == 0 {
		return src[:0:0]
	}
	if cap(dst) < len(src) {
		return slices.Clone(src)
	}
	dst = dst[:len(src)]
	copy(dst, src)
	return dst
}

// clip returns a copy of l in new memory, or l itself when it has no
// elements to share.
func clip[T any](l []T) []T {
	if len(l) == 0 {
		return l[:0:0]
	}
	return slices.Clone(l)
}
