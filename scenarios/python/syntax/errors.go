package syntax

import (
	"fmt"
	"strings"
	"unicode"
)

// Error is a syntax error: the source is not valid Python, or not valid
// in the way this package reads it. Its text is one line,
// "prog.py:3:12: syntax error: <msg>".
type Error struct {
	File string
	Line int // 1-based
	Col  int // 1-based, counted in runes
	Msg  string
}

// Error returns the error as "file:line:col: syntax error: msg", with
// control characters escaped so that it is always one line.
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: syntax error: %s", oneLine(e.File), e.Line, e.Col, oneLine(e.Msg))
}

// Pos returns the position of the error.
func (e *Error) Pos() Pos { return Pos{e.Line, e.Col} }

// Unsupported reports valid Python that the simulator does not model,
// such as decorators or generators. Its text is one line,
// "prog.py:5:1: unsupported: decorators are not simulated".
type Unsupported struct {
	File string
	Line int    // 1-based
	Col  int    // 1-based, counted in runes
	What string // the construct, a plural noun phrase such as "decorators"
}

// Error returns the error as "file:line:col: unsupported: what are not
// simulated", always on one line.
func (e *Unsupported) Error() string {
	return fmt.Sprintf("%s:%d:%d: unsupported: %s are not simulated", oneLine(e.File), e.Line, e.Col, oneLine(e.What))
}

// Pos returns the position of the unsupported construct.
func (e *Unsupported) Pos() Pos { return Pos{e.Line, e.Col} }

// oneLine escapes the characters of s that are not printable (newlines,
// other control characters, invalid UTF-8) so that s prints on one line.
func oneLine(s string) string {
	clean := true
	for _, r := range s {
		if r == unicode.ReplacementChar || !unicode.IsPrint(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == unicode.ReplacementChar && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case !unicode.IsPrint(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// bailout carries the first error out of the lexer or parser; Parse
// recovers it. Any other panic is a bug and is not recovered.
type bailout struct{ err error }
