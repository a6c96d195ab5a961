package platform

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gilsim/gilsim/sim"
)

func TestEveryBuiltinLoadsAndValidates(t *testing.T) {
	names := Names()
	if names[0] != DefaultName || !slices.Contains(names, "skvortsov-2021") || !slices.Contains(names, "beazley-2010") {
		t.Fatalf("built-in profiles %q: want default first, skvortsov-2021 and beazley-2010", names)
	}
	for _, name := range names {
		p, err := Load(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.Name != name || p.File != "" || p.Description == "" || strings.ContainsAny(p.Description, "\n\t") {
			t.Errorf("%s: name %q, file %q, description %q: want its name, no file, one line of description", name, p.Name, p.File, p.Description)
		}
		if len(p.Keys()) == 0 {
			t.Errorf("%s sets no knob", name)
		}
		cfg := p.Config()
		if err := cfg.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The built-in files are written as Format writes them, so that gilsim
// profile show prints each as it is in the tree.
func TestBuiltinFilesAreCanonical(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("profiles", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no profiles/*.json: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Load(strings.TrimSuffix(filepath.Base(file), ".json"))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if got := string(p.Format()); got != string(data) {
			t.Errorf("%s is not written as Format writes it:\n%s\nwant:\n%s", file, data, got)
		}
	}
}

// experimentKeys are the knobs a built-in profile leaves to the
// experiment: the machine's cores and the interpreter's intervals.
var experimentKeys = []string{"cores", "switch_interval", "check_interval"}

// The default platform, linux, is sim.DefaultConfig: every knob but the
// experiment's, at the value the code has.
func TestDefaultIsDefaultConfig(t *testing.T) {
	p, err := Load(DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	if !p.IsDefault() || len(p.Keys()) != len(knobs)-len(experimentKeys) {
		t.Errorf("default: IsDefault %v, %d knobs of %d", p.IsDefault(), len(p.Keys()), len(knobs)-len(experimentKeys))
	}
	for _, k := range experimentKeys {
		if p.Sets(k) {
			t.Errorf("the default profile sets %s", k)
		}
	}
	zero := sim.DefaultConfig()
	zero.TimedWaitLatency, zero.WakeLatency, zero.PythonScale, zero.Pickle, zero.Unpickle, zero.ThreadStart = 0, 0, 0, 0, 0, 0
	zero.SignalRemote, zero.SignalLocal, zero.SignalNone, zero.RewakeLatency, zero.SelectorResolution = 0, 0, 0, 0, 0
	zero.ProcStartParent, zero.ProcStartChild = [3]time.Duration{}, [3]time.Duration{}
	p.Apply(&zero)
	want := sim.DefaultConfig()
	if zero != want {
		t.Errorf("the default profile applied to a zero Config gives\n%+v\nwant\n%+v", zero, want)
	}
}

// runFields are the fields of sim.Config that belong to a run, not to a
// platform: no profile sets them.
var runFields = []string{"Model", "Seed", "Trace", "MaxEvents", "MaxTime"}

// changed returns cfg with every field moved off its value, within the
// engine's ranges: each duration and count one up, each number a little.
func changed(cfg sim.Config) sim.Config {
	v := reflect.ValueOf(&cfg).Elem()
	var bump func(f reflect.Value)
	bump = func(f reflect.Value) {
		switch {
		case f.Type() == reflect.TypeFor[sim.Policy]():
			f.SetUint(1 - f.Uint())
		case f.Kind() == reflect.Array:
			for i := range f.Len() {
				bump(f.Index(i))
			}
		case f.Kind() == reflect.Int64 || f.Kind() == reflect.Int:
			f.SetInt(f.Int() + 1)
		case f.Kind() == reflect.Uint64 || f.Kind() == reflect.Uint8:
			f.SetUint(f.Uint() + 1)
		case f.Kind() == reflect.Float64:
			f.SetFloat(f.Float() + 0.0625)
		case f.Kind() == reflect.Bool:
			f.SetBool(!f.Bool())
		}
	}
	for i := range v.NumField() {
		bump(v.Field(i))
	}
	return cfg
}

// Every field of sim.Config is a knob, but those of the run: a field added
// to the Config needs a key here (or a place in runFields).
func TestEveryKnobOfTheMachineHasAKey(t *testing.T) {
	def := sim.DefaultConfig()
	other := changed(def)
	p := FromConfig("other", "every knob changed", other)
	got := def
	p.Apply(&got)
	gv, ov, dv := reflect.ValueOf(got), reflect.ValueOf(other), reflect.ValueOf(def)
	for i := range gv.NumField() {
		name := gv.Type().Field(i).Name
		want := ov.Field(i)
		if slices.Contains(runFields, name) {
			want = dv.Field(i)
		}
		if !reflect.DeepEqual(gv.Field(i).Interface(), want.Interface()) {
			t.Errorf("%s: applying a profile of every knob gave %v, want %v", name, gv.Field(i), want)
		}
	}
}

// Format and Parse are inverses, for every knob.
func TestRoundTrip(t *testing.T) {
	profiles := Builtins()
	profiles = append(profiles, FromConfig("every-knob", "every knob changed, ünïcode & <html>", changed(sim.DefaultConfig())))
	some := FromConfig("some", "", changed(sim.DefaultConfig()))
	for i := range some.set {
		some.set[i] = i%3 == 0
	}
	profiles = append(profiles, some, &Profile{Name: "none"})
	for _, p := range profiles {
		text := p.Format()
		back, err := Parse(text, p.Name)
		if err != nil {
			t.Fatalf("%s: %v\n%s", p.Name, err, text)
		}
		if string(back.Format()) != string(text) || !slices.Equal(back.Keys(), p.Keys()) || back.Config() != p.Config() {
			t.Errorf("%s does not read back as written:\n%s\nread back:\n%s", p.Name, text, back.Format())
		}
	}
}

func TestParseRefusesBadFiles(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{`{"name": "x", "wake_latency": "ten"}`, `wake_latency "ten": expected a duration of 0 or more, such as 50.3us`},
		{`{"name": "x", "wake_latency": "-1us"}`, `wake_latency "-1us": expected a duration of 0 or more, such as 50.3us`},
		{`{"name": "x", "wake_latency": 10}`, `wake_latency 10: expected a duration written as a string, such as "50.3us"`},
		{`{"name": "x", "wake_latncy": "1us"}`, `unknown key "wake_latncy" (did you mean wake_latency? accepted: name, description, cores, switch_interval, timed_wait_latency, wake_latency, ` +
			`wake_jitter, wake_latency_preempt, successor, tick, check_interval, signal_remote, signal_local, signal_none, rewake_latency, wake_cost, python_scale, free_thread_tax, op_jitter, quantum, wakeup_granularity, ` +
			`sleeper_credit, thread_start, proc_start_parent, proc_start_child, pickle, unpickle, loop_iteration, selector_resolution, slow_callback)`},
		{`{"name": "x", "model": "py2"}`, `unknown key "model" (accepted: name, description, cores,`},
		{`{"name": "x", "switch_interval": "1ns"}`, `switch_interval "1ns": expected a duration from 1us to 10s, such as 5ms`},
		{`{"name": "x", "tick": "0s"}`, `tick "0s": expected a duration above 0, such as 16ns`},
		{`{"name": "x", "quantum": "100ns"}`, `quantum "100ns": expected a duration of 1us or more, such as 10ms`},
		{`{"name": "x", "cores": 2.5}`, `cores 2.5: expected a whole number from 1 to 1024, such as 4`},
		{`{"name": "x", "cores": "2"}`, `cores "2": expected a whole number from 1 to 1024, such as 4`},
		{`{"name": "x", "check_interval": 0}`, `check_interval 0: expected a whole number from 1 to 1000000, such as 100`},
		{`{"name": "x", "wake_jitter": 2}`, `wake_jitter 2: expected a number from 0 to 1, such as 0.5`},
		{`{"name": "x", "free_thread_tax": -0.1}`, `free_thread_tax -0.1: expected a number from 0 to 10, such as 0.1`},
		{`{"name": "x", "successor": "lifo"}`, `successor "lifo": expected fifo or random`},
		{`{"name": "x", "proc_start_child": {"vfork": "1ms"}}`, `unknown key proc_start_child.vfork (accepted under proc_start_child: fork, spawn, forkserver)`},
		{`{"name": "x", "proc_start_child": {"fork": "-1ms"}}`, `proc_start_child.fork "-1ms": expected a duration of 0 or more, such as 1.36ms`},
		{`{"name": "x", "proc_start_child": {"fork": "1ms", "fork": "2ms"}}`, `key proc_start_child.fork is given twice (accepted: each key once)`},
		{`{"name": "x", "proc_start_child": "2ms"}`, `proc_start_child "2ms": expected an object with a duration for each start method it sets (fork, spawn, forkserver), such as {"fork": "2ms"}`},
		{`{"name": "x", "tick": "1ns", "tick": "2ns"}`, `key tick is given twice (accepted: each key once)`},
		{`{"name": "My Mac"}`, `name "My Mac": expected a name of at most 40 lowercase letters, digits, '-', '.' and '_', such as my-machine`},
		{`{"name": "x", "description": "two\nlines"}`, `description "two\nlines": expected one line of text`},
		{`{"wake_latency": "1us"}`, `has no name`},
		{`[]`, `expected a JSON object, as gilsim profile show prints, not an array`},
		{``, `the JSON object is not closed`},
		{`{"name": "x"`, `the JSON object is not closed`},
		{"{\n  \"name\": \"x\",\n  \"tick\" \"1ns\"\n}", `line 3: expected colon after object key`},
		{`{"name": "x"} {}`, `more follows the JSON object`},
	} {
		_, err := Parse([]byte(c.file), "x.json")
		var pe *Error
		if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "profile x.json: "+c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want one line starting profile x.json: %s", c.file, err, c.want)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	mine := write("mine.json", `{"name": "mine", "description": "a test", "wake_latency": "40us", "cores": 2}`)
	p, err := Load(mine)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sim.DefaultConfig()
	cfg.Seed = 7
	p.Apply(&cfg)
	if p.File != mine || p.IsDefault() || cfg.WakeLatency != 40*time.Microsecond || cfg.Cores != 2 || cfg.Seed != 7 ||
		cfg.SwitchInterval != sim.DefaultConfig().SwitchInterval || !p.Sets("cores") || p.Sets("tick") {
		t.Errorf("%s: file %q, config %+v: want its two knobs set and the rest left", mine, p.File, cfg)
	}
	for _, c := range []struct{ arg, want string }{
		{"skvortsov-2012", `unknown platform "skvortsov-2012" (did you mean skvortsov-2021? accepted: linux, beazley-2010, skvortsov-2021, or a profile file: a path ending in .json)`},
		{"macos", `unknown platform "macos" (accepted: linux, beazley-2010, skvortsov-2021, or a profile file: a path ending in .json)`},
		{filepath.Join(dir, "missing.json"), "profile " + filepath.Join(dir, "missing.json") + ": "},
		{write("taken.json", `{"name": "beazley-2010"}`), `name "beazley-2010" is a built-in profile's`},
		{write("bad.json", `{"name": "bad", "signal_remote": "fast"}`), `signal_remote "fast": expected a duration of 0 or more, such as 44.5us`},
	} {
		_, err := Load(c.arg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%q): got %v, want %s", c.arg, err, c.want)
		}
	}
	if _, err := Load("nope"); !errors.Is(err, ErrUnknown) {
		t.Errorf("Load(nope): got %v, want ErrUnknown", err)
	}
}

// A profile handed out is a copy: changing it changes no built-in.
func TestBuiltinsAreCopies(t *testing.T) {
	p, _ := Load("skvortsov-2021")
	p.Name = "changed"
	p.set[0] = true
	q, _ := Load("skvortsov-2021")
	if q.Name != "skvortsov-2021" || q.Sets("cores") {
		t.Errorf("changing a loaded profile changed the built-in: %+v", q)
	}
}
