package scenarios

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pyScenarios returns the built-in scenarios written in Python.
func pyScenarios(t *testing.T) []*Scenario {
	t.Helper()
	var out []*Scenario
	for _, sc := range All() {
		if sc.py != nil {
			out = append(out, sc)
		}
	}
	if len(out) == 0 {
		t.Fatal("no built-in scenario is written in Python")
	}
	return out
}

// switches returns every combination of the values of a scenario's
// boolean and choice parameters other than python, the ones that may
// pick another program.
func switches(t *testing.T, sc *Scenario) []Values {
	t.Helper()
	out := []Values{sc.Defaults()}
	for _, p := range sc.Params {
		var vals []string
		switch {
		case p.Name == ProgramParam:
			continue
		case p.Kind == Bool:
			vals = []string{"true", "false"}
		case p.Kind == Choice:
			vals = p.Choices
		default:
			continue
		}
		var next []Values
		for _, v := range out {
			for _, x := range vals {
				w, err := v.Set(p.Name, x)
				if err != nil {
					t.Fatal(err)
				}
				next = append(next, w)
			}
		}
		out = next
	}
	return out
}

// TestBuiltinProgramsMatchTheirParameters: every constant of a built-in
// program is a parameter, whose default is the constant's literal, and
// every parameter sets a constant, picks the program, or sets the
// network peer's delay or a send's.
func TestBuiltinProgramsMatchTheirParameters(t *testing.T) {
	for _, sc := range pyScenarios(t) {
		used := map[string]bool{ProgramParam: true, sc.py.peer: true, sc.py.send: true}
		files := map[string]bool{}
		for _, v := range switches(t, sc) {
			file := sc.py.file(v)
			files[file] = true
			for _, c := range builtinProgram(file).Consts() {
				p, ok := sc.py.param(sc, c.Name)
				if !ok {
					t.Errorf("%s: %s sets the constant %s, which no parameter of %s sets (parameters: %s)",
						sc.ID, file, c.Name, sc.ID, strings.Join(sc.ParamNames(), ", "))
					continue
				}
				used[p.Name] = true
				if !sameLiteral(p, c.Default) {
					t.Errorf("%s: %s has %s = %s, but the parameter %s defaults to %s", sc.ID, file, c.Name, c.Default, p.Name, p.Default)
				}
			}
		}
		for _, p := range sc.Params {
			if used[p.Name] {
				continue
			}
			picks := false
			for _, v := range switches(t, sc) {
				for _, x := range append(slices.Clone(p.Choices), "true", "false") {
					if w, err := v.Set(p.Name, x); err == nil && sc.py.file(w) != sc.py.file(v) {
						picks = true
					}
				}
			}
			if !picks {
				t.Errorf("%s: the parameter %s sets no constant of %v and picks no other program", sc.ID, p.Name, files)
			}
		}
	}
}

// sameLiteral reports whether a constant's literal is parameter p's
// default: a duration as Python seconds.
func sameLiteral(p Param, lit string) bool {
	switch p.Kind {
	case Duration:
		d, _ := time.ParseDuration(p.Default)
		f, err := strconv.ParseFloat(lit, 64)
		return err == nil && f == d.Seconds()
	case Bool:
		return strings.EqualFold(lit, p.Default)
	case Int, Float:
		a, err1 := strconv.ParseFloat(lit, 64)
		b, err2 := strconv.ParseFloat(p.Default, 64)
		return err1 == nil && err2 == nil && a == b
	}
	return lit == p.Default
}

// TestBuiltinSourceShowsTheValuesRun: a parameter that sets a constant
// changes the source shown to the value run, and nothing else in it.
func TestBuiltinSourceShowsTheValuesRun(t *testing.T) {
	for _, sc := range pyScenarios(t) {
		def := sc.Defaults()
		src := def.Source()
		for _, c := range builtinProgram(sc.py.file(def)).Consts() {
			p, _ := sc.py.param(sc, c.Name)
			var x string
			switch p.Kind {
			case Int:
				n, _ := strconv.ParseInt(p.Default, 10, 64)
				x = strconv.FormatInt(n+1, 10)
				if n+1 > p.Max {
					x = strconv.FormatInt(n-1, 10)
				}
			case Duration:
				d, _ := time.ParseDuration(p.Default)
				x = (d + time.Millisecond).String()
			default:
				continue
			}
			v, err := def.Set(p.Name, x)
			if err != nil {
				t.Fatal(err)
			}
			got := v.Source()
			if got == src {
				t.Errorf("%s %s=%s: the source shown did not change", sc.ID, p.Name, x)
				continue
			}
			changed := 0
			a, b := strings.Split(src, "\n"), strings.Split(got, "\n")
			for i := range min(len(a), len(b)) {
				if a[i] != b[i] {
					changed++
					if !strings.HasPrefix(strings.TrimSpace(b[i]), c.Name) && !strings.Contains(b[i], c.Name+" =") && !strings.Contains(b[i], c.Name+",") {
						t.Errorf("%s %s=%s changed line %d, not %s's: %q", sc.ID, p.Name, x, i+1, c.Name, b[i])
					}
				}
			}
			if len(a) != len(b) || changed != 1 {
				t.Errorf("%s %s=%s: %d lines changed, want 1", sc.ID, p.Name, x, changed)
			}
		}
	}
}
