package tui

import (
	"fmt"
	"slices"
	"strings"

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

// Init asks for the run to the end of the scenario the player opens on
// (the whole-run view and the summary need it), made in the background;
// the player waits for a key.
func (m Model) Init() tea.Cmd {
	if m.player == nil {
		return nil
	}
	return m.player.requestFull(m.player.cfg)
}

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
	case workMsg:
		if m.player != nil {
			cmd = m.player.onWork(msg)
		}
	case fullMsg:
		if m.player != nil {
			m.player.onFull(msg)
		}
	case tea.KeyMsg:
		cmd = m.keyPress(msg)
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
	m.picker.SetSize(m.pickerSize())
}

// pickerSize is the list's share of the picker screen: beside the
// preview on a wide terminal, above it on a narrow one (every scenario
// shown, the preview below), the footer's rows left over.
func (m *Model) pickerSize() (width, height int) {
	rows := m.height - lipgloss.Height(m.pickerFooter())
	if m.width >= previewWidth {
		return m.width * 3 / 5, rows
	}
	return m.width, max(3, min(rows-previewMin, len(m.picker.Items())+3))
}

// pickerFooter is the picker's keys, short or full.
func (m *Model) pickerFooter() string {
	return m.help.View(pickerHelp{list: &m.picker.KeyMap, k: &m.keys, filtering: m.picker.FilterState() == list.Filtering})
}

// previewMin is the fewest rows the preview keeps under the list.
const previewMin = 6

// pickerView: the scenario list, the preview of the one under the
// cursor, and the footer.
func (m Model) pickerView() string {
	footer := m.pickerFooter()
	var sc *scenarios.Scenario
	var broken *Program
	switch it := m.picker.SelectedItem().(type) {
	case scenarioItem:
		sc = it.sc
	case programItem:
		sc = it.p.Scenario
		if it.p.Err != nil {
			broken = &it.p
		}
	}
	preview := func(width, rows int) []string {
		if broken != nil {
			return programPreview(*broken, m.styles, width, rows)
		}
		return previewView(sc, m.styles, width, rows)
	}
	w, h := m.pickerSize()
	rows := m.height - lipgloss.Height(footer)
	items := strings.Split(m.picker.View(), "\n")
	if m.width >= previewWidth {
		preview := preview(m.width-w-3, rows-2)
		lines := joinColumns(items, append([]string{"", ""}, preview...), w, m.styles.Muted.Render(" │ "))
		return pad(lines, rows) + "\n" + footer
	}
	lines := items[:min(len(items), h)]
	lines = append(lines, m.styles.Muted.Render(strings.Repeat("─", m.width)))
	lines = append(lines, preview(m.width, rows-len(lines))...)
	return pad(lines, rows) + "\n" + footer
}

// keyPress carries out a key message. Runes that arrive together in one
// message (a key held down, or keys typed while the screen was busy) are
// each a key press, unless the picker's filter is being typed or they
// were pasted.
func (m *Model) keyPress(msg tea.KeyMsg) tea.Cmd {
	filtering := m.screen == screenPicker && m.picker.FilterState() == list.Filtering
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste || filtering {
		return m.key(msg)
	}
	var cmds []tea.Cmd
	for _, r := range msg.Runes {
		cmds = append(cmds, m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
		m.refresh()
	}
	return tea.Batch(cmds...)
}

// key carries out one key press on the screen shown.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	if m.screen == screenPicker {
		return m.pickerKey(msg)
	}
	return m.playerKey(msg)
}

// pickerKey moves in the list, filters, opens a scenario, goes back to
// the paused player or quits. While the filter is being typed every key
// belongs to it.
func (m *Model) pickerKey(msg tea.KeyMsg) tea.Cmd {
	if m.picker.FilterState() != list.Filtering {
		switch {
		case key.Matches(msg, m.keys.Quit):
			return tea.Quit
		case key.Matches(msg, m.keys.Open):
			return m.open()
		case key.Matches(msg, m.keys.Help):
			m.help.ShowAll = !m.help.ShowAll
			m.picker.SetSize(m.pickerSize())
			return nil
		case key.Matches(msg, m.keys.Resume) && m.picker.FilterState() == list.Unfiltered:
			m.screen = screenPlayer
			return nil
		}
	}
	var cmd tea.Cmd
	m.picker, cmd = m.picker.Update(msg)
	return cmd
}

// open starts the player on the picked scenario with its defaults.
func (m *Model) open() tea.Cmd {
	var sc *scenarios.Scenario
	switch it := m.picker.SelectedItem().(type) {
	case scenarioItem:
		sc = it.sc
	case programItem:
		if it.p.Err != nil {
			return m.picker.NewStatusMessage(it.p.Err.Error())
		}
		sc = it.p.Scenario
	default:
		return nil
	}
	p, err := newPlayer(sc.Defaults(), m.base)
	if err != nil {
		return m.picker.NewStatusMessage(err.Error())
	}
	if m.player != nil {
		// Ticks and jobs the old player scheduled may still arrive: fresh
		// tags keep them from driving the new one.
		p.tag = m.player.tag + 1
		p.jobs = m.player.jobs + 1
		m.player.forgetFulls()
	}
	m.player, m.screen = p, screenPlayer
	return p.requestFull(p.cfg)
}

// playerKey carries out one of the player's keys; disabled bindings never
// match (while a job is in progress, those that move the run are).
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
	case key.Matches(msg, k.ZoomIn):
		p.changeZoom(-1)
	case key.Matches(msg, k.ZoomOut):
		p.changeZoom(+1)
	case key.Matches(msg, k.Whole):
		return p.toggleWhole()
	case key.Matches(msg, k.NextLesson):
		return p.nextLesson()
	case key.Matches(msg, k.PrevLesson):
		p.prevLesson()
	case key.Matches(msg, k.Lessons):
		p.toggleLessons()
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
	// The list's count of items says something only while filtering; the
	// preview under the list needs its rows otherwise.
	if show := m.picker.FilterState() != list.Unfiltered; show != m.picker.ShowStatusBar() {
		m.picker.SetShowStatusBar(show)
	}
	k, p := &m.keys, m.player
	inPlayer := m.screen == screenPlayer && p != nil
	k.Open.SetEnabled(!inPlayer)
	for _, b := range []*key.Binding{&k.Play, &k.Step, &k.Back, &k.ToggleGIL, &k.NextModel, &k.IntervalDown,
		&k.IntervalUp, &k.Faster, &k.Slower, &k.Restart, &k.Compare, &k.Picker, &k.ZoomIn, &k.ZoomOut, &k.Whole,
		&k.NextLesson, &k.PrevLesson, &k.Lessons} {
		b.SetEnabled(inPlayer)
	}
	k.Resume.SetEnabled(!inPlayer && p != nil)
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
	k.ZoomIn.SetEnabled(p.zoom > 0)
	k.ZoomOut.SetEnabled(p.zoom < len(zooms)-1)
	k.Whole.SetHelp("w", either(p.whole, "recent past", "whole run"))
	k.Restart.SetEnabled(p.now() > 0)
	k.NextLesson.SetEnabled(p.canNextLesson())
	k.PrevLesson.SetEnabled(p.canPrevLesson())
	k.Lessons.SetEnabled(!p.comparing())
	k.Lessons.SetHelp("L", either(p.lessons, "lessons off", "lessons on"))
	if p.busy() {
		// Until the job is done, keys that move the run would move the
		// old one: only another re-simulation (which replaces the job),
		// the view's keys and quitting stay.
		for _, b := range []*key.Binding{&k.Play, &k.Step, &k.Back, &k.Restart, &k.Compare, &k.NextLesson, &k.PrevLesson} {
			b.SetEnabled(false)
		}
	}
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
		return m.pickerView()
	case m.player.comparing():
		return m.compareView()
	}
	return m.playerView()
}

// playerView joins the player's panels top to bottom, the footer last.
func (m Model) playerView() string {
	f, st, w := &m.frame, m.styles, m.width
	footer := m.footer()
	lay := layoutPlayer(f, w, m.height, lipgloss.Height(footer))
	lines := []string{headerView(f, st, w)}
	lines = append(lines, lanesView(&f.side, st, w, lay.lanes, lay.laneHeight, f.win, false)...)
	lines = append(lines, legendView(&f.side, st, w, f.win))
	lines = append(lines, gilView(f, st, w)...)
	if lay.cores {
		lines = append(lines, coresView(&f.side, st, w))
	}
	lines = append(lines, locksView(&f.side, st, w)...)
	lines = append(lines, varsView(&f.side, st, w)...)
	lines = append(lines, queuesView(&f.side, st, w, f.win)...)
	lines = append(lines, resultsView(&f.side, st, w)...)
	lines = append(lines, sourceView(f, st, w, lay.source)...)
	lines = append(lines, consoleView(&f.side, st, w, lay.console)...)
	lines = append(lines, eventsView(&f.side, st, w, lay.events)...)
	lines = append(lines, narrationView(f, st, w, narrationHeight(f, w))...)
	return pad(lines, m.height-lipgloss.Height(footer)) + "\n" + footer
}

// footer is the player's keys; with the full help, the scenario's "what
// to watch for" above them.
func (m Model) footer() string {
	keys := m.shortHelp()
	if m.help.ShowAll {
		keys = m.help.View(playerHelp{&m.keys})
	}
	if !m.help.ShowAll {
		return keys
	}
	sc := m.player.vals.Scenario()
	lines := []string{m.styles.Heading.Render("WHAT TO WATCH FOR in " + sc.ID)}
	for _, l := range wrap(sc.Notice, m.width-2, noticeRows) {
		lines = append(lines, "  "+m.styles.Text.Render(l))
	}
	return strings.Join(lines, "\n") + "\n" + keys
}

// shortHelp is the footer's one line of keys. When they do not all fit,
// the least needed go first (the compare view, the lessons, the model),
// so that space, the steps, help and quit always show.
func (m Model) shortHelp() string {
	k := &m.keys
	keys := playerHelp{k}.ShortHelp()
	measure := m.help
	measure.Width = 0
	for _, drop := range []*key.Binding{&k.Compare, &k.NextLesson, &k.ToggleGIL, &k.Back} {
		if lipgloss.Width(measure.ShortHelpView(keys)) <= m.width {
			break
		}
		keys = slices.DeleteFunc(keys, func(b key.Binding) bool { return b.Help() == drop.Help() })
	}
	return m.help.ShortHelpView(keys)
}

// noticeRows is the most rows the full help gives the scenario's notice.
const noticeRows = 5

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
