package scenarios

import (
	"slices"
	"strings"
)

// Section is a section of the source article whose code a scenario shows.
// Two sections may show one scenario with different settings: 3.1.1
// starts a thread, 4.1 starts it and joins it.
type Section struct {
	// Number is the section's number in the article ("3.1.1").
	Number string
	// Title is the section's heading in English.
	Title string
	// Heading is the section's heading as the article has it, in Chinese.
	Heading string
	// Set are the key=value settings that give the section's code; the
	// other parameters keep their defaults.
	Set []string
}

// Section returns the article section called number that s comes from.
func (s *Scenario) Section(number string) (Section, bool) {
	for _, sec := range s.ArticleSections {
		if sec.Number == number {
			return sec, true
		}
	}
	if slices.Contains(s.Sections, number) {
		// A scenario made outside this package, with numbers only.
		return Section{Number: number}, true
	}
	return Section{}, false
}

// Choose looks name up as a scenario id or an article section and returns
// its values: the defaults, then the section's settings, then sets (so a
// --set overrides a section's setting). Its errors are Lookup's and
// Parse's.
func Choose(name string, sets []string) (Values, error) {
	sc, err := Lookup(name)
	if err != nil {
		return Values{}, err
	}
	if strings.EqualFold(name, sc.ID) {
		return sc.Parse(sets)
	}
	sec, _ := sc.Section(name)
	v, err := sc.Parse(append(slices.Clone(sec.Set), sets...))
	if err != nil {
		return Values{}, err
	}
	v.sec = sec.Number
	return v, nil
}

// Section returns the number of the article section v was chosen by
// ("3.1.1"), so that a header can say "§3.1.1". It is "" when v was chosen
// by id, and once a setting has changed so that v no longer shows that
// section's code (3.1.1 with join=true is section 4.1's code).
func (v Values) Section() string {
	if v.sec == "" {
		return ""
	}
	sec, ok := v.sc.Section(v.sec)
	if !ok {
		return ""
	}
	for _, kv := range sec.Set {
		key, val, _ := strings.Cut(kv, "=")
		if v.m[key] != val {
			return ""
		}
	}
	return v.sec
}
