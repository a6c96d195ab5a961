package syntax

import (
	"bytes"
	"fmt"
)

// maxDepth limits the nesting of expressions (parentheses, unary
// operators, lambdas, conditional expressions, and each operator of a
// chain such as a + b + c or a.b().c) so that no input can exhaust the
// stack or make a tree too deep to walk.
const maxDepth = 200

// Parse parses the Python source src, read from the file named filename
// (used in positions and messages only). The source may start with a
// UTF-8 byte order mark and may use "\n", "\r\n" or "\r" line endings.
//
// The error, if any, is the first one in the source: an *Error for a
// syntax error, or an *Unsupported for valid Python that is outside the
// simulated subset. Parse never panics.
func Parse(filename string, src []byte) (f *File, err error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	if e := checkSource(filename, src); e != nil {
		return nil, e
	}
	lx := lex(filename, src, Pos{1, 1}, false)
	p := &parser{file: filename, toks: lx.toks, unclosed: lx.unclosed}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			f, err = nil, b.err
		}
	}()
	body := p.statements()
	return &File{Name: filename, Body: body, Comments: lx.comments}, nil
}

// parser is a recursive-descent parser over the tokens of a file. On the
// first error it panics with a bailout, which Parse recovers.
type parser struct {
	file     string
	toks     []token
	i        int    // index of the current token
	prevEnd  Pos    // end of the last token consumed, not counting NEWLINE, INDENT, DEDENT
	depth    int    // expression nesting, see maxDepth
	unclosed *Error // the input ends inside brackets
	scope    scope
}

// scope is what the statement being parsed is inside of, for the checks
// CPython makes at compile time ("'return' outside function", ...).
type scope struct {
	inFunc bool // in a def or lambda (not in a class body directly)
	async  bool // in an async def
	inLoop bool // in the body of a for or while, in the same function
}

// cur returns the current token. Reaching the lexer's error token
// reports its error.
func (p *parser) cur() *token {
	t := &p.toks[p.i]
	if t.typ == tError {
		panic(bailout{t.err})
	}
	return t
}

// peek returns the token n places after the current one.
func (p *parser) peek(n int) *token {
	j := min(p.i+n, len(p.toks)-1)
	t := &p.toks[j]
	if t.typ == tError {
		panic(bailout{t.err})
	}
	return t
}

func (p *parser) at(typ tokType) bool { return p.cur().typ == typ }

// next consumes the current token and returns it.
func (p *parser) next() *token {
	t := p.cur()
	switch t.typ {
	case tEOF:
		return t
	case tNewline, tIndent, tDedent:
	default:
		p.prevEnd = t.end
	}
	p.i++
	return t
}

func (p *parser) accept(typ tokType) bool {
	if p.at(typ) {
		p.next()
		return true
	}
	return false
}

// expect consumes a token of type typ, or reports "invalid syntax".
func (p *parser) expect(typ tokType) *token {
	if !p.at(typ) {
		p.errorf(p.cur().pos, "invalid syntax")
	}
	return p.next()
}

// expectColon consumes the ":" that starts a block.
func (p *parser) expectColon() {
	if !p.accept(tColon) {
		p.errorf(p.cur().pos, "expected ':'")
	}
}

func (p *parser) expectName() *token {
	return p.expect(tName)
}

// errorf reports a syntax error at pos. As CPython does, an error after
// a bracket that is never closed reports the bracket instead.
func (p *parser) errorf(pos Pos, format string, args ...any) {
	if p.unclosed != nil && !pos.Before(p.unclosed.Pos()) {
		panic(bailout{p.unclosed})
	}
	panic(bailout{&Error{File: p.file, Line: pos.Line, Col: pos.Col, Msg: fmt.Sprintf(format, args...)}})
}

// unsupported reports valid Python that is not simulated.
func (p *parser) unsupported(pos Pos, what string) {
	panic(bailout{&Unsupported{File: p.file, Line: pos.Line, Col: pos.Col, What: what}})
}

// enter and leave bracket a recursive step of the expression parser. An
// error abandons the parse, so leave need not run on the way out of one.
func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.errorf(p.cur().pos, "too deeply nested")
	}
}

func (p *parser) leave() { p.depth-- }

// unescape decodes a string body for token t, reporting a bad escape.
func (p *parser) unescape(body string, raw, isBytes bool, t *token) string {
	s, err := unescape(body, raw, isBytes)
	if err != nil {
		if err.unsupported {
			p.unsupported(t.pos, err.msg)
		}
		p.errorf(t.pos, "%s", err.msg)
	}
	return s
}

// describe names an expression as CPython's messages do ("function
// call", "literal", ...).
func describe(e Expr) string {
	switch e := e.(type) {
	case *Attribute:
		return "attribute"
	case *Subscript:
		return "subscript"
	case *Starred:
		return "starred"
	case *Name:
		return "name"
	case *List:
		return "list"
	case *Tuple:
		return "tuple"
	case *Lambda:
		return "lambda"
	case *Call:
		return "function call"
	case *BoolOp, *BinOp, *UnaryOp:
		return "expression"
	case *GeneratorExp:
		return "generator expression"
	case *Await:
		return "await expression"
	case *ListComp:
		return "list comprehension"
	case *SetComp:
		return "set comprehension"
	case *DictComp:
		return "dict comprehension"
	case *Dict:
		return "dict literal"
	case *Set:
		return "set display"
	case *JoinedStr, *FormattedValue:
		return "f-string expression"
	case *Compare:
		return "comparison"
	case *IfExp:
		return "conditional expression"
	case *Slice:
		return "slice"
	case *Constant:
		switch e.Value {
		case nil:
			return "None"
		case true:
			return "True"
		case false:
			return "False"
		case Ellipsis:
			return "ellipsis"
		}
		return "literal"
	}
	return "expression"
}

// isKeywordConstant reports whether e is None, True or False, which
// CPython's messages name without "here. Maybe you meant...".
func isKeywordConstant(e Expr) bool {
	c, ok := e.(*Constant)
	if !ok {
		return false
	}
	switch c.Value.(type) {
	case nil, bool:
		return true
	}
	return false
}
