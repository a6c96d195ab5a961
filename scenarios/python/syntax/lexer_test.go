package syntax

import (
	"strings"
	"testing"
)

// tokens renders the tokens of src: names, numbers and strings with their
// text, NEWLINE, INDENT and DEDENT in capitals, operators and keywords as
// spelled.
func tokens(src string) string {
	lx := lex("prog.py", []byte(src), Pos{1, 1}, false)
	var out []string
	for _, t := range lx.toks {
		switch t.typ {
		case tName, tNumber, tString:
			out = append(out, t.text)
		case tNewline, tIndent, tDedent, tEOF:
			out = append(out, strings.ToUpper(t.typ.String()))
		case tError:
			out = append(out, "error("+t.err.Msg+")")
		default:
			out = append(out, t.typ.String())
		}
	}
	return strings.Join(out, " ")
}

func TestTokens(t *testing.T) {
	tests := []struct{ src, want string }{
		{"x = 1\n", "x = 1 NEWLINE END OF FILE"},
		{"x = 1", "x = 1 NEWLINE END OF FILE"},
		{"", "END OF FILE"},
		{"\n\n# only a comment\n", "END OF FILE"},
		{"if x:\n    y\nz\n", "if x : NEWLINE INDENT y NEWLINE DEDENT z NEWLINE END OF FILE"},
		{"if x:\n    if y:\n        z", "if x : NEWLINE INDENT if y : NEWLINE INDENT z NEWLINE DEDENT DEDENT END OF FILE"},
		{"if x:\n\n    # c\n    y\n  # c\nz\n", "if x : NEWLINE INDENT y NEWLINE DEDENT z NEWLINE END OF FILE"},
		{"if x:\n\ty\n\tif z:\n\t\tw\n", "if x : NEWLINE INDENT y NEWLINE if z : NEWLINE INDENT w NEWLINE DEDENT DEDENT END OF FILE"},
		{"if x:\n  \f  y\n", "if x : NEWLINE INDENT y NEWLINE DEDENT END OF FILE"},
		{"f(a,\n  b)\n", "f ( a , b ) NEWLINE END OF FILE"},
		{"x = [\n    1,\n]\ny\n", "x = [ 1 , ] NEWLINE y NEWLINE END OF FILE"},
		{"x = 1 + \\\n  2\n", "x = 1 + 2 NEWLINE END OF FILE"},
		{"a; b\n", "a ; b NEWLINE END OF FILE"},
		{"x **= 2 // 3 -> y := ... != <<= >>= @= <>", "x **= 2 // 3 -> y := ... != <<= >>= @= < > NEWLINE END OF FILE"},
		{"1if x else 2", "1 if x else 2 NEWLINE END OF FILE"},
		{"a.b.c", "a . b . c NEWLINE END OF FILE"},
		{"1..real", "1. . real NEWLINE END OF FILE"},
		{"rb'x' f\"{y}\" u'z' Rb\"w\" br''", "rb'x' f\"{y}\" u'z' Rb\"w\" br'' NEWLINE END OF FILE"},
		{"fu'x'", "fu 'x' NEWLINE END OF FILE"},
		{"计数 = 名字", "计数 = 名字 NEWLINE END OF FILE"},
		{"async def await_(): await x", "async def await_ ( ) : await x NEWLINE END OF FILE"},
		{"x = 1 # a\ny = 2", "x = 1 NEWLINE y = 2 NEWLINE END OF FILE"},
		{"'''a\nb''' 'c'", "'''a\nb''' 'c' NEWLINE END OF FILE"},
		{"x = (\n", "x = ( error('(' was never closed)"},
	}
	for _, tt := range tests {
		if got := tokens(tt.src); got != tt.want {
			t.Errorf("tokens(%q):\n got: %s\nwant: %s", tt.src, got, tt.want)
		}
	}
}

func TestComments(t *testing.T) {
	src := "#!/usr/bin/env python3\n" +
		"x = f('#')  #   gilsim: 250ms  \n" +
		"s = '''\n# not a comment\n'''\n" +
		"    # indented comment line\n" +
		"y = (1,  # inside brackets\n" +
		"     2)  #\n" +
		"# 中文注释\r\n" +
		"z = 1 # last, no newline"
	f := mustParse(t, "prog.py", src)
	want := map[int]string{
		1:  "!/usr/bin/env python3",
		2:  "gilsim: 250ms",
		6:  "indented comment line",
		7:  "inside brackets",
		8:  "",
		9:  "中文注释",
		10: "last, no newline",
	}
	if len(f.Comments) != len(want) {
		t.Errorf("Comments = %v, want %v", f.Comments, want)
	}
	for line, text := range want {
		if got, ok := f.Comments[line]; !ok || got != text {
			t.Errorf("comment on line %d = %q, %v; want %q", line, got, ok, text)
		}
	}
}
