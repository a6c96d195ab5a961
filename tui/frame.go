package tui

import (
	"strconv"
	"strings"
	"time"

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
)

var playModeNames = [...]string{
	modePaused:   "❚❚ paused",
	modePlaying:  "▶ playing",
	modeFinished: "■ finished",
}

func (m playMode) String() string { return playModeNames[m] }

// side is one run as a frame shows it: its snapshot, its history and the
// sentence about its last significant event.
type side struct {
	snap  sim.Snapshot
	rec   *recording
	label string // "GIL on · py3 · 5ms"
	// done says the run has ended, at end.
	done bool
	end  sim.Time

	// narration explains the event at narrAt; narrated is false before
	// the first event worth a sentence.
	narrAt    sim.Time
	narration string
	narrated  bool
}

func newSide(r *recording) side {
	s := side{snap: r.sim.Snapshot(), rec: r, label: r.cfg.GILLabel(), done: r.sim.Done(), end: r.sim.Now()}
	s.narrAt, s.narration, s.narrated = narrate(r)
	return s
}

// frame is everything one screen of the player shows. The player builds
// it after every change; views read it and never change it.
type frame struct {
	side
	title string // scenario id and the settings that differ from defaults
	// setting is the header's GIL setting: the side's label, or both.
	setting string
	file    string
	source  []string
	cores   int
	speed   time.Duration
	scale   sim.Time // virtual time of one timeline column
	anim    sim.Time // how long a handoff arrow takes to grow
	hold    sim.Time // how long it stays drawn
	mode    playMode
	status  string
	summary []string

	// other is the compare view's second run; compare its figures.
	other   *side
	compare compareFigures
}

// compareFigures are the compare view's speedups.
type compareFigures struct {
	onCPU, offCPU sim.Time
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
		side:  newSide(p.rec),
		title: p.vals.Scenario().ID, file: w.File, cores: p.cfg.Cores,
		speed: speeds[p.speed], scale: p.scale(), status: p.status,
		anim: sim.Time(speeds[p.speed] * arrowGrow / time.Second), hold: sim.Time(speeds[p.speed] * arrowHold / time.Second),
	}
	if set := p.vals.Settings(); len(set) > 0 {
		f.title += " (" + strings.Join(set, ", ") + ")"
	}
	if w.Source != "" {
		f.source = strings.Split(strings.TrimRight(w.Source, "\n"), "\n")
	}
	switch {
	case p.playing:
		f.mode = modePlaying
	case p.finished():
		f.mode = modeFinished
	}
	f.setting = f.label
	if p.comparing() {
		// Both sides are drawn at the compare clock, which goes on after
		// one of them has finished.
		f.snap.Now = p.clock
		o := newSide(p.cmp)
		o.snap.Now = p.clock
		f.other = &o
		f.compare = p.compareFigures()
		f.setting = "GIL on ⇄ GIL off"
	} else if f.mode == modeFinished {
		f.summary = p.summary()
	}
	return f
}

// cpu is the CPU time the threads of a run have used so far.
func cpu(s *sim.Snapshot) sim.Time {
	var t sim.Time
	for i := range s.Threads {
		t += s.Threads[i].Times[sim.StateRunning] + s.Threads[i].Times[sim.StateStarting]
	}
	return t
}

// summary is the end-of-run report: elapsed time, handoffs, and the
// speedup against the other GIL setting once its run to the end is known.
func (p *player) summary() []string {
	s := p.rec.sim
	snap := s.Snapshot()
	var b strings.Builder
	b.WriteString("■ " + capitalise(s.Outcome().String()) + " at " + brief(s.Now()) + " · " + itoa(int(snap.Totals.Handoffs)) + " GIL handoffs")
	var parts []string
	for r, n := range snap.Totals.ByReason {
		if n > 0 {
			parts = append(parts, itoa(int(n))+" "+sim.Reason(r).String())
		}
	}
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	lines := []string{b.String()}
	other := p.otherConfig()
	fo, ok := p.finalOf(other)
	switch {
	case !ok:
		lines = append(lines, other.GILLabel()+": running it to the end to compare…")
	case fo.err != nil:
		lines = append(lines, other.GILLabel()+": "+fo.err.Error())
	default:
		on, off := s.Now(), fo.elapsed
		if !p.cfg.Model.HasGIL() {
			on, off = off, on
		}
		lines = append(lines, other.GILLabel()+" finishes in "+brief(fo.elapsed)+": speedup without the GIL "+ratio(on, off))
	}
	return lines
}

// compareFigures measures the two runs of the compare view against each
// other: CPU time done by the same virtual time, and the final speedup.
func (p *player) compareFigures() compareFigures {
	on, off := p.rec, p.cmp
	if !p.cfg.Model.HasGIL() {
		on, off = off, on
	}
	onSnap, offSnap := on.sim.Snapshot(), off.sim.Snapshot()
	c := compareFigures{onCPU: cpu(&onSnap), offCPU: cpu(&offSnap)}
	fon, ok1 := p.finalOf(on.cfg)
	foff, ok2 := p.finalOf(off.cfg)
	if ok1 && ok2 && fon.err == nil && foff.err == nil {
		c.known, c.onEnd, c.offEnd = true, fon.elapsed, foff.elapsed
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
