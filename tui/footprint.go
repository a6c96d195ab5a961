package tui

import (
	"reflect"
	"sync"
)

// footprint is the memory that c holds and o does not share, in bytes: c
// itself, and the capacity of every slice (and map, and pointee) c reaches
// that is not o's at the same place, and what they reach in turn. c is a
// copy of o, such as a clone of a simulation: what the copy shares with
// the original (strings, a slice or a pointer left as it was) costs
// nothing more.
func footprint[T any](c, o *T) int64 {
	cv, ov := reflect.ValueOf(c).Elem(), reflect.ValueOf(o).Elem()
	p := planOf(cv.Type())
	return int64(cv.Type().Size()) + p.walk(cv, ov)
}

// A sizePlan is what footprint looks at in a value of one type: for a
// struct the fields that reach memory of their own, for a slice, map,
// pointer or array its elements' plan. A nil plan reaches nothing.
type sizePlan struct {
	kind   reflect.Kind
	elem   *sizePlan // of a slice's, array's, pointer's or map's elements
	size   int64     // of an element (a map's: key and value)
	fields []fieldPlan
}

type fieldPlan struct {
	index int
	plan  *sizePlan
}

// plans caches the plan of each type footprint has walked.
var plans sync.Map // reflect.Type → *sizePlan

func planOf(t reflect.Type) *sizePlan {
	if p, ok := plans.Load(t); ok {
		return p.(*sizePlan)
	}
	p := buildPlan(t, map[reflect.Type]*sizePlan{})
	plans.Store(t, p)
	return p
}

// buildPlan makes the plan of t; seen holds the plans being built, so
// that a type that reaches itself through a pointer ends.
func buildPlan(t reflect.Type, seen map[reflect.Type]*sizePlan) *sizePlan {
	if p, ok := seen[t]; ok {
		return p
	}
	p := &sizePlan{kind: t.Kind()}
	seen[t] = p
	switch t.Kind() {
	case reflect.Slice, reflect.Pointer:
		p.elem, p.size = buildPlan(t.Elem(), seen), int64(t.Elem().Size())
	case reflect.Map:
		p.size = int64(t.Key().Size() + t.Elem().Size())
	case reflect.Array:
		if p.elem = buildPlan(t.Elem(), seen); p.elem == nil {
			delete(seen, t)
			return nil
		}
	case reflect.Struct:
		for i := range t.NumField() {
			if f := buildPlan(t.Field(i).Type, seen); f != nil {
				p.fields = append(p.fields, fieldPlan{index: i, plan: f})
			}
		}
		if len(p.fields) == 0 {
			delete(seen, t)
			return nil
		}
	default:
		delete(seen, t)
		return nil
	}
	return p
}

// walk sums what c reaches and o does not share; o is the invalid Value
// when c's place has no counterpart, so that all it reaches is its own.
func (p *sizePlan) walk(c, o reflect.Value) int64 {
	if p == nil {
		return 0
	}
	var n int64
	switch p.kind {
	case reflect.Struct:
		for _, f := range p.fields {
			var of reflect.Value
			if o.IsValid() {
				of = o.Field(f.index)
			}
			n += f.plan.walk(c.Field(f.index), of)
		}
	case reflect.Array:
		for i := range c.Len() {
			var oi reflect.Value
			if o.IsValid() {
				oi = o.Index(i)
			}
			n += p.elem.walk(c.Index(i), oi)
		}
	case reflect.Slice:
		if c.Cap() == 0 || o.IsValid() && o.Cap() > 0 && c.Pointer() == o.Pointer() {
			return 0
		}
		n = int64(c.Cap()) * p.size
		if p.elem != nil {
			for i := range c.Len() {
				n += p.elem.walk(c.Index(i), reflect.Value{})
			}
		}
	case reflect.Pointer:
		if c.IsNil() || o.IsValid() && c.Pointer() == o.Pointer() {
			return 0
		}
		var oe reflect.Value
		if o.IsValid() && !o.IsNil() {
			oe = o.Elem()
		}
		n = p.size + p.elem.walk(c.Elem(), oe)
	case reflect.Map:
		if c.IsNil() || o.IsValid() && c.Pointer() == o.Pointer() {
			return 0
		}
		// A map's buckets: about twice its entries' size, keys and values
		// reaching nothing of their own.
		n = 2 * int64(c.Len()) * p.size
	}
	return n
}
