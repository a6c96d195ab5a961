package tui

import (
	"slices"
	"testing"
)

// TestThinningLayout takes a checkpoint every checkpointEvery events of a
// million and thins them to a few, as a budget does, with the position
// just past the newest: those left must be checkpointEvery apart behind
// the position, and farther apart the farther back, but never more than
// a few times their distance from it.
func TestThinningLayout(t *testing.T) {
	for _, n := range []int{8, 13, 40, 127} {
		var cps []checkpoint
		var pos uint64
		for e := uint64(0); e <= 1_000_000; e += checkpointEvery {
			cps = append(cps, checkpoint{events: e})
			pos = e + checkpointEvery/2
			for len(cps) > n {
				i := leastUseful(cps, pos)
				cps = slices.Delete(cps, i, i+1)
			}
		}
		if last := cps[len(cps)-1].events; pos-last > checkpointEvery {
			t.Errorf("%d checkpoints: the newest is %d events behind", n, pos-last)
		}
		for i := 0; i+1 < len(cps); i++ {
			gap, dist := cps[i+1].events-cps[i].events, pos-cps[i+1].events
			if gap > 8*max(dist, checkpointEvery) {
				t.Errorf("%d checkpoints: %d events between two %d events back", n, gap, dist)
			}
			if i+2 < len(cps) && cps[i+2].events-cps[i+1].events > gap {
				t.Errorf("%d checkpoints: a gap of %d events before a wider one, nearer the position", n, gap)
			}
		}
	}
}
