package syntax

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestGolden")

// TestGolden compares the Dump of each test program with
// testdata/golden/<dir>-<name>.golden; go test -update rewrites them.
// The golden trees were checked against CPython's ast.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.py"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test programs: %v", err)
	}
	for _, path := range files {
		dir := filepath.Base(filepath.Dir(path))
		name := strings.TrimSuffix(filepath.Base(path), ".py")
		t.Run(dir+"/"+name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := Dump(mustParse(t, filepath.Base(path), string(src))) + "\n"
			golden := filepath.Join("testdata", "golden", dir+"-"+name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("Dump differs from %s (go test -update rewrites it):\n%s", golden, firstDiff(got, string(want)))
			}
		})
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + g[i] + "\nwant: " + w[i]
		}
	}
	return "line " + strconv.Itoa(min(len(g), len(w))+1) + ": one ends early"
}
