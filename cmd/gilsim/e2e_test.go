//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// TestTerminal builds gilsim and runs the real binary in a pseudo-terminal,
// reading the screen through a terminal emulator: what only a real
// terminal shows (start-up, the alternate screen, resizing, quitting).
// It checks words and patterns, not columns, so that a change of layout
// does not break it.
//
// It leaves nothing behind: the binary lives in the test's temporary
// directory, and the package's folder holds the same files after the
// test as before.
func TestTerminal(t *testing.T) {
	before := folderFiles(t, ".")
	t.Cleanup(func() {
		if after := folderFiles(t, "."); !slices.Equal(before, after) {
			t.Errorf("the end-to-end test left files behind:\nbefore %q\nafter  %q", before, after)
		}
	})
	bin := buildGilsim(t)
	t.Run("play", func(t *testing.T) {
		t.Parallel()
		testPlayInTerminal(t, bin)
	})
	t.Run("picker", func(t *testing.T) {
		t.Parallel()
		testPickerInTerminal(t, bin)
	})
	t.Run("too small", func(t *testing.T) {
		t.Parallel()
		testTooSmallInTerminal(t, bin)
	})
	t.Run("not a terminal", func(t *testing.T) {
		t.Parallel()
		testPlayWithoutTerminal(t, bin)
	})
	t.Run("input not a terminal", func(t *testing.T) {
		t.Parallel()
		testPlayWithoutTerminalInput(t, bin)
	})
}

// folderFiles lists every file under dir.
func folderFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// testPlayInTerminal runs `gilsim play cpu-bound` at 80x24 and, one key
// at a time, plays, pauses, steps back and turns the GIL off, reading the
// header after each key; then quits.
func testPlayInTerminal(t *testing.T, bin string) {
	tm := startTerminal(t, termOptions{}, bin, "play", "cpu-bound")
	tm.waitFor(`"paused" in the header`, headerSays("paused"))

	tm.press("space")
	tm.waitFor(`"playing" in the header`, headerSays("playing"))
	playOn(t, tm, 20)

	if h := mustHeader(t, tm.screen()); !strings.Contains(h.line, "paused") {
		tm.press("space")
	}
	paused := mustHeader(t, tm.waitFor(`"paused" in the header`, headerSays("paused")))

	tm.press("left")
	scr := tm.waitFor(fmt.Sprintf("event %d, one back", paused.events-1), func(scr string) bool {
		h, ok := readHeader(scr)
		return ok && h.events == paused.events-1
	})
	back := mustHeader(t, scr)
	if !strings.Contains(back.line, "GIL on") {
		t.Fatalf("the header does not say the GIL is on before g:\n%s", scr)
	}

	tm.press("g")
	scr = tm.waitFor("GIL off, paused, and the GIL panel to say so", func(scr string) bool {
		return headerSays("GIL off · free-threaded")(scr) && headerSays("paused")(scr) &&
			strings.Contains(scr, "none: the free-threaded build")
	})
	if off := mustHeader(t, scr); off.now != back.now {
		t.Errorf("turning the GIL off moved the virtual time from %s to %s:\n%s", back.now, off.now, scr)
	}

	tm.press("q")
	quitRestored(t, tm)
}

// playOn waits for the header to count at least n events. The player
// pauses itself at each lesson of the scenario (in lesson mode): there, it
// presses space to play on, as a person would.
func playOn(t *testing.T, tm *terminal, n int) {
	t.Helper()
	for {
		scr := tm.waitFor(fmt.Sprintf("%d events played, or the player paused", n), func(scr string) bool {
			h, ok := readHeader(scr)
			return ok && (h.events >= n || strings.Contains(h.line, "paused"))
		})
		at := mustHeader(t, scr)
		if at.events >= n {
			return
		}
		tm.press("space")
		tm.waitFor("the player to play on", func(scr string) bool {
			h, ok := readHeader(scr)
			return ok && (h.events != at.events || !strings.Contains(h.line, "paused"))
		})
	}
}

// testPickerInTerminal runs gilsim with no arguments: it opens the
// scenario picker, and q quits it.
func testPickerInTerminal(t *testing.T, bin string) {
	tm := startTerminal(t, termOptions{}, bin)
	tm.waitText("pick a scenario")
	tm.press("q")
	quitRestored(t, tm)
}

// testTooSmallInTerminal starts the player in a 60x20 terminal, which
// says it is too small, then grows the terminal to 80x24: the player
// draws itself. ctrl+c quits.
func testTooSmallInTerminal(t *testing.T, bin string) {
	tm := startTerminal(t, termOptions{cols: 60, rows: 20}, bin, "play", "cpu-bound")
	tm.waitText("terminal too small")
	tm.resize(80, 24)
	tm.waitFor("the player at 80x24", func(scr string) bool {
		return !strings.Contains(scr, "too small") && headerSays("paused")(scr)
	})
	tm.press("ctrl+c")
	quitRestored(t, tm)
}

// testPlayWithoutTerminal runs `gilsim play cpu-bound` with its output
// into a pipe: it refuses in one line, with exit status 2.
func testPlayWithoutTerminal(t *testing.T, bin string) {
	cmd := exec.Command(bin, "play", "cpu-bound")
	cmd.Env = terminalEnv() // a terminal's environment, but output into a pipe
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("exit: %v, want exit status 2", err)
	}
	if stdout.Len() > 0 {
		t.Errorf("stdout: %q, want nothing", stdout.String())
	}
	msg := stderr.String()
	if strings.Count(msg, "\n") != 1 || !strings.HasSuffix(msg, "\n") || !strings.Contains(msg, "not a terminal") {
		t.Errorf("stderr: %q, want one line that says stdout is not a terminal", msg)
	}
}

// testPlayWithoutTerminalInput runs gilsim play with its output on a
// terminal but its input from /dev/null: it cannot read keys, and says so
// in one sentence rather than with the UI library's error.
func testPlayWithoutTerminalInput(t *testing.T, bin string) {
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("opening a pseudo-terminal: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	go io.Copy(io.Discard, ptm)
	cmd := exec.Command(bin, "play", "cpu-bound")
	cmd.Env = terminalEnv()
	var stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, tty, &stderr // nil: /dev/null
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("exit: %v, want exit status 2", err)
	}
	msg := stderr.String()
	if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "standard input is not one") {
		t.Errorf("stderr: %q, want one line that says stdin is not a terminal", msg)
	}
}

// quitRestored waits for the program to exit with status 0 and checks
// that it gave the terminal back as it found it: the alternate screen
// left, the cursor shown, nothing of the UI left on the screen.
func quitRestored(t *testing.T, tm *terminal) {
	t.Helper()
	if code := tm.waitExit(); code != 0 {
		t.Fatalf("exit status %d, want 0; the screen is:\n%s", code, tm.screen())
	}
	if tm.altScreen() {
		t.Error("the terminal is still on the alternate screen after exit")
	}
	if tm.cursorHidden() {
		t.Error("the cursor is still hidden after exit")
	}
	if scr := tm.screen(); strings.TrimSpace(scr) != "" {
		t.Errorf("the screen after exit is not the one before start (empty):\n%s", scr)
	}
}

// header is what the player's header line says.
type header struct {
	line   string
	now    string // the virtual time, as shown
	events int    // the number of events processed
}

var (
	// eventsRE finds the header's event number; the header is the first
	// line that has one.
	eventsRE = regexp.MustCompile(`\bev\s+(\d+)\b`)
	// durationRE is a duration as gilsim prints it (sim.FormatDuration).
	durationRE = regexp.MustCompile(`^-?\d+(\.\d+)?(ns|µs|ms|s)$`)
)

// readHeader finds the header on a screen. The virtual time is the last
// duration before the event number (the switch interval comes before it,
// the speed, "10ms/s", after).
func readHeader(scr string) (header, bool) {
	for line := range strings.Lines(scr) {
		m := eventsRE.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		h := header{line: strings.TrimSuffix(line, "\n")}
		h.events, _ = strconv.Atoi(line[m[2]:m[3]])
		for _, f := range strings.Fields(line[:m[0]]) {
			if durationRE.MatchString(f) {
				h.now = f
			}
		}
		return h, h.now != ""
	}
	return header{}, false
}

// mustHeader reads the header on a screen, or fails the test.
func mustHeader(t *testing.T, scr string) header {
	t.Helper()
	h, ok := readHeader(scr)
	if !ok {
		t.Fatalf("no virtual time and event number in a header on the screen:\n%s", scr)
	}
	return h
}

// headerSays is a waitFor condition: the header shows word.
func headerSays(word string) func(scr string) bool {
	return func(scr string) bool {
		h, ok := readHeader(scr)
		return ok && strings.Contains(h.line, word)
	}
}
