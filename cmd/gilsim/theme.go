package main

import (
	"bytes"
	"context"
	"io"
	"math"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/muesli/cancelreader"
	"github.com/spf13/pflag"

	"github.com/gilsim/gilsim/tui"
)

// The UI's colours follow --theme, or GILSIM_THEME when the flag is not
// given, or else auto: the standard palette in its dark or light shades,
// whichever the terminal's background calls for. Finding that out is I/O,
// so it happens here, once, before the program takes the terminal over.
//
// How a program learns the background (tried with tmux 3.3a and GNU screen
// 4.9, each attached to a pseudo-terminal whose other side answered like
// xterm, and with that pseudo-terminal alone):
//
//   - A terminal answers the query OSC 11 ; ? with its background,
//     "ESC ] 11 ; rgb:ffff/ffff/ffff BEL". A terminal that does not know
//     the query ignores it, so it is followed by a cursor position report
//     request (CSI 6 n), which every terminal answers: its reply ends the
//     wait at once, with or without a background before it. termenv does
//     the same (waiting up to 5 s) but never when TERM starts with
//     "screen" or "tmux", so that there lipgloss's own guess is COLORFGBG
//     or dark: the classroom's light projector got the dark palette.
//   - tmux answers OSC 11 itself, without asking the outer terminal, and
//     only when the pane's background is set by a style: with
//     `set -g window-style bg=#ffffff` it replies rgb:ffff/ffff/ffff
//     (bg=white gives rgb:c0c0/c0c0/c0c0), with no style it does not reply
//     at all: 3.3a neither asks the outer terminal for its colours nor
//     forwards the query (newer versions may; not tried here). It answers
//     CSI 6 n itself.
//   - The outer terminal can be asked through tmux's DCS passthrough,
//     "ESC P tmux ; ESC ESC ] 11 ; ? BEL ESC \", whose reply tmux hands to
//     the pane; but since tmux 3.3 only with `set -g allow-passthrough on`
//     (off by default), and otherwise tmux drops it without a word. So the
//     passthrough is tried only when tmux says the pane allows it (the
//     #{allow-passthrough} format; empty before 3.3, where it was always
//     allowed), and the cursor report goes through it too, so that it
//     comes back after the outer terminal's answer.
//   - screen forwards a bare OSC 11 to the outer terminal but answers
//     CSI 6 n itself, so the report overtakes the background. Both go
//     through screen's passthrough, "ESC P ... ESC \", and come back in
//     order.
//   - COLORFGBG ("15;0": white on black), which rxvt, Konsole and iTerm2
//     set, survives into tmux panes (the server's global environment keeps
//     it from the client that started the server) and into screen windows
//     (they inherit it): it is the fallback, and dark the last resort.
//
// Each question waits at most backgroundTimeout; a terminal usually
// answers in a few milliseconds.

// backgroundTimeout bounds each question to the terminal, so that start-up
// never hangs on one that does not answer.
const backgroundTimeout = 250 * time.Millisecond

// themeEnv names the environment variable that sets the theme when
// --theme is not given.
const themeEnv = "GILSIM_THEME"

// themeChoice is a theme as --theme names it: the theme for a dark
// background and the one for a light background, the same when the name
// forces one.
type themeChoice struct{ dark, light tui.Theme }

// themeNames are the accepted --theme values, in the order help lists them.
var themeNames = []string{"auto", "dark", "light", "high-contrast", "high-contrast-dark", "high-contrast-light"}

var themeChoices = map[string]themeChoice{
	"auto":                {tui.ThemeDark, tui.ThemeLight},
	"dark":                {tui.ThemeDark, tui.ThemeDark},
	"light":               {tui.ThemeLight, tui.ThemeLight},
	"high-contrast":       {tui.ThemeHighContrastDark, tui.ThemeHighContrastLight},
	"high-contrast-dark":  {tui.ThemeHighContrastDark, tui.ThemeHighContrastDark},
	"high-contrast-light": {tui.ThemeHighContrastLight, tui.ThemeHighContrastLight},
}

// themeVar registers --theme on the commands that draw the UI.
func themeVar(fs *pflag.FlagSet, p *string) {
	textVar(fs, p, "theme", "", "auto|dark|light|high-contrast",
		"colours: auto, dark, light or high-contrast; auto and high-contrast (7:1) follow the terminal's background, "+
			"high-contrast-dark and -light force one (default $"+themeEnv+", else auto)")
}

// parseTheme reads the theme from the flag's value, or else from
// GILSIM_THEME as getenv gives it, or else auto.
func parseTheme(flag string, getenv func(string) string) (themeChoice, error) {
	what, name := "--theme", flag
	if flag == "" {
		what, name = themeEnv, getenv(themeEnv)
	}
	if name == "" {
		return themeChoices["auto"], nil
	}
	c, ok := themeChoices[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return c, usagef("%s %q is not a theme (accepted: %s)", what, name, strings.Join(themeNames, ", "))
	}
	return c, nil
}

// follows reports whether the choice depends on the background.
func (c themeChoice) follows() bool { return c.dark != c.light }

// pick is the theme for the terminal: the background is asked for only
// when the choice depends on it.
func (c themeChoice) pick(dark func() bool) tui.Theme {
	if c.follows() && !dark() {
		return c.light
	}
	return c.dark
}

// darkBackground reports whether the terminal on e's stdin and stdout has
// a dark background: by asking it, else from COLORFGBG, else yes.
func darkBackground(e *env) bool {
	in, inOK := e.stdin.(*os.File)
	out, outOK := e.stdout.(*os.File)
	if inOK && outOK && isTerminal(in) && isTerminal(out) && runtime.GOOS != "windows" {
		if bg, ok := queryBackground(in, out, os.Getenv); ok {
			return isDark(bg)
		}
	}
	if bg, ok := colorFGBG(os.Getenv("COLORFGBG")); ok {
		return isDark(bg)
	}
	return true
}

// queryBackground asks the terminal on in and out for its background,
// with in in raw mode for the while. The replies are read through a
// cancelable reader so that, when a question times out, nothing is left
// reading the terminal that the program is about to take over.
func queryBackground(in, out *os.File, getenv func(string) string) (rgb, bool) {
	state, err := term.MakeRaw(in.Fd())
	if err != nil {
		return rgb{}, false
	}
	defer term.Restore(in.Fd(), state)
	cr, err := cancelreader.NewReader(in)
	if err != nil {
		return rgb{}, false
	}
	defer cr.Close()
	chunks, stop, done := make(chan []byte), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			b := make([]byte, 256)
			n, err := cr.Read(b)
			if n > 0 {
				select {
				case chunks <- b[:n]:
				case <-stop:
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() { close(stop); cr.Cancel(); <-done }()
	t := &conversation{w: out, replies: chunks, timeout: backgroundTimeout}
	return askBackground(t, multiplexer(getenv), func() bool { return tmuxPassthrough(getenv) })
}

// The queries: the background (OSC 11), the cursor position report that
// every terminal answers (CSI 6 n), and the two multiplexers' wrappers
// that hand a sequence to the outer terminal.
const (
	queryBG  = "\x1b]11;?\a"
	queryCPR = "\x1b[6n"
)

// tmuxWrap hands s to the terminal outside tmux, its escapes doubled;
// screenWrap hands s to the terminal outside screen.
func tmuxWrap(s string) string {
	return "\x1bPtmux;" + strings.ReplaceAll(s, "\x1b", "\x1b\x1b") + "\x1b\\"
}

func screenWrap(s string) string { return "\x1bP" + s + "\x1b\\" }

// Terminal multiplexers, which stand between the program and the terminal.
const (
	muxNone = iota
	muxTmux
	muxScreen
)

// multiplexer tells which multiplexer, if any, the program runs in: tmux
// sets TMUX, screen sets STY, and TERM (which ssh carries) starts with
// tmux or screen. When they nest, TERM tells the inner one: screen calls
// it screen.OUTER, tmux tmux-256color or screen-256color.
func multiplexer(getenv func(string) string) int {
	t, inTmux, inScreen := getenv("TERM"), getenv("TMUX") != "", getenv("STY") != ""
	switch {
	case inTmux && inScreen:
		if strings.HasPrefix(t, "screen.") {
			return muxScreen
		}
		return muxTmux
	case inTmux || strings.HasPrefix(t, "tmux"):
		return muxTmux
	case inScreen || strings.HasPrefix(t, "screen"):
		return muxScreen
	}
	return muxNone
}

// askBackground asks the terminal behind t for its background the way
// the multiplexer in between lets it (see the comment at the top). The
// tmux passthrough is tried only if passthrough says tmux allows it.
func askBackground(t *conversation, mux int, passthrough func() bool) (rgb, bool) {
	switch mux {
	case muxScreen:
		return t.ask(screenWrap(queryBG) + screenWrap(queryCPR))
	case muxTmux:
		if bg, ok := t.ask(queryBG + queryCPR); ok {
			return bg, true
		}
		if !passthrough() {
			return rgb{}, false
		}
		return t.ask(tmuxWrap(queryBG + queryCPR))
	}
	return t.ask(queryBG + queryCPR)
}

// tmuxPassthrough reports whether tmux lets this pane's programs talk to
// the outer terminal: the pane's allow-passthrough (1, on or all), or
// tmux before 3.3, which has no such option and always lets them.
func tmuxPassthrough(getenv func(string) string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), backgroundTimeout)
	defer cancel()
	args := []string{"display-message", "-p"}
	if pane := getenv("TMUX_PANE"); pane != "" {
		args = append(args, "-t", pane)
	}
	outb, err := exec.CommandContext(ctx, "tmux", append(args, "#{allow-passthrough}")...).Output()
	if err != nil {
		return false
	}
	switch strings.TrimSpace(string(outb)) {
	case "", "1", "on", "all":
		return true
	}
	return false
}

// conversation is questions to a terminal: each is written to w, and the
// chunks read back arrive on replies.
type conversation struct {
	w       io.Writer
	replies <-chan []byte
	timeout time.Duration
	read    []byte
}

// cprReply is a cursor position report, which ends every question.
var cprReply = regexp.MustCompile(`\x1b\[[0-9]+;[0-9]+R`)

// ask writes q, which ends with a cursor position request, and reads
// until that report: the background is the OSC 11 reply that came before
// it, if any. Without a report within the timeout the answer is no.
func (c *conversation) ask(q string) (rgb, bool) {
	if _, err := io.WriteString(c.w, q); err != nil {
		return rgb{}, false
	}
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	for {
		if loc := cprReply.FindIndex(c.read); loc != nil {
			before := c.read[:loc[0]]
			c.read = c.read[loc[1]:]
			return parseOSC11(before)
		}
		select {
		case b, ok := <-c.replies:
			if !ok {
				return rgb{}, false
			}
			c.read = append(c.read, b...)
		case <-timer.C:
			return rgb{}, false
		}
	}
}

// rgb is a colour, each channel from 0 to 1.
type rgb struct{ r, g, b float64 }

// isDark reports whether white text reads better on c than black text
// does: its relative luminance is below 0.179, where the two contrast
// ratios are equal.
func isDark(c rgb) bool {
	lin := func(v float64) float64 {
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r)+0.7152*lin(c.g)+0.0722*lin(c.b) < 0.179
}

// osc11Reply is a terminal's reply to OSC 11 ; ?, ended by BEL or ST.
var osc11Reply = regexp.MustCompile(`\x1b\]11;([^\a\x1b]*)(?:\a|\x1b\\)`)

// parseOSC11 finds the background in replies: rgb:R/G/B with one to four
// hex digits per channel (as xterm and tmux answer), rgba:R/G/B/A, or
// #RRGGBB.
func parseOSC11(replies []byte) (rgb, bool) {
	m := osc11Reply.FindSubmatch(replies)
	if m == nil {
		return rgb{}, false
	}
	s := string(bytes.TrimSpace(m[1]))
	var parts []string
	switch {
	case strings.HasPrefix(s, "rgb:"):
		parts = strings.Split(s[len("rgb:"):], "/")
	case strings.HasPrefix(s, "rgba:"):
		parts = strings.Split(s[len("rgba:"):], "/")
		if len(parts) == 4 {
			parts = parts[:3]
		}
	case strings.HasPrefix(s, "#") && len(s) == 7:
		parts = []string{s[1:3], s[3:5], s[5:7]}
	}
	if len(parts) != 3 {
		return rgb{}, false
	}
	var ch [3]float64
	for i, p := range parts {
		if len(p) < 1 || len(p) > 4 {
			return rgb{}, false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return rgb{}, false
		}
		ch[i] = float64(v) / float64(uint64(1)<<(4*len(p))-1)
	}
	return rgb{ch[0], ch[1], ch[2]}, true
}

// colorFGBG reads the background from COLORFGBG, "fg;bg" or
// "fg;default;bg": a colour of the 16, dark for 0 to 6 and for 8 (bright
// black, the background Solarized Dark reports), light for 7 and 9 to 15.
func colorFGBG(v string) (rgb, bool) {
	i := strings.LastIndexByte(v, ';')
	if i < 0 {
		return rgb{}, false
	}
	n, err := strconv.Atoi(v[i+1:])
	if err != nil || n < 0 || n > 15 {
		return rgb{}, false
	}
	if n <= 6 || n == 8 {
		return rgb{}, true
	}
	return rgb{1, 1, 1}, true
}
