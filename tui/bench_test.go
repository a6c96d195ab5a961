package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// benchPlayer is cpu-bound with 16 threads (the main one and 15 workers),
// played to 60 ms.
func benchPlayer(b *testing.B, width, height int) Model {
	b.Helper()
	m := playerModel(b, "cpu-bound", sim.DefaultConfig(), width, height, "threads=15")
	m.player.advance(60*1e6, 0)
	m.refresh()
	if n := len(m.frame.snap.Threads); n != 16 {
		b.Fatalf("%d threads, want 16", n)
	}
	return m
}

// benchTasks is asyncio-nonblocking with 100 clients (105 tasks), played
// to 150 ms, when every client awaits its socket.
func benchTasks(b *testing.B, width, height int) Model {
	b.Helper()
	m := playerModel(b, "asyncio-nonblocking", sim.DefaultConfig(), width, height, "clients=100")
	m.player.advance(150*1e6, 0)
	m.refresh()
	if n := len(m.frame.snap.Tasks); n != 105 {
		b.Fatalf("%d tasks, want 105", n)
	}
	return m
}

// BenchmarkView measures drawing one frame: alone with 16 threads, alone
// with 105 asyncio tasks, and the compare view with 16 threads a side.
func BenchmarkView(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {200, 60}} {
		for _, kind := range []string{"threads", "tasks", "compare"} {
			b.Run(fmt.Sprintf("%s-%dx%d", kind, size[0], size[1]), func(b *testing.B) {
				var m Model
				switch kind {
				case "tasks":
					m = benchTasks(b, size[0], size[1])
				case "compare":
					m, _ = press(b, benchPlayer(b, size[0], size[1]), "c")
				default:
					m = benchPlayer(b, size[0], size[1])
				}
				b.ReportAllocs()
				for b.Loop() {
					_ = m.View()
				}
			})
		}
	}
}

// BenchmarkStep measures → and ← through Update, including the new frame.
func BenchmarkStep(b *testing.B) {
	b.Run("forward", func(b *testing.B) {
		m := benchPlayer(b, 80, 24)
		b.ReportAllocs()
		for b.Loop() {
			if !m.keys.Step.Enabled() {
				b.StopTimer()
				m, _ = press(b, m, "r")
				b.StartTimer()
			}
			m, _ = press(b, m, "right")
		}
	})
	b.Run("back", func(b *testing.B) {
		m := benchPlayer(b, 80, 24)
		top := m.player.rec.sim.Events()
		b.ReportAllocs()
		for b.Loop() {
			if !m.keys.Back.Enabled() {
				b.StopTimer()
				m.player.rec.seek(top)
				b.StartTimer()
			}
			m, _ = press(b, m, "left")
		}
	})
	b.Run("forward-tasks", func(b *testing.B) {
		// Every event of a loop's thread reads the tasks' states.
		m := benchTasks(b, 80, 24)
		b.ReportAllocs()
		for b.Loop() {
			if !m.keys.Step.Enabled() {
				b.StopTimer()
				m, _ = press(b, m, "r")
				b.StartTimer()
			}
			m, _ = press(b, m, "right")
		}
	})
	b.Run("compare-forward", func(b *testing.B) {
		m, _ := press(b, benchPlayer(b, 80, 24), "c")
		b.ReportAllocs()
		for b.Loop() {
			if !m.keys.Step.Enabled() {
				b.StopTimer()
				m, _ = press(b, m, "r")
				b.StartTimer()
			}
			m, _ = press(b, m, "right")
		}
	})
	b.Run("compare-back", func(b *testing.B) {
		m, _ := press(b, benchPlayer(b, 80, 24), "c")
		top := m.player.clock
		b.ReportAllocs()
		for b.Loop() {
			if !m.keys.Back.Enabled() {
				b.StopTimer()
				m.player.advance(top, 0)
				b.StartTimer()
			}
			m, _ = press(b, m, "left")
		}
	})
	b.Run("back-largest", func(b *testing.B) {
		// The largest scenario from the end of its run: each step back
		// re-simulates up to a checkpoint interval of events.
		id, _, end := largestScenario(b)
		m := playerModel(b, id, sim.DefaultConfig(), 80, 24)
		m.player.advance(end, 0)
		m.refresh()
		b.ReportAllocs()
		for b.Loop() {
			m, _ = press(b, m, "left")
		}
	})
}

// BenchmarkToggleGIL measures g on the built-in scenario with the most
// events at its defaults, from the end of its run: re-simulating it from
// the start under the other setting to the same virtual time, and going
// back to the run shown before (g g).
func BenchmarkToggleGIL(b *testing.B) {
	id, events, end := largestScenario(b)
	b.Logf("largest scenario: %s, %d events, %s", id, events, end)
	for _, back := range []bool{false, true} {
		name := "new-run"
		if back {
			// The second g goes back to the run the first left.
			name = "back"
		}
		b.Run(name, func(b *testing.B) {
			m := playerModel(b, id, sim.DefaultConfig(), 80, 24)
			m.player.advance(end, 0)
			m.player.settle()
			m, _ = press(b, m, "g")
			b.ReportAllocs()
			for b.Loop() {
				if !back {
					m.player.kept = nil
				}
				m, _ = press(b, m, "g")
			}
		})
	}
}

// largestScenario runs every scenario at its defaults and returns the one
// with the most events, with its count and its virtual end time.
func largestScenario(b *testing.B) (string, uint64, sim.Time) {
	b.Helper()
	var id string
	var most uint64
	var end sim.Time
	for _, sc := range scenarios.All() {
		s, err := sc.Defaults().New(sim.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		s.Run()
		if s.Events() > most {
			id, most, end = sc.ID, s.Events(), s.Now()
		}
	}
	return id, most, end
}

// BenchmarkOpenTenThousand measures opening the player on cpu-bound with
// 10,000 threads: building the workload, the simulation, the recording and
// its first checkpoint, and the first frame at 80x24.
func BenchmarkOpenTenThousand(b *testing.B) {
	sc, err := scenarios.Lookup("cpu-bound")
	if err != nil {
		b.Fatal(err)
	}
	v, err := sc.Parse([]string{"threads=10000"})
	if err != nil {
		b.Fatal(err)
	}
	st := pinnedStyles(termenv.TrueColor, true)
	b.ReportAllocs()
	for b.Loop() {
		m, err := New(scenarios.All(), sim.DefaultConfig(), st).Play(v, sim.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		m, _ = send(b, m, tea.WindowSizeMsg{Width: 80, Height: 24})
		_ = m.View()
	}
}

// BenchmarkToggleTenThousand measures g on cpu-bound with 10,000 threads,
// 20ms in (the main thread still starting threads): re-simulating to the
// same moment under the other setting, and the frame after.
func BenchmarkToggleTenThousand(b *testing.B) {
	m := playerModel(b, "cpu-bound", sim.DefaultConfig(), 80, 24, "threads=10000")
	m.player.advance(20*1e6, 0)
	m.player.settle()
	m.refresh()
	b.ReportAllocs()
	for b.Loop() {
		m, _ = press(b, m, "g")
	}
}

// bigRuns are the runs the memory benchmarks measure: a handful of
// threads, a thousand, ten thousand, and ten thousand processes.
var bigRuns = []struct {
	name string
	id   string
	sets []string
}{
	{"4-threads", "cpu-bound", nil},
	{"1000-threads", "cpu-bound", []string{"threads=1000"}},
	{"10000-threads", "cpu-bound", []string{"threads=10000"}},
	{"10000-processes", "cpu-bound", []string{"threads=10000", "use=processes"}},
}

// BenchmarkCheckpoint measures taking a checkpoint (a clone of the run
// and weighing it) 2,000 events into the run, and reports what one
// weighs, in all and per thread.
func BenchmarkCheckpoint(b *testing.B) {
	for _, run := range bigRuns {
		b.Run(run.name, func(b *testing.B) {
			r := benchRecording(b, run.id, run.sets, 2000)
			threads := len(r.sim.Workload().Threads)
			var bytes int64
			b.ReportAllocs()
			for b.Loop() {
				r.cps = r.cps[:0]
				r.cpBytes = 0
				r.takeCheckpoint()
				bytes = r.cps[0].bytes
			}
			b.ReportMetric(float64(bytes), "bytes/checkpoint")
			b.ReportMetric(float64(bytes)/float64(threads), "bytes/thread")
		})
	}
}

// benchRecording is a recording of scenario id with parameters sets, with
// checkpoints, played to event events.
func benchRecording(b *testing.B, id string, sets []string, events uint64) *recording {
	b.Helper()
	v, err := mustScenario(b, id).Parse(sets)
	if err != nil {
		b.Fatal(err)
	}
	r, err := newRecording(v, sim.DefaultConfig(), true)
	if err != nil {
		b.Fatal(err)
	}
	for r.sim.Events() < events && r.stepOne() {
	}
	return r
}

// BenchmarkStepBackThinned measures a step back (to the event before)
// late in long runs whose checkpoints have been thinned to the budget:
// from the end of the run back some 2,000 events, one event at a time,
// then forward again. "seek" times the recording going back; "key" the ←
// key through Update, the new frame included. Besides the mean it reports
// the slowest step back and the 99th percentile (on a machine shared with
// other work the slowest is often a pause of the machine's), and the most
// events one step back replayed.
func BenchmarkStepBackThinned(b *testing.B) {
	for _, run := range []struct {
		name   string
		id     string
		sets   []string
		events uint64
	}{
		{"1000-threads", "counter-race", []string{"threads=1000"}, 1_000_000},
		{"10000-threads-io-bound", "io-bound", []string{"threads=10000", "ops=100000", "io=100us"}, 200_000},
		{"10000-threads-cpu-bound", "cpu-bound", []string{"threads=10000"}, 30_000},
		{"10000-processes", "cpu-bound", []string{"threads=10000", "use=processes"}, 30_000},
	} {
		for _, how := range []string{"seek", "key"} {
			b.Run(run.name+"/"+how, func(b *testing.B) {
				m := playerModel(b, run.id, sim.DefaultConfig(), 120, 40, run.sets...)
				r := m.player.rec
				for r.sim.Events() < run.events && r.stepOne() {
				}
				m.player.settle()
				m.refresh()
				top := r.sim.Events()
				if r.cpBytes < shownBudget.checkpoints/2 {
					b.Fatalf("%d checkpoints weigh %d bytes: the budget never thinned them", len(r.cps), r.cpBytes)
				}
				var times []time.Duration
				var replayed uint64
				b.ReportAllocs()
				for b.Loop() {
					r := m.player.rec
					if r.sim.Events() < top-2000 {
						b.StopTimer()
						r.seek(top)
						m.player.settle()
						m.refresh()
						b.StartTimer()
					}
					e := r.sim.Events() - 1
					from := uint64(0)
					if i := r.checkpointAt(e); i >= 0 {
						from = r.cps[i].events
					}
					start := time.Now()
					if how == "key" {
						m, _ = press(b, m, "left")
					} else {
						r.seek(e)
					}
					times = append(times, time.Since(start))
					replayed = max(replayed, e-from)
				}
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)-1].Nanoseconds()), "worst-ns/step")
				b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds()), "p99-ns/step")
				b.ReportMetric(float64(replayed), "most-events-replayed")
				b.ReportMetric(float64(len(m.player.rec.cps)), "checkpoints")
			})
		}
	}
}

// BenchmarkToggleProgram measures g on a Python program, the 20-million
// countdown in two threads (docs/examples/countdown.py), half-way through: re-simulating it to the same
// moment with the GIL off, and the frame after.
func BenchmarkToggleProgram(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("..", "docs", "examples", "countdown.py"))
	if err != nil {
		b.Fatal(err)
	}
	sc, err := scenarios.FromProgram("countdown.py", src)
	if err != nil {
		b.Fatal(err)
	}
	m, err := New(scenarios.All(), sim.DefaultConfig(), pinnedStyles(termenv.TrueColor, true)).Play(sc.Defaults(), sim.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	m, _ = send(b, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m.player.advance(sim.Time(330*time.Millisecond), 0)
	m.player.settle()
	m.refresh()
	b.ReportAllocs()
	for b.Loop() {
		m.player.kept = nil
		m, _ = press(b, m, "g")
	}
}
