package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// FuzzCommandLine runs gilsim on fuzzed command lines: words separated by
// NUL bytes after one of the commands that write nothing to disk (export
// would write its -o file, and the picker needs a terminal). Whatever
// the words, gilsim must not panic, must exit 0, 1 or 2, and on failure
// must say why in one line starting "gilsim: ", with nothing on stdout for
// bad input. A run is capped at a few thousand events so that a fuzzed
// --set threads=10000 stays cheap: a later --max-events overrides an
// earlier one, so the cap comes last.
func FuzzCommandLine(f *testing.F) {
	for _, seed := range []string{
		"run\x00cpu-bound",
		"run\x00counter-race\x00--set\x00threads=3\x00--json",
		"compare\x00convoy\x00--cores\x002",
		"run\x003.1.2\x00--model\x00py2\x00--switch-interval\x001ms",
		"run\x00cpu-bound\x00--gil\x00\x00--seed\x0018446744073709551615",
		"run\x00io-bound\x00-s\x00ops=1_000\x00--timeline\x00--width\x0040",
		"list\x00--params",
		"help\x00run\x00asyncio-blocking",
		"play\x00nosuch",
		"run\x00cpu\nbound\x00--bo\ngus",
		"run\x00thread-lock\x00--set\x00hold=0.5ns\x00--max-time\x001us",
	} {
		f.Add(seed)
	}
	commands := []string{"run", "compare", "list", "help", "play"}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, "\x00")
		if !slices.Contains(commands, args[0]) {
			args = append([]string{commands[len(line)%len(commands)]}, args...)
		}
		if args[0] == "run" || args[0] == "compare" {
			args = append(args, "--max-events", "5000")
		}
		var stdout, stderr bytes.Buffer
		code := gilsim(args, strings.NewReader(""), &stdout, &stderr)
		msg := stderr.String()
		switch code {
		case 0:
			if msg != "" {
				t.Errorf("exit 0 with stderr %q", msg)
			}
		case 1, 2:
			if !strings.HasPrefix(msg, "gilsim: ") || strings.Count(msg, "\n") != 1 || !strings.HasSuffix(msg, "\n") {
				t.Errorf("exit %d with stderr %q, want one line starting gilsim:", code, msg)
			}
			if code == 2 && stdout.Len() > 0 {
				t.Errorf("bad input, yet stdout has %q", stdout.String())
			}
		default:
			t.Errorf("exit status %d, want 0, 1 or 2", code)
		}
	})
}

// FuzzOSC11 feeds the terminal-reply parser what a terminal (or anything
// pretending to be one) might answer: it must not panic, and a colour it
// accepts has every channel between 0 and 1.
func FuzzOSC11(f *testing.F) {
	for _, seed := range []string{
		"\x1b]11;rgb:0000/0000/0000\x1b\\",
		"\x1b]11;rgb:ffff/ffff/ffff\a",
		"\x1b]11;rgba:1e1e/1e1e/2e2e/ffff\x1b\\",
		"\x1b]11;#fdf6e3\a",
		"\x1b]11;rgb:f/8/0\a\x1b[?62;c",
		"\x1b[?1;2c\x1b]11;rgb:12345/0/0\a",
		"\x1b]11;\a",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, reply []byte) {
		c, ok := parseOSC11(reply)
		if !ok {
			return
		}
		for _, v := range []float64{c.r, c.g, c.b} {
			if !(v >= 0 && v <= 1) {
				t.Errorf("parseOSC11(%q) = %+v: a channel outside 0..1", reply, c)
			}
		}
	})
}

// FuzzColorFGBG reads fuzzed COLORFGBG values, which any program may set.
func FuzzColorFGBG(f *testing.F) {
	for _, seed := range []string{"15;0", "0;15", "12;default;8", "7", ";", "-1;-1", "0;99999999999999999999"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		c, ok := colorFGBG(v)
		if ok && c != (rgb{}) && c != (rgb{1, 1, 1}) {
			t.Errorf("colorFGBG(%q) = %+v, want black or white", v, c)
		}
	})
}
