package tui

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
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

// TestSeekAfterThinning plays runs long enough, under budgets small
// enough, that their checkpoints are thinned and their marks coarsened
// many times over, then steps back from the end and seeks back and forth:
// every position must equal a fresh run stepped there in its snapshot,
// its metrics, every lane's, task's, GIL's, lock's and queue's last mark
// and the marks since the coarsening horizon, who holds each GIL, the
// lesson points, and the narration of anything since the horizon.
func TestSeekAfterThinning(t *testing.T) {
	for _, run := range [][]string{{"cpu-bound", "threads=40", "count=6000000"}, {"asyncio-nonblocking", "clients=150"},
		{"process-queue-fixed", "items=2000", "count=30000"}, {"lock-contention", "threads=20", "iterations=200"}} {
		t.Run(run[0], func(t *testing.T) {
			v, err := mustScenario(t, run[0]).Parse(run[1:])
			if err != nil {
				t.Fatal(err)
			}
			r, err := newRecording(v, sim.DefaultConfig(), true)
			if err != nil {
				t.Fatal(err)
			}
			// Room for four checkpoints, and marks coarsened every few
			// thousand.
			r.setBudget(budget{checkpoints: 4 * r.cps[0].bytes, marks: 64 << 10})
			for r.stepOne() {
			}
			total := r.sim.Events()
			if r.grain == 0 || len(r.cps) > 4 || total < 5*checkpointEvery {
				t.Fatalf("%d events, %d checkpoints, grain %d: the budget should have thinned and coarsened", total, len(r.cps), r.grain)
			}
			fresh := func(e uint64) *recording {
				t.Helper()
				f, err := newRecording(v, sim.DefaultConfig(), false)
				if err != nil {
					t.Fatal(err)
				}
				for f.sim.Events() < e && f.stepOne() {
				}
				return f
			}
			// Step back from the end, past a checkpoint, then seek.
			targets := []uint64{total - 1, total - 150, total - 300, total / 2, total/2 - 1, checkpointEvery, 3, 0,
				total / 3, total - 1, total * 2 / 3}
			for i, e := range targets {
				if i < 3 {
					for r.sim.Events() > e+1 {
						r.seek(r.sim.Events() - 1)
					}
				}
				r.seek(e)
				if r.cpBytes > r.budget.checkpoints && len(r.cps) > 1 || r.markBytes > r.markLimit {
					t.Fatalf("event %d: checkpoints %d bytes, marks %d bytes (limit %d), over budget %+v", e, r.cpBytes, r.markBytes, r.markLimit, r.budget)
				}
				sameRun(t, r, fresh(e), e)
				noRepeats(t, r)
			}
		})
	}
}

// sameRun compares recording r, which may have gone back over thinned
// checkpoints and coarsened marks, with f, stepped straight to event e.
func sameRun(t *testing.T, r, f *recording, e uint64) {
	t.Helper()
	if got, want := r.sim.Snapshot(), f.sim.Snapshot(); !reflect.DeepEqual(got, want) {
		t.Fatalf("event %d: snapshot after seek differs from a fresh run", e)
	}
	if !reflect.DeepEqual(r.sim.Metrics(), f.sim.Metrics()) {
		t.Fatalf("event %d: metrics after seek differ from a fresh run", e)
	}
	h := r.horizon
	for id := range f.lanes {
		if !sameSince(r.lanes[id], f.lanes[id], h) {
			t.Fatalf("event %d: thread %d has marks %v after seek, %v stepping there (horizon %s)", e, id, r.lanes[id], f.lanes[id], h)
		}
	}
	for k := range f.tasks {
		if !sameSince(r.tasks[k], f.tasks[k], h) {
			t.Fatalf("event %d: task %d has marks %v after seek, %v stepping there (horizon %s)", e, k, r.tasks[k], f.tasks[k], h)
		}
	}
	for p := range f.gil {
		if !sameSince(r.gil[p], f.gil[p], h) {
			t.Fatalf("event %d: process %d's GIL has marks %v after seek, %v stepping there", e, p, r.gil[p], f.gil[p])
		}
	}
	for l := range f.owners {
		if !sameSince(r.owners[l], f.owners[l], h) {
			t.Fatalf("event %d: lock %d has marks %v after seek, %v stepping there", e, l, r.owners[l], f.owners[l])
		}
	}
	for q := range f.depths {
		a, b := f.depths[q], []level(nil)
		if q < len(r.depths) {
			b = r.depths[q]
		}
		if len(a) != len(b) && (len(a) == 0 || len(b) == 0 || a[len(a)-1] != b[len(b)-1]) {
			t.Fatalf("event %d: queue %d's last level differs after seek", e, q)
		}
	}
	if !reflect.DeepEqual(r.holds, f.holds) || r.traced != f.traced || r.running != f.running {
		t.Fatalf("event %d: GIL holders, trace count or running tasks differ after seek", e)
	}
	if len(r.points) != len(f.points) || !reflect.DeepEqual(r.watch, f.watch) {
		t.Fatalf("event %d: %d lesson points after seek, %d stepping there", e, len(r.points), len(f.points))
	}
	snap := r.sim.Snapshot()
	at, text, ok := narrate(r, &snap)
	fat, ftext, fok := narrate(f, &snap)
	if at >= h && (at != fat || text != ftext || ok != fok) {
		t.Fatalf("event %d: narration after seek %q at %s, stepping there %q at %s", e, text, at, ftext, fat)
	}
}

// sameSince reports whether two lanes end in the same mark and agree from
// time h on.
func sameSince[S comparable](a, b []mark[S], h sim.Time) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	if a[len(a)-1] != b[len(b)-1] {
		return false
	}
	from := func(l []mark[S]) []mark[S] {
		i := sort.Search(len(l), func(i int) bool { return l[i].at >= h })
		return l[i:]
	}
	return slices.Equal(from(a), from(b))
}

// noRepeats fails if a lane, task, GIL or lock of r has the same mark
// twice in a row, as coarsening it again and again must not leave.
func noRepeats(t *testing.T, r *recording) {
	t.Helper()
	check := func(what string, n int, same func(i, j int) bool) {
		for i := 1; i < n; i++ {
			if same(i-1, i) {
				t.Fatalf("%s repeats a mark at %d", what, i)
			}
		}
	}
	for id, l := range r.lanes {
		check(fmt.Sprintf("thread %d", id), len(l), func(i, j int) bool { return l[i] == l[j] })
	}
	for k, l := range r.tasks {
		check(fmt.Sprintf("task %d", k), len(l), func(i, j int) bool { return l[i] == l[j] })
	}
	for p, l := range r.gil {
		check(fmt.Sprintf("process %d's GIL", p), len(l), func(i, j int) bool { return l[i] == l[j] })
	}
	for k, l := range r.owners {
		check(fmt.Sprintf("lock %d", k), len(l), func(i, j int) bool { return l[i] == l[j] })
	}
}

// TestStepBackAfterPlayingFast plays at the fastest speed, lesson mode
// off, when a tick does thousands of events and keeps checkpoints only
// near where it stops and a sparse few before: a pause, then steps back,
// must land where a fresh run stepped there does, and the first step back
// must replay at most sparseEvery events.
func TestStepBackAfterPlayingFast(t *testing.T) {
	for _, c := range []struct {
		ticks int
		run   []string
	}{{10, []string{"lock-contention", "threads=300", "iterations=100000"}}, {2, []string{"counter-race", "threads=300"}}} {
		run := c.run
		t.Run(run[0], func(t *testing.T) {
			m := playerModel(t, run[0], sim.DefaultConfig(), 80, 24, run[1:]...)
			m = pressN(t, m, "+", len(speeds))
			m, _ = press(t, m, "L")
			// Room for 16 checkpoints, as ten thousand threads would have.
			rec := m.player.rec
			rec.setBudget(budget{checkpoints: 16 * rec.cps[0].bytes, marks: shownBudget.marks})
			m, _ = press(t, m, "space")
			before := m.player.rec.sim.Events()
			for range c.ticks {
				m, _ = send(t, m, tickMsg{tag: m.player.tag})
			}
			m, _ = press(t, m, "space")
			r := m.player.rec
			if r.sim.Events()-before < 8*sparseEvery || m.player.finished() {
				t.Fatalf("%d ticks did only %d events", c.ticks, r.sim.Events()-before)
			}
			if r.cps[0].bytes < cheapCheckpoint || r.room() {
				t.Fatalf("checkpoints of %d bytes, %d of them: too light, or too few, to be taken sparsely", r.cps[0].bytes, len(r.cps))
			}
			if i := r.checkpointAt(r.sim.Events() - 1); i < 0 || r.sim.Events()-1-r.cps[i].events > nearEnd*checkpointEvery {
				t.Fatalf("the nearest checkpoint behind event %d is too far back", r.sim.Events())
			}
			// A stretch that stops far short of where it aimed (as when the
			// pace of events changes within a tick) still leaves one
			// checkpoint every sparseEvery events.
			r.aim = aim{on: true, to: r.sim.Now() + 1e12, paceFrom: r.sim.Now()}
			for range 3 * sparseEvery {
				r.stepOne()
			}
			r.aim.on = false
			if i := r.checkpointAt(r.sim.Events() - 1); i < 0 || r.sim.Events()-1-r.cps[i].events > sparseEvery {
				t.Fatalf("the nearest checkpoint behind event %d is too far back", r.sim.Events())
			}
			v, err := mustScenario(t, run[0]).Parse(run[1:])
			if err != nil {
				t.Fatal(err)
			}
			for i := range 300 {
				m, _ = press(t, m, "left")
				if i != 0 && i != 150 && i != 299 {
					continue
				}
				e := m.player.rec.sim.Events()
				f, err := newRecording(v, sim.DefaultConfig(), false)
				if err != nil {
					t.Fatal(err)
				}
				for f.sim.Events() < e && f.stepOne() {
				}
				sameRun(t, m.player.rec, f, e)
			}
		})
	}
}
