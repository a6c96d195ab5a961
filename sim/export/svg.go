package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// The picture's geometry, in SVG user units (pixels at 100 %). It is drawn
// for a 16:9 slide or an A4 page in landscape: text no smaller than 13 px
// at 1200 px wide stays readable when projected and when printed.
const (
	svgWidth    = 1200
	plotLeft    = 200
	plotWidth   = 900
	laneHeight  = 24
	laneGap     = 6
	markHeight  = 9
	titleSize   = 22
	textSize    = 14
	smallSize   = 13
	svgMaxLanes = 64 // GIL and thread lanes drawn; the rest are counted in a note
	// svgBuckets is the time resolution: two buckets a pixel, so a state
	// change lands within half a pixel of its time.
	svgBuckets = 2 * plotWidth
	// labelMin is the narrowest run that gets its state written inside.
	labelMin = 120
	// baseline puts a line of text's middle at the y it is written for:
	// a third of the font size, since not every renderer honours
	// dominant-baseline.
	baseline = 5
)

// stateStyle is how a state is painted: a colour, and for the states a
// greyscale print could confuse, a pattern drawn over it.
type stateStyle struct {
	fill    string
	pattern string // SVG pattern body, drawn on the fill; "" for none
	ink     string // colour of text written on the fill
}

// stateStyles are the lane colours. Running is the darkest solid colour;
// every waiting state has a different texture, so the picture reads in
// greyscale too.
var stateStyles = [sim.NumStates]stateStyle{
	sim.StateStarting: {fill: "#a5d6a7", ink: "#000", pattern: `<path d="M0 8L8 0" stroke="#2e7d32" stroke-width="1.5"/>`},
	sim.StateRunning:  {fill: "#2e7d32", ink: "#fff"},
	sim.StateRunnable: {fill: "#fdd835", ink: "#000", pattern: `<circle cx="4" cy="4" r="1.6" fill="#5d4037"/>`},
	sim.StateWaitGIL:  {fill: "#e53935", ink: "#000", pattern: `<path d="M0 8L8 0M-2 2L2 -2M6 10L10 6" stroke="#fff" stroke-width="2"/>`},
	sim.StateWaitLock: {fill: "#8e24aa", ink: "#fff", pattern: `<path d="M0 0L8 8M0 8L8 0" stroke="#fff" stroke-width="1.2"/>`},
	sim.StateIO:       {fill: "#1e88e5", ink: "#000", pattern: `<path d="M0 4H8" stroke="#fff" stroke-width="1.5"/>`},
	sim.StateSleep:    {fill: "#90caf9", ink: "#000", pattern: `<path d="M0 0L8 8M-2 6L2 10M6 -2L10 2" stroke="#1565c0" stroke-width="1"/>`},
	sim.StateJoin:     {fill: "#bdbdbd", ink: "#000"},
	sim.StateQueue:    {fill: "#fb8c00", ink: "#000", pattern: `<path d="M4 0V8" stroke="#fff" stroke-width="1.5"/>`},
}

// drawn reports whether a state is painted: not started and done are the
// lane's empty background.
func drawn(st sim.State) bool { return st != sim.StateNew && st != sim.StateDone }

// holderColours tell the GIL's holders apart; the holder's name is also
// written on every hold wide enough for it, for greyscale prints.
var holderColours = [...]string{"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f", "#e15759", "#bab0ac"}

func holderColour(local int) string { return holderColours[local%len(holderColours)] }

// handoffStyle groups the release reasons for the handoff marks: forced
// (the holder was asked to drop it), voluntary blocking, and the rest.
type handoffStyle struct {
	label  string
	fill   string
	stroke string
}

var (
	markForced  = handoffStyle{"forced: switch interval or check interval", "#7f0000", "#7f0000"}
	markBlocked = handoffStyle{"released to block: I/O, sleep, select, C code", "#fff", "#1565c0"}
	markOther   = handoffStyle{"other: start, join, exit, lock, queue", "#9e9e9e", "#616161"}
)

func handoffGroup(r sim.Reason) handoffStyle {
	switch r {
	case sim.ReasonInterval, sim.ReasonCheck:
		return markForced
	case sim.ReasonIO, sim.ReasonSleep, sim.ReasonSelect, sim.ReasonNative:
		return markBlocked
	}
	return markOther
}

// SVG writes the run as a self-contained timeline picture: a title with
// the scenario, model and settings; for every process a GIL lane coloured
// by the holding thread, with a mark at every handoff, and a lane per
// thread coloured (and patterned) by state; a time axis; and a legend.
// It draws at most svgMaxLanes lanes, and says how many threads and
// processes it leaves out. It uses no external font, image or script.
func SVG(w io.Writer, src Source, opt Options) error {
	first, err := measure(src, opt)
	if err != nil {
		return err
	}
	wl := first.Workload()
	byProc, local := members(wl)
	pick := svgPick(byProc, len(wl.Threads), first.Config().Model.HasGIL())
	s, tl, err := draw(src, opt, first, svgBuckets, pick)
	if err != nil {
		return err
	}
	title := opt.Title
	if title == "" {
		title = defaultTitle(s)
	}
	ew := &errWriter{w: w}
	bw := bufio.NewWriter(ew)
	p := &painter{w: bw, s: s, tl: tl, wl: wl, pick: pick, byProc: byProc, local: local}
	p.paint(title)
	if err := bw.Flush(); err != nil {
		return ew.err
	}
	return nil
}

// svgPick chooses the lanes the picture draws, so that its height stays
// within a slide or a page however many threads or processes the run has:
// processes in order, each with its heading, its GIL lane (under a GIL)
// and its threads in order, until svgMaxLanes lanes are used. A process
// is drawn only when its GIL lane and its first thread both fit.
func svgPick(byProc [][]int32, threads int, hasGIL bool) lanePick {
	pick := lanePick{threads: make([]bool, threads), procs: make([]bool, len(byProc))}
	gil := 0
	if hasGIL {
		gil = 1
	}
	used := 0
	for p, ths := range byProc {
		if used+gil+min(len(ths), 1) > svgMaxLanes {
			break
		}
		pick.procs[p] = true
		used += gil
		for _, th := range ths {
			if used == svgMaxLanes {
				break
			}
			pick.threads[th] = true
			used++
		}
	}
	return pick
}

// painter writes the SVG document.
type painter struct {
	w      *bufio.Writer
	s      *sim.Sim
	tl     *timeline
	wl     *sim.Workload
	pick   lanePick
	byProc [][]int32 // each process's threads
	local  []int     // each thread's place in its process
	y      float64   // the next free line
}

// x is the horizontal position of bucket boundary k.
func (p *painter) x(k int) float64 { return plotLeft + float64(k)*plotWidth/float64(p.tl.g.n) }

func (p *painter) paint(title string) {
	c := p.s.Config()
	m := p.s.Metrics()
	hasGIL := c.Model.HasGIL()
	// A sans-serif character averages under 0.58 em, and a bold one under
	// 0.64 em (DejaVu Sans, among the widest): wrap the title and the
	// summary to the picture's width at their sizes.
	heading := wrapItems("", "", strings.SplitAfter(title, " — "), "", (svgWidth-32)*100/(titleSize*64))
	var subtitle []string
	for _, items := range summaryLines(c, m) {
		subtitle = append(subtitle, wrapItems("", "", items, " · ", (svgWidth-32)*100/(15*58))...)
	}
	height := p.measureHeight(len(heading), len(subtitle), hasGIL)

	fmt.Fprintf(p.w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="%d" role="img" aria-label="%s">`+"\n",
		svgWidth, height, svgWidth, height, textSize, esc(title))
	fmt.Fprintf(p.w, "<title>%s</title>\n", esc(title))
	p.defs()
	fmt.Fprintf(p.w, `<rect width="%d" height="%d" fill="#fff"/>`+"\n", svgWidth, height)
	p.y = 6
	for _, line := range heading {
		p.y += 28
		fmt.Fprintf(p.w, `<text class="title" x="16" y="%s" font-size="%d" font-weight="bold">%s</text>`+"\n", num(p.y), titleSize, esc(line))
	}
	p.y += 8
	for _, line := range subtitle {
		p.y += 20
		fmt.Fprintf(p.w, `<text class="subtitle" x="16" y="%s" font-size="15" fill="#333">%s</text>`+"\n", num(p.y), esc(line))
	}
	p.y += 18
	top := p.y
	p.lanes(hasGIL)
	bottom := p.y
	p.axis(top, bottom)
	p.legend(hasGIL)
	fmt.Fprintln(p.w, "</svg>")
}

// measureHeight lays the picture out once without drawing, to size it.
func (p *painter) measureHeight(headings, subtitles int, hasGIL bool) int {
	h := 6 + 28*float64(headings) + 8 + 20*float64(subtitles) + 18
	h += p.lanesHeight(hasGIL)
	h += axisHeight
	h += p.legendHeight(hasGIL)
	return int(h + 16)
}

func (p *painter) defs() {
	fmt.Fprintln(p.w, "<defs>")
	for st, sty := range stateStyles {
		if sty.pattern == "" {
			continue
		}
		fmt.Fprintf(p.w, `<pattern id="%s" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="%s"/>%s</pattern>`+"\n",
			patternID(sim.State(st)), sty.fill, sty.pattern)
	}
	fmt.Fprintln(p.w, "</defs>")
}

// patternID names a state's pattern: "p-waiting-for-GIL".
func patternID(st sim.State) string {
	r := strings.NewReplacer(" ", "-", "(", "", ")", "")
	return "p-" + r.Replace(st.String())
}

// paintOf is the fill attribute value for a state.
func paintOf(st sim.State) string {
	if stateStyles[st].pattern != "" {
		return "url(#" + patternID(st) + ")"
	}
	return stateStyles[st].fill
}

// lanesHeight is the height the lanes take, as lanes draws them.
func (p *painter) lanesHeight(hasGIL bool) float64 {
	h := 0.0
	for pr, ths := range p.byProc {
		if !p.pick.procs[pr] {
			continue
		}
		if len(p.wl.Procs) > 1 {
			h += 22
		}
		if hasGIL {
			h += markHeight + laneHeight + laneGap + 4
		}
		for _, th := range ths {
			if p.pick.threads[th] {
				h += laneHeight + laneGap
			}
		}
	}
	if p.leftOut() != "" {
		h += 22
	}
	return h
}

func (p *painter) lanes(hasGIL bool) {
	fmt.Fprintln(p.w, `<g id="lanes">`)
	for pr, proc := range p.wl.Procs {
		if !p.pick.procs[pr] {
			continue
		}
		if len(p.wl.Procs) > 1 {
			p.y += 16
			fmt.Fprintf(p.w, `<text x="8" y="%s" font-size="15" font-weight="bold">%s</text>`+"\n", num(p.y), esc(proc.Name))
			p.y += 6
		}
		if hasGIL {
			p.gilLane(pr)
		}
		for _, th := range p.byProc[pr] {
			if p.pick.threads[th] {
				p.threadLane(th, p.wl.Threads[th].Name, p.local[th], hasGIL)
			}
		}
	}
	if note := p.leftOut(); note != "" {
		p.y += 16
		fmt.Fprintf(p.w, `<text class="left-out" x="16" y="%s" font-size="%d" fill="#333">%s</text>`+"\n", num(p.y), smallSize, esc(note))
		p.y += 6
	}
	fmt.Fprintln(p.w, "</g>")
}

// leftOut is the note under the lanes that counts the threads and
// processes the picture leaves out, or "" when it draws them all.
func (p *painter) leftOut() string {
	threads, procs := 0, 0
	for _, drawn := range p.pick.threads {
		if !drawn {
			threads++
		}
	}
	for _, drawn := range p.pick.procs {
		if !drawn {
			procs++
		}
	}
	switch {
	case procs > 0:
		return fmt.Sprintf("… and %s and %s, not drawn (the text and Perfetto exports show them all)",
			count(procs, "more process", "more processes"), count(threads, "more thread", "more threads"))
	case threads > 0:
		return fmt.Sprintf("… and %d more threads, not drawn (the text and Perfetto exports show every thread)", threads)
	}
	return ""
}

// laneLabel writes a lane's name at the left, vertically centred, after
// a square in the thread's GIL colour with its mark in it.
func (p *painter) laneLabel(text, swatch string, m byte) {
	cy := p.y + laneHeight/2
	x := 16.0
	if swatch != "" {
		fmt.Fprintf(p.w, `<rect x="16" y="%s" width="16" height="16" fill="%s" stroke="#333" stroke-width="0.5"/>`, num(cy-8), swatch)
		fmt.Fprintf(p.w, `<text x="24" y="%s" text-anchor="middle" font-size="%d" fill="#000" stroke="#fff" stroke-width="3" paint-order="stroke">%c</text>`, num(cy+baseline-0.5), smallSize, m)
		x = 38
	}
	fmt.Fprintf(p.w, `<text x="%s" y="%s">%s</text>`+"\n", num(x), num(cy+baseline), esc(clip(text, 20)))
}

func (p *painter) gilLane(pr int) {
	g := p.tl.gils[pr]
	fmt.Fprintf(p.w, `<g class="lane gil" data-process="%s">`+"\n", esc(p.wl.Procs[pr].Name))
	// Handoff marks: a small triangle above the lane, pointing at the
	// instant the GIL changed hands. Marks closer than their width
	// overlap, so the forced ones, the convoy's signature, go on top.
	for _, group := range []handoffStyle{markOther, markBlocked, markForced} {
		for k, r := range g.marks.cells {
			if r == sim.ReasonNone || handoffGroup(r) != group {
				continue
			}
			cx := (p.x(k) + p.x(k+1)) / 2
			fmt.Fprintf(p.w, `<path class="handoff" d="M%s %sL%s %sL%s %sZ" fill="%s" stroke="%s" stroke-width="1"><title>handoff at %s: %s</title></path>`+"\n",
				num(cx-3.5), num(p.y), num(cx+3.5), num(p.y), num(cx), num(p.y+markHeight-1), group.fill, group.stroke,
				p.tl.g.bound(k), esc(r.Phrase()))
		}
	}
	p.y += markHeight
	p.laneLabel("GIL", "", 0)
	fmt.Fprintf(p.w, `<rect x="%d" y="%s" width="%d" height="%d" fill="#f4f4f4" stroke="#999" stroke-width="0.5"/>`+"\n",
		plotLeft, num(p.y), plotWidth, laneHeight)
	eachRun(g.cells, func(th int32, k, j int) {
		if th >= 0 {
			x0, x1 := p.x(k), p.x(j)
			name := p.wl.Threads[th].Name
			fmt.Fprintf(p.w, `<rect x="%s" y="%s" width="%s" height="%d" fill="%s"><title>GIL held by %s, %s–%s</title></rect>`+"\n",
				num(x0), num(p.y), num(x1-x0), laneHeight, holderColour(p.local[th]), esc(name),
				p.tl.g.bound(k), p.tl.g.bound(j))
			// The holder's name, or its mark where the name does not fit, so
			// that the lane reads without its colours.
			label := name
			if x1-x0 < float64(7*len(name)+8) {
				label = string(mark(p.local[th]))
			}
			if x1-x0 >= 10 {
				p.onLane(x0, x1, label)
			}
		}
	})
	p.share("held", g.busy)
	p.y += laneHeight + laneGap + 4
	fmt.Fprintln(p.w, "</g>")
}

// eachRun calls f for every run of equal cells: the value and the run's
// first cell and the one after its last.
func eachRun[T comparable](cells []T, f func(v T, k, j int)) {
	for k := 0; k < len(cells); {
		j := k + 1
		for j < len(cells) && cells[j] == cells[k] {
			j++
		}
		f(cells[k], k, j)
		k = j
	}
}

// onLane writes text centred on the lane between x0 and x1, with a white
// halo so that it reads on any colour or pattern.
func (p *painter) onLane(x0, x1 float64, text string) {
	fmt.Fprintf(p.w, `<text x="%s" y="%s" text-anchor="middle" font-size="%d" fill="#000" stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>`+"\n",
		num((x0+x1)/2), num(p.y+laneHeight/2+baseline), smallSize, esc(text))
}

// share writes, right of the lane, what part of the run a lane spent
// doing what its label says: the GIL held, a thread running.
func (p *painter) share(what string, d sim.Time) {
	fmt.Fprintf(p.w, `<text class="share" x="%d" y="%s" font-size="%d">%s %s</text>`+"\n",
		plotLeft+plotWidth+10, num(p.y+laneHeight/2+baseline), smallSize, what, strings.TrimSpace(percent(d, p.tl.g.end)))
}

func (p *painter) threadLane(th int32, name string, local int, hasGIL bool) {
	l := p.tl.threads[th]
	fmt.Fprintf(p.w, `<g class="lane thread" data-thread="%s">`+"\n", esc(name))
	swatch := ""
	if hasGIL {
		swatch = holderColour(local)
	}
	p.laneLabel(name, swatch, mark(local))
	fmt.Fprintf(p.w, `<rect x="%d" y="%s" width="%d" height="%d" fill="#f4f4f4" stroke="#ccc" stroke-width="0.5"/>`+"\n",
		plotLeft, num(p.y), plotWidth, laneHeight)
	eachRun(l.cells, func(st sim.State, k, j int) {
		if drawn(st) {
			x0, x1 := p.x(k), p.x(j)
			fmt.Fprintf(p.w, `<rect class="state" data-state="%s" x="%s" y="%s" width="%s" height="%d" fill="%s"><title>%s: %s, %s–%s</title></rect>`+"\n",
				esc(st.String()), num(x0), num(p.y), num(x1-x0), laneHeight, paintOf(st),
				esc(name), esc(st.String()), p.tl.g.bound(k), p.tl.g.bound(j))
			if x1-x0 >= labelMin {
				p.onLane(x0, x1, st.String())
			}
		}
	})
	p.share("run", l.total[sim.StateRunning]+l.total[sim.StateStarting])
	p.y += laneHeight + laneGap
	fmt.Fprintln(p.w, "</g>")
}

// axisHeight is the room the time axis takes below the lanes.
const axisHeight = 52

// axis draws light grid lines over the lanes at every tick, then the axis
// line, ticks and labels below them.
func (p *painter) axis(top, bottom float64) {
	end := p.tl.g.end
	step := niceStep(end, 10)
	y := bottom + 4
	fmt.Fprintln(p.w, `<g id="axis">`)
	fmt.Fprintf(p.w, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#000" stroke-width="1"/>`+"\n", plotLeft, num(y), plotLeft+plotWidth, num(y))
	for t := sim.Time(0); t <= end; t += step {
		x := plotLeft + float64(t)*plotWidth/float64(end)
		fmt.Fprintf(p.w, `<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000" stroke-opacity="0.25" stroke-dasharray="2 3"/>`+"\n",
			num(x), num(top), num(x), num(y))
		fmt.Fprintf(p.w, `<line class="tick" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000"/>`+"\n", num(x), num(y), num(x), num(y+6))
		fmt.Fprintf(p.w, `<text class="tick-label" x="%s" y="%s" text-anchor="middle" font-size="%d">%s</text>`+"\n",
			num(x), num(y+21), smallSize, esc(spacedLabel(t, step)))
	}
	fmt.Fprintf(p.w, `<text x="%d" y="%s" text-anchor="end" font-size="%d" fill="#333">virtual time since the start (%s)</text>`+"\n",
		plotLeft+plotWidth, num(y+40), smallSize, unitName(step))
	fmt.Fprintln(p.w, "</g>")
	p.y = bottom + axisHeight
}

// spacedLabel is an axis label with a space before its unit: "50 ms".
func spacedLabel(t, step sim.Time) string {
	l := axisLabel(t, step)
	if t == 0 {
		return "0"
	}
	i := strings.IndexFunc(l, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	return l[:i] + " " + l[i:]
}

// unitName is the unit the axis labels are in, in words.
func unitName(step sim.Time) string {
	switch {
	case step >= sim.Time(time.Second):
		return "seconds"
	case step >= sim.Time(time.Millisecond):
		return "milliseconds"
	case step >= sim.Time(time.Microsecond):
		return "microseconds"
	}
	return "nanoseconds"
}

// legendItems are the states the picture shows, in legend order.
func (p *painter) legendItems() []sim.State {
	var used [sim.NumStates]bool
	for _, l := range p.tl.threads {
		if l == nil {
			continue
		}
		for _, st := range l.cells {
			used[st] = true
		}
	}
	var out []sim.State
	for _, st := range legendOrder {
		if used[st] && drawn(st) {
			out = append(out, st)
		}
	}
	return out
}

const (
	legendRow    = 24
	legendColumn = 190
	legendPerRow = (svgWidth - 32) / legendColumn
)

func (p *painter) legendHeight(hasGIL bool) float64 {
	n := len(p.legendItems())
	h := float64((n+legendPerRow-1)/legendPerRow)*legendRow + legendRow
	if hasGIL {
		h += 2 * legendRow
	}
	return h + 8
}

func (p *painter) legend(hasGIL bool) {
	fmt.Fprintln(p.w, `<g id="legend">`)
	items := p.legendItems()
	for i, st := range items {
		x := 16 + float64(i%legendPerRow)*legendColumn
		y := p.y + float64(i/legendPerRow)*legendRow
		fmt.Fprintf(p.w, `<g class="legend-item" data-state="%s"><rect x="%s" y="%s" width="24" height="16" fill="%s" stroke="#333" stroke-width="0.5"/><text x="%s" y="%s">%s</text></g>`+"\n",
			esc(st.String()), num(x), num(y), paintOf(st), num(x+30), num(y+8+baseline), esc(st.String()))
	}
	p.y += float64((len(items)+legendPerRow-1)/legendPerRow) * legendRow
	note := "Each lane shows, at every point, the state the thread spent most of that moment in. Right: share of the run spent running"
	if hasGIL {
		note += " (for a GIL lane: held)"
	}
	fmt.Fprintf(p.w, `<text class="legend-note" x="16" y="%s">%s.</text>`+"\n", num(p.y+8+baseline), esc(note))
	p.y += legendRow
	if hasGIL {
		fmt.Fprintf(p.w, `<text class="legend-gil" x="16" y="%s">GIL lane: coloured and marked like the square by the name of the thread holding it; blank where it is free.</text>`+"\n", num(p.y+8+baseline))
		p.y += legendRow
		x := 16.0
		fmt.Fprintf(p.w, `<text class="legend-gil" x="%s" y="%s">Handoffs:</text>`+"\n", num(x), num(p.y+8+baseline))
		x += 80
		for _, hs := range []handoffStyle{markForced, markBlocked, markOther} {
			fmt.Fprintf(p.w, `<path class="legend-handoff" d="M%s %sL%s %sL%s %sZ" fill="%s" stroke="%s"/>`, num(x), num(p.y+3), num(x+9), num(p.y+3), num(x+4.5), num(p.y+13), hs.fill, hs.stroke)
			fmt.Fprintf(p.w, `<text x="%s" y="%s">%s</text>`+"\n", num(x+15), num(p.y+8+baseline), esc(hs.label))
			x += 15 + 7.2*float64(len(hs.label)) + 24
		}
		p.y += legendRow
	}
	fmt.Fprintln(p.w, "</g>")
}

// num formats a coordinate with at most two decimals.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

// esc escapes text for an XML element or a double-quoted attribute.
func esc(s string) string { return xmlEscaper.Replace(s) }
