package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tmuxSession is the real gilsim binary running in a detached tmux
// session on a private server, read with capture-pane.
type tmuxSession struct {
	t      *testing.T
	socket string
}

// tmux runs a tmux command on the session's private server.
func (s *tmuxSession) tmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	return string(out), err
}

// key sends one key, as a person would press it.
func (s *tmuxSession) key(k string) {
	s.t.Helper()
	if out, err := s.tmux("send-keys", "-t", "gilsim", k); err != nil {
		s.t.Fatalf("send-keys %s: %v: %s", k, err, out)
	}
}

// screen is what the pane shows now.
func (s *tmuxSession) screen() string {
	s.t.Helper()
	out, err := s.tmux("capture-pane", "-p", "-t", "gilsim")
	if err != nil {
		s.t.Fatalf("capture-pane: %v: %s", err, out)
	}
	return out
}

// waitFor polls the pane until ok accepts it, and fails with the last
// screen when the deadline passes first.
func (s *tmuxSession) waitFor(what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		scr := s.screen()
		if ok(scr) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waited 15s for %s; the screen is:\n%s", what, scr)
		}
	}
}

func (s *tmuxSession) waitText(text string) string {
	s.t.Helper()
	return s.waitFor(fmt.Sprintf("%q", text), func(scr string) bool { return strings.Contains(scr, text) })
}

// headerRE reads the virtual time and the event number from the header.
var headerRE = regexp.MustCompile(`(\S+)  ev (\d+)  `)

// position returns the header's virtual time and event number.
func position(t *testing.T, scr string) (string, int) {
	t.Helper()
	m := headerRE.FindStringSubmatch(scr)
	if m == nil {
		t.Fatalf("no time and event number in the header:\n%s", scr)
	}
	n, err := strconv.Atoi(m[2])
	if err != nil {
		t.Fatal(err)
	}
	return m[1], n
}

// TestPlayInTmux builds gilsim, runs `gilsim play cpu-bound` in an 80x24
// tmux pane and, one key at a time, plays, pauses, steps back and turns
// the GIL off, reading the screen after each key.
func TestPlayInTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is not installed: this end-to-end test needs it (apt-get install tmux; CI installs it in .ci/run)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "gilsim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	s := &tmuxSession{t: t, socket: fmt.Sprintf("gilsim-e2e-%d", os.Getpid())}
	t.Cleanup(func() { s.tmux("kill-server") })
	if out, err := s.tmux("new-session", "-d", "-s", "gilsim", "-x", "80", "-y", "24", bin+" play cpu-bound"); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	s.waitText("❚❚ paused")

	s.key("Space")
	s.waitText("▶ playing")
	s.waitFor("20 events played", func(scr string) bool {
		m := headerRE.FindStringSubmatch(scr)
		if m == nil {
			return false
		}
		n, err := strconv.Atoi(m[2])
		return err == nil && n >= 20
	})
	s.key("Space")
	_, events := position(t, s.waitText("❚❚ paused"))

	s.key("Left")
	scr := s.waitText(fmt.Sprintf("  ev %d  ", events-1))
	at, _ := position(t, scr)
	if !strings.Contains(scr, "GIL on · py3 · 5ms") {
		t.Fatalf("not under the GIL before g:\n%s", scr)
	}

	s.key("g")
	scr = s.waitText("GIL off · free-threaded")
	if now, _ := position(t, scr); now != at {
		t.Errorf("turning the GIL off moved the clock from %s to %s", at, now)
	}
	if !strings.Contains(scr, "none: the free-threaded build") {
		t.Errorf("the GIL panel does not say there is no GIL:\n%s", scr)
	}

	s.key("q")
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := s.tmux("has-session", "-t", "gilsim"); err != nil {
			break // the pane's command, gilsim, has exited
		}
		if time.Now().After(deadline) {
			t.Fatalf("gilsim did not quit on q; the screen is:\n%s", s.screen())
		}
	}
}
