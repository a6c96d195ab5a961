package tui

import (
	"io"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// pinnedStyles builds the dark or the light theme's styles with a fixed
// colour profile, so that nothing depends on the machine running the tests.
func pinnedStyles(p termenv.Profile, dark bool) Styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	if dark {
		return ThemeStyles(r, ThemeDark)
	}
	return ThemeStyles(r, ThemeLight)
}

// playerModel opens the player on scenario id with parameters sets under
// cfg, sized width x height.
func playerModel(t testing.TB, id string, cfg sim.Config, width, height int, sets ...string) Model {
	t.Helper()
	return openPlayer(t, pinnedStyles(termenv.TrueColor, true), id, cfg, width, height, sets...)
}

// styledPlayer opens the player on scenario id at its defaults with st.
func styledPlayer(t testing.TB, st Styles, id string, width, height int) Model {
	t.Helper()
	return openPlayer(t, st, id, sim.DefaultConfig(), width, height)
}

func openPlayer(t testing.TB, st Styles, id string, cfg sim.Config, width, height int, sets ...string) Model {
	t.Helper()
	sc, err := scenarios.Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	v, err := sc.Parse(sets)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(scenarios.All(), sim.DefaultConfig(), st).Play(v, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, _ = send(t, m, tea.WindowSizeMsg{Width: width, Height: height})
	return m
}

// send passes one message through Update.
func send(t testing.TB, m Model, msg tea.Msg) (Model, tea.Cmd) {
	t.Helper()
	next, cmd := m.Update(msg)
	nm, ok := next.(Model)
	if !ok {
		t.Fatalf("Update returned %T, want Model", next)
	}
	return nm, cmd
}

// keyMsgs are the messages a terminal sends for the keys of the key map.
var keyMsgs = map[string]tea.KeyMsg{
	"space": {Type: tea.KeySpace, Runes: []rune{' '}},
	"right": {Type: tea.KeyRight},
	"left":  {Type: tea.KeyLeft},
	"esc":   {Type: tea.KeyEsc},
	"down":  {Type: tea.KeyDown},
	"up":    {Type: tea.KeyUp},
	"enter": {Type: tea.KeyEnter},
	"ctrlc": {Type: tea.KeyCtrlC},
}

// press sends key k: a name from keyMsgs or a single character. A job
// the key starts (a re-simulation, a jump) is carried out to its end, as
// the program would, chunk by chunk; the command returned is then the
// last chunk's.
func press(t testing.TB, m Model, k string) (Model, tea.Cmd) {
	t.Helper()
	msg, ok := keyMsgs[k]
	if !ok {
		msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	}
	m, cmd := send(t, m, msg)
	return work(t, m, cmd)
}

// work carries out the player's job, if it has one, to its end.
func work(t testing.TB, m Model, cmd tea.Cmd) (Model, tea.Cmd) {
	t.Helper()
	for i := 0; m.player != nil && m.player.job != nil; i++ {
		if i > 10000 {
			t.Fatal("the job never ended")
		}
		m, cmd = send(t, m, workMsg{tag: m.player.job.tag})
	}
	return m, cmd
}

// pressN sends key k n times.
func pressN(t testing.TB, m Model, k string, n int) Model {
	t.Helper()
	for range n {
		m, _ = press(t, m, k)
	}
	return m
}

// settle carries out cmd, which must only run simulations to the end
// (never a tick, which would wait), and feeds the results back.
func settle(t testing.TB, m Model, cmd tea.Cmd) Model {
	t.Helper()
	if cmd == nil {
		return m
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			m = settle(t, m, c)
		}
	case fullMsg:
		m, _ = send(t, m, msg)
	case workMsg:
		m, cmd = send(t, m, msg)
		m, cmd = work(t, m, cmd)
		m = settle(t, m, cmd)
	default:
		t.Fatalf("settle: command gave %T, want a run to the end", msg)
	}
	return m
}

// plain is the view without colours or styles.
func plain(m Model) string { return ansi.Strip(m.View()) }

// checkFits fails unless view has exactly height lines, none wider than width.
func checkFits(t *testing.T, view string, width, height int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != height {
		t.Errorf("view has %d lines, want %d", len(lines), height)
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > width {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, w, width, l)
		}
	}
}

func allScenarios(t testing.TB) []*scenarios.Scenario {
	t.Helper()
	all := scenarios.All()
	if len(all) < 2 {
		t.Fatalf("%d scenarios, want several", len(all))
	}
	return all
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
