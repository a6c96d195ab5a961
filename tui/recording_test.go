package tui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// TestSeekMatchesFreshRun seeks to several events, backwards and forwards
// across checkpoints, and compares the snapshot, every thread's, task's,
// GIL's, lock's and queue's marks, the lesson points and the narration
// with a fresh run stepped the same number of events.
func TestSeekMatchesFreshRun(t *testing.T) {
	for _, run := range [][]string{{"cpu-bound"}, {"convoy"}, {"asyncio-blocking"}, {"asyncio-nonblocking", "clients=100"},
		{"process-queue-fixed"}, {"lock-contention", "iterations=20"}} {
		t.Run(run[0], func(t *testing.T) {
			v, err := mustScenario(t, run[0]).Parse(run[1:])
			if err != nil {
				t.Fatal(err)
			}
			r, err := newRecording(v, sim.DefaultConfig(), true)
			if err != nil {
				t.Fatal(err)
			}
			for r.stepOne() {
			}
			total := r.sim.Events()
			for _, e := range []uint64{total - 1, total / 2, checkpointEvery, checkpointEvery - 1, 1, 0, total * 3 / 4} {
				r.seek(e)
				fresh, err := newRecording(v, sim.DefaultConfig(), false)
				if err != nil {
					t.Fatal(err)
				}
				for fresh.sim.Events() < e && fresh.stepOne() {
				}
				if got, want := r.sim.Snapshot(), fresh.sim.Snapshot(); !reflect.DeepEqual(got, want) {
					t.Fatalf("event %d: snapshot after seek differs from a fresh run", e)
				}
				for id := range fresh.lanes {
					if !sameMarks(r.lanes[id], fresh.lanes[id]) {
						t.Fatalf("event %d: thread %d has marks %v after seek, %v stepping there", e, id, r.lanes[id], fresh.lanes[id])
					}
				}
				for k := range fresh.tasks {
					if !sameMarks(r.tasks[k], fresh.tasks[k]) {
						t.Fatalf("event %d: task %d has marks %v after seek, %v stepping there", e, k, r.tasks[k], fresh.tasks[k])
					}
				}
				for p := range fresh.gil {
					if !sameMarks(r.gil[p], fresh.gil[p]) {
						t.Fatalf("event %d: process %d's GIL has marks %v after seek, %v stepping there", e, p, r.gil[p], fresh.gil[p])
					}
				}
				for l := range fresh.owners {
					if !sameMarks(r.owners[l], fresh.owners[l]) {
						t.Fatalf("event %d: lock %d has marks %v after seek, %v stepping there", e, l, r.owners[l], fresh.owners[l])
					}
				}
				if !reflect.DeepEqual(nonNil(r.depths), nonNil(fresh.depths)) || r.traced != fresh.traced {
					t.Fatalf("event %d: queue levels or trace count differ after seek", e)
				}
				if r.running != fresh.running {
					t.Fatalf("event %d: %d tasks running after seek, %d stepping there", e, r.running, fresh.running)
				}
				if len(r.points) != len(fresh.points) || !reflect.DeepEqual(r.watch, fresh.watch) {
					t.Fatalf("event %d: %d lesson points after seek, %d stepping there", e, len(r.points), len(fresh.points))
				}
				snap := r.sim.Snapshot()
				at, text, ok := narrate(r, &snap)
				fat, ftext, fok := narrate(fresh, &snap)
				if at != fat || text != ftext || ok != fok {
					t.Fatalf("event %d: narration after seek %q at %s, stepping there %q at %s", e, text, at, ftext, fat)
				}
			}
		})
	}
}

// nonNil makes empty lists of levels compare equal to none, and to
// missing ones at the end.
func nonNil(l [][]level) [][]level {
	var out [][]level
	for i, x := range l {
		if len(x) > 0 {
			for len(out) < i {
				out = append(out, nil)
			}
			out = append(out, x)
		}
	}
	return out
}

// TestLanesFollowTrace checks that each lane's marks are the trace's
// state events of that thread, with running split into running Python
// (holding the GIL) and running C code without it, as the trace's GIL
// acquires and releases say.
func TestLanesFollowTrace(t *testing.T) {
	for _, id := range []string{"cpu-bound", "io-bound", "process-start"} {
		t.Run(id, func(t *testing.T) {
			v := mustScenario(t, id).Defaults()
			r, err := newRecording(v, sim.DefaultConfig(), false)
			if err != nil {
				t.Fatal(err)
			}
			cfg := sim.DefaultConfig()
			cfg.Trace = true
			s, err := v.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			s.Run()
			for r.stepOne() {
			}
			holds := map[int32]bool{}
			want := make([][]threadState, len(r.lanes))
			last := make([]threadState, len(r.lanes))
			add := func(id int32, st threadState) {
				want[id] = append(want[id], st)
				last[id] = st
			}
			for _, e := range s.Trace() {
				switch e.Kind {
				case sim.TraceAcquire:
					holds[e.Thread] = true
					if last[e.Thread] == threadNative {
						add(e.Thread, threadState(sim.StateRunning))
					}
				case sim.TraceRelease:
					holds[e.Thread] = false
					if last[e.Thread] == threadState(sim.StateRunning) {
						add(e.Thread, threadNative)
					}
				case sim.TraceState:
					st := threadState(e.State)
					if e.State == sim.StateRunning && !holds[e.Thread] {
						st = threadNative
					}
					if e.State == sim.StateDone {
						holds[e.Thread] = false
					}
					add(e.Thread, st)
				}
			}
			natives := 0
			for id := range want {
				var got []threadState
				for _, m := range r.lanes[id] {
					got = append(got, m.state)
					if m.state == threadNative {
						natives++
					}
				}
				if !reflect.DeepEqual(got, want[id]) {
					t.Errorf("thread %d: lane %v, trace %v", id, got, want[id])
				}
			}
			if natives == 0 {
				t.Errorf("no thread ever ran C code without the GIL, though the main thread starts threads or processes")
			}
		})
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
func sameMarks[S any](a, b []mark[S]) bool {
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
				steps, overdue, blocked := 0, 0, 0
				for r.stepOne() {
					steps++
					snap := r.sim.Snapshot()
					for k := range snap.Tasks {
						engine := snap.Tasks[k].State
						got, _ := stateAt(r.tasks[k], snap.Now)
						if got == taskBlocking {
							// Running, while its loop's thread is blocked.
							if th := r.asyncio.loop[k]; th < 0 || !snap.Threads[th].State.Blocked() {
								t.Fatalf("event %d: task %d blocks the loop, but its loop's thread is %s", steps, k, snap.Threads[th].State)
							}
							blocked++
							got = taskRunning
						}
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
				if id == "asyncio-blocking" && (overdue == 0 || blocked == 0) {
					t.Errorf("%d overdue and %d blocking marks, though the clients block the loop", overdue, blocked)
				}
				if id != "asyncio-blocking" && blocked > 0 {
					t.Errorf("a task blocked its loop in %s", id)
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
			for r.stepOne() {
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
