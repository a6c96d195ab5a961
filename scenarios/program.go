package scenarios

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/gilsim/gilsim/scenarios/python"
	"github.com/gilsim/gilsim/sim"
)

// ProgramParam names the parameter that picks the CPython version a
// program is simulated as.
const ProgramParam = "python"

// PeerParam names the parameter that sets how long a program's network
// peer takes to answer.
const PeerParam = "peer"

// IsProgram reports whether a command-line name stands for a Python
// file rather than a built-in scenario: it ends in .py, or is "-" for
// standard input.
func IsProgram(name string) bool {
	return name == "-" || strings.HasSuffix(strings.ToLower(name), ".py")
}

// FromProgram makes a scenario of a Python program: its source shown and
// run as it is, under the version the "python" parameter names, with each
// module-level constant a parameter --set overrides. name is the file's
// name, as messages and tracebacks show it. A program that does not parse
// or compile at its defaults is an error, one line naming the line,
// column and construct.
func FromProgram(name string, src []byte) (*Scenario, error) {
	prog, err := python.Load(name, src)
	if err != nil {
		return nil, err
	}
	sc := &Scenario{
		ID:      filepath.Base(name),
		Title:   "your Python program",
		Summary: "your program, " + filepath.Base(name),
		Notice: "Your own program, simulated as the CPython version the python parameter names: each " +
			"statement costs what that version's eval loop took on a real machine (docs/python-costs.md).",
	}
	for _, c := range prog.Consts() {
		p := Param{Name: c.Name, Default: c.Default, Help: fmt.Sprintf("the constant %s (line %d)", c.Name, c.Line)}
		switch c.Kind {
		case "int":
			p.Kind, p.Min, p.Max = Int, -1_000_000_000_000, 1_000_000_000_000
		case "float":
			p.Kind = Float
		case "bool":
			p.Kind, p.Default = Bool, strings.ToLower(c.Default)
		default:
			p.Kind = Text
		}
		sc.Params = append(sc.Params, p)
	}
	for _, reserved := range []string{ProgramParam, PeerParam} {
		if _, clash := sc.Param(reserved); clash {
			return nil, fmt.Errorf("%s: the constant %s has the name of a parameter gilsim sets (%s, %s): rename it",
				name, reserved, ProgramParam, PeerParam)
		}
	}
	sc.Params = append(sc.Params,
		Param{Name: ProgramParam, Kind: Choice, Default: python.DefaultVersion, Choices: python.Versions(),
			Help: "the CPython version simulated: its costs, and its GIL (2.7 the old one, 3.13t none)"},
		Param{Name: PeerParam, Kind: Duration, Default: python.DefaultPeer.String(), Min: 0, Max: int64(time.Hour),
			Help: "how long the network peer takes to answer a socket (a # gilsim: 250ms comment overrides it on its line)"})

	runsPython(sc, func(v Values, _ sim.Model) (*python.Version, error) {
		return python.LookupVersion(v.Get(ProgramParam))
	}, func(v Values, ver *python.Version) (sim.Workload, error) {
		set := map[string]string{}
		for _, c := range prog.Consts() {
			if x := v.Get(c.Name); x != c.Default {
				set[c.Name] = x
			}
		}
		return prog.Compile(python.Options{Version: ver, Set: set, Peer: v.Duration(PeerParam)})
	})
	sc.model = func(v Values) (sim.Model, bool) {
		ver, _ := python.LookupVersion(v.Get(ProgramParam))
		return ver.Model, true
	}
	sc.figures = programFigures
	sc.lessons = programLessons
	def := sc.Defaults()
	if err := sc.validate(def); err != nil {
		return nil, err
	}
	sc.Pace = programPace(def)
	return sc, nil
}

// programLessons are the moments any program can teach: the GIL's own
// (the first drop request, forced switch, failed wake-up), a thread
// blocking on a lock, the first lost update, and I/O waits overlapping.
var programLessons = []*Lesson{dropRequestLesson, forcedSwitchLesson, failedWakeLesson,
	lockLessons[0], counterRaceLessons[0], ioBoundLessons[0]}

// programFigures are a program's results besides the common metrics: the
// updates each shared variable lost, and each queue's high-water mark.
func programFigures(_ Values, m sim.Metrics) []Figure {
	var out []Figure
	for _, v := range m.Vars {
		out = append(out, Figure{Key: "lost_updates_" + v.Name, Label: "lost updates (" + v.Name + ")",
			Value: commas(v.LostUpdates), Number: float64(v.LostUpdates), Live: true})
	}
	for _, q := range m.Queues {
		out = append(out, Figure{Key: "queue_high_water_" + q.Name, Label: "most items in " + q.Name,
			Value: commas(int64(q.HighWater)), Number: float64(q.HighWater), Live: true})
	}
	return out
}

// programPace plays a program's run at its defaults in about half a
// minute, scrolling ten columns a second.
func programPace(v Values) Pace {
	cfg := sim.DefaultConfig()
	if m, ok := v.Model(); ok {
		cfg.Model = m
	}
	elapsed := time.Duration(0)
	if s, err := v.New(cfg); err == nil {
		for n := 0; n < 2_000_000 && s.Step(); n++ {
		}
		elapsed = time.Duration(s.Now())
	}
	speed := Speeds[len(Speeds)-1]
	for _, sp := range Speeds {
		if elapsed <= 40*sp && sp >= 10*Zooms[0] {
			speed = sp
			break
		}
	}
	return Pace{Speed: speed, Zoom: speed / 10}
}
