package tui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// playMode is what the player is doing, as the header shows it.
type playMode uint8

const (
	// modePaused: the clock stands still until a key moves it.
	modePaused playMode = iota
	// modePlaying: ticks move the clock on.
	modePlaying
	// modeFinished: the run has ended; space replays it.
	modeFinished
	// modeBusy: a job (a re-simulation, a jump) is in progress.
	modeBusy
)

var playModeNames = [...]string{
	modePaused:   "❚❚ paused",
	modePlaying:  "▶ playing",
	modeFinished: "■ finished",
	modeBusy:     "⧗ working",
}

func (m playMode) String() string { return playModeNames[m] }

// side is one run as a frame shows it: its snapshot, its history and the
// sentence about what it shows at this moment.
type side struct {
	snap sim.Snapshot
	rec  *recording
	// full is the same run to its end, once it is known: the whole-run
	// view draws it.
	full  *recording
	label string // "GIL on · py3 · 5ms"
	// version is the CPython version the program is simulated as
	// ("3.12"), or "".
	version string
	// done says the run has ended, at end.
	done bool
	end  sim.Time
	// results are the scenario's own figures so far that mean something
	// before the end (all of them at the end).
	results []scenarios.Figure

	// narration explains the event at narrAt; narrated is false before
	// the first event worth a sentence.
	narrAt    sim.Time
	narration string
	narrated  bool
}

// runLabel names a run's GIL setting and, for a Python program, the
// CPython version it is simulated as: "GIL off · free-threaded · 3.13t".
func runLabel(v scenarios.Values, cfg sim.Config) string {
	if ver := v.Version(cfg.Model); ver != "" {
		return cfg.GILLabel() + " · " + ver
	}
	return cfg.GILLabel()
}

func newSide(p *player, r *recording) side {
	s := side{snap: r.sim.Snapshot(), rec: r, label: r.cfg.GILLabel(), version: p.vals.Version(r.cfg.Model),
		done: r.sim.Done(), end: r.sim.Now()}
	if f, ok := p.fullOf(r.cfg); ok && f.rec != nil {
		s.full = f.rec
	}
	s.narrAt, s.narration, s.narrated = narrate(r, &s.snap)
	s.results = liveResults(p.vals, r.sim)
	return s
}

// liveResults are the scenario's figures of run s so far: the ones that
// mean something before the run ends, or all of them at the end.
func liveResults(v scenarios.Values, s *sim.Sim) []scenarios.Figure {
	if s.Events() == 0 {
		return nil
	}
	all := v.Figures(s.Metrics())
	if s.Done() {
		return all
	}
	var live []scenarios.Figure
	for _, f := range all {
		if f.Live {
			live = append(live, f)
		}
	}
	return live
}

// frame is everything one screen of the player shows. The player builds
// it after every change; views read it and never change it.
type frame struct {
	side
	title string // scenario id and the settings that differ from defaults
	// section is the article section the scenario was opened as, or "".
	section string
	// events is the header's event count (both runs' in the compare view).
	events string
	// setting is the header's GIL setting: the side's label, or both.
	setting string
	file    string
	source  []string
	cores   int
	speed   time.Duration
	win     window
	anim    sim.Time // how long a handoff arrow takes to grow
	hold    sim.Time // how long it stays drawn
	mode    playMode
	// busy says what the job in progress does; behind that playback
	// cannot keep up with the speed shown.
	busy    string
	behind  bool
	status  string
	summary []string

	// callout is the lesson point the run stands on, in lesson mode.
	callout *calloutInfo

	// other is the compare view's second run; compare its figures.
	other   *side
	compare compareFigures
}

// calloutInfo is what a callout shows of the lesson points at one event
// (usually one): their numbers n to last among the run's points (of
// total, 0 while not all are known), their titles and what to look at.
type calloutInfo struct {
	n, last, total int
	title, text    string
}

// compareFigures are the compare view's figures at the end.
type compareFigures struct {
	// known says both runs to the end are known: they took onEnd and offEnd.
	known         bool
	onEnd, offEnd sim.Time
}

// A handoff arrow grows for arrowGrow of play and stays drawn for
// arrowHold, whatever the speed: both are turned into virtual time.
const (
	arrowGrow = 300 * time.Millisecond
	arrowHold = 3 * time.Second
)

// buildFrame gathers what the views need from the player.
func (p *player) buildFrame() frame {
	w := p.rec.sim.Workload()
	f := frame{
		side:  newSide(p, p.rec),
		title: p.vals.Scenario().ID, file: w.File, cores: p.cfg.Cores,
		speed: speeds[p.speed], status: p.status, behind: p.behind && p.playing,
		win: window{scale: p.scale(), now: p.now(), whole: p.whole},
		// The arrow grows only while playing: a paused or stepped screen
		// shows the handoff whole.
		hold: sim.Time(speeds[p.speed] * arrowHold / time.Second),
	}
	if p.playing {
		f.anim = sim.Time(speeds[p.speed] * arrowGrow / time.Second)
	}
	if set := titleSettings(p.vals); len(set) > 0 {
		f.title += " (" + strings.Join(set, ", ") + ")"
	}
	if w.Source != "" {
		f.source = strings.Split(strings.TrimRight(w.Source, "\n"), "\n")
	}
	switch {
	case p.busy() && p.job.chunks > 0:
		// A job that needed more than one chunk: say what it does.
		f.mode, f.busy = modeBusy, p.job.what
	case p.playing:
		f.mode = modePlaying
	case p.finished():
		f.mode = modeFinished
	}
	f.setting = f.label
	if p.whole {
		f.win.total = p.rec.sim.Now()
		if f.full != nil {
			f.win.total = f.full.sim.Now()
		}
	}
	if p.comparing() {
		// Both sides are drawn at the compare clock, which goes on after
		// one of them has finished.
		f.snap.Now = p.clock
		o := newSide(p, p.cmp)
		o.snap.Now = p.clock
		f.other = &o
		f.compare = p.compareFigures()
		f.setting = "GIL on ⇄ GIL off"
		if p.whole && o.full != nil {
			f.win.total = max(f.win.total, o.full.sim.Now())
		}
	} else if f.mode == modeFinished {
		f.summary = p.summary()
	}
	if pts, n := p.rec.atPoints(); len(pts) > 0 && p.lessons && !p.comparing() {
		c := &calloutInfo{n: n, last: n + len(pts) - 1}
		var titles, texts []string
		for _, pt := range pts {
			titles, texts = append(titles, pt.Lesson.Title), append(texts, pt.Callout)
		}
		c.title, c.text = strings.Join(titles, " · "), strings.Join(texts, " ")
		if all, known := p.lessonPoints(); known {
			c.total = len(all)
		}
		f.callout = c
	}
	f.section = p.vals.Section()
	f.events = eventsText(&f)
	return f
}

// titleSettings are the settings a title names: those that differ from
// the defaults, less those the article section it was opened as gives
// (the header names the section).
func titleSettings(v scenarios.Values) []string {
	set := v.Settings()
	sec, ok := v.Scenario().Section(v.Section())
	if !ok {
		return set
	}
	var out []string
	for _, kv := range set {
		if !slices.Contains(sec.Set, kv) {
			out = append(out, kv)
		}
	}
	return out
}

// summary is the end-of-run report: how the run ended and its GIL
// handoffs, the scenario's own result, and the other GIL setting's end
// and result once its run to the end is known.
func (p *player) summary() []string {
	s := p.rec.sim
	snap := s.Snapshot()
	verdict := p.vals.Verdict(s.Metrics())
	outcome := capitalise(s.Outcome().String())
	if strings.HasPrefix(verdict, "Failed") {
		outcome = "Failed"
	}
	var b strings.Builder
	b.WriteString("■ " + outcome + " at " + brief(s.Now()) + " · " +
		plural(int(snap.Totals.Handoffs), "GIL handoff", "GIL handoffs"))
	var parts []string
	for r, n := range snap.Totals.ByReason {
		if n > 0 {
			parts = append(parts, itoa(int(n))+" "+sim.Reason(r).Phrase())
		}
	}
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	lines := []string{b.String(), verdict}
	other := p.otherConfig()
	fo, ok := p.fullOf(other)
	label := runLabel(p.vals, other)
	switch {
	case !ok:
		lines = append(lines, label+": running it to the end to compare…")
	case fo.err != nil:
		lines = append(lines, label+": "+fo.err.Error())
	default:
		end := fo.rec.sim.Now()
		lines = append(lines, label+": "+brief(end)+", "+pace(s.Now(), end)+" — "+
			p.vals.Verdict(fo.rec.sim.Metrics()))
	}
	return lines
}

// pace says how a run that took other compares with one that took this:
// "3.60x faster", "1.80x slower", "as fast".
func pace(this, other sim.Time) string {
	switch {
	case other <= 0 || this <= 0:
		return "—"
	case other < this*99/100:
		return ratio(this, other) + " faster"
	case other > this*101/100:
		return ratio(other, this) + " slower"
	}
	return "as fast"
}

// compareFigures are the two runs' ends, once both are known.
func (p *player) compareFigures() compareFigures {
	on, off := p.rec, p.cmp
	if !p.cfg.Model.HasGIL() {
		on, off = off, on
	}
	var c compareFigures
	fon, ok1 := p.fullOf(on.cfg)
	foff, ok2 := p.fullOf(off.cfg)
	if ok1 && ok2 && fon.err == nil && foff.err == nil {
		c.known, c.onEnd, c.offEnd = true, fon.rec.sim.Now(), foff.rec.sim.Now()
	}
	return c
}

// ratio formats a/b as "3.66x", or "—" when b is zero.
func ratio(a, b sim.Time) string {
	if b <= 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(a)/float64(b), 'f', 2, 64) + "x"
}
