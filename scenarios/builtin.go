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
	// async says the program uses asyncio, which needs Python 3: under
	// the old GIL auto picks python.DefaultVersion, not 2.7, and the
	// python parameter offers no version without asyncio.
	async bool
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
	choices := []string{AutoVersion}
	help := "the CPython version simulated, its costs and its GIL; auto follows the GIL: 2.7 for py2, 3.13t for off, else " + python.DefaultVersion
	for _, name := range python.Versions() {
		if ver, _ := python.LookupVersion(name); !b.async || ver.Async {
			choices = append(choices, name)
		}
	}
	if b.async {
		help = "the CPython version simulated, its costs and its GIL; auto follows the GIL: 3.13t for off, else " +
			python.DefaultVersion + " (asyncio needs Python 3, so under py2 too)"
	}
	sc.Params = append(sc.Params, Param{Name: ProgramParam, Kind: Choice, Default: AutoVersion, Choices: choices, Help: help})
	version := func(v Values, m sim.Model) (*python.Version, error) {
		if b.async && m == sim.ModelPy2 {
			// For auto, the new GIL's version; a version the python
			// parameter names is compiled as it is.
			m = sim.ModelPy3
		}
		return builtinVersion(v, m)
	}
	runsPython(sc, version, func(v Values, ver *python.Version) (sim.Workload, error) {
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
		o := python.Options{Version: ver, Set: set, PeerFromSend: b.peerFromSend}
		if b.peer != "" {
			o.Peer = v.Duration(b.peer)
		}
		if b.send != "" {
			o.Send = v.Duration(b.send)
		}
		return prog.Compile(o)
	})
	sc.model = func(v Values) (sim.Model, bool) {
		if v.Get(ProgramParam) == AutoVersion {
			return 0, false
		}
		ver, _ := python.LookupVersion(v.Get(ProgramParam))
		return ver.Model, true
	}
	return sc
}

// runsPython makes sc run a Python program: version picks the CPython
// version of a run under a GIL model, and compile makes the workload of
// the values as that version. Workloads are kept by values and version,
// a few dozen at most, so that stepping back or toggling the GIL does
// not compile again.
func runsPython(sc *Scenario, version func(Values, sim.Model) (*python.Version, error),
	compile func(Values, *python.Version) (sim.Workload, error)) {
	type key struct{ settings, version string }
	var mu sync.Mutex
	built := map[key]sim.Workload{}
	get := func(v Values, m sim.Model) (sim.Workload, error) {
		ver, err := version(v, m)
		if err != nil {
			return sim.Workload{}, err
		}
		k := key{strings.Join(v.Settings(), "\x00"), ver.Name}
		mu.Lock()
		defer mu.Unlock()
		if w, ok := built[k]; ok {
			return w, nil
		}
		w, err := compile(v, ver)
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
		_, err := get(v, sim.DefaultConfig().Model)
		return err
	}
	sc.build = func(v Values, m sim.Model) sim.Workload {
		w, err := get(v, m)
		if err != nil {
			// Parse validated the values, and the tests compile every
			// built-in program under every version.
			panic("scenarios: " + sc.ID + ": a program that compiled once failed: " + err.Error())
		}
		return w
	}
	sc.version = func(v Values, m sim.Model) string {
		ver, err := version(v, m)
		if err != nil {
			return ""
		}
		return ver.Name
	}
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
