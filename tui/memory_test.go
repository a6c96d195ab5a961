package tui

import (
	"runtime"
	"testing"

	"github.com/gilsim/gilsim/sim"
)

// memoryBudget is the most live heap the player may hold, in bytes,
// whatever the scenario and however long it plays: the history budgets
// (checkpoints.go) and the simulations, with room to spare.
const memoryBudget = 256 << 20

// liveHeap collects garbage and returns the bytes still in use.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestMemoryBounded plays the largest scenarios the parameters allow at
// the fastest speed, lesson mode off, for many times the events whose
// checkpoints would have filled memoryBudget when one was kept every
// checkpointEvery events and none was ever dropped. The live heap must
// stay under memoryBudget throughout, each run within its budget, and
// stepping back must still work at the end. Under the race detector or
// -short the runs are shorter, and still several times over.
func TestMemoryBounded(t *testing.T) {
	short := testing.Short() || raceEnabled
	for _, c := range []struct {
		id   string
		sets []string
		// stride is the virtual time played between checks of the heap;
		// events how many to play (shortEvents under -short or -race).
		stride              sim.Time
		events, shortEvents uint64
	}{
		{"counter-race", []string{"threads=1000"}, 250e6, 3_000_000, 300_000},
		{"io-bound", []string{"threads=10000", "ops=100000", "io=100us"}, 2e9, 400_000, 36_000},
		{"cpu-bound", []string{"threads=10000", "use=processes"}, 20e9, 90_000, 24_000},
	} {
		t.Run(c.id, func(t *testing.T) {
			want := c.events
			if short {
				want = c.shortEvents
			}
			m := playerModel(t, c.id, sim.DefaultConfig(), 120, 40, c.sets...)
			m = pressN(t, m, "+", len(speeds))
			m, _ = press(t, m, "L")
			m, _ = press(t, m, "space")
			if !m.player.playing || m.player.lessons || m.player.speed != len(speeds)-1 {
				t.Fatal("the player should be playing at its fastest, lesson mode off")
			}
			// A few ticks as the program sends them, then longer strides.
			for range 3 {
				m, _ = send(t, m, tickMsg{tag: m.player.tag})
			}
			cp := m.player.rec.cps[len(m.player.rec.cps)-1].bytes
			var peak uint64
			check := func(when string) {
				t.Helper()
				r := m.player.rec
				if len(r.cps) > 1 && r.cpBytes > r.budget.checkpoints || r.markBytes > r.markLimit {
					t.Fatalf("%s: checkpoints %d B, marks %d B, over the budget %+v", when, r.cpBytes, r.markBytes, r.budget)
				}
				heap := liveHeap()
				peak = max(peak, heap)
				if heap > memoryBudget {
					t.Fatalf("%s: %d MiB of live heap after %d events, over the %d MiB budget", when, heap>>20,
						r.sim.Events(), memoryBudget>>20)
				}
			}
			for m.player.rec.sim.Events() < want && !m.player.finished() {
				m.player.advance(m.player.now()+c.stride, maxEventsPerAdvance)
				m.player.settle()
				m.refresh()
				_ = m.View()
				check("playing")
			}
			r := m.player.rec
			if r.sim.Events() < min(want, 80_000) {
				t.Fatalf("only %d events played", r.sim.Events())
			}
			old := r.sim.Events() / checkpointEvery * uint64(cp)
			if old < 2*memoryBudget {
				t.Fatalf("%d events of %d-byte checkpoints are only %d MiB: play longer", r.sim.Events(), cp, old>>20)
			}
			if m.player.finished() && !short {
				// The runs to the end the summary asks for, under both
				// settings, and then the whole-run view drawn from them.
				m = settle(t, m, m.player.requestFulls())
				if len(m.player.fulls) != 2 {
					t.Fatalf("%d runs to the end, want 2", len(m.player.fulls))
				}
				m, _ = press(t, m, "w")
				_ = m.View()
				check("with the runs to the end")
				m, _ = press(t, m, "w")
			}
			for range 20 {
				m, _ = press(t, m, "left")
			}
			check("stepping back")
			t.Logf("%d events, %s of virtual time: live heap at most %d MiB; %d checkpoints of %d KiB (%d MiB), "+
				"marks %d MiB (grain %s); kept every %d events and never dropped, checkpoints would hold %d MiB",
				r.sim.Events(), r.sim.Now(), peak>>20, len(r.cps), cp>>10, r.cpBytes>>20, r.markBytes>>20,
				sim.Time(r.grain), checkpointEvery, old>>20)
		})
	}
}

// TestRunToEndBounded makes a run to the end, as the whole-run view and
// the summary ask for, of a thousand threads contending for a lock: its
// marks, a lane's, the GIL's and the lock's, must be coarsened to fit its
// budget, and still say what every thread does.
func TestRunToEndBounded(t *testing.T) {
	v, err := mustScenario(t, "lock-contention").Parse([]string{"threads=1000", "iterations=1000000", "critical=100"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := newRecording(v, fullKey(sim.DefaultConfig()), false)
	if err != nil {
		t.Fatal(err)
	}
	events := uint64(1_000_000)
	if testing.Short() || raceEnabled {
		// A smaller budget, filled as many times over in fewer events.
		r.setBudget(budget{marks: fullBudget.marks / 16})
		events /= 10
	}
	for r.sim.Events() < events && r.stepOne() {
	}
	if r.grain == 0 || r.markBytes > r.budget.marks {
		t.Fatalf("after %d events: marks %d B over %d B, grain %d: they should have been coarsened to fit",
			r.sim.Events(), r.markBytes, r.budget.marks, r.grain)
	}
	// Every lane still says what its thread does now.
	snap := r.sim.Snapshot()
	started := 0
	for id, l := range r.lanes {
		st, _ := stateAt(l, snap.Now)
		if want := snap.Threads[id].State; sim.State(st) != want && (st != threadNative || want != sim.StateRunning) {
			t.Fatalf("thread %d's lane says %s now, the engine %s", id, st, want)
		}
		if len(l) > 0 {
			started++
		}
	}
	if started < 1000 {
		t.Fatalf("only %d threads have marks", started)
	}
	if h := r.owners[0]; len(h) == 0 || holderAt(h, snap.Now) != snap.Locks[0].Owner {
		t.Fatalf("the lock's marks say %d holds it, the engine %d", holderAt(h, snap.Now), snap.Locks[0].Owner)
	}
	if heap := liveHeap(); heap > memoryBudget/2 {
		t.Fatalf("%d MiB of live heap for one run to the end", heap>>20)
	}
	t.Logf("%d events, %s, %d threads started: marks %d MiB, coarsened before %s to %s", r.sim.Events(), r.sim.Now(),
		started, r.markBytes>>20, r.horizon, sim.Time(r.grain))
}

// TestFootprintWeighsClones checks footprint against the heap: clones of
// large runs must weigh, by footprint, what they take from the heap,
// within a few percent.
func TestFootprintWeighsClones(t *testing.T) {
	for _, run := range [][]string{{"cpu-bound", "threads=1000"}, {"cpu-bound", "threads=2000", "use=processes"},
		{"asyncio-nonblocking", "clients=1000"}, {"process-queue-fixed", "items=20000"}, {"lock-contention", "threads=2000"}} {
		t.Run(run[0], func(t *testing.T) {
			v, err := mustScenario(t, run[0]).Parse(run[1:])
			if err != nil {
				t.Fatal(err)
			}
			r, err := newRecording(v, sim.DefaultConfig(), false)
			if err != nil {
				t.Fatal(err)
			}
			for r.sim.Events() < 5000 && r.stepOne() {
			}
			clones := make([]*sim.Sim, 16)
			before := liveHeap()
			for i := range clones {
				clones[i] = r.sim.Clone()
			}
			heap := float64(liveHeap()-before) / float64(len(clones))
			runtime.KeepAlive(clones)
			weight := float64(footprint(clones[0], r.sim))
			if weight < 0.95*heap || weight > 1.05*heap {
				t.Errorf("a clone weighs %.0f bytes by footprint, %.0f on the heap", weight, heap)
			}
		})
	}
}

// TestRunsShareTheBudget plays a large scenario, then switches settings
// back and forth and opens the compare view: the run on screen must have
// the whole budget (half each in the compare view), each kept run its
// small share, and at most two runs to the end may be kept or on their
// way, the others stopped.
func TestRunsShareTheBudget(t *testing.T) {
	m := playerModel(t, "counter-race", sim.DefaultConfig(), 120, 40, "threads=1000")
	for m.player.now() < 12e6 {
		// Short strides, as at a slow speed, which keep every checkpoint.
		m.player.advance(m.player.now()+20e3, 0)
	}
	m.player.settle()
	var stopped []*fullRun
	check := func(when string, shown int64) {
		t.Helper()
		p := m.player
		runs := map[*recording]budget{p.rec: shownBudget.div(shown)}
		if p.cmp != nil {
			runs[p.cmp] = shownBudget.div(shown)
		}
		for _, r := range p.kept {
			runs[r] = shownBudget.div(keptShare)
		}
		for r, want := range runs {
			if r.budget != want {
				t.Errorf("%s: a run has budget %+v, want %+v", when, r.budget, want)
			}
			if len(r.cps) > 1 && r.cpBytes > want.checkpoints || r.markBytes > r.markLimit {
				t.Errorf("%s: a run keeps %d checkpoints (%d B) and %d B of marks, over %+v", when, len(r.cps), r.cpBytes,
					r.markBytes, want)
			}
		}
		if len(p.kept) > keptRuns || len(p.fulls) > 2 {
			t.Errorf("%s: %d kept runs and %d runs to the end", when, len(p.kept), len(p.fulls))
		}
		for _, f := range p.fulls {
			stopped = append(stopped, f)
		}
	}
	check("playing", 1)
	if len(m.player.rec.cps) < 2 || m.player.rec.cpBytes < shownBudget.checkpoints/2 {
		t.Fatalf("%d checkpoints weigh %d bytes: play further", len(m.player.rec.cps), m.player.rec.cpBytes)
	}
	for _, k := range []string{"g", "g", "m", "]", "[", "m"} {
		m, _ = press(t, m, k)
		check("after "+k, 1)
	}
	m, _ = press(t, m, "c")
	check("comparing", 2)
	m, _ = press(t, m, "]")
	check("comparing after ]", 2)
	m, _ = press(t, m, "c")
	check("after the compare view", 1)
	live := map[*fullRun]bool{}
	for _, f := range m.player.fulls {
		live[f] = true
	}
	for _, f := range stopped {
		if !live[f] && !f.stop.Load() {
			t.Error("a run to the end no longer wanted was not asked to stop")
		}
	}
}
