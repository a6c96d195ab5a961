package export_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/sim/export"
)

// traceFile is the Chrome Trace Event Format document, as a viewer reads it.
type traceFile struct {
	TraceEvents     []traceEvent   `json:"traceEvents"`
	DisplayTimeUnit string         `json:"displayTimeUnit"`
	OtherData       map[string]any `json:"otherData"`
}

type traceEvent struct {
	Ph   string         `json:"ph"`
	Cat  string         `json:"cat"`
	Name string         `json:"name"`
	Pid  int            `json:"pid"`
	Tid  *int           `json:"tid"`
	Ts   *float64       `json:"ts"`
	Dur  *float64       `json:"dur"`
	S    string         `json:"s"`
	Args map[string]any `json:"args"`
}

// ns converts microseconds with three decimals back to nanoseconds.
func ns(us float64) sim.Time { return sim.Time(math.Round(us * 1000)) }

type track struct{ pid, tid int }

// perfettoRuns cover every kind of track and event: threads and processes,
// the three models, queues, an event loop's ready queue, locks, lost
// updates, exceptions and slow callbacks.
var perfettoRuns = []run{
	{id: "cpu-bound", model: sim.ModelPy3},
	{id: "cpu-bound", model: sim.ModelPy2, sets: []string{"count=150000"}},
	{id: "cpu-bound", model: sim.ModelFreeThreaded},
	{id: "cpu-bound", model: sim.ModelPy3, sets: []string{"use=processes"}},
	{id: "convoy", model: sim.ModelPy3, sets: []string{"requests=20"}},
	{id: "lock-contention", model: sim.ModelPy3, sets: []string{"iterations=10"}},
	{id: "counter-race", model: sim.ModelPy2, sets: []string{"increments=2000"}},
	{id: "counter-race", model: sim.ModelFreeThreaded, sets: []string{"increments=2000"}},
	{id: "process-queue", model: sim.ModelPy3},
	{id: "process-queue-fixed", model: sim.ModelPy3},
	{id: "asyncio-blocking", model: sim.ModelPy3},
	{id: "asyncio-nonblocking", model: sim.ModelPy3},
}

func TestPerfettoStructure(t *testing.T) {
	for _, r := range perfettoRuns {
		t.Run(r.String(), func(t *testing.T) {
			src := source(t, r)
			var buf bytes.Buffer
			if err := export.Perfetto(&buf, src, export.Options{Title: "test"}); err != nil {
				t.Fatal(err)
			}
			var f traceFile
			if err := json.Unmarshal(buf.Bytes(), &f); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			ref := finished(t, src)
			checkMetadata(t, ref, f)
			checkSlices(t, ref, f)
			checkCounters(t, ref, f)
			checkCounts(t, ref, f)
			if f.DisplayTimeUnit != "ms" || f.OtherData["title"] != "test" {
				t.Errorf("displayTimeUnit %q, otherData %v", f.DisplayTimeUnit, f.OtherData)
			}
		})
	}
}

// checkMetadata: every process and thread is named, sorted with the main
// thread first, and there is one GIL track per interpreter with a GIL.
func checkMetadata(t *testing.T, s *sim.Sim, f traceFile) {
	t.Helper()
	w := s.Workload()
	procNames := map[int]string{}
	threadNames := map[track]string{}
	sortIndex := map[track]float64{}
	procSort := map[int]bool{}
	for _, e := range f.TraceEvents {
		if e.Ph != "M" {
			continue
		}
		switch e.Name {
		case "process_name":
			procNames[e.Pid] = e.Args["name"].(string)
		case "process_sort_index":
			procSort[e.Pid] = true
		case "thread_name":
			threadNames[track{e.Pid, *e.Tid}] = e.Args["name"].(string)
		case "thread_sort_index":
			sortIndex[track{e.Pid, *e.Tid}] = e.Args["sort_index"].(float64)
		default:
			t.Errorf("unexpected metadata %q", e.Name)
		}
	}
	if len(procNames) != len(w.Procs) || len(procSort) != len(w.Procs) {
		t.Errorf("%d process names and %d sort indexes for %d processes", len(procNames), len(procSort), len(w.Procs))
	}
	for _, p := range w.Procs {
		found := false
		for _, n := range procNames {
			found = found || n == p.Name
		}
		if !found {
			t.Errorf("no process_name %q", p.Name)
		}
	}
	gils, mains := 0, map[int]bool{}
	for tr, name := range threadNames {
		if _, ok := sortIndex[tr]; !ok {
			t.Errorf("thread %q has no sort index", name)
		}
		if name == "GIL" {
			gils++
			if sortIndex[tr] != 1 {
				t.Errorf("GIL track of pid %d has sort index %v, want 1 (after the main thread)", tr.pid, sortIndex[tr])
			}
		}
		if tr.tid == tr.pid {
			mains[tr.pid] = true
			if sortIndex[tr] != 0 {
				t.Errorf("main thread %q has sort index %v, want 0", name, sortIndex[tr])
			}
		}
	}
	if want := len(w.Procs); !s.Config().Model.HasGIL() && gils != 0 || s.Config().Model.HasGIL() && gils != want {
		t.Errorf("%d GIL tracks under %s with %d processes", gils, s.Config().Model, want)
	}
	if len(mains) != len(w.Procs) {
		t.Errorf("%d processes have a thread whose tid is their pid, want all %d", len(mains), len(w.Procs))
	}
	if len(threadNames) != len(w.Threads)+gils {
		t.Errorf("%d named tracks, want %d threads and %d GIL tracks", len(threadNames), len(w.Threads), gils)
	}
	for _, e := range f.TraceEvents {
		if e.Ph == "M" {
			continue
		}
		if e.Tid == nil || e.Ts == nil {
			t.Fatalf("%s event %q without tid or ts", e.Ph, e.Name)
		}
		if _, ok := threadNames[track{e.Pid, *e.Tid}]; !ok {
			t.Errorf("%s event %q on an unnamed track %d/%d", e.Ph, e.Name, e.Pid, *e.Tid)
		}
	}
}

type slice struct {
	from, to sim.Time
	name     string
}

// checkSlices: on every track the complete events nest or follow one
// another, lie within the run, and a thread's slices add up to the time
// the engine says it was alive.
func checkSlices(t *testing.T, s *sim.Sim, f traceFile) {
	t.Helper()
	end := s.Now()
	byTrack := map[track][]slice{}
	names := map[track]string{}
	for _, e := range f.TraceEvents {
		switch e.Ph {
		case "M":
			if e.Name == "thread_name" {
				names[track{e.Pid, *e.Tid}] = e.Args["name"].(string)
			}
		case "X":
			if e.Dur == nil {
				t.Fatalf("X event %q without dur", e.Name)
			}
			sl := slice{ns(*e.Ts), ns(*e.Ts) + ns(*e.Dur), e.Name}
			if sl.from < 0 || sl.to > end || sl.to <= sl.from {
				t.Errorf("slice %q from %s to %s outside the run's [0, %s] or empty", e.Name, sl.from, sl.to, end)
			}
			byTrack[track{e.Pid, *e.Tid}] = append(byTrack[track{e.Pid, *e.Tid}], sl)
		case "B", "E":
			t.Errorf("unexpected %s event: the export writes complete events", e.Ph)
		}
	}
	for tr, sls := range byTrack {
		// Sort by start, the longer first, then check with a stack that
		// each slice either starts after the open one ends (it follows) or
		// ends within it (it nests).
		sort.SliceStable(sls, func(i, j int) bool {
			if sls[i].from != sls[j].from {
				return sls[i].from < sls[j].from
			}
			return sls[i].to > sls[j].to
		})
		var open []slice
		for _, sl := range sls {
			for len(open) > 0 && sl.from >= open[len(open)-1].to {
				open = open[:len(open)-1]
			}
			if len(open) > 0 && sl.to > open[len(open)-1].to {
				o := open[len(open)-1]
				t.Errorf("track %q: %q [%s, %s) overlaps %q [%s, %s)", names[tr], sl.name, sl.from, sl.to, o.name, o.from, o.to)
			}
			open = append(open, sl)
		}
	}
	// Each thread's state slices cover exactly the time the engine
	// credits to states other than new and done.
	m := s.Metrics()
	for _, tm := range m.Threads {
		var got sim.Time
		for tr, sls := range byTrack {
			if names[tr] != tm.Name || !threadOf(f, tr, int(tm.Proc)) {
				continue
			}
			for _, sl := range sls {
				got += sl.to - sl.from
			}
		}
		want := m.Elapsed - tm.States[sim.StateNew] - tm.States[sim.StateDone]
		if got != want {
			t.Errorf("%s: slices add up to %s, the engine says %s alive", tm.Name, got, want)
		}
	}
}

// threadOf reports whether track tr belongs to process p (pid p+1, as the
// processes are numbered in order).
func threadOf(f traceFile, tr track, p int) bool {
	for _, e := range f.TraceEvents {
		if e.Ph == "M" && e.Name == "process_name" && e.Pid == tr.pid {
			return tr.pid == p+1
		}
	}
	return false
}

// checkCounters: every counter track moves forward in time and never goes
// below zero; a GIL never has more waiters than threads.
func checkCounters(t *testing.T, s *sim.Sim, f traceFile) {
	t.Helper()
	last := map[string]sim.Time{}
	for _, e := range f.TraceEvents {
		if e.Ph != "C" {
			continue
		}
		key := fmt.Sprintf("%d/%s", e.Pid, e.Name)
		at := ns(*e.Ts)
		if prev, ok := last[key]; ok && at <= prev {
			t.Errorf("counter %s goes from %s back to %s", key, prev, at)
		}
		last[key] = at
		if len(e.Args) != 1 {
			t.Errorf("counter %s has %d series, want 1", key, len(e.Args))
		}
		for k, v := range e.Args {
			n, ok := v.(float64)
			if !ok || n < 0 || n != math.Trunc(n) {
				t.Errorf("counter %s %s = %v", key, k, v)
			}
			if e.Name == "GIL" && int(n) > len(s.Workload().Threads) {
				t.Errorf("%v GIL waiters with %d threads", n, len(s.Workload().Threads))
			}
		}
	}
}

// checkCounts checks the number of each kind of event against what the
// run traced, with the mapping Perfetto's doc comment states.
func checkCounts(t *testing.T, s *sim.Sim, f traceFile) {
	t.Helper()
	want := expectedCounts(s)
	got := map[string]int{}
	for _, e := range f.TraceEvents {
		switch e.Ph {
		case "X":
			got["X "+e.Cat]++
		case "i", "C":
			got[e.Ph]++
		}
	}
	for _, k := range []string{"X state", "X gil", "i", "C"} {
		if got[k] != want[k] {
			t.Errorf("%d %s events, the trace of %d events maps to %d", got[k], k, len(s.Trace()), want[k])
		}
	}
}

// expectedCounts derives from the run's whole trace how many events of
// each kind the export must hold:
//
//	X state: a stretch of positive length in one state (not new, done);
//	X gil:   a hold of positive length, from gil-acquire to gil-release,
//	         the holder entering done, the next acquire, or the end;
//	i:       one per drop-request, forced-switch, failed-wakeup, exception,
//	         lost-update and slow-callback;
//	C:       per counter, one per instant whose last value differs from
//	         the last one written, the first value (the GIL's and queues'
//	         zero at the start, a ready queue's first depth) always.
func expectedCounts(s *sim.Sim) map[string]int {
	w := s.Workload()
	end := s.Now()
	n := map[string]int{}
	alive := func(st sim.State) bool { return st != sim.StateNew && st != sim.StateDone }
	state := make([]sim.State, len(w.Threads))
	since := make([]sim.Time, len(w.Threads))
	holder := make([]int32, len(w.Procs))
	held := make([]sim.Time, len(w.Procs))
	for i := range holder {
		holder[i] = -1
	}
	release := func(p int32, at sim.Time) {
		if holder[p] >= 0 && at > held[p] {
			n["X gil"]++
		}
		holder[p] = -1
	}
	// Counters: the value after each event, keyed by counter, then
	// collapsed to one value per instant.
	type point struct {
		at sim.Time
		v  int64
	}
	series := map[string][]point{}
	waiting := make([]int64, len(w.Procs))
	hasGIL := s.Config().Model.HasGIL()
	if hasGIL {
		for p := range w.Procs {
			series[fmt.Sprint("gil", p)] = []point{{0, -1}, {0, 0}}
		}
	}
	for q := range w.Queues {
		series[fmt.Sprint("queue", q)] = []point{{0, -1}, {0, 0}}
	}
	for _, e := range s.Trace() {
		switch e.Kind {
		case sim.TraceState:
			if alive(state[e.Thread]) && e.At > since[e.Thread] {
				n["X state"]++
			}
			if state[e.Thread] == sim.StateWaitGIL {
				waiting[e.Proc]--
			}
			if e.State == sim.StateWaitGIL {
				waiting[e.Proc]++
			}
			state[e.Thread], since[e.Thread] = e.State, e.At
			if e.State == sim.StateDone && holder[e.Proc] == e.Thread {
				release(e.Proc, e.At)
			}
			if hasGIL {
				k := fmt.Sprint("gil", e.Proc)
				series[k] = append(series[k], point{e.At, waiting[e.Proc]})
			}
		case sim.TraceAcquire:
			release(e.Proc, e.At)
			holder[e.Proc], held[e.Proc] = e.Thread, e.At
		case sim.TraceRelease:
			release(e.Proc, e.At)
		case sim.TraceDropRequest, sim.TraceForcedSwitch, sim.TraceFailedWake, sim.TraceException,
			sim.TraceLostUpdate, sim.TraceSlowCallback:
			n["i"]++
		case sim.TracePut, sim.TraceGet:
			k := fmt.Sprint("queue", e.Obj)
			series[k] = append(series[k], point{e.At, e.Value})
		case sim.TraceReady:
			k := fmt.Sprint("ready", e.Thread)
			if series[k] == nil {
				series[k] = []point{{e.At, -1}} // the first value always counts
			}
			series[k] = append(series[k], point{e.At, e.Value})
		}
	}
	for i := range w.Threads {
		if alive(state[i]) && end > since[i] {
			n["X state"]++
		}
	}
	for p := range w.Procs {
		release(int32(p), end)
	}
	for _, pts := range series {
		// pts[0] is the nothing-written-yet mark, -1.
		written := pts[0].v
		for i := 1; i < len(pts); i++ {
			if i+1 < len(pts) && pts[i+1].at == pts[i].at {
				continue // a later change at the same instant wins
			}
			if pts[i].v != written {
				n["C"]++
				written = pts[i].v
			}
		}
	}
	return n
}
