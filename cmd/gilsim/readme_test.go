package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeDocs are the documents whose examples of gilsim's output must be
// what gilsim prints: the README and everything under docs.
func readmeDocs(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{filepath.Join("..", "..", "README.md")}, docs...)
}

// docExample is one fenced block that opens with "$ gilsim ...": the
// command, and the output the document shows for it.
type docExample struct {
	file, command string
	line          int
	want          string
}

// docExamples finds every fenced block of text whose first line is a
// gilsim command line ("$ gilsim run convoy").
func docExamples(t *testing.T, file string) []docExample {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	var examples []docExample
	for i := 0; i+1 < len(lines); i++ {
		if lines[i] != "```" || !strings.HasPrefix(lines[i+1], "$ gilsim ") {
			continue
		}
		ex := docExample{file: file, command: strings.TrimPrefix(lines[i+1], "$ "), line: i + 2}
		j := i + 2
		for ; j < len(lines) && lines[j] != "```"; j++ {
			ex.want += lines[j] + "\n"
		}
		if j == len(lines) {
			t.Fatalf("%s:%d: the block of %q is not closed", file, ex.line, ex.command)
		}
		examples = append(examples, ex)
		i = j
	}
	return examples
}

// rewriteExample replaces the output ex shows in its document with got.
// It runs from the top of the repository, where the documents' paths are
// relative to cmd/gilsim.
func rewriteExample(t *testing.T, ex docExample, got string) {
	t.Helper()
	path := filepath.Join("cmd", "gilsim", ex.file)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	old := "```\n$ " + ex.command + "\n" + ex.want + "```"
	text := string(b)
	if strings.Count(text, old) != 1 {
		t.Errorf("%s:%d: %s: the block is not found once, not rewritten", ex.file, ex.line, ex.command)
		return
	}
	text = strings.Replace(text, old, "```\n$ "+ex.command+"\n"+got+"```", 1)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReadmeExamples runs every command the README and docs show with its
// output, and compares: the output of a command that succeeds is its
// standard output, that of one that fails its standard error. With
// -update it writes what gilsim prints into the documents instead.
func TestReadmeExamples(t *testing.T) {
	var examples []docExample
	for _, file := range readmeDocs(t) {
		examples = append(examples, docExamples(t, file)...)
	}
	// The documents name files from the top of the repository.
	t.Chdir(filepath.Join("..", ".."))
	var found []string
	for _, ex := range examples {
		if strings.ContainsAny(ex.command, `|<>'"$;&`) {
			t.Errorf("%s:%d: %q: only plain arguments are supported here", ex.file, ex.line, ex.command)
			continue
		}
		found = append(found, ex.command)
		r := cli(t, strings.Fields(ex.command)[1:]...)
		got := r.stdout
		if r.code != 0 {
			got = r.stderr
		}
		if got != ex.want && *update {
			rewriteExample(t, ex, got)
		} else if got != ex.want {
			t.Errorf("%s:%d: %s (exit status %d) does not print what the document shows (want: the document):\n%s",
				ex.file, ex.line, ex.command, r.code, lineDiff(ex.want, got))
		}
	}
	// The README's two examples must be found, or this test checks nothing.
	for _, want := range []string{"gilsim run convoy", "gilsim compare cpu-bound"} {
		seen := false
		for _, c := range found {
			seen = seen || c == want
		}
		if !seen {
			t.Errorf("no example of %q found in the README", want)
		}
	}
}
