package main

import (
	"strings"
	"testing"
)

// TestBadInput checks every kind of bad input: one line on stderr that
// names what was wrong and what is accepted, exit status 2, nothing on
// stdout, and never a usage dump.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name string
		args []string
		// want are phrases the message must contain: the bad value and
		// what is accepted.
		want []string
	}{
		{"unknown scenario", []string{"run", "nosuch"}, []string{`unknown scenario "nosuch"`, "accepted: cpu-bound"}},
		{"unknown scenario, compare", []string{"compare", "nosuch"}, []string{`"nosuch"`, "accepted:"}},
		{"unknown scenario with --help", []string{"run", "nosuch", "--help"}, []string{`unknown scenario "nosuch"`, "accepted:"}},
		{"unknown parameter", []string{"run", "cpu-bound", "--set", "bogus=1"}, []string{`"bogus"`, "accepted: threads, count, use, python"}},
		{"parameter without a value", []string{"run", "cpu-bound", "-s", "threads"}, []string{`"threads" is not key=value`}},
		{"malformed int", []string{"run", "cpu-bound", "--set", "threads=many"}, []string{`threads="many"`, "a whole number from 1"}},
		{"int out of range", []string{"run", "cpu-bound", "--set", "threads=0"}, []string{`threads="0"`, "a whole number from 1"}},
		{"malformed duration parameter", []string{"run", "io-bound", "--set", "io=5"}, []string{`io="5"`, "a duration"}},
		{"bad choice", []string{"run", "cpu-bound", "--set", "use=fibres"}, []string{`use="fibres"`, "one of threads, processes"}},
		{"malformed switch interval", []string{"run", "cpu-bound", "--switch-interval", "fast"}, []string{`--switch-interval "fast"`, "a duration from 1us to 10s"}},
		{"switch interval without unit", []string{"run", "cpu-bound", "--switch-interval", "5"}, []string{`"5"`, "such as 5ms"}},
		{"switch interval too long", []string{"compare", "cpu-bound", "--switch-interval", "1m"}, []string{`"1m"`, "from 1us to 10s"}},
		{"negative cores", []string{"run", "cpu-bound", "--cores", "-1"}, []string{`--cores "-1"`, "a whole number from 1 to 1024"}},
		{"zero cores", []string{"run", "cpu-bound", "--cores=0"}, []string{`--cores "0"`, "from 1 to 1024"}},
		{"cores not a number", []string{"compare", "cpu-bound", "--cores", "four"}, []string{`--cores "four"`, "from 1 to 1024"}},
		{"negative seed", []string{"run", "cpu-bound", "--seed", "-3"}, []string{`--seed "-3"`, "a whole number from 0"}},
		{"seed not a number", []string{"run", "cpu-bound", "--seed", "abc"}, []string{`--seed "abc"`, "a whole number"}},
		{"unknown model", []string{"run", "cpu-bound", "--model", "py4"}, []string{`--model "py4"`, "py3, py2, free-threaded"}},
		{"bad --gil", []string{"run", "cpu-bound", "--gil", "maybe"}, []string{`--gil "maybe"`, "on, off"}},
		{"--gil contradicting --model", []string{"run", "cpu-bound", "--gil", "off", "--model", "py2"}, []string{"--gil off contradicts --model py2"}},
		{"bad --max-events", []string{"run", "cpu-bound", "--max-events", "0"}, []string{`--max-events "0"`, "a whole number from 1"}},
		{"bad --max-time", []string{"run", "cpu-bound", "--max-time", "soon"}, []string{`--max-time "soon"`, "a duration"}},
		{"unknown flag", []string{"run", "cpu-bound", "--threads", "4"}, []string{`unknown flag "--threads"`, "gilsim run --help"}},
		{"unknown flag, list", []string{"list", "--verbose"}, []string{`unknown flag "--verbose"`, "gilsim list --help"}},
		{"unknown shorthand", []string{"compare", "cpu-bound", "-x"}, []string{`unknown shorthand flag 'x' in "-x"`, "gilsim compare --help"}},
		{"flag without its value", []string{"run", "cpu-bound", "--cores"}, []string{"flag needs an argument: --cores"}},
		{"missing scenario", []string{"run"}, []string{"gilsim run needs a scenario name", "gilsim list"}},
		{"missing scenario, compare", []string{"compare", "--json"}, []string{"gilsim compare needs a scenario name"}},
		{"extra argument", []string{"run", "cpu-bound", "io-bound"}, []string{"takes one scenario", `"io-bound"`}},
		{"extra argument, compare", []string{"compare", "cpu-bound", "extra"}, []string{"takes one scenario", `"extra"`}},
		{"extra argument, list", []string{"list", "cpu-bound"}, []string{"gilsim list takes no arguments", `"cpu-bound"`}},
		{"extra argument with --help", []string{"run", "cpu-bound", "io-bound", "--help"}, []string{"takes one scenario"}},
		{"unknown command", []string{"simulate", "cpu-bound"}, []string{`unknown command "simulate"`, "compare", "list", "run"}},
		{"empty --gil", []string{"run", "cpu-bound", "--gil", ""}, []string{"--gil is empty", "accepted: on or off"}},
		{"empty --gil=", []string{"export", "cpu-bound", "--format", "text", "--gil="}, []string{"--gil is empty", "accepted: on or off"}},
		{"empty --model", []string{"run", "cpu-bound", "--model="}, []string{"--model is empty", "py3", "free-threaded"}},
		{"empty --width", []string{"export", "cpu-bound", "--format", "text", "--width", ""}, []string{"--width is empty", "40 to"}},
		{"empty --format", []string{"export", "cpu-bound", "--format="}, []string{"--format is empty", "perfetto, svg or text"}},
		{"empty --cores", []string{"compare", "cpu-bound", "--cores", ""}, []string{"--cores is empty", "1 to 1024"}},
		{"newline in a flag", []string{"run", "cpu-bound", "--bo\ngus"}, []string{`unknown flag "--bo\ngus"`}},
		{"newline in a scenario", []string{"run", "cpu\nbound"}, []string{`"cpu\nbound"`}},
		{"newline in a value", []string{"run", "cpu-bound", "--cores", "4\n"}, []string{`--cores "4\n"`}},
		{"help on nothing", []string{"help", "nosuch"}, []string{`no help for "nosuch"`, "accepted: calibrate, compare, export, list, play, profile, run"}},
		{"help with extra words", []string{"help", "run", "cpu-bound", "extra"}, []string{"takes no more words", `"extra"`}},
		{"help on an unknown scenario", []string{"help", "run", "nosuch"}, []string{`unknown scenario "nosuch"`}},
		{"misspelt scenario", []string{"run", "cpu-bond"}, []string{`unknown scenario "cpu-bond"`, "did you mean cpu-bound?"}},
		{"misspelt parameter", []string{"run", "cpu-bound", "--set", "thread=2"}, []string{`"thread"`, "did you mean threads?"}},
		{"misspelt command", []string{"rnu", "cpu-bound"}, []string{`unknown command "rnu"`, "did you mean run?"}},
		{"a scenario as a command", []string{"cpu-bound"}, []string{"is a scenario, not a command", "gilsim play cpu-bound"}},
		{"--set value apart", []string{"run", "cpu-bound", "--set", "threads", "8"}, []string{"as --set threads=8"}},
		{"-set with one dash", []string{"compare", "cpu-bound", "-set", "threads=8"}, []string{`"threads=8"`, "--set threads=8 (two dashes"}},
		{"--set values joined by a comma", []string{"run", "cpu-bound", "--set", "threads=8,count=30000"}, []string{"--set threads=8 --set count=30000"}},
		{"--switch-interval with py2", []string{"run", "cpu-bound", "--model", "py2", "--switch-interval", "1ms"}, []string{"--switch-interval applies to the py3 model only", "py2"}},
		{"--switch-interval with the GIL off", []string{"export", "cpu-bound", "--format", "text", "--gil", "off", "--switch-interval", "1ms"}, []string{"--switch-interval applies to the py3 model only", "no GIL"}},
		{"--check-interval with py3", []string{"run", "cpu-bound", "--check-interval", "10"}, []string{"--check-interval applies to the py2 model only"}},
		{"bad --check-interval", []string{"compare", "cpu-bound", "--check-interval", "0"}, []string{`--check-interval "0"`, "from 1 to 1000000"}},
		{"--gil with compare", []string{"compare", "cpu-bound", "--gil", "off"}, []string{"--gil is not accepted", "gilsim run"}},
		{"--model with compare", []string{"compare", "cpu-bound", "--model=py2"}, []string{"--model is not accepted", "gilsim run"}},
		{"unknown --platform", []string{"run", "convoy", "--platform", "skvortsov-2012"}, []string{`unknown platform "skvortsov-2012"`, "did you mean skvortsov-2021?", "accepted: linux, beazley-2010, skvortsov-2021, or a profile file"}},
		{"missing --platform file", []string{"compare", "convoy", "--platform", "nosuch.json"}, []string{"profile nosuch.json: no such file"}},
		{"empty --platform", []string{"export", "convoy", "--format", "text", "--platform", ""}, []string{"--platform is empty", "accepted: the platform profile", "skvortsov-2021 or a FILE.json"}},
		{"unknown profile to show", []string{"profile", "show", "macos"}, []string{`unknown platform "macos" (accepted: linux, beazley-2010, skvortsov-2021, or a profile file`}},
		{"profile show without a name", []string{"profile", "show"}, []string{"needs a profile", "linux, beazley-2010, skvortsov-2021"}},
		{"profile show with two", []string{"profile", "show", "default", "beazley-2010"}, []string{"takes one profile"}},
		{"a profile as a command", []string{"profile", "beazley-2010"}, []string{"is a profile, not a command", "gilsim profile show beazley-2010"}},
		{"unknown profile command", []string{"profile", "lsit"}, []string{`unknown command "lsit"`, "did you mean list?", "accepted: check, list, show"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := cli(t, tc.args...)
			if r.code != 2 {
				t.Errorf("exit status %d, want 2", r.code)
			}
			if r.stdout != "" {
				t.Errorf("stdout is not empty:\n%s", r.stdout)
			}
			if !strings.HasPrefix(r.stderr, "gilsim: ") || strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
				t.Fatalf("stderr is not one line starting with \"gilsim: \": %q", r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("message %q does not contain %q", r.stderr, w)
				}
			}
			for _, bad := range []string{"Usage:", "panic", "goroutine "} {
				if strings.Contains(r.stderr, bad) {
					t.Errorf("message contains %q: %q", bad, r.stderr)
				}
			}
		})
	}
}
