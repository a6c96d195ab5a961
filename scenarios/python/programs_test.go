package python

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgramsGolden runs the programs of testdata/programs (threads,
// locks, queues, processes, pools, asyncio, the clock) and of
// docs/examples under 3.12 and 3.9, and compares what they did with
// golden files.
func TestProgramsGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "programs", "*.py"))
	examples, err2 := filepath.Glob(filepath.Join("..", "..", "docs", "examples", "*.py"))
	if err != nil || err2 != nil || len(files) == 0 || len(examples) == 0 {
		t.Fatalf("no programs in testdata/programs or docs/examples (%v, %v)", err, err2)
	}
	files = append(files, examples...)
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		for _, ver := range []string{"3.9", "3.12"} {
			s := simulate(t, name, string(src), ver)
			golden(t, "program-"+strings.TrimSuffix(name, ".py")+"-"+ver+".txt", report(s))
		}
	}
}
