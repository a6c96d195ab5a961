package scenarios

import (
	"embed"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gilsim/gilsim/scenarios/python"
	"github.com/gilsim/gilsim/sim"
)

// The built-in scenarios written in Python: each is one or more files
// of programs/, run by the same front end as a user's own program, so
// that the source shown is the program run.

//go:embed programs/*.py
var programFiles embed.FS

// AutoVersion is the python parameter's default for a built-in scenario:
// the CPython version whose GIL the run simulates (2.7 under the old GIL,
// 3.13t without one, else python.DefaultVersion).
const AutoVersion = "auto"

// pyBinding says how a built-in scenario runs its Python.
type pyBinding struct {
	// file names the program for the values, a file of programs/; nil
	// means the one file named after the scenario ("cpu_bound.py").
	file func(v Values) string
	// peer names the parameter that sets how long the network peer takes
	// to answer, or is "".
	peer string
	// peerFromSend counts the peer's delay from the start of the send it
	// answers (python.Options.PeerFromSend): a round trip.
	peerFromSend bool
	// send names the Duration parameter that sets how long a socket's
	// send blocks (python.Options.Send), or is "".
	send string
	// alias maps a constant that a parameter sets under another name
	// than its own in capitals to the parameter: PROCESSES to threads.
	alias map[string]string
}

var (
	loadedMu sync.Mutex
	loaded   = map[string]*python.Program{}
)

// builtinProgram parses an embedded program once. The tests build every
// scenario, so a program that fails to load is caught before it ships.
func builtinProgram(file string) *python.Program {
	loadedMu.Lock()
	defer loadedMu.Unlock()
	if p, ok := loaded[file]; ok {
		return p
	}
	src, err := programFiles.ReadFile("programs/" + file)
	if err != nil {
		panic("scenarios: no built-in program " + file)
	}
	p, err := python.Load(file, src)
	if err != nil {
		panic("scenarios: built-in program " + err.Error())
	}
	loaded[file] = p
	return p
}

// param returns the parameter that sets the constant called name: the
// one of that name in small letters (THREADS is set by threads), or the
// one an alias names.
func (b pyBinding) param(sc *Scenario, name string) (Param, bool) {
	if p, ok := b.alias[name]; ok {
		name = p
	}
	for _, p := range sc.Params {
		if p.Name == strings.ToLower(name) && p.Name != ProgramParam {
			return p, true
		}
	}
	return Param{}, false
}

// fromPython makes sc run its Python program(s): each parameter sets the
// constant of its name in capitals where the program has one (a duration
// as seconds), or picks the file; a python parameter picks the version.
func fromPython(sc *Scenario, b pyBinding) *Scenario {
	if b.file == nil {
		name := strings.ReplaceAll(sc.ID, "-", "_") + ".py"
		b.file = func(Values) string { return name }
	}
	sc.py = &b
	sc.Params = append(sc.Params, Param{Name: ProgramParam, Kind: Choice, Default: AutoVersion,
		Choices: append([]string{AutoVersion}, python.Versions()...),
		Help:    "the CPython version simulated, its costs and its GIL; auto follows the GIL: 2.7 for py2, 3.13t for off, else " + python.DefaultVersion})
	type key struct {
		settings string
		version  string
	}
	var mu sync.Mutex
	built := map[key]sim.Workload{}
	compile := func(v Values, m sim.Model) (sim.Workload, error) {
		ver, err := builtinVersion(v, m)
		if err != nil {
			return sim.Workload{}, err
		}
		k := key{strings.Join(v.Settings(), "\x00"), ver.Name}
		mu.Lock()
		defer mu.Unlock()
		if w, ok := built[k]; ok {
			return w, nil
		}
		prog := builtinProgram(b.file(v))
		set := map[string]string{}
		for _, c := range prog.Consts() {
			p, ok := b.param(sc, c.Name)
			if !ok || v.Get(p.Name) == p.Default {
				continue
			}
			x := v.Get(p.Name)
			if p.Kind == Duration {
				x = pySeconds(v.Duration(p.Name))
			}
			set[c.Name] = x
		}
		o := python.Options{Version: ver, Set: set}
		if b.peer != "" {
			o.Peer = v.Duration(b.peer)
		}
		if b.send != "" {
			o.Send = v.Duration(b.send)
		}
		o.PeerFromSend = b.peerFromSend
		w, err := prog.Compile(o)
		if err != nil {
			return sim.Workload{}, err
		}
		if len(built) > 64 {
			clear(built)
		}
		built[k] = w
		return w, nil
	}
	sc.validate = func(v Values) error {
		_, err := compile(v, sim.DefaultConfig().Model)
		return err
	}
	sc.buildFor = func(v Values, m sim.Model) sim.Workload {
		w, err := compile(v, m)
		if err != nil {
			// The tests compile every built-in program under every
			// version; Parse validated the values.
			panic("scenarios: " + sc.ID + ": " + err.Error())
		}
		return w
	}
	sc.version = func(v Values, m sim.Model) string {
		ver, err := builtinVersion(v, m)
		if err != nil {
			return ""
		}
		return ver.Name
	}
	sc.model = func(v Values) (sim.Model, bool) {
		if v.Get(ProgramParam) == AutoVersion {
			return 0, false
		}
		ver, _ := python.LookupVersion(v.Get(ProgramParam))
		return ver.Model, true
	}
	return sc
}

// builtinVersion is the version a built-in scenario is compiled as under
// GIL model m: the python parameter's, or for auto the one m stands for.
func builtinVersion(v Values, m sim.Model) (*python.Version, error) {
	name := v.Get(ProgramParam)
	if name == AutoVersion {
		switch m {
		case sim.ModelPy2:
			name = "2.7"
		case sim.ModelFreeThreaded:
			name = "3.13t"
		default:
			name = python.DefaultVersion
		}
	}
	return python.LookupVersion(name)
}

// pySeconds writes d as Python seconds: 0.01 for 10ms.
func pySeconds(d time.Duration) string {
	return fmt.Sprint(d.Seconds())
}
