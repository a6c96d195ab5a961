package syntax

import (
	"strings"
	"unicode/utf8"
)

// stringLit lexes a string literal whose prefix (lower case, possibly
// empty) starts at offset start and position pos; the reader is at the
// opening quote.
func (l *lexer) stringLit(start int, pos Pos, prefix string) {
	q := l.at(0)
	triple := l.at(1) == q && l.at(2) == q
	if triple {
		l.advanceN(3)
	} else {
		l.advance()
	}
	var fs *fstring
	if strings.IndexByte(prefix, 'f') >= 0 {
		parts, ok := l.fstringParts(q, triple, strings.IndexByte(prefix, 'r') >= 0, pos, 0, false)
		if !ok {
			return
		}
		fs = &fstring{parts: parts}
	} else if !l.scanString(q, triple, pos) {
		return
	}
	l.toks = append(l.toks, token{typ: tString, text: string(l.src[start:l.off]), pos: pos, end: l.pos(), fstr: fs})
}

// scanString moves past the body and closing quote of a string that is
// not an f-string.
func (l *lexer) scanString(q byte, triple bool, start Pos) bool {
	for {
		if l.eof() {
			l.unterminated(start, triple, false)
			return false
		}
		switch c := l.at(0); {
		case c == '\\':
			l.advance()
			if !l.eof() {
				l.advance()
			}
		case c == q:
			if !triple {
				l.advance()
				return true
			}
			if l.at(1) == q && l.at(2) == q {
				l.advanceN(3)
				return true
			}
			l.advance()
		case isNewline(c) && !triple:
			l.unterminated(start, triple, false)
			return false
		default:
			l.advance()
		}
	}
}

func (l *lexer) unterminated(start Pos, triple, f bool) {
	kind := "string"
	if f {
		kind = "f-string"
	}
	line := l.line
	if l.eof() && l.col == 1 && line > start.Line {
		line-- // the input ends with a line ending
	}
	if triple {
		l.fail(start, "unterminated triple-quoted %s literal (detected at line %d)", kind, line)
	} else {
		l.fail(start, "unterminated %s literal (detected at line %d)", kind, line)
	}
}

// splitString splits the text of a string token into its lower-case
// prefix and its body between the quotes.
func splitString(text string) (prefix, body string) {
	i := strings.IndexAny(text, `'"`)
	q := 1
	if len(text) >= i+6 && text[i+1] == text[i] && text[i+2] == text[i] {
		q = 3
	}
	return strings.ToLower(text[:i]), text[i+q : len(text)-q]
}

// escapeError is a bad escape sequence in a string literal.
type escapeError struct {
	msg         string
	unsupported bool // a \N{...} escape: valid, but not supported
}

// unescape decodes the escape sequences of a string body (unless raw) and
// turns line endings into "\n". For bytes, \u, \U and \N are not escapes
// and the result holds one byte per \x or octal escape.
func unescape(body string, raw, isBytes bool) (string, *escapeError) {
	if !strings.ContainsAny(body, "\\\r") {
		return body, nil
	}
	var b strings.Builder
	b.Grow(len(body))
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '\r':
			b.WriteByte('\n')
			i++
			if i < len(body) && body[i] == '\n' {
				i++
			}
			continue
		case c != '\\' || raw:
			b.WriteByte(c)
			i++
			continue
		}
		n, err := escape(&b, body[i:], isBytes)
		if err != nil {
			return "", err
		}
		i += n
	}
	return b.String(), nil
}

// escape writes the value of the escape sequence at the start of s and
// returns its length.
func escape(b *strings.Builder, s string, isBytes bool) (int, *escapeError) {
	if len(s) < 2 {
		b.WriteByte('\\')
		return 1, nil
	}
	switch c := s[1]; c {
	case '\n':
		return 2, nil
	case '\r':
		if len(s) > 2 && s[2] == '\n' {
			return 3, nil
		}
		return 2, nil
	case '\\', '\'', '"':
		b.WriteByte(c)
	case 'a':
		b.WriteByte('\a')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'v':
		b.WriteByte('\v')
	case '0', '1', '2', '3', '4', '5', '6', '7':
		n, v := 1, rune(c-'0')
		for n < 3 && 1+n < len(s) && '0' <= s[1+n] && s[1+n] <= '7' {
			v = v*8 + rune(s[1+n]-'0')
			n++
		}
		writeCode(b, v, isBytes)
		return 1 + n, nil
	case 'x':
		return hexEscape(b, s, 2, isBytes)
	case 'u', 'U', 'N':
		if isBytes {
			b.WriteString(s[:2])
			return 2, nil
		}
		if c == 'N' {
			return 0, &escapeError{msg: `\N{...} escapes`, unsupported: true}
		}
		if c == 'u' {
			return hexEscape(b, s, 4, false)
		}
		return hexEscape(b, s, 8, false)
	default:
		b.WriteByte('\\') // not an escape: kept as is, as Python does
		return 1, nil
	}
	return 2, nil
}

func hexEscape(b *strings.Builder, s string, digits int, isBytes bool) (int, *escapeError) {
	var v rune
	for i := 2; i < 2+digits; i++ {
		if i >= len(s) || !isHexDigit(s[i]) {
			what := map[int]string{2: `\xXX`, 4: `\uXXXX`, 8: `\UXXXXXXXX`}[digits]
			return 0, &escapeError{msg: "(unicode error) truncated " + what + " escape"}
		}
		v = v*16 + rune(hexVal(s[i]))
	}
	if v > utf8.MaxRune {
		return 0, &escapeError{msg: "(unicode error) illegal Unicode character"}
	}
	writeCode(b, v, isBytes)
	return 2 + digits, nil
}

func hexVal(c byte) byte {
	if isDigit(c) {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

// writeCode writes code point v, or for bytes the byte v (modulo 256).
// A surrogate code point, which UTF-8 cannot hold, becomes U+FFFD.
func writeCode(b *strings.Builder, v rune, isBytes bool) {
	if isBytes {
		b.WriteByte(byte(v))
		return
	}
	b.WriteRune(v)
}
