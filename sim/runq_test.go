package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The scheduler's indexes against plain models of them, under random
// operations, including one the engine never takes (waking a thread that
// is already queued).

func TestRunQueueKeepsOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	th := make([]thread, 50)
	for i := range th {
		th[i] = thread{id: int32(i), rqPrev: -1, rqNext: -1, wkPrev: -1, wkNext: -1}
	}
	q := newRunQueue()
	var model []int32 // queue order
	for step := range 20_000 {
		id := int32(r.IntN(len(th)))
		x := &th[id]
		switch r.IntN(6) {
		case 0, 1: // a thread wants a core
			if !x.inRunq {
				x.queued, x.woke = true, r.IntN(2) == 0
				q.pushBack(th, x)
				model = append(model, id)
			}
		case 2: // dispatch takes the head
			if q.len() > 0 {
				h := q.popFront(th)
				if h.queued && h.woke {
					q.unwake(th, h)
				}
				h.queued, h.woke = false, false
				model = model[1:]
			}
		case 3: // the first woken thread preempts: out of its place, to the head
			if w := q.whead; w >= 0 {
				q.remove(th, &th[w])
				q.pushFront(th, &th[w])
				i := slices.Index(model, w)
				model = append([]int32{w}, slices.Delete(model, i, i+1)...)
			}
		case 4: // a queued thread is woken, or its mark cleared
			if x.inRunq && x.queued {
				if x.woke {
					q.unwake(th, x)
					x.woke = false
				} else {
					x.woke = true
					q.wakeQueued(th, x)
				}
			}
		case 5: // a queued thread dies: its entry stays until dispatch drops it
			if x.queued {
				if x.woke {
					q.unwake(th, x)
				}
				x.queued = false
			}
		}
		var got, woken, wantWoken []int32
		for id := q.head; id >= 0; id = th[id].rqNext {
			got = append(got, id)
		}
		for id := q.whead; id >= 0; id = th[id].wkNext {
			woken = append(woken, id)
		}
		for _, id := range model {
			if th[id].queued && th[id].woke {
				wantWoken = append(wantWoken, id)
			}
		}
		if !slices.Equal(got, model) || q.len() != len(model) || !slices.Equal(woken, wantWoken) {
			t.Fatalf("step %d: queue %v (len %d), woken %v; want %v, woken %v", step, got, q.len(), woken, model, wantWoken)
		}
		if n := len(model); n > 0 && (q.tail != model[n-1] || q.wtail != lastOr(wantWoken)) {
			t.Fatalf("step %d: tails %d and %d are wrong", step, q.tail, q.wtail)
		}
	}
}

func lastOr(l []int32) int32 {
	if len(l) == 0 {
		return -1
	}
	return l[len(l)-1]
}

func TestCoreSetFindsTheNextMember(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 63, 64, 65, 1024, 4096} {
		c := newCoreSet(n)
		in := make([]bool, n)
		for range 5000 {
			i := r.IntN(n)
			if in[i] = !in[i]; in[i] {
				c.add(i)
			} else {
				c.remove(i)
			}
			from := r.IntN(n + 1)
			want := -1
			for j := from; j < n; j++ {
				if in[j] {
					want = j
					break
				}
			}
			if got := c.next(from); got != want || c.has(i) != in[i] {
				t.Fatalf("%d cores: next(%d) = %d, want %d", n, from, got, want)
			}
		}
	}
}

func TestCoreHeapTops(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const n = 100
	for _, most := range []bool{false, true} {
		h := newCoreHeap(n, most)
		key := make(map[int32]Time)
		for range 10_000 {
			c := int32(r.IntN(n))
			if _, ok := key[c]; ok {
				h.remove(c)
				delete(key, c)
			} else {
				k := Time(r.IntN(20))
				h.push(c, k)
				key[c] = k
			}
			want := int32(-1)
			for c, k := range key {
				if want < 0 || most && (k > key[want] || k == key[want] && c < want) || !most && (k < key[want] || k == key[want] && c < want) {
					want = c
				}
			}
			if got := h.top(); got != want {
				t.Fatalf("most %v: top %d, want %d", most, got, want)
			}
		}
	}
}
