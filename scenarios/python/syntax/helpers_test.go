package syntax

import (
	"os"
	"reflect"
	"testing"
)

// mustParse parses src or fails the test.
func mustParse(t *testing.T, name, src string) *File {
	t.Helper()
	f, err := Parse(name, []byte(src))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return f
}

// mustParseFile parses a file of testdata or fails the test.
func mustParseFile(t *testing.T, path string) *File {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return mustParse(t, path, string(src))
}

var nodeType = reflect.TypeFor[Node]()

// walk calls fn for n and every node under it, in source order.
func walk(n any, fn func(Node)) {
	walkValue(reflect.ValueOf(n), fn)
}

func walkValue(v reflect.Value, fn func(Node)) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			walkValue(v.Elem(), fn)
		}
	case reflect.Pointer:
		if v.IsNil() || v.Elem().Kind() != reflect.Struct {
			return
		}
		if v.Type().Implements(nodeType) {
			fn(v.Interface().(Node))
		}
		walkValue(v.Elem(), fn)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkValue(v.Field(i), fn)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := range v.Len() {
			walkValue(v.Index(i), fn)
		}
	}
}

// all returns the nodes of type T in n, in source order.
func all[T Node](n any) []T {
	var out []T
	walk(n, func(n Node) {
		if x, ok := n.(T); ok {
			out = append(out, x)
		}
	})
	return out
}

// callName returns "a.b.c" for a call of a.b.c(...), else "".
func callName(e Expr) string {
	c, ok := e.(*Call)
	if !ok {
		return ""
	}
	return dotted(c.Func)
}

// dotted returns "a.b.c" for the expression a.b.c, else "".
func dotted(e Expr) string {
	switch e := e.(type) {
	case *Name:
		return e.ID
	case *Attribute:
		if base := dotted(e.Value); base != "" {
			return base + "." + e.Attr
		}
	}
	return ""
}
