package python

import (
	"errors"
	"math"
	"strings"

	"github.com/gilsim/gilsim/scenarios/python/syntax"
	"github.com/gilsim/gilsim/sim"
)

// rangeVal is range(start, stop, step).
type rangeVal struct{ start, stop, step int64 }

func (r *rangeVal) len() int64 {
	switch {
	case r.step > 0 && r.stop > r.start:
		return (r.stop - r.start + r.step - 1) / r.step
	case r.step < 0 && r.stop < r.start:
		return (r.start - r.stop - r.step - 1) / -r.step
	}
	return 0
}

// eval evaluates an expression, charging its CPU.
func (x *thread) eval(e syntax.Expr, s *scope) (value, error) {
	c := &x.c.ver.c
	switch e := e.(type) {
	case *syntax.Constant:
		v, ok := constant(e.Value)
		if !ok {
			x.at(e)
			return nil, x.unsupported("ints beyond 64 bits are not simulated")
		}
		return v, nil
	case *syntax.Name:
		return x.name(e, s)
	case *syntax.BinOp:
		l, err := x.eval(e.Left, s)
		if err != nil {
			return nil, err
		}
		r, err := x.eval(e.Right, s)
		if err != nil {
			return nil, err
		}
		x.at(e)
		return x.binop(e.Op, l, r, false)
	case *syntax.UnaryOp:
		v, err := x.eval(e.Operand, s)
		if err != nil {
			return nil, err
		}
		x.charge(c.binopInt)
		return x.unary(e.Op, v)
	case *syntax.BoolOp:
		var v value
		for _, part := range e.Values {
			var err error
			if v, err = x.eval(part, s); err != nil {
				return nil, err
			}
			t, err := x.truth(v)
			if err != nil {
				return nil, err
			}
			if t == (e.Op == syntax.Or) {
				return v, nil
			}
		}
		return v, nil
	case *syntax.Compare:
		return x.compare(e, s)
	case *syntax.IfExp:
		t, err := x.eval(e.Test, s)
		if err != nil {
			return nil, err
		}
		ok, err := x.truth(t)
		if err != nil {
			return nil, err
		}
		if ok {
			return x.eval(e.Body, s)
		}
		return x.eval(e.OrElse, s)
	case *syntax.Call:
		return x.call(e, s)
	case *syntax.Attribute:
		v, err := x.eval(e.Value, s)
		if err != nil {
			return nil, err
		}
		x.at(e)
		x.charge(c.attr)
		return x.attr(v, e.Attr)
	case *syntax.Subscript:
		v, err := x.eval(e.Value, s)
		if err != nil {
			return nil, err
		}
		if sl, ok := e.Slice.(*syntax.Slice); ok {
			return x.slice(v, sl, s)
		}
		k, err := x.eval(e.Slice, s)
		if err != nil {
			return nil, err
		}
		x.at(e)
		return x.index(v, k)
	case *syntax.List:
		items, err := x.evalAll(e.Elts, s)
		return &list{items: items}, err
	case *syntax.Tuple:
		items, err := x.evalAll(e.Elts, s)
		return &tuple{items: items}, err
	case *syntax.Set:
		return nil, x.unsupported("sets are not simulated")
	case *syntax.Dict:
		d := &dict{}
		for i, k := range e.Keys {
			if k == nil {
				return nil, x.unsupported("** in a dict display is not simulated")
			}
			kv, err := x.eval(k, s)
			if err != nil {
				return nil, err
			}
			vv, err := x.eval(e.Values[i], s)
			if err != nil {
				return nil, err
			}
			if err := x.setItem(d, kv, vv); err != nil {
				return nil, err
			}
		}
		return d, nil
	case *syntax.JoinedStr:
		return x.fstring(e, s)
	case *syntax.ListComp:
		return x.comprehension(e.Elt, e.Generators, s)
	case *syntax.GeneratorExp:
		return x.comprehension(e.Elt, e.Generators, s)
	case *syntax.Lambda:
		f := &function{name: "<lambda>", args: e.Args, expr: e.Body, outer: s}
		if s.module {
			f.outer = nil
		}
		return f, x.defaults(f, s)
	case *syntax.Await:
		return x.await(e, s)
	case *syntax.Starred:
		return nil, x.unsupported("* here is not simulated")
	}
	x.at(e)
	return nil, x.unsupported("this expression is not simulated")
}

func (x *thread) evalAll(es []syntax.Expr, s *scope) ([]value, error) {
	out := make([]value, 0, len(es))
	for _, e := range es {
		if st, ok := e.(*syntax.Starred); ok {
			v, err := x.eval(st.Value, s)
			if err != nil {
				return nil, err
			}
			items, err := x.items(v)
			if err != nil {
				return nil, err
			}
			out = append(out, items...)
			continue
		}
		v, err := x.eval(e, s)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// name looks a name up: the scope, the scopes around it, the module, the
// built-ins. A shared int is read in the simulation.
func (x *thread) name(e *syntax.Name, s *scope) (value, error) {
	id := e.ID
	if x.isShared(s, id) {
		if _, made := x.c.vars[varKey{x.proc, id}]; made || !s.module {
			x.at(e)
			return x.loadShared(id)
		}
	}
	if !s.global[id] {
		for o := s; o != nil; o = o.outer {
			if v, ok := o.vars[id]; ok {
				return v, nil
			}
		}
	}
	if v, ok := x.module().vars[id]; ok {
		return v, nil
	}
	if v, ok := builtins[id]; ok {
		return v, nil
	}
	x.at(e)
	return nil, raise("NameError", "name '%s' is not defined", id)
}

// loadShared reads shared int name into the register.
func (x *thread) loadShared(name string) (value, error) {
	i, err := x.sharedVar(name)
	if err != nil {
		return nil, err
	}
	if err := x.emitLoad(i); err != nil {
		return nil, err
	}
	return &dynamic{gen: x.gen, from: name}, nil
}

// binop is Python's arithmetic; aug says it is an augmented assignment.
func (x *thread) binop(op syntax.Operator, l, r value, aug bool) (value, error) {
	c := &x.c.ver.c
	if d, ok := l.(*dynamic); ok && d.gen < 0 {
		return nil, x.unknown(d)
	}
	if d, ok := l.(*dynamic); ok {
		k, isInt := r.(int64)
		if !isInt || (op != syntax.Add && op != syntax.Sub) || d.gen != x.gen {
			return nil, x.unsupported("this value is known only at run time: gilsim only adds an int to it, prints it or tests it for None")
		}
		x.charge(c.binopInt)
		if op == syntax.Sub {
			k = -k
		}
		return &dynamic{gen: d.gen, from: d.from, add: d.add + k}, nil
	}
	if _, ok := r.(*dynamic); ok {
		return nil, x.unsupported("this value is known only at run time: gilsim only adds an int to it, prints it or tests it for None")
	}
	if v, ok, err := x.clockOp(op, l, r); ok {
		return v, err
	}
	switch a := l.(type) {
	case bool:
		return x.binop(op, boolInt(a), r, aug)
	case int64:
		switch b := r.(type) {
		case bool:
			return x.binop(op, l, boolInt(b), aug)
		case int64:
			x.charge(c.binopInt)
			v, err := intOp(op, a, b)
			x.chargeInt(v)
			return v, err
		case float64:
			x.charge(c.binopFloat)
			return floatOp(op, float64(a), b)
		case string, *list, *tuple, bytesVal:
			if op == syntax.Mult {
				return x.binop(op, r, l, aug)
			}
		}
	case float64:
		if b, ok := number(r); ok {
			x.charge(c.binopFloat)
			return floatOp(op, a, b)
		}
	case string:
		switch b := r.(type) {
		case string:
			if op == syntax.Add {
				x.charge(c.binopStr)
				if len(a)+len(b) > maxText {
					return nil, x.unsupported("strings longer than 16 MB are not simulated")
				}
				return a + b, nil
			}
		case int64:
			if op == syntax.Mult {
				x.charge(c.binopStr)
				if b < 0 {
					b = 0
				}
				if int64(len(a))*b > maxText {
					return nil, x.unsupported("strings longer than 16 MB are not simulated")
				}
				return strings.Repeat(a, int(b)), nil
			}
		}
		if op == syntax.Mod {
			x.charge(c.format)
			return percent(a, r)
		}
	case bytesVal:
		if b, ok := r.(bytesVal); ok && op == syntax.Add {
			x.charge(c.binopStr)
			if len(a)+len(b) > maxText {
				return nil, x.unsupported("bytes longer than 16 MB are not simulated")
			}
			return append(append(bytesVal{}, a...), b...), nil
		}
	case *list:
		switch b := r.(type) {
		case *list:
			if op == syntax.Add {
				x.charge(c.binopStr)
				if len(a.items)+len(b.items) > maxItems {
					return nil, x.unsupported("lists longer than 4 million items are not simulated")
				}
				if aug {
					a.items = append(a.items, b.items...)
					return a, nil
				}
				return &list{items: append(append([]value{}, a.items...), b.items...)}, nil
			}
		case int64:
			if op == syntax.Mult {
				x.charge(c.binopStr)
				if int64(len(a.items))*b > maxItems {
					return nil, x.unsupported("lists longer than 4 million items are not simulated")
				}
				out := &list{}
				for range max(b, 0) {
					out.items = append(out.items, a.items...)
				}
				return out, nil
			}
		}
	case *tuple:
		if b, ok := r.(*tuple); ok && op == syntax.Add {
			x.charge(c.binopStr)
			if len(a.items)+len(b.items) > maxItems {
				return nil, x.unsupported("tuples longer than 4 million items are not simulated")
			}
			return &tuple{items: append(append([]value{}, a.items...), b.items...)}, nil
		}
	}
	return nil, raise("TypeError", "unsupported operand type(s) for %s: '%s' and '%s'", opSymbol(op), typeName(l), typeName(r))
}

// clockOp is arithmetic on clock readings: a reading less another is an
// elapsed time, which a number may scale. It reports whether l or r is a
// reading or an elapsed time.
func (x *thread) clockOp(op syntax.Operator, l, r value) (value, bool, error) {
	lc, lIsClock := l.(*clockVal)
	rc, rIsClock := r.(*clockVal)
	ld, lIsDiff := l.(*clockDiff)
	rd, rIsDiff := r.(*clockDiff)
	if !lIsClock && !rIsClock && !lIsDiff && !rIsDiff {
		return nil, false, nil
	}
	refuse := x.unsupported("a reading of the clock is known only at run time: gilsim subtracts one from another, scales the difference by a number and prints it")
	for _, c := range []*clockVal{lc, rc} {
		if c != nil && x.markGen[c.slot] != c.gen {
			return nil, true, x.unsupported("more than %d readings of the clock are in use at once", sim.MaxMarks)
		}
	}
	x.charge(x.c.ver.c.binopFloat)
	switch {
	case lIsClock && rIsClock && op == syntax.Sub:
		return &clockDiff{a: *lc, b: *rc, scale: 1}, true, nil
	case lIsDiff && !rIsClock && !rIsDiff:
		k, ok := number(r)
		switch {
		case ok && op == syntax.Mult:
			return &clockDiff{a: ld.a, b: ld.b, scale: ld.scale * k}, true, nil
		case ok && op == syntax.Div && k != 0:
			return &clockDiff{a: ld.a, b: ld.b, scale: ld.scale / k}, true, nil
		}
	case rIsDiff && op == syntax.Mult:
		if k, ok := number(l); ok {
			return &clockDiff{a: rd.a, b: rd.b, scale: rd.scale * k}, true, nil
		}
	}
	return nil, true, refuse
}

// The largest strings and sequences a program may make while compiled.
const (
	maxText  = 1 << 24
	maxItems = 1 << 22
)

// chargeInt charges what making int v costs beyond the cached small ints.
func (x *thread) chargeInt(v value) {
	if n, ok := v.(int64); ok && (n < -5 || n > 256) {
		x.charge(x.c.ver.c.intAlloc)
	}
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func intOp(op syntax.Operator, a, b int64) (value, error) {
	switch op {
	case syntax.Add:
		if s := a + b; (s > a) == (b > 0) {
			return s, nil
		}
	case syntax.Sub:
		if s := a - b; (s < a) == (b > 0) {
			return s, nil
		}
	case syntax.Mult:
		if a == 0 || b == 0 {
			return int64(0), nil
		}
		if p := a * b; p/b == a && !(a == -1 && b == math.MinInt64) && !(b == -1 && a == math.MinInt64) {
			return p, nil
		}
	case syntax.Div:
		if b == 0 {
			return nil, raise("ZeroDivisionError", "division by zero")
		}
		return float64(a) / float64(b), nil
	case syntax.FloorDiv, syntax.Mod:
		if b == 0 {
			if op == syntax.Mod {
				return nil, raise("ZeroDivisionError", "integer modulo by zero")
			}
			return nil, raise("ZeroDivisionError", "integer division or modulo by zero")
		}
		q, m := a/b, a%b
		if m != 0 && (m < 0) != (b < 0) {
			q--
			m += b
		}
		if op == syntax.Mod {
			return m, nil
		}
		return q, nil
	case syntax.Pow:
		if b < 0 {
			return math.Pow(float64(a), float64(b)), nil
		}
		r := int64(1)
		for range b {
			n := r * a
			if a != 0 && n/a != r {
				return nil, errOverflow
			}
			r = n
			if r == 0 || r == 1 && a == 1 {
				break
			}
		}
		return r, nil
	case syntax.BitAnd:
		return a & b, nil
	case syntax.BitOr:
		return a | b, nil
	case syntax.BitXor:
		return a ^ b, nil
	case syntax.LShift:
		if b < 0 {
			return nil, raise("ValueError", "negative shift count")
		}
		if b < 63 && a>>(63-b) == 0 {
			return a << b, nil
		}
	case syntax.RShift:
		if b < 0 {
			return nil, raise("ValueError", "negative shift count")
		}
		return a >> min(b, 63), nil
	default:
		return nil, raise("TypeError", "unsupported operand type(s) for %s: 'int' and 'int'", opSymbol(op))
	}
	return nil, errOverflow
}

// errOverflow is an int result beyond 64 bits.
var errOverflow = errors.New("int overflow")

func floatOp(op syntax.Operator, a, b float64) (value, error) {
	switch op {
	case syntax.Add:
		return a + b, nil
	case syntax.Sub:
		return a - b, nil
	case syntax.Mult:
		return a * b, nil
	case syntax.Div:
		if b == 0 {
			return nil, raise("ZeroDivisionError", "float division by zero")
		}
		return a / b, nil
	case syntax.FloorDiv:
		if b == 0 {
			return nil, raise("ZeroDivisionError", "float floor division by zero")
		}
		return math.Floor(a / b), nil
	case syntax.Mod:
		if b == 0 {
			return nil, raise("ZeroDivisionError", "float modulo")
		}
		m := math.Mod(a, b)
		if m != 0 && (m < 0) != (b < 0) {
			m += b
		}
		return m, nil
	case syntax.Pow:
		return math.Pow(a, b), nil
	}
	return nil, raise("TypeError", "unsupported operand type(s) for %s: 'float' and 'float'", opSymbol(op))
}

func opSymbol(op syntax.Operator) string {
	return map[syntax.Operator]string{
		syntax.Add: "+", syntax.Sub: "-", syntax.Mult: "*", syntax.MatMult: "@", syntax.Div: "/",
		syntax.Mod: "%", syntax.Pow: "** or pow()", syntax.LShift: "<<", syntax.RShift: ">>",
		syntax.BitOr: "|", syntax.BitXor: "^", syntax.BitAnd: "&", syntax.FloorDiv: "//",
	}[op]
}

func (x *thread) unary(op syntax.UnaryOperator, v value) (value, error) {
	if _, ok := v.(*dynamic); ok {
		return nil, x.unsupported("this value is known only at run time: gilsim only adds an int to it, prints it or tests it for None")
	}
	switch op {
	case syntax.Not:
		t, err := x.truth(v)
		return !t, err
	case syntax.USub:
		switch v := v.(type) {
		case bool:
			return -boolInt(v), nil
		case int64:
			if v == math.MinInt64 {
				return nil, errOverflow
			}
			return -v, nil
		case float64:
			return -v, nil
		}
	case syntax.UAdd:
		switch v := v.(type) {
		case bool:
			return boolInt(v), nil
		case int64, float64:
			return v, nil
		}
	case syntax.Invert:
		switch v := v.(type) {
		case bool:
			return ^boolInt(v), nil
		case int64:
			return ^v, nil
		}
	}
	return nil, raise("TypeError", "bad operand type for unary operator: '%s'", typeName(v))
}

func (x *thread) compare(e *syntax.Compare, s *scope) (value, error) {
	l, err := x.eval(e.Left, s)
	if err != nil {
		return nil, err
	}
	for i, op := range e.Ops {
		r, err := x.eval(e.Comparators[i], s)
		if err != nil {
			return nil, err
		}
		x.at(e)
		x.charge(x.c.ver.c.compare)
		ok, err := x.cmp(op, l, r)
		if err != nil {
			return nil, err
		}
		if !ok {
			return false, nil
		}
		l = r
	}
	return true, nil
}

func (x *thread) cmp(op syntax.CmpOp, l, r value) (bool, error) {
	_, ld := l.(*dynamic)
	_, rd := r.(*dynamic)
	if ld || rd {
		return false, x.unsupported("this comparison depends on a value another thread makes at run time; gilsim can test such a value only with \"if item is None: break\" in a loop")
	}
	for _, v := range []value{l, r} {
		switch v.(type) {
		case *clockVal, *clockDiff:
			return false, x.unsupported("a reading of the clock is known only at run time: gilsim subtracts one from another, scales the difference by a number and prints it")
		}
	}
	switch op {
	case syntax.Is, syntax.IsNot:
		same := l == r
		switch l.(type) {
		case none, bool:
			same = equal(l, r) && typeName(l) == typeName(r)
		}
		return same == (op == syntax.Is), nil
	case syntax.Eq:
		return equal(l, r), nil
	case syntax.NotEq:
		return !equal(l, r), nil
	case syntax.In, syntax.NotIn:
		in, err := x.contains(r, l)
		return in == (op == syntax.In), err
	}
	c, err := order(l, r)
	if err != nil {
		return false, raise("TypeError", "'%s' not supported between instances of '%s' and '%s'", cmpSymbol(op), typeName(l), typeName(r))
	}
	switch op {
	case syntax.Lt:
		return c < 0, nil
	case syntax.LtE:
		return c <= 0, nil
	case syntax.Gt:
		return c > 0, nil
	}
	return c >= 0, nil
}

func cmpSymbol(op syntax.CmpOp) string {
	return map[syntax.CmpOp]string{syntax.Lt: "<", syntax.LtE: "<=", syntax.Gt: ">", syntax.GtE: ">="}[op]
}

// order compares two values as Python's < does.
func order(l, r value) (int, error) {
	if a, ok := number(l); ok {
		if b, ok := number(r); ok {
			switch {
			case a < b:
				return -1, nil
			case a > b:
				return 1, nil
			}
			return 0, nil
		}
	}
	switch a := l.(type) {
	case string:
		if b, ok := r.(string); ok {
			return strings.Compare(a, b), nil
		}
	case *list:
		if b, ok := r.(*list); ok {
			return orderItems(a.items, b.items)
		}
	case *tuple:
		if b, ok := r.(*tuple); ok {
			return orderItems(a.items, b.items)
		}
	}
	return 0, errors.New("unordered")
}

func orderItems(a, b []value) (int, error) {
	for i := 0; i < len(a) && i < len(b); i++ {
		if equal(a[i], b[i]) {
			continue
		}
		return order(a[i], b[i])
	}
	return len(a) - len(b), nil
}

func (x *thread) contains(container, item value) (bool, error) {
	switch c := container.(type) {
	case string:
		s, ok := item.(string)
		if !ok {
			return false, raise("TypeError", "'in <string>' requires string as left operand, not %s", typeName(item))
		}
		return strings.Contains(c, s), nil
	case *dict:
		for _, k := range c.keys {
			if equal(k, item) {
				return true, nil
			}
		}
		return false, nil
	case *rangeVal:
		n, ok := item.(int64)
		if !ok {
			return false, nil
		}
		for i := range min(c.len(), 1<<20) {
			if c.start+i*c.step == n {
				return true, nil
			}
		}
		return false, nil
	}
	items, err := x.items(container)
	if err != nil {
		return false, err
	}
	for _, v := range items {
		if equal(v, item) {
			return true, nil
		}
	}
	return false, nil
}

// items returns the elements of an iterable.
func (x *thread) items(v value) ([]value, error) {
	switch v := v.(type) {
	case *list:
		return v.items, nil
	case *tuple:
		return v.items, nil
	case *dict:
		return v.keys, nil
	case string:
		var out []value
		for _, r := range v {
			out = append(out, string(r))
		}
		return out, nil
	case bytesVal:
		out := make([]value, len(v))
		for i, b := range v {
			out[i] = int64(b)
		}
		return out, nil
	case *rangeVal:
		n := v.len()
		if n > maxItems {
			return nil, x.unsupported("a range of more than 4 million items made into a list is not simulated")
		}
		out := make([]value, n)
		for i := range n {
			out[i] = v.start + i*v.step
		}
		return out, nil
	case *dynamic:
		return nil, x.unsupported("a value another thread makes at run time cannot be iterated in gilsim")
	case *results:
		out := make([]value, len(v.futures))
		for i, f := range v.futures {
			r, err := x.result(f)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return nil, raise("TypeError", "'%s' object is not iterable", typeName(v))
}

func (x *thread) index(v, k value) (value, error) {
	c := &x.c.ver.c
	switch v := v.(type) {
	case *list, *tuple, string, bytesVal:
		i, ok := k.(int64)
		if b, isBool := k.(bool); isBool {
			i, ok = boolInt(b), true
		}
		if !ok {
			return nil, raise("TypeError", "%s indices must be integers or slices, not %s", typeName(v), typeName(k))
		}
		x.charge(c.listLoad)
		items, err := x.items(v)
		if err != nil {
			return nil, err
		}
		if i < 0 {
			i += int64(len(items))
		}
		if i < 0 || i >= int64(len(items)) {
			return nil, raise("IndexError", "%s index out of range", typeName(v))
		}
		return items[i], nil
	case *dict:
		x.charge(c.dictLoad)
		for j, key := range v.keys {
			if equal(key, k) {
				return v.vals[j], nil
			}
		}
		return nil, raise("KeyError", "%s", repr(k))
	case *dynamic:
		return nil, x.unsupported("a value another thread makes at run time cannot be indexed in gilsim")
	}
	return nil, raise("TypeError", "'%s' object is not subscriptable", typeName(v))
}

func (x *thread) slice(v value, sl *syntax.Slice, s *scope) (value, error) {
	bound := func(e syntax.Expr) (*int64, error) {
		if e == nil {
			return nil, nil
		}
		b, err := x.eval(e, s)
		if err != nil {
			return nil, err
		}
		if _, ok := b.(none); ok {
			return nil, nil
		}
		n, ok := b.(int64)
		if !ok {
			return nil, raise("TypeError", "slice indices must be integers or None or have an __index__ method")
		}
		return &n, nil
	}
	lo, err := bound(sl.Lower)
	if err != nil {
		return nil, err
	}
	hi, err := bound(sl.Upper)
	if err != nil {
		return nil, err
	}
	st, err := bound(sl.Step)
	if err != nil {
		return nil, err
	}
	items, err := x.items(v)
	if err != nil {
		return nil, err
	}
	n := int64(len(items))
	step := int64(1)
	if st != nil {
		step = *st
	}
	if step == 0 {
		return nil, raise("ValueError", "slice step cannot be zero")
	}
	clamp := func(p *int64, def int64) int64 {
		if p == nil {
			return def
		}
		i := *p
		if i < 0 {
			i += n
		}
		if step > 0 {
			return min(max(i, 0), n)
		}
		return min(max(i, -1), n-1)
	}
	var out []value
	if step > 0 {
		for i := clamp(lo, 0); i < clamp(hi, n); i += step {
			out = append(out, items[i])
		}
	} else {
		for i := clamp(lo, n-1); i > clamp(hi, -1); i += step {
			out = append(out, items[i])
		}
	}
	x.charge(x.c.ver.c.listLoad * 2)
	switch v.(type) {
	case string:
		var b strings.Builder
		for _, c := range out {
			b.WriteString(c.(string))
		}
		return b.String(), nil
	case *tuple:
		return &tuple{items: out}, nil
	case bytesVal:
		b := make(bytesVal, len(out))
		for i, c := range out {
			b[i] = byte(c.(int64))
		}
		return b, nil
	}
	return &list{items: out}, nil
}

func (x *thread) setItem(obj, key, v value) error {
	c := &x.c.ver.c
	switch o := obj.(type) {
	case *list:
		i, ok := key.(int64)
		if !ok {
			return raise("TypeError", "list indices must be integers or slices, not %s", typeName(key))
		}
		if i < 0 {
			i += int64(len(o.items))
		}
		if i < 0 || i >= int64(len(o.items)) {
			return raise("IndexError", "list assignment index out of range")
		}
		x.charge(c.listStore)
		o.items[i] = v
		return nil
	case *dict:
		switch key.(type) {
		case *list, *dict:
			return raise("TypeError", "unhashable type: '%s'", typeName(key))
		case *dynamic:
			return x.unsupported("a key another thread makes at run time is not simulated")
		}
		x.charge(c.dictStore)
		for j, k := range o.keys {
			if equal(k, key) {
				o.vals[j] = v
				return nil
			}
		}
		o.keys, o.vals = append(o.keys, key), append(o.vals, v)
		return nil
	}
	return raise("TypeError", "'%s' object does not support item assignment", typeName(obj))
}

func (x *thread) fstring(e *syntax.JoinedStr, s *scope) (value, error) {
	var b strings.Builder
	for _, part := range e.Values {
		switch p := part.(type) {
		case *syntax.Constant:
			b.WriteString(p.Value.(string))
		case *syntax.FormattedValue:
			v, err := x.eval(p.Value, s)
			if err != nil {
				return nil, err
			}
			x.charge(x.c.ver.c.format)
			if d, ok := v.(*dynamic); ok {
				if d.gen < 0 {
					return nil, x.unknown(d)
				}
				if d.gen != x.gen || d.add != 0 || p.FormatSpec != nil || p.Conversion != syntax.NoConversion {
					return nil, x.unsupported("a value known only at run time is printed only as it is, {%s}", d.from)
				}
				b.WriteString(dynHole)
				continue
			}
			spec := ""
			if p.FormatSpec != nil {
				sv, err := x.fstring(p.FormatSpec, s)
				if err != nil {
					return nil, err
				}
				spec = sv.(string)
			}
			if c, ok := v.(*clockVal); ok {
				v = &clockDiff{a: *c, b: clockVal{slot: -1}, scale: 1}
			}
			if d, ok := v.(*clockDiff); ok {
				if !clockSpec(spec) {
					return nil, x.unsupported("an elapsed time is printed with no format or with .Nf, .Ne, .Ng or .N%%, not %q", spec)
				}
				b.WriteString(d.text(spec))
				continue
			}
			switch p.Conversion {
			case syntax.ConvRepr:
				v = repr(v)
			case syntax.ConvStr, syntax.ConvASCII:
				v = str(v)
			}
			out, err := format(v, spec)
			if err != nil {
				return nil, err
			}
			b.WriteString(out)
		}
	}
	return b.String(), nil
}

// clockSpec reports whether a format spec is one the simulation applies
// to an elapsed time: none, or a precision and f, e, g or %.
func clockSpec(spec string) bool {
	if spec == "" {
		return true
	}
	if len(spec) < 3 || spec[0] != '.' || !strings.ContainsRune("feg%", rune(spec[len(spec)-1])) {
		return false
	}
	for _, c := range spec[1 : len(spec)-1] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// dynHole marks where a printed string shows the register.
const dynHole = "{}"

func (x *thread) comprehension(elt syntax.Expr, gens []*syntax.Comprehension, s *scope) (value, error) {
	inner := newScope(s, false)
	if s.module {
		inner.outer = nil
		inner.vars = map[string]value{}
	}
	out := &list{}
	var loop func(int) error
	loop = func(g int) error {
		if g == len(gens) {
			v, err := x.eval(elt, inner)
			if err != nil {
				return err
			}
			x.charge(x.c.ver.c.comprehension)
			out.items = append(out.items, v)
			if len(out.items) > maxItems {
				return x.unsupported("lists longer than 4 million items are not simulated")
			}
			return nil
		}
		gen := gens[g]
		it, err := x.eval(gen.Iter, inner)
		if err != nil {
			return err
		}
		seq, err := x.iterate(it)
		if err != nil {
			return err
		}
	next:
		for i := range seq.n {
			if err := x.spend(); err != nil {
				return err
			}
			item, err := seq.at(i)
			if err != nil {
				return err
			}
			if err := x.assign(gen.Target, item, inner); err != nil {
				return err
			}
			for _, cond := range gen.Ifs {
				v, err := x.eval(cond, inner)
				if err != nil {
					return err
				}
				ok, err := x.truth(v)
				if err != nil {
					return err
				}
				if !ok {
					continue next
				}
			}
			if err := loop(g + 1); err != nil {
				return err
			}
		}
		return nil
	}
	if s.module {
		// A comprehension at module level sees the module's names.
		inner.outer = s
	}
	return out, loop(0)
}
