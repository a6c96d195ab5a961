package export_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/sim/export"
)

// element is one parsed SVG element with its text and children.
type element struct {
	name     string
	attr     map[string]string
	text     string
	children []*element
}

func parseSVG(t *testing.T, data []byte) *element {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*element
	var root *element
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &element{name: tok.Name.Local, attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.attr[a.Name.Local] = a.Value
			}
			if tok.Name.Local == "svg" && tok.Name.Space != "http://www.w3.org/2000/svg" {
				t.Errorf("svg element in namespace %q", tok.Name.Space)
			}
			if len(stack) > 0 {
				stack[len(stack)-1].children = append(stack[len(stack)-1].children, e)
			} else if root == nil {
				root = e
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	if root == nil || root.name != "svg" {
		t.Fatal("no svg root element")
	}
	return root
}

// all returns every element under e (e included) that match accepts.
func (e *element) all(match func(*element) bool) []*element {
	var out []*element
	if match(e) {
		out = append(out, e)
	}
	for _, c := range e.children {
		out = append(out, c.all(match)...)
	}
	return out
}

func hasClass(c string) func(*element) bool {
	return func(e *element) bool {
		for _, f := range strings.Fields(e.attr["class"]) {
			if f == c {
				return true
			}
		}
		return false
	}
}

func (e *element) allText() string {
	s := e.text
	for _, c := range e.children {
		s += c.allText()
	}
	return s
}

func attrNum(t *testing.T, e *element, name string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(e.attr[name], 64)
	if err != nil {
		t.Fatalf("<%s> %s=%q is not a number", e.name, name, e.attr[name])
	}
	return f
}

func TestSVGStructure(t *testing.T) {
	for _, r := range []run{
		{id: "cpu-bound", model: sim.ModelPy3},
		{id: "cpu-bound", model: sim.ModelFreeThreaded},
		{id: "convoy", model: sim.ModelPy3, sets: []string{"requests=20"}},
		{id: "process-queue-fixed", model: sim.ModelPy3},
		{id: "lock-contention", model: sim.ModelPy2, sets: []string{"iterations=10"}},
	} {
		t.Run(r.String(), func(t *testing.T) {
			src := source(t, r)
			var buf bytes.Buffer
			title := "Test <run> & " + r.String()
			if err := export.SVG(&buf, src, export.Options{Title: title}); err != nil {
				t.Fatal(err)
			}
			ref := finished(t, src)
			w := ref.Workload()
			root := parseSVG(t, buf.Bytes())
			checkSelfContained(t, root)
			width, height := attrNum(t, root, "width"), attrNum(t, root, "height")
			for _, e := range root.all(func(e *element) bool { return e.attr["y"] != "" }) {
				if y := attrNum(t, e, "y"); y < 0 || y > height {
					t.Errorf("<%s> %q at y=%v, outside the picture's height %v", e.name, e.allText(), y, height)
				}
			}

			titles := root.all(hasClass("title"))
			var heading string
			for _, e := range titles {
				heading += e.text
			}
			if heading != title {
				t.Errorf("title %q, want %q", heading, title)
			}
			subtitle := ""
			for _, e := range root.all(hasClass("subtitle")) {
				subtitle += e.text + " "
			}
			if !strings.Contains(subtitle, "elapsed "+ref.Now().String()) {
				t.Errorf("subtitle %q does not give the elapsed time %s", subtitle, ref.Now())
			}

			// Lanes: one per thread, one GIL lane per interpreter with a GIL.
			threads := root.all(hasClass("thread"))
			if len(threads) != len(w.Threads) {
				t.Errorf("%d thread lanes for %d threads", len(threads), len(w.Threads))
			}
			for i, lane := range threads {
				if lane.attr["data-thread"] != w.Threads[i].Name {
					t.Errorf("lane %d is %q, want %q", i, lane.attr["data-thread"], w.Threads[i].Name)
				}
			}
			gils := root.all(hasClass("gil"))
			if want := len(w.Procs); ref.Config().Model.HasGIL() != (len(gils) == want) || !ref.Config().Model.HasGIL() && len(gils) > 0 {
				t.Errorf("%d GIL lanes under %s with %d processes", len(gils), ref.Config().Model, want)
			}
			m := ref.Metrics()
			marks := root.all(hasClass("handoff"))
			if m.GIL.Handoffs > 0 && len(marks) == 0 || len(marks) > int(m.GIL.Handoffs) {
				t.Errorf("%d handoff marks for %d handoffs", len(marks), m.GIL.Handoffs)
			}

			// State runs stay inside the plot, and every state drawn is in
			// the legend.
			axisLine := root.all(func(e *element) bool { return e.name == "line" && e.attr["class"] == "" })
			if len(axisLine) != 1 {
				t.Fatalf("%d axis lines, want 1", len(axisLine))
			}
			left, right := attrNum(t, axisLine[0], "x1"), attrNum(t, axisLine[0], "x2")
			if left <= 0 || right > width || right-left < width/2 {
				t.Errorf("axis from %v to %v in a picture %v wide", left, right, width)
			}
			drawn := map[string]bool{}
			for _, e := range root.all(hasClass("state")) {
				x, dx := attrNum(t, e, "x"), attrNum(t, e, "width")
				if x < left-0.01 || x+dx > right+0.01 || dx <= 0 {
					t.Errorf("state run from %v to %v outside the plot [%v, %v]", x, x+dx, left, right)
				}
				drawn[e.attr["data-state"]] = true
			}
			legend := map[string]bool{}
			for _, e := range root.all(hasClass("legend-item")) {
				legend[e.attr["data-state"]] = true
				if !strings.Contains(e.allText(), e.attr["data-state"]) {
					t.Errorf("legend item for %q reads %q", e.attr["data-state"], e.allText())
				}
			}
			if len(drawn) == 0 {
				t.Error("no state drawn")
			}
			for st := range drawn {
				if !legend[st] {
					t.Errorf("state %q is drawn but not in the legend", st)
				}
			}
			for st := range legend {
				if !drawn[st] {
					t.Errorf("state %q is in the legend but never drawn", st)
				}
			}
			if ref.Config().Model.HasGIL() && len(root.all(hasClass("legend-handoff"))) != 3 {
				t.Error("the legend does not explain the three kinds of handoff mark")
			}

			// The axis: ticks from 0, with a unit, within the plot.
			ticks := root.all(hasClass("tick-label"))
			if len(ticks) < 3 || ticks[0].text != "0" {
				t.Fatalf("axis labels %v, want at least three starting at 0", texts(ticks))
			}
			unit := strings.Fields(ticks[1].text)
			if len(unit) != 2 || !strings.HasSuffix(unit[1], "s") {
				t.Errorf("axis label %q has no unit", ticks[1].text)
			}
			for _, e := range ticks {
				if x := attrNum(t, e, "x"); x < left-0.01 || x > right+0.01 {
					t.Errorf("tick %q at %v outside the plot", e.text, x)
				}
			}
		})
	}
}

func texts(es []*element) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.text)
	}
	return out
}

// checkSelfContained: no script, no external reference, generic fonts.
func checkSelfContained(t *testing.T, root *element) {
	t.Helper()
	for _, e := range root.all(func(*element) bool { return true }) {
		switch e.name {
		case "script", "image", "foreignObject", "style", "use":
			t.Errorf("the picture has a <%s> element", e.name)
		}
		for k, v := range e.attr {
			if k == "href" || strings.HasPrefix(k, "on") {
				t.Errorf("<%s> has %s=%q", e.name, k, v)
			}
			if strings.Contains(v, "url(") && !strings.HasPrefix(v, "url(#") {
				t.Errorf("<%s> %s=%q refers outside the document", e.name, k, v)
			}
			if k == "font-family" && v != "sans-serif" && v != "monospace" && v != "serif" {
				t.Errorf("font-family %q is not a generic family", v)
			}
		}
	}
}

// TestSVGManyThreads: past the lane limit, the picture says how many
// threads it leaves out.
func TestSVGManyThreads(t *testing.T) {
	src := source(t, run{id: "cpu-bound", model: sim.ModelPy3, sets: []string{"threads=80", "count=30000"}})
	var buf bytes.Buffer
	if err := export.SVG(&buf, src, export.Options{}); err != nil {
		t.Fatal(err)
	}
	root := parseSVG(t, buf.Bytes())
	lanes := len(root.all(hasClass("thread")))
	if lanes >= 81 || !strings.Contains(root.allText(), "and "+strconv.Itoa(81-lanes)+" more threads") {
		t.Errorf("%d of 81 thread lanes drawn, and no note of the %d left out", lanes, 81-lanes)
	}
}

// TestSVGManyProcesses: the lane limit covers the processes' GIL lanes
// too, so that a run of many processes makes a picture of a few pages at
// most, which says how many processes and threads it leaves out.
func TestSVGManyProcesses(t *testing.T) {
	for _, model := range []sim.Model{sim.ModelPy3, sim.ModelFreeThreaded} {
		src := source(t, run{id: "cpu-bound", model: model, sets: []string{"threads=200", "use=processes", "count=3000"}})
		s := finished(t, src)
		var buf bytes.Buffer
		if err := export.SVG(&buf, src, export.Options{}); err != nil {
			t.Fatal(err)
		}
		root := parseSVG(t, buf.Bytes())
		threads, gils := len(root.all(hasClass("thread"))), len(root.all(hasClass("gil")))
		if threads+gils > 64 || threads == 0 {
			t.Errorf("%s: %d thread lanes and %d GIL lanes, want 64 lanes at most", model, threads, gils)
		}
		if model.HasGIL() != (gils > 0) || gils > threads {
			t.Errorf("%s: %d GIL lanes for %d thread lanes", model, gils, threads)
		}
		w := s.Workload()
		want := "more processes and " + strconv.Itoa(len(w.Threads)-threads) + " more threads, not drawn"
		if model.HasGIL() {
			// Every process drawn has its GIL lane.
			want = strconv.Itoa(len(w.Procs)-gils) + " " + want
		}
		if !strings.Contains(root.allText(), want) {
			t.Errorf("%s: no note %q", model, want)
		}
		if h, err := strconv.Atoi(root.attr["height"]); err != nil || h > 4000 {
			t.Errorf("%s: the picture is %s px tall (%v)", model, root.attr["height"], err)
		}
	}
}
