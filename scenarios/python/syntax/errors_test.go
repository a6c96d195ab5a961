package syntax

import (
	"errors"
	"strings"
	"testing"
)

// Bad sources give the first error, worded and placed as CPython does
// where it can. The column of some errors differs a little from CPython's,
// which points at odd places for a few of them.
func TestErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		// Blocks and indentation.
		{"if x\n    pass\n", "1:5: syntax error: expected ':'"},
		{"for x in y\n  pass\n", "1:11: syntax error: expected ':'"},
		{"def f()\n  pass\n", "1:8: syntax error: expected ':'"},
		{"class C\n  pass\n", "1:8: syntax error: expected ':'"},
		{"if x:\npass\n", "2:1: syntax error: expected an indented block after 'if' statement on line 1"},
		{"if x:\n  pass\nelif y:\nz\n", "4:1: syntax error: expected an indented block after 'elif' statement on line 3"},
		{"while x:\n  pass\nelse:\nz\n", "4:1: syntax error: expected an indented block after 'else' statement on line 3"},
		{"try:\nx\n", "2:1: syntax error: expected an indented block after 'try' statement on line 1"},
		{"try:\n x\nexcept E:\ny\n", "4:1: syntax error: expected an indented block after 'except' statement on line 3"},
		{"with a:\nx\n", "2:1: syntax error: expected an indented block after 'with' statement on line 1"},
		{"def f():\n", "1:9: syntax error: expected an indented block after function definition on line 1"},
		{"class C:\n\n# c\n", "1:9: syntax error: expected an indented block after class definition on line 1"},
		{"x = 1\n    y = 2\n", "2:5: syntax error: unexpected indent"},
		{"if x:\n        a\n    b\n", "3:5: syntax error: unindent does not match any outer indentation level"},
		{"if True:\n\tx = 1\n        y = 2\n", "3:1: syntax error: inconsistent use of tabs and spaces in indentation"},
		{"if True:\n        x = 1\n\ty = 2\n", "3:1: syntax error: inconsistent use of tabs and spaces in indentation"},
		{"try:\n  pass\nx = 1\n", "3:1: syntax error: expected 'except' or 'finally' block"},
		{"else:\n  pass\n", "1:1: syntax error: invalid syntax"},
		{"if x: pass; else: pass\n", "1:13: syntax error: invalid syntax"},
		{"try:\n  pass\nexcept:\n  pass\nexcept E:\n  pass\n", "3:1: syntax error: default 'except:' must be last"},
		{"try:\n  pass\nexcept A, B:\n  pass\n", "3:8: syntax error: multiple exception types must be parenthesized"},

		// Tokens.
		{"x = \"abc\n", "1:5: syntax error: unterminated string literal (detected at line 1)"},
		{"x = '''abc\n\n", "1:5: syntax error: unterminated triple-quoted string literal (detected at line 2)"},
		{"x = f'{x}\n", "1:5: syntax error: unterminated f-string literal (detected at line 1)"},
		{"f(1,\n", "1:2: syntax error: '(' was never closed"},
		{"x = (1 +\ny = 2\n", "1:5: syntax error: '(' was never closed"},
		{"def f():\n    x = (1,\n  y = 2\n", "2:9: syntax error: '(' was never closed"},
		{"x = 1)\n", "1:6: syntax error: unmatched ')'"},
		{"x = [1)\n", "1:7: syntax error: closing parenthesis ')' does not match opening parenthesis '['"},
		{"x = [1,\n2)\n", "2:2: syntax error: closing parenthesis ')' does not match opening parenthesis '[' on line 1"},
		{"x = 1abc\n", "1:5: syntax error: invalid decimal literal"},
		{"x = 1_\n", "1:6: syntax error: invalid decimal literal"},
		{"x = 1e\n", "1:5: syntax error: invalid decimal literal"},
		{"x = 0x\n", "1:6: syntax error: invalid hexadecimal literal"},
		{"x = 0x1_\n", "1:8: syntax error: invalid hexadecimal literal"},
		{"x = 0o8\n", "1:7: syntax error: invalid digit '8' in octal literal"},
		{"x = 0b12\n", "1:8: syntax error: invalid digit '2' in binary literal"},
		{"x = 012\n", "1:5: syntax error: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"},
		{"a $ b\n", "1:3: syntax error: invalid syntax"},
		{"a = €\n", "1:5: syntax error: invalid character '€' (U+20AC)"},
		{"a = \x01\n", "1:5: syntax error: invalid non-printable character U+0001"},
		{"a = 1 # 中文\nb = \u200b\n", "2:5: syntax error: invalid non-printable character U+200B"},
		{"x = \\ y\n", "1:6: syntax error: unexpected character after line continuation character"},
		{"x = 1 \\", "1:8: syntax error: unexpected EOF while parsing"},
		{"x = 1\x00\n", "1:6: syntax error: source code cannot contain null bytes"},
		{"x = '\xff'\n", "1:6: syntax error: (unicode error) 'utf-8' codec can't decode byte 0xff"},

		// Strings.
		{`x = 'abc\x1'` + "\n", `1:5: syntax error: (unicode error) truncated \xXX escape`},
		{`x = '\U00110000'` + "\n", "1:5: syntax error: (unicode error) illegal Unicode character"},
		{"x = b'é'\n", "1:5: syntax error: bytes can only contain ASCII literal characters"},
		{"x = 'a' b'b'\n", "1:9: syntax error: cannot mix bytes and nonbytes literals"},
		{"x = f'{}'\n", "1:8: syntax error: f-string: empty expression not allowed"},
		{"x = f'{x!z}'\n", "1:10: syntax error: f-string: invalid conversion character: expected 's', 'r', or 'a'"},
		{"x = f'{x!}'\n", "1:10: syntax error: f-string: missing conversion character"},
		{"x = f'}'\n", "1:7: syntax error: f-string: single '}' is not allowed"},
		{"x = f'{x'\n", "1:9: syntax error: f-string: expecting '}'"},
		{"x = f'{)}'\n", "1:8: syntax error: f-string: unmatched ')'"},
		{"x = f'{#}'\n", "1:8: syntax error: f-string expression part cannot include '#'"},
		{"x = f'{a b}'\n", "1:10: syntax error: f-string: expecting '}'"},
		{"x = f'{a +}'\n", "1:11: syntax error: invalid syntax"},

		// Expressions and statements.
		{"x = 1 +\n", "1:8: syntax error: invalid syntax"},
		{"x = 1 if y\n", "1:5: syntax error: expected 'else' after 'if' expression"},
		{"f(a b)\n", "1:3: syntax error: invalid syntax. Perhaps you forgot a comma?"},
		{"x = [1, 2,\n  3 4]\n", "2:3: syntax error: invalid syntax. Perhaps you forgot a comma?"},
		{"print 'x'\n", "1:1: syntax error: missing parentheses in call to 'print'. Did you mean print(...)?"},
		{"a.1\n", "1:2: syntax error: invalid syntax"},
		{"a[]\n", "1:3: syntax error: invalid syntax"},
		{"x := 1\n", "1:3: syntax error: invalid syntax"},
		{"f() = 1\n", "1:1: syntax error: cannot assign to function call here. Maybe you meant '==' instead of '='?"},
		{"1 = x\n", "1:1: syntax error: cannot assign to literal here. Maybe you meant '==' instead of '='?"},
		{"None = 1\n", "1:1: syntax error: cannot assign to None"},
		{"b'x' = 1\n", "1:1: syntax error: cannot assign to literal here. Maybe you meant '==' instead of '='?"},
		{"... = 1\n", "1:1: syntax error: cannot assign to ellipsis here. Maybe you meant '==' instead of '='?"},
		{"a, f() = 1, 2\n", "1:4: syntax error: cannot assign to function call"},
		{"if x = 1:\n  pass\n", "1:4: syntax error: invalid syntax. Maybe you meant '==' or ':=' instead of '='?"},
		{"while x.y = 2: pass\n", "1:7: syntax error: cannot assign to attribute here. Maybe you meant '==' instead of '='?"},
		{"x = [a, b = 2]\n", "1:9: syntax error: invalid syntax. Maybe you meant '==' or ':=' instead of '='?"},
		{"a, b += 1\n", "1:1: syntax error: 'tuple' is an illegal expression for augmented assignment"},
		{"f() += 1\n", "1:1: syntax error: 'function call' is an illegal expression for augmented assignment"},
		{"a, b: int = 1\n", "1:1: syntax error: only single target (not tuple) can be annotated"},
		{"*a = 1\n", "1:1: syntax error: starred assignment target must be in a list or tuple"},
		{"*a\n", "1:1: syntax error: can't use starred expression here"},
		{"x = *a\n", "1:5: syntax error: can't use starred expression here"},
		{"x = (*a)\n", "1:6: syntax error: cannot use starred expression here"},
		{"a, *b, *c = d\n", "1:1: syntax error: multiple starred expressions in assignment"},
		{"del f()\n", "1:5: syntax error: cannot delete function call"},
		{"del (a, *b)\n", "1:9: syntax error: cannot delete starred"},
		{"for f() in y: pass\n", "1:5: syntax error: cannot assign to function call"},
		{"with a as f(): pass\n", "1:11: syntax error: cannot assign to function call"},
		{"x = [*a for a in b]\n", "1:6: syntax error: iterable unpacking cannot be used in comprehension"},
		{"x = {**a for a in b}\n", "1:6: syntax error: dict unpacking cannot be used in dict comprehension"},
		{"from a import b,\n", "1:17: syntax error: trailing comma not allowed without surrounding parentheses"},
		{"from a import *, b\n", "1:16: syntax error: invalid syntax"},
		{"import a.b as\n", "1:14: syntax error: invalid syntax"},

		// Calls and parameters.
		{"f(a=1, b)\n", "1:8: syntax error: positional argument follows keyword argument"},
		{"f(**a, b)\n", "1:8: syntax error: positional argument follows keyword argument unpacking"},
		{"f(**a, *b)\n", "1:8: syntax error: iterable argument unpacking follows keyword argument unpacking"},
		{"f(a=1, a=2)\n", "1:8: syntax error: keyword argument repeated: a"},
		{"f(x for x in y, 1)\n", "1:3: syntax error: generator expression must be parenthesized"},
		{"f(True=1)\n", "1:3: syntax error: cannot assign to True"},
		{"f(x.y=1)\n", `1:3: syntax error: expression cannot contain assignment, perhaps you meant "=="?`},
		{"class C(x for x in y): pass\n", "1:11: syntax error: invalid syntax"},
		{"def f(a=1, b):\n pass\n", "1:12: syntax error: parameter without a default follows parameter with a default"},
		{"def f(a, a): pass\n", "1:10: syntax error: duplicate argument 'a' in function definition"},
		{"lambda a, a: 0\n", "1:11: syntax error: duplicate argument 'a' in function definition"},
		{"def f(*):\n  pass\n", "1:7: syntax error: named arguments must follow bare *"},
		{"def f(**k, *a): pass\n", "1:12: syntax error: arguments cannot follow var-keyword argument"},
		{"def f(*a, *b): pass\n", "1:11: syntax error: * argument may appear only once"},
		{"def f(/): pass\n", "1:7: syntax error: at least one argument must precede /"},
		{"def f(*a=1): pass\n", "1:9: syntax error: var-positional argument cannot have default value"},
		{"def f(x)\n", "1:9: syntax error: expected ':'"},
		{"def f:\n", "1:6: syntax error: expected '('"},

		// What CPython checks when it compiles.
		{"return 1\n", "1:1: syntax error: 'return' outside function"},
		{"def f():\n  class C:\n    return 1\n", "3:5: syntax error: 'return' outside function"},
		{"break\n", "1:1: syntax error: 'break' outside loop"},
		{"for x in y:\n  def f():\n    break\n", "3:5: syntax error: 'break' outside loop"},
		{"while 1:\n  pass\nelse:\n  continue\n", "4:3: syntax error: 'continue' not properly in loop"},
		{"await x\n", "1:1: syntax error: 'await' outside function"},
		{"def f():\n  await x\n", "2:3: syntax error: 'await' outside async function"},
		{"async def f():\n  lambda: await x\n", "2:11: syntax error: 'await' outside async function"},
		{"async with a: pass\n", "1:1: syntax error: 'async with' outside async function"},
		{"def f():\n  async for x in y: pass\n", "2:3: syntax error: 'async for' outside async function"},
		{"def f():\n  [x async for x in y]\n", "2:3: syntax error: asynchronous comprehension outside of an asynchronous function"},
		{"nonlocal x\n", "1:1: syntax error: nonlocal declaration not allowed at module level"},
		{"def f():\n  from m import *\n", "2:17: syntax error: import * only allowed at module level"},

		// Valid Python that is not simulated.
		{"@dec\ndef f(): pass\n", "1:1: unsupported: decorators are not simulated"},
		{"def f():\n    x = yield\n", "2:9: unsupported: yield expressions (generators) are not simulated"},
		{"def f():\n    yield from g()\n", "2:5: unsupported: yield expressions (generators) are not simulated"},
		{"def f():\n    return (yield)\n", "2:13: unsupported: yield expressions (generators) are not simulated"},
		{"if (n := len(a)) > 10: pass\n", "1:5: unsupported: assignment expressions (:=) are not simulated"},
		{"match x:\n    case 1:\n        pass\n", "1:1: unsupported: match statements are not simulated"},
		{"type X = int\n", "1:1: unsupported: type alias statements are not simulated"},
		{"def f[T](x): pass\n", "1:6: unsupported: type parameters are not simulated"},
		{"try:\n  pass\nexcept* E:\n  pass\n", "3:1: unsupported: except* clauses are not simulated"},
		{"x = 1j\n", "1:5: unsupported: complex numbers are not simulated"},
		{`x = '\N{DASH}'` + "\n", `1:5: unsupported: \N{...} escapes are not simulated`},

		// Limits.
		{"x = " + strings.Repeat("(", 201) + "\n", "1:205: syntax error: too many nested parentheses"},
		{"x = " + strings.Repeat("-", 250) + "1\n", "1:204: syntax error: too deeply nested"},
		{"x = " + strings.Repeat("not ", 250) + "1\n", "1:801: syntax error: too deeply nested"},
		{"x = " + strings.Repeat("[", 150) + strings.Repeat("]", 150) + "\n", ""},
		{"x = " + strings.Repeat("1+", 250) + "1\n", "1:405: syntax error: too deeply nested"},
		{"x = a" + strings.Repeat(".b", 250) + "\n", "1:404: syntax error: too deeply nested"},
		{"x = " + strings.Repeat("1+", 150) + "1\n", ""},
		{nestedBlocks(101), "102:102: syntax error: too many levels of indentation"},
		{"x = " + strings.Repeat("1", 4301) + "\n", "1:5: syntax error: exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use a hexadecimal literal"},

		// The first error in the source wins.
		{"x = = 1\ny = 'abc\n", "1:5: syntax error: invalid syntax"},
		{"x = 'abc\ny = = 1\n", "1:5: syntax error: unterminated string literal (detected at line 1)"},
		{"@dec\ndef f(:\n", "1:1: unsupported: decorators are not simulated"},
		{"def f(x):\n  return = 1\n@dec\n", "2:10: syntax error: invalid syntax"},
	}
	for _, tt := range tests {
		_, err := Parse("prog.py", []byte(tt.src))
		got := ""
		if err != nil {
			got = strings.TrimPrefix(err.Error(), "prog.py:")
		}
		if got != tt.want {
			t.Errorf("Parse(%q):\n got: %s\nwant: %s", tt.src, got, tt.want)
		}
	}
}

// A long elif chain is as deep a tree as it is long; it parses, and its
// Dump stays linear in size.
func TestLongElifChain(t *testing.T) {
	const n = 2000
	src := "if x == 0:\n    pass\n" + strings.Repeat("elif x == 1:\n    pass\n", n) + "else:\n    pass\n"
	f := mustParse(t, "prog.py", src)
	depth := 0
	for s := f.Body[0].(*If); ; depth++ {
		if s.End != (Pos{2*n + 4, 9}) {
			t.Fatalf("If at %s ends at %s", s.Pos, s.End)
		}
		next, ok := s.OrElse[0].(*If)
		if !ok {
			break
		}
		s = next
	}
	if depth != n {
		t.Errorf("%d nested elifs, want %d", depth, n)
	}
	if size := len(Dump(f)); size > 2500*n {
		t.Errorf("Dump is %d bytes for %d elifs", size, n)
	}
}

// nestedBlocks returns n nested if statements.
func nestedBlocks(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "if x:\n")
	}
	b.WriteString(strings.Repeat(" ", n) + "pass\n")
	return b.String()
}

func TestErrorTypes(t *testing.T) {
	_, err := Parse("prog.py", []byte("x = (\n"))
	var se *Error
	if !errors.As(err, &se) || se.File != "prog.py" || se.Pos() != (Pos{1, 5}) || se.Msg != "'(' was never closed" {
		t.Errorf("Parse: %#v, want an *Error at 1:5", err)
	}
	_, err = Parse("prog.py", []byte("\n\n@dec\ndef f(): pass\n"))
	var un *Unsupported
	if !errors.As(err, &un) || un.Pos() != (Pos{3, 1}) || un.What != "decorators" {
		t.Errorf("Parse: %#v, want an *Unsupported decorators at 3:1", err)
	}
}

// An error is one line even if the file name or the source holds line
// breaks and other control characters.
func TestErrorsAreOneLine(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"a\nb.py", "x = (\n", `a\nb.py:1:5: syntax error: '(' was never closed`},
		{"p.py", "x = '\x1b[31m\n", "p.py:1:5: syntax error: unterminated string literal (detected at line 1)"},
		{"p.py", "x\r= =\n", "p.py:2:1: syntax error: invalid syntax"},
		{"p\x00.py", "@d\n", `p\x00.py:1:1: unsupported: decorators are not simulated`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.name, []byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q, %q) = %v, want %s", tt.name, tt.src, err, tt.want)
		}
	}
	e := &Error{File: "p.py", Line: 1, Col: 1, Msg: "bad \u2028 \x7f \xff"}
	if got := e.Error(); got != `p.py:1:1: syntax error: bad \u2028 \x7f \xff` {
		t.Errorf("Error() = %q", got)
	}
}
