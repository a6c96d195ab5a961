package syntax

import (
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Dump returns a multi-line debug rendering of a node and everything
// under it, in the manner of Python's ast.dump(node, indent=2): each node
// is its type name, its position as "@line:col" (statements
// "@line:col-endline:endcol"), and its fields that are not empty or zero.
// A node whose fields are all plain values fits on one line; indentation
// stops growing 100 levels deep. Values are
// written as Python would: 'str', b'bytes', None, True, 1.5. The output
// is the same for the same tree.
func Dump(n Node) string {
	var d dumper
	d.value(reflect.ValueOf(n), 0)
	return d.b.String()
}

type dumper struct{ b strings.Builder }

var (
	typeAny   = reflect.TypeFor[any]()
	typeSpan  = reflect.TypeFor[Span]()
	typePos   = reflect.TypeFor[Pos]()
	typeBig   = reflect.TypeFor[*big.Int]()
	typeNode  = reflect.TypeFor[Node]()
	typeBytes = reflect.TypeFor[[]byte]()
)

type field struct {
	name string
	v    reflect.Value
}

// maxDumpIndent caps the indentation of Dump, so that its output grows
// linearly with the tree even for very deep trees (long elif chains).
const maxDumpIndent = 100

func (d *dumper) indent(n int) {
	d.b.WriteByte('\n')
	d.b.WriteString(strings.Repeat("  ", min(n, maxDumpIndent)))
}

// value writes v, which is at indentation depth.
func (d *dumper) value(v reflect.Value, depth int) {
	switch {
	case !v.IsValid():
		d.b.WriteString("None")
	case v.Type() == typeBig:
		d.b.WriteString(v.Interface().(*big.Int).String())
	case v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer:
		if v.IsNil() {
			d.b.WriteString("None")
			return
		}
		if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
			d.node(v, depth)
			return
		}
		d.value(v.Elem(), depth)
	case v.Type() == typeBytes:
		d.b.WriteString(BytesRepr(v.Bytes()))
	case v.Kind() == reflect.Slice:
		d.list(v, depth)
	case v.Kind() == reflect.Map:
		d.comments(v, depth)
	default:
		d.b.WriteString(scalar(v))
	}
}

// node writes a node: its name, position and fields.
func (d *dumper) node(v reflect.Value, depth int) {
	if v.Type() == reflect.TypeFor[*File]() {
		d.b.WriteString("File")
	} else {
		d.b.WriteString(v.Elem().Type().Name())
		if n, ok := v.Interface().(Node); ok {
			fmt.Fprintf(&d.b, "@%s", n.Position())
		}
		if s, ok := v.Interface().(interface{ EndPos() Pos }); ok {
			fmt.Fprintf(&d.b, "-%s", s.EndPos())
		}
	}
	fields, inline := nodeFields(v.Elem())
	d.b.WriteByte('(')
	for i, f := range fields {
		if i > 0 {
			d.b.WriteByte(',')
			if inline {
				d.b.WriteByte(' ')
			}
		}
		if !inline {
			d.indent(depth + 1)
		}
		d.b.WriteString(f.name + "=")
		d.value(f.v, depth+1)
	}
	d.b.WriteByte(')')
}

// nodeFields returns the fields of a node worth showing, and whether they
// are all plain values.
func nodeFields(s reflect.Value) (fields []field, inline bool) {
	inline = true
	for i := range s.NumField() {
		sf := s.Type().Field(i)
		if sf.Type == typeSpan || sf.Type == typePos {
			continue
		}
		v := s.Field(i)
		if v.IsZero() && sf.Type != typeAny || (v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.Len() == 0 {
			continue
		}
		fields = append(fields, field{sf.Name, v})
		if !isPlain(v) {
			inline = false
		}
	}
	return fields, inline
}

// isPlain reports whether v is written without nodes in it.
func isPlain(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Interface:
		return v.IsNil() || !v.Elem().Type().Implements(typeNode)
	case reflect.Pointer:
		return v.IsNil() || v.Type() == typeBig
	case reflect.Slice:
		return v.Type() == typeBytes || v.Type().Elem().Kind() != reflect.Pointer && v.Type().Elem().Kind() != reflect.Interface
	case reflect.Map:
		return false
	}
	return true
}

// list writes a slice: nodes one per line, plain values on one line.
func (d *dumper) list(v reflect.Value, depth int) {
	d.b.WriteByte('[')
	plain := isPlain(v)
	for i := range v.Len() {
		if i > 0 {
			d.b.WriteByte(',')
			if plain {
				d.b.WriteByte(' ')
			}
		}
		if !plain {
			d.indent(depth + 1)
		}
		d.value(v.Index(i), depth+1)
	}
	d.b.WriteByte(']')
}

// comments writes File.Comments, one line each in line order.
func (d *dumper) comments(v reflect.Value, depth int) {
	lines := make([]int, 0, v.Len())
	for _, k := range v.MapKeys() {
		lines = append(lines, int(k.Int()))
	}
	slices.Sort(lines)
	d.b.WriteByte('{')
	for i, line := range lines {
		if i > 0 {
			d.b.WriteByte(',')
		}
		d.indent(depth + 1)
		fmt.Fprintf(&d.b, "%d: %s", line, StrRepr(v.MapIndex(reflect.ValueOf(line)).String()))
	}
	d.b.WriteByte('}')
}

// scalar writes a plain value as Python would.
func scalar(v reflect.Value) string {
	if s, ok := v.Interface().(fmt.Stringer); ok {
		return s.String()
	}
	switch v.Kind() {
	case reflect.String:
		return StrRepr(v.String())
	case reflect.Bool:
		if v.Bool() {
			return "True"
		}
		return "False"
	case reflect.Int, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float64:
		return FloatRepr(v.Float())
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[EllipsisType]() {
			return "Ellipsis"
		}
	}
	return fmt.Sprint(v.Interface())
}
