package python

import (
	"bufio"
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCounterRaceByVersion: "counter += 1" on a global loses updates
// where the eval loop looks at the GIL between any two bytecodes (2.7,
// 3.9), and none from 3.10 on, where it looks only at back-edges and
// calls, as the measurements of real interpreters found
// (docs/python-costs.md); with no GIL at all it loses them again.
func TestCounterRaceByVersion(t *testing.T) {
	for _, tc := range []struct {
		ver  string
		lost bool
	}{{"2.7", true}, {"3.9", true}, {"3.11", false}, {"3.12", false}, {"3.13", false}, {"3.13t", true}} {
		s := simulate(t, "race.py", readFile(t, "../../docs/examples/race.py"), tc.ver, "N=250000")
		m := s.Metrics()
		if len(m.Vars) != 1 {
			t.Fatalf("%s: %d shared variables, want 1 (counter)", tc.ver, len(m.Vars))
		}
		v := m.Vars[0]
		if v.Final+v.LostUpdates != 1_000_000 {
			t.Errorf("%s: final %d plus %d lost is not the 1,000,000 increments made", tc.ver, v.Final, v.LostUpdates)
		}
		if (v.LostUpdates > 0) != tc.lost {
			t.Errorf("%s: %d updates lost, want lost=%v", tc.ver, v.LostUpdates, tc.lost)
		}
		want := "counter = " + strconv.FormatInt(v.Final, 10) + ", expected 1000000"
		if got := s.Snapshot().Console; len(got) != 1 || got[0].Text != want {
			t.Errorf("%s: printed %+v, want %q", tc.ver, got, want)
		}
	}
}

const countdownSource = `def countdown(n):
    while n > 0:
        n -= 1

countdown(COUNT)
`

// TestCountdownTakesWhatCPythonTakes: a 20-million-iteration countdown
// takes, simulated, within 10% of what it took the real interpreter
// (the countdown.20M.s row of each version's cost table). The parts the
// loop is charged (the loop, its test, the statement, the new int each
// step makes, itself the difference between this countdown and one over
// cached small ints) must add up to the whole.
func TestCountdownTakesWhatCPythonTakes(t *testing.T) {
	for _, ver := range []string{"2.7", "3.9", "3.11", "3.12", "3.13"} {
		measured := tableValue(t, ver, "countdown.20M.s")
		s := simulate(t, "countdown.py", "COUNT = 20_000_000\n"+countdownSource, ver)
		got := time.Duration(s.Metrics().CPU).Seconds()
		if got < measured*0.9 || got > measured*1.1 {
			t.Errorf("%s: the countdown takes %.3fs of CPU, CPython took %.3fs", ver, got, measured)
		}
	}
}

// tableValue reads a row of a version's cost table.
func tableValue(t *testing.T, ver, key string) float64 {
	t.Helper()
	data, err := costFiles.ReadFile("costs/" + ver + ".tsv")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "\t")
		if ok && k == key {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %s is %q", ver, key, v)
			}
			return f
		}
	}
	t.Fatalf("%s: no %s in the cost table", ver, key)
	return 0
}

// TestClockReadsVirtualTime: the classic demonstration
// (testdata/programs/timing.py) prints the simulated time: two threads
// take as long as one under the GIL, and about half as long without it.
func TestClockReadsVirtualTime(t *testing.T) {
	for _, tc := range []struct {
		ver    string
		lo, hi float64 // two threads' time over one thread's
	}{{"3.12", 0.98, 1.05}, {"3.13t", 0.45, 0.65}} {
		s := simulate(t, "timing.py", readFile(t, "testdata/programs/timing.py"), tc.ver)
		lines := s.Snapshot().Console
		if len(lines) != 3 {
			t.Fatalf("%s: printed %+v", tc.ver, lines)
		}
		number := func(i int, prefix string) float64 {
			text, ok := strings.CutPrefix(lines[i].Text, prefix)
			f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(text), " s"), 64)
			if !ok || err != nil {
				t.Fatalf("%s: line %d is %q, want %q and a number", tc.ver, i, lines[i].Text, prefix)
			}
			return f
		}
		one, two, ms := number(0, "one thread:"), number(1, "two threads:"), number(2, "in ms:")
		if !regexp.MustCompile(`^one thread:  \d\.\d{3} s$`).MatchString(lines[0].Text) ||
			!regexp.MustCompile(`^in ms: \d+\.\d$`).MatchString(lines[2].Text) {
			t.Errorf("%s: printed %q and %q: the formats .3f and .1f are not applied", tc.ver, lines[0].Text, lines[2].Text)
		}
		if math.Abs(ms-two*1000) > 0.051 {
			t.Errorf("%s: %v s is not %v ms", tc.ver, two, ms)
		}
		if r := two / one; r < tc.lo || r > tc.hi {
			t.Errorf("%s: two threads took %.4fs, one %.3fs: ratio %.2f, want %.2f to %.2f", tc.ver, two, one, r, tc.lo, tc.hi)
		}
		if got := time.Duration(one * float64(time.Second)); got < 300*time.Millisecond || got > 400*time.Millisecond {
			t.Errorf("%s: 10 million steps took %s of virtual time", tc.ver, got)
		}
	}
}
