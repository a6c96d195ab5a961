package python

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestArticleRunsAsPasted compiles every code block of the source article,
// as pasted, under each version that has what it uses, runs it to the end
// and compares what it did with a golden file.
func TestArticleRunsAsPasted(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("syntax", "testdata", "article", "*.py"))
	if err != nil || len(files) != 9 {
		t.Fatalf("want the article's 9 code blocks, found %d (%v)", len(files), err)
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, ver := range []string{"2.7", "3.9", "3.12", "3.13t"} {
			if ver == "2.7" && strings.Contains(string(src), "asyncio") {
				continue
			}
			name := filepath.Base(path)
			s := simulate(t, name, string(src), ver)
			golden(t, "article-"+strings.TrimSuffix(name, ".py")+"-"+ver+".txt", report(s))
		}
	}
}
