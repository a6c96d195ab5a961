package tui

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("view differs from %s (run go test ./tui -update if the change is meant):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestViewGolden draws the player at fixed event counts, ANSI stripped,
// at 80x24 and 160x48, and checks what each screen must show.
func TestViewGolden(t *testing.T) {
	tests := []struct {
		name string
		id   string
		// pre are keys pressed before the events.
		pre    []string
		events int
		// ticks plays on for that many frames after the events.
		ticks int
		keys  []string
		// must lists what the screen has to show at both sizes.
		must []string
	}{
		// Event 25 is an interval handoff: the arrow is drawn whole.
		{"cpu-bound-handoff", "cpu-bound", nil, 25, 0, nil, []string{"────────▶", "interval expired, drop requested", "◆",
			"waits GIL", "GIL held by", "11111"}},
		{"io-bound", "io-bound", nil, 57, 0, nil, []string{"I/O", "blocking I/O", "sock.recv", "SO FAR  p50 latency"}},
		{"convoy", "convoy", nil, 300, 0, nil, []string{"waits GIL", "range(REQUESTS)", "requests/s"}},
		// Event 34: the producer has put 7 items the worker has not taken.
		{"queue-depth", "process-queue-fixed", nil, 34, 0, nil, []string{"QUEUE q", "  7 · peak 7", "Process-1"}},
		{"compare", "cpu-bound", nil, 25, 0, []string{"c"}, []string{"GIL on · py3 · 5ms", "GIL off · free-threaded",
			"Speedup without the GIL 3.22x", "▸ at 18.241ms: Thread-2 (countdown)", "●▶   7", "◀ T1 │ T4 T3 T2 T1",
			"→ step", "← back"}},
		{"finished", "thread-start", nil, 1000, 0, nil, []string{"■ finished", "Completed at", "GIL off · free-threaded · 3.13t: ",
			"joined"}},
		// Event 53: Task-7 calls sock.recv inside its step, and 150 frames
		// later (150ms) it still blocks the loop while the heartbeats'
		// sleeps are long over.
		{"asyncio-stall", "asyncio-blocking", []string{"L"}, 53, 150, nil, []string{"├ Task-7 worker", "blocks loop",
			"└ Task-8 worker", "overdue", "XXXX", "blocks the loop in a call at line 26", "◀ T0 Task-7", "│!!!!",
			"took 0.251 seconds"}},
		// Event 40: every client awaits its socket at once.
		{"asyncio-overlap", "asyncio-nonblocking", nil, 40, 0, nil, []string{"awaits I/O", "sleeping", "Task-3 Task-4 Task-5"}},
		// A lesson point, its callout in place of the narration.
		{"lesson", "cpu-bound", nil, 0, 400, nil, []string{"⏸ Lesson 1", "The first drop request", "asks Thread-1 (countdown) to drop it",
			"⚑ drop requested"}},
		// The whole run on one screen, from the middle of it.
		{"whole-run", "convoy", []string{"L"}, 400, 0, []string{"w"}, []string{"whole run, 1 col =", "GIL held by"}},
		// Lock contention, with its lock's holder and waiters.
		{"locks", "lock-contention", []string{"L"}, 0, 210, nil, []string{"LOCK  lock held by", "waiters:", "###"}},
	}
	for _, tt := range tests {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("%s-%dx%d", tt.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := playerModel(t, tt.id, sim.DefaultConfig(), size[0], size[1])
				var cmd tea.Cmd
				for _, k := range tt.pre {
					m, _ = press(t, m, k)
				}
				m = settle(t, m, m.Init())
				for range tt.events {
					if m, cmd = press(t, m, "right"); !m.keys.Step.Enabled() {
						break
					}
				}
				m = settle(t, m, cmd)
				if tt.ticks > 0 {
					m = playFor(t, m, tt.ticks)
				}
				for _, k := range tt.keys {
					m, cmd = press(t, m, k)
					m = settle(t, m, cmd)
				}
				got := plain(m)
				checkFits(t, got, size[0], size[1])
				for _, s := range tt.must {
					if !strings.Contains(got, s) {
						t.Errorf("the screen does not show %q", s)
					}
				}
				golden(t, name, got)
			})
		}
	}
}

// TestStepBackRetracesForward steps forward N events, noting every view,
// then back N: each view on the way back must equal the one on the way
// forward, across several checkpoints.
func TestStepBackRetracesForward(t *testing.T) {
	for _, run := range [][]string{{"cpu-bound", "count=15000000"}, {"convoy"}, {"lock-contention"},
		{"process-queue-fixed", "items=100"}, {"asyncio-blocking", "clients=100"}} {
		t.Run(run[0], func(t *testing.T) {
			m := playerModel(t, run[0], sim.DefaultConfig(), 80, 24, run[1:]...)
			m = pressN(t, m, "right", 7)
			views := []string{m.View()}
			for len(views) <= 2*checkpointEvery+5 && m.keys.Step.Enabled() {
				m, _ = press(t, m, "right")
				views = append(views, m.View())
			}
			n := len(views) - 1
			if n < 2*checkpointEvery {
				t.Fatalf("only %d steps: the run is too short to cross two checkpoints", n)
			}
			for i := n - 1; i >= 0; i-- {
				m, _ = press(t, m, "left")
				if got := m.View(); got != views[i] {
					t.Fatalf("%d steps back the view differs from the way forward:\n--- back\n%s\n--- forward\n%s", n-i, plain(m), views[i])
				}
			}
		})
	}
}

// TestTooSmall shows one line below 80x24.
func TestTooSmall(t *testing.T) {
	for _, size := range [][2]int{{79, 24}, {80, 23}, {40, 10}} {
		m := playerModel(t, "cpu-bound", sim.DefaultConfig(), size[0], size[1])
		if got := plain(m); got != "terminal too small (need 80x24)" {
			t.Errorf("%dx%d: %q", size[0], size[1], got)
		}
	}
}

// TestColours pins a true-colour profile and checks that timeline cells
// carry their state's colour, for dark and light backgrounds.
func TestColours(t *testing.T) {
	p := DefaultPalette()
	for _, dark := range []bool{true, false} {
		m := styledPlayer(t, pinnedStyles(termenv.TrueColor, dark), "cpu-bound", 80, 24)
		m = pressN(t, m, "right", 27)
		view := m.View()
		for _, c := range []struct {
			name   string
			colour lipgloss.AdaptiveColor
			glyph  string
		}{{"running", p.Running, "█"}, {"waiting for the GIL", p.WaitingGIL, "░"}} {
			hex := c.colour.Dark
			if !dark {
				hex = c.colour.Light
			}
			if seq := sgr(hex) + c.glyph; !strings.Contains(view, seq) {
				t.Errorf("dark %v: no %s cell drawn in %s (%q)", dark, c.name, hex, seq)
			}
		}
	}
}

// sgr is the escape sequence that sets a true-colour foreground.
func sgr(hex string) string {
	var r, g, b int
	fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b)
	return fmt.Sprintf("\x1b[38;2;%d;%d;%dm", r, g, b)
}

// env is a fake environment for a renderer.
type env map[string]string

func (e env) Environ() []string {
	var out []string
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}

func (e env) Getenv(k string) string { return e[k] }

// TestNoColor builds the styles the way gilsim does, from a renderer on a
// true-colour terminal, with and without NO_COLOR: with it, the screen has
// no escape sequence at all and still shows the states in words, the
// legend's glyphs and the GIL holder's mark, the tasks' as the threads'.
func TestNoColor(t *testing.T) {
	for _, tt := range []struct {
		id     string
		events int
		must   []string
	}{
		{"cpu-bound", 26, []string{"running", "waits GIL", "█ running", "░ waits GIL", "◆", "─▶"}},
		{"asyncio-blocking", 53, []string{"running", "ready", "overdue", "awaits task", "r ready", "! overdue",
			"a awaits", "│rrrr", "│!!!!", "│aaaa", "◀ T0 Task-7"}},
	} {
		for _, noColor := range []bool{false, true} {
			e := env{"TERM": "xterm-256color", "COLORTERM": "truecolor"}
			if noColor {
				e["NO_COLOR"] = "1"
			}
			r := lipgloss.NewRenderer(io.Discard, termenv.WithEnvironment(e), termenv.WithTTY(true))
			r.SetHasDarkBackground(true)
			m := styledPlayer(t, DefaultStyles(r), tt.id, 80, 24)
			m = pressN(t, m, "right", tt.events)
			view := m.View()
			if got := strings.Contains(view, "\x1b["); got == noColor {
				t.Errorf("%s, NO_COLOR %v: escape sequences present %v", tt.id, noColor, got)
			}
			for _, s := range tt.must {
				if !strings.Contains(ansi.Strip(view), s) {
					t.Errorf("%s, NO_COLOR %v: the screen lacks %q", tt.id, noColor, s)
				}
			}
		}
	}
}

// TestHelpMatchesKeyMap checks that the footer is generated from the key
// map: every enabled short-help binding appears with its help text, and
// a disabled one does not.
func TestHelpMatchesKeyMap(t *testing.T) {
	m := playerModel(t, "cpu-bound", sim.DefaultConfig(), 160, 48)
	footer := plain(m)[strings.LastIndex(plain(m), "\n")+1:]
	for _, b := range (playerHelp{&m.keys}).ShortHelp() {
		h := b.Help()
		has := strings.Contains(footer, h.Key+" "+h.Desc)
		if has != b.Enabled() {
			t.Errorf("footer %q: %q shown %v, enabled %v", footer, h.Key+" "+h.Desc, has, b.Enabled())
		}
	}
	m, _ = press(t, m, "?")
	full := plain(m)
	for _, group := range (playerHelp{&m.keys}).FullHelp() {
		for _, b := range group {
			if b.Enabled() && !strings.Contains(full, b.Help().Desc) {
				t.Errorf("full help lacks %q", b.Help().Desc)
			}
		}
	}
}

// TestEveryScenarioFits plays every scenario a little at both sizes, alone
// and compared: the screen must always fit.
func TestEveryScenarioFits(t *testing.T) {
	for _, sc := range scenarios.All() {
		for _, size := range [][2]int{{80, 24}, {200, 60}} {
			m := playerModel(t, sc.ID, sim.DefaultConfig(), size[0], size[1])
			for range 40 {
				m, _ = press(t, m, "right")
			}
			t.Run(fmt.Sprintf("%s-%dx%d", sc.ID, size[0], size[1]), func(t *testing.T) {
				checkFits(t, plain(m), size[0], size[1])
				m, cmd := press(t, m, "c")
				m = settle(t, m, cmd)
				checkFits(t, plain(m), size[0], size[1])
			})
		}
	}
}

// TestManyTasksFit plays asyncio scenarios with many clients at 80x24:
// the tasks that matter keep their lanes, in order, one row counts the
// others, and the source keeps its rows.
func TestManyTasksFit(t *testing.T) {
	for _, id := range []string{"asyncio-blocking", "asyncio-nonblocking"} {
		t.Run(id, func(t *testing.T) {
			m := playerModel(t, id, sim.DefaultConfig(), 80, 24, "clients=100")
			m = pressN(t, m, "right", 40)
			got := plain(m)
			checkFits(t, got, 80, 24)
			items, _ := laneItems(&m.frame.side, layoutPlayer(&m.frame, 80, 24, 1).lanes-1, 1)
			var shown, more int
			last := int32(-1)
			for _, it := range items {
				switch it.kind {
				case laneTask:
					shown++
					if it.id <= last {
						t.Errorf("task %d drawn after task %d", it.id, last)
					}
					last = it.id
				case laneMoreTasks:
					more += len(it.hidden)
				}
			}
			if shown == 0 || shown+more != len(m.frame.snap.Tasks) {
				t.Errorf("%d task lanes and %d counted, of %d tasks", shown, more, len(m.frame.snap.Tasks))
			}
			if want := fmt.Sprintf("└ %d more tasks: ", more); !strings.Contains(got, want) {
				t.Errorf("no %q row:\n%s", want, got)
			}
			if running := m.frame.snap.Loops[0].Task; running >= 0 && !strings.Contains(got, m.frame.snap.Tasks[running].Name+" ") {
				t.Errorf("the running task %s has no lane:\n%s", m.frame.snap.Tasks[running].Name, got)
			}
			if !strings.Contains(got, "SOURCE") {
				t.Errorf("the tasks took the source's rows:\n%s", got)
			}
		})
	}
}

// TestCompareStepBackRetracesForward steps the compare view forward
// instant by instant, noting every view, then back as many: each view on
// the way back must equal the one on the way forward, across two
// checkpoints of the runs (of both, for the asyncio clients).
func TestCompareStepBackRetracesForward(t *testing.T) {
	for _, tt := range []struct {
		run []string
		// from is the event the compare view opens at.
		from int
		both bool
	}{
		{[]string{"cpu-bound", "count=15000000"}, 7, false},
		{[]string{"asyncio-blocking", "clients=100"}, checkpointEvery - 10, true},
	} {
		t.Run(tt.run[0], func(t *testing.T) {
			m := playerModel(t, tt.run[0], sim.DefaultConfig(), 80, 24, tt.run[1:]...)
			m = pressN(t, m, "right", tt.from)
			m, cmd := press(t, m, "c")
			m = settle(t, m, cmd)
			p := m.player
			start := map[*recording]uint64{p.rec: p.rec.sim.Events(), p.cmp: p.cmp.sim.Events()}
			crossed := func(r *recording) bool { return r.sim.Events()/checkpointEvery-start[r]/checkpointEvery >= 2 }
			views := []string{m.View()}
			for m.keys.Step.Enabled() && !(crossed(p.rec) && (crossed(p.cmp) || !tt.both)) {
				m, _ = press(t, m, "right")
				views = append(views, m.View())
			}
			if !crossed(p.rec) || tt.both && !crossed(p.cmp) {
				t.Fatalf("runs at events %d and %d: too few to cross two checkpoints", p.rec.sim.Events(), p.cmp.sim.Events())
			}
			n := len(views) - 1
			for i := n - 1; i >= 0; i-- {
				m, _ = press(t, m, "left")
				if got := m.View(); got != views[i] {
					t.Fatalf("%d steps back the view differs from the way forward:\n--- back\n%s\n--- forward\n%s", n-i, plain(m), ansi.Strip(views[i]))
				}
			}
		})
	}
}

// TestTaskNarration steps asyncio scenarios to the end and checks that the
// narration tells the lesson in terms of tasks: under blocking calls a
// task holds up the others and each slow step is reported with its
// length, as the trace gives it; with awaits the loop runs the others
// meanwhile.
func TestTaskNarration(t *testing.T) {
	for _, tt := range []struct {
		id   string
		must []string
	}{
		{"asyncio-blocking", []string{"blocks the loop in a call at line", "cannot run until it returns",
			"without awaiting, so the 7 other tasks waited", "after its sleep was over"}},
		{"asyncio-nonblocking", []string{"awaits its I/O, so the loop runs", "Nothing is ready: MainThread's loop waits in select()",
			"is done, the last task on the loop"}},
	} {
		t.Run(tt.id, func(t *testing.T) {
			m := playerModel(t, tt.id, sim.DefaultConfig(), 80, 24)
			var said []string
			slow := 0
			for m.keys.Step.Enabled() {
				m, _ = press(t, m, "right")
				f := &m.frame
				said = append(said, f.narration)
				n := &m.player.rec.narr
				if e := n.sig; n.stepSig && e.Kind == sim.TraceSlowCallback && f.narrAt == e.At {
					slow++
					want := fmt.Sprintf("%s ran %s without awaiting", m.player.rec.sim.Workload().Tasks[e.Obj].Name, brief(sim.Time(e.Value)))
					if !strings.HasPrefix(f.narration, want) {
						t.Errorf("after a slow step the narration says %q, want it to start %q", f.narration, want)
					}
				}
			}
			if tt.id == "asyncio-blocking" && slow == 0 {
				t.Error("no slow step was narrated")
			}
			all := strings.Join(said, "\n")
			for _, s := range tt.must {
				if !strings.Contains(all, s) {
					t.Errorf("the narration never says %q; it said:\n%s", s, all)
				}
			}
		})
	}
}

// TestVarsShowLostUpdates plays counter-race for 10ms: without the GIL the
// shared counter's row counts updates lost; under the GIL, none.
func TestVarsShowLostUpdates(t *testing.T) {
	for _, tt := range []struct {
		model sim.Model
		must  string
	}{
		{sim.ModelFreeThreaded, "updates lost"},
		{sim.ModelPy3, "none lost"},
	} {
		t.Run(tt.model.String(), func(t *testing.T) {
			cfg := sim.DefaultConfig()
			cfg.Model = tt.model
			m := playerModel(t, "counter-race", cfg, 80, 24)
			m, _ = press(t, m, "space")
			for range 100 { // 10ms: import threading, then the threads run
				m, _ = send(t, m, tickMsg{tag: m.player.tag})
			}
			m, _ = press(t, m, "space")
			got := plain(m)
			checkFits(t, got, 80, 24)
			v := m.frame.snap.Vars[0]
			want := fmt.Sprintf("VARS  counter = %s · ", thousands(v.Value))
			if v.Lost > 0 {
				want += thousands(v.Lost) + " "
			}
			if want += tt.must; !strings.Contains(got, want) {
				t.Errorf("the screen does not show %q:\n%s", want, got)
			}
			if lost := v.Lost > 0; lost != (tt.model == sim.ModelFreeThreaded) {
				t.Errorf("%s: %d updates lost at %s", tt.model, v.Lost, m.frame.snap.Now)
			}
		})
	}
}

// TestWholeRunRulerKeepsItsWords: in the whole-run view the ▼ over now
// never cuts into "whole run, 1 col = ...", wherever now falls; where the
// words cannot stand beside it, the scale alone does.
func TestWholeRunRulerKeepsItsWords(t *testing.T) {
	st := DefaultStyles(lipgloss.NewRenderer(io.Discard))
	for _, cols := range []int{30, 47, 60, 130} {
		total := sim.Time(761_000_000)
		for c := range cols {
			win := window{whole: true, total: total, now: total * sim.Time(c) / sim.Time(cols)}
			start, scale := win.span(cols)
			now := int((win.now - start) / scale)
			row := ansi.Strip(rulerView(win, cols, &st))
			// The words if they fit beside ▼, else the scale alone if it
			// does, else nothing but ▼.
			text := ""
			for _, words := range []string{"whole run, 1 col = ", "1 col = "} {
				if n := utf8.RuneCountInString(words + short(scale)); text == "" && (now+2+n <= cols || now-1-n >= 0) {
					text = words + short(scale)
				}
			}
			if !strings.Contains(row, text) || strings.Count(row, "▼") != 1 || utf8.RuneCountInString(row) != cols {
				t.Errorf("%d columns, now in column %d: %q, want %q whole and one ▼", cols, now, row, text)
			}
		}
	}
}

// TestSourceSaysTheVersion: the source heading names the CPython version
// a program runs as, which follows the GIL for a built-in scenario.
func TestSourceSaysTheVersion(t *testing.T) {
	m := noLessons(t, "counter-race", sim.DefaultConfig(), 80, 24)
	if got := lineWith(plain(m), "SOURCE"); !strings.Contains(got, "counter_race.py as 3.12") {
		t.Errorf("under py3: %q, want counter_race.py as 3.12", got)
	}
	for _, tc := range []struct{ key, want string }{{"m", "as 2.7"}, {"g", "as 3.13t"}} {
		var cmd tea.Cmd
		m, cmd = press(t, m, tc.key)
		m = settle(t, m, cmd)
		if got := lineWith(plain(m), "SOURCE"); !strings.Contains(got, tc.want) {
			t.Errorf("after %s (%s): %q, want %q", tc.key, m.player.cfg.Model, got, tc.want)
		}
	}
}
