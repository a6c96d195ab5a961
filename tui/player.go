package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// frameInterval is the wall time between two animation ticks while playing.
const frameInterval = 50 * time.Millisecond

// speeds are the playback speeds: virtual time shown per second of play.
var speeds = []time.Duration{
	100 * time.Microsecond, 200 * time.Microsecond, 500 * time.Microsecond,
	time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond,
	10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond,
	100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond,
	time.Second, 2 * time.Second,
}

// defaultSpeed shows 10 ms of virtual time per second, so that a 5 ms
// switch interval lasts half a second on screen.
const defaultSpeed = 6

// intervals are the switch intervals [ and ] step through, those of the
// convoy table in gil-model.md §6 and the steps between them.
var intervals = []time.Duration{
	100 * time.Microsecond, 200 * time.Microsecond, 500 * time.Microsecond,
	time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond,
	10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond,
	100 * time.Millisecond,
}

// columnsPerSecond is how many timeline columns scroll by in a second of
// play at any speed: a column spans speed/columnsPerSecond of virtual time.
const columnsPerSecond = 10

// finalEventLimit guards the runs to the end made for summaries.
const finalEventLimit = 50_000_000

// tickMsg asks the player to move on by one frame. Its tag must match the
// player's: pausing, resuming and changing speed bump the tag, so ticks
// scheduled before are dropped and never double the speed.
type tickMsg struct{ tag int }

// finalMsg carries the end of a run made to the end in the background,
// for the summary and the compare view.
type finalMsg struct {
	// of names the scenario and its values: a player ignores the ends of
	// another scenario's runs, still arriving after the picker replaced it.
	of      string
	cfg     sim.Config
	elapsed sim.Time
	outcome sim.Outcome
	err     error
}

// final is what a run to the end gave.
type final struct {
	elapsed sim.Time
	outcome sim.Outcome
	err     error
}

// player plays one scenario: the recorded run, the playback state and, in
// the compare view, a second run under the other GIL setting.
type player struct {
	vals     scenarios.Values
	cfg      sim.Config
	rec      *recording
	gilModel sim.Model // the model g returns to when the GIL comes back on

	playing bool
	tag     int
	speed   int

	// cmp is the other GIL setting's run in the compare view, else nil;
	// clock is the compare view's virtual time, which goes on after one
	// side has finished.
	cmp   *recording
	clock sim.Time

	finals map[sim.Config]final
	// status reports a re-simulation that could not be made.
	status string
}

// newPlayer starts a player on v under cfg, at time zero and paused.
func newPlayer(v scenarios.Values, cfg sim.Config) (*player, error) {
	rec, err := newRecording(v, cfg, true)
	if err != nil {
		return nil, err
	}
	p := &player{vals: v, cfg: rec.cfg, rec: rec, speed: defaultSpeed, gilModel: sim.ModelPy3,
		finals: map[sim.Config]final{}}
	if cfg.Model.HasGIL() {
		p.gilModel = cfg.Model
	}
	return p, nil
}

// comparing reports whether the compare view is on.
func (p *player) comparing() bool { return p.cmp != nil }

// now is the virtual time on screen.
func (p *player) now() sim.Time {
	if p.comparing() {
		return p.clock
	}
	return p.rec.sim.Now()
}

// finished reports whether there is nothing left to play.
func (p *player) finished() bool {
	return p.rec.sim.Done() && (!p.comparing() || p.cmp.sim.Done())
}

// perFrame is the virtual time one tick moves on.
func (p *player) perFrame() sim.Time {
	return sim.Time(speeds[p.speed] * frameInterval / time.Second)
}

// scale is the virtual time one timeline column spans.
func (p *player) scale() sim.Time { return sim.Time(speeds[p.speed] / columnsPerSecond) }

func (p *player) tick() tea.Cmd {
	tag := p.tag
	return tea.Tick(frameInterval, func(time.Time) tea.Msg { return tickMsg{tag: tag} })
}

// onTick moves playback on by one frame, and pauses at the end.
func (p *player) onTick(msg tickMsg) tea.Cmd {
	if msg.tag != p.tag || !p.playing {
		return nil
	}
	p.advance(p.now()+p.perFrame(), maxEventsPerAdvance)
	if p.finished() {
		p.pause()
		return p.requestFinals()
	}
	return p.tick()
}

// advance moves every run shown to virtual time t, doing at most budget
// events in each (0: no limit).
func (p *player) advance(t sim.Time, budget int) {
	p.rec.advanceTo(t, budget)
	if p.comparing() {
		p.cmp.advanceTo(t, budget)
		p.clock = max(p.rec.sim.Now(), p.cmp.sim.Now())
	}
}

func (p *player) pause() {
	if p.playing {
		p.playing = false
		p.tag++
	}
}

// togglePlay pauses, resumes, or replays a finished run from the start.
func (p *player) togglePlay() tea.Cmd {
	if p.playing {
		p.pause()
		return nil
	}
	if p.finished() {
		p.restart()
	}
	p.playing = true
	p.tag++
	return p.tick()
}

// stepForward processes one event and pauses. In the compare view it
// moves both runs to the next instant at which either has an event.
func (p *player) stepForward() tea.Cmd {
	p.pause()
	if p.comparing() {
		p.advance(p.nextInstant(), 0)
	} else {
		p.rec.step()
	}
	if p.finished() {
		return p.requestFinals()
	}
	return nil
}

// nextInstant is the time of the next event of either run of the compare
// view; the clock itself when what is left is only a run's end.
func (p *player) nextInstant() sim.Time {
	next, found := p.clock, false
	for _, r := range []*recording{p.rec, p.cmp} {
		if t, ok := r.sim.NextEventTime(); ok && (!found || t < next) {
			next, found = t, true
		}
	}
	return next
}

// stepBack returns to the event before the one on screen and pauses. In
// the compare view both runs return to the last instant before the clock
// at which either had an event.
func (p *player) stepBack() {
	p.pause()
	if p.comparing() {
		var t sim.Time
		for _, r := range []*recording{p.rec, p.cmp} {
			if at, ok := r.lastBefore(p.clock); ok && at > t {
				t = at
			}
		}
		p.rec.seekTime(t)
		p.cmp.seekTime(t)
		p.clock = t
		return
	}
	if e := p.rec.sim.Events(); e > 0 {
		p.rec.seek(e - 1)
	}
}

// canStepBack reports whether there is an event, or in the compare view
// an earlier instant, to go back to.
func (p *player) canStepBack() bool {
	if p.comparing() {
		return p.clock > 0
	}
	return p.rec.sim.Events() > 0
}

// restart returns to time zero, keeping the play state.
func (p *player) restart() {
	p.rec.seek(0)
	if p.comparing() {
		p.startCompare()
	}
}

// changeSpeed moves along the speed ladder; a running tick chain is
// replaced so the old one cannot keep firing beside the new one.
func (p *player) changeSpeed(d int) tea.Cmd {
	p.speed = min(max(p.speed+d, 0), len(speeds)-1)
	if !p.playing {
		return nil
	}
	p.tag++
	return p.tick()
}

// toggledModel is the model g switches to.
func (p *player) toggledModel() sim.Model {
	if p.cfg.Model.HasGIL() {
		return sim.ModelFreeThreaded
	}
	return p.gilModel
}

// nextModel is the model m switches to.
func (p *player) nextModel() sim.Model {
	all := sim.Models()
	i := slices.Index(all, p.cfg.Model)
	return all[(i+1)%len(all)]
}

// nextInterval is the switch interval [ (d < 0) or ] (d > 0) moves to, and
// false at the end of the ladder.
func (p *player) nextInterval(d int) (time.Duration, bool) {
	cur := p.cfg.SwitchInterval
	if d < 0 {
		for i := len(intervals) - 1; i >= 0; i-- {
			if intervals[i] < cur {
				return intervals[i], true
			}
		}
		return 0, false
	}
	for _, iv := range intervals {
		if iv > cur {
			return iv, true
		}
	}
	return 0, false
}

// setModel re-simulates under model m and lands at the same virtual time.
func (p *player) setModel(m sim.Model) tea.Cmd {
	cfg := p.cfg
	cfg.Model = m
	return p.resimulate(cfg)
}

// setInterval re-simulates with the next switch interval down or up.
func (p *player) setInterval(d int) tea.Cmd {
	iv, ok := p.nextInterval(d)
	if !ok {
		return nil
	}
	cfg := p.cfg
	cfg.SwitchInterval = iv
	return p.resimulate(cfg)
}

// resimulate replaces the run with one under cfg, from the start to the
// virtual time on screen: the same moment in the other world.
func (p *player) resimulate(cfg sim.Config) tea.Cmd {
	t := p.now()
	rec, err := newRecording(p.vals, cfg, true)
	if err != nil {
		p.status = err.Error()
		return nil
	}
	p.status = ""
	rec.advanceTo(t, 0)
	p.rec, p.cfg = rec, rec.cfg
	if cfg.Model.HasGIL() {
		p.gilModel = cfg.Model
	}
	if p.comparing() {
		p.startCompare()
		p.advance(t, 0)
	}
	if p.finished() {
		p.pause()
		return p.requestFinals()
	}
	return nil
}

// otherConfig is the run's configuration with the GIL setting flipped.
func (p *player) otherConfig() sim.Config {
	cfg := p.cfg
	cfg.Model = p.toggledModel()
	return cfg
}

// toggleCompare shows or hides the compare view.
func (p *player) toggleCompare() tea.Cmd {
	if p.comparing() {
		p.cmp = nil
		return nil
	}
	t := p.now()
	if err := p.startCompare(); err != nil {
		return nil
	}
	p.advance(t, 0)
	return p.requestFinals()
}

// startCompare starts the other setting's run at time zero.
func (p *player) startCompare() error {
	cmp, err := newRecording(p.vals, p.otherConfig(), true)
	if err != nil {
		p.status = err.Error()
		p.cmp = nil
		return err
	}
	p.cmp, p.clock = cmp, p.rec.sim.Now()
	return nil
}

// finalKey is the key a run to the end is cached under.
func finalKey(cfg sim.Config) sim.Config {
	cfg.Trace = false
	cfg.MaxEvents = finalEventLimit
	return cfg
}

// requestFinals asks for the ends of this run's setting and the other one,
// computed in the background, unless they are known.
func (p *player) requestFinals() tea.Cmd {
	var cmds []tea.Cmd
	for _, cfg := range []sim.Config{p.cfg, p.otherConfig()} {
		k := finalKey(cfg)
		if _, ok := p.finals[k]; ok {
			continue
		}
		p.finals[k] = final{outcome: sim.OutcomeRunning}
		cmds = append(cmds, runToEnd(p.vals, k, p.identity()))
	}
	return tea.Batch(cmds...)
}

// identity names the scenario and its values.
func (p *player) identity() string {
	return p.vals.Scenario().ID + " " + strings.Join(p.vals.Settings(), " ")
}

// runToEnd simulates v under cfg to the end, off the update loop.
func runToEnd(v scenarios.Values, cfg sim.Config, of string) tea.Cmd {
	return func() tea.Msg {
		s, err := v.New(cfg)
		if err != nil {
			return finalMsg{of: of, cfg: cfg, err: fmt.Errorf("simulating %s: %w", v.Scenario().ID, err)}
		}
		s.Run()
		return finalMsg{of: of, cfg: cfg, elapsed: s.Now(), outcome: s.Outcome()}
	}
}

// onFinal records a run to the end.
func (p *player) onFinal(msg finalMsg) {
	if msg.of != p.identity() {
		return
	}
	p.finals[msg.cfg] = final{elapsed: msg.elapsed, outcome: msg.outcome, err: msg.err}
}

// finalOf returns the end of a run under cfg, if known.
func (p *player) finalOf(cfg sim.Config) (final, bool) {
	f, ok := p.finals[finalKey(cfg)]
	if !ok || f.outcome == sim.OutcomeRunning && f.err == nil {
		return final{}, false
	}
	return f, true
}
