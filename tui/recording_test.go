package tui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// TestSeekMatchesFreshRun seeks to several events, backwards and forwards
// across checkpoints, and compares the snapshot and the recorded trace
// with a fresh run stepped the same number of events.
func TestSeekMatchesFreshRun(t *testing.T) {
	for _, run := range [][]string{{"cpu-bound"}, {"convoy"}, {"asyncio-blocking"}, {"asyncio-nonblocking", "clients=100"},
		{"process-queue-fixed"}} {
		t.Run(run[0], func(t *testing.T) {
			v, err := mustScenario(t, run[0]).Parse(run[1:])
			if err != nil {
				t.Fatal(err)
			}
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
				// The recording keeps the trace of the narration's window at
				// least: what it kept must be the end of a fresh run's trace.
				all := fresh.Trace()
				if r.base < 0 || r.traceLen() != int64(len(all)) {
					t.Fatalf("event %d: recorded trace events %d..%d, a fresh run %d", e, r.base, r.traceLen(), len(all))
				}
				if got, want := r.trace, all[r.base:]; len(got) > 0 && !reflect.DeepEqual(got, want) {
					t.Fatalf("event %d: the recorded trace differs from a fresh run's", e)
				}
				if first := uint64(0); len(r.evn) > 0 && e > narrationWindow {
					first = r.evn[0]
					if first+narrationWindow > e {
						t.Fatalf("event %d: the recorded trace starts at event %d, inside the narration's window", e, first)
					}
				}
				rec, err := newRecording(v, sim.DefaultConfig(), false)
				if err != nil {
					t.Fatal(err)
				}
				for rec.sim.Events() < e && rec.step() {
				}
				for k := range rec.tasks {
					if !sameMarks(r.tasks[k], rec.tasks[k]) {
						t.Fatalf("event %d: task %d has marks %v after seek, %v stepping there", e, k, r.tasks[k], rec.tasks[k])
					}
				}
				if r.running != rec.running {
					t.Fatalf("event %d: %d tasks running after seek, %d stepping there", e, r.running, rec.running)
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
	// The lanes keep every mark; the recording keeps the recent trace: the
	// marks since its first kept event must be that trace's state events.
	want := make([][]mark[sim.State], len(r.lanes))
	for i, e := range r.trace {
		if e.Kind == sim.TraceState {
			want[e.Thread] = append(want[e.Thread], mark[sim.State]{at: e.At, seq: r.base + int64(i), state: e.State})
		}
	}
	for id := range want {
		kept := r.lanes[id]
		for len(kept) > 0 && kept[0].seq < r.base {
			kept = kept[1:]
		}
		if !reflect.DeepEqual(kept, want[id]) && len(kept)+len(want[id]) > 0 {
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

// sameMarks compares two lanes, an empty one equal to none.
func sameMarks[S laneState](a, b []mark[S]) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

// TestTaskMarksFollowSnapshots steps asyncio scenarios event by event,
// under the GIL and without it: after every event each task's lane must
// hold the state the engine's snapshot gives it (overdue being a sleep
// that is over), the snapshot's every state word must be one the lanes
// know, and a task may be overdue only once its sleep has ended.
func TestTaskMarksFollowSnapshots(t *testing.T) {
	for _, id := range []string{"asyncio-basic", "asyncio-blocking", "asyncio-nonblocking"} {
		for _, model := range []sim.Model{sim.ModelPy3, sim.ModelFreeThreaded} {
			t.Run(id+"-"+model.String(), func(t *testing.T) {
				cfg := sim.DefaultConfig()
				cfg.Model = model
				r, err := newRecording(mustScenario(t, id).Defaults(), cfg, false)
				if err != nil {
					t.Fatal(err)
				}
				steps, overdue := 0, 0
				for r.step() {
					steps++
					snap := r.sim.Snapshot()
					for k := range snap.Tasks {
						engine := snap.Tasks[k].State
						got, _ := stateAt(r.tasks[k], snap.Now)
						if got == taskOverdue {
							overdue++
							m, _ := currentMark(r.tasks[k], snap.Now)
							if d, ok := r.asyncio.sleep(k, snap.Tasks[k].Line); !ok || snap.Now < m.at || m.at < d {
								t.Fatalf("event %d: task %d overdue since %s, at line %d", steps, k, m.at, snap.Tasks[k].Line)
							}
							got = taskSleeping
						}
						if want := taskState(engine); got != want {
							t.Fatalf("event %d at %s: task %d's lane says %s, the snapshot %s", steps, snap.Now, k, got, want)
						}
					}
				}
				if id == "asyncio-blocking" && overdue == 0 {
					t.Error("no heartbeat was ever overdue, though the clients block the loop")
				}
			})
		}
	}
}

// TestPlanTasks checks that every task of the asyncio scenarios runs on
// the loop of the thread that calls run_until_complete, and that a task
// suspended in an await is shown at the await.
func TestPlanTasks(t *testing.T) {
	for _, id := range []string{"asyncio-basic", "asyncio-blocking", "asyncio-nonblocking"} {
		t.Run(id, func(t *testing.T) {
			r, err := newRecording(mustScenario(t, id).Defaults(), sim.DefaultConfig(), false)
			if err != nil {
				t.Fatal(err)
			}
			for k, loop := range r.asyncio.loop {
				if loop != 0 {
					t.Errorf("task %d runs on thread %d's loop, want MainThread's", k, loop)
				}
			}
			for r.step() {
				snap := r.sim.Snapshot()
				for k := range snap.Tasks {
					tv := &snap.Tasks[k]
					st := taskState(tv.State)
					if !st.suspended() {
						continue
					}
					src := r.sim.SourceLine(int(r.asyncio.line(tv, st)))
					if !strings.Contains(src, "await") {
						t.Fatalf("task %d, %s, is shown at %q, not at an await", k, st, src)
					}
				}
			}
		})
	}
}
