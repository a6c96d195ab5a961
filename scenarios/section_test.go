package scenarios

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// articleSections is what the article's sections hold: the scenario each
// shows, and the settings that give its code (the article's 3.1.1 and
// 3.2.1 start without joining; 4.1 and 4.2 join).
var articleSections = map[string]struct {
	id  string
	set []string
}{
	"3.1.1": {"thread-start", []string{"join=false"}},
	"3.1.2": {"thread-lock", nil},
	"3.2.1": {"process-start", []string{"join=false"}},
	"3.2.2": {"process-queue", nil},
	"3.3.2": {"asyncio-basic", nil},
	"3.3.3": {"asyncio-blocking", nil},
	"4.1":   {"thread-start", []string{"join=true"}},
	"4.2":   {"process-start", []string{"join=true"}},
	"4.3":   {"asyncio-basic", nil},
}

func TestSectionsKnowTheirCode(t *testing.T) {
	seen := map[string]bool{}
	for _, sc := range All() {
		var numbers []string
		for _, sec := range sc.ArticleSections {
			numbers = append(numbers, sec.Number)
			want, ok := articleSections[sec.Number]
			if !ok || want.id != sc.ID {
				t.Errorf("%s claims section %s, which the article gives to %q", sc.ID, sec.Number, want.id)
				continue
			}
			seen[sec.Number] = true
			if sec.Title == "" || sec.Heading == "" {
				t.Errorf("section %s has no title or heading", sec.Number)
			}
			if !slices.Equal(sec.Set, want.set) {
				t.Errorf("section %s sets %v, want %v", sec.Number, sec.Set, want.set)
			}
			v := choose(t, sec.Number)
			if v.Scenario() != sc || v.Section() != sec.Number {
				t.Errorf("Choose(%s) gives %s §%s", sec.Number, v.Scenario().ID, v.Section())
			}
			for _, kv := range sec.Set {
				key, val, _ := strings.Cut(kv, "=")
				if v.Get(key) != val {
					t.Errorf("section %s: %s is %q after Choose, want %q (settings must be canonical)", sec.Number, key, v.Get(key), val)
				}
			}
		}
		if !slices.Equal(sc.Sections, numbers) {
			t.Errorf("%s: Sections %v, want the numbers of ArticleSections %v", sc.ID, sc.Sections, numbers)
		}
	}
	for n := range articleSections {
		if !seen[n] {
			t.Errorf("no scenario shows section %s", n)
		}
	}
	// The code of each section is the article's.
	src := func(name string) string { return choose(t, name).Source() }
	if strings.Contains(src("3.1.1"), "t.join()") || !strings.Contains(src("4.1"), "t.join()") {
		t.Error("3.1.1 must start the thread without t.join(), 4.1 with it")
	}
	if strings.Contains(src("3.2.1"), "p.join()") || !strings.Contains(src("4.2"), "p.join()") {
		t.Error("3.2.1 must start the process without p.join(), 4.2 with it")
	}
	if src("3.3.2") != src("4.3") {
		t.Error("the article's 3.3.2 and 4.3 have the same code, but the scenarios differ")
	}
}

func TestChoose(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sets    []string
		id      string
		section string
		join    string
	}{
		{"thread-start", nil, "thread-start", "", "true"},
		{"3.1.1", nil, "thread-start", "3.1.1", "false"},
		{"4.1", nil, "thread-start", "4.1", "true"},
		// A later --set overrides the section's, and then v no longer
		// shows the section's code.
		{"3.1.1", []string{"join=true"}, "thread-start", "", "true"},
		{"thread-start", []string{"join=false"}, "thread-start", "", "false"},
		{"3.2.1", []string{"start_method=spawn"}, "process-start", "3.2.1", "false"},
		{"4.2", []string{"join=false"}, "process-start", "", "false"},
	} {
		v := choose(t, tc.name, tc.sets...)
		if v.Scenario().ID != tc.id || v.Section() != tc.section || v.Get("join") != tc.join {
			t.Errorf("Choose(%s, %v) = %s §%q join=%s; want %s §%q join=%s", tc.name, tc.sets,
				v.Scenario().ID, v.Section(), v.Get("join"), tc.id, tc.section, tc.join)
		}
	}
	// Changing another parameter keeps the section; changing its own does not.
	v := choose(t, "3.2.1")
	if w, _ := v.Set("start_method", "forkserver"); w.Section() != "3.2.1" {
		t.Errorf("setting start_method lost the section: %q", w.Section())
	}
	if w, _ := v.Set("join", "true"); w.Section() != "" {
		t.Errorf("3.2.1 with join=true still says §%s", w.Section())
	}
	// The errors are Lookup's and Parse's, word for word.
	_, lookupErr := Lookup("3.9")
	if _, err := Choose("3.9", nil); !errors.Is(err, ErrUnknownScenario) || err.Error() != lookupErr.Error() {
		t.Errorf("Choose of an unknown name: %v, want %v", err, lookupErr)
	}
	sc, _ := Lookup("thread-start")
	_, parseErr := sc.Parse([]string{"join=maybe"})
	for _, name := range []string{"thread-start", "3.1.1"} {
		if _, err := Choose(name, []string{"join=maybe"}); !errors.Is(err, ErrBadParam) || err.Error() != parseErr.Error() {
			t.Errorf("Choose(%s) with a bad setting: %v, want %v", name, err, parseErr)
		}
	}
}
