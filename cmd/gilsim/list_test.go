package main

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gilsim/gilsim/scenarios"
)

// lineWith returns the first line of text that contains every part, in
// order, or "".
func lineWith(text string, parts ...string) string {
	for _, line := range strings.Split(text, "\n") {
		rest, ok := line, true
		for _, p := range parts {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return line
		}
	}
	return ""
}

func TestListShowsEveryScenario(t *testing.T) {
	out := cliOK(t, "list")
	for _, sc := range scenarios.All() {
		if lineWith(out, sc.ID, sections(sc), sc.Summary) == "" {
			t.Errorf("gilsim list has no line with %s, its sections %q and its summary", sc.ID, sections(sc))
		}
	}
	// The table is aligned: the summaries start in one column.
	col := -1
	for _, sc := range scenarios.All() {
		line := lineWith(out, sc.ID, sc.Summary)
		c := len([]rune(line[:strings.Index(line, sc.Summary)]))
		if col >= 0 && c != col {
			t.Errorf("summary of %s starts in column %d, the others in %d", sc.ID, c, col)
		}
		col = c
	}
}

func TestListParamsShowsEveryParameter(t *testing.T) {
	out := cliOK(t, "list", "--params")
	for _, sc := range scenarios.All() {
		if lineWith(out, sc.ID, sc.Summary) == "" {
			t.Errorf("list --params does not name %s with its summary", sc.ID)
		}
		for _, p := range sc.Params {
			if lineWith(out, p.Name, p.Default, p.Help) == "" {
				t.Errorf("list --params: no line with %s's parameter %s, its default %q and its help", sc.ID, p.Name, p.Default)
			}
			if !strings.Contains(out, "accepts "+p.Accepts()) {
				t.Errorf("list --params does not say what %s.%s accepts (%s)", sc.ID, p.Name, p.Accepts())
			}
		}
	}
}

// TestListShowsWhatToWatchFor: after the table, every scenario's notice,
// wrapped to 80 columns, and each of its sections with its title and the
// settings that give its code.
func TestListShowsWhatToWatchFor(t *testing.T) {
	out := cliOK(t, "list")
	_, rest, ok := strings.Cut(out, "\nWHAT TO WATCH FOR\n")
	if !ok {
		t.Fatalf("gilsim list has no WHAT TO WATCH FOR part:\n%s", out)
	}
	for _, l := range strings.Split(rest, "\n") {
		if w := utf8.RuneCountInString(l) + cjk(l); w > 80 {
			t.Errorf("line of %d columns: %s", w, l)
		}
	}
	// Paragraphs are separated by blank lines; words by single spaces.
	flat := strings.Join(strings.Fields(rest), " ")
	for _, sc := range scenarios.All() {
		notice := strings.Join(strings.Fields(sc.Notice), " ")
		if !strings.Contains(flat, notice) {
			t.Errorf("the notice of %s is missing", sc.ID)
		}
		for _, sec := range sc.ArticleSections {
			line := lineWith(rest, "§"+sec.Number, sec.Title, sec.Heading)
			if line == "" {
				t.Errorf("section %s of %s is not listed with its title", sec.Number, sc.ID)
			}
			for _, kv := range sec.Set {
				if !strings.Contains(line, kv) {
					t.Errorf("section %s is listed without its setting %s: %q", sec.Number, kv, line)
				}
			}
		}
	}
}

// cjk counts the wide (two-column) runes of s.
func cjk(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x2E80 {
			n++
		}
	}
	return n
}
