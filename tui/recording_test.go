package tui

import (
	"reflect"
	"testing"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// TestSeekMatchesFreshRun seeks to several events, backwards and forwards
// across checkpoints, and compares the snapshot and the recorded trace
// with a fresh run stepped the same number of events.
func TestSeekMatchesFreshRun(t *testing.T) {
	for _, id := range []string{"cpu-bound", "convoy", "asyncio-blocking", "process-queue-fixed"} {
		t.Run(id, func(t *testing.T) {
			v := mustScenario(t, id).Defaults()
			r, err := newRecording(v, sim.DefaultConfig(), true)
			if err != nil {
				t.Fatal(err)
			}
			for r.step() {
			}
			total := r.sim.Events()
			for _, e := range []uint64{total - 1, total / 2, checkpointEvery, checkpointEvery - 1, 1, 0, total * 3 / 4} {
				r.seek(e)
				fresh, err := v.New(sim.DefaultConfig())
				if err != nil {
					t.Fatal(err)
				}
				for fresh.Events() < e && fresh.Step() {
				}
				if got, want := r.sim.Snapshot(), fresh.Snapshot(); !reflect.DeepEqual(got, want) {
					t.Fatalf("event %d: snapshot after seek differs from a fresh run", e)
				}
				if got, want := r.trace, fresh.Trace(); len(got) != len(want) || len(got) > 0 && !reflect.DeepEqual(got, want) {
					t.Fatalf("event %d: recorded %d trace events, a fresh run %d", e, len(got), len(want))
				}
			}
		})
	}
}

// TestLanesFollowTrace checks that each lane's marks are the trace's
// state events of that thread, also after going back.
func TestLanesFollowTrace(t *testing.T) {
	r, err := newRecording(mustScenario(t, "cpu-bound").Defaults(), sim.DefaultConfig(), true)
	if err != nil {
		t.Fatal(err)
	}
	r.advanceTo(100*1e6, 0)
	r.seek(r.sim.Events() - 3*checkpointEvery/2)
	want := make([][]mark, len(r.lanes))
	for i, e := range r.trace {
		if e.Kind == sim.TraceState {
			want[e.Thread] = append(want[e.Thread], mark{at: e.At, idx: int32(i), state: e.State})
		}
	}
	for id := range want {
		if !reflect.DeepEqual(r.lanes[id], want[id]) && len(r.lanes[id])+len(want[id]) > 0 {
			t.Errorf("thread %d: lane has %d marks, the trace %d state events", id, len(r.lanes[id]), len(want[id]))
		}
	}
}

func mustScenario(t testing.TB, id string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}
