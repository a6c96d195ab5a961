package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/creack/pty"

	"github.com/gilsim/gilsim/tui"
)

// fakeEnv is an environment for getenv.
type fakeEnv map[string]string

func (e fakeEnv) get(k string) string { return e[k] }

// TestParseTheme checks where the theme comes from: the flag, else
// GILSIM_THEME, else auto; and that a bad value names what is accepted.
func TestParseTheme(t *testing.T) {
	auto := themeChoice{tui.ThemeDark, tui.ThemeLight}
	for _, tt := range []struct {
		flag, env string
		want      themeChoice
		err       string
	}{
		{"", "", auto, ""},
		{"auto", "", auto, ""},
		{"dark", "", themeChoice{tui.ThemeDark, tui.ThemeDark}, ""},
		{"", "light", themeChoice{tui.ThemeLight, tui.ThemeLight}, ""},
		{"Light", "", themeChoice{tui.ThemeLight, tui.ThemeLight}, ""},
		{"high-contrast", "", themeChoice{tui.ThemeHighContrastDark, tui.ThemeHighContrastLight}, ""},
		{"high-contrast-light", "", themeChoice{tui.ThemeHighContrastLight, tui.ThemeHighContrastLight}, ""},
		{"", "high-contrast-dark", themeChoice{tui.ThemeHighContrastDark, tui.ThemeHighContrastDark}, ""},
		{"dark", "light", themeChoice{tui.ThemeDark, tui.ThemeDark}, ""}, // the flag wins
		{"dark", "sepia", themeChoice{tui.ThemeDark, tui.ThemeDark}, ""}, // even over a bad variable
		{"blue", "", themeChoice{}, `--theme "blue" is not a theme (accepted: auto, dark, light, high-contrast, high-contrast-dark, high-contrast-light)`},
		{"", "sepia", themeChoice{}, `GILSIM_THEME "sepia" is not a theme (accepted: auto,`},
	} {
		got, err := parseTheme(tt.flag, fakeEnv{themeEnv: tt.env}.get)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("--theme %q, %s=%q: error %v, want %q", tt.flag, themeEnv, tt.env, err, tt.err)
			}
		case err != nil || got != tt.want:
			t.Errorf("--theme %q, %s=%q: %v, %v; want %v", tt.flag, themeEnv, tt.env, got, err, tt.want)
		}
	}
}

// TestThemeUsage runs the commands that draw the UI with a bad theme, by
// flag or by environment: one line on stderr naming what was wrong and
// what is accepted, exit status 2. A good theme gets as far as finding
// that stdout is not a terminal.
func TestThemeUsage(t *testing.T) {
	for _, tt := range []struct {
		env  string
		args []string
		want []string
	}{
		{"", []string{"--theme", "blue"}, []string{`--theme "blue" is not a theme`, "high-contrast"}},
		{"", []string{"play", "cpu-bound", "--theme", "blue"}, []string{`--theme "blue"`, "accepted: auto, dark, light"}},
		{"sepia", nil, []string{`GILSIM_THEME "sepia" is not a theme`, "accepted"}},
		{"sepia", []string{"play", "cpu-bound"}, []string{"GILSIM_THEME"}},
		{"sepia", []string{"--theme", "light"}, []string{"not a terminal"}},
		{"", []string{"play", "cpu-bound", "--theme", "high-contrast"}, []string{"not a terminal"}},
	} {
		t.Run(tt.env+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			t.Setenv(themeEnv, tt.env)
			r := cli(t, tt.args...)
			if r.code != 2 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("exit status %d, stdout %q, stderr %q: want 2, nothing, one line", r.code, r.stdout, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not say %q", r.stderr, w)
				}
			}
		})
	}
}

// TestThemeFlagInHelp checks that both commands that draw the UI list
// --theme with its values.
func TestThemeFlagInHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"play", "--help"}} {
		if out := cliOK(t, args...); !strings.Contains(out, "--theme auto|dark|light|high-contrast") {
			t.Errorf("gilsim %s does not list --theme:\n%s", strings.Join(args, " "), out)
		}
	}
}

// fakeTerminal answers questions the way a terminal, tmux or screen
// does: each write is one question, answered on replies.
type fakeTerminal struct {
	answer  func(q string) []string // the chunks written back
	asked   []string
	replies chan []byte
}

func (f *fakeTerminal) Write(p []byte) (int, error) {
	f.asked = append(f.asked, string(p))
	for _, r := range f.answer(string(p)) {
		f.replies <- []byte(r)
	}
	return len(p), nil
}

// The replies terminals give.
const (
	whiteBG = "\x1b]11;rgb:ffff/ffff/ffff\a"
	blackBG = "\x1b]11;rgb:0000/0000/0000\x1b\\"
	cpr     = "\x1b[24;1R"
)

// xterm answers both questions; quiet answers only the position report;
// mute answers nothing.
func xterm(bg string) func(string) []string {
	return func(q string) []string {
		if q == queryBG+queryCPR {
			return []string{bg, cpr}
		}
		return nil
	}
}

func quiet(q string) []string {
	if strings.HasSuffix(q, queryCPR) {
		return []string{cpr}
	}
	return nil
}

func mute(string) []string { return nil }

// tmux33 behaves like tmux 3.3a: it answers OSC 11 when a style sets the
// pane's background (styled), answers position reports itself, and hands
// a passthrough to the outer terminal only if allowed.
func tmux33(styled string, allowed bool, outer string) func(string) []string {
	return func(q string) []string {
		switch {
		case q == queryBG+queryCPR && styled != "":
			return []string{styled, "\x1b[1;1R"}
		case q == queryBG+queryCPR:
			return []string{"\x1b[1;1R"}
		case q == tmuxWrap(queryBG+queryCPR) && allowed:
			return []string{outer, cpr}
		}
		return nil
	}
}

// screen49 behaves like GNU screen 4.9: a passthrough goes out and its
// replies come back in order; a bare OSC 11 would be overtaken by the
// position report screen answers itself.
func screen49(outer string) func(string) []string {
	return func(q string) []string {
		switch q {
		case screenWrap(queryBG) + screenWrap(queryCPR):
			return []string{outer, cpr}
		case queryBG + queryCPR:
			return []string{"\x1b[1;1R", outer}
		}
		return nil
	}
}

// TestAskBackground plays the conversation with each kind of terminal.
func TestAskBackground(t *testing.T) {
	for _, tt := range []struct {
		name        string
		mux         int
		answer      func(string) []string
		passthrough bool
		want        string // "light", "dark" or "" for no answer
		questions   int
	}{
		{"xterm, light", muxNone, xterm(whiteBG), false, "light", 1},
		{"xterm, dark, ST", muxNone, xterm(blackBG), false, "dark", 1},
		{"no OSC 11", muxNone, quiet, false, "", 1},
		{"no answer at all", muxNone, mute, false, "", 1},
		{"tmux, window-style", muxTmux, tmux33(whiteBG, false, ""), false, "light", 1},
		{"tmux, no style, no passthrough", muxTmux, tmux33("", false, whiteBG), false, "", 1},
		{"tmux, no style, passthrough", muxTmux, tmux33("", true, whiteBG), true, "light", 2},
		{"screen", muxScreen, screen49(whiteBG), false, "light", 1},
		{"screen, dark", muxScreen, screen49(blackBG), false, "dark", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTerminal{answer: tt.answer, replies: make(chan []byte, 8)}
			c := &conversation{w: f, replies: f.replies, timeout: 20 * time.Millisecond}
			bg, ok := askBackground(c, tt.mux, func() bool { return tt.passthrough })
			got := ""
			if ok {
				got = map[bool]string{true: "dark", false: "light"}[isDark(bg)]
			}
			if got != tt.want || len(f.asked) != tt.questions {
				t.Errorf("background %q after %d questions %q; want %q after %d", got, len(f.asked), f.asked, tt.want, tt.questions)
			}
		})
	}
}

// TestAskReadsInPieces feeds a reply a byte at a time, after some typing.
func TestAskReadsInPieces(t *testing.T) {
	replies := make(chan []byte, 64)
	for _, b := range []byte("q" + whiteBG + cpr) {
		replies <- []byte{b}
	}
	c := &conversation{w: io.Discard, replies: replies, timeout: time.Second}
	if bg, ok := c.ask(queryBG + queryCPR); !ok || isDark(bg) {
		t.Errorf("got %v, %v: want white", bg, ok)
	}
}

func TestParseOSC11(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want rgb
		ok   bool
	}{
		{"\x1b]11;rgb:ffff/ffff/ffff\a", rgb{1, 1, 1}, true},
		{"\x1b]11;rgb:ff/80/00\x1b\\", rgb{1, 128.0 / 255, 0}, true},
		{"\x1b]11;rgb:f/0/f\a", rgb{1, 0, 1}, true},
		{"\x1b]11;rgba:0000/0000/0000/ffff\a", rgb{0, 0, 0}, true},
		{"\x1b]11;#1e1e1e\a", rgb{30.0 / 255, 30.0 / 255, 30.0 / 255}, true},
		{"\x1b]11;rgb:zz/00/00\a", rgb{}, false},
		{"\x1b]11;rgb:00000/0/0\a", rgb{}, false},
		{"\x1b]10;rgb:ffff/ffff/ffff\a", rgb{}, false},
		{"", rgb{}, false},
	} {
		got, ok := parseOSC11([]byte(tt.in))
		if ok != tt.ok || got != tt.want {
			t.Errorf("%q: %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestIsDark(t *testing.T) {
	for _, tt := range []struct {
		c    rgb
		dark bool
	}{
		{rgb{0, 0, 0}, true},
		{rgb{30.0 / 255, 30.0 / 255, 30.0 / 255}, true},     // #1e1e1e
		{rgb{0, 43.0 / 255, 54.0 / 255}, true},              // Solarized Dark
		{rgb{0.75, 0.75, 0.75}, false},                      // tmux's bg=white
		{rgb{253.0 / 255, 246.0 / 255, 227.0 / 255}, false}, // Solarized Light
		{rgb{1, 1, 1}, false},
	} {
		if got := isDark(tt.c); got != tt.dark {
			t.Errorf("%v: dark %v, want %v", tt.c, got, tt.dark)
		}
	}
}

func TestColorFGBG(t *testing.T) {
	for _, tt := range []struct {
		v        string
		dark, ok bool
	}{
		{"15;0", true, true}, {"0;15", false, true}, {"0;7", false, true}, {"12;8", true, true},
		{"0;default;15", false, true}, {"15;default;0", true, true},
		{"", false, false}, {"default;default", false, false}, {"0;16", false, false},
	} {
		c, ok := colorFGBG(tt.v)
		if ok != tt.ok || ok && isDark(c) != tt.dark {
			t.Errorf("COLORFGBG=%q: dark %v, %v; want %v, %v", tt.v, isDark(c), ok, tt.dark, tt.ok)
		}
	}
}

func TestMultiplexer(t *testing.T) {
	for _, tt := range []struct {
		env  fakeEnv
		want int
	}{
		{fakeEnv{"TERM": "xterm-256color"}, muxNone},
		{fakeEnv{"TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0"}, muxTmux},
		{fakeEnv{"TERM": "screen-256color", "TMUX": "/tmp/tmux-0/default,1,0"}, muxTmux},
		{fakeEnv{"TERM": "tmux-256color"}, muxTmux}, // over ssh from a tmux pane
		{fakeEnv{"TERM": "screen.xterm-256color", "STY": "1.pts-0.host"}, muxScreen},
		{fakeEnv{"TERM": "screen"}, muxScreen},
		{fakeEnv{"TERM": "screen.xterm-256color", "STY": "1.pts", "TMUX": "/tmp/t,1,0"}, muxScreen},
		{fakeEnv{"TERM": "tmux-256color", "STY": "1.pts", "TMUX": "/tmp/t,1,0"}, muxTmux},
	} {
		if got := multiplexer(tt.env.get); got != tt.want {
			t.Errorf("%v: multiplexer %d, want %d", tt.env, got, tt.want)
		}
	}
}

// TestQueryBackgroundInPTY asks a real pseudo-terminal, whose other side
// answers like xterm, or not at all: the answer arrives, the terminal's
// mode is restored, the wait without an answer is bounded, and nothing
// is left reading the terminal afterwards.
func TestQueryBackgroundInPTY(t *testing.T) {
	for _, answer := range []bool{true, false} {
		ptm, tty, err := pty.Open()
		if err != nil {
			t.Fatal(err)
		}
		before, err := term.GetState(tty.Fd())
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			var got []byte
			b := make([]byte, 64)
			for !bytes.HasSuffix(got, []byte(queryCPR)) {
				n, err := ptm.Read(b)
				if err != nil {
					return
				}
				got = append(got, b[:n]...)
			}
			if answer {
				ptm.WriteString(whiteBG + cpr)
			}
		}()
		start := time.Now()
		bg, ok := queryBackground(tty, tty, fakeEnv{"TERM": "xterm-256color"}.get)
		took := time.Since(start)
		if ok != answer || ok && isDark(bg) {
			t.Errorf("answer %v: got %v, %v", answer, bg, ok)
		}
		if !answer && took > backgroundTimeout+time.Second {
			t.Errorf("no answer: waited %v", took)
		}
		after, err := term.GetState(tty.Fd())
		if err != nil || *after != *before {
			t.Errorf("answer %v: the terminal's mode is not restored", answer)
		}
		// A key typed now must reach whoever reads the terminal next.
		if _, err := ptm.WriteString("x\n"); err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 8)
		tty.SetReadDeadline(time.Now().Add(5 * time.Second))
		if n, err := tty.Read(b); err != nil || !strings.HasPrefix(string(b[:n]), "x") {
			t.Errorf("answer %v: read %q, %v after the query; want the key typed", answer, b[:n], err)
		}
		ptm.Close()
		tty.Close()
	}
}
