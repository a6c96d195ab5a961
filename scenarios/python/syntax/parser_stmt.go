package syntax

// statements parses a file: statements up to the end of input.
func (p *parser) statements() []Stmt {
	var body []Stmt
	for !p.at(tEOF) {
		body = p.statement(body)
	}
	return body
}

// statement appends one line's statements to out: a compound statement,
// or simple statements separated by ";".
func (p *parser) statement(out []Stmt) []Stmt {
	t := p.cur()
	switch t.typ {
	case kwIf:
		return append(out, p.ifStmt())
	case kwWhile:
		return append(out, p.whileStmt())
	case kwFor:
		return append(out, p.forStmt(t.pos, false))
	case kwTry:
		return append(out, p.tryStmt())
	case kwWith:
		return append(out, p.withStmt(t.pos, false))
	case kwDef:
		return append(out, p.funcDef(t.pos, false))
	case kwClass:
		return append(out, p.classDef())
	case kwAsync:
		return append(out, p.asyncStmt())
	case tAt:
		p.unsupported(t.pos, "decorators")
	case tIndent:
		p.errorf(t.pos, "unexpected indent")
	case tName:
		p.softKeyword(t)
	}
	return p.simpleStmts(out)
}

// softKeyword reports the statements that start with the soft keywords
// "match" and "type", which are not simulated.
func (p *parser) softKeyword(t *token) {
	switch t.text {
	case "match":
		if p.endsWithColon() {
			p.unsupported(t.pos, "match statements")
		}
	case "type":
		if p.peek(1).typ == tName && (p.peek(2).typ == tAssign || p.peek(2).typ == tLSqb) {
			p.unsupported(t.pos, "type alias statements")
		}
	}
}

// endsWithColon reports whether the logical line that starts at the
// current token ends with ":" followed by a new line, which only a
// compound statement can.
func (p *parser) endsWithColon() bool {
	depth := 0
	for j := p.i; j+1 < len(p.toks); j++ {
		switch p.toks[j].typ {
		case tLPar, tLSqb, tLBrace:
			depth++
		case tRPar, tRSqb, tRBrace:
			depth--
		case tColon:
			if depth == 0 && p.toks[j+1].typ == tNewline {
				return true
			}
		case tNewline, tError, tEOF:
			return false
		}
	}
	return false
}

// block parses the body of a compound statement after its ":": an
// indented block, or simple statements on the same line. what and line
// name the statement for "expected an indented block after ...".
func (p *parser) block(what string, line int) []Stmt {
	nl := p.cur()
	if !p.accept(tNewline) {
		return p.simpleStmts(nil)
	}
	if !p.at(tIndent) {
		pos := p.cur().pos
		if p.atEnd() {
			pos = nl.pos // rather than past the last line
		}
		p.errorf(pos, "expected an indented block after %s on line %d", what, line)
	}
	p.next()
	var body []Stmt
	for !p.at(tDedent) && !p.at(tEOF) {
		body = p.statement(body)
	}
	p.expect(tDedent)
	return body
}

// atEnd reports whether only DEDENT tokens are left before the end.
func (p *parser) atEnd() bool {
	for j := p.i; j < len(p.toks); j++ {
		if p.toks[j].typ != tDedent {
			return p.toks[j].typ == tEOF
		}
	}
	return true
}

// simpleStmts parses simple statements separated by ";" up to the end of
// the line.
func (p *parser) simpleStmts(out []Stmt) []Stmt {
	for {
		out = append(out, p.simpleStmt())
		if !p.accept(tSemi) || p.at(tNewline) {
			break
		}
	}
	if !p.accept(tNewline) {
		p.errorf(p.cur().pos, "invalid syntax")
	}
	return out
}

// atStmtEnd reports whether the current token ends a simple statement.
func (p *parser) atStmtEnd() bool {
	switch p.cur().typ {
	case tNewline, tSemi, tEOF:
		return true
	}
	return false
}

func (p *parser) span(start Pos) Span { return Span{Pos: start, End: p.prevEnd} }

func (p *parser) simpleStmt() Stmt {
	t := p.cur()
	switch t.typ {
	case kwPass:
		p.next()
		return &Pass{p.span(t.pos)}
	case kwBreak:
		p.next()
		if !p.scope.inLoop {
			p.errorf(t.pos, "'break' outside loop")
		}
		return &Break{p.span(t.pos)}
	case kwContinue:
		p.next()
		if !p.scope.inLoop {
			p.errorf(t.pos, "'continue' not properly in loop")
		}
		return &Continue{p.span(t.pos)}
	case kwReturn:
		return p.returnStmt()
	case kwRaise:
		return p.raiseStmt()
	case kwGlobal, kwNonlocal:
		return p.globalStmt()
	case kwDel:
		return p.delStmt()
	case kwAssert:
		return p.assertStmt()
	case kwImport:
		return p.importStmt()
	case kwFrom:
		return p.fromImport()
	}
	return p.exprStmt()
}

func (p *parser) returnStmt() Stmt {
	t := p.next()
	if !p.scope.inFunc {
		p.errorf(t.pos, "'return' outside function")
	}
	s := &Return{}
	if !p.atStmtEnd() {
		s.Value = p.starExpressions()
		p.noStar(s.Value)
	}
	s.Span = p.span(t.pos)
	return s
}

func (p *parser) raiseStmt() Stmt {
	t := p.next()
	s := &Raise{}
	if !p.atStmtEnd() {
		s.Exc = p.expression()
		if p.accept(kwFrom) {
			s.Cause = p.expression()
		}
	}
	s.Span = p.span(t.pos)
	return s
}

func (p *parser) globalStmt() Stmt {
	t := p.next()
	if t.typ == kwNonlocal && !p.scope.inFunc {
		p.errorf(t.pos, "nonlocal declaration not allowed at module level")
	}
	var names []string
	for {
		names = append(names, p.expectName().text)
		if !p.accept(tComma) {
			break
		}
	}
	if t.typ == kwNonlocal {
		return &Nonlocal{p.span(t.pos), names}
	}
	return &Global{p.span(t.pos), names}
}

func (p *parser) delStmt() Stmt {
	t := p.next()
	var targets []Expr
	for {
		e := p.bitwiseOr()
		p.setContext(e, Del)
		targets = append(targets, e)
		if !p.accept(tComma) || p.atStmtEnd() {
			break
		}
	}
	return &Delete{p.span(t.pos), targets}
}

func (p *parser) assertStmt() Stmt {
	t := p.next()
	s := &Assert{Test: p.expression()}
	if p.accept(tComma) {
		s.Msg = p.expression()
	}
	s.Span = p.span(t.pos)
	return s
}

// importStmt parses "import a.b as c, d".
func (p *parser) importStmt() Stmt {
	t := p.next()
	var names []*Alias
	for {
		names = append(names, p.alias(true))
		if !p.accept(tComma) {
			break
		}
	}
	return &Import{p.span(t.pos), names}
}

// alias parses "name as asname", the name dotted if dotted is set.
func (p *parser) alias(dotted bool) *Alias {
	first := p.expectName()
	a := &Alias{Pos: first.pos, Name: first.text}
	if dotted {
		a.Name = p.dottedRest(a.Name)
	}
	if p.accept(kwAs) {
		a.AsName = p.expectName().text
	}
	return a
}

// dottedRest parses the ".b.c" after the first name of a dotted name.
func (p *parser) dottedRest(name string) string {
	if !p.at(tDot) {
		return name
	}
	b := []byte(name)
	for p.accept(tDot) {
		b = append(append(b, '.'), p.expectName().text...)
	}
	return string(b)
}

// fromImport parses "from .mod import a as b, c", "from m import (a, b)"
// and "from m import *".
func (p *parser) fromImport() Stmt {
	t := p.next()
	s := &ImportFrom{}
	for {
		if p.accept(tDot) {
			s.Level++
		} else if p.accept(tEllipsis) {
			s.Level += 3
		} else {
			break
		}
	}
	if p.at(tName) {
		s.Module = p.dottedRest(p.next().text)
	} else if s.Level == 0 {
		p.errorf(p.cur().pos, "invalid syntax")
	}
	if !p.accept(kwImport) {
		p.errorf(p.cur().pos, "invalid syntax")
	}
	switch {
	case p.at(tStar):
		star := p.next()
		if p.scope.inFunc {
			p.errorf(star.pos, "import * only allowed at module level")
		}
		s.Names = []*Alias{{Pos: star.pos, Name: "*"}}
	case p.accept(tLPar):
		for {
			s.Names = append(s.Names, p.alias(false))
			if !p.accept(tComma) || p.at(tRPar) {
				break
			}
		}
		p.expect(tRPar)
	default:
		for {
			s.Names = append(s.Names, p.alias(false))
			if !p.accept(tComma) {
				break
			}
			if p.atStmtEnd() {
				p.errorf(p.cur().pos, "trailing comma not allowed without surrounding parentheses")
			}
		}
	}
	s.Span = p.span(t.pos)
	return s
}

// exprStmt parses an expression statement or an assignment.
func (p *parser) exprStmt() Stmt {
	start := p.cur().pos
	e := p.starExpressionsOrYield()
	switch t := p.cur(); {
	case t.typ == tAssign:
		return p.assign(start, e)
	case augOps[t.typ] != 0:
		p.next()
		if !isSingleTarget(e) {
			p.errorf(e.Position(), "'%s' is an illegal expression for augmented assignment", describe(e))
		}
		p.setContext(e, Store)
		value := p.starExpressionsOrYield()
		p.noStar(value)
		return &AugAssign{p.span(start), e, augOps[t.typ], value}
	case t.typ == tColon:
		return p.annAssign(start, e)
	}
	p.noStar(e)
	if n, ok := e.(*Name); ok && (n.ID == "print" || n.ID == "exec") {
		switch p.cur().typ {
		case tName, tNumber, tString:
			p.errorf(n.Pos, "missing parentheses in call to '%s'. Did you mean %s(...)?", n.ID, n.ID)
		}
	}
	return &ExprStmt{p.span(start), e}
}

// noStar reports a lone starred expression where a value is needed, as
// in "x = *a".
func (p *parser) noStar(e Expr) {
	if _, ok := e.(*Starred); ok {
		p.errorf(e.Position(), "can't use starred expression here")
	}
}

// assign parses the rest of "a = b = value", after the first target.
func (p *parser) assign(start Pos, first Expr) Stmt {
	exprs := []Expr{first}
	for p.accept(tAssign) {
		exprs = append(exprs, p.starExpressionsOrYield())
	}
	p.noStar(exprs[len(exprs)-1])
	targets := exprs[:len(exprs)-1]
	for _, t := range targets {
		p.assignTarget(t)
	}
	return &Assign{p.span(start), targets, exprs[len(exprs)-1]}
}

// assignTarget checks and marks a target of "=", with CPython's hint for
// a likely "==".
func (p *parser) assignTarget(e Expr) {
	if bad := invalidTarget(e, Store); bad == e && !isKeywordConstant(e) {
		if _, ok := e.(*Starred); !ok {
			p.errorf(e.Position(), "cannot assign to %s here. Maybe you meant '==' instead of '='?", describe(e))
		}
	}
	p.setContext(e, Store)
}

// annAssign parses the rest of "target: annotation = value".
func (p *parser) annAssign(start Pos, target Expr) Stmt {
	switch target.(type) {
	case *Tuple:
		p.errorf(target.Position(), "only single target (not tuple) can be annotated")
	case *List:
		p.errorf(target.Position(), "only single target (not list) can be annotated")
	}
	if !isSingleTarget(target) {
		p.errorf(target.Position(), "illegal target for annotation")
	}
	p.next() // :
	p.setContext(target, Store)
	s := &AnnAssign{Target: target, Annotation: p.expression()}
	if p.accept(tAssign) {
		s.Value = p.starExpressionsOrYield()
		p.noStar(s.Value)
	}
	s.Span = p.span(start)
	return s
}

func isSingleTarget(e Expr) bool {
	switch e.(type) {
	case *Name, *Attribute, *Subscript:
		return true
	}
	return false
}

// ifStmt parses an if statement; each elif clause is an If alone in the
// OrElse of the one before. The chain is built in a loop, however long.
func (p *parser) ifStmt() Stmt {
	var chain []*If
	for {
		kw := p.next() // if or elif
		what := "'if' statement"
		if kw.typ == kwElif {
			what = "'elif' statement"
		}
		s := &If{Span: Span{Pos: kw.pos}, Test: p.condition()}
		p.expectColon()
		s.Body = p.block(what, kw.pos.Line)
		if n := len(chain); n > 0 {
			chain[n-1].OrElse = []Stmt{s}
		}
		chain = append(chain, s)
		if !p.at(kwElif) {
			break
		}
	}
	if t := p.cur(); t.typ == kwElse {
		p.next()
		p.expectColon()
		chain[len(chain)-1].OrElse = p.block("'else' statement", t.pos.Line)
	}
	for _, s := range chain {
		s.End = p.prevEnd
	}
	return chain[0]
}

// condition parses the test of an if, elif or while, with CPython's hint
// for "if x = 1:".
func (p *parser) condition() Expr {
	return p.noAssign(p.namedExpression())
}

func (p *parser) whileStmt() Stmt {
	kw := p.next()
	s := &While{Test: p.condition()}
	p.expectColon()
	s.Body = p.loopBody("'while' statement", kw.pos.Line)
	s.OrElse = p.elseBlock()
	s.Span = p.span(kw.pos)
	return s
}

// loopBody parses the block of a loop, where break and continue are
// allowed.
func (p *parser) loopBody(what string, line int) []Stmt {
	saved := p.scope
	p.scope.inLoop = true
	body := p.block(what, line)
	p.scope = saved
	return body
}

// elseBlock parses an optional "else:" block.
func (p *parser) elseBlock() []Stmt {
	if !p.at(kwElse) {
		return nil
	}
	t := p.next()
	p.expectColon()
	return p.block("'else' statement", t.pos.Line)
}

func (p *parser) forStmt(start Pos, async bool) Stmt {
	kw := p.next()
	s := &For{Async: async, Target: p.targetList()}
	p.setContext(s.Target, Store)
	if !p.accept(kwIn) {
		p.errorf(p.cur().pos, "invalid syntax")
	}
	s.Iter = p.starExpressions()
	p.expectColon()
	s.Body = p.loopBody("'for' statement", kw.pos.Line)
	s.OrElse = p.elseBlock()
	s.Span = p.span(start)
	return s
}

func (p *parser) tryStmt() Stmt {
	kw := p.next()
	p.expectColon()
	s := &Try{Body: p.block("'try' statement", kw.pos.Line)}
	for p.at(kwExcept) {
		if n := len(s.Handlers); n > 0 && s.Handlers[n-1].Type == nil {
			p.errorf(s.Handlers[n-1].Pos, "default 'except:' must be last")
		}
		s.Handlers = append(s.Handlers, p.exceptClause())
	}
	if len(s.Handlers) > 0 {
		s.OrElse = p.elseBlock()
	}
	if t := p.cur(); t.typ == kwFinally {
		p.next()
		p.expectColon()
		s.FinalBody = p.block("'finally' statement", t.pos.Line)
	}
	if len(s.Handlers) == 0 && s.FinalBody == nil {
		p.errorf(p.cur().pos, "expected 'except' or 'finally' block")
	}
	s.Span = p.span(kw.pos)
	return s
}

func (p *parser) exceptClause() *ExceptHandler {
	kw := p.next()
	h := &ExceptHandler{}
	if p.at(tStar) {
		p.unsupported(kw.pos, "except* clauses")
	}
	if !p.at(tColon) {
		h.Type = p.expression()
		if p.at(tComma) {
			p.errorf(h.Type.Position(), "multiple exception types must be parenthesized")
		}
		if p.accept(kwAs) {
			h.Name = p.expectName().text
		}
	}
	p.expectColon()
	h.Body = p.block("'except' statement", kw.pos.Line)
	h.Span = p.span(kw.pos)
	return h
}

func (p *parser) withStmt(start Pos, async bool) Stmt {
	kw := p.next()
	s := &With{Async: async}
	if p.at(tLPar) && p.parenthesizedWithItems() {
		p.next()
		for {
			s.Items = append(s.Items, p.withItem())
			if !p.accept(tComma) || p.at(tRPar) {
				break
			}
		}
		p.expect(tRPar)
	} else {
		for {
			s.Items = append(s.Items, p.withItem())
			if !p.accept(tComma) {
				break
			}
		}
	}
	p.expectColon()
	s.Body = p.block("'with' statement", kw.pos.Line)
	s.Span = p.span(start)
	return s
}

// parenthesizedWithItems reports whether the "(" at the current token
// encloses all the items of a with statement, as in "with (a as b, c):":
// its ")" is followed by the ":".
func (p *parser) parenthesizedWithItems() bool {
	depth := 0
	for j := p.i; j+1 < len(p.toks); j++ {
		switch p.toks[j].typ {
		case tLPar, tLSqb, tLBrace:
			depth++
		case tRPar, tRSqb, tRBrace:
			if depth--; depth == 0 {
				return p.toks[j+1].typ == tColon
			}
		case tError, tEOF:
			return false
		}
	}
	return false
}

func (p *parser) withItem() *WithItem {
	e := p.expression()
	item := &WithItem{Pos: e.Position(), ContextExpr: e}
	if p.accept(kwAs) {
		item.OptionalVars = p.target()
		p.setContext(item.OptionalVars, Store)
	}
	return item
}

func (p *parser) funcDef(start Pos, async bool) Stmt {
	kw := p.next()
	s := &FunctionDef{Async: async, Name: p.expectName().text}
	if p.at(tLSqb) {
		p.unsupported(p.cur().pos, "type parameters")
	}
	if !p.at(tLPar) {
		p.errorf(p.cur().pos, "expected '('")
	}
	p.next()
	s.Args = p.parameters(tRPar, true)
	p.expect(tRPar)
	if p.accept(tArrow) {
		s.Returns = p.expression()
	}
	p.expectColon()
	saved := p.scope
	p.scope = scope{inFunc: true, async: async}
	s.Body = p.block("function definition", kw.pos.Line)
	p.scope = saved
	s.Span = p.span(start)
	return s
}

func (p *parser) classDef() Stmt {
	kw := p.next()
	s := &ClassDef{Name: p.expectName().text}
	if p.at(tLSqb) {
		p.unsupported(p.cur().pos, "type parameters")
	}
	if lp := p.cur(); p.accept(tLPar) {
		s.Bases, s.Keywords = p.callArgs(lp, true)
	}
	p.expectColon()
	saved := p.scope
	p.scope = scope{}
	s.Body = p.block("class definition", kw.pos.Line)
	p.scope = saved
	s.Span = p.span(kw.pos)
	return s
}

// asyncStmt parses "async def", "async for" and "async with".
func (p *parser) asyncStmt() Stmt {
	start := p.next().pos
	switch t := p.cur(); t.typ {
	case kwDef:
		return p.funcDef(start, true)
	case kwFor, kwWith:
		if !p.scope.async {
			p.errorf(start, "'async %s' outside async function", t.text)
		}
		if t.typ == kwFor {
			return p.forStmt(start, true)
		}
		return p.withStmt(start, true)
	}
	p.errorf(p.cur().pos, "invalid syntax")
	return nil
}
