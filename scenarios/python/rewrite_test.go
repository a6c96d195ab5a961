package python

import (
	"strings"
	"testing"
)

// TestSetConstantsShowInSource checks that a constant --set overrides is
// written with its new value in the source the workload shows, in the
// style of the literal it replaces, a comment after it kept in its column
// where there is room, and that nothing else changes.
func TestSetConstantsShowInSource(t *testing.T) {
	src := `THREADS, X = 2, 3
COUNT = 1_000_000   # countdown
RATE = -0.5
NAME = "fast"
FLAG = False
OTHER = 'a'
HOLD = 0.01      # seconds
LONG = 5  # a comment
print(THREADS, COUNT, RATE, NAME, FLAG, OTHER, HOLD, LONG)
`
	p, err := Load("p.py", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	w, err := p.Compile(Options{Set: map[string]string{"COUNT": "2500000", "RATE": "0.25", "NAME": "slow one", "FLAG": "true", "OTHER": "it's", "HOLD": "0.0025", "LONG": "123456"}})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer(
		"COUNT = 1_000_000", "COUNT = 2_500_000",
		"RATE = -0.5", "RATE = 0.25",
		`NAME = "fast"`, `NAME = "slow one"`,
		"FLAG = False", "FLAG = True",
		"OTHER = 'a'", `OTHER = "it's"`,
		"HOLD = 0.01      # seconds", "HOLD = 0.0025    # seconds",
		"LONG = 5  # a comment", "LONG = 123456  # a comment",
	).Replace(src)
	if w.Source != want {
		t.Errorf("source with constants set:\n%s\nwant:\n%s", w.Source, want)
	}
	w, err = p.Compile(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w.Source != src {
		t.Errorf("source at the defaults changed:\n%s", w.Source)
	}
}
