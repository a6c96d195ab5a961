package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/scenarios/python"
	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/sim/platform"
)

// runFlags are the flags every command that simulates a scenario shares:
// run, compare, play and export. They are strings so that a bad value gets
// a sentence naming what is accepted, not a parser's message.
type runFlags struct {
	gil       string
	model     string
	cores     string
	interval  string
	check     string
	seed      string
	successor string
	platform  string
	sets      []string
	python    string
	// profile is --platform's profile once loaded (nil without the flag),
	// so that a file is read once however often the config is built.
	profile       *platform.Profile
	profileLoaded bool
	// stdin is where a program named "-" is read from.
	stdin io.Reader
	// fs tells which flags were given: an interval given for a model it
	// does not apply to is refused, not ignored.
	fs *pflag.FlagSet
	// everyModel is set by compare, which runs each model: each interval
	// then applies to the settings of its model.
	everyModel bool
}

func (f *runFlags) register(fs *pflag.FlagSet) {
	f.registerMachine(fs)
	fs.VarP(&listValue{list: &f.sets}, "set", "s", "a scenario parameter (repeatable; see gilsim list --params)")
	textVar(fs, &f.python, "python", "", "VERSION", "the CPython version simulated (costs and GIL), "+
		strings.Join(python.Versions(), ", ")+" (default "+python.DefaultVersion+" for a file; a built-in scenario follows the GIL: 2.7 under py2, 3.13t with it off)")
}

// registerMachine adds the flags of the machine and the model, without
// --set, which needs a scenario.
func (f *runFlags) registerMachine(fs *pflag.FlagSet) {
	f.fs = fs
	textVar(fs, &f.gil, "gil", "", "on|off", "on or off; off is the free-threaded model (default on)")
	textVar(fs, &f.model, "model", "", "MODEL", "GIL model: py3 (new GIL), py2 (old tick GIL) or free-threaded (no GIL) (default py3)")
	textVar(fs, &f.cores, "cores", "4", "N", "number of CPU cores, 1 to 1024")
	textVar(fs, &f.interval, "switch-interval", "5ms", "DUR", "py3 switch interval (sys.setswitchinterval), 1us to 10s")
	textVar(fs, &f.check, "check-interval", "100", "TICKS", fmt.Sprintf("py2 check interval in ticks (sys.setcheckinterval), 1 to %d", maxCheckInterval))
	textVar(fs, &f.seed, "seed", "1", "N", "seed for the run's random choices, a whole number")
	textVar(fs, &f.successor, "successor", "fifo", "POLICY", "which GIL waiter a release signals: fifo (the longest waiting) or random (drawn with the seed)")
	textVar(fs, &f.platform, "platform", "", "NAME|FILE", "the platform profile (wake-up latency, signal costs, OS scheduler, start-up costs): "+
		strings.Join(platform.Names(), ", ")+" or a FILE.json (see gilsim profile list); --cores, --switch-interval, "+
		"--check-interval and --successor given as well win over it (default: "+platform.DefaultName+", gilsim's defaults)")
}

// loadProfile loads --platform's profile, once: nil when the flag is not
// given.
func (f *runFlags) loadProfile() (*platform.Profile, error) {
	if f.profileLoaded || f.platform == "" {
		return f.profile, nil
	}
	p, err := platform.Load(f.platform)
	if err != nil {
		return nil, usageError{err}
	}
	f.profile, f.profileLoaded = p, true
	return p, nil
}

// maxCheckInterval is the largest py2 check interval gilsim takes: a
// million ticks is several seconds of Python between checks.
const maxCheckInterval = 1_000_000

// given reports whether the flag name was on the command line.
func (f *runFlags) given(name string) bool { return f.fs != nil && f.fs.Changed(name) }

// textValue is a flag whose value is kept as typed, to be checked later
// with a sentence naming what is accepted. Its type is the name the help
// shows for the value ("--cores N"), and its default shows unquoted.
type textValue struct {
	p    *string
	name string
}

func textVar(fs *pflag.FlagSet, p *string, flag, def, valueName, usage string) {
	*p = def
	fs.Var(&textValue{p: p, name: valueName}, flag, usage)
}

// errEmptyValue refuses an empty value: every flag's unset state is its
// absence, so --gil "" is a mistake, not a way to ask for the default.
var errEmptyValue = errors.New("empty value")

func (v *textValue) String() string { return *v.p }
func (v *textValue) Type() string   { return v.name }
func (v *textValue) Set(s string) error {
	if s == "" {
		return errEmptyValue
	}
	*v.p = s
	return nil
}

// acceptedBy is what a flag accepts, read from its usage text without the
// default it names.
func acceptedBy(usage string) string {
	if i := strings.LastIndex(usage, " (default"); i > 0 && strings.HasSuffix(usage, ")") {
		usage = usage[:i]
	}
	return usage
}

// listValue is a repeatable flag collecting key=value settings.
type listValue struct{ list *[]string }

func (v *listValue) String() string     { return strings.Join(*v.list, ",") }
func (v *listValue) Set(s string) error { *v.list = append(*v.list, s); return nil }
func (v *listValue) Type() string       { return "key=value" }

// setup is everything needed to simulate one scenario run.
type setup struct {
	scenario *scenarios.Scenario
	values   scenarios.Values
	config   sim.Config
	// platform is the --platform profile config was made with, nil
	// without the flag.
	platform *platform.Profile
}

// platformName names the platform of the run: the default one's name
// unless --platform named another.
func (s setup) platformName() string {
	if s.platform == nil {
		return platform.DefaultName
	}
	return s.platform.Name
}

// platformLabel is the platform as a heading shows it ("platform
// skvortsov-2021", "platform my-mac (my-mac.json)"), or "" for the
// default one, which headings leave out.
func (s setup) platformLabel() string {
	p := s.platform
	switch {
	case p == nil || p.IsDefault():
		return ""
	case p.File != "":
		return "platform " + p.Name + " (" + p.File + ")"
	}
	return "platform " + p.Name
}

// resolve checks the flags and the scenario name and builds the setup.
// Every error is a usage error naming what was wrong and what is accepted.
// A section stands for its scenario with the section's settings, which a
// --set may override.
func (f *runFlags) resolve(name string) (setup, error) {
	if scenarios.IsProgram(name) {
		return f.resolveProgram(name)
	}
	if _, err := scenarios.Lookup(name); err != nil {
		return setup{}, usageError{err}
	}
	if _, err := f.config(); err != nil {
		return setup{}, err
	}
	sets, err := f.withPython()
	if err != nil {
		return setup{}, err
	}
	v, err := scenarios.Choose(name, sets)
	if err != nil {
		return setup{}, usageError{err}
	}
	return f.finish(v)
}

// withPython returns the --set settings with --python's version added.
func (f *runFlags) withPython() ([]string, error) {
	if f.python == "" {
		return f.sets, nil
	}
	if _, err := python.LookupVersion(f.python); err != nil {
		return nil, usagef("--python %q is not a version gilsim simulates (accepted: %s)", f.python, strings.Join(python.Versions(), ", "))
	}
	return append(slices.Clone(f.sets), scenarios.ProgramParam+"="+f.python), nil
}

// finish builds the setup of chosen values: the GIL model is the one
// the values imply (a Python version's) unless --model or --gil names
// one.
func (f *runFlags) finish(v scenarios.Values) (setup, error) {
	model, ok := v.Model()
	if !ok {
		model = sim.ModelPy3
	}
	if model == sim.ModelFreeThreaded && os.Getenv("PYTHON_GIL") == "1" {
		// A free-threaded build run with PYTHON_GIL=1 has its GIL back.
		model = sim.ModelPy3
	}
	cfg, err := f.configFor(model)
	if err != nil {
		return setup{}, err
	}
	return setup{scenario: v.Scenario(), values: v, config: cfg, platform: f.profile}, nil
}

// maxProgram is the largest Python file gilsim reads.
const maxProgram = 1 << 20

// resolveProgram builds the setup of a Python program: the file name, or
// "-" for standard input. Its version's GIL is the model unless --model
// or --gil names one.
func (f *runFlags) resolveProgram(name string) (setup, error) {
	src, shown, err := f.readProgram(name)
	if err != nil {
		return setup{}, err
	}
	sc, err := scenarios.FromProgram(shown, src)
	if err != nil {
		return setup{}, usageError{programError{err}}
	}
	sets, err := f.withPython()
	if err != nil {
		return setup{}, err
	}
	v, err := sc.Parse(sets)
	if err != nil {
		if errors.Is(err, scenarios.ErrBadParam) {
			return setup{}, usageError{err}
		}
		return setup{}, usageError{programError{err}}
	}
	return f.finish(v)
}

// readProgram reads a Python file, or standard input for "-", and
// returns it with the name messages show.
func (f *runFlags) readProgram(name string) ([]byte, string, error) {
	var r io.Reader
	shown := name
	if name == "-" {
		if f.stdin == nil {
			return nil, "", usagef("a program on standard input (-) is read by run, compare and export; give play a file")
		}
		r, shown = f.stdin, "<stdin>"
	} else {
		file, err := os.Open(name)
		if err != nil {
			return nil, "", usagef("cannot read %s: %s", name, strings.TrimPrefix(err.Error(), "open "+name+": "))
		}
		defer file.Close()
		if fi, err := file.Stat(); err == nil && fi.IsDir() {
			return nil, "", usagef("%s is a directory, not a Python file", name)
		}
		r = file
	}
	src, err := io.ReadAll(io.LimitReader(r, maxProgram+1))
	if err != nil {
		return nil, "", usagef("cannot read %s: %v", shown, err)
	}
	if len(src) > maxProgram {
		return nil, "", usagef("%s is larger than %d KiB: gilsim reads programs up to that size", shown, maxProgram>>10)
	}
	return src, shown, nil
}

// config turns the machine and model flags into a sim.Config.
func (f *runFlags) config() (sim.Config, error) { return f.configFor(sim.ModelPy3) }

// configFor is config with model the model unless the flags name one.
// The --platform profile applies first: a machine flag given on the
// command line wins over it, and one not given leaves the profile's value.
func (f *runFlags) configFor(model sim.Model) (sim.Config, error) {
	cfg := sim.DefaultConfig()
	prof, err := f.loadProfile()
	if err != nil {
		return cfg, err
	}
	if prof != nil {
		prof.Apply(&cfg)
	}
	// fromFlag reports whether a machine flag's value goes in the config:
	// when it was given, or the profile does not set its knob (the
	// flag's default is then sim.DefaultConfig's value).
	fromFlag := func(flag, knob string) bool { return f.given(flag) || prof == nil || !prof.Sets(knob) }
	if f.model != "" {
		m, err := sim.ParseModel(f.model)
		if err != nil {
			return cfg, usagef("--model %q is not a model (accepted: py3, py2, free-threaded)", f.model)
		}
		model = m
	}
	switch strings.ToLower(f.gil) {
	case "":
	case "on":
		if f.model != "" && !model.HasGIL() {
			return cfg, usagef("--gil on contradicts --model %s, which has no GIL (accepted with --gil on: py3, py2)", model)
		}
		if !model.HasGIL() {
			model = sim.ModelPy3
		}
	case "off":
		if f.model != "" && model.HasGIL() {
			return cfg, usagef("--gil off contradicts --model %s (--gil off means the free-threaded model)", model)
		}
		model = sim.ModelFreeThreaded
	default:
		return cfg, usagef("--gil %q is not on or off (accepted: on, off)", f.gil)
	}
	cfg.Model = model
	cores, err := strconv.Atoi(f.cores)
	if err != nil || cores < 1 || cores > 1024 {
		return cfg, usagef("--cores %q is not a number of cores (accepted: a whole number from 1 to 1024)", f.cores)
	}
	if fromFlag("cores", "cores") {
		cfg.Cores = cores
	}
	d, err := time.ParseDuration(f.interval)
	if err != nil || d < time.Microsecond || d > 10*time.Second {
		return cfg, usagef("--switch-interval %q is not a valid interval (accepted: a duration from 1us to 10s, such as 5ms or 100us)", f.interval)
	}
	if fromFlag("switch-interval", "switch_interval") {
		cfg.SwitchInterval = d
	}
	ticks, err := strconv.Atoi(f.check)
	if err != nil || ticks < 1 || ticks > maxCheckInterval {
		return cfg, usagef("--check-interval %q is not a check interval (accepted: a whole number of ticks from 1 to %d)", f.check, maxCheckInterval)
	}
	if fromFlag("check-interval", "check_interval") {
		cfg.CheckInterval = ticks
	}
	if !f.everyModel {
		if err := onlyFor(f.given("switch-interval"), "--switch-interval", sim.ModelPy3, model); err != nil {
			return cfg, err
		}
		if err := onlyFor(f.given("check-interval"), "--check-interval", sim.ModelPy2, model); err != nil {
			return cfg, err
		}
	}
	seed, err := strconv.ParseUint(f.seed, 10, 64)
	if err != nil {
		return cfg, usagef("--seed %q is not a seed (accepted: a whole number from 0 to %d)", f.seed, uint64(1<<64-1))
	}
	cfg.Seed = seed
	succ, err := sim.ParsePolicy(strings.ToLower(f.successor))
	if err != nil {
		return cfg, usagef("--successor %q is not a successor policy (accepted: fifo, random)", f.successor)
	}
	if fromFlag("successor", "successor") {
		cfg.Successor = succ
	}
	if err := cfg.Validate(); err != nil {
		return cfg, usageError{err}
	}
	return cfg, nil
}

// onlyFor refuses a flag given for a model it does not apply to, rather
// than ignore it: py3 has a switch interval, py2 a check interval, and the
// free-threaded model neither.
func onlyFor(given bool, flag string, applies, model sim.Model) error {
	if !given || model == applies {
		return nil
	}
	why := "which has no GIL to switch"
	switch model {
	case sim.ModelPy3:
		why = "which switches every --switch-interval"
	case sim.ModelPy2:
		why = "which switches every --check-interval ticks"
	}
	return usagef("%s applies to the %s model only, and this run uses %s, %s (accepted: %s with --model %s)", flag, applies, model, why, flag, applies)
}

// describe is the one-line heading of a run: scenario, the article
// section it was chosen by, and settings.
func (s setup) describe() string {
	var b strings.Builder
	b.WriteString(s.scenario.ID)
	if sec := s.values.Section(); sec != "" {
		b.WriteString(" §" + sec)
	}
	if set := s.values.Settings(); len(set) > 0 {
		b.WriteString(" (" + strings.Join(set, ", ") + ")")
	}
	b.WriteString(" · " + s.config.GILLabel())
	if s.config.Successor != sim.PolicyFIFO {
		b.WriteString(" · " + s.config.Successor.String() + " successor")
	}
	if p := s.platformLabel(); p != "" {
		b.WriteString(" · " + p)
	}
	fmt.Fprintf(&b, " · %d cores · seed %d", s.config.Cores, s.config.Seed)
	return b.String()
}
