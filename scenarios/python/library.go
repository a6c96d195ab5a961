package python

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gilsim/gilsim/scenarios/python/syntax"
)

// supportedModules are the modules a program may import.
var supportedModules = []string{"threading", "multiprocessing", "concurrent.futures", "queue", "asyncio", "time", "socket", "random", "os"}

// fn makes a built-in function.
func fn(name string, f func(x *thread, args []value, kw map[string]value) (value, error)) *builtin {
	return &builtin{name: name, fn: f}
}

// notSimulated makes a built-in that refuses to be called, saying why.
func notSimulated(name, why string) *builtin {
	return fn(name, func(x *thread, _ []value, _ map[string]value) (value, error) {
		return nil, x.unsupported("%s is not simulated%s", name, why)
	})
}

// arity checks a built-in's positional arguments.
func arity(name string, args []value, lo, hi int) error {
	if len(args) < lo || len(args) > hi {
		if lo == hi {
			return raise("TypeError", "%s() takes exactly %d argument(s) (%d given)", name, lo, len(args))
		}
		return raise("TypeError", "%s() takes from %d to %d arguments (%d given)", name, lo, hi, len(args))
	}
	return nil
}

var builtins map[string]value

func init() {
	builtins = map[string]value{
		"print": fn("print", func(x *thread, a []value, kw map[string]value) (value, error) { return x.print(a, kw) }),
		"len": fn("len", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("len", a, 1, 1); err != nil {
				return nil, err
			}
			switch v := a[0].(type) {
			case string:
				return int64(len([]rune(v))), nil
			case *rangeVal:
				return v.len(), nil
			case *dict:
				return int64(len(v.keys)), nil
			case *dynamic:
				return nil, x.unsupported("len() of a value another thread makes at run time is not simulated")
			case *list, *tuple, bytesVal:
				items, _ := x.items(v)
				return int64(len(items)), nil
			}
			return nil, raise("TypeError", "object of type '%s' has no len()", typeName(a[0]))
		}),
		"range": fn("range", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("range", a, 1, 3); err != nil {
				return nil, err
			}
			n := make([]int64, len(a))
			for i, v := range a {
				k, ok := v.(int64)
				if b, isBool := v.(bool); isBool {
					k, ok = boolInt(b), true
				}
				if !ok {
					if _, dyn := v.(*dynamic); dyn {
						return nil, x.unsupported("range() of a value another thread makes at run time is not simulated")
					}
					return nil, raise("TypeError", "'%s' object cannot be interpreted as an integer", typeName(v))
				}
				n[i] = k
			}
			r := &rangeVal{step: 1}
			switch len(n) {
			case 1:
				r.stop = n[0]
			case 2:
				r.start, r.stop = n[0], n[1]
			default:
				r.start, r.stop, r.step = n[0], n[1], n[2]
			}
			if r.step == 0 {
				return nil, raise("ValueError", "range() arg 3 must not be zero")
			}
			return r, nil
		}),
		"str": fn("str", func(x *thread, a []value, _ map[string]value) (value, error) { return conv1(x, "str", a, "", strValue) }),
		"repr": fn("repr", func(x *thread, a []value, _ map[string]value) (value, error) {
			return conv1(x, "repr", a, nil, reprValue)
		}),
		"int": fn("int", func(x *thread, a []value, _ map[string]value) (value, error) {
			return conv1(x, "int", a, int64(0), toInt)
		}),
		"float": fn("float", func(x *thread, a []value, _ map[string]value) (value, error) {
			return conv1(x, "float", a, 0.0, toFloat)
		}),
		"bool": fn("bool", func(x *thread, a []value, _ map[string]value) (value, error) {
			if len(a) == 0 {
				return false, nil
			}
			return x.truth(a[0])
		}),
		"abs": fn("abs", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("abs", a, 1, 1); err != nil {
				return nil, err
			}
			switch v := a[0].(type) {
			case int64:
				if v < 0 {
					return x.unary(syntax.USub, v)
				}
				return v, nil
			case float64:
				return math.Abs(v), nil
			}
			return nil, raise("TypeError", "bad operand type for abs(): '%s'", typeName(a[0]))
		}),
		"round": fn("round", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("round", a, 1, 2); err != nil {
				return nil, err
			}
			f, ok := number(a[0])
			if !ok {
				return nil, raise("TypeError", "type %s doesn't define __round__ method", typeName(a[0]))
			}
			if len(a) == 1 {
				return int64(math.RoundToEven(f)), nil
			}
			d, _ := a[1].(int64)
			p := math.Pow(10, float64(d))
			return math.RoundToEven(f*p) / p, nil
		}),
		"list": fn("list", func(x *thread, a []value, _ map[string]value) (value, error) {
			if len(a) == 0 {
				return &list{}, nil
			}
			items, err := x.items(a[0])
			return &list{items: slices.Clone(items)}, err
		}),
		"tuple": fn("tuple", func(x *thread, a []value, _ map[string]value) (value, error) {
			if len(a) == 0 {
				return &tuple{}, nil
			}
			items, err := x.items(a[0])
			return &tuple{items: slices.Clone(items)}, err
		}),
		"dict": fn("dict", func(x *thread, a []value, kw map[string]value) (value, error) {
			d := &dict{}
			for _, k := range sortedKeys(kw) {
				d.keys, d.vals = append(d.keys, k), append(d.vals, kw[k])
			}
			return d, nil
		}),
		"sum": fn("sum", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("sum", a, 1, 2); err != nil {
				return nil, err
			}
			items, err := x.items(a[0])
			if err != nil {
				return nil, err
			}
			var total value = int64(0)
			if len(a) == 2 {
				total = a[1]
			}
			for _, v := range items {
				if total, err = x.binop(syntax.Add, total, v, false); err != nil {
					return nil, err
				}
			}
			return total, nil
		}),
		"min": fn("min", func(x *thread, a []value, _ map[string]value) (value, error) { return extreme(x, "min", a, -1) }),
		"max": fn("max", func(x *thread, a []value, _ map[string]value) (value, error) { return extreme(x, "max", a, 1) }),
		"sorted": fn("sorted", func(x *thread, a []value, kw map[string]value) (value, error) {
			if err := arity("sorted", a, 1, 1); err != nil {
				return nil, err
			}
			items, err := x.items(a[0])
			if err != nil {
				return nil, err
			}
			out := slices.Clone(items)
			var bad error
			slices.SortStableFunc(out, func(p, q value) int {
				c, err := order(p, q)
				if err != nil {
					bad = raise("TypeError", "'<' not supported between instances of '%s' and '%s'", typeName(p), typeName(q))
				}
				return c
			})
			if rev, ok := kw["reverse"]; ok {
				if r, _ := truthy(rev); r {
					slices.Reverse(out)
				}
			}
			return &list{items: out}, bad
		}),
		"enumerate": fn("enumerate", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("enumerate", a, 1, 2); err != nil {
				return nil, err
			}
			items, err := x.items(a[0])
			if err != nil {
				return nil, err
			}
			start := int64(0)
			if len(a) == 2 {
				start, _ = a[1].(int64)
			}
			out := &list{}
			for i, v := range items {
				out.items = append(out.items, &tuple{items: []value{start + int64(i), v}})
			}
			return out, nil
		}),
		"zip": fn("zip", func(x *thread, a []value, _ map[string]value) (value, error) {
			var cols [][]value
			for _, v := range a {
				items, err := x.items(v)
				if err != nil {
					return nil, err
				}
				cols = append(cols, items)
			}
			out := &list{}
			for i := 0; len(cols) > 0; i++ {
				row := &tuple{}
				for _, c := range cols {
					if i >= len(c) {
						return out, nil
					}
					row.items = append(row.items, c[i])
				}
				out.items = append(out.items, row)
			}
			return out, nil
		}),
		"isinstance": fn("isinstance", func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("isinstance", a, 2, 2); err != nil {
				return nil, err
			}
			switch c := a[1].(type) {
			case *builtin:
				return typeName(a[0]) == c.name, nil
			case *class:
				o, ok := a[0].(*instance)
				return ok && (o.cls == c || lookupAttr(o.cls, "") == nil && inherits(o.cls, c)), nil
			}
			return nil, x.unsupported("isinstance with this second argument is not simulated")
		}),
		"super": fn("super", func(x *thread, a []value, _ map[string]value) (value, error) {
			if len(x.selves) == 0 {
				return nil, raise("RuntimeError", "super(): no arguments")
			}
			return &superProxy{frame: x.selves[len(x.selves)-1]}, nil
		}),
		"iter":  notSimulated("iter()", " except as iter(q.get, None) in a for loop"),
		"input": notSimulated("input()", ": a simulated program reads no input"),
		"open":  notSimulated("open()", ": files are not simulated; the socket module is"),
		"object": &builtin{name: "object", fn: func(x *thread, _ []value, _ map[string]value) (value, error) {
			return &instance{cls: &class{name: "object"}, attrs: map[string]value{}}, nil
		}},
		"None": none{},
	}
	for name := range excBases {
		builtins[name] = &excClass{name: name}
	}
	delete(builtins, "Empty")
	delete(builtins, "Full")
	delete(builtins, "CancelledError")
}

func inherits(c, base *class) bool {
	if c == base {
		return true
	}
	for _, b := range c.bases {
		if inherits(b, base) {
			return true
		}
	}
	return false
}

func conv1(x *thread, name string, a []value, zero value, f func(*thread, value) (value, error)) (value, error) {
	if len(a) == 0 && zero != nil {
		return zero, nil
	}
	if err := arity(name, a, 1, 1); err != nil {
		return nil, err
	}
	if d, ok := a[0].(*dynamic); ok {
		if name == "str" && d.gen == x.gen && d.add == 0 {
			return dynHole, nil
		}
		return nil, x.unsupported("%s() of a value another thread makes at run time is not simulated", name)
	}
	return f(x, a[0])
}

func strValue(_ *thread, v value) (value, error)  { return str(v), nil }
func reprValue(_ *thread, v value) (value, error) { return repr(v), nil }

func toInt(_ *thread, v value) (value, error) {
	switch v := v.(type) {
	case bool:
		return boolInt(v), nil
	case int64:
		return v, nil
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) || math.Abs(v) > 9e18 {
			return nil, raise("OverflowError", "cannot convert float to integer")
		}
		return int64(v), nil
	case string:
		n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(v), "_", ""), 10, 64)
		if err != nil {
			return nil, raise("ValueError", "invalid literal for int() with base 10: %s", syntax.StrRepr(v))
		}
		return n, nil
	}
	return nil, raise("TypeError", "int() argument must be a string, a bytes-like object or a real number, not '%s'", typeName(v))
}

func toFloat(_ *thread, v value) (value, error) {
	if f, ok := number(v); ok {
		return f, nil
	}
	if s, ok := v.(string); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return nil, raise("ValueError", "could not convert string to float: %s", syntax.StrRepr(s))
		}
		return f, nil
	}
	return nil, raise("TypeError", "float() argument must be a string or a real number, not '%s'", typeName(v))
}

func extreme(x *thread, name string, a []value, sign int) (value, error) {
	items := a
	if len(a) == 1 {
		var err error
		if items, err = x.items(a[0]); err != nil {
			return nil, err
		}
	}
	if len(items) == 0 {
		return nil, raise("ValueError", "%s() arg is an empty sequence", name)
	}
	best := items[0]
	for _, v := range items[1:] {
		c, err := order(v, best)
		if err != nil {
			return nil, raise("TypeError", "'<' not supported between instances of '%s' and '%s'", typeName(v), typeName(best))
		}
		if c*sign > 0 {
			best = v
		}
	}
	return best, nil
}

// superProxy is what super() returns in a method.
type superProxy struct{ frame selfFrame }

// selfFrame is a method being compiled: its instance and its class.
type selfFrame struct {
	self *instance
	cls  *class
}

// importStmt compiles import statements.
func (x *thread) importStmt(st *syntax.Import, s *scope) error {
	for _, a := range st.Names {
		top, _, _ := strings.Cut(a.Name, ".")
		x.at(a)
		m, err := x.importModule(a.Name)
		if err != nil {
			return err
		}
		if a.AsName != "" {
			if err := x.setName(a.AsName, m, s); err != nil {
				return err
			}
			continue
		}
		if top != a.Name {
			m, _ = x.importModule(top)
		}
		if err := x.setName(top, m, s); err != nil {
			return err
		}
	}
	return nil
}

func (x *thread) importFrom(st *syntax.ImportFrom, s *scope) error {
	if st.Module == "__future__" {
		return nil
	}
	m, err := x.importModule(st.Module)
	if err != nil {
		return err
	}
	for _, a := range st.Names {
		if a.Name == "*" {
			for _, k := range sortedKeys(m.attrs) {
				if err := x.setName(k, m.attrs[k], s); err != nil {
					return err
				}
			}
			continue
		}
		v, ok := m.attrs[a.Name]
		if !ok {
			return raise("ImportError", "cannot import name '%s' from '%s'", a.Name, st.Module)
		}
		name := a.Name
		if a.AsName != "" {
			name = a.AsName
		}
		if err := x.setName(name, v, s); err != nil {
			return err
		}
	}
	return nil
}

// importModule returns a module, charging its import the first time a
// process imports it.
func (x *thread) importModule(name string) (*module, error) {
	m, ok := x.c.library(name)
	if !ok {
		return nil, x.unsupported("%s is not simulated (supported modules: %s)", name, strings.Join(supportedModules, ", "))
	}
	if name == "asyncio" && !x.c.ver.Async {
		return nil, x.unsupported("asyncio needs Python 3: simulate it with --python 3.9 or later")
	}
	key := varKey{x.proc, name}
	if !x.c.imported[key] {
		x.c.imported[key] = true
		x.charge(x.c.ver.c.imports[name])
	}
	return m, nil
}

// pragma returns the duration the comment on the current line sets
// ("# gilsim: 250ms"), or def.
func (x *thread) pragma(def time.Duration) (time.Duration, error) {
	c, ok := x.c.file.Comments[x.line]
	if !ok {
		return def, nil
	}
	v, ok := strings.CutPrefix(c, "gilsim:")
	if !ok {
		return def, nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d < 0 || d > time.Hour {
		return 0, x.unsupported("the pragma %q sets no duration (write one from 0 to 1h, such as # gilsim: 250ms)", "#"+c)
	}
	return d, nil
}

// seconds converts a number of seconds to a duration.
func (x *thread) seconds(v value, what string) (time.Duration, error) {
	f, ok := number(v)
	if !ok {
		if _, dyn := v.(*dynamic); dyn {
			return 0, x.unsupported("%s of a value another thread makes at run time is not simulated", what)
		}
		return 0, raise("TypeError", "'%s' object cannot be interpreted as an integer", typeName(v))
	}
	if f < 0 {
		return 0, raise("ValueError", "sleep length must be non-negative")
	}
	if f > 3600 {
		return 0, x.unsupported("%s longer than an hour is not simulated", what)
	}
	return time.Duration(f * float64(time.Second)), nil
}

// maxWidth bounds the width and precision of a formatted field: CPython
// would try to allocate what is asked and run out of memory.
const maxWidth = 1 << 16

// format is format(v, spec) for the specs f-strings use most.
func format(v value, spec string) (string, error) {
	if spec == "" {
		return str(v), nil
	}
	fill, align, sign, width, comma, prec, kind := parseSpec(spec)
	if width > maxWidth || prec > maxWidth {
		return "", raise("MemoryError", "a field of more than %d characters", maxWidth)
	}
	var s string
	switch {
	case kind == 'f' || kind == 'e' || kind == '%' || kind == 'g' || prec >= 0 && kind == 0:
		f, ok := number(v)
		if !ok {
			return "", raise("ValueError", "Unknown format code '%c' for object of type '%s'", max(kind, 'f'), typeName(v))
		}
		p := prec
		if p < 0 {
			p = 6
		}
		switch kind {
		case '%':
			s = strconv.FormatFloat(f*100, 'f', p, 64) + "%"
		case 'e':
			s = strconv.FormatFloat(f, 'e', p, 64)
		case 'g', 0:
			s = strconv.FormatFloat(f, 'g', p, 64)
		default:
			s = strconv.FormatFloat(f, 'f', p, 64)
		}
		if comma {
			s = commas(s)
		}
	case kind == 'd':
		n, ok := v.(int64)
		if !ok {
			return "", raise("ValueError", "Unknown format code 'd' for object of type '%s'", typeName(v))
		}
		s = strconv.FormatInt(n, 10)
		if comma {
			s = commas(s)
		}
	case kind == 's' || kind == 0:
		s = str(v)
		if n, ok := v.(int64); ok && comma {
			s = commas(strconv.FormatInt(n, 10))
		}
	default:
		return "", raise("ValueError", "Unknown format code '%c'", kind)
	}
	if sign == '+' && !strings.HasPrefix(s, "-") {
		if _, ok := number(v); ok {
			s = "+" + s
		}
	}
	if pad := width - len([]rune(s)); pad > 0 {
		if align == 0 {
			align = '<'
			if _, ok := number(v); ok {
				align = '>'
			}
		}
		f := strings.Repeat(string(fill), pad)
		switch align {
		case '>':
			s = f + s
		case '^':
			s = strings.Repeat(string(fill), pad/2) + s + strings.Repeat(string(fill), pad-pad/2)
		default:
			s += f
		}
	}
	return s, nil
}

func parseSpec(spec string) (fill rune, align rune, sign rune, width int, comma bool, prec int, kind rune) {
	fill, prec = ' ', -1
	r := []rune(spec)
	i := 0
	if len(r) >= 2 && strings.ContainsRune("<>^=", r[1]) {
		fill, align, i = r[0], r[1], 2
	} else if len(r) >= 1 && strings.ContainsRune("<>^=", r[0]) {
		align, i = r[0], 1
	}
	if i < len(r) && (r[i] == '+' || r[i] == '-' || r[i] == ' ') {
		sign = r[i]
		i++
	}
	if i < len(r) && r[i] == '0' {
		fill, align = '0', '>'
		i++
	}
	for i < len(r) && r[i] >= '0' && r[i] <= '9' {
		width = min(width*10+int(r[i]-'0'), maxWidth+1)
		i++
	}
	if i < len(r) && (r[i] == ',' || r[i] == '_') {
		comma = true
		i++
	}
	if i < len(r) && r[i] == '.' {
		i++
		prec = 0
		for i < len(r) && r[i] >= '0' && r[i] <= '9' {
			prec = min(prec*10+int(r[i]-'0'), maxWidth+1)
			i++
		}
	}
	if i < len(r) {
		kind = r[i]
	}
	return
}

// commas groups the digits of a formatted number by thousands.
func commas(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// percent is "fmt" % args for %s, %d, %r and %f.
func percent(f string, args value) (value, error) {
	var vals []value
	if t, ok := args.(*tuple); ok {
		vals = t.items
	} else {
		vals = []value{args}
	}
	var b strings.Builder
	k := 0
	r := []rune(f)
	for i := 0; i < len(r); i++ {
		if r[i] != '%' {
			b.WriteRune(r[i])
			continue
		}
		j := i + 1
		for j < len(r) && strings.ContainsRune("0123456789.-+ ", r[j]) {
			j++
		}
		if j >= len(r) {
			return nil, raise("ValueError", "incomplete format")
		}
		if r[j] == '%' {
			b.WriteByte('%')
			i = j
			continue
		}
		if k >= len(vals) {
			return nil, raise("TypeError", "not enough arguments for format string")
		}
		v := vals[k]
		k++
		spec := string(r[i+1 : j])
		var s string
		var err error
		switch r[j] {
		case 's':
			s, err = format(str(v), strings.TrimPrefix(spec, "-"))
			if strings.HasPrefix(spec, "-") {
				s, err = format(str(v), "<"+spec[1:])
			}
		case 'r':
			s = repr(v)
		case 'd', 'i':
			n, ok := number(v)
			if !ok {
				return nil, raise("TypeError", "%%d format: a real number is required, not %s", typeName(v))
			}
			s, err = format(int64(n), spec+"d")
		case 'f':
			s, err = format(v, spec+"f")
		default:
			return nil, raise("ValueError", "unsupported format character '%c'", r[j])
		}
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
		i = j
	}
	if k < len(vals) {
		return nil, raise("TypeError", "not all arguments converted during string formatting")
	}
	return b.String(), nil
}
