package syntax

// targetList parses the target of a for loop or comprehension: "x",
// "i, x", "(a, b), *rest".
func (p *parser) targetList() Expr {
	start := p.cur().pos
	first := p.target()
	if !p.at(tComma) {
		return first
	}
	elts := []Expr{first}
	for p.accept(tComma) && !p.at(kwIn) {
		elts = append(elts, p.target())
	}
	return &Tuple{Pos: start, Elts: elts}
}

// target parses one assignment target; setContext checks it.
func (p *parser) target() Expr {
	if t := p.cur(); t.typ == tStar {
		p.next()
		return &Starred{Pos: t.pos, Value: p.bitwiseOr()}
	}
	return p.bitwiseOr()
}

// setContext checks that e can be assigned to (Store) or deleted (Del),
// and marks e and its elements with ctx.
func (p *parser) setContext(e Expr, ctx ExprContext) {
	if _, ok := e.(*Starred); ok && ctx == Store {
		p.errorf(e.Position(), "starred assignment target must be in a list or tuple")
	}
	if bad := invalidTarget(e, ctx); bad != nil {
		switch _, starred := bad.(*Starred); {
		case ctx == Del && starred:
			p.errorf(bad.Position(), "cannot delete starred")
		case ctx == Del:
			p.errorf(bad.Position(), "cannot delete %s", describe(bad))
		default:
			p.errorf(bad.Position(), "cannot assign to %s", describe(bad))
		}
	}
	if pos, ok := multipleStarred(e); ok {
		p.errorf(pos, "multiple starred expressions in assignment")
	}
	mark(e, ctx)
}

// invalidTarget returns the part of e that cannot be a target, or nil.
func invalidTarget(e Expr, ctx ExprContext) Expr {
	switch e := e.(type) {
	case *Name, *Attribute, *Subscript:
		return nil
	case *Tuple:
		return invalidElts(e.Elts, ctx)
	case *List:
		return invalidElts(e.Elts, ctx)
	case *Starred:
		if _, ok := e.Value.(*Starred); ok || ctx == Del {
			return e
		}
		return invalidTarget(e.Value, ctx)
	}
	return e
}

func invalidElts(elts []Expr, ctx ExprContext) Expr {
	for _, e := range elts {
		if bad := invalidTarget(e, ctx); bad != nil {
			return bad
		}
	}
	return nil
}

// multipleStarred finds a tuple or list target with two starred
// elements.
func multipleStarred(e Expr) (Pos, bool) {
	var elts []Expr
	switch e := e.(type) {
	case *Tuple:
		elts = e.Elts
	case *List:
		elts = e.Elts
	case *Starred:
		return multipleStarred(e.Value)
	default:
		return Pos{}, false
	}
	n := 0
	for _, elt := range elts {
		if _, ok := elt.(*Starred); ok {
			if n++; n > 1 {
				return e.Position(), true
			}
		}
		if pos, ok := multipleStarred(elt); ok {
			return pos, true
		}
	}
	return Pos{}, false
}

// mark sets the context of a valid target.
func mark(e Expr, ctx ExprContext) {
	switch e := e.(type) {
	case *Name:
		e.Ctx = ctx
	case *Attribute:
		e.Ctx = ctx
	case *Subscript:
		e.Ctx = ctx
	case *Starred:
		e.Ctx = ctx
		mark(e.Value, ctx)
	case *Tuple:
		e.Ctx = ctx
		for _, elt := range e.Elts {
			mark(elt, ctx)
		}
	case *List:
		e.Ctx = ctx
		for _, elt := range e.Elts {
			mark(elt, ctx)
		}
	}
}
