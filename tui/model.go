package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// screen is what the interface shows.
type screen uint8

const (
	// screenPicker: the list of scenarios.
	screenPicker screen = iota
	// screenPlayer: one scenario playing (alone or compared).
	screenPlayer
)

var screenNames = [...]string{screenPicker: "picker", screenPlayer: "player"}

func (s screen) String() string { return screenNames[s] }

// Model is the root bubbletea model of gilsim's interface. It routes
// messages to the picker or the player; build it with New.
type Model struct {
	keys   KeyMap
	styles *Styles
	help   help.Model
	width  int
	height int
	screen screen
	picker list.Model
	player *player
	frame  frame
	// base is the configuration a scenario opened from the picker runs with.
	base sim.Config
}

// New returns the interface opened on the scenario picker. Scenarios
// opened from it run under base.
func New(all []*scenarios.Scenario, base sim.Config, st Styles) Model {
	m := Model{keys: DefaultKeyMap(), styles: &st, help: help.New(), base: base}
	m.help.Styles = st.Help
	m.picker = newPicker(all, m.styles)
	m.refresh()
	return m
}

// Play returns m opened on the player for v under cfg, paused at time zero.
func (m Model) Play(v scenarios.Values, cfg sim.Config) (Model, error) {
	p, err := newPlayer(v, cfg)
	if err != nil {
		return m, err
	}
	m.player, m.screen = p, screenPlayer
	m.refresh()
	return m, nil
}

// Init starts nothing: the player waits for a key.
func (m Model) Init() tea.Cmd { return nil }

// Update routes a message to its handler.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg)
	case tickMsg:
		if m.player != nil {
			cmd = m.player.onTick(msg)
		}
	case finalMsg:
		if m.player != nil {
			m.player.onFinal(msg)
		}
	case tea.KeyMsg:
		if m.screen == screenPicker {
			cmd = m.pickerKey(msg)
		} else {
			cmd = m.playerKey(msg)
		}
	default:
		if m.screen == screenPicker {
			m.picker, cmd = m.picker.Update(msg)
		}
	}
	m.refresh()
	return m, cmd
}

func (m *Model) resize(msg tea.WindowSizeMsg) {
	m.width, m.height = msg.Width, msg.Height
	m.help.Width = msg.Width
	m.picker.SetSize(msg.Width, msg.Height-1)
}

// pickerKey moves in the list, filters, opens a scenario or quits. While
// the filter is being typed every key belongs to it.
func (m *Model) pickerKey(msg tea.KeyMsg) tea.Cmd {
	if m.picker.FilterState() != list.Filtering {
		switch {
		case key.Matches(msg, m.keys.Quit):
			return tea.Quit
		case key.Matches(msg, m.keys.Open):
			return m.open()
		}
	}
	var cmd tea.Cmd
	m.picker, cmd = m.picker.Update(msg)
	return cmd
}

// open starts the player on the picked scenario with its defaults.
func (m *Model) open() tea.Cmd {
	it, ok := m.picker.SelectedItem().(scenarioItem)
	if !ok {
		return nil
	}
	p, err := newPlayer(it.sc.Defaults(), m.base)
	if err != nil {
		return m.picker.NewStatusMessage(err.Error())
	}
	if m.player != nil {
		// Ticks the old player scheduled may still arrive: a fresh tag
		// keeps them from driving the new one.
		p.tag = m.player.tag + 1
	}
	m.player, m.screen = p, screenPlayer
	return nil
}

// playerKey carries out one of the player's keys; disabled bindings never
// match.
func (m *Model) playerKey(msg tea.KeyMsg) tea.Cmd {
	k, p := &m.keys, m.player
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(msg, k.Picker):
		p.pause()
		m.screen = screenPicker
	case key.Matches(msg, k.Play):
		return p.togglePlay()
	case key.Matches(msg, k.Step):
		return p.stepForward()
	case key.Matches(msg, k.Back):
		p.stepBack()
	case key.Matches(msg, k.ToggleGIL):
		return p.setModel(p.toggledModel())
	case key.Matches(msg, k.NextModel):
		return p.setModel(p.nextModel())
	case key.Matches(msg, k.IntervalDown):
		return p.setInterval(-1)
	case key.Matches(msg, k.IntervalUp):
		return p.setInterval(+1)
	case key.Matches(msg, k.Faster):
		return p.changeSpeed(+1)
	case key.Matches(msg, k.Slower):
		return p.changeSpeed(-1)
	case key.Matches(msg, k.Restart):
		p.restart()
	case key.Matches(msg, k.Compare):
		return p.toggleCompare()
	}
	return nil
}

// refresh brings the key map's enabled bindings and help texts, and the
// player's frame, up to date with the model.
func (m *Model) refresh() {
	k, p := &m.keys, m.player
	inPlayer := m.screen == screenPlayer && p != nil
	k.Open.SetEnabled(!inPlayer)
	for _, b := range []*key.Binding{&k.Play, &k.Step, &k.Back, &k.ToggleGIL, &k.NextModel, &k.IntervalDown,
		&k.IntervalUp, &k.Faster, &k.Slower, &k.Restart, &k.Compare, &k.Picker} {
		b.SetEnabled(inPlayer)
	}
	if !inPlayer {
		return
	}
	switch {
	case p.playing:
		k.Play.SetHelp("space", "pause")
	case p.finished():
		k.Play.SetHelp("space", "replay")
	default:
		k.Play.SetHelp("space", "play")
	}
	k.Step.SetEnabled(!p.finished())
	k.Back.SetEnabled(p.canStepBack())
	k.ToggleGIL.SetEnabled(!p.comparing())
	k.ToggleGIL.SetHelp("g", gilKeyHelp(p.toggledModel()))
	k.NextModel.SetEnabled(!p.comparing())
	k.NextModel.SetHelp("m", "model "+p.nextModel().String())
	py3 := p.cfg.Model == sim.ModelPy3 || p.comparing() && p.otherConfig().Model == sim.ModelPy3
	for _, iv := range []struct {
		b *key.Binding
		d int
	}{{&k.IntervalDown, -1}, {&k.IntervalUp, +1}} {
		next, ok := p.nextInterval(iv.d)
		iv.b.SetEnabled(py3 && ok)
		iv.b.SetHelp(iv.b.Help().Key, "interval "+shortDuration(next))
	}
	k.Faster.SetEnabled(p.speed < len(speeds)-1)
	k.Slower.SetEnabled(p.speed > 0)
	k.Restart.SetEnabled(p.now() > 0)
	k.Compare.SetHelp("c", either(p.comparing(), "single view", "compare"))
	k.Help.SetHelp("?", either(m.help.ShowAll, "fewer keys", "more keys"))
	m.frame = p.buildFrame()
}

// either is a when cond holds, else b.
func either(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

// gilKeyHelp says what g does: turn the GIL off, or back on under m.
func gilKeyHelp(m sim.Model) string {
	if m.HasGIL() {
		return "GIL on (" + m.String() + ")"
	}
	return "GIL off"
}

// View draws the screen.
func (m Model) View() string {
	if m.width < minWidth || m.height < minHeight {
		return m.styles.Error.Render(fmt.Sprintf("terminal too small (need %dx%d)", minWidth, minHeight))
	}
	switch {
	case m.screen == screenPicker:
		return m.picker.View() + "\n" + m.help.View(pickerHelp{list: &m.picker.KeyMap, k: &m.keys})
	case m.player.comparing():
		return m.compareView()
	}
	return m.playerView()
}

// playerView joins the player's panels top to bottom, the footer last.
func (m Model) playerView() string {
	f, st, w := &m.frame, m.styles, m.width
	footer := m.help.View(playerHelp{&m.keys})
	lay := layoutPlayer(f, m.height, lipgloss.Height(footer))
	lines := []string{headerView(f, st, w)}
	lines = append(lines, lanesView(&f.side, st, w, lay.lanes, f.scale, false)...)
	lines = append(lines, legendView(&f.side, st, w, f.scale))
	lines = append(lines, gilView(f, st, w)...)
	lines = append(lines, coresView(&f.side, st, w))
	lines = append(lines, varsView(&f.side, st, w)...)
	lines = append(lines, queuesView(&f.side, st, w, f.scale)...)
	lines = append(lines, sourceView(f, st, w, lay.source)...)
	lines = append(lines, consoleView(&f.side, st, w, lay.console)...)
	lines = append(lines, narrationView(f, st, w, narrationRows)...)
	return pad(lines, m.height-lipgloss.Height(footer)) + "\n" + footer
}

// joinColumns sets two lists of lines side by side with a rule between.
func joinColumns(left, right []string, width int, rule string) []string {
	n := max(len(left), len(right))
	lines := make([]string, n)
	for i := range lines {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		lines[i] = fit(l, width) + rule + r
	}
	return lines
}
