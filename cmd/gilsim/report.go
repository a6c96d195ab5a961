package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// schemaVersion is the version of the JSON documents run and compare
// print. It changes only when a key is renamed or removed, or its meaning
// changes; adding a key keeps it.
const schemaVersion = 1

// limits are the guards of one run.
type limits struct {
	maxEvents uint64
	maxTime   time.Duration
}

// runReport is everything gilsim run prints about one run. It is also the
// JSON document of run --json, so the text and the JSON cannot drift apart;
// the schema is documented in the README.
type runReport struct {
	Schema        int             `json:"schema"`
	Scenario      string          `json:"scenario"`
	Title         string          `json:"title"`
	Summary       string          `json:"summary"`
	Sections      []string        `json:"sections"`
	Params        orderedObject   `json:"params"`
	Config        configReport    `json:"config"`
	Outcome       string          `json:"outcome"`
	Limits        limitsReport    `json:"limits"`
	Elapsed       sim.Time        `json:"elapsed_ns"`
	Events        uint64          `json:"events"`
	CPU           sim.Time        `json:"cpu_ns"`
	Utilisation   float64         `json:"cpu_utilisation"`
	Threads       []threadReport  `json:"threads"`
	GIL           gilReport       `json:"gil"`
	Requests      *requestsReport `json:"requests"`
	Queues        []queueReport   `json:"queues"`
	Locks         []lockReport    `json:"locks"`
	Variables     []varReport     `json:"variables"`
	Processes     []procReport    `json:"processes"`
	EventLoops    []loopReport    `json:"event_loops"`
	SlowCallbacks uint64          `json:"slow_callbacks"`
	Figures       figures         `json:"figures"`
	Partial       bool            `json:"figures_partial"`
	Console       []consoleReport `json:"console"`
	Blocked       []blockedReport `json:"blocked"`
	heading       string          // setup.describe()
	verdict       string          // the scenario's result in a sentence
	configValue   sim.Config      // what the run was made with
	metrics       sim.Metrics     // what the report was built from
}

type configReport struct {
	Model          string        `json:"model"`
	GIL            bool          `json:"gil"`
	Cores          int           `json:"cores"`
	SwitchInterval time.Duration `json:"switch_interval_ns"`
	CheckInterval  int           `json:"check_interval_ticks"`
	Successor      string        `json:"successor"`
	Seed           uint64        `json:"seed"`
	Platform       string        `json:"platform"`
}

type limitsReport struct {
	MaxEvents uint64        `json:"max_events"`
	MaxTime   time.Duration `json:"max_time_ns"`
}

type threadReport struct {
	ID        int32    `json:"id"`
	Name      string   `json:"name"`
	ProcessID int32    `json:"process_id"`
	Process   string   `json:"process"`
	CPU       sim.Time `json:"cpu_ns"`
	WaitGIL   sim.Time `json:"wait_gil_ns"`
	Blocked   sim.Time `json:"blocked_ns"`
	NoCore    sim.Time `json:"runnable_ns"`
	Inactive  sim.Time `json:"inactive_ns"`
}

type gilReport struct {
	Enabled        bool          `json:"enabled"`
	Handoffs       uint64        `json:"handoffs"`
	PerSecond      float64       `json:"handoffs_per_second"`
	ByReason       orderedObject `json:"handoffs_by_reason"`
	DropRequests   uint64        `json:"drop_requests"`
	ForcedSwitches uint64        `json:"forced_switches"`
	SwitchWaits    uint64        `json:"switch_waits"`
	FailedWakeups  uint64        `json:"failed_wakeups"`
	Signals        uint64        `json:"signals"`
	MeanWaiters    float64       `json:"mean_waiters"`
	MaxWaiters     int           `json:"max_waiters"`
	Py2Overhead    sim.Time      `json:"py2_overhead_ns"`
	byReason       [sim.NumReasons]uint64
}

type requestsReport struct {
	Count     int      `json:"count"`
	Mean      sim.Time `json:"mean_ns"`
	Min       sim.Time `json:"min_ns"`
	P50       sim.Time `json:"p50_ns"`
	P90       sim.Time `json:"p90_ns"`
	P99       sim.Time `json:"p99_ns"`
	Max       sim.Time `json:"max_ns"`
	PerSecond float64  `json:"per_second"`
}

type queueReport struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	HighWater int    `json:"high_water"`
	Puts      uint64 `json:"puts"`
	Gets      uint64 `json:"gets"`
	Left      int    `json:"left"`
}

type lockReport struct {
	Name      string `json:"name"`
	Acquires  uint64 `json:"acquires"`
	Contended uint64 `json:"contended"`
}

type varReport struct {
	Name        string `json:"name"`
	Initial     int64  `json:"initial"`
	Final       int64  `json:"final"`
	LostUpdates int64  `json:"lost_updates"`
}

type procReport struct {
	ID          int32    `json:"id"`
	Name        string   `json:"name"`
	StartMethod *string  `json:"start_method"`
	Started     bool     `json:"started"`
	Start       sim.Time `json:"start_ns"`
	Ready       sim.Time `json:"ready_ns"`
	Exited      bool     `json:"exited"`
	Exit        sim.Time `json:"exit_ns"`
	ExitCode    int      `json:"exit_code"`
	Exception   string   `json:"exception"`
	Handoffs    int      `json:"gil_handoffs"`
	MaxWaiters  int      `json:"max_gil_waiters"`
	MeanWaiters float64  `json:"mean_gil_waiters"`
}

type loopReport struct {
	Thread         int32    `json:"thread"`
	ThreadName     string   `json:"thread_name"`
	Iterations     uint64   `json:"iterations"`
	ReadyHighWater int      `json:"ready_high_water"`
	MaxLate        sim.Time `json:"max_late_ns"`
}

type consoleReport struct {
	At        sim.Time `json:"at_ns"`
	Thread    int32    `json:"thread"`
	Name      string   `json:"thread_name"`
	ProcessID int32    `json:"process_id"`
	Text      string   `json:"text"`
	Stderr    bool     `json:"stderr"`
}

type blockedReport struct {
	Thread   int32  `json:"thread"`
	Name     string `json:"name"`
	Process  string `json:"process"`
	State    string `json:"state"`
	WaitsFor string `json:"waits_for"`
}

// figure is one of the scenario's own results. A figure whose value is a
// time is a duration in the JSON (key suffix _ns, integer nanoseconds).
type figure struct {
	Key, Label, Text string
	Number           float64
	Time             bool
}

// figures marshal as one JSON object in the scenario's order.
type figures []figure

// newFigures converts a run's figures. A run that did not finish keeps
// only its live ones, which mean something before the end (a count so far);
// the others assume the whole program ran, and would read as results it
// never reached (a parallelism above the core count, say).
func newFigures(fs []scenarios.Figure, finished bool) figures {
	out := make(figures, 0, len(fs))
	for _, f := range fs {
		if !finished && !f.Live {
			continue
		}
		out = append(out, figure{Key: f.Key, Label: f.Label, Text: f.Value, Number: f.Number, Time: f.Unit == scenarios.UnitSeconds})
	}
	return out
}

// jsonKey is the figure's key in the JSON document.
func (f figure) jsonKey() string {
	if f.Time {
		return f.Key + "_ns"
	}
	return f.Key
}

// jsonValue is the figure's value in the JSON document.
func (f figure) jsonValue() any {
	if f.Time {
		return int64(math.Round(f.Number * 1e9))
	}
	if math.IsNaN(f.Number) || math.IsInf(f.Number, 0) {
		return nil
	}
	return f.Number
}

func (fs figures) MarshalJSON() ([]byte, error) {
	o := make(orderedObject, 0, len(fs))
	for _, f := range fs {
		o = append(o, member{f.jsonKey(), f.jsonValue()})
	}
	return o.MarshalJSON()
}

// member is one key and value of an orderedObject.
type member struct {
	Key   string
	Value any
}

// orderedObject is a JSON object whose keys keep the order they were
// added in (encoding/json sorts a map's keys), so that parameters and
// reasons read in the order gilsim shows them.
type orderedObject []member

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(m.Key)
		if err != nil {
			return nil, err
		}
		v, err := marshal(m.Value)
		if err != nil {
			return nil, fmt.Errorf("marshal %s: %w", m.Key, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping: the documents are read by
// people and programs, never embedded in HTML, and Python's reprs are full
// of < and > ("<Task finished ...>").
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// simulate runs s to the end with the trace off (only the totals are
// needed) under the given guards and reports the run.
func simulate(s setup, lim limits) (*runReport, error) {
	cfg := s.config
	cfg.Trace = false
	cfg.MaxEvents = lim.maxEvents
	cfg.MaxTime = lim.maxTime
	run, err := s.values.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("simulate %s: %w", s.scenario.ID, err)
	}
	run.Run()
	return newRunReport(s, run, lim), nil
}

// newRunReport builds the report of a run that has ended.
func newRunReport(s setup, run *sim.Sim, lim limits) *runReport {
	m := run.Metrics()
	w := run.Workload()
	cfg := run.Config()
	r := &runReport{
		Schema:   schemaVersion,
		Scenario: s.scenario.ID,
		Title:    s.scenario.Title,
		Summary:  s.scenario.Summary,
		Sections: nonNil(s.scenario.Sections),
		Config: configReport{Model: cfg.Model.String(), GIL: cfg.Model.HasGIL(), Cores: cfg.Cores,
			SwitchInterval: cfg.SwitchInterval, CheckInterval: cfg.CheckInterval, Successor: cfg.Successor.String(), Seed: cfg.Seed,
			Platform: s.platformName()},
		Outcome:       m.Outcome.String(),
		Limits:        limitsReport{MaxEvents: lim.maxEvents, MaxTime: lim.maxTime},
		Elapsed:       m.Elapsed,
		Events:        m.Events,
		CPU:           m.CPU,
		Utilisation:   m.Utilisation,
		SlowCallbacks: m.SlowCallbacks,
		Figures:       newFigures(s.values.Figures(m), m.Outcome == sim.OutcomeCompleted),
		Partial:       m.Outcome != sim.OutcomeCompleted,
		heading:       s.describe(),
		verdict:       s.values.Verdict(m),
		configValue:   cfg,
		metrics:       m,
	}
	for _, p := range s.scenario.Params {
		r.Params = append(r.Params, member{p.Name, s.values.Get(p.Name)})
	}
	if r.Params == nil {
		r.Params = orderedObject{}
	}
	procName := func(i int32) string {
		if i >= 0 && int(i) < len(w.Procs) {
			return w.Procs[i].Name
		}
		return "?"
	}
	r.Threads = make([]threadReport, 0, len(m.Threads))
	threadProc := make(map[int32]string, len(m.Threads))
	for _, t := range m.Threads {
		threadProc[t.ID] = procName(t.Proc)
		r.Threads = append(r.Threads, threadReport{ID: t.ID, Name: run.ThreadName(t.ID), ProcessID: t.Proc, Process: procName(t.Proc),
			CPU: t.CPU, WaitGIL: t.WaitGIL, Blocked: t.Blocked, NoCore: t.NoCore, Inactive: t.Inactive})
	}
	g := m.GIL
	r.GIL = gilReport{Enabled: cfg.Model.HasGIL(), Handoffs: g.Handoffs, PerSecond: g.PerSecond,
		DropRequests: g.DropRequests, ForcedSwitches: g.ForcedSwitches, SwitchWaits: g.SwitchWaits, FailedWakeups: g.FailedWakeups,
		Signals: g.Signals, MeanWaiters: g.MeanWaiters, MaxWaiters: g.MaxWaiters, Py2Overhead: g.Py2Overhead,
		byReason: g.ByReason, ByReason: orderedObject{}}
	for reason := sim.Reason(1); int(reason) < sim.NumReasons; reason++ {
		r.GIL.ByReason = append(r.GIL.ByReason, member{snake(reason.String()), g.ByReason[reason]})
	}
	if q := m.Requests; q.Count > 0 {
		r.Requests = &requestsReport{Count: q.Count, Mean: q.Mean, Min: q.Min, P50: q.P50, P90: q.P90, P99: q.P99,
			Max: q.Max, PerSecond: q.PerSecond}
	}
	r.Queues = make([]queueReport, 0, len(m.Queues))
	for _, q := range m.Queues {
		r.Queues = append(r.Queues, queueReport{Name: q.Name, Kind: q.Kind.String(), HighWater: q.HighWater,
			Puts: q.Puts, Gets: q.Gets, Left: q.Left})
	}
	r.Locks = make([]lockReport, 0, len(m.Locks))
	for _, l := range m.Locks {
		r.Locks = append(r.Locks, lockReport{Name: l.Name, Acquires: l.Acquires, Contended: l.Contended})
	}
	r.Variables = make([]varReport, 0, len(m.Vars))
	for _, v := range m.Vars {
		r.Variables = append(r.Variables, varReport{Name: v.Name, Initial: v.Init, Final: v.Final, LostUpdates: v.LostUpdates})
	}
	r.Processes = make([]procReport, 0, len(m.Procs))
	for i, p := range m.Procs {
		pr := procReport{ID: int32(i), Name: p.Name, Started: p.Started, Start: p.Start, Ready: p.Ready,
			Exited: p.Exited, Exit: p.Exit, ExitCode: p.ExitCode, Exception: p.Exception, Handoffs: p.Handoffs, MaxWaiters: p.MaxWaiters,
			MeanWaiters: p.MeanWaiters}
		if i > 0 {
			// The main process is the interpreter gilsim starts; only
			// children have a start method.
			method := p.StartMethod.String()
			pr.StartMethod = &method
		}
		r.Processes = append(r.Processes, pr)
	}
	r.EventLoops = make([]loopReport, 0, len(m.Loops))
	for _, l := range m.Loops {
		r.EventLoops = append(r.EventLoops, loopReport{Thread: l.Thread, ThreadName: run.ThreadName(l.Thread),
			Iterations: l.Iterations, ReadyHighWater: l.ReadyHighWater, MaxLate: l.MaxLate})
	}
	snap := run.Snapshot()
	r.Console = make([]consoleReport, 0, len(snap.Console))
	for _, c := range snap.Console {
		r.Console = append(r.Console, consoleReport{At: c.At, Thread: c.Thread, Name: run.ThreadName(c.Thread),
			ProcessID: c.Proc, Text: c.Text, Stderr: c.Stderr})
	}
	r.Blocked = make([]blockedReport, 0, len(m.Blocked))
	for _, b := range m.Blocked {
		r.Blocked = append(r.Blocked, blockedReport{Thread: b.Thread, Name: run.ThreadName(b.Thread), Process: threadProc[b.Thread],
			State: b.State.String(), WaitsFor: b.WaitsFor})
	}
	return r
}

// snake turns an enum name into a JSON key: "check-interval" is
// "check_interval".
func snake(name string) string { return strings.ReplaceAll(name, "-", "_") }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeJSON prints v as one indented JSON document.
func writeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// count writes n with commas between thousands, for people.
func count[T ~int | ~int64 | ~uint64](n T) string {
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
		n = -n
	}
	s := strconv.FormatUint(uint64(n), 10)
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
