package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/sim/platform"
)

func TestProfileList(t *testing.T) {
	out := cliOK(t, "profile", "list")
	for _, p := range platform.Builtins() {
		if !strings.Contains(out, "\n"+p.Name+"\n") && !strings.HasPrefix(out, p.Name+"\n") {
			t.Errorf("profile list does not list %s:\n%s", p.Name, out)
		}
		if first := strings.Fields(p.Description)[0]; !strings.Contains(out, "  "+first) {
			t.Errorf("profile list does not describe %s:\n%s", p.Name, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if len([]rune(l)) > listWidth {
			t.Errorf("line wider than %d columns: %q", listWidth, l)
		}
	}
}

// gilsim profile show prints a profile file that loads back as the same
// profile; with --all, one that sets every knob to the run's config.
func TestProfileShow(t *testing.T) {
	dir := t.TempDir()
	for _, name := range platform.Names() {
		want, err := platform.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		out := cliOK(t, "profile", "show", name)
		if out != string(want.Format()) {
			t.Errorf("profile show %s:\n%s\nwant:\n%s", name, out, want.Format())
		}
		all := cliOK(t, "profile", "show", name, "--all")
		got, err := platform.Parse([]byte(all), name)
		if err != nil {
			t.Fatalf("profile show %s --all does not read back: %v\n%s", name, err, all)
		}
		if got.Config() != want.Config() || len(got.Keys()) != len(platform.FromConfig("every", "", want.Config()).Keys()) {
			t.Errorf("profile show %s --all sets %d knobs, and gives another config than the profile", name, len(got.Keys()))
		}
		// The output, renamed, is a profile file --platform takes.
		path := filepath.Join(dir, name+".json")
		renamed := strings.Replace(all, `"name": "`+name+`"`, `"name": "my-`+name+`"`, 1)
		if err := os.WriteFile(path, []byte(renamed), 0o644); err != nil {
			t.Fatal(err)
		}
		if shown := cliOK(t, "profile", "show", path); shown != renamed {
			t.Errorf("profile show %s:\n%s\nwant the file:\n%s", path, shown, renamed)
		}
	}
	if d := cliOK(t, "profile", "show", "linux"); !strings.Contains(d, "measured by gilsim calibrate") {
		t.Errorf("profile show linux does not say where it was measured:\n%s", d)
	}
}

// The heading and the JSON name the platform when it is not the default.
func TestPlatformIsNamed(t *testing.T) {
	for _, c := range []struct {
		args     []string
		heading  string
		json     string
		inConfig bool
	}{
		{[]string{"run", "convoy", "--set", "requests=5"}, "", "linux", true},
		{[]string{"run", "convoy", "--set", "requests=5", "--platform", "linux"}, "", "linux", true},
		{[]string{"run", "convoy", "--set", "requests=5", "--platform", "skvortsov-2021"}, " · platform skvortsov-2021 · ", "skvortsov-2021", true},
		{[]string{"compare", "cpu-bound", "--set", "count=1000", "--platform", "beazley-2010"}, " · platform beazley-2010 · ", "beazley-2010", false},
		{[]string{"compare", "cpu-bound", "--set", "count=1000"}, "", "linux", false},
	} {
		heading, _, _ := strings.Cut(cliOK(t, c.args...), "\n")
		if c.heading == "" && strings.Contains(heading, "platform") || !strings.Contains(heading, c.heading) {
			t.Errorf("%q: heading %q, want %q in it", c.args, heading, c.heading)
		}
		doc := cliJSON(t, append(c.args, "--json")...)
		got := doc["platform"]
		if c.inConfig {
			got = doc["config"].(map[string]any)["platform"]
		}
		if got != c.json {
			t.Errorf("%q --json: platform %v, want %q", c.args, got, c.json)
		}
		if !c.inConfig {
			for _, row := range doc["settings"].([]any) {
				run := row.(map[string]any)["run"].(map[string]any)
				if p := run["config"].(map[string]any)["platform"]; p != c.json {
					t.Errorf("%q --json: a setting's run is on %v, want %q", c.args, p, c.json)
				}
			}
		}
	}
}

// A profile applies first; a machine flag given on the command line wins
// over it, and one not given leaves the profile's value.
func TestPlatformFileAndFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two-core.json")
	err := os.WriteFile(path, []byte(`{"name": "two-core", "description": "a test", "cores": 2, "switch_interval": "1ms", "check_interval": 50, "successor": "random", "wake_latency": "40us"}`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f := defaultFlags(t, "")
	f.platform = path
	cfg, err := f.config()
	if err != nil {
		t.Fatal(err)
	}
	want := sim.DefaultConfig()
	want.Cores, want.SwitchInterval, want.CheckInterval, want.Successor, want.WakeLatency = 2, 1e6, 50, sim.PolicyRandom, 40e3
	if cfg != want {
		t.Errorf("under %s:\n%+v\nwant\n%+v", path, cfg, want)
	}

	config := func(args ...string) map[string]any {
		t.Helper()
		return cliJSON(t, append([]string{"run", "convoy", "--set", "requests=5", "--json", "--platform", path}, args...)...)["config"].(map[string]any)
	}
	c := config()
	if c["cores"] != json.Number("2") || c["switch_interval_ns"] != json.Number("1000000") ||
		c["successor"] != "random" || c["platform"] != "two-core" {
		t.Errorf("under the profile: %v, want its cores, interval and successor", c)
	}
	c = config("--cores", "8", "--switch-interval", "5ms", "--successor", "fifo")
	if c["cores"] != json.Number("8") || c["switch_interval_ns"] != json.Number("5000000") ||
		c["successor"] != "fifo" || c["platform"] != "two-core" {
		t.Errorf("with flags over the profile: %v, want the flags' values", c)
	}
	heading, _, _ := strings.Cut(cliOK(t, "run", "convoy", "--set", "requests=5", "--platform", path), "\n")
	if want := "random successor · platform two-core (" + path + ") · 2 cores"; !strings.Contains(heading, want) {
		t.Errorf("heading %q, want %q in it", heading, want)
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"name": "bad", "wake_latency": "ten"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := cli(t, "run", "convoy", "--platform", bad)
	if want := "gilsim: profile " + bad + ": wake_latency \"ten\": expected a duration of 0 or more, such as 50.3us\n"; r.code != 2 || r.stderr != want {
		t.Errorf("a bad profile: exit status %d, stderr %q; want 2 and %q", r.code, r.stderr, want)
	}
}

// The command that shows a stopped setting in full runs it on the same
// platform.
func TestCompareRunCommandKeepsThePlatform(t *testing.T) {
	out := cliOK(t, "compare", "cpu-bound", "--platform", "beazley-2010", "--max-events", "50")
	if !strings.Contains(out, "gilsim run cpu-bound --model py2 --platform beazley-2010 --max-events 50 shows why") {
		t.Errorf("compare does not name the platform in its run commands:\n%s", out)
	}
}
