package syntax

// The expression grammar, from the lowest precedence to the highest. The
// function names follow CPython's grammar (Grammar/python.gram).

// starExpressions parses "a, *b, c": a Tuple if there is a comma.
func (p *parser) starExpressions() Expr {
	start := p.cur().pos
	first := p.starExpression()
	if !p.at(tComma) {
		return first
	}
	elts := []Expr{first}
	for p.accept(tComma) && p.startsExpr() {
		elts = append(elts, p.starExpression())
	}
	return &Tuple{Pos: start, Elts: elts}
}

// starExpressionsOrYield is starExpressions where a yield expression may
// also stand: the right of an assignment, an expression statement.
func (p *parser) starExpressionsOrYield() Expr {
	if t := p.cur(); t.typ == kwYield {
		p.unsupported(t.pos, "yield expressions (generators)")
	}
	return p.starExpressions()
}

func (p *parser) starExpression() Expr {
	if t := p.cur(); t.typ == tStar {
		p.next()
		return &Starred{Pos: t.pos, Value: p.bitwiseOr()}
	}
	return p.expression()
}

// starNamedExpression is an element of a list, tuple or set display.
func (p *parser) starNamedExpression() Expr {
	if t := p.cur(); t.typ == tStar {
		p.next()
		return &Starred{Pos: t.pos, Value: p.bitwiseOr()}
	}
	return p.noAssign(p.namedExpression())
}

// noAssign reports an "=" after e where an expression must end, with
// CPython's hints: "(a = 1)" likely meant "==" or ":=".
func (p *parser) noAssign(e Expr) Expr {
	if !p.at(tAssign) {
		return e
	}
	if _, ok := e.(*Name); ok {
		p.errorf(e.Position(), "invalid syntax. Maybe you meant '==' or ':=' instead of '='?")
	}
	p.errorf(e.Position(), "cannot assign to %s here. Maybe you meant '==' instead of '='?", describe(e))
	return nil
}

// namedExpression is an expression where Python also allows "name :=
// value", which is not simulated.
func (p *parser) namedExpression() Expr {
	e := p.expression()
	if p.at(tWalrus) {
		if _, ok := e.(*Name); ok {
			p.unsupported(e.Position(), "assignment expressions (:=)")
		}
		p.errorf(e.Position(), "cannot use assignment expressions with %s", describe(e))
	}
	return e
}

// startsExpr reports whether the current token can start an expression.
func (p *parser) startsExpr() bool {
	switch p.cur().typ {
	case tName, tNumber, tString, tLPar, tLSqb, tLBrace, tMinus, tPlus, tTilde, tStar,
		tEllipsis, kwNot, kwLambda, kwAwait, kwNone, kwTrue, kwFalse, kwYield:
		return true
	}
	return false
}

// expression parses a conditional expression or a lambda.
func (p *parser) expression() Expr {
	p.enter()
	e := p.conditional()
	p.leave()
	return e
}

func (p *parser) conditional() Expr {
	if p.at(kwLambda) {
		return p.lambda()
	}
	start := p.cur().pos
	e := p.disjunction()
	if !p.accept(kwIf) {
		return e
	}
	test := p.disjunction()
	if !p.accept(kwElse) {
		p.errorf(start, "expected 'else' after 'if' expression")
	}
	return &IfExp{Pos: start, Test: test, Body: e, OrElse: p.expression()}
}

func (p *parser) disjunction() Expr { return p.boolOp(kwOr, Or, p.conjunction) }
func (p *parser) conjunction() Expr { return p.boolOp(kwAnd, And, p.inversion) }
func (p *parser) bitwiseOr() Expr   { return p.binary(1) }
func (p *parser) isCmp(t *token) bool {
	return cmpOps[t.typ] != 0 || t.typ == kwNot && p.peek(1).typ == kwIn
}

func (p *parser) boolOp(kw tokType, op BoolOperator, operand func() Expr) Expr {
	start := p.cur().pos
	first := operand()
	if !p.at(kw) {
		return first
	}
	values := []Expr{first}
	for p.accept(kw) {
		values = append(values, operand())
	}
	return &BoolOp{Pos: start, Op: op, Values: values}
}

func (p *parser) inversion() Expr {
	if t := p.cur(); t.typ == kwNot {
		p.enter()
		p.next()
		e := &UnaryOp{Pos: t.pos, Op: Not, Operand: p.inversion()}
		p.leave()
		return e
	}
	return p.comparison()
}

var cmpOps = [numTokTypes]CmpOp{
	tEqEq: Eq, tNotEq: NotEq, tLess: Lt, tLessEq: LtE, tGreater: Gt, tGreaterEq: GtE,
	kwIn: In, kwIs: Is,
}

// comparison parses "a < b < c", "a not in b", "a is not b".
func (p *parser) comparison() Expr {
	start := p.cur().pos
	left := p.bitwiseOr()
	if !p.isCmp(p.cur()) {
		return left
	}
	c := &Compare{Pos: start, Left: left}
	for p.isCmp(p.cur()) {
		t := p.next()
		op := cmpOps[t.typ]
		switch {
		case t.typ == kwNot:
			p.next() // in
			op = NotIn
		case t.typ == kwIs && p.accept(kwNot):
			op = IsNot
		}
		c.Ops = append(c.Ops, op)
		c.Comparators = append(c.Comparators, p.bitwiseOr())
	}
	return c
}

// binary parses the left-associative binary operators of a precedence
// level and above (see binOps). Each operator of a chain such as
// "a + b + c" nests the tree one level deeper, and counts as such.
func (p *parser) binary(level int8) Expr {
	if level > maxBinLevel {
		return p.factor()
	}
	start := p.cur().pos
	left := p.binary(level + 1)
	depth := p.depth
	for {
		b := binOps[p.cur().typ]
		if b.level != level {
			p.depth = depth
			return left
		}
		p.next()
		p.enter()
		right := p.binary(level + 1)
		left = &BinOp{Pos: start, Left: left, Op: b.op, Right: right}
	}
}

// factor parses the unary operators "-", "+" and "~".
func (p *parser) factor() Expr {
	t := p.cur()
	var op UnaryOperator
	switch t.typ {
	case tMinus:
		op = USub
	case tPlus:
		op = UAdd
	case tTilde:
		op = Invert
	default:
		return p.power()
	}
	p.enter()
	p.next()
	e := &UnaryOp{Pos: t.pos, Op: op, Operand: p.factor()}
	p.leave()
	return e
}

// power parses "a ** b", which is right-associative and binds tighter
// than a unary operator on its left: -2**2 is -(2**2).
func (p *parser) power() Expr {
	start := p.cur().pos
	left := p.awaitPrimary()
	if !p.accept(tDoubleStar) {
		return left
	}
	p.enter()
	e := &BinOp{Pos: start, Left: left, Op: Pow, Right: p.factor()}
	p.leave()
	return e
}

func (p *parser) awaitPrimary() Expr {
	t := p.cur()
	if t.typ != kwAwait {
		return p.primary()
	}
	switch {
	case !p.scope.inFunc:
		p.errorf(t.pos, "'await' outside function")
	case !p.scope.async:
		p.errorf(t.pos, "'await' outside async function")
	}
	p.next()
	return &Await{Pos: t.pos, Value: p.primary()}
}

// primary parses an atom followed by attributes, calls and subscripts.
// Like a chain of binary operators, each of them counts as a level of
// nesting.
func (p *parser) primary() Expr {
	start := p.cur().pos
	e := p.atom()
	depth := p.depth
	for {
		t := p.cur()
		switch t.typ {
		case tDot, tLPar, tLSqb:
			p.enter()
			p.next()
		default:
			p.depth = depth
			return e
		}
		switch t.typ {
		case tDot:
			e = &Attribute{Pos: start, Value: e, Attr: p.expectName().text}
		case tLPar:
			args, kws := p.callArgs(t, false)
			e = &Call{Pos: start, Func: e, Args: args, Keywords: kws}
		case tLSqb:
			e = &Subscript{Pos: start, Value: e, Slice: p.slices()}
			p.expect(tRSqb)
		}
	}
}

// slices parses the inside of "a[...]".
func (p *parser) slices() Expr {
	start := p.cur().pos
	first := p.slice()
	if !p.at(tComma) {
		return first
	}
	elts := []Expr{first}
	for p.accept(tComma) && !p.at(tRSqb) {
		elts = append(elts, p.slice())
	}
	return &Tuple{Pos: start, Elts: elts}
}

// slice parses "lower:upper:step", each part optional, or an index.
func (p *parser) slice() Expr {
	t := p.cur()
	if t.typ == tStar {
		return p.starNamedExpression()
	}
	var lower Expr
	if t.typ != tColon {
		lower = p.noAssign(p.namedExpression())
		if !p.at(tColon) {
			return lower
		}
	}
	s := &Slice{Pos: t.pos, Lower: lower}
	p.next() // :
	if !p.at(tColon) && !p.at(tComma) && !p.at(tRSqb) {
		s.Upper = p.expression()
	}
	if p.accept(tColon) && !p.at(tComma) && !p.at(tRSqb) {
		s.Step = p.expression()
	}
	return s
}

// atom parses a name, literal or bracketed expression.
func (p *parser) atom() Expr {
	t := p.cur()
	switch t.typ {
	case tName:
		p.next()
		return &Name{Pos: t.pos, ID: t.text}
	case kwNone:
		p.next()
		return &Constant{Pos: t.pos}
	case kwTrue, kwFalse:
		p.next()
		return &Constant{Pos: t.pos, Value: t.typ == kwTrue}
	case tEllipsis:
		p.next()
		return &Constant{Pos: t.pos, Value: Ellipsis}
	case tNumber:
		p.next()
		return p.number(t)
	case tString:
		return p.strings()
	case tLPar:
		return p.parenthesized()
	case tLSqb:
		return p.listDisplay()
	case tLBrace:
		return p.braceDisplay()
	case kwYield:
		p.unsupported(t.pos, "yield expressions (generators)")
	case tIndent:
		p.errorf(t.pos, "unexpected indent")
	}
	p.errorf(t.pos, "invalid syntax")
	return nil
}

func (p *parser) number(t *token) Expr {
	v, msg, ok := numberValue(t.text)
	if !ok {
		if msg == "" {
			p.unsupported(t.pos, "complex numbers")
		}
		p.errorf(t.pos, "%s", msg)
	}
	return &Constant{Pos: t.pos, Value: v}
}

// strings parses adjacent string literals, which are concatenated.
func (p *parser) strings() Expr {
	start := p.cur().pos
	var j joiner
	isF, isBytes := false, false
	for n := 0; p.at(tString); n++ {
		t := p.next()
		prefix, body := splitString(t.text)
		b := containsByte(prefix, 'b')
		if n > 0 && b != isBytes {
			p.errorf(t.pos, "cannot mix bytes and nonbytes literals")
		}
		isBytes = b
		raw := containsByte(prefix, 'r')
		if t.fstr != nil {
			isF = true
			p.fstringValues(&j, t.fstr.parts, raw, t)
			continue
		}
		if b && !isASCII(body) {
			p.errorf(t.pos, "bytes can only contain ASCII literal characters")
		}
		j.str(t.pos, p.unescape(body, raw, b, t))
	}
	switch {
	case isF:
		return &JoinedStr{Pos: start, Values: j.done()}
	case isBytes:
		return &Constant{Pos: start, Value: append([]byte{}, j.buf...)}
	}
	return &Constant{Pos: start, Value: string(j.buf)}
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// parenthesized parses "()", "(e)", a tuple "(a, b)" or a generator
// expression "(x for x in y)".
func (p *parser) parenthesized() Expr {
	lp := p.next()
	if p.accept(tRPar) {
		return &Tuple{Pos: lp.pos}
	}
	if t := p.cur(); t.typ == kwYield {
		p.unsupported(t.pos, "yield expressions (generators)")
	}
	first := p.starNamedExpression()
	if p.atComprehension() {
		p.noStarInComprehension(first)
		g := &GeneratorExp{Pos: lp.pos, Elt: first, Generators: p.comprehensions()}
		p.expect(tRPar)
		return g
	}
	if p.accept(tRPar) {
		if _, ok := first.(*Starred); ok {
			p.errorf(first.Position(), "cannot use starred expression here")
		}
		return first
	}
	elts := p.displayRest(first, tRPar)
	return &Tuple{Pos: lp.pos, Elts: elts}
}

// displayRest parses the elements after the first of a tuple, list or
// set display, and its closing bracket.
func (p *parser) displayRest(first Expr, closer tokType) []Expr {
	elts := []Expr{first}
	p.checkComma(first, closer)
	for p.accept(tComma) && !p.at(closer) {
		e := p.starNamedExpression()
		p.checkComma(e, closer)
		elts = append(elts, e)
	}
	p.expect(closer)
	return elts
}

// checkComma reports two expressions in a row inside brackets, which
// CPython suspects is a missing comma.
func (p *parser) checkComma(e Expr, closer tokType) {
	switch t := p.cur(); t.typ {
	case tComma, closer:
	case tName, tNumber, tString, tLBrace, kwNone, kwTrue, kwFalse, kwLambda, kwAwait:
		p.errorf(e.Position(), "invalid syntax. Perhaps you forgot a comma?")
	}
}

func (p *parser) listDisplay() Expr {
	lb := p.next()
	if p.accept(tRSqb) {
		return &List{Pos: lb.pos}
	}
	first := p.starNamedExpression()
	if p.atComprehension() {
		p.noStarInComprehension(first)
		c := &ListComp{Pos: lb.pos, Elt: first, Generators: p.comprehensions()}
		p.asyncComprehension(c.Pos, c.Generators)
		p.expect(tRSqb)
		return c
	}
	return &List{Pos: lb.pos, Elts: p.displayRest(first, tRSqb)}
}

// braceDisplay parses a dict, set, dict comprehension or set
// comprehension.
func (p *parser) braceDisplay() Expr {
	lb := p.next()
	if p.accept(tRBrace) {
		return &Dict{Pos: lb.pos}
	}
	if p.at(tDoubleStar) {
		return p.dictRest(lb.pos, nil)
	}
	first := p.starNamedExpression()
	if !p.accept(tColon) {
		if p.atComprehension() {
			p.noStarInComprehension(first)
			c := &SetComp{Pos: lb.pos, Elt: first, Generators: p.comprehensions()}
			p.asyncComprehension(c.Pos, c.Generators)
			p.expect(tRBrace)
			return c
		}
		return &Set{Pos: lb.pos, Elts: p.displayRest(first, tRBrace)}
	}
	if _, ok := first.(*Starred); ok {
		p.errorf(first.Position(), "cannot use a starred expression in a dictionary key")
	}
	value := p.expression()
	if p.atComprehension() {
		c := &DictComp{Pos: lb.pos, Key: first, Value: value, Generators: p.comprehensions()}
		p.asyncComprehension(c.Pos, c.Generators)
		p.expect(tRBrace)
		return c
	}
	p.checkComma(value, tRBrace)
	d := &Dict{Pos: lb.pos, Keys: []Expr{first}, Values: []Expr{value}}
	if !p.accept(tComma) {
		p.expect(tRBrace)
		return d
	}
	return p.dictRest(lb.pos, d)
}

// dictRest parses the remaining "key: value" and "**mapping" items of a
// dict display and its "}".
func (p *parser) dictRest(pos Pos, d *Dict) Expr {
	if d == nil {
		d = &Dict{Pos: pos}
	}
	for !p.at(tRBrace) {
		var key, value Expr
		if t := p.cur(); t.typ == tDoubleStar {
			p.next()
			value = p.bitwiseOr()
			if p.atComprehension() {
				p.errorf(t.pos, "dict unpacking cannot be used in dict comprehension")
			}
		} else {
			key = p.expression()
			if !p.accept(tColon) {
				p.errorf(p.cur().pos, "':' expected after dictionary key")
			}
			value = p.expression()
		}
		p.checkComma(value, tRBrace)
		d.Keys = append(d.Keys, key)
		d.Values = append(d.Values, value)
		if !p.accept(tComma) {
			break
		}
	}
	p.expect(tRBrace)
	return d
}

func (p *parser) atComprehension() bool {
	t := p.cur()
	return t.typ == kwFor || t.typ == kwAsync && p.peek(1).typ == kwFor
}

func (p *parser) noStarInComprehension(e Expr) {
	if _, ok := e.(*Starred); ok {
		p.errorf(e.Position(), "iterable unpacking cannot be used in comprehension")
	}
}

// comprehensions parses the "for ... in ... if ..." clauses of a
// comprehension.
func (p *parser) comprehensions() []*Comprehension {
	var gens []*Comprehension
	for p.atComprehension() {
		c := &Comprehension{Pos: p.cur().pos, Async: p.accept(kwAsync)}
		p.next() // for
		c.Target = p.targetList()
		p.setContext(c.Target, Store)
		if !p.accept(kwIn) {
			p.errorf(p.cur().pos, "invalid syntax")
		}
		c.Iter = p.disjunction()
		for p.accept(kwIf) {
			c.Ifs = append(c.Ifs, p.disjunction())
		}
		gens = append(gens, c)
	}
	return gens
}

// asyncComprehension reports an "async for" in a list, set or dict
// comprehension outside an async function. (A generator expression may
// have one anywhere.)
func (p *parser) asyncComprehension(pos Pos, gens []*Comprehension) {
	for _, g := range gens {
		if g.Async && !p.scope.async {
			p.errorf(pos, "asynchronous comprehension outside of an asynchronous function")
		}
	}
}

// lambda parses "lambda args: body".
func (p *parser) lambda() Expr {
	t := p.next()
	l := &Lambda{Pos: t.pos, Args: p.parameters(tColon, false)}
	p.expectColon()
	saved := p.scope
	p.scope = scope{inFunc: true}
	l.Body = p.expression()
	p.scope = saved
	return l
}
