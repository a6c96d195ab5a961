package tui

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// frameInterval is the wall time between two animation ticks while playing.
const frameInterval = 50 * time.Millisecond

// speeds are the playback speeds, virtual time shown per second of play;
// zooms the virtual time one timeline column spans. Speed and zoom are
// separate: slowing down does not shrink the history on screen.
var (
	speeds = scenarios.Speeds
	zooms  = scenarios.Zooms
)

// The speed and zoom of a scenario that names none: a 5 ms switch
// interval lasts half a second on screen and spans five columns.
const (
	fallbackSpeed = 10 * time.Millisecond
	fallbackZoom  = time.Millisecond
)

// rung is the index of the ladder's value nearest d from below.
func rung(ladder []time.Duration, d time.Duration) int {
	i := 0
	for j, v := range ladder {
		if v <= d {
			i = j
		}
	}
	return i
}

// intervals are the switch intervals [ and ] step through, those of the
// convoy table in gil-model.md §6 and the steps between them.
var intervals = []time.Duration{
	100 * time.Microsecond, 200 * time.Microsecond, 500 * time.Microsecond,
	time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond,
	10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond,
	100 * time.Millisecond,
}

// fullEventLimit guards the runs to the end made in the background.
const fullEventLimit = 50_000_000

// jobChunk is how many events a job (a re-simulation, a jump) processes
// per message: about a tenth of a second of work, so that the keyboard
// stays live and a job that needs more shows that it is busy.
const jobChunk = 250_000

// tickMsg asks the player to move on by one frame. Its tag must match the
// player's: pausing, resuming and changing speed bump the tag, so ticks
// scheduled before are dropped and never double the speed.
type tickMsg struct{ tag int }

// workMsg asks the player to go on with its job; tag names the job.
type workMsg struct{ tag int }

// fullMsg carries a run to the end made in the background, for the
// whole-run view, the summary and the compare view.
type fullMsg struct {
	// of names the scenario and its values: a player ignores the ends of
	// another scenario's runs, still arriving after the picker replaced it.
	of  string
	cfg sim.Config
	rec *recording
	err error
}

// fullRun is what a run to the end gave: its recording (no checkpoints),
// or the error that kept it from being made; neither while it runs. stop
// asks the run in progress to give up, once the player no longer wants it.
type fullRun struct {
	rec  *recording
	err  error
	stop *atomic.Bool
}

// position is a place in a run: the moment after the first k events at
// instant at (all events before at done), or after event number event,
// or (lesson > 0) just after the event that shows the run's lesson-th
// lesson point, or its end if it has fewer.
type position struct {
	at      sim.Time
	k       uint64
	byEvent bool
	event   uint64
	lesson  int
}

// job is work too long for one message: a re-simulation to a position
// under another setting, or a jump far ahead. It goes on in chunks of
// jobChunk events, one per workMsg, so that the screen can say it is busy.
type job struct {
	tag  int
	what string // "re-simulating GIL off", for the busy line
	// cfg is the setting a re-simulation installs, or nil.
	cfg *sim.Config
	// recs are the runs being brought to to; done installs them.
	recs   []*recording
	to     position
	done   func(p *player, recs []*recording)
	chunks int
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
	zoom    int
	// whole shows the whole run on one screen instead of the recent past.
	whole bool
	// behind says the last tick could not do all the events its time
	// held: playback is slower than the speed shown.
	behind bool
	// lessons is lesson mode: playing pauses at each of the scenario's
	// lesson points, with its callout.
	lessons bool

	// want is the moment the teacher asked for: where playing, stepping
	// or seeking left the run. A re-simulation under another setting goes
	// there (or to the end, if that run ends sooner) and leaves it alone,
	// so toggling back returns to it.
	want position
	// back is where the last step forward started from, when that was
	// between two events (a pause mid-play); stepped is where it went.
	back, stepped *position

	// cmp is the other GIL setting's run in the compare view, else nil;
	// clock is the compare view's virtual time, which goes on after one
	// side has finished.
	cmp   *recording
	clock sim.Time

	// fulls are the runs to the end of the settings on screen (this run's
	// and the other GIL setting's), by fullKey; those of settings left
	// behind are forgotten, so that there are never more than two.
	fulls map[sim.Config]*fullRun
	// kept are runs under other settings the player has shown, the most
	// recent last, kept to go back to.
	kept []*recording
	// job is the work in progress, or nil; jobs counts them, for tags.
	job  *job
	jobs int
	// status reports a re-simulation that could not be made, or one that
	// landed somewhere else than asked.
	status string
}

// newPlayer starts a player on v under cfg, at time zero and paused, at
// the scenario's own speed and zoom.
func newPlayer(v scenarios.Values, cfg sim.Config) (*player, error) {
	rec, err := newRecording(v, cfg, true)
	if err != nil {
		return nil, err
	}
	speed, zoom := scenarioPace(v)
	p := &player{vals: v, cfg: rec.cfg, rec: rec, speed: rung(speeds, speed), zoom: rung(zooms, zoom),
		gilModel: sim.ModelPy3, fulls: map[sim.Config]*fullRun{}, lessons: true}
	if cfg.Model.HasGIL() {
		p.gilModel = cfg.Model
	}
	return p, nil
}

// scenarioPace is the speed and zoom a scenario plays at by default.
func scenarioPace(v scenarios.Values) (speed, zoom time.Duration) {
	pace := v.Scenario().Pace
	speed, zoom = pace.Speed, pace.Zoom
	if speed <= 0 {
		speed = fallbackSpeed
	}
	if zoom <= 0 {
		zoom = fallbackZoom
	}
	return speed, zoom
}

// comparing reports whether the compare view is on.
func (p *player) comparing() bool { return p.cmp != nil }

// busy reports whether a job is in progress.
func (p *player) busy() bool { return p.job != nil }

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
func (p *player) scale() sim.Time { return sim.Time(zooms[p.zoom]) }

func (p *player) tick() tea.Cmd {
	tag := p.tag
	return tea.Tick(frameInterval, func(time.Time) tea.Msg { return tickMsg{tag: tag} })
}

// onTick moves playback on by one frame, and pauses at the end, or in
// lesson mode at a lesson point.
func (p *player) onTick(msg tickMsg) tea.Cmd {
	if msg.tag != p.tag || !p.playing || p.busy() {
		return nil
	}
	t := p.now() + p.perFrame()
	if p.lessons && !p.comparing() {
		found := len(p.rec.points)
		reached := p.rec.advance(t, maxEventsPerAdvance, func() bool { return len(p.rec.points) > found })
		p.settle()
		if len(p.rec.points) > found {
			p.pause()
			return nil
		}
		p.behind = !reached
	} else {
		p.behind = !p.advance(t, maxEventsPerAdvance)
		p.settle()
	}
	if p.finished() {
		p.pause()
		return p.requestFulls()
	}
	return p.tick()
}

// toggleLessons turns lesson mode off or on.
func (p *player) toggleLessons() { p.lessons = !p.lessons }

// lessonPoints are the lesson points of the run on screen as far as they
// are known: all of them once its run to the end is, else those found so
// far; known says which.
func (p *player) lessonPoints() (points []scenarios.Point, known bool) {
	if f, ok := p.fullOf(p.cfg); ok && f.rec != nil {
		return f.rec.points, true
	}
	return p.rec.points, false
}

// canNextLesson reports whether n has somewhere to go: a lesson point
// ahead, or, while they are not all known, the rest of the run to search.
func (p *player) canNextLesson() bool {
	if p.comparing() || p.rec.sim.Done() {
		return false
	}
	points, known := p.lessonPoints()
	if !known {
		return true
	}
	for _, pt := range points {
		if pt.Event > p.rec.sim.Events() {
			return true
		}
	}
	return false
}

// nextLesson goes to the next lesson point, as a job: far ahead is many
// events away. While the points ahead are not known it runs on until it
// finds one, or the run ends.
func (p *player) nextLesson() tea.Cmd {
	p.pause()
	points, known := p.lessonPoints()
	if known {
		for _, pt := range points {
			if pt.Event > p.rec.sim.Events() {
				return p.startJob("going to the next lesson point", []*recording{p.rec},
					position{byEvent: true, event: pt.Event}, func(p *player, _ []*recording) { p.settle() })
			}
		}
		return nil
	}
	return p.startJob("looking for the next lesson point", []*recording{p.rec}, position{lesson: len(p.rec.points) + 1},
		func(p *player, _ []*recording) { p.settle() })
}

// prevLesson goes back to the lesson point before the position on
// screen (the ones behind are always known: the run found them).
func (p *player) prevLesson() {
	p.pause()
	for i := len(p.rec.points) - 1; i >= 0; i-- {
		pt := p.rec.points[i]
		if pt.Event < p.rec.sim.Events() || pt.Event == p.rec.sim.Events() && !p.rec.onEvent() {
			p.rec.seek(pt.Event)
			p.settle()
			return
		}
	}
}

// canPrevLesson reports whether there is a lesson point behind.
func (p *player) canPrevLesson() bool {
	if p.comparing() {
		return false
	}
	for _, pt := range p.rec.points {
		if pt.Event < p.rec.sim.Events() || pt.Event == p.rec.sim.Events() && !p.rec.onEvent() {
			return true
		}
	}
	return false
}

// advance moves every run shown to virtual time t, doing at most budget
// events in each (0: no limit); it reports whether they got there.
func (p *player) advance(t sim.Time, budget int) bool {
	ok := p.rec.advanceTo(t, budget)
	if p.comparing() {
		ok = p.cmp.advanceTo(t, budget) && ok
		p.clock = max(p.rec.sim.Now(), p.cmp.sim.Now())
	}
	return ok
}

// settle makes the position on screen the one asked for, and forgets the
// step-back shortcut: anything but a step moves away from it.
func (p *player) settle() {
	if p.comparing() {
		p.want = position{at: p.clock}
	} else {
		p.want = p.here()
	}
	p.back, p.stepped = nil, nil
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

// here is the position on screen of the single view.
func (p *player) here() position {
	t := p.rec.sim.Now()
	return position{at: t, k: p.rec.atInstant(t)}
}

// stepForward processes one event and pauses. In the compare view it
// moves both runs to the next instant at which either has an event.
func (p *player) stepForward() tea.Cmd {
	p.pause()
	if p.comparing() {
		p.advance(p.nextInstant(), 0)
		p.settle()
	} else {
		var from *position
		if !p.rec.onEvent() && p.rec.sim.Now() > 0 {
			// Paused between events: ← comes back here.
			here := p.here()
			from = &here
		}
		p.rec.stepOne()
		p.settle()
		if from != nil {
			to := p.here()
			p.back, p.stepped = from, &to
		}
	}
	if p.finished() {
		return p.requestFulls()
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

// stepBack returns to the event before the one on screen and pauses; to
// the paused screen a step forward left, when it was between events. In
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
		p.settle()
		return
	}
	if p.back != nil && p.stepped != nil && p.here() == *p.stepped {
		back := *p.back
		p.goTo(back)
		p.settle()
		return
	}
	if e := p.rec.sim.Events(); e > 0 {
		p.rec.seek(e - 1)
	}
	p.settle()
}

// goTo moves the single view's run to pos, backwards or a little way
// forwards.
func (p *player) goTo(pos position) {
	if pos.byEvent {
		p.rec.seek(pos.event)
		return
	}
	p.rec.seekInstant(pos.at, pos.k)
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
		p.rec.seek(0)
		p.cmp.seek(0)
		p.clock = 0
	}
	p.settle()
}

// changeSpeed moves along the speed ladder; a running tick chain is
// replaced so the old one cannot keep firing beside the new one.
func (p *player) changeSpeed(d int) tea.Cmd {
	p.speed = min(max(p.speed+d, 0), len(speeds)-1)
	p.behind = false
	if !p.playing {
		return nil
	}
	p.tag++
	return p.tick()
}

// changeZoom moves along the zoom ladder (d < 0: less time a column,
// zooming in), leaving the whole-run view.
func (p *player) changeZoom(d int) {
	p.zoom = min(max(p.zoom+d, 0), len(zooms)-1)
	p.whole = false
}

// toggleWhole shows the whole run on one screen, or the recent past again;
// the whole run needs the run to the end, asked for here.
func (p *player) toggleWhole() tea.Cmd {
	p.whole = !p.whole
	if p.whole {
		return p.requestFull(p.cfg)
	}
	return nil
}

// setting is the configuration the run has, or will have once the
// re-simulation in progress is done: keys pressed meanwhile (gg) go on
// from there.
func (p *player) setting() sim.Config {
	if p.job != nil && p.job.cfg != nil {
		return *p.job.cfg
	}
	return p.cfg
}

// toggledModel is the model g switches to.
func (p *player) toggledModel() sim.Model {
	cfg := p.setting()
	return toggled(cfg.Model, p.gilModelAfter(cfg))
}

// nextModel is the model m switches to.
func (p *player) nextModel() sim.Model {
	all := sim.Models()
	i := slices.Index(all, p.setting().Model)
	return all[(i+1)%len(all)]
}

// nextInterval is the switch interval [ (d < 0) or ] (d > 0) moves to, and
// false at the end of the ladder.
func (p *player) nextInterval(d int) (time.Duration, bool) {
	cur := p.setting().SwitchInterval
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

// setModel re-simulates under model m and lands at the same moment.
func (p *player) setModel(m sim.Model) tea.Cmd {
	cfg := p.setting()
	cfg.Model = m
	return p.resimulate(cfg)
}

// setInterval re-simulates with the next switch interval down or up.
func (p *player) setInterval(d int) tea.Cmd {
	iv, ok := p.nextInterval(d)
	if !ok {
		return nil
	}
	cfg := p.setting()
	cfg.SwitchInterval = iv
	return p.resimulate(cfg)
}

// resimulate replaces the run with one under cfg, from the start to the
// moment asked for: the same moment in the other world. It is a job: the
// run on screen stays until the new one is there.
func (p *player) resimulate(cfg sim.Config) tea.Cmd {
	if p.job != nil && p.job.cfg != nil && cfg == p.cfg {
		// Back to the run on screen before the new one was ready: it is
		// still where it was.
		p.job, p.status = nil, ""
		return nil
	}
	rec, err := p.recordingFor(cfg)
	if err != nil {
		p.status = err.Error()
		return nil
	}
	p.status = ""
	p.pause()
	recs := []*recording{rec}
	if p.comparing() {
		other := cfg
		other.Model = toggled(cfg.Model, p.gilModelAfter(cfg))
		cmp, err := p.recordingFor(other)
		if err != nil {
			p.status = err.Error()
			return nil
		}
		recs = append(recs, cmp)
	}
	for _, r := range recs {
		// Each gets its share from the start: building the new runs while
		// the old ones are on screen must not double what they take.
		r.setBudget(shownBudget.div(int64(len(recs))))
		r.rewind(p.want)
	}
	// The moment asked for keeps as many of the events at its instant done
	// as the run on screen had done: at time zero nothing is done, and
	// toggling back and forth lands on the very same event.
	cmd := p.startJob("re-simulating "+cfg.GILLabel(), recs, p.want, func(p *player, recs []*recording) {
		p.keep(p.rec)
		if p.cmp != nil {
			p.keep(p.cmp)
		}
		p.rec, p.cfg = recs[0], recs[0].cfg
		if p.cfg.Model.HasGIL() {
			p.gilModel = p.cfg.Model
		}
		if len(recs) > 1 {
			p.cmp = recs[1]
			p.clock = max(p.rec.sim.Now(), p.cmp.sim.Now())
		}
		p.shareBudget()
		p.back, p.stepped = nil, nil
		if at := p.now(); at < p.want.at {
			p.status = fmt.Sprintf("%s ends at %s, before the %s you were at: toggle back to return there",
				p.cfg.GILLabel(), brief(at), brief(p.want.at))
		}
	})
	p.job.cfg = &recs[0].cfg
	return cmd
}

// keptRuns is how many runs under other settings the player keeps, so
// that toggling back to one (g g, m m m) goes to it instead of
// re-simulating it.
const keptRuns = 3

// keep puts r among the kept runs, forgetting the oldest beyond keptRuns.
func (p *player) keep(r *recording) {
	p.kept = append(slices.DeleteFunc(p.kept, func(k *recording) bool { return k.cfg == r.cfg }), r)
	if len(p.kept) > keptRuns {
		p.kept = p.kept[len(p.kept)-keptRuns:]
	}
}

// shareBudget gives the runs on screen shownBudget, split between the two
// of the compare view, and each kept run its small share of it. A run
// whose share shrinks thins its checkpoints (keeping those around where
// it stands, so that toggling back to it and stepping back stay quick)
// and coarsens its marks.
func (p *player) shareBudget() {
	if p.cmp != nil {
		p.rec.setBudget(shownBudget.div(2))
		p.cmp.setBudget(shownBudget.div(2))
	} else {
		p.rec.setBudget(shownBudget)
	}
	for _, r := range p.kept {
		r.setBudget(shownBudget.div(keptShare))
	}
}

// recordingFor is the run under cfg: a kept one if there is, else a new
// one from time zero.
func (p *player) recordingFor(cfg sim.Config) (*recording, error) {
	for i, r := range p.kept {
		if r.cfg == cfg {
			p.kept = slices.Delete(p.kept, i, i+1)
			return r, nil
		}
	}
	return newRecording(p.vals, cfg, true)
}

// gilModelAfter is the model g would return to after switching to cfg.
func (p *player) gilModelAfter(cfg sim.Config) sim.Model {
	if cfg.Model.HasGIL() {
		return cfg.Model
	}
	return p.gilModel
}

// toggled is the model on the other side of the GIL from m: free-threaded
// for a GIL model, gil (the last GIL model) for free-threaded.
func toggled(m, gil sim.Model) sim.Model {
	if m.HasGIL() {
		return sim.ModelFreeThreaded
	}
	return gil
}

// startJob brings recs to position to in chunks, then calls done.
func (p *player) startJob(what string, recs []*recording, to position, done func(*player, []*recording)) tea.Cmd {
	p.jobs++
	p.job = &job{tag: p.jobs, what: what, recs: recs, to: to, done: done}
	return p.work()
}

// work asks for the job's next chunk.
func (p *player) work() tea.Cmd {
	tag := p.job.tag
	return func() tea.Msg { return workMsg{tag: tag} }
}

// onWork does a chunk of the job; when the job is done it installs its
// runs and asks for what the new position needs.
func (p *player) onWork(msg workMsg) tea.Cmd {
	j := p.job
	if j == nil || msg.tag != j.tag {
		return nil
	}
	j.chunks++
	done := true
	for _, r := range j.recs {
		done = r.reach(j.to, jobChunk) && done
	}
	if !done {
		return p.work()
	}
	p.job = nil
	j.done(p, j.recs)
	cmds := []tea.Cmd{p.requestFull(p.cfg)}
	if p.finished() || p.comparing() {
		cmds = append(cmds, p.requestFulls())
	}
	return tea.Batch(cmds...)
}

// otherConfig is the run's configuration with the GIL setting flipped.
func (p *player) otherConfig() sim.Config {
	cfg := p.cfg
	cfg.Model = p.toggledModel()
	return cfg
}

// toggleCompare shows or hides the compare view. The other run is brought
// to the moment on screen as a job.
func (p *player) toggleCompare() tea.Cmd {
	if p.comparing() {
		p.cmp = nil
		p.shareBudget()
		p.settle()
		return nil
	}
	cmp, err := newRecording(p.vals, p.otherConfig(), true)
	if err != nil {
		p.status = err.Error()
		return nil
	}
	cmp.setBudget(shownBudget.div(2))
	p.pause()
	return p.startJob("running "+cmp.cfg.GILLabel()+" to compare", []*recording{cmp}, position{at: p.now()},
		func(p *player, recs []*recording) {
			p.cmp, p.clock = recs[0], max(p.rec.sim.Now(), recs[0].sim.Now())
			p.shareBudget()
		})
}

// fullKey is the key a run to the end is kept under.
func fullKey(cfg sim.Config) sim.Config {
	cfg.Trace = true
	cfg.MaxEvents = fullEventLimit
	return cfg
}

// requestFulls asks for the runs to the end of this run's setting and the
// other one, made in the background, unless they are known.
func (p *player) requestFulls() tea.Cmd {
	return tea.Batch(p.requestFull(p.cfg), p.requestFull(p.otherConfig()))
}

// requestFull asks for the run to the end under cfg, unless it is known
// or on its way. It first forgets those of settings no longer on screen,
// stopping any still running.
func (p *player) requestFull(cfg sim.Config) tea.Cmd {
	for k, f := range p.fulls {
		if k != fullKey(p.cfg) && k != fullKey(p.otherConfig()) && k != fullKey(cfg) {
			f.stop.Store(true)
			delete(p.fulls, k)
		}
	}
	k := fullKey(cfg)
	if _, ok := p.fulls[k]; ok {
		return nil
	}
	f := &fullRun{stop: new(atomic.Bool)}
	p.fulls[k] = f
	return runToEnd(p.vals, k, p.identity(), f.stop)
}

// forgetFulls forgets the runs to the end, stopping those in progress:
// the player that replaces this one wants none of them.
func (p *player) forgetFulls() {
	for k, f := range p.fulls {
		f.stop.Store(true)
		delete(p.fulls, k)
	}
}

// identity names the scenario and its values.
func (p *player) identity() string {
	return p.vals.Scenario().ID + " " + strings.Join(p.vals.Settings(), " ")
}

// runToEnd simulates v under cfg to the end, off the update loop, keeping
// what the lanes need. It gives up, with neither a recording nor an
// error, once stop is set.
func runToEnd(v scenarios.Values, cfg sim.Config, of string, stop *atomic.Bool) tea.Cmd {
	return func() tea.Msg {
		rec, err := newRecording(v, cfg, false)
		if err != nil {
			return fullMsg{of: of, cfg: cfg, err: err}
		}
		for rec.stepOne() {
			if rec.sim.Events()%stopCheckEvery == 0 && stop.Load() {
				return fullMsg{of: of, cfg: cfg}
			}
		}
		return fullMsg{of: of, cfg: cfg, rec: rec}
	}
}

// stopCheckEvery is how often a run to the end looks whether it is still
// wanted, in events.
const stopCheckEvery = 1 << 14

// onFull keeps a run to the end, if the player still wants it.
func (p *player) onFull(msg fullMsg) {
	f, ok := p.fulls[msg.cfg]
	if msg.of != p.identity() || !ok || f.rec != nil || f.err != nil {
		return
	}
	f.rec, f.err = msg.rec, msg.err
}

// fullOf returns the run to the end under cfg, if it is known.
func (p *player) fullOf(cfg sim.Config) (*fullRun, bool) {
	f, ok := p.fulls[fullKey(cfg)]
	if !ok || f.rec == nil && f.err == nil {
		return nil, false
	}
	return f, true
}
