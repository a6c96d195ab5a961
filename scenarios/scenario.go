// Package scenarios holds gilsim's built-in scenarios: every code example
// of the source article and the article's central claims about the GIL,
// each as Python source, a simulated workload, its parameters and what to
// notice; and, as data, what each teaches: the article sections it shows
// (with the settings that give each one's code), the pace to play it at,
// the moments of a run that teach (lessons, found by a Watch) and the
// verdict of a run in one sentence.
package scenarios

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// Kind is the type of a parameter's value.
type Kind uint8

const (
	// Int is a whole number between Min and Max.
	Int Kind = iota
	// Duration is a Go duration such as 5ms or 250us.
	Duration
	// Bool is true or false.
	Bool
	// Choice is one of Choices.
	Choice
	// Float is a number, such as 0.5 or 1e-3.
	Float
	// Text is any text.
	Text
)

var kindNames = [...]string{Int: "int", Duration: "duration", Bool: "bool", Choice: "choice", Float: "float", Text: "text"}

func (k Kind) String() string { return kindNames[k] }

// Param is one parameter a scenario accepts with --set key=value.
type Param struct {
	Name    string
	Kind    Kind
	Default string
	Help    string
	// Min and Max bound Int values, and Duration values in nanoseconds.
	Min, Max int64
	Choices  []string
}

// Accepts describes the accepted values in words, for error messages and help.
func (p Param) Accepts() string {
	switch p.Kind {
	case Int:
		return fmt.Sprintf("a whole number from %d to %d", p.Min, p.Max)
	case Duration:
		return fmt.Sprintf("a duration from %s to %s, such as 5ms or 250us", span(time.Duration(p.Min)), span(time.Duration(p.Max)))
	case Bool:
		return "true or false"
	case Float:
		return "a number, such as 0.5 or 1e-3"
	case Text:
		return "any text"
	default:
		return "one of " + strings.Join(p.Choices, ", ")
	}
}

// Figure is a result a scenario reports besides the common metrics: a
// latency, a lost-update count, a queue's high-water mark.
type Figure struct {
	// Key names the figure in JSON output ("p99_latency").
	Key string
	// Label names it for people ("p99 latency").
	Label string
	// Value is the figure formatted with its unit.
	Value string
	// Number is the figure as a number (seconds for times).
	Number float64
	// Live says the figure means something before the run ends: a count,
	// a rate or a percentile of what has happened so far. A figure
	// measured against the planned total (an overlap, a parallelism) or
	// named for the end (a final value) is only true once the run is over.
	Live bool
	// Unit is what Number measures.
	Unit Unit
}

// Unit is what a figure's Number measures, whatever its text looks like.
type Unit uint8

const (
	// UnitCount: a number of things (updates, items, acquires).
	UnitCount Unit = iota
	// UnitSeconds: a time, in seconds.
	UnitSeconds
	// UnitRatio: one quantity over another, such as a speedup ("3.98x").
	UnitRatio
	// UnitShare: a fraction from 0 to 1, shown as a percentage.
	UnitShare
	// UnitRate: a number per second.
	UnitRate
	numUnits
)

var unitNames = [numUnits]string{UnitCount: "count", UnitSeconds: "seconds", UnitRatio: "ratio", UnitShare: "share", UnitRate: "per second"}

func (u Unit) String() string {
	if u >= numUnits {
		return fmt.Sprintf("unit(%d)", u)
	}
	return unitNames[u]
}

// Scenario is one built-in scenario.
type Scenario struct {
	// ID is the name used on the command line ("cpu-bound").
	ID string
	// Sections are the numbers of the article sections it comes from
	// ("3.1.1", "4.1"), each also accepted as an alias for ID; empty for
	// the concept scenarios. For the built-in scenarios they are the
	// numbers of ArticleSections, filled in from them.
	Sections []string
	// ArticleSections are those sections with their headings and the
	// settings that give each one's code.
	ArticleSections []Section
	// Title is a few words for headers.
	Title string
	// Summary is the one line gilsim list shows.
	Summary string
	// Notice says what to watch for, in a few sentences.
	Notice string
	// Params lists the parameters with their defaults.
	Params []Param
	// Processes names the value of the "use" parameter that runs the
	// workload in processes instead of threads; empty when the scenario has
	// no processes variant.
	Processes string
	// Pace is how fast the player shows the scenario at first.
	Pace Pace

	// build makes the workload of a run under GIL model m: a Python
	// program is compiled as the version m stands for (see Version).
	build func(v Values, m sim.Model) sim.Workload
	// validate, if set, checks values that each parameter accepts on its
	// own but the scenario cannot run (a program that fails to compile
	// with them).
	validate func(v Values) error
	// py, for a scenario written in Python, says how its parameters
	// reach its programs.
	py *pyBinding
	// version, if set, names the CPython version a run under GIL model m
	// is compiled as.
	version func(v Values, m sim.Model) string
	// model, if set, is the GIL model the values imply (Python 2.7's old
	// GIL), used unless the command line names one; false when they
	// imply none.
	model   func(v Values) (sim.Model, bool)
	figures func(v Values, m sim.Metrics) []Figure
	// verdict says the result of a completed run in one sentence, from
	// the figures of the run (fs) and its metrics.
	verdict func(v Values, m sim.Metrics, fs figureSet) string
	lessons []*Lesson
}

// Pace is how the player shows a scenario at first: how fast virtual time
// passes and how much of it a column of the timeline stands for. Both lie
// on a 1-2-5 ladder, so that the player's speed keys step from them.
type Pace struct {
	// Speed is the virtual time played per second of wall time.
	Speed time.Duration
	// Zoom is the virtual time one timeline column stands for.
	Zoom time.Duration
}

// Speeds and Zooms are the ladders a Pace lies on, and the player's speed
// and zoom keys step along: 1, 2, 5, 10, 20, 50... from 1µs to 5s of
// virtual time per second of play, and from 100ns to 1s a column.
var (
	Speeds = ladder125(time.Microsecond, 5*time.Second)
	Zooms  = ladder125(100*time.Nanosecond, time.Second)
)

// ladder125 lists the durations 1, 2, 5, 10, 20, 50... from lo to hi.
func ladder125(lo, hi time.Duration) []time.Duration {
	var out []time.Duration
	for d := lo; d <= hi; d *= 10 {
		for _, m := range []time.Duration{1, 2, 5} {
			if d*m <= hi {
				out = append(out, d*m)
			}
		}
	}
	return out
}

// Values are a scenario's parameter values, every one present and valid.
type Values struct {
	sc *Scenario
	m  map[string]string
	// sec is the article section v was chosen by, or "".
	sec string
}

// ErrUnknownScenario is returned by Lookup for a name that is neither an
// id nor an article section.
var ErrUnknownScenario = errors.New("unknown scenario")

// ErrBadParam is returned by Parse and Set for an unknown parameter or a
// value it does not accept.
var ErrBadParam = errors.New("bad parameter")

// Lookup finds a scenario by id (in any case) or article section.
func Lookup(name string) (*Scenario, error) {
	var names []string
	for _, s := range registry {
		if strings.EqualFold(s.ID, name) || slices.Contains(s.Sections, name) {
			return s, nil
		}
		names = append(append(names, s.ID), s.Sections...)
	}
	return nil, fmt.Errorf("%w %q (%saccepted: %s; or an article section such as 3.1.2, or a Python file such as prog.py)",
		ErrUnknownScenario, name, didYouMean(name, names), strings.Join(IDs(), ", "))
}

// All returns every scenario in the order gilsim lists them.
func All() []*Scenario { return slices.Clone(registry) }

// IDs returns every scenario id.
func IDs() []string {
	ids := make([]string, len(registry))
	for i, s := range registry {
		ids[i] = s.ID
	}
	return ids
}

// Param returns the parameter called name, in any case.
func (s *Scenario) Param(name string) (Param, bool) {
	for _, p := range s.Params {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Param{}, false
}

// ParamNames returns the names of the scenario's parameters.
func (s *Scenario) ParamNames() []string {
	names := make([]string, len(s.Params))
	for i, p := range s.Params {
		names[i] = p.Name
	}
	return names
}

// Defaults returns the scenario's default values.
func (s *Scenario) Defaults() Values {
	v := Values{sc: s, m: make(map[string]string, len(s.Params))}
	for _, p := range s.Params {
		v.m[p.Name] = p.Default
	}
	return v
}

// Parse returns the defaults overridden by settings of the form key=value.
func (s *Scenario) Parse(settings []string) (Values, error) {
	v := s.Defaults()
	for _, kv := range settings {
		key, val, ok := strings.Cut(kv, "=")
		if !ok {
			return Values{}, fmt.Errorf("%w: %q is not key=value (parameters of %s: %s)", ErrBadParam, kv, s.ID, strings.Join(s.ParamNames(), ", "))
		}
		var err error
		if v, err = v.Set(strings.TrimSpace(key), strings.TrimSpace(val)); err != nil {
			return Values{}, err
		}
	}
	if s.validate != nil {
		if err := s.validate(v); err != nil {
			return Values{}, err
		}
	}
	return v, nil
}

// Model returns the GIL model v implies, and false when v implies none.
func (v Values) Model() (sim.Model, bool) {
	if v.sc.model == nil {
		return 0, false
	}
	return v.sc.model(v)
}

// Version returns the CPython version a run of v under GIL model m is
// simulated as ("3.12", or "2.7" for auto under py2), or "" when v's
// scenario is not a Python program.
func (v Values) Version(m sim.Model) string {
	if v.sc.version == nil {
		return ""
	}
	return v.sc.version(v, m)
}

// Set returns a copy of v with parameter key set to val.
func (v Values) Set(key, val string) (Values, error) {
	s := v.sc
	p, ok := s.Param(key)
	if !ok {
		names := s.ParamNames()
		if len(names) == 0 {
			return Values{}, fmt.Errorf("%w: %s takes no parameters, got %q", ErrBadParam, s.ID, key)
		}
		return Values{}, fmt.Errorf("%w: %s has no parameter %q (%saccepted: %s)", ErrBadParam, s.ID, key, didYouMean(key, names), strings.Join(names, ", "))
	}
	canon, err := p.check(val)
	if err != nil {
		hint := ""
		if first, more, ok := strings.Cut(val, ","); ok && strings.Contains(more, "=") {
			hint = "; give one key=value per --set, as --set " + p.Name + "=" + first + " --set " + strings.TrimSpace(more)
		}
		return Values{}, fmt.Errorf("%w: %s=%q: expected %s%s", ErrBadParam, p.Name, val, p.Accepts(), hint)
	}
	c := Values{sc: s, m: make(map[string]string, len(v.m)), sec: v.sec}
	for k, x := range v.m {
		c.m[k] = x
	}
	c.m[p.Name] = canon
	return c, nil
}

func (p Param) check(val string) (string, error) {
	switch p.Kind {
	case Int:
		n, err := strconv.ParseInt(strings.ReplaceAll(val, "_", ""), 10, 64)
		if err != nil || n < p.Min || n > p.Max {
			return "", ErrBadParam
		}
		return strconv.FormatInt(n, 10), nil
	case Duration:
		// Units are lower case; 5MS can only mean 5ms.
		d, err := time.ParseDuration(strings.ToLower(val))
		if err != nil || int64(d) < p.Min || int64(d) > p.Max {
			return "", ErrBadParam
		}
		return d.String(), nil
	case Bool:
		b, err := strconv.ParseBool(val)
		if err != nil {
			return "", ErrBadParam
		}
		return strconv.FormatBool(b), nil
	case Float:
		f, err := strconv.ParseFloat(strings.ReplaceAll(val, "_", ""), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return "", ErrBadParam
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	case Text:
		return val, nil
	default:
		for _, c := range p.Choices {
			if strings.EqualFold(c, val) {
				return c, nil
			}
		}
		return "", ErrBadParam
	}
}

// Scenario returns the scenario the values belong to.
func (v Values) Scenario() *Scenario { return v.sc }

// Get returns a value in its canonical text form.
func (v Values) Get(key string) string { return v.m[key] }

// Int returns an Int parameter.
func (v Values) Int(key string) int {
	n, _ := strconv.Atoi(v.m[key])
	return n
}

// Duration returns a Duration parameter.
func (v Values) Duration(key string) time.Duration {
	d, _ := time.ParseDuration(v.m[key])
	return d
}

// Bool returns a Bool parameter.
func (v Values) Bool(key string) bool { return v.m[key] == "true" }

// Settings returns the values that differ from the defaults as key=value,
// in parameter order.
func (v Values) Settings() []string {
	var out []string
	for _, p := range v.sc.Params {
		if x := v.m[p.Name]; x != p.Default {
			out = append(out, p.Name+"="+x)
		}
	}
	return out
}

// UsesProcesses reports whether v selects the scenario's processes variant.
func (v Values) UsesProcesses() bool {
	return v.sc.Processes != "" && v.m["use"] == v.sc.Processes
}

// Workload builds the simulated workload for v, under the GIL model v
// implies or else the default one.
func (v Values) Workload() sim.Workload {
	m, ok := v.Model()
	if !ok {
		m = sim.DefaultConfig().Model
	}
	return v.workloadFor(m)
}

func (v Values) workloadFor(m sim.Model) sim.Workload {
	return v.sc.build(v, m)
}

// Source returns the Python source the workload stands for: for a
// built-in Python scenario, the program run, with each constant a
// parameter changed written with its value.
func (v Values) Source() string { return v.Workload().Source }

// Figures returns the scenario's own results from a run's metrics.
func (v Values) Figures(m sim.Metrics) []Figure {
	if v.sc.figures == nil {
		return nil
	}
	return v.sc.figures(v, m)
}

// New builds the workload for v and a simulation of it under cfg.
func (v Values) New(cfg sim.Config) (*sim.Sim, error) { return sim.New(cfg, v.workloadFor(cfg.Model)) }
