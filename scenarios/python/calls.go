package python

import (
	"errors"
	"strings"
	"time"

	"github.com/gilsim/gilsim/scenarios/python/syntax"
	"github.com/gilsim/gilsim/sim"
)

// call evaluates a call expression.
func (x *thread) call(e *syntax.Call, s *scope) (value, error) {
	fn, err := x.eval(e.Func, s)
	if err != nil {
		return nil, err
	}
	args, err := x.evalAll(e.Args, s)
	if err != nil {
		return nil, err
	}
	var kw map[string]value
	for _, k := range e.Keywords {
		v, err := x.eval(k.Value, s)
		if err != nil {
			return nil, err
		}
		if kw == nil {
			kw = map[string]value{}
		}
		if k.Arg == "" {
			d, ok := v.(*dict)
			if !ok {
				return nil, raise("TypeError", "argument after ** must be a mapping, not %s", typeName(v))
			}
			for i, key := range d.keys {
				ks, ok := key.(string)
				if !ok {
					return nil, raise("TypeError", "keywords must be strings")
				}
				kw[ks] = d.vals[i]
			}
			continue
		}
		kw[k.Arg] = v
	}
	x.at(e)
	return x.apply(fn, args, kw)
}

// apply calls fn.
func (x *thread) apply(fn value, args []value, kw map[string]value) (value, error) {
	c := &x.c.ver.c
	switch f := fn.(type) {
	case *builtin:
		x.charge(c.builtinCall)
		return f.fn(x, args, kw)
	case *function:
		if f.async {
			return &coroutine{fn: f, args: args, kw: kw}, nil
		}
		return x.callPure(f, args, kw)
	case *boundMethod:
		x.charge(c.method - c.call)
		if self, ok := f.self.(*instance); ok && !f.fn.async {
			return x.callMethod(f.fn, self, args, kw)
		}
		if f.fn.async {
			return &coroutine{fn: f.fn, args: append([]value{f.self}, args...), kw: kw}, nil
		}
		return x.apply(f.fn, append([]value{f.self}, args...), kw)
	case *class:
		return x.instantiate(f, args, kw)
	case *excClass:
		msg := ""
		if len(args) == 1 {
			msg = str(args[0])
		} else if len(args) > 1 {
			msg = repr(&tuple{items: args})
		}
		return &excValue{cls: f, msg: msg}, nil
	case *dynamic:
		return nil, x.unsupported("calling a value another thread makes at run time is not simulated")
	}
	return nil, raise("TypeError", "'%s' object is not callable", typeName(fn))
}

// callFunction runs a function's body in a new scope.
func (x *thread) callFunction(f *function, args []value, kw map[string]value) (value, error) {
	c := &x.c.ver.c
	if x.depth >= maxDepth {
		return nil, raise("RecursionError", "maximum recursion depth exceeded")
	}
	s := newScope(f.outer, false)
	if err := bind(f, s, args, kw); err != nil {
		return nil, err
	}
	x.charge(c.call + c.callArg*time.Duration(len(args)+len(kw)))
	line, col := x.line, x.col
	x.depth++
	defer func() { x.depth--; x.line, x.col = line, col }()
	if f.expr != nil {
		return x.eval(f.expr, s)
	}
	// A call is a check point: where 3.10 and later look at the GIL.
	x.line = f.def.Line
	if err := x.emit(sim.CheckPoint(f.def.Line)); err != nil {
		return nil, err
	}
	collectGlobals(f.body, s.global)
	err := x.run(f.body, s)
	x.flush()
	if errors.Is(err, errReturn) {
		v := x.ret.v
		x.ret = returned{}
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	return none{}, nil
}

// bind binds a call's arguments to a function's parameters.
func bind(f *function, s *scope, args []value, kw map[string]value) error {
	a := f.args
	params := append(append([]*syntax.Arg{}, a.PosOnlyArgs...), a.Args...)
	for i, p := range params {
		switch {
		case i < len(args):
			if _, dup := kw[p.Name]; dup {
				return raise("TypeError", "%s() got multiple values for argument '%s'", f.name, p.Name)
			}
			s.vars[p.Name] = args[i]
		case kw[p.Name] != nil:
			s.vars[p.Name] = kw[p.Name]
		case i >= len(params)-len(f.defs):
			s.vars[p.Name] = f.defs[i-(len(params)-len(f.defs))]
		default:
			return raise("TypeError", "%s() missing 1 required positional argument: '%s'", f.name, p.Name)
		}
	}
	if len(args) > len(params) {
		if a.Vararg == nil {
			return raise("TypeError", "%s() takes %d positional arguments but %d were given", f.name, len(params), len(args))
		}
		s.vars[a.Vararg.Name] = &tuple{items: append([]value{}, args[len(params):]...)}
	} else if a.Vararg != nil {
		s.vars[a.Vararg.Name] = &tuple{}
	}
	for _, p := range a.KwOnlyArgs {
		if v, ok := kw[p.Name]; ok {
			s.vars[p.Name] = v
		} else if v, ok := f.kwdef[p.Name]; ok {
			s.vars[p.Name] = v
		} else {
			return raise("TypeError", "%s() missing 1 required keyword-only argument: '%s'", f.name, p.Name)
		}
	}
	var extra *dict
	if a.Kwarg != nil {
		extra = &dict{}
		s.vars[a.Kwarg.Name] = extra
	}
	for _, name := range sortedKeys(kw) {
		if _, ok := s.vars[name]; ok && isParam(a, name) {
			continue
		}
		if extra == nil {
			return raise("TypeError", "%s() got an unexpected keyword argument '%s'", f.name, name)
		}
		extra.keys, extra.vals = append(extra.keys, name), append(extra.vals, kw[name])
	}
	return nil
}

func isParam(a *syntax.Arguments, name string) bool {
	for _, l := range [][]*syntax.Arg{a.PosOnlyArgs, a.Args, a.KwOnlyArgs} {
		for _, p := range l {
			if p.Name == name {
				return true
			}
		}
	}
	return false
}

// instantiate calls a class: a new instance, and its __init__.
func (x *thread) instantiate(cls *class, args []value, kw map[string]value) (value, error) {
	obj := &instance{cls: cls, attrs: map[string]value{}}
	if cls.builtin == "threading.Thread" {
		obj.thread = &threadObj{id: -1, self: obj, proc: x.proc}
	}
	x.charge(x.c.ver.c.call)
	if init, ok := lookupAttr(cls, "__init__").(*function); ok {
		if _, err := x.callMethod(init, obj, args, kw); err != nil {
			return nil, err
		}
	} else if len(args) > 0 || len(kw) > 0 {
		if obj.thread == nil {
			return nil, raise("TypeError", "%s() takes no arguments", cls.name)
		}
		if err := x.threadInit(obj.thread, args, kw); err != nil {
			return nil, err
		}
	}
	return obj, nil
}

// lookupAttr finds an attribute of a class or its bases.
func lookupAttr(cls *class, name string) value {
	if v, ok := cls.attrs[name]; ok {
		return v
	}
	for _, b := range cls.bases {
		if v := lookupAttr(b, name); v != nil {
			return v
		}
	}
	return nil
}

// attr is getattr(v, name).
func (x *thread) attr(v value, name string) (value, error) {
	switch o := v.(type) {
	case *module:
		if a, ok := o.attrs[name]; ok {
			return a, nil
		}
		return nil, raise("AttributeError", "module '%s' has no attribute '%s'", o.name, name)
	case *instance:
		if a, ok := o.attrs[name]; ok {
			return a, nil
		}
		if a := lookupAttr(o.cls, name); a != nil {
			if f, ok := a.(*function); ok {
				return &boundMethod{self: o, fn: f}, nil
			}
			return a, nil
		}
		if o.thread != nil {
			return x.threadAttr(o.thread, name)
		}
		return nil, raise("AttributeError", "'%s' object has no attribute '%s'", o.cls.name, name)
	case *class:
		if a := lookupAttr(o, name); a != nil {
			return a, nil
		}
		return nil, raise("AttributeError", "type object '%s' has no attribute '%s'", o.name, name)
	case *excValue:
		if name == "args" {
			return &tuple{items: []value{o.msg}}, nil
		}
	case *dynamic:
		return nil, x.unsupported("a value another thread makes at run time has no attributes in gilsim")
	}
	return x.method(v, name)
}

// setAttr is setattr(obj, name, v).
func (x *thread) setAttr(obj value, name string, v value) error {
	switch o := obj.(type) {
	case *instance:
		if o.thread != nil && (name == "daemon" || name == "name") {
			return x.setThreadAttr(o.thread, name, v)
		}
		o.attrs[name] = v
		return nil
	case *threadObj:
		return x.setThreadAttr(o, name, v)
	case *processObj:
		switch name {
		case "daemon":
			b, err := x.truth(v)
			o.daemon = b
			return err
		case "name":
			o.name = str(v)
			return nil
		}
	case *class:
		o.attrs[name] = v
		return nil
	}
	return raise("AttributeError", "'%s' object has no attribute '%s'", typeName(obj), name)
}

// print is print(*args, sep=' ', end='\n').
func (x *thread) print(args []value, kw map[string]value) (value, error) {
	sep, end := " ", "\n"
	for k, v := range kw {
		switch k {
		case "sep":
			if _, ok := v.(none); !ok {
				sep = str(v)
			}
		case "end":
			if _, ok := v.(none); !ok {
				end = str(v)
			}
		case "flush":
		case "file":
			return nil, x.unsupported("print(file=...) is not simulated: gilsim prints to its console")
		default:
			return nil, raise("TypeError", "'%s' is an invalid keyword argument for print()", k)
		}
	}
	parts := make([]string, len(args))
	holes := 0
	for i, a := range args {
		if d, ok := a.(*dynamic); ok {
			if d.gen < 0 {
				return nil, x.unknown(d)
			}
			if d.gen != x.gen || d.add != 0 {
				return nil, x.unsupported("a value known only at run time is printed only as it is: print(%s)", d.from)
			}
			parts[i] = dynHole
			holes++
			continue
		}
		s := str(a)
		if strings.Contains(s, dynHole) {
			holes++
		}
		parts[i] = s
	}
	if holes > 1 {
		return nil, x.unsupported("a line that prints two values known only at run time is not simulated")
	}
	x.charge(x.c.ver.c.print)
	text := strings.Join(parts, sep) + end
	// The console holds lines: print(..., end="") joins the next print's
	// text in CPython; here each print is a line of its own.
	text = strings.TrimSuffix(text, "\n")
	for _, line := range strings.Split(text, "\n") {
		if err := x.emit(sim.Print(x.line, line)); err != nil {
			return nil, err
		}
	}
	return none{}, nil
}

// emitLoad reads shared variable i into the register.
func (x *thread) emitLoad(i int) error {
	x.gen++
	return x.emit(sim.Load(x.line, i))
}

// queueGet takes an item from a queue into the register.
func (x *thread) queueGet(q *queueObj) (value, error) {
	x.charge(x.c.ver.c.queuePutGet / 2)
	x.gen++
	if err := x.emit(sim.Get(x.line, q.id)); err != nil {
		return nil, err
	}
	return &dynamic{gen: x.gen, from: "q.get()"}, nil
}

// excClass is an exception class.
type excClass struct{ name string }

// excValue is a raised or made exception.
type excValue struct {
	cls *excClass
	msg string
}

// excBases maps each exception the front end knows to its base.
var excBases = map[string]string{
	"BaseException": "", "Exception": "BaseException", "KeyboardInterrupt": "BaseException",
	"SystemExit": "BaseException", "ArithmeticError": "Exception", "ZeroDivisionError": "ArithmeticError",
	"OverflowError": "ArithmeticError", "AssertionError": "Exception", "AttributeError": "Exception",
	"LookupError": "Exception", "IndexError": "LookupError", "KeyError": "LookupError",
	"NameError": "Exception", "UnboundLocalError": "NameError", "RuntimeError": "Exception",
	"RecursionError": "RuntimeError", "NotImplementedError": "RuntimeError", "TypeError": "Exception",
	"ValueError": "Exception", "OSError": "Exception", "ConnectionError": "OSError",
	"ConnectionRefusedError": "ConnectionError", "TimeoutError": "OSError", "StopIteration": "Exception",
	"Empty": "Exception", "Full": "Exception", "CancelledError": "BaseException",
}

// excIsA reports whether exception kind is, or derives from, base.
func excIsA(kind, base string) bool {
	for k := kind; k != ""; k = excBases[k] {
		if k == base {
			return true
		}
	}
	return false
}
