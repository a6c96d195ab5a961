package syntax

// paramState is where a parameter list is: before "*", after "*" or
// "*args" (keyword-only parameters), or after "**kwargs".
type paramState int

const (
	positional paramState = iota
	keywordOnly
	afterKwarg
)

// parameters parses the parameters of a def (annotated, up to ")") or a
// lambda (not annotated, up to ":").
func (p *parser) parameters(closer tokType, annotated bool) *Arguments {
	a := &Arguments{Pos: p.cur().pos}
	state := positional
	var star *token // a bare "*"
	seen := map[string]bool{}
	for !p.at(closer) {
		t := p.cur()
		if state == afterKwarg {
			p.errorf(t.pos, "arguments cannot follow var-keyword argument")
		}
		switch t.typ {
		case tSlash:
			p.slash(a, state, t)
		case tStar:
			if state == keywordOnly {
				p.errorf(t.pos, "* argument may appear only once")
			}
			p.next()
			state = keywordOnly
			if p.at(tName) {
				a.Vararg = p.param(annotated, seen)
				if p.at(tAssign) {
					p.errorf(p.cur().pos, "var-positional argument cannot have default value")
				}
			} else {
				star = t
			}
		case tDoubleStar:
			p.next()
			a.Kwarg = p.param(annotated, seen)
			if p.at(tAssign) {
				p.errorf(p.cur().pos, "var-keyword argument cannot have default value")
			}
			state = afterKwarg
		case tName:
			p.namedParam(a, state, annotated, seen)
		default:
			p.errorf(t.pos, "invalid syntax")
		}
		if !p.accept(tComma) {
			break
		}
	}
	if star != nil && len(a.KwOnlyArgs) == 0 {
		p.errorf(star.pos, "named arguments must follow bare *")
	}
	return a
}

// slash handles the "/" that ends the positional-only parameters.
func (p *parser) slash(a *Arguments, state paramState, t *token) {
	switch {
	case state != positional:
		p.errorf(t.pos, "/ must be ahead of *")
	case a.PosOnlyArgs != nil:
		p.errorf(t.pos, "/ may appear only once")
	case len(a.Args) == 0:
		p.errorf(t.pos, "at least one argument must precede /")
	}
	p.next()
	a.PosOnlyArgs, a.Args = a.Args, nil
}

// namedParam parses "name: annotation = default".
func (p *parser) namedParam(a *Arguments, state paramState, annotated bool, seen map[string]bool) {
	arg := p.param(annotated, seen)
	var def Expr
	if p.accept(tAssign) {
		def = p.expression()
	}
	if state == keywordOnly {
		a.KwOnlyArgs = append(a.KwOnlyArgs, arg)
		a.KwDefaults = append(a.KwDefaults, def)
		return
	}
	a.Args = append(a.Args, arg)
	switch {
	case def != nil:
		a.Defaults = append(a.Defaults, def)
	case len(a.Defaults) > 0:
		p.errorf(arg.Pos, "parameter without a default follows parameter with a default")
	}
}

// param parses a parameter name and, in a def, its annotation.
func (p *parser) param(annotated bool, seen map[string]bool) *Arg {
	t := p.expectName()
	if seen[t.text] {
		p.errorf(t.pos, "duplicate argument '%s' in function definition", t.text)
	}
	seen[t.text] = true
	arg := &Arg{Pos: t.pos, Name: t.text}
	if annotated && p.accept(tColon) {
		arg.Annotation = p.starExpression()
	}
	return arg
}

// callArgs parses the arguments of a call (or, if bases is set, the bases
// of a class) after the "(" lp, up to and including the ")".
func (p *parser) callArgs(lp *token, bases bool) (args []Expr, kws []*Keyword) {
	var sawKeyword, sawUnpack bool
	names := map[string]bool{}
	for !p.at(tRPar) {
		t := p.cur()
		var last Expr
		switch {
		case t.typ == tStar:
			p.next()
			last = &Starred{Pos: t.pos, Value: p.expression()}
			if sawUnpack {
				p.errorf(t.pos, "iterable argument unpacking follows keyword argument unpacking")
			}
			args = append(args, last)
		case t.typ == tDoubleStar:
			p.next()
			last = p.expression()
			kws = append(kws, &Keyword{Pos: t.pos, Value: last})
			sawUnpack = true
		case t.typ == tName && p.peek(1).typ == tAssign:
			p.next()
			p.next()
			if names[t.text] {
				p.errorf(t.pos, "keyword argument repeated: %s", t.text)
			}
			names[t.text] = true
			last = p.expression()
			kws = append(kws, &Keyword{Pos: t.pos, Arg: t.text, Value: last})
			sawKeyword = true
		default:
			last = p.positionalArg(lp, bases, len(args)+len(kws) == 0, sawKeyword, sawUnpack)
			args = append(args, last)
		}
		p.checkComma(last, tRPar)
		if !p.accept(tComma) {
			break
		}
	}
	p.expect(tRPar)
	return args, kws
}

// positionalArg parses a positional argument, which may be a generator
// expression without parentheses of its own if it is the only argument of
// a call (not of a class's bases).
func (p *parser) positionalArg(lp *token, bases, first, sawKeyword, sawUnpack bool) Expr {
	e := p.namedExpression()
	if bases && p.atComprehension() {
		p.errorf(p.cur().pos, "invalid syntax")
	}
	if p.at(tAssign) {
		if isKeywordConstant(e) {
			p.errorf(e.Position(), "cannot assign to %s", describe(e))
		}
		p.errorf(e.Position(), `expression cannot contain assignment, perhaps you meant "=="?`)
	}
	if p.atComprehension() {
		g := &GeneratorExp{Pos: lp.pos, Elt: e, Generators: p.comprehensions()}
		if !first || !p.at(tRPar) {
			p.errorf(e.Position(), "generator expression must be parenthesized")
		}
		return g
	}
	switch {
	case sawUnpack:
		p.errorf(e.Position(), "positional argument follows keyword argument unpacking")
	case sawKeyword:
		p.errorf(e.Position(), "positional argument follows keyword argument")
	}
	return e
}
