package sim

import "math/bits"

// The OS scheduler's indexes. Every event ends in dispatch, so nothing
// here may cost in proportion to the threads that want a core or to the
// cores: with the GIL off, or with a process per worker, every thread
// wants one. The run queue is an intrusive list, the woken threads in it
// a second list, the idle cores and the cores due a quantum check are
// bitmaps, and the CPU time of the threads on cores is kept in two
// indexed heaps, synced from a bitmap of stale cores when read. Each
// answers its one question in O(1) or O(log n), amortised.

// runQueue is the FIFO of threads that want a core: a doubly-linked list
// through thread.rqPrev and rqNext, so that a thread leaves it from
// anywhere in O(1). A thread that dies while queued is not taken out, it
// only stops being queued (thread.queued): its entry still counts, as a
// dead task's does until the OS looks at it, and dispatch skips it when it
// reaches the head. The queued threads that have just woken from a wait
// (thread.woke), the candidates for wake-up preemption, are linked in
// queue order through thread.wkPrev and wkNext.
type runQueue struct {
	head, tail int32
	n          int // entries, counting those of threads that died queued
	// woken is the list of queued threads with woke set, in queue order.
	whead, wtail int32
	// fresh is the first entry pushed since dispatch last marked the
	// queued threads runnable, or -1: every entry before it is runnable
	// already, or dead.
	fresh int32
}

func newRunQueue() runQueue {
	return runQueue{head: -1, tail: -1, whead: -1, wtail: -1, fresh: -1}
}

func (q *runQueue) len() int { return q.n }

// pushBack appends t. A woken t also joins the end of the woken list,
// since it is now the last entry of the queue.
func (q *runQueue) pushBack(th []thread, t *thread) {
	if t.inRunq {
		panic("sim: thread entered the run queue twice")
	}
	t.inRunq = true
	t.rqPrev, t.rqNext = q.tail, -1
	if q.tail >= 0 {
		th[q.tail].rqNext = t.id
	} else {
		q.head = t.id
	}
	q.tail = t.id
	q.n++
	if q.fresh < 0 {
		q.fresh = t.id
	}
	if t.woke && t.queued {
		t.wkPrev, t.wkNext = q.wtail, -1
		if q.wtail >= 0 {
			th[q.wtail].wkNext = t.id
		} else {
			q.whead = t.id
		}
		q.wtail = t.id
	}
}

// remove takes t's entry out of the queue, leaving the woken list alone.
func (q *runQueue) remove(th []thread, t *thread) {
	if q.fresh == t.id {
		q.fresh = t.rqNext
	}
	if t.rqPrev >= 0 {
		th[t.rqPrev].rqNext = t.rqNext
	} else {
		q.head = t.rqNext
	}
	if t.rqNext >= 0 {
		th[t.rqNext].rqPrev = t.rqPrev
	} else {
		q.tail = t.rqPrev
	}
	t.rqPrev, t.rqNext = -1, -1
	t.inRunq = false
	q.n--
}

// pushFront puts t, which the caller has just taken out, at the head. The
// woken list is left alone: a woken t at the head is still the first
// woken entry.
func (q *runQueue) pushFront(th []thread, t *thread) {
	t.inRunq = true
	t.rqPrev, t.rqNext = -1, q.head
	if q.head >= 0 {
		th[q.head].rqPrev = t.id
	} else {
		q.tail = t.id
	}
	q.head = t.id
	q.n++
}

// popFront takes the head entry out and returns its thread; it leaves the
// woken list to the caller.
func (q *runQueue) popFront(th []thread) *thread {
	t := &th[q.head]
	q.remove(th, t)
	return t
}

// unwake takes t, queued and woken, off the woken list.
func (q *runQueue) unwake(th []thread, t *thread) {
	if t.wkPrev >= 0 {
		th[t.wkPrev].wkNext = t.wkNext
	} else {
		q.whead = t.wkNext
	}
	if t.wkNext >= 0 {
		th[t.wkNext].wkPrev = t.wkPrev
	} else {
		q.wtail = t.wkPrev
	}
	t.wkPrev, t.wkNext = -1, -1
}

// wakeQueued puts t, already queued, on the woken list at its place in
// queue order. The engine never wakes a queued thread (a queued thread has
// no pending event), so the walk back to the woken entry before it is
// only a guard for exactness.
func (q *runQueue) wakeQueued(th []thread, t *thread) {
	p := t.rqPrev
	for p >= 0 && !(th[p].queued && th[p].woke) {
		p = th[p].rqPrev
	}
	t.wkPrev = p
	if p >= 0 {
		t.wkNext = th[p].wkNext
		th[p].wkNext = t.id
	} else {
		t.wkNext = q.whead
		q.whead = t.id
	}
	if t.wkNext >= 0 {
		th[t.wkNext].wkPrev = t.id
	} else {
		q.wtail = t.id
	}
}

// coreSet is a set of core numbers, a bitmap with a summary word whose bit
// i says word i is not empty: the smallest member at or after a core is
// two count-trailing-zeros away. It holds up to 64×64 cores; Validate
// allows 1,024.
type coreSet struct {
	sum   uint64
	words []uint64
}

func newCoreSet(n int) coreSet {
	if n > 64*64 {
		panic("sim: more cores than a core set holds")
	}
	return coreSet{words: make([]uint64, (n+63)/64)}
}

func (c *coreSet) add(i int) {
	c.words[i>>6] |= 1 << (i & 63)
	c.sum |= 1 << (i >> 6)
}

func (c *coreSet) remove(i int) {
	w := i >> 6
	c.words[w] &^= 1 << (i & 63)
	if c.words[w] == 0 {
		c.sum &^= 1 << w
	}
}

func (c *coreSet) has(i int) bool { return c.words[i>>6]&(1<<(i&63)) != 0 }

// next returns the smallest member at or after i, or -1.
func (c *coreSet) next(i int) int {
	w := i >> 6
	if w >= len(c.words) {
		return -1
	}
	if m := c.words[w] & (^uint64(0) << (i & 63)); m != 0 {
		return w<<6 + bits.TrailingZeros64(m)
	}
	rest := c.sum & (^uint64(0) << (w + 1))
	if rest == 0 {
		return -1
	}
	w = bits.TrailingZeros64(rest)
	return w<<6 + bits.TrailingZeros64(c.words[w])
}

// cloneInto returns a copy of c, in dst's memory where it is large
// enough.
func (c coreSet) cloneInto(dst coreSet) coreSet {
	c.words = into(dst.words, c.words)
	return c
}

// coreHeap is an indexed binary heap of cores, keyed by the CPU time of
// the thread on each less the clock (cpuKey): a constant while the thread
// stays on its core, since its CPU time then grows with the clock. Ties
// go to the lower core, as a scan of the cores in order finds them; that
// matters to the most-first heap, whose top is the preemption victim.
type coreHeap struct {
	h    []int32 // cores
	pos  []int32 // per core: index in h, or -1
	key  []Time  // per core
	most bool
}

func newCoreHeap(n int, most bool) coreHeap {
	h := coreHeap{h: make([]int32, 0, n), pos: make([]int32, n), key: make([]Time, n), most: most}
	for i := range h.pos {
		h.pos[i] = -1
	}
	return h
}

func (h *coreHeap) less(a, b int32) bool {
	ka, kb := h.key[a], h.key[b]
	if ka != kb {
		return ka < kb != h.most
	}
	return a < b
}

func (h *coreHeap) has(c int32) bool { return h.pos[c] >= 0 }

// top returns the first core, or -1 when the heap is empty.
func (h *coreHeap) top() int32 {
	if len(h.h) == 0 {
		return -1
	}
	return h.h[0]
}

func (h *coreHeap) push(c int32, k Time) {
	h.key[c] = k
	h.pos[c] = int32(len(h.h))
	h.h = append(h.h, c)
	h.up(len(h.h) - 1)
}

func (h *coreHeap) remove(c int32) {
	i := int(h.pos[c])
	last := len(h.h) - 1
	if i != last {
		h.swap(i, last)
	}
	h.h = h.h[:last]
	h.pos[c] = -1
	if i != last {
		h.up(i)
		h.down(i)
	}
}

func (h *coreHeap) swap(i, j int) {
	h.h[i], h.h[j] = h.h[j], h.h[i]
	h.pos[h.h[i]] = int32(i)
	h.pos[h.h[j]] = int32(j)
}

func (h *coreHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(h.h[i], h.h[p]) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h *coreHeap) down(i int) {
	n := len(h.h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.less(h.h[r], h.h[l]) {
			m = r
		}
		if !h.less(h.h[m], h.h[i]) {
			return
		}
		h.swap(i, m)
		i = m
	}
}

// cloneInto returns a copy of h, in dst's memory where it is large
// enough. The copy keeps h's capacity, so that pushes never grow it.
func (h coreHeap) cloneInto(dst coreHeap) coreHeap {
	if cap(dst.h) < cap(h.h) {
		dst.h = make([]int32, 0, cap(h.h))
	}
	h.h = append(dst.h[:0], h.h...)
	h.pos = into(dst.pos, h.pos)
	h.key = into(dst.key, h.key)
	return h
}
