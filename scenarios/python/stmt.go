package python

import (
	"errors"

	"github.com/gilsim/gilsim/scenarios/python/syntax"
	"github.com/gilsim/gilsim/sim"
)

// Control flow leaves a block as an error, caught where it lands.
var (
	errBreak    = errors.New("break outside a loop")
	errContinue = errors.New("continue outside a loop")
	errReturn   = errors.New("return outside a function")
	// errEndless says the code so far never ends: a loop with no way out.
	errEndless = errors.New("the code never gets here")
)

// returned carries a return statement's value to the call.
type returned struct{ v value }

// run compiles a block.
func (x *thread) run(stmts []syntax.Stmt, s *scope) error {
	for _, st := range stmts {
		if err := x.stmt(st, s); err != nil {
			return err
		}
	}
	return nil
}

// stmt compiles one statement; its CPU becomes an op on its line.
func (x *thread) stmt(st syntax.Stmt, s *scope) error {
	x.flush()
	x.at(st)
	if x.c.steps++; x.c.steps > maxSteps {
		return x.unsupported("the program runs more than %d statements while gilsim compiles it; gilsim adds up only loops whose iterations all do the same", maxSteps)
	}
	c := &x.c.ver.c
	var err error
	switch st := st.(type) {
	case *syntax.ExprStmt:
		_, err = x.eval(st.Value, s)
	case *syntax.Assign:
		err = x.assignStmt(st, s)
	case *syntax.AugAssign:
		err = x.augAssign(st, s)
	case *syntax.AnnAssign:
		if st.Value != nil {
			var v value
			if v, err = x.eval(st.Value, s); err == nil {
				x.charge(c.stmt)
				err = x.assign(st.Target, v, s)
			}
		}
	case *syntax.If:
		err = x.ifStmt(st, s)
	case *syntax.While:
		err = x.whileLoop(st, s)
	case *syntax.For:
		err = x.forLoop(st, s)
	case *syntax.FunctionDef:
		err = x.def(st, s)
	case *syntax.ClassDef:
		err = x.classDef(st, s)
	case *syntax.Return:
		var v value = none{}
		if st.Value != nil {
			if v, err = x.eval(st.Value, s); err != nil {
				return err
			}
		}
		x.charge(c.stmt)
		x.ret = returned{v}
		err = errReturn
	case *syntax.Pass:
	case *syntax.Break:
		err = errBreak
	case *syntax.Continue:
		err = errContinue
	case *syntax.Global:
		if s.module {
			break
		}
		for _, n := range st.Names {
			s.global[n] = true
		}
	case *syntax.Nonlocal:
		err = x.unsupported("nonlocal is not simulated")
	case *syntax.Import:
		err = x.importStmt(st, s)
	case *syntax.ImportFrom:
		err = x.importFrom(st, s)
	case *syntax.With:
		err = x.with(st, s)
	case *syntax.Try:
		err = x.try(st, s)
	case *syntax.Raise:
		err = x.raiseStmt(st, s)
	case *syntax.Assert:
		var v value
		if v, err = x.eval(st.Test, s); err == nil {
			var ok bool
			if ok, err = x.truth(v); err == nil && !ok {
				msg := ""
				if st.Msg != nil {
					var m value
					if m, err = x.eval(st.Msg, s); err != nil {
						return err
					}
					msg = str(m)
				}
				err = &pyError{kind: "AssertionError", msg: msg}
			}
		}
	case *syntax.Delete:
		for _, t := range st.Targets {
			n, ok := t.(*syntax.Name)
			if !ok {
				return x.unsupported("del of anything but a name is not simulated")
			}
			if _, ok := s.vars[n.ID]; !ok {
				return raise("NameError", "name '%s' is not defined", n.ID)
			}
			delete(s.vars, n.ID)
		}
	default:
		err = x.unsupported("this statement is not simulated")
	}
	if errors.Is(err, errOverflow) {
		return x.unsupported("ints beyond 64 bits are not simulated")
	}
	var pe *pyError
	if errors.As(err, &pe) && pe.line == 0 {
		pe.line = x.line
	}
	return err
}

// unknown is the error for using a result known only at run time that
// the simulation does not keep.
func (x *thread) unknown(d *dynamic) error {
	return x.unsupported("%s is known only at run time, and gilsim does not use it yet", d.from)
}

// truth is bool(v) for a value that must be known while compiling.
func (x *thread) truth(v value) (bool, error) {
	if d, ok := v.(*dynamic); ok && d.gen < 0 {
		return false, x.unknown(d)
	}
	b, err := truthy(v)
	if errors.Is(err, errDynamic) {
		return false, x.unsupported("this test depends on a value another thread makes at run time; gilsim can test such a value only with \"if item is None: break\" in a loop")
	}
	return b, err
}

func (x *thread) assignStmt(st *syntax.Assign, s *scope) error {
	v, err := x.eval(st.Value, s)
	if err != nil {
		return err
	}
	x.charge(x.c.ver.c.stmt)
	if n, ok := st.Targets[0].(*syntax.Name); ok && s.module && len(st.Targets) == 1 {
		if o, ok := x.c.set[n.ID]; ok {
			v = o
		}
	}
	for _, t := range st.Targets {
		if err := x.assign(t, v, s); err != nil {
			return err
		}
	}
	return nil
}

// assign binds target to v.
func (x *thread) assign(target syntax.Expr, v value, s *scope) error {
	switch t := target.(type) {
	case *syntax.Name:
		return x.setName(t.ID, v, s)
	case *syntax.Tuple:
		return x.unpack(t.Elts, v, s)
	case *syntax.List:
		return x.unpack(t.Elts, v, s)
	case *syntax.Attribute:
		obj, err := x.eval(t.Value, s)
		if err != nil {
			return err
		}
		x.charge(x.c.ver.c.attr)
		return x.setAttr(obj, t.Attr, v)
	case *syntax.Subscript:
		obj, err := x.eval(t.Value, s)
		if err != nil {
			return err
		}
		key, err := x.eval(t.Slice, s)
		if err != nil {
			return err
		}
		return x.setItem(obj, key, v)
	case *syntax.Starred:
		return x.unsupported("starred assignment is not simulated")
	}
	return x.unsupported("assignment to this target is not simulated")
}

func (x *thread) unpack(targets []syntax.Expr, v value, s *scope) error {
	items, err := x.items(v)
	if err != nil {
		return err
	}
	if len(items) != len(targets) {
		if len(items) > len(targets) {
			return raise("ValueError", "too many values to unpack (expected %d)", len(targets))
		}
		return raise("ValueError", "not enough values to unpack (expected %d, got %d)", len(targets), len(items))
	}
	for i, t := range targets {
		if err := x.assign(t, items[i], s); err != nil {
			return err
		}
	}
	return nil
}

// setName binds a name in scope s, or in the module when s declares it
// global; a shared int is written in the simulation.
func (x *thread) setName(name string, v value, s *scope) error {
	target := s
	if s.global[name] {
		target = x.module()
	}
	if x.isShared(s, name) {
		if _, made := x.c.vars[varKey{x.proc, name}]; made {
			return x.storeShared(name, v)
		}
		if s.global[name] && !s.module {
			// A function assigns the shared int: from now on it lives in
			// the simulation.
			return x.storeShared(name, v)
		}
	}
	x.nameObject(name, v)
	target.vars[name] = v
	return nil
}

// storeShared writes v, read from the shared variable plus a constant,
// into shared variable name.
func (x *thread) storeShared(name string, v value) error {
	i, err := x.sharedVar(name)
	if err != nil {
		return err
	}
	d, ok := v.(*dynamic)
	if !ok || d.gen != x.gen || d.from != name {
		return x.unsupported("%s is shared by threads: gilsim writes it only as %s += n or %s = %s + n", name, name, name, name)
	}
	return x.emit(sim.Store(x.line, i, d.add))
}

func (x *thread) augAssign(st *syntax.AugAssign, s *scope) error {
	c := &x.c.ver.c
	if n, ok := st.Target.(*syntax.Name); ok && x.isShared(s, n.ID) && (s.global[n.ID] || s.module) {
		// counter += 1 on a shared int: read, add, write, where a switch
		// in between loses the update.
		if _, made := x.c.vars[varKey{x.proc, n.ID}]; made || !s.module {
			rhs, err := x.eval(st.Value, s)
			if err != nil {
				return err
			}
			k, ok := rhs.(int64)
			if !ok || (st.Op != syntax.Add && st.Op != syntax.Sub) {
				return x.unsupported("%s is shared by threads: gilsim adds only an int to it (%s += n or -= n)", n.ID, n.ID)
			}
			if st.Op == syntax.Sub {
				k = -k
			}
			i, err := x.sharedVar(n.ID)
			if err != nil {
				return err
			}
			if err := x.emit(sim.Load(x.line, i)); err != nil {
				return err
			}
			x.charge(c.augGlobal)
			return x.emit(sim.Store(x.line, i, k))
		}
	}
	cur, err := x.eval(st.Target, s)
	if err != nil {
		return err
	}
	rhs, err := x.eval(st.Value, s)
	if err != nil {
		return err
	}
	// The augmented assignment's cost, measured whole, holds its
	// arithmetic.
	cost := x.cost
	v, err := x.binop(st.Op, cur, rhs, true)
	if err != nil {
		return err
	}
	x.cost = cost
	x.chargeInt(v)
	if n, ok := st.Target.(*syntax.Name); ok {
		x.charge(c.augLocal)
		if s.global[n.ID] || s.module {
			x.charge(c.augGlobal - c.augLocal)
		}
		return x.setName(n.ID, v, s)
	}
	return x.assign(st.Target, v, s)
}

func (x *thread) ifStmt(st *syntax.If, s *scope) error {
	if body, ok := x.breakIfNone(st, s); ok {
		return body
	}
	v, err := x.eval(st.Test, s)
	if err != nil {
		return err
	}
	ok, err := x.truth(v)
	if err != nil {
		return err
	}
	if ok {
		return x.run(st.Body, s)
	}
	return x.run(st.OrElse, s)
}

// breakIfNone compiles "if item is None: break", where item came from a
// queue at run time, inside a loop that runs at run time.
func (x *thread) breakIfNone(st *syntax.If, s *scope) (error, bool) {
	name, ok := isNoneTest(st.Test)
	if !ok || len(st.Body) != 1 || len(st.OrElse) != 0 {
		return nil, false
	}
	if _, ok := st.Body[0].(*syntax.Break); !ok {
		return nil, false
	}
	d, ok := s.vars[name].(*dynamic)
	if !ok {
		return nil, false
	}
	if x.runLoops == 0 {
		return x.unsupported("this break depends on a value another thread makes at run time; gilsim runs such a loop only as \"while True:\""), true
	}
	if d.gen != x.gen {
		return x.unsupported("%s was read from a queue before the last value another thread made: gilsim tests only the last one", name), true
	}
	x.charge(x.c.ver.c.compare)
	return x.emit(sim.BreakIfNone(x.line)), true
}

// isNoneTest matches "name is None".
func isNoneTest(e syntax.Expr) (string, bool) {
	c, ok := e.(*syntax.Compare)
	if !ok || len(c.Ops) != 1 || c.Ops[0] != syntax.Is {
		return "", false
	}
	n, ok := c.Left.(*syntax.Name)
	if !ok {
		return "", false
	}
	k, ok := c.Comparators[0].(*syntax.Constant)
	if !ok || k.Value != nil {
		return "", false
	}
	return n.ID, true
}

func (x *thread) def(st *syntax.FunctionDef, s *scope) error {
	f := &function{name: st.Name, def: st, args: st.Args, body: st.Body, async: st.Async, outer: s}
	if s.module {
		f.outer = nil
	}
	if err := x.defaults(f, s); err != nil {
		return err
	}
	x.charge(x.c.ver.c.stmt)
	return x.setName(st.Name, f, s)
}

// defaults evaluates a function's default values, as def does.
func (x *thread) defaults(f *function, s *scope) error {
	for _, d := range f.args.Defaults {
		v, err := x.eval(d, s)
		if err != nil {
			return err
		}
		f.defs = append(f.defs, v)
	}
	for i, d := range f.args.KwDefaults {
		if d == nil {
			continue
		}
		v, err := x.eval(d, s)
		if err != nil {
			return err
		}
		if f.kwdef == nil {
			f.kwdef = map[string]value{}
		}
		f.kwdef[f.args.KwOnlyArgs[i].Name] = v
	}
	return nil
}

func (x *thread) classDef(st *syntax.ClassDef, s *scope) error {
	cls := &class{name: st.Name, attrs: map[string]value{}}
	for _, b := range st.Bases {
		v, err := x.eval(b, s)
		if err != nil {
			return err
		}
		switch b := v.(type) {
		case *class:
			cls.bases = append(cls.bases, b)
			if cls.builtin == "" {
				cls.builtin = b.builtin
			}
		case *builtin:
			if b.name != "threading.Thread" && b.name != "object" {
				return x.unsupported("classes derived from %s are not simulated (only from threading.Thread and your own classes)", b.name)
			}
			if b.name == "threading.Thread" {
				cls.builtin = b.name
			}
		default:
			return x.unsupported("a class can derive only from a class")
		}
	}
	body := newScope(s, false)
	body.vars = cls.attrs
	for _, b := range st.Body {
		switch b.(type) {
		case *syntax.FunctionDef, *syntax.Assign, *syntax.Pass, *syntax.ExprStmt, *syntax.AnnAssign:
		default:
			x.at(b)
			return x.unsupported("a class body holds only methods and attributes")
		}
		if err := x.stmt(b, body); err != nil {
			return err
		}
	}
	for _, v := range cls.attrs {
		if f, ok := v.(*function); ok {
			// Methods see the module, not the class body.
			f.outer = nil
			if !s.module {
				f.outer = s
			}
		}
	}
	x.at(st)
	x.charge(x.c.ver.c.call)
	return x.setName(st.Name, cls, s)
}

func (x *thread) raiseStmt(st *syntax.Raise, s *scope) error {
	if st.Exc == nil {
		return x.unsupported("a bare raise is not simulated")
	}
	v, err := x.eval(st.Exc, s)
	if err != nil {
		return err
	}
	switch e := v.(type) {
	case *excClass:
		return &pyError{kind: e.name}
	case *excValue:
		return &pyError{kind: e.cls.name, msg: e.msg}
	}
	return raise("TypeError", "exceptions must derive from BaseException")
}

func (x *thread) try(st *syntax.Try, s *scope) error {
	err := x.run(st.Body, s)
	var pe *pyError
	if errors.As(err, &pe) {
		handled := false
		for _, h := range st.Handlers {
			x.at(h)
			match, herr := x.matches(h, pe, s)
			if herr != nil {
				return herr
			}
			if !match {
				continue
			}
			if h.Name != "" {
				s.vars[h.Name] = &excValue{cls: &excClass{name: pe.kind}, msg: pe.msg}
			}
			handled = true
			err = x.run(h.Body, s)
			break
		}
		if !handled {
			err = pe
		}
	} else if err == nil {
		err = x.run(st.OrElse, s)
	}
	if len(st.FinalBody) > 0 {
		if ferr := x.run(st.FinalBody, s); ferr != nil {
			return ferr
		}
	}
	return err
}

// matches reports whether except clause h catches exception e.
func (x *thread) matches(h *syntax.ExceptHandler, e *pyError, s *scope) (bool, error) {
	if h.Type == nil {
		return true, nil
	}
	v, err := x.eval(h.Type, s)
	if err != nil {
		return false, err
	}
	var classes []value
	if t, ok := v.(*tuple); ok {
		classes = t.items
	} else {
		classes = []value{v}
	}
	for _, c := range classes {
		ec, ok := c.(*excClass)
		if !ok {
			return false, raise("TypeError", "catching classes that do not inherit from BaseException is not allowed")
		}
		if excIsA(e.kind, ec.name) {
			return true, nil
		}
	}
	return false, nil
}
