package tui

import (
	"fmt"
	"testing"

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
