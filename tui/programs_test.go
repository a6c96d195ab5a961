package tui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// TestPickerOpensPrograms lists a Python file and one that cannot be
// simulated after the built-in scenarios: the first opens in the player,
// the second says why it cannot, in the list, the preview and on enter.
func TestPickerOpensPrograms(t *testing.T) {
	sc, err := scenarios.FromProgram("hello.py", []byte("print('hello')\n"))
	if err != nil {
		t.Fatal(err)
	}
	bad := errors.New("bad.py:1:8: unsupported: ctypes is not simulated")
	all := allScenarios(t)
	m := New(all, sim.DefaultConfig(), pinnedStyles(termenv.Ascii, true)).WithPrograms([]Program{
		{Name: "hello.py", Scenario: sc}, {Name: "bad.py", Err: bad}})
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 130, Height: 40})
	for range len(all) + 1 {
		m, _ = press(t, m, "down")
	}
	screen := ansi.Strip(m.View())
	if !strings.Contains(screen, "hello.py") || !strings.Contains(screen, "your program") ||
		strings.Count(screen, "bad.py:1:8: unsupported") < 2 || !strings.Contains(screen, "ctypes is not simulated") {
		t.Fatalf("the picker does not show both programs, and why bad.py cannot be simulated:\n%s", screen)
	}
	m, cmd := press(t, m, "enter")
	if m.screen != screenPicker || cmd == nil {
		t.Fatalf("enter on bad.py: screen %s, want the picker and a status message", m.screen)
	}
	m, _ = press(t, m, "up")
	m, _ = press(t, m, "enter")
	if m.screen != screenPlayer || m.player.vals.Scenario() != sc {
		t.Fatalf("enter on hello.py: screen %s, want the player on the program", m.screen)
	}
}

// TestLaneSaysWhatAThreadWaitsFor: a thread blocked on an event or a
// semaphore says so in its lane, not "waits lock".
func TestLaneSaysWhatAThreadWaitsFor(t *testing.T) {
	src := "import threading, time\nready = threading.Event()\nslots = threading.Semaphore(0)\n" +
		"threading.Thread(target=ready.wait).start()\nthreading.Thread(target=slots.acquire).start()\n" +
		"time.sleep(0.01)\nready.set()\nslots.release()\n"
	sc, err := scenarios.FromProgram("waits.py", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(allScenarios(t), sim.DefaultConfig(), pinnedStyles(termenv.Ascii, true)).Play(sc.Defaults(), sim.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m.player.advance(sim.Time(13*time.Millisecond), 0)
	m.player.settle()
	m.refresh()
	screen := ansi.Strip(m.View())
	for _, want := range []string{"waits event", "waits sem"} {
		if !strings.Contains(screen, want) {
			t.Errorf("no lane says %q at 13 ms:\n%s", want, screen)
		}
	}
}
