package syntax

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse gives Parse arbitrary bytes. It must not panic; an error is
// an *Error or *Unsupported at a valid position, on one line; a parsed
// file has valid positions everywhere, and parsing it again gives the same
// Dump.
//
// The seeds are the article's code blocks and testdata/fuzz/FuzzParse;
// the larger test programs are left out, as minimizing inputs grown from
// them takes the fuzzer most of its time.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "article", "*.py"))
	for _, path := range files {
		if src, err := os.ReadFile(path); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse("fuzz.py", src)
		if err != nil {
			checkFuzzError(t, src, err)
			return
		}
		walk(file, func(n Node) {
			if p := n.Position(); p.Line < 1 || p.Col < 1 {
				t.Fatalf("%T at %s", n, p)
			}
			if s, ok := n.(Stmt); ok && s.EndPos().Before(s.Position()) {
				t.Fatalf("%T at %s ends before it starts, at %s", n, s.Position(), s.EndPos())
			}
		})
		again, err := Parse("fuzz.py", src)
		if err != nil {
			t.Fatalf("parsed once, then failed: %v", err)
		}
		if d1, d2 := Dump(file), Dump(again); d1 != d2 {
			t.Fatalf("Dump differs between two parses:\n%s", firstDiff(d1, d2))
		}
	})
}

func checkFuzzError(t *testing.T, src []byte, err error) {
	t.Helper()
	var se *Error
	var un *Unsupported
	var pos Pos
	switch {
	case errors.As(err, &se):
		pos = se.Pos()
	case errors.As(err, &un):
		pos = un.Pos()
	default:
		t.Fatalf("Parse(%q): an error of no known type: %#v", src, err)
	}
	if pos.Line < 1 || pos.Col < 1 {
		t.Fatalf("Parse(%q): error at %s: %v", src, pos, err)
	}
	if lines := 1 + strings.Count(string(src), "\n") + strings.Count(string(src), "\r"); pos.Line > lines {
		t.Fatalf("Parse(%q): error on line %d of %d: %v", src, pos.Line, lines, err)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\n\r") || !strings.HasPrefix(msg, "fuzz.py:") {
		t.Fatalf("Parse(%q): error %q is not one line starting with the file name", src, msg)
	}
}
