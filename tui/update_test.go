package tui

import (
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/gilsim/gilsim/sim"
)

// TestKeys sends each key of the key map into Update and checks what it
// did to the model.
func TestKeys(t *testing.T) {
	py3 := sim.DefaultConfig()
	tests := []struct {
		name  string
		setup func(t *testing.T, m Model) Model
		key   string
		check func(t *testing.T, b was, a Model, cmd tea.Cmd)
	}{
		{"space plays", nil, "space", func(t *testing.T, b was, a Model, cmd tea.Cmd) {
			if !a.player.playing || cmd == nil || a.player.tag == b.tag {
				t.Errorf("playing %v, cmd %v, tag %d→%d: want playing, a tick, a new tag", a.player.playing, cmd != nil, b.tag, a.player.tag)
			}
		}},
		{"space pauses", func(t *testing.T, m Model) Model { m, _ = press(t, m, "space"); return m }, "space",
			func(t *testing.T, b was, a Model, cmd tea.Cmd) {
				if a.player.playing || cmd != nil || a.player.tag == b.tag {
					t.Errorf("playing %v, cmd %v, tag %d→%d: want paused, no tick, a new tag", a.player.playing, cmd != nil, b.tag, a.player.tag)
				}
			}},
		{"right steps one event", nil, "right", func(t *testing.T, b was, a Model, _ tea.Cmd) {
			if got := a.frame.snap.Events; got != b.events+1 {
				t.Errorf("events %d→%d, want one more", b.events, got)
			}
		}},
		{"left steps one event back", steps(5), "left", func(t *testing.T, b was, a Model, _ tea.Cmd) {
			if got := a.frame.snap.Events; got != 4 {
				t.Errorf("events %d→%d, want 4", b.events, got)
			}
		}},
		{"left at the start is disabled", nil, "left", func(t *testing.T, b was, a Model, _ tea.Cmd) {
			if a.keys.Back.Enabled() || a.frame.snap.Events != 0 {
				t.Errorf("back enabled %v, events %d: want disabled at event 0", a.keys.Back.Enabled(), a.frame.snap.Events)
			}
		}},
		{"g turns the GIL off at the same time", steps(30), "g", func(t *testing.T, b was, a Model, _ tea.Cmd) {
			if a.player.cfg.Model != sim.ModelFreeThreaded || a.frame.snap.Now != b.now {
				t.Errorf("model %s at %s, was %s: want free-threaded at the same time", a.player.cfg.Model, a.frame.snap.Now, b.now)
			}
			if a.keys.ToggleGIL.Help().Desc != "GIL on (py3)" {
				t.Errorf("g's help says %q after turning the GIL off", a.keys.ToggleGIL.Help().Desc)
			}
		}},
		{"g turns it back on", func(t *testing.T, m Model) Model { m = steps(30)(t, m); m, _ = press(t, m, "g"); return m }, "g",
			func(t *testing.T, b was, a Model, _ tea.Cmd) {
				if a.player.cfg.Model != sim.ModelPy3 || a.frame.snap.Now != b.now {
					t.Errorf("model %s at %s, was %s: want py3 at the same time", a.player.cfg.Model, a.frame.snap.Now, b.now)
				}
			}},
		{"m goes to the next model", steps(30), "m", func(t *testing.T, b was, a Model, _ tea.Cmd) {
			if a.player.cfg.Model != sim.ModelPy2 || a.frame.snap.Now != b.now {
				t.Errorf("model %s at %s: want py2 at %s", a.player.cfg.Model, a.frame.snap.Now, b.now)
			}
		}},
		{"[ halves the interval", steps(30), "[", func(t *testing.T, b was, a Model, _ tea.Cmd) {
			if a.player.cfg.SwitchInterval != 2*time.Millisecond || a.frame.snap.Now != b.now {
				t.Errorf("interval %s at %s: want 2ms at %s", a.player.cfg.SwitchInterval, a.frame.snap.Now, b.now)
			}
		}},
		{"] doubles the interval", steps(30), "]", func(t *testing.T, b was, a Model, _ tea.Cmd) {
			if a.player.cfg.SwitchInterval != 10*time.Millisecond || a.frame.snap.Now != b.now {
				t.Errorf("interval %s at %s: want 10ms at %s", a.player.cfg.SwitchInterval, a.frame.snap.Now, b.now)
			}
		}},
		{"[ is disabled without a switch interval", func(t *testing.T, m Model) Model { m, _ = press(t, m, "g"); return m }, "[",
			func(t *testing.T, b was, a Model, _ tea.Cmd) {
				if a.keys.IntervalDown.Enabled() || a.player.cfg.SwitchInterval != py3.SwitchInterval {
					t.Errorf("[ enabled %v, interval %s under free-threaded", a.keys.IntervalDown.Enabled(), a.player.cfg.SwitchInterval)
				}
			}},
		{"+ speeds up", nil, "+", func(t *testing.T, b was, a Model, _ tea.Cmd) {
			if a.player.speed != b.speed+1 {
				t.Errorf("speed %d→%d, want one faster", b.speed, a.player.speed)
			}
		}},
		{"- slows down", nil, "-", func(t *testing.T, b was, a Model, _ tea.Cmd) {
			if a.player.speed != b.speed-1 {
				t.Errorf("speed %d→%d, want one slower", b.speed, a.player.speed)
			}
		}},
		{"+ while playing replaces the tick chain", func(t *testing.T, m Model) Model { m, _ = press(t, m, "space"); return m }, "+",
			func(t *testing.T, b was, a Model, cmd tea.Cmd) {
				if cmd == nil || a.player.tag == b.tag {
					t.Errorf("cmd %v, tag %d→%d: want a new tick under a new tag", cmd != nil, b.tag, a.player.tag)
				}
			}},
		{"r restarts", steps(20), "r", func(t *testing.T, b was, a Model, _ tea.Cmd) {
			if a.frame.snap.Now != 0 || a.frame.snap.Events != 0 || a.player.rec.traced != 0 {
				t.Errorf("after restart: %s, event %d, %d trace events; want all zero", a.frame.snap.Now, a.frame.snap.Events, a.player.rec.traced)
			}
		}},
		{"c opens the compare view", steps(30), "c", func(t *testing.T, b was, a Model, _ tea.Cmd) {
			if !a.player.comparing() || a.frame.other == nil || a.frame.other.snap.Model != sim.ModelFreeThreaded {
				t.Fatalf("comparing %v: want a free-threaded second run", a.player.comparing())
			}
			if a.player.cmp.sim.Now() != b.now {
				t.Errorf("compare run at %s, want %s", a.player.cmp.sim.Now(), b.now)
			}
			if !a.keys.Step.Enabled() || !a.keys.Back.Enabled() || a.keys.ToggleGIL.Enabled() {
				t.Errorf("in the compare view: step %v, back %v, GIL toggle %v; want step and back only",
					a.keys.Step.Enabled(), a.keys.Back.Enabled(), a.keys.ToggleGIL.Enabled())
			}
		}},
		{"right in the compare view goes to the next event of either run", comparing(30), "right",
			func(t *testing.T, b was, a Model, _ tea.Cmd) {
				p := a.player
				if p.rec.sim.Now() != a.frame.snap.Now || p.cmp.sim.Now() != a.frame.snap.Now {
					t.Fatalf("runs at %s and %s, the view at %s: want one time", p.rec.sim.Now(), p.cmp.sim.Now(), a.frame.snap.Now)
				}
				at, ok := p.rec.lastBefore(a.frame.snap.Now + 1)
				atCmp, okCmp := p.cmp.lastBefore(a.frame.snap.Now + 1)
				if a.frame.snap.Now <= b.now || !(ok && at == a.frame.snap.Now || okCmp && atCmp == a.frame.snap.Now) {
					t.Errorf("moved from %s to %s, where neither run has an event", b.now, a.frame.snap.Now)
				}
				for _, r := range []*recording{p.rec, p.cmp} {
					if next, ok := r.sim.NextEventTime(); ok && next <= a.frame.snap.Now {
						t.Errorf("a run still has an event at %s, not after %s", next, a.frame.snap.Now)
					}
				}
			}},
		{"left in the compare view goes back to the last event of either run", comparing(30), "left",
			func(t *testing.T, b was, a Model, _ tea.Cmd) {
				p := a.player
				if p.rec.sim.Now() != a.frame.snap.Now || p.cmp.sim.Now() != a.frame.snap.Now || a.frame.snap.Now >= b.now {
					t.Fatalf("runs at %s and %s, the view at %s, before at %s: want one earlier time", p.rec.sim.Now(), p.cmp.sim.Now(), a.frame.snap.Now, b.now)
				}
				for _, r := range []*recording{p.rec, p.cmp} {
					if at, ok := r.lastBefore(b.now); ok && at > a.frame.snap.Now {
						t.Errorf("went back to %s, past an event at %s", a.frame.snap.Now, at)
					}
				}
			}},
		{"left in the compare view at time zero is disabled", comparing(0), "left",
			func(t *testing.T, b was, a Model, _ tea.Cmd) {
				if a.keys.Back.Enabled() || a.frame.snap.Now != 0 {
					t.Errorf("back enabled %v at %s: want disabled at time zero", a.keys.Back.Enabled(), a.frame.snap.Now)
				}
			}},
		{"c closes it", func(t *testing.T, m Model) Model { m, _ = press(t, m, "c"); return m }, "c",
			func(t *testing.T, b was, a Model, _ tea.Cmd) {
				if a.player.comparing() {
					t.Error("still comparing")
				}
			}},
		{"? shows the full help", nil, "?", func(t *testing.T, b was, a Model, _ tea.Cmd) {
			if !a.help.ShowAll || a.keys.Help.Help().Desc != "fewer keys" {
				t.Errorf("ShowAll %v, help %q", a.help.ShowAll, a.keys.Help.Help().Desc)
			}
		}},
		{"esc goes back to the picker", func(t *testing.T, m Model) Model { m, _ = press(t, m, "space"); return m }, "esc",
			func(t *testing.T, b was, a Model, _ tea.Cmd) {
				if a.screen != screenPicker || a.player.playing {
					t.Errorf("screen %s, playing %v: want the picker, paused", a.screen, a.player.playing)
				}
			}},
		{"q quits", nil, "q", quits},
		{"ctrl+c quits", nil, "ctrlc", quits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := playerModel(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
			if tt.setup != nil {
				m = tt.setup(t, m)
			}
			// The model shares its player with the one Update returns:
			// note what the check compares against before the key.
			b := was{tag: m.player.tag, speed: m.player.speed, events: m.frame.snap.Events, now: m.frame.snap.Now}
			a, cmd := press(t, m, tt.key)
			tt.check(t, b, a, cmd)
		})
	}
}

// was is what a key test compares the model against.
type was struct {
	tag, speed int
	events     uint64
	now        sim.Time
}

// comparing returns a setup that steps n events forward and opens the
// compare view.
func comparing(n int) func(*testing.T, Model) Model {
	return func(t *testing.T, m Model) Model {
		t.Helper()
		m = pressN(t, m, "right", n)
		m, cmd := press(t, m, "c")
		return settle(t, m, cmd)
	}
}

// steps returns a setup that steps n events forward.
func steps(n int) func(*testing.T, Model) Model {
	return func(t *testing.T, m Model) Model {
		t.Helper()
		return pressN(t, m, "right", n)
	}
}

func quits(t *testing.T, _ was, _ Model, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("the command does not quit")
	}
}

// TestPickerOpensScenario picks the second scenario and opens it.
func TestPickerOpensScenario(t *testing.T) {
	m := New(allScenarios(t), sim.DefaultConfig(), pinnedStyles(termenv.Ascii, true))
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if m.screen != screenPicker || m.keys.Play.Enabled() {
		t.Fatalf("screen %s, play enabled %v: want the picker with player keys disabled", m.screen, m.keys.Play.Enabled())
	}
	m, _ = press(t, m, "down")
	m, _ = press(t, m, "enter")
	want := allScenarios(t)[1].ID
	if m.screen != screenPlayer || m.player.vals.Scenario().ID != want {
		t.Fatalf("screen %s: want the player on %s", m.screen, want)
	}
	if m.keys.Open.Enabled() {
		t.Error("enter stays enabled in the player")
	}
}

// TestPickerFilterKeepsQ types q into the filter: it must filter, not quit.
func TestPickerFilterKeepsQ(t *testing.T) {
	m := New(allScenarios(t), sim.DefaultConfig(), pinnedStyles(termenv.Ascii, true))
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m, _ = press(t, m, "/")
	m, cmd := press(t, m, "q")
	if cmd != nil {
		if _, ok := cmd().(tea.QuitMsg); ok {
			t.Fatal("q quit while typing the filter")
		}
	}
	if got := m.picker.FilterValue(); got != "q" {
		t.Errorf("filter is %q, want q", got)
	}
}

// TestTicks checks the tagged tick chain: a tick of the current tag moves
// the clock on by one frame, a stale one is dropped.
func TestTicks(t *testing.T) {
	m := playerModel(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
	m, _ = press(t, m, "space")
	old := m.player.tag
	m, cmd := send(t, m, tickMsg{tag: old})
	if want := m.player.perFrame(); m.frame.snap.Now != want || cmd == nil {
		t.Fatalf("after one tick: %s and cmd %v, want %s and the next tick", m.frame.snap.Now, cmd != nil, want)
	}
	m, _ = press(t, m, "space") // pause
	m, _ = press(t, m, "space") // resume: the chain started before is stale
	before := m.frame.snap.Now
	m, cmd = send(t, m, tickMsg{tag: old})
	if m.frame.snap.Now != before || cmd != nil {
		t.Errorf("a stale tick moved the clock to %s (cmd %v)", m.frame.snap.Now, cmd != nil)
	}
	m, _ = send(t, m, tickMsg{tag: m.player.tag})
	if m.frame.snap.Now != before+m.player.perFrame() {
		t.Errorf("the current tick moved the clock to %s, want %s", m.frame.snap.Now, before+m.player.perFrame())
	}
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	if !m.player.playing {
		t.Error("resizing paused the player")
	}
	checkFits(t, plain(m), 120, 40)
}

// TestPlayToEnd plays a run through and checks that it pauses on its own
// with a summary that compares against the other GIL setting.
func TestPlayToEnd(t *testing.T) {
	m := playerModel(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
	m = pressN(t, m, "+", len(speeds))
	m, _ = press(t, m, "L") // no pauses at lesson points
	m, cmd := press(t, m, "space")
	for i := 0; m.player.playing; i++ {
		if i > 10000 {
			t.Fatal("the run never ended")
		}
		m, cmd = send(t, m, tickMsg{tag: m.player.tag})
	}
	if !m.player.rec.sim.Done() || m.frame.mode != modeFinished {
		t.Fatalf("paused at %s before the end (mode %s)", m.frame.snap.Now, m.frame.mode)
	}
	m = settle(t, m, cmd)
	on := m.player.rec.sim.Now()
	off, ok := m.player.fullOf(m.player.otherConfig())
	if !ok || off.rec == nil {
		t.Fatal("the other setting's run to the end is missing")
	}
	want := "GIL off · free-threaded · 3.13t: " + brief(off.rec.sim.Now()) + ", " + ratio(on, off.rec.sim.Now()) + " faster — "
	if len(m.frame.summary) != 3 || !contains(m.frame.summary[2], want) {
		t.Errorf("summary %q, want a line with %q", m.frame.summary, want)
	}
	if verdict := "4 threads, each counting down from 1,000,000, took"; !contains(m.frame.summary[1], verdict) {
		t.Errorf("summary %q: the scenario's own result should say %q", m.frame.summary, verdict)
	}
	if m.keys.Play.Help().Desc != "replay" || m.keys.Step.Enabled() {
		t.Errorf("at the end: space says %q, step enabled %v", m.keys.Play.Help().Desc, m.keys.Step.Enabled())
	}
	m, _ = press(t, m, "space")
	if !m.player.playing || m.frame.snap.Now != 0 {
		t.Errorf("replay: playing %v at %s, want playing from 0", m.player.playing, m.frame.snap.Now)
	}
}

// TestReopenIgnoresOldMessages plays a scenario, goes back to the picker
// and opens another: ticks and runs to the end meant for the first must
// not reach the second.
func TestReopenIgnoresOldMessages(t *testing.T) {
	m := New(allScenarios(t), sim.DefaultConfig(), pinnedStyles(termenv.Ascii, true))
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m, _ = press(t, m, "enter")
	m, _ = press(t, m, "space")
	oldTick := tickMsg{tag: m.player.tag}
	m = pressN(t, m, "right", 5)
	p := m.player
	stale := runToEnd(p.vals, fullKey(p.otherConfig()), p.identity(), new(atomic.Bool))().(fullMsg)
	var pending []*fullRun
	for _, f := range p.fulls {
		pending = append(pending, f)
	}
	m, _ = press(t, m, "esc")
	m, _ = press(t, m, "down")
	m, _ = press(t, m, "enter")
	for _, f := range pending {
		if !f.stop.Load() {
			t.Error("the first player's run to the end goes on after the second opened")
		}
	}
	if len(pending) == 0 {
		t.Error("the first player asked for no run to the end")
	}
	m, _ = press(t, m, "space")
	m, _ = press(t, m, "space") // paused, under a tag of its own
	m, next := send(t, m, oldTick)
	if next != nil || m.frame.snap.Now != 0 {
		t.Errorf("an old tick moved the new player to %s", m.frame.snap.Now)
	}
	m, _ = send(t, m, stale)
	if _, ok := m.player.fullOf(stale.cfg); ok {
		t.Error("the new player took the old scenario's run to the end as its own")
	}
}
