package tui

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/sim"
)

// The findings of the classroom review (B1–B22), each as a test of what
// the player does now.

// playFor plays m for n frames and pauses; lesson mode is left as it is,
// so a lesson point may pause it sooner.
func playFor(t testing.TB, m Model, n int) Model {
	t.Helper()
	m, _ = press(t, m, "space")
	for i := 0; i < n && m.player.playing; i++ {
		m, _ = send(t, m, tickMsg{tag: m.player.tag})
	}
	if m.player.playing {
		m, _ = press(t, m, "space")
	}
	return m
}

// noLessons opens a player with lesson mode off.
func noLessons(t testing.TB, id string, cfg sim.Config, w, h int, sets ...string) Model {
	t.Helper()
	m := playerModel(t, id, cfg, w, h, sets...)
	m, _ = press(t, m, "L")
	if m.player.lessons {
		t.Fatal("L did not turn lesson mode off")
	}
	return m
}

// B1: g and m keep the moment asked for, even when the other model's run
// ends sooner; the player says so, and toggling back returns there.
func TestToggleKeepsTheMomentAskedFor(t *testing.T) {
	for _, keys := range [][]string{{"g", "g"}, {"m", "m", "m"}} {
		t.Run(strings.Join(keys, ""), func(t *testing.T) {
			m := noLessons(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
			m = playFor(t, m, 440) // 110ms at 5ms/s
			before, events := m.frame.snap.Now, m.frame.snap.Events
			if before < 100*1e6 {
				t.Fatalf("played to %s, want past 100ms", before)
			}
			for i, k := range keys {
				m, _ = press(t, m, k)
				if i < len(keys)-1 && m.player.cfg.Model == sim.ModelFreeThreaded {
					// The free-threaded run ends at about 42ms.
					if !m.player.rec.sim.Done() || !strings.Contains(m.frame.status, "before the "+brief(before)) {
						t.Errorf("free-threaded: done %v, status %q; want the end and a word about it", m.player.rec.sim.Done(), m.frame.status)
					}
				}
			}
			if m.player.cfg.Model != sim.ModelPy3 || m.frame.snap.Now != before || m.frame.snap.Events != events {
				t.Errorf("back under %s at %s (event %d), want py3 at %s (event %d)", m.player.cfg.Model, m.frame.snap.Now,
					m.frame.snap.Events, before, events)
			}
		})
	}
}

// Toggling back goes to the run shown before, not a new one: g g costs
// one re-simulation, not two, and m m m none the third time.
func TestToggleBackKeepsTheRun(t *testing.T) {
	m := noLessons(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
	m = playFor(t, m, 100)
	py3 := m.player.rec
	m, _ = press(t, m, "g")
	ft := m.player.rec
	m, _ = press(t, m, "g")
	if m.player.rec != py3 {
		t.Error("toggling back made a new run instead of going back to the one shown before")
	}
	m = pressN(t, m, "m", 3)
	if m.player.rec != py3 || len(m.player.kept) > keptRuns {
		t.Errorf("m m m: back on the first run %v, %d runs kept", m.player.rec == py3, len(m.player.kept))
	}
	if !slices.Contains(m.player.kept, ft) {
		t.Error("the free-threaded run was not kept")
	}
}

// B15: toggling at an instant with several events lands on the same
// event, not after all of that instant's events.
func TestToggleAtAnInstantKeepsTheEvent(t *testing.T) {
	m := noLessons(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
	for _, n := range []int{0, 1, 3, 27} {
		m, _ = press(t, m, "r")
		m = pressN(t, m, "right", n)
		events, now := m.frame.snap.Events, m.frame.snap.Now
		m = pressN(t, m, "g", 2)
		if m.frame.snap.Events != events || m.frame.snap.Now != now {
			t.Errorf("after %d steps and g g: event %d at %s, want event %d at %s", n, m.frame.snap.Events, m.frame.snap.Now, events, now)
		}
	}
}

// B2: the compare view compares nothing before both runs have ended, and
// then the ends; it never shows a ratio of CPU used.
func TestCompareShowsNoCPURatio(t *testing.T) {
	for _, id := range []string{"convoy", "cpu-bound", "io-bound"} {
		m := noLessons(t, id, sim.DefaultConfig(), 80, 24)
		m = playFor(t, m, 40)
		m, cmd := press(t, m, "c")
		m = settle(t, m, cmd)
		got := plain(m)
		if strings.Contains(got, "so far") && strings.Contains(got, "CPU") {
			t.Errorf("%s: the compare view still compares CPU used:\n%s", id, got)
		}
		c := m.frame.compare
		if !c.known || !strings.Contains(got, "Speedup without the GIL "+ratio(c.onEnd, c.offEnd)) {
			t.Errorf("%s: no speedup at the end (known %v):\n%s", id, c.known, got)
		}
	}
}

// B3: the narration describes the latest significant event however long
// ago it was: counter-race under the GIL hands off every 5ms, some 40,000
// events apart.
func TestNarrationReachesFarBack(t *testing.T) {
	m := noLessons(t, "counter-race", sim.DefaultConfig(), 80, 24)
	for range 5 {
		m = playFor(t, m, 20)
		got := plain(m)
		if strings.Contains(got, "Press space to play") || !m.frame.narrated {
			t.Fatalf("at %s the narration says nothing of the run:\n%s", m.frame.snap.Now, got)
		}
		if m.frame.snap.Now-m.frame.narrAt > 6*1e6 {
			t.Errorf("at %s the narration is about %s, more than an interval ago", m.frame.snap.Now, m.frame.narrAt)
		}
	}
}

// B19: every step gets a sentence about that step. A timed wait is a
// step only when it does something: it asks for the GIL.
func TestEveryStepIsNarrated(t *testing.T) {
	m := noLessons(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
	asks := 0
	for range 200 {
		m, _ = press(t, m, "right")
		f := &m.frame
		if !f.narrated || f.narrAt != f.snap.Now {
			t.Fatalf("event %d at %s: the narration is about %s: %q", f.snap.Events, f.snap.Now, f.narrAt, f.narration)
		}
		if m.player.rec.sim.LastEvent().Kind == sim.EventTimeout {
			if n := f.narration; !strings.Contains(n, "for the GIL and asks") && !strings.Contains(n, "drop requested") &&
				!strings.Contains(n, "with the GIL free") {
				t.Errorf("event %d, a timed wait expiring, is told as %q", f.snap.Events, f.narration)
			}
			asks++
		}
	}
	if asks == 0 {
		t.Error("no step was a timed wait asking for the GIL")
	}
	// asyncio-basic: a task becoming ready is a step of its own.
	m = noLessons(t, "asyncio-basic", sim.DefaultConfig(), 80, 24)
	var said []string
	for m.keys.Step.Enabled() {
		m, _ = press(t, m, "right")
		said = append(said, m.frame.narration)
	}
	if all := strings.Join(said, "\n"); !strings.Contains(all, "ready on MainThread's loop") {
		t.Errorf("asyncio-basic never says a task became ready:\n%s", all)
	}
}

// B4: a column shows what dominated it: lock-contention's threads wait
// for the lock most of the time, and its lanes say so at the default zoom.
func TestLanesShowTheDominantState(t *testing.T) {
	m := noLessons(t, "lock-contention", sim.DefaultConfig(), 80, 24)
	m = playFor(t, m, 200)
	got := plain(m)
	locked := 0
	for _, l := range strings.Split(got, "\n") {
		if strings.Contains(l, "Thread-") && strings.Contains(l, "####") {
			locked++
		}
	}
	if locked < 2 {
		t.Errorf("%d lanes show a wait for the lock (#), want most of the workers':\n%s", locked, got)
	}
	// A column 90% waiting and 10% running shows the wait.
	marks := []mark[threadState]{{at: 0, state: threadState(sim.StateWaitLock)}, {at: 90, state: threadState(sim.StateRunning)},
		{at: 100, state: threadState(sim.StateWaitLock)}, {at: 160, state: threadState(sim.StateRunning)}}
	cells := make([]int8, 2)
	fillCells(marks, 0, 100, threadState(sim.StateRunning), cells)
	if cells[0] != int8(sim.StateWaitLock) || cells[1] != partCell+3 {
		t.Errorf("cells %v: want a lock wait, then three eighths of a block of running", cells)
	}
}

// B18: a thread running C code without the GIL is not drawn as running
// Python: the main thread starting a thread shows c, and its word.
func TestNativeCodeIsNotRunning(t *testing.T) {
	m := noLessons(t, "cpu-bound", sim.DefaultConfig(), 160, 48)
	// Step into the second t.start(), and on to Thread-1 taking the GIL
	// while the main thread is still in it.
	for i, starts := 0, 0; i < 30 && starts < 2; i++ {
		m = pressN(t, m, "right", 1)
		if threadNow(&m.frame.side, 0) == threadNative {
			starts++
			for threadNow(&m.frame.side, 0) == threadNative && starts < 2 {
				m = pressN(t, m, "right", 1)
			}
		}
	}
	m = pressN(t, m, "right", 1)
	m = pressN(t, m, ">", 6) // 10µs a column: the thread start spans many
	snap := &m.frame.snap
	if t0 := snap.Threads[0]; t0.State != sim.StateRunning || t0.HoldsGIL || threadNow(&m.frame.side, 0) != threadNative {
		t.Fatalf("MainThread is %s, holds the GIL %v: want it starting a thread without the GIL", t0.State, t0.HoldsGIL)
	}
	got := plain(m)
	if !regexp.MustCompile(`T0 MainThread +C code .*c\s*$`).MatchString(lineWith(got, "T0 MainThread")) {
		t.Errorf("MainThread's lane does not say C code and end in c:\n%s", lineWith(got, "T0 MainThread"))
	}
	// The task that holds up its loop is drawn as blocking.
	m = noLessons(t, "asyncio-blocking", sim.DefaultConfig(), 80, 24)
	m = playFor(t, m, 200)
	if got := plain(m); !strings.Contains(got, "blocks loop") || !strings.Contains(got, "XXXX") {
		t.Errorf("no task is drawn blocking its loop:\n%s", got)
	}
}

// lineWith is the first line of screen that contains s.
func lineWith(screen, s string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// B5: stepping forward from a pause between events and back returns to
// the paused screen.
func TestStepBackReturnsToThePause(t *testing.T) {
	m := noLessons(t, "asyncio-blocking", sim.DefaultConfig(), 80, 24)
	m = playFor(t, m, 30)
	paused, view := m.frame.snap.Now, m.View()
	if m.player.rec.onEvent() {
		t.Fatalf("paused on an event at %s; the test needs a pause between events", paused)
	}
	m, _ = press(t, m, "right")
	if m.frame.snap.Now == paused {
		t.Fatal("the step did not move on")
	}
	m, _ = press(t, m, "left")
	if m.frame.snap.Now != paused || m.View() != view {
		t.Errorf("back at %s, want the paused screen at %s", m.frame.snap.Now, paused)
	}
	m, _ = press(t, m, "left")
	if m.frame.snap.Now >= paused {
		t.Errorf("a second step back stayed at %s", m.frame.snap.Now)
	}
}

// B10: esc in the player goes to the picker, esc there goes back to the
// paused run, and no number of escs quits.
func TestEscNeverQuits(t *testing.T) {
	m := noLessons(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
	m = playFor(t, m, 10)
	now := m.frame.snap.Now
	for i := range 5 {
		var cmd tea.Cmd
		m, cmd = press(t, m, "esc")
		if cmd != nil {
			if _, quit := cmd().(tea.QuitMsg); quit {
				t.Fatalf("esc number %d quit", i+1)
			}
		}
		want := screenPicker
		if i%2 == 1 {
			want = screenPlayer
		}
		if m.screen != want {
			t.Fatalf("after %d escs the screen is %s, want %s", i+1, m.screen, want)
		}
	}
	m, _ = press(t, m, "esc")
	if m.screen != screenPlayer || m.frame.snap.Now != now || m.player.playing {
		t.Errorf("back on %s at %s (playing %v), want the player paused at %s", m.screen, m.frame.snap.Now, m.player.playing, now)
	}
}

// B11: runes that arrive in one key message are each a key press.
func TestRunesTogetherAreEachAKey(t *testing.T) {
	m := noLessons(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
	speed := m.player.speed
	m, _ = send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("+++")})
	if m.player.speed != speed+3 {
		t.Errorf("+++ moved the speed %d → %d, want three up", speed, m.player.speed)
	}
	m = pressN(t, m, "right", 20)
	now := m.frame.snap.Now
	m, cmd := send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("gg")})
	m = settle(t, m, cmd)
	m, _ = work(t, m, nil)
	if m.player.cfg.Model != sim.ModelPy3 || m.frame.snap.Now != now {
		t.Errorf("gg left %s at %s, want py3 at %s", m.player.cfg.Model, m.frame.snap.Now, now)
	}
	// A paste is not a row of keys.
	m, _ = send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("gg"), Paste: true})
	if m.player.job != nil || m.player.cfg.Model != sim.ModelPy3 {
		t.Error("a pasted gg toggled the GIL")
	}
}

// B12: where every process has a MainThread, names say which process.
func TestNamesSayTheProcess(t *testing.T) {
	m := noLessons(t, "cpu-bound", sim.DefaultConfig(), 80, 24, "use=processes")
	m = playFor(t, m, 200) // 50ms: past importing multiprocessing (31ms), the children run
	cores := lineWith(plain(m), "CORES")
	if strings.Contains(cores, ":MainThread") || !regexp.MustCompile(`0:(T\d|Process-\d/MainThread)`).MatchString(cores) {
		t.Errorf("the cores row names a bare MainThread, or nothing: %s", cores)
	}
	m = noLessons(t, "process-queue", sim.DefaultConfig(), 80, 24)
	for m.keys.Step.Enabled() {
		m, _ = press(t, m, "right")
		if n := m.frame.narration; strings.HasPrefix(n, "MainThread ") {
			t.Fatalf("the narration names a bare MainThread: %q", n)
		}
	}
}

// B13: the header does not move while a run plays: its fields keep their
// columns whatever the time and event count.
func TestHeaderDoesNotReflow(t *testing.T) {
	for _, id := range []string{"convoy", "lock-contention", "process-queue-fixed"} {
		m := noLessons(t, id, sim.DefaultConfig(), 80, 24)
		var cols []int
		for range 12 {
			m = playFor(t, m, 10)
			head := plain(m)[:strings.Index(plain(m), "\n")]
			if !strings.Contains(head, " ev ") {
				t.Fatalf("%s: no event number in %q", id, head)
			}
			cols = append(cols, lipgloss.Width(head[:strings.Index(head, " ev ")]))
		}
		for _, c := range cols[1:] {
			if c != cols[0] {
				t.Errorf("%s: the event number moved between columns %v", id, cols)
				break
			}
		}
	}
}

// B14: one handoff is singular, and a store that lost nothing is not told
// as a lost update.
func TestWording(t *testing.T) {
	m := noLessons(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
	for m.frame.snap.Procs[0].GIL.Handoffs < 1 {
		m, _ = press(t, m, "right")
	}
	if got := plain(m); strings.Contains(got, "1 handoffs") || !strings.Contains(got, "1 handoff") {
		t.Errorf("one handoff told as:\n%s", lineWith(got, "handoff"))
	}
	r := noLessons(t, "counter-race", sim.DefaultConfig(), 80, 24).player.rec
	e := sim.TraceEvent{Kind: sim.TraceLostUpdate, Thread: 1, Peer: 2, Value: 0}
	if s := lostSentence(r, &e); strings.Contains(s, "0 ") || strings.Contains(s, "lost:") {
		t.Errorf("a store that lost nothing: %q", s)
	}
	e.Value = 3
	if s := lostSentence(r, &e); !strings.Contains(s, "3 increments") || !strings.Contains(s, "those updates are lost") {
		t.Errorf("three updates lost: %q", s)
	}
}

// B16: a paused or stepped screen shows the handoff arrow whole.
func TestArrowWholeWhenStepping(t *testing.T) {
	m := noLessons(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
	for m.frame.snap.Procs[0].GIL.Handoffs < 2 {
		m, _ = press(t, m, "right")
	}
	if got := plain(m); !strings.Contains(got, strings.Repeat("─", arrowLength)+"▶") {
		t.Errorf("the arrow is not whole on the step of a handoff:\n%s", lineWith(got, "▶"))
	}
}

// B20: a main thread waiting at interpreter shutdown says so, and so does
// the handoff it makes; a terminated process says how it died.
func TestShutdownAndTerminateAreNamed(t *testing.T) {
	m := noLessons(t, "thread-lock", sim.DefaultConfig(), 80, 24)
	m = playFor(t, m, 130) // 13ms: import threading (7.7ms), then the starts
	if got := lineWith(plain(m), "T0 MainThread"); !strings.Contains(got, atExitWord) {
		t.Errorf("MainThread at shutdown: %q, want %q", got, atExitWord)
	}
	m = noLessons(t, "process-queue-fixed", sim.DefaultConfig(), 80, 24)
	for m.keys.Step.Enabled() {
		m, _ = press(t, m, "right")
	}
	if got := plain(m); !strings.Contains(got, "killed by SIGTERM") {
		t.Errorf("the terminated process is not explained:\n%s", got)
	}
}

// B7 and B8: a run whose processes die says so at the end, every
// exception stays on screen, and a long console line keeps its end.
func TestFailuresAndTracebacksStayReadable(t *testing.T) {
	m := noLessons(t, "process-queue", sim.DefaultConfig(), 80, 24)
	var cmd tea.Cmd
	for m.keys.Step.Enabled() {
		m, cmd = press(t, m, "right")
	}
	m = settle(t, m, cmd)
	got := plain(m)
	for _, s := range []string{"■ Failed at", "Failed: 2 processes died of AttributeError",
		"'Queue' object has no attribute 'join'", "'Queue' object has no attribute 'task_done'"} {
		if !strings.Contains(got, s) {
			t.Errorf("the end of process-queue lacks %q:\n%s", s, got)
		}
	}
	m = noLessons(t, "asyncio-blocking", sim.DefaultConfig(), 80, 24)
	m = playFor(t, m, 400) // the first slow callback ends at 312ms
	if got := plain(m); !strings.Contains(got, "took 0.251 seconds") {
		t.Errorf("the slow-callback line lost its end:\n%s", lineWith(got, "Executing"))
	}
}

// B21: a re-simulation too long for one message says it is busy, and the
// keys that would move the run wait for it.
func TestLongResimulationSaysSo(t *testing.T) {
	m := noLessons(t, "counter-race", sim.DefaultConfig(), 80, 24, "increments=2000000")
	m = playFor(t, m, 200)
	m, _ = send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("g")})
	if m.player.job == nil {
		t.Fatal("g started no job")
	}
	m, _ = send(t, m, workMsg{tag: m.player.job.tag})
	if m.player.job == nil {
		t.Fatal("the re-simulation took one chunk; the test needs a longer one")
	}
	got := plain(m)
	if m.frame.mode != modeBusy || !strings.Contains(got, "⧗") || !strings.Contains(got, "Re-simulating GIL off") {
		t.Errorf("mode %s while re-simulating:\n%s", m.frame.mode, got)
	}
	if m.keys.Play.Enabled() || m.keys.Step.Enabled() {
		t.Error("play and step are offered while the run is being replaced")
	}
	m, _ = work(t, m, nil)
	if m.frame.mode == modeBusy || m.player.cfg.Model != sim.ModelFreeThreaded {
		t.Errorf("after the job: mode %s, model %s", m.frame.mode, m.player.cfg.Model)
	}
}

// T1 and point 1: each scenario opens at its own speed and zoom, and the
// two are separate controls.
func TestScenarioPaceAndZoom(t *testing.T) {
	for _, sc := range scenarios.All() {
		m := playerModel(t, sc.ID, sim.DefaultConfig(), 80, 24)
		if speeds[m.player.speed] != sc.Pace.Speed || zooms[m.player.zoom] != sc.Pace.Zoom {
			t.Errorf("%s opens at %s/s and %s a column, want %s and %s", sc.ID, speeds[m.player.speed],
				zooms[m.player.zoom], sc.Pace.Speed, sc.Pace.Zoom)
		}
	}
	m := playerModel(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
	scale := m.frame.win.scale
	m = pressN(t, m, "-", 3)
	if m.frame.win.scale != scale {
		t.Errorf("slowing down changed the zoom from %s to %s", scale, m.frame.win.scale)
	}
	m, _ = press(t, m, ">")
	if m.frame.win.scale >= scale {
		t.Errorf("> left %s a column, want less than %s", m.frame.win.scale, scale)
	}
}

// Point 1: w shows the whole run on one screen at any moment: from time
// zero to its end, the part not played yet drawn too.
func TestWholeRunView(t *testing.T) {
	m := noLessons(t, "convoy", sim.DefaultConfig(), 80, 24)
	m = playFor(t, m, 20)
	m, cmd := press(t, m, "w")
	m = settle(t, m, cmd)
	full, ok := m.player.fullOf(m.player.cfg)
	if !ok || full.rec == nil {
		t.Fatal("no run to the end for the whole-run view")
	}
	cols := lanesLayout(&m.frame.side, 80, false).cols
	start, scale := m.frame.win.span(cols)
	if start != 0 || scale*sim.Time(cols) < full.rec.sim.Now() || scale*sim.Time(cols-1) >= full.rec.sim.Now()+scale {
		t.Errorf("the window starts at %s with %s a column over %d columns, for a run of %s", start, scale, cols, full.rec.sim.Now())
	}
	got := plain(m)
	if !strings.Contains(got, "whole run") {
		t.Errorf("the ruler does not say it shows the whole run:\n%s", got)
	}
	// The lanes are filled to their last column, though the run has not
	// been played that far.
	lane := lineWith(got, "T1 Thread-1")
	if strings.HasSuffix(lane, " ") || !strings.HasSuffix(lane, "█") {
		t.Errorf("the CPU thread's lane does not reach the end of the run: %q", lane)
	}
	m, _ = press(t, m, "w")
	if m.frame.win.whole {
		t.Error("w again did not leave the whole-run view")
	}
}

// Point 2: in lesson mode playing pauses at each lesson point with its
// callout; n and N go to the next and previous; L turns it off.
func TestLessonMode(t *testing.T) {
	m := playerModel(t, "cpu-bound", sim.DefaultConfig(), 80, 24)
	m, cmd := press(t, m, "space")
	m = settle(t, m, func() tea.Msg { return m.Init()() })
	_ = cmd
	for i := 0; m.player.playing; i++ {
		if i > 1000 {
			t.Fatal("no pause at a lesson point")
		}
		m, _ = send(t, m, tickMsg{tag: m.player.tag})
	}
	first := m.frame.callout
	if first == nil || first.n != 1 || !strings.Contains(plain(m), "⏸ Lesson 1") {
		t.Fatalf("paused without a first callout:\n%s", plain(m))
	}
	if !strings.Contains(plain(m), first.text[:30]) {
		t.Errorf("the callout's text is not on screen:\n%s", plain(m))
	}
	at := m.frame.snap.Events
	m, _ = press(t, m, "n")
	if m.frame.callout == nil || m.frame.callout.n != 2 || m.frame.snap.Events <= at {
		t.Fatalf("n did not go to the second lesson point (event %d):\n%s", m.frame.snap.Events, plain(m))
	}
	m, _ = press(t, m, "N")
	if m.frame.callout == nil || m.frame.callout.n != 1 || m.frame.snap.Events != at {
		t.Fatalf("N did not go back to the first lesson point (event %d, want %d)", m.frame.snap.Events, at)
	}
	m, _ = press(t, m, "L")
	if m.frame.callout != nil || m.player.lessons {
		t.Error("L left lesson mode on")
	}
	// Off, playing runs through the lesson points.
	m = playFor(t, m, 200)
	if m.frame.snap.Now < 40*1e6 {
		t.Errorf("with lessons off, play stopped at %s", m.frame.snap.Now)
	}
}

// Point 2: the scenario's "what to watch for" is in the player's help.
func TestHelpShowsWhatToWatchFor(t *testing.T) {
	m := playerModel(t, "convoy", sim.DefaultConfig(), 120, 40)
	m, _ = press(t, m, "?")
	got := plain(m)
	notice := m.player.vals.Scenario().Notice
	if !strings.Contains(got, "WHAT TO WATCH FOR") || !strings.Contains(got, strings.Join(strings.Fields(notice)[:6], " ")) {
		t.Errorf("the full help does not show what to watch for:\n%s", got)
	}
	checkFits(t, got, 120, 40)
}

// Point 3: the scenario's own result, live and at the end.
func TestResultsOnScreen(t *testing.T) {
	m := noLessons(t, "convoy", sim.DefaultConfig(), 80, 24)
	m = playFor(t, m, 40)
	if got := lineWith(plain(m), "SO FAR"); !strings.Contains(got, "requests/s") || !strings.Contains(got, "p50 latency") {
		t.Errorf("the convoy's figures so far: %q", got)
	}
	cfg := sim.DefaultConfig()
	cfg.Model = sim.ModelFreeThreaded
	m = noLessons(t, "counter-race", cfg, 80, 24)
	var cmd tea.Cmd
	m = pressN(t, m, "+", len(speeds))
	m, _ = press(t, m, "space")
	for m.player.playing {
		m, cmd = send(t, m, tickMsg{tag: m.player.tag})
	}
	m = settle(t, m, cmd)
	got := plain(m)
	for _, s := range []string{"of 800,000 increments lost", "GIL on · py3 · 5ms · 3.12:", "slower"} {
		if !strings.Contains(got, s) {
			t.Errorf("counter-race without the GIL ends without %q:\n%s", s, got)
		}
	}
}

// B6: an article section plays the article's code, and the header names
// it.
func TestSectionsPlayTheirCode(t *testing.T) {
	for _, tt := range []struct {
		section string
		join    bool
	}{{"3.1.1", false}, {"4.1", true}, {"3.2.1", false}, {"4.2", true}} {
		v, err := scenarios.Choose(tt.section, nil)
		if err != nil {
			t.Fatal(err)
		}
		m, err := New(scenarios.All(), sim.DefaultConfig(), pinnedStyles(termenv.Ascii, true)).Play(v, sim.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
		got := plain(m)
		if !strings.HasPrefix(got, "§"+tt.section+" ") {
			t.Errorf("%s: the header does not name the section: %q", tt.section, got[:strings.Index(got, "\n")])
		}
		if has := strings.Contains(strings.Join(m.frame.source, "\n"), ".join()"); has != tt.join {
			t.Errorf("%s: the source has a join() %v, want %v", tt.section, has, tt.join)
		}
	}
}

// Point 7: a large terminal shows bigger lanes, who held the GIL across
// time, and the locks; it leaves no rows empty.
func TestLargeTerminalUsesItsRows(t *testing.T) {
	m := noLessons(t, "lock-contention", sim.DefaultConfig(), 160, 48)
	m = playFor(t, m, 100)
	got := plain(m)
	checkFits(t, got, 160, 48)
	lines := strings.Split(got, "\n")
	empty := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			empty++
		}
	}
	if empty > 3 {
		t.Errorf("%d empty rows at 160x48:\n%s", empty, got)
	}
	if m.player == nil || layoutPlayer(&m.frame, 160, 48, 1).laneHeight < 2 {
		t.Errorf("the lanes are not taller at 160x48:\n%s", got)
	}
	for _, s := range []string{"GIL held by", "LOCK  lock"} {
		if !strings.Contains(got, s) {
			t.Errorf("no %q at 160x48:\n%s", s, got)
		}
	}
}

// Point 8 (benchmarked in bench_test.go): a scenario with 10,000 threads
// opens and toggles.
func TestTenThousandThreads(t *testing.T) {
	m := playerModel(t, "cpu-bound", sim.DefaultConfig(), 80, 24, "threads=10000")
	m = pressN(t, m, "right", 50)
	m, _ = press(t, m, "g")
	if m.player.cfg.Model != sim.ModelFreeThreaded || m.frame.snap.Events == 0 {
		t.Errorf("after g: %s at event %d", m.player.cfg.Model, m.frame.snap.Events)
	}
	checkFits(t, plain(m), 80, 24)
}

// B22: the picker ranks section numbers first, previews the scenario under
// the cursor with what to watch for, answers ?, and its footer says what
// enter and esc do while the filter is typed.
func TestPicker(t *testing.T) {
	m := New(scenarios.All(), sim.DefaultConfig(), pinnedStyles(termenv.Ascii, true))
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	got := plain(m)
	for _, sc := range scenarios.All() {
		if !strings.Contains(got, sc.ID) {
			t.Errorf("the picker at 80x24 does not list %s:\n%s", sc.ID, got)
		}
	}
	if !strings.Contains(got, "WHAT TO WATCH FOR") || !strings.Contains(got, strings.Join(strings.Fields(scenarios.All()[0].Notice)[:5], " ")) {
		t.Errorf("no preview of the first scenario:\n%s", got)
	}
	checkFits(t, got, 80, 24)
	f, _ := press(t, m, "/")
	f, _ = press(t, f, "3")
	if foot := lineWith(plain(f), "enter"); !strings.Contains(foot, "apply filter") || strings.Contains(foot, "quit") {
		t.Errorf("while filtering the footer says %q", foot)
	}
	all := scenarios.All()
	targets := make([]string, len(all))
	for i, sc := range all {
		targets[i] = scenarioItem{sc}.FilterValue()
	}
	for _, tt := range []struct{ term, first string }{{"3.2", "process-start"}, {"3.2.2", "process-queue"}, {"que", "process-queue"},
		{"4.3", "asyncio-basic"}, {"convoy", "convoy"}, {"3.1", "thread-start"}} {
		ranks := sectionFilter(all)(tt.term, targets)
		if len(ranks) == 0 || all[ranks[0].Index].ID != tt.first {
			t.Errorf("filter %q: %d matches, want %s first", tt.term, len(ranks), tt.first)
		}
	}
	m, _ = press(t, m, "?")
	if !m.help.ShowAll || !strings.Contains(plain(m), "next page") {
		t.Errorf("? in the picker shows no full help:\n%s", plain(m))
	}
	checkFits(t, plain(m), 80, 24)
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 140, Height: 40})
	checkFits(t, plain(m), 140, 40)
}
