//go:build unix

package main

import (
	"errors"
	"image/color"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// waitLimit is how long an end-to-end test waits for the screen to show
// something, or for the program to exit, before it fails.
const waitLimit = 15 * time.Second

// keySeqs holds what a terminal sends when a person presses a key (xterm,
// cursor keys in normal mode, which is the mode bubbletea leaves them in),
// by the key's name in bubbletea and in the KeyMap's bindings.
var keySeqs = map[string]string{
	"space":     " ",
	"enter":     "\r",
	"tab":       "\t",
	"backspace": "\x7f",
	"esc":       "\x1b",
	"ctrl+c":    "\x03",
	"up":        "\x1b[A",
	"down":      "\x1b[B",
	"right":     "\x1b[C",
	"left":      "\x1b[D",
	"home":      "\x1b[H",
	"end":       "\x1b[F",
	"pgup":      "\x1b[5~",
	"pgdown":    "\x1b[6~",
}

// buildGilsim builds the real gilsim binary into the test's temporary
// directory and returns its path.
func buildGilsim(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gilsim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// termOptions says how to start a program in a terminal.
type termOptions struct {
	cols, rows int         // the terminal's size: 80x24 when zero
	env        []string    // KEY=value pairs added to the program's environment
	background color.Color // the background it reports when asked (OSC 11): black when nil
}

// terminal is a program running in a pseudo-terminal whose output feeds a
// terminal emulator written in Go: the screen a person would see, and a
// keyboard. Its methods fail the test rather than return errors.
type terminal struct {
	t   *testing.T
	pty *os.File // the pseudo-terminal's master side
	cmd *exec.Cmd

	mu sync.Mutex // guards vt and changed
	vt *vt.Emulator
	// changed is closed, and replaced, whenever the screen may have
	// changed: waiting on it instead of sleeping wakes a wait exactly
	// when there is something new to look at.
	changed chan struct{}

	// exited is closed once the program has exited and everything it
	// wrote is on the screen; exitErr is cmd.Wait's error then.
	exited  chan struct{}
	exitErr error
}

// startTerminal runs bin with args in a new pseudo-terminal. The test's
// cleanup kills the program if it is still running and closes the
// terminal.
//
// The emulator answers the queries a program sends its terminal (cursor
// position, background colour, device attributes) by writing to the
// program's input, as a real terminal does. gilsim asks twice at
// start-up: bubbletea's package init through termenv (which waits up to
// five seconds for an answer) and gilsim's own theme choice.
func startTerminal(t *testing.T, opts termOptions, bin string, args ...string) *terminal {
	t.Helper()
	if opts.cols == 0 && opts.rows == 0 {
		opts.cols, opts.rows = 80, 24
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(terminalEnv(), opts.env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(opts.cols), Rows: uint16(opts.rows)})
	if err != nil {
		t.Fatalf("starting %s in a pseudo-terminal: %v", bin, err)
	}
	tm := &terminal{
		t:       t,
		pty:     f,
		cmd:     cmd,
		vt:      vt.NewEmulator(opts.cols, opts.rows),
		changed: make(chan struct{}),
		exited:  make(chan struct{}),
	}
	if opts.background != nil {
		tm.vt.SetDefaultBackgroundColor(opts.background)
	}

	// The emulator writes its answers into a pipe, synchronously, while it
	// reads the program's output: something must drain the pipe, or the
	// first query would block the screen for good.
	answered := make(chan struct{})
	go func() {
		defer close(answered)
		io.Copy(f, tm.vt)
	}()

	drawn := make(chan struct{})
	go func() {
		defer close(drawn)
		buf := make([]byte, 32<<10)
		for {
			n, err := f.Read(buf)
			if n > 0 {
				tm.mu.Lock()
				tm.vt.Write(buf[:n])
				tm.touch()
				tm.mu.Unlock()
			}
			if err != nil {
				return // EIO: the program, the terminal's last user, has exited
			}
		}
	}()

	go func() {
		err := cmd.Wait()
		<-drawn
		tm.exitErr = err
		close(tm.exited)
	}()

	t.Cleanup(func() {
		select {
		case <-tm.exited:
		default:
			// The program leads its own session (pty.Start makes it so):
			// kill its whole process group, so that no child of it keeps
			// the terminal open and the output copy waiting.
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-tm.exited
		}
		// Not tm.vt.Close: it is not safe to call while the answering
		// goroutine reads. Closing the pipe's writer ends that read.
		tm.vt.InputPipe().(io.Closer).Close()
		<-answered
		f.Close()
	})
	return tm
}

// outerTerminal names the environment variables that describe the
// terminal (or multiplexer) the test runs in, if any: not the emulator.
var outerTerminal = []string{
	"TERM", "COLORTERM", "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "COLORFGBG",
	"NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TMUX", "TMUX_PANE", "STY",
}

// terminalEnv is the environment of a program in the test terminal: the
// test's own, less outerTerminal and gilsim's own settings (GILSIM_THEME,
// ...), plus what describes the emulator.
func terminalEnv() []string {
	env := []string{"TERM=xterm-256color"}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GILSIM_") || slices.Contains(outerTerminal, k) {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// touch wakes whoever waits for the screen to change. The caller holds mu.
func (tm *terminal) touch() {
	close(tm.changed)
	tm.changed = make(chan struct{})
}

// press types keys, one after the other, as a person would. A key is a
// name from keySeqs ("space", "left", "esc", "ctrl+c") or one character
// ("q", "g", "?"), as in the KeyMap's bindings.
func (tm *terminal) press(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		seq, ok := keySeqs[k]
		if !ok && utf8.RuneCountInString(k) == 1 {
			seq, ok = k, true
		}
		if !ok {
			tm.t.Fatalf("press %q: not a key name nor one character", k)
		}
		if _, err := io.WriteString(tm.pty, seq); err != nil {
			tm.t.Fatalf("press %q: %v", k, err)
		}
	}
}

// screen is what the terminal shows now, as plain text: one line per row,
// without trailing spaces.
func (tm *terminal) screen() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.vt.String()
}

// resize changes the terminal's size, as a person dragging the window's
// corner would: the program gets SIGWINCH and redraws.
func (tm *terminal) resize(cols, rows int) {
	tm.t.Helper()
	tm.mu.Lock()
	tm.vt.Resize(cols, rows)
	tm.touch()
	tm.mu.Unlock()
	if err := pty.Setsize(tm.pty, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}); err != nil {
		tm.t.Fatalf("resizing the terminal to %dx%d: %v", cols, rows, err)
	}
}

// waitFor looks at the screen each time it changes until ok accepts it,
// and returns that screen; it fails the test with the last screen if
// waitLimit passes first. what names the awaited state for the failure.
func (tm *terminal) waitFor(what string, ok func(screen string) bool) string {
	tm.t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		tm.mu.Lock()
		scr, changed := tm.vt.String(), tm.changed
		tm.mu.Unlock()
		if ok(scr) {
			return scr
		}
		select {
		case <-changed:
		case <-deadline.C:
			tm.t.Fatalf("waited %v for %s; the screen is:\n%s", waitLimit, what, scr)
		}
	}
}

// waitText waits until the screen shows text, and returns the screen.
func (tm *terminal) waitText(text string) string {
	tm.t.Helper()
	return tm.waitFor("the screen to show "+text, func(scr string) bool { return strings.Contains(scr, text) })
}

// waitExit waits for the program to exit and returns its exit status;
// it fails the test with the last screen if waitLimit passes first.
func (tm *terminal) waitExit() int {
	tm.t.Helper()
	select {
	case <-tm.exited:
	case <-time.After(waitLimit):
		tm.t.Fatalf("waited %v for %s to exit; the screen is:\n%s", waitLimit, tm.cmd.Path, tm.screen())
	}
	if tm.exitErr == nil {
		return 0
	}
	var exit *exec.ExitError
	if !errors.As(tm.exitErr, &exit) {
		tm.t.Fatalf("waiting for %s: %v", tm.cmd.Path, tm.exitErr)
	}
	return exit.ExitCode() // -1 if a signal ended it
}

// altScreen reports whether the terminal shows its alternate screen, the
// one full-screen programs draw on and must leave when they exit.
func (tm *terminal) altScreen() bool {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.vt.IsAltScreen()
}

// cursorHidden reports whether the program has hidden the cursor.
func (tm *terminal) cursorHidden() bool {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.vt.CursorHidden()
}
