package syntax

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"
)

const (
	tabSize     = 8   // tab stops for indentation, as in CPython
	maxIndent   = 100 // nested indented blocks, as in CPython
	maxBrackets = 200 // nested open brackets, as in CPython
)

// lexer turns source into tokens, all at once. It stops at the first
// error, which becomes a final tError token: the parser reports it when it
// gets there, so errors come out in source order.
type lexer struct {
	reader
	file  string
	fmode bool // lexing the expression of an f-string field
	bol   bool // at the beginning of a line, before its indentation

	toks     []token
	brackets []bracket
	indents  []indent
	comments map[int]string
	names    map[string]string // interned identifiers
	unclosed *Error            // "'(' was never closed", when the input ends inside brackets
	failed   bool
}

type bracket struct {
	c   byte
	pos Pos
}

// indent is one indentation level: col counts tabs to the next multiple
// of 8, alt counts them as 1; the two must order levels the same way.
type indent struct{ col, alt int }

// lex tokenizes src, which starts at position start. In fmode (an f-string
// field) line endings are white space and there is no indentation.
func lex(file string, src []byte, start Pos, fmode bool) *lexer {
	l := &lexer{
		reader:  reader{src: src, line: start.Line, col: start.Col},
		file:    file,
		fmode:   fmode,
		bol:     !fmode,
		indents: []indent{{}},
		names:   map[string]string{},
		toks:    make([]token, 0, len(src)/3+8), // Python has a token per 3-6 bytes
	}
	if !fmode {
		l.comments = map[int]string{}
	}
	l.run()
	return l
}

func (l *lexer) run() {
	for !l.failed {
		if l.bol {
			l.bol = false
			l.indentation()
			continue
		}
		l.skipSpace()
		if l.failed {
			return
		}
		if l.eof() {
			l.end()
			return
		}
		l.token()
	}
}

func (l *lexer) emit(typ tokType, pos Pos, text string) {
	l.toks = append(l.toks, token{typ: typ, text: text, pos: pos, end: l.pos()})
}

func (l *lexer) fail(pos Pos, format string, args ...any) {
	err := &Error{File: l.file, Line: pos.Line, Col: pos.Col, Msg: fmt.Sprintf(format, args...)}
	l.toks = append(l.toks, token{typ: tError, pos: pos, end: pos, err: err})
	l.failed = true
}

// token lexes one token, or a comment or a line ending.
func (l *lexer) token() {
	c := l.at(0)
	pos := l.pos()
	switch {
	case isNewline(c):
		l.advance()
		if len(l.brackets) == 0 && !l.fmode {
			l.emit(tNewline, pos, "")
			l.bol = true
		}
	case c == '#':
		l.comment()
	case isDigit(c) || c == '.' && isDigit(l.at(1)):
		l.number()
	case c == '"' || c == '\'':
		l.stringLit(l.off, pos, "")
	case c < utf8.RuneSelf && (isASCIILetter(c) || c == '_'):
		l.identifier()
	case c >= utf8.RuneSelf:
		if r, _ := utf8.DecodeRune(l.src[l.off:]); isIDStart(r) {
			l.identifier()
		} else {
			l.badChar(pos, r)
		}
	default:
		l.operator()
	}
}

// skipSpace skips blanks and explicit line joins ("\" at the end of a
// line).
func (l *lexer) skipSpace() {
	for !l.eof() {
		switch l.at(0) {
		case ' ', '\t', '\f':
			l.advance()
		case '\\':
			l.advance()
			switch {
			case l.eof():
				l.fail(l.pos(), "unexpected EOF while parsing")
				return
			case !isNewline(l.at(0)):
				l.fail(l.pos(), "unexpected character after line continuation character")
				return
			}
			l.advance()
		default:
			return
		}
	}
}

// indentation measures the indentation of the next line that is not blank
// or a comment, and emits INDENT or DEDENT tokens as needed.
func (l *lexer) indentation() {
	for {
		col, alt := 0, 0
	measure:
		for !l.eof() {
			switch l.at(0) {
			case ' ':
				col, alt = col+1, alt+1
			case '\t':
				col, alt = (col/tabSize+1)*tabSize, alt+1
			case '\f':
				col, alt = 0, 0
			default:
				break measure
			}
			l.advance()
		}
		if !l.eof() && l.at(0) == '#' {
			l.comment()
		}
		if l.eof() {
			return
		}
		if isNewline(l.at(0)) {
			l.advance() // a blank line
			continue
		}
		l.indentTo(col, alt)
		return
	}
}

func (l *lexer) indentTo(col, alt int) {
	pos := l.pos()
	top := l.indents[len(l.indents)-1]
	switch {
	case col == top.col:
		if alt != top.alt {
			l.fail(Pos{pos.Line, 1}, "inconsistent use of tabs and spaces in indentation")
		}
	case col > top.col:
		if alt <= top.alt {
			l.fail(Pos{pos.Line, 1}, "inconsistent use of tabs and spaces in indentation")
			return
		}
		if len(l.indents) > maxIndent {
			l.fail(pos, "too many levels of indentation")
			return
		}
		l.indents = append(l.indents, indent{col, alt})
		l.emit(tIndent, pos, "")
	default:
		for len(l.indents) > 1 && col < l.indents[len(l.indents)-1].col {
			l.indents = l.indents[:len(l.indents)-1]
			l.emit(tDedent, pos, "")
		}
		top = l.indents[len(l.indents)-1]
		switch {
		case col != top.col:
			l.fail(pos, "unindent does not match any outer indentation level")
		case alt != top.alt:
			l.fail(Pos{pos.Line, 1}, "inconsistent use of tabs and spaces in indentation")
		}
	}
}

// end finishes the token stream at the end of the input.
func (l *lexer) end() {
	pos := l.pos()
	if n := len(l.brackets); n > 0 {
		b := l.brackets[n-1]
		l.unclosed = &Error{File: l.file, Line: b.pos.Line, Col: b.pos.Col,
			Msg: fmt.Sprintf("'%c' was never closed", b.c)}
		l.toks = append(l.toks, token{typ: tError, pos: b.pos, end: b.pos, err: l.unclosed})
		l.failed = true
		return
	}
	if !l.fmode {
		if n := len(l.toks); n > 0 && l.toks[n-1].typ != tNewline {
			l.emit(tNewline, pos, "")
		}
		for len(l.indents) > 1 {
			l.indents = l.indents[:len(l.indents)-1]
			l.emit(tDedent, pos, "")
		}
	}
	l.emit(tEOF, pos, "")
}

// comment records the comment that starts here, up to the end of the line.
func (l *lexer) comment() {
	line := l.line
	start := l.off + 1
	end := start
	for end < len(l.src) && !isNewline(l.src[end]) {
		end++
	}
	text := l.src[start:end]
	l.col += 1 + utf8.RuneCount(text)
	l.off = end
	if l.comments != nil {
		l.comments[line] = string(bytes.TrimSpace(text))
	}
}

// identifier lexes a name, a keyword, or a string with a prefix such as
// r"..." or f"...".
func (l *lexer) identifier() {
	start, pos := l.off, l.pos()
	for !l.eof() {
		c := l.at(0)
		if c < utf8.RuneSelf {
			if !isASCIILetter(c) && !isDigit(c) && c != '_' {
				break
			}
			l.off++
			l.col++
			continue
		}
		r, n := utf8.DecodeRune(l.src[l.off:])
		if !isIDContinue(r) {
			break
		}
		l.off += n
		l.col++
	}
	word := l.src[start:l.off]
	if q := l.at(0); (q == '"' || q == '\'') && isStringPrefix(word) {
		l.stringLit(start, pos, string(bytes.ToLower(word)))
		return
	}
	if kw, ok := keywords[string(word)]; ok {
		l.emit(kw, pos, tokText[kw])
		return
	}
	l.emit(tName, pos, l.intern(word))
}

func (l *lexer) intern(b []byte) string {
	if s, ok := l.names[string(b)]; ok {
		return s
	}
	s := string(b)
	l.names[s] = s
	return s
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// isIDStart approximates Python's XID_Start: letters, letter numbers and
// "_". Identifiers are not NFKC-normalised.
func isIDStart(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.In(r, unicode.Nl, unicode.Other_ID_Start)
}

// isIDContinue approximates Python's XID_Continue.
func isIDContinue(r rune) bool {
	return isIDStart(r) || unicode.In(r, unicode.Nd, unicode.Mn, unicode.Mc, unicode.Pc, unicode.Other_ID_Continue)
}

func isStringPrefix(w []byte) bool {
	if len(w) > 2 {
		return false
	}
	var r, b, f, u int
	for _, c := range w {
		switch c | 0x20 {
		case 'r':
			r++
		case 'b':
			b++
		case 'f':
			f++
		case 'u':
			u++
		default:
			return false
		}
	}
	switch {
	case r > 1 || b > 1 || f > 1 || u > 1, b+f > 1:
		return false
	case u == 1:
		return len(w) == 1
	}
	return true
}

func (l *lexer) badChar(pos Pos, r rune) {
	switch {
	case r < 0x20 || r == 0x7f || r >= utf8.RuneSelf && !unicode.IsPrint(r):
		l.fail(pos, "invalid non-printable character U+%04X", r)
	case r < utf8.RuneSelf:
		l.fail(pos, "invalid syntax")
	default:
		l.fail(pos, "invalid character '%c' (U+%04X)", r, r)
	}
}

// operator lexes an operator or delimiter, and keeps track of brackets.
func (l *lexer) operator() {
	pos := l.pos()
	typ, n := opToken(l.at(0), l.at(1), l.at(2))
	if n == 0 {
		l.badChar(pos, rune(l.at(0)))
		return
	}
	switch typ {
	case tLPar, tLSqb, tLBrace:
		if len(l.brackets) >= maxBrackets {
			l.fail(pos, "too many nested parentheses")
			return
		}
		l.brackets = append(l.brackets, bracket{l.at(0), pos})
	case tRPar, tRSqb, tRBrace:
		c := l.at(0)
		if len(l.brackets) == 0 {
			l.fail(pos, "unmatched '%c'", c)
			return
		}
		open := l.brackets[len(l.brackets)-1]
		if closing(open.c) != c {
			if open.pos.Line != pos.Line {
				l.fail(pos, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d", c, open.c, open.pos.Line)
			} else {
				l.fail(pos, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open.c)
			}
			return
		}
		l.brackets = l.brackets[:len(l.brackets)-1]
	}
	l.off += n
	l.col += n
	l.emit(typ, pos, tokText[typ])
}

func closing(open byte) byte {
	switch open {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}

// opToken returns the operator that starts with c0 c1 c2 and its length,
// or length 0.
func opToken(c0, c1, c2 byte) (tokType, int) {
	// withEq returns eq if the operator is followed by "=".
	withEq := func(plain, eq tokType) (tokType, int) {
		if c1 == '=' {
			return eq, 2
		}
		return plain, 1
	}
	// doubled handles *, /, < and > which may be doubled, then take "=".
	doubled := func(plain, plainEq, dbl, dblEq tokType) (tokType, int) {
		if c1 == c0 {
			if c2 == '=' {
				return dblEq, 3
			}
			return dbl, 2
		}
		return withEq(plain, plainEq)
	}
	switch c0 {
	case '(':
		return tLPar, 1
	case ')':
		return tRPar, 1
	case '[':
		return tLSqb, 1
	case ']':
		return tRSqb, 1
	case '{':
		return tLBrace, 1
	case '}':
		return tRBrace, 1
	case ',':
		return tComma, 1
	case ';':
		return tSemi, 1
	case '~':
		return tTilde, 1
	case ':':
		return withEq(tColon, tWalrus)
	case '.':
		if c1 == '.' && c2 == '.' {
			return tEllipsis, 3
		}
		return tDot, 1
	case '-':
		if c1 == '>' {
			return tArrow, 2
		}
		return withEq(tMinus, tMinusEq)
	case '+':
		return withEq(tPlus, tPlusEq)
	case '%':
		return withEq(tPercent, tPercentEq)
	case '@':
		return withEq(tAt, tAtEq)
	case '|':
		return withEq(tVbar, tVbarEq)
	case '&':
		return withEq(tAmper, tAmperEq)
	case '^':
		return withEq(tCircumflex, tCircumflexEq)
	case '=':
		return withEq(tAssign, tEqEq)
	case '!':
		if c1 == '=' {
			return tNotEq, 2
		}
	case '*':
		return doubled(tStar, tStarEq, tDoubleStar, tDoubleStarEq)
	case '/':
		return doubled(tSlash, tSlashEq, tDoubleSlash, tDoubleSlashEq)
	case '<':
		return doubled(tLess, tLessEq, tLShift, tLShiftEq)
	case '>':
		return doubled(tGreater, tGreaterEq, tRShift, tRShiftEq)
	}
	return 0, 0
}
