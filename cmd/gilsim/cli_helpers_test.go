package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// update rewrites the golden files under testdata instead of comparing
// against them: go test ./cmd/gilsim -update. Every test of this package
// that keeps goldens shares it.
var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// cliResult is what one in-memory invocation of gilsim produced.
type cliResult struct {
	code           int
	stdout, stderr string
}

// cli runs gilsim with args in memory, with an empty stdin.
func cli(t *testing.T, args ...string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := gilsim(args, strings.NewReader(""), &stdout, &stderr)
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// cliOK runs gilsim and fails the test unless it succeeded quietly.
func cliOK(t *testing.T, args ...string) string {
	t.Helper()
	r := cli(t, args...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("gilsim %s: exit status %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// cliJSON runs gilsim with args (which include --json) and decodes stdout
// into a generic JSON value, failing on anything but one JSON document.
func cliJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	out := cliOK(t, args...)
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("gilsim %s: stdout is not JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
	if dec.More() {
		t.Fatalf("gilsim %s: stdout holds more than one JSON document", strings.Join(args, " "))
	}
	return doc
}

// checkGolden compares got with testdata/name, or rewrites the file with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/gilsim -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update after checking the change):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff shows the first lines where want and got differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
			shown++
		}
	}
	return b.String()
}

// jsonAt walks a decoded JSON document: jsonAt(doc, "gil", "handoffs").
func jsonAt(t *testing.T, doc any, keys ...string) any {
	t.Helper()
	v := doc
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("JSON %s: not an object at %q", strings.Join(keys, "."), k)
		}
		if v, ok = m[k]; !ok {
			t.Fatalf("JSON %s: no key %q", strings.Join(keys, "."), k)
		}
	}
	return v
}

// jsonNum reads a JSON number at the path as a float64.
func jsonNum(t *testing.T, doc any, keys ...string) float64 {
	t.Helper()
	n, ok := jsonAt(t, doc, keys...).(json.Number)
	if !ok {
		t.Fatalf("JSON %s is not a number", strings.Join(keys, "."))
	}
	f, err := n.Float64()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// jsonStr reads a JSON string at the path.
func jsonStr(t *testing.T, doc any, keys ...string) string {
	t.Helper()
	s, ok := jsonAt(t, doc, keys...).(string)
	if !ok {
		t.Fatalf("JSON %s is not a string", strings.Join(keys, "."))
	}
	return s
}

// jsonArr reads a JSON array at the path.
func jsonArr(t *testing.T, doc any, keys ...string) []any {
	t.Helper()
	a, ok := jsonAt(t, doc, keys...).([]any)
	if !ok {
		t.Fatalf("JSON %s is not an array", strings.Join(keys, "."))
	}
	return a
}
