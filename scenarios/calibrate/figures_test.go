package calibrate

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
)

// TestFiguresAndProbesAgree checks what can be checked of the probes
// without Python: every figure is reported by exactly one probe, every key
// a probe may report is a figure, each key is a string literal in its
// probe's script, and every script is run by a probe or is the helper or
// the version query.
func TestFiguresAndProbesAgree(t *testing.T) {
	seen := map[string]bool{}
	units := []Unit{Nanoseconds, Microseconds, Milliseconds, Ratio, Count, Percent, PerSecond}
	for _, f := range Figures {
		if seen[f.Key] {
			t.Errorf("figure %s is listed twice", f.Key)
		}
		seen[f.Key] = true
		if !slices.Contains(units, f.Unit) {
			t.Errorf("figure %s has unit %q", f.Key, f.Unit)
		}
		if f.Description == "" || strings.Contains(f.Description, "\n") {
			t.Errorf("figure %s needs a one-line description, has %q", f.Key, f.Description)
		}
		var by []string
		for _, p := range probes {
			if p.reports(f.Key) {
				by = append(by, p.name)
			}
		}
		if len(by) != 1 {
			t.Errorf("figure %s is reported by probes %v, want exactly one", f.Key, by)
		}
	}

	names := map[string]bool{}
	used := map[string]bool{"_probe.py": true, "version.py": true}
	for _, p := range probes {
		if names[p.name] {
			t.Errorf("two probes are named %s", p.name)
		}
		names[p.name] = true
		used[p.script] = true
		src, err := probeFS.ReadFile("probes/" + p.script)
		if err != nil {
			t.Errorf("probe %s: %v", p.name, err)
			continue
		}
		for _, key := range p.keys {
			if _, ok := figureInfo(key); !ok {
				t.Errorf("probe %s reports %s, which is not in Figures", p.name, key)
			}
			if !strings.Contains(string(src), `"`+key+`"`) {
				t.Errorf("probe %s: %s never names %q", p.name, p.script, key)
			}
		}
	}
	scripts, err := fs.Glob(probeFS, "probes/*.py")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scripts {
		if name := strings.TrimPrefix(s, "probes/"); !used[name] {
			t.Errorf("%s is embedded but no probe runs it", name)
		}
	}
}

// TestProbesAreOnePython checks, with what a Go test can see, that the
// scripts keep to what runs on both 2.7 and 3.6: no f-strings, no print
// statements, and each is a module that runs only as __main__ (a spawned
// child imports its parent's main module).
func TestProbesAreOnePython(t *testing.T) {
	for _, p := range probes {
		src, err := probeFS.ReadFile("probes/" + p.script)
		if err != nil {
			t.Fatal(err)
		}
		text := string(src)
		if !strings.Contains(text, `if __name__ == "__main__":`) {
			t.Errorf("%s runs on import: a spawned child would run it again", p.script)
		}
		if !strings.Contains(text, "import _probe") {
			t.Errorf("%s does not use _probe for its clock and output", p.script)
		}
		for line := range strings.Lines(text) {
			trimmed := strings.TrimSpace(line)
			if strings.HasPrefix(trimmed, "print ") || strings.Contains(line, `f"`) || strings.Contains(line, "f'") {
				t.Errorf("%s: %q will not run on both 2.7 and 3.x", p.script, trimmed)
			}
		}
	}
}
