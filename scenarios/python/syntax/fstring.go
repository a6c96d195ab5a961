package syntax

import "strings"

// maxFStringNesting limits f-strings nested in the fields of f-strings.
const maxFStringNesting = 32

// An f-string is split by the lexer into literal text and fields; the
// parser then parses the expression of each field with a lexer of its own,
// started at the field's position, so that every node keeps its true
// position in the file. Fields follow Python 3.12 (PEP 701): they may hold
// strings with any quotes, including nested f-strings.

// fstring is the structure of an f-string token.
type fstring struct {
	parts []fpart
}

// fpart is literal text (escapes not yet decoded; "{{" and "}}" already
// halved) or, if field is not nil, a replacement field.
type fpart struct {
	lit   string
	pos   Pos
	field *ffield
}

// ffield is one "{expr=!c:spec}" field.
type ffield struct {
	pos     Pos    // the "{"
	expr    []byte // the source of the expression
	exprPos Pos
	debug   string // "expr=" and the blanks after it, for a self-documenting field
	conv    byte
	hasSpec bool
	spec    []fpart
	specPos Pos
}

// fstringParts lexes the body of an f-string up to and including its
// closing quote or, in a format spec, up to (not including) the "}" that
// ends the spec. start is where the whole string starts, for messages.
func (l *lexer) fstringParts(q byte, triple, raw bool, start Pos, nest int, spec bool) ([]fpart, bool) {
	var parts []fpart
	var lit []byte
	var litPos Pos
	flush := func() {
		if len(lit) > 0 {
			parts = append(parts, fpart{lit: string(lit), pos: litPos})
			lit = lit[:0]
		}
	}
	for {
		if l.eof() {
			l.unterminated(start, triple, true)
			return nil, false
		}
		c, pos := l.at(0), l.pos()
		if len(lit) == 0 {
			litPos = pos
		}
		switch {
		case c == q && (!triple || l.at(1) == q && l.at(2) == q):
			if spec {
				l.fail(pos, "f-string: expecting '}'")
				return nil, false
			}
			flush()
			if triple {
				l.advanceN(3)
			} else {
				l.advance()
			}
			return parts, true
		case spec && c == '}':
			flush()
			return parts, true
		case isNewline(c) && !triple:
			l.unterminated(start, false, true)
			return nil, false
		case c == '\\':
			lit = l.backslash(lit, raw)
		case c == '{' && !spec && l.at(1) == '{', c == '}' && l.at(1) == '}':
			lit = append(lit, c)
			l.advanceN(2)
		case c == '{':
			flush()
			f, ok := l.fstringField(q, triple, raw, start, nest)
			if !ok {
				return nil, false
			}
			parts = append(parts, fpart{pos: f.pos, field: f})
		case c == '}':
			l.fail(pos, "f-string: single '}' is not allowed")
			return nil, false
		default:
			lit = l.appendRune(lit)
		}
	}
}

// backslash copies a backslash and the character it escapes, which is not
// a "{" or "}": "\{" is a backslash followed by a field.
func (l *lexer) backslash(lit []byte, raw bool) []byte {
	lit = append(lit, '\\')
	l.advance()
	switch c := l.at(0); {
	case l.eof(), c == '{', c == '}':
	case !raw && c == 'N' && l.at(1) == '{':
		for !l.eof() && l.at(0) != '}' && !isNewline(l.at(0)) {
			lit = l.appendRune(lit)
		}
		if !l.eof() && l.at(0) == '}' {
			lit = l.appendRune(lit)
		}
	default:
		lit = l.appendRune(lit)
	}
	return lit
}

// appendRune appends the current rune (or line ending) to b and moves past
// it.
func (l *lexer) appendRune(b []byte) []byte {
	start := l.off
	l.advance()
	return append(b, l.src[start:l.off]...)
}

// fstringField lexes one replacement field, from its "{" to its "}".
func (l *lexer) fstringField(q byte, triple, raw bool, start Pos, nest int) (*ffield, bool) {
	f := &ffield{pos: l.pos()}
	if nest >= maxFStringNesting {
		l.fail(f.pos, "f-string: expressions nested too deeply")
		return nil, false
	}
	l.advance() // {
	exprStart := l.off
	f.exprPos = l.pos()
	if !l.fieldExpr(q, triple, start, nest) {
		return nil, false
	}
	f.expr = l.src[exprStart:l.off]
	if l.at(0) == '=' {
		l.advance()
		for c := l.at(0); c == ' ' || c == '\t' || c == '\f' || triple && isNewline(c); c = l.at(0) {
			l.advance()
		}
		f.debug = string(l.src[exprStart:l.off])
	}
	if l.at(0) == '!' {
		l.advance()
		c := l.at(0)
		switch {
		case c == '}' || c == ':' || l.eof():
			l.fail(l.pos(), "f-string: missing conversion character")
			return nil, false
		case (c == 's' || c == 'r' || c == 'a') && (l.at(1) == '}' || l.at(1) == ':'):
			f.conv = c
			l.advance()
		default:
			l.fail(l.pos(), "f-string: invalid conversion character: expected 's', 'r', or 'a'")
			return nil, false
		}
	}
	if l.at(0) == ':' {
		l.advance()
		f.hasSpec, f.specPos = true, l.pos()
		spec, ok := l.fstringParts(q, triple, raw, start, nest+1, true)
		if !ok {
			return nil, false
		}
		f.spec = spec
	}
	if l.eof() {
		l.unterminated(start, triple, true)
		return nil, false
	}
	if l.at(0) != '}' {
		l.fail(l.pos(), "f-string: expecting '}'")
		return nil, false
	}
	l.advance()
	return f, true
}

// fieldExpr moves past the expression of a field: up to a "}", "!", ":"
// or "=" outside brackets and strings.
func (l *lexer) fieldExpr(q byte, triple bool, start Pos, nest int) bool {
	depth := 0
	for {
		if l.eof() {
			l.unterminated(start, triple, true)
			return false
		}
		c, pos := l.at(0), l.pos()
		switch {
		case isNewline(c) && !triple:
			l.unterminated(start, false, true)
			return false
		case c == q && depth == 0 && (!triple || l.at(1) == q && l.at(2) == q):
			l.fail(pos, "f-string: expecting '}'")
			return false
		case c == '\'' || c == '"':
			if !l.nestedString("", nest) {
				return false
			}
		case c == '_' || isASCIILetter(c):
			word := l.off
			for c := l.at(0); c == '_' || isASCIILetter(c) || isDigit(c); c = l.at(0) {
				l.advance()
			}
			prefix := l.src[word:l.off]
			if c := l.at(0); (c == '\'' || c == '"') && isStringPrefix(prefix) {
				if !l.nestedString(strings.ToLower(string(prefix)), nest) {
					return false
				}
			}
		case c == '#':
			l.fail(pos, "f-string expression part cannot include '#'")
			return false
		case c == '\\':
			l.fail(pos, "f-string expression part cannot include a backslash")
			return false
		case c == '(' || c == '[' || c == '{':
			if depth++; depth > maxBrackets {
				l.fail(pos, "too many nested parentheses")
				return false
			}
			l.advance()
		case c == ')' || c == ']':
			if depth == 0 {
				l.fail(pos, "f-string: unmatched '%c'", c)
				return false
			}
			depth--
			l.advance()
		case c == '}':
			if depth == 0 {
				return true
			}
			depth--
			l.advance()
		case depth == 0 && (c == ':' || (c == '!' || c == '=') && l.at(1) != '='):
			return true
		case (c == '=' || c == '!' || c == '<' || c == '>') && l.at(1) == '=':
			l.advanceN(2)
		default:
			l.advance()
		}
	}
}

// nestedString moves past a string inside a field; the reader is at its
// opening quote.
func (l *lexer) nestedString(prefix string, nest int) bool {
	pos := l.pos()
	q := l.at(0)
	triple := l.at(1) == q && l.at(2) == q
	if triple {
		l.advanceN(3)
	} else {
		l.advance()
	}
	if strings.IndexByte(prefix, 'f') >= 0 {
		_, ok := l.fstringParts(q, triple, strings.IndexByte(prefix, 'r') >= 0, pos, nest+1, false)
		return ok
	}
	return l.scanString(q, triple, pos)
}

// fstringValues adds the Constant and FormattedValue nodes of the parts
// of f-string token t to j.
func (p *parser) fstringValues(j *joiner, parts []fpart, raw bool, t *token) {
	for _, part := range parts {
		if part.field == nil {
			j.str(part.pos, p.unescape(part.lit, raw, false, t))
			continue
		}
		f := part.field
		j.str(f.exprPos, f.debug)
		fv := &FormattedValue{Pos: f.pos, Value: p.fieldValue(f), Conversion: Conversion(f.conv)}
		if f.debug != "" && f.conv == 0 && !f.hasSpec {
			fv.Conversion = ConvRepr
		}
		if f.hasSpec {
			var spec joiner
			p.fstringValues(&spec, f.spec, raw, t)
			fv.FormatSpec = &JoinedStr{Pos: f.specPos, Values: spec.done()}
		}
		j.value(fv)
	}
}

// fieldValue parses the expression of a field.
func (p *parser) fieldValue(f *ffield) Expr {
	lx := lex(p.file, f.expr, f.exprPos, true)
	if len(lx.toks) == 1 && lx.toks[0].typ == tEOF {
		p.errorf(f.exprPos, "f-string: empty expression not allowed")
	}
	toks, i, prevEnd := p.toks, p.i, p.prevEnd
	p.toks, p.i = lx.toks, 0
	e := p.starExpressions()
	if !p.at(tEOF) {
		p.errorf(p.cur().pos, "f-string: expecting '}'")
	}
	p.toks, p.i, p.prevEnd = toks, i, prevEnd
	return e
}

// joiner collects the values of a concatenation of string literals:
// text, merged into one Constant between fields, and fields.
type joiner struct {
	values []Expr
	buf    []byte // text not yet in values
	bufPos Pos    // where the text in buf starts
}

// str adds text s, which starts at pos.
func (j *joiner) str(pos Pos, s string) {
	if s == "" {
		return
	}
	if len(j.buf) == 0 {
		j.bufPos = pos
	}
	j.buf = append(j.buf, s...)
}

// value adds a field.
func (j *joiner) value(v Expr) {
	j.flush()
	j.values = append(j.values, v)
}

func (j *joiner) flush() {
	if len(j.buf) > 0 {
		j.values = append(j.values, &Constant{Pos: j.bufPos, Value: string(j.buf)})
		j.buf = j.buf[:0]
	}
}

// done returns the values.
func (j *joiner) done() []Expr {
	j.flush()
	return j.values
}
