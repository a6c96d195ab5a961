package python

import (
	"errors"
	"slices"
	"time"

	"github.com/gilsim/gilsim/scenarios/python/syntax"
	"github.com/gilsim/gilsim/sim"
)

// Loops are compiled by running their iterations, and the iterations
// that made the same ops as the one before are folded into one loop op
// (a loop of nothing but Python into one Python op, its back-edges its
// check points). A loop too long to run one iteration at a time (more
// than a few thousand iterations) is fast-forwarded once two iterations
// in a row made the same ops, when its body can do nothing else: no if,
// no call of the program's own functions, nothing that reads what the
// loop changes except "n -= 1" and the like, whose effect is then added
// up. "while n > 0: n -= 1" over 20 million iterations compiles in
// microseconds to one op of 20 million iterations' CPU.

// fold gathers the iterations of one loop as runs of identical ones.
type fold struct {
	x     *thread
	line  int
	start int      // where the current run's first iteration begins
	body  sim.Code // the ops of one iteration of the current run
	count int64    // iterations in the current run
	iter  int      // where the iteration being compiled begins
}

func (x *thread) newFold(line int) *fold {
	x.flush()
	return &fold{x: x, line: line, start: len(x.code), iter: len(x.code)}
}

// begin marks the start of an iteration.
func (f *fold) begin() {
	f.x.flush()
	f.iter = len(f.x.code)
}

// end closes an iteration: its back-edge is a check point.
func (f *fold) end() error {
	x := f.x
	x.flush()
	if err := x.emit(sim.CheckPoint(f.line)); err != nil {
		return err
	}
	it := x.code[f.iter:]
	if f.count > 0 && slices.Equal(it, f.body) {
		x.code = x.code[:f.iter]
		f.count++
		return nil
	}
	it = slices.Clone(it)
	x.code = append(x.code[:f.start], fold1(f.line, f.body, f.count)...)
	f.start = len(x.code)
	x.code = append(x.code, it...)
	f.body, f.count = it, 1
	return nil
}

// close ends the loop: the last run is folded.
func (f *fold) close() {
	x := f.x
	x.flush()
	tail := slices.Clone(x.code[f.start+len(f.body):])
	x.code = append(append(x.code[:f.start], fold1(f.line, f.body, f.count)...), tail...)
	f.body, f.count = nil, 0
	f.start = len(x.code)
}

// fold1 returns n iterations of body, whose last op is its back-edge.
func fold1(line int, body sim.Code, n int64) sim.Code {
	if n == 0 {
		return nil
	}
	if n == 1 {
		return body
	}
	inner := body[:len(body)-1]
	var cpu, check time.Duration
	pure := len(inner) > 0
	for _, op := range inner {
		if op.Kind != sim.OpPython {
			pure = false
			break
		}
		cpu += op.Dur
		if op.Check > 0 && (check == 0 || op.Check < check) {
			check = op.Check
		}
	}
	if pure {
		if check == 0 {
			check = cpu
		}
		return sim.Python(int(inner[0].Line), time.Duration(n)*cpu, check)
	}
	return sim.Loop(line, n, inner)
}

// forLoop compiles a for statement.
func (x *thread) forLoop(st *syntax.For, s *scope) error {
	if st.Async {
		return x.unsupported("async for is not simulated")
	}
	if q, ok := iterQueue(st, s); ok {
		return x.runLoop(st.Line, s, st.Body, func() error { return x.getBreak(st, q, s) })
	}
	it, err := x.eval(st.Iter, s)
	if err != nil {
		return err
	}
	seq, err := x.iterate(it)
	if err != nil {
		return err
	}
	c := &x.c.ver.c
	f := x.newFold(st.Line)
	broke := false
	for i := int64(0); i < seq.n; i++ {
		if err := x.spend(); err != nil {
			return err
		}
		f.begin()
		x.at(st)
		x.charge(c.rangeIter)
		item, err := seq.at(i)
		if err != nil {
			return err
		}
		if err := x.assign(st.Target, item, s); err != nil {
			return err
		}
		before := x.snapshot(s)
		err = x.run(st.Body, s)
		if errors.Is(err, errBreak) {
			broke = true
			x.flush()
			break
		}
		if err != nil && !errors.Is(err, errContinue) {
			return err
		}
		if err := f.end(); err != nil {
			return err
		}
		if left := seq.n - i - 1; fastForward > 0 && left > fastForward && f.count >= 2 && x.uniform(st.Body, s, targetNames(st.Target), before) {
			if jump := x.safeJump(s, left); jump > fastForward {
				f.count += jump
				x.advance(s, jump)
				i += jump
				if i == seq.n-1 {
					item, err := seq.at(i)
					if err != nil {
						return err
					}
					if err := x.assign(st.Target, item, s); err != nil {
						return err
					}
				}
			}
		}
	}
	f.close()
	if !broke {
		return x.run(st.OrElse, s)
	}
	return nil
}

// fastForward is how many iterations a loop must have left before its
// uniform iterations are added up rather than run; 0 runs every one.
var fastForward int64 = 1000

// spend counts an iteration run while compiling.
func (x *thread) spend() error {
	x.c.iters++
	if x.c.iters > maxIterations {
		return x.unsupported("the loops run more than %d iterations that differ from one another; gilsim adds up only loops whose iterations all do the same", maxIterations)
	}
	return nil
}

// whileLoop compiles a while statement.
func (x *thread) whileLoop(st *syntax.While, s *scope) error {
	if forever(st.Test) {
		if hasBreakIfNone(st.Body) {
			return x.runLoop(st.Line, s, st.Body, nil)
		}
	}
	c := &x.c.ver.c
	f := x.newFold(st.Line)
	broke := false
	for {
		if err := x.spend(); err != nil {
			return err
		}
		f.begin()
		x.at(st)
		x.charge(c.whileIter)
		v, err := x.eval(st.Test, s)
		if err != nil {
			return err
		}
		// Even "while True" jumps back: a pass costs at least a simple
		// statement.
		x.cost = max(x.cost, c.stmt)
		ok, err := x.truth(v)
		if err != nil {
			return err
		}
		if !ok {
			x.flush()
			break
		}
		before := x.snapshot(s)
		err = x.run(st.Body, s)
		if errors.Is(err, errBreak) {
			broke = true
			x.flush()
			break
		}
		if err != nil && !errors.Is(err, errContinue) {
			return err
		}
		if err := f.end(); err != nil {
			return err
		}
		if f.count >= 2 && x.uniform(st.Body, s, nil, before) {
			left, endless, err := x.remaining(st.Test, s)
			if err != nil {
				return err
			}
			if endless {
				// The loop never ends: the rest of the thread never runs.
				// A million iterations make one pass of the loop op, so
				// that an endless loop of Python is not an event each.
				body := f.body
				if folded := fold1(f.line, body, 1_000_000); len(folded) == 1 {
					body = append(folded, sim.CheckPoint(f.line)...)
				}
				x.code = append(x.code[:f.start], sim.Loop(st.Line, -1, body[:len(body)-1])...)
				return errEndless
			}
			if jump := x.safeJump(s, left); fastForward > 0 && jump > fastForward {
				f.count += jump
				x.advance(s, jump)
			}
		}
	}
	f.close()
	if !broke {
		return x.run(st.OrElse, s)
	}
	return nil
}

// forever reports whether a while test is a constant true.
func forever(e syntax.Expr) bool {
	k, ok := e.(*syntax.Constant)
	if !ok {
		return false
	}
	switch v := k.Value.(type) {
	case bool:
		return v
	case int64:
		return v != 0
	}
	return false
}

// hasBreakIfNone reports whether a loop body holds "if x is None: break".
func hasBreakIfNone(body []syntax.Stmt) bool {
	for _, st := range body {
		if i, ok := st.(*syntax.If); ok {
			if _, ok := isNoneTest(i.Test); ok && len(i.Body) == 1 {
				if _, ok := i.Body[0].(*syntax.Break); ok {
					return true
				}
			}
		}
	}
	return false
}

// runLoop compiles a loop that ends at run time, on a None taken from a
// queue: its body is compiled once, into a loop op that runs until the
// break. head, if set, compiles what starts each iteration.
func (x *thread) runLoop(line int, s *scope, body []syntax.Stmt, head func() error) error {
	x.flush()
	start := len(x.code)
	x.runLoops++
	defer func() { x.runLoops-- }()
	if head != nil {
		if err := head(); err != nil {
			return err
		}
	}
	err := x.run(body, s)
	var pe *pyError
	if errors.As(err, &pe) {
		// The first iteration dies of it at run time.
		if err := x.emit(sim.Raise(pe.at(x.line), pe.kind, pe.msg)); err != nil {
			return err
		}
		err = errDied
	}
	if err != nil && !errors.Is(err, errContinue) && !errors.Is(err, errDied) {
		if errors.Is(err, errBreak) {
			return x.unsupported("a break that does not test a value from a queue for None, in a loop that runs until one does, is not simulated")
		}
		return err
	}
	x.flush()
	inner := slices.Clone(x.code[start:])
	x.code = append(x.code[:start], sim.Loop(line, -1, inner)...)
	return err
}

// iterQueue matches "for item in iter(q.get, None):".
func iterQueue(st *syntax.For, s *scope) (syntax.Expr, bool) {
	call, ok := st.Iter.(*syntax.Call)
	if !ok || len(call.Args) != 2 {
		return nil, false
	}
	if n, ok := call.Func.(*syntax.Name); !ok || n.ID != "iter" {
		return nil, false
	}
	if _, ok := s.vars["iter"]; ok {
		return nil, false
	}
	a, ok := call.Args[0].(*syntax.Attribute)
	if !ok || a.Attr != "get" {
		return nil, false
	}
	if k, ok := call.Args[1].(*syntax.Constant); !ok || k.Value != nil {
		return nil, false
	}
	return a.Value, true
}

// getBreak compiles the head of "for item in iter(q.get, None):".
func (x *thread) getBreak(st *syntax.For, q syntax.Expr, s *scope) error {
	x.at(st)
	v, err := x.eval(q, s)
	if err != nil {
		return err
	}
	qo, ok := v.(*queueObj)
	if !ok {
		return x.unsupported("iter(x.get, None) is simulated only over a queue")
	}
	item, err := x.queueGet(qo)
	if err != nil {
		return err
	}
	if err := x.emit(sim.BreakIfNone(st.Line)); err != nil {
		return err
	}
	return x.assign(st.Target, item, s)
}

// sequence is what a for loop iterates over.
type sequence struct {
	n  int64
	at func(i int64) (value, error)
}

// iterate returns the items of an iterable.
func (x *thread) iterate(v value) (sequence, error) {
	switch v := v.(type) {
	case *rangeVal:
		return sequence{n: v.len(), at: func(i int64) (value, error) { return v.start + i*v.step, nil }}, nil
	case *dynamic:
		return sequence{}, x.unsupported("a loop over a value another thread makes at run time is not simulated")
	case *results:
		// Each result is waited for as the loop reaches it.
		return sequence{n: int64(len(v.futures)), at: func(i int64) (value, error) { return x.result(v.futures[i]) }}, nil
	}
	items, err := x.items(v)
	if err != nil {
		return sequence{}, err
	}
	return sequence{n: int64(len(items)), at: func(i int64) (value, error) { return items[i], nil }}, nil
}

// snapshot returns the numbers a scope holds, to see what an iteration
// changed.
func (x *thread) snapshot(s *scope) map[string]value {
	out := map[string]value{}
	for k, v := range s.vars {
		switch v.(type) {
		case int64, float64:
			out[k] = v
		}
	}
	return out
}

// advance adds up n more iterations of the loop just run twice alike:
// every name an augmented assignment in it changes moves on by n times
// its step.
func (x *thread) advance(s *scope, n int64) {
	for name, step := range x.steps {
		switch v := s.vars[name].(type) {
		case int64:
			s.vars[name] = v + n*step.(int64)
		case float64:
			s.vars[name] = v + float64(n)*step.(float64)
		}
	}
}

// safeJump returns how many of the next n iterations can be added up at
// the cost of the last: as many as keep every int the loop moves on the
// same side of the cache of small ints, whose ints cost nothing to make.
func (x *thread) safeJump(s *scope, n int64) int64 {
	class := func(v int64) int {
		switch {
		case v < -5:
			return -1
		case v > 256:
			return 1
		}
		return 0
	}
	for name, step := range x.steps {
		v, ok := s.vars[name].(int64)
		k, isInt := step.(int64)
		if !ok || !isInt || k == 0 {
			continue
		}
		c := class(v)
		// The ends of the jump are on one side when every point between
		// is: ints move in a line.
		lo, hi := int64(0), n
		if end, overflow := v+n*k, n != 0 && (v+n*k-v)/n != k; !overflow && class(end) == c {
			continue
		}
		for lo < hi {
			mid := lo + (hi-lo+1)/2
			if end := v + mid*k; (end-v)/mid == k && class(end) == c {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		n = lo
	}
	return n
}

// remaining returns how many more times a uniform while loop runs, by
// searching for the first iteration whose test fails with every changing
// name moved on by its step; endless when it never fails.
func (x *thread) remaining(test syntax.Expr, s *scope) (int64, bool, error) {
	saved := map[string]value{}
	for name := range x.steps {
		saved[name] = s.vars[name]
	}
	defer func() {
		for name, v := range saved {
			s.vars[name] = v
		}
	}()
	holds := func(k int64) (bool, error) {
		for name, v := range saved {
			s.vars[name] = v
		}
		x.advance(s, k)
		v, err := x.dry(func() (value, error) { return x.eval(test, s) })
		if err != nil {
			return false, err
		}
		return x.truth(v)
	}
	if ok, err := holds(0); err != nil || !ok {
		return 0, false, err
	}
	if len(x.steps) == 0 {
		return 0, true, nil
	}
	lo, hi := int64(0), int64(1)
	for {
		ok, err := holds(hi)
		if err != nil {
			return 0, false, err
		}
		if !ok {
			break
		}
		lo = hi
		if hi > 1<<50 {
			return 0, true, nil
		}
		hi *= 2
	}
	// The test holds at lo and fails at hi.
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		ok, err := holds(mid)
		if err != nil {
			return 0, false, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi, false, nil
}

// dry evaluates without making ops or CPU.
func (x *thread) dry(f func() (value, error)) (value, error) {
	code, cost, ops, gen := len(x.code), x.cost, x.c.ops, x.gen
	v, err := f()
	x.code, x.cost, x.c.ops, x.gen = x.code[:code], cost, ops, gen
	return v, err
}

// uniform reports whether every further iteration of a loop body will
// make the ops the last one made, and sets x.steps to what each
// iteration adds to the names it moves on (from before, the numbers
// before the last iteration): the body has no if, no call of the
// program's own functions, and reads nothing the loop changes (its
// targets, what it assigns) except in "n += k" with k unchanging.
func (x *thread) uniform(body []syntax.Stmt, s *scope, targets []string, before map[string]value) bool {
	changing := map[string]bool{}
	for _, t := range targets {
		changing[t] = true
	}
	linear := map[string]bool{}
	var collect func([]syntax.Stmt) bool
	collect = func(stmts []syntax.Stmt) bool {
		for _, st := range stmts {
			switch st := st.(type) {
			case *syntax.AugAssign:
				n, ok := st.Target.(*syntax.Name)
				if !ok {
					return false
				}
				if x.isShared(s, n.ID) {
					continue
				}
				if st.Op != syntax.Add && st.Op != syntax.Sub {
					return false
				}
				linear[n.ID] = true
			case *syntax.Assign:
				for _, t := range st.Targets {
					for _, n := range targetNames(t) {
						if !x.isShared(s, n) {
							changing[n] = true
						}
					}
				}
			case *syntax.For:
				for _, n := range targetNames(st.Target) {
					changing[n] = true
				}
				if !collect(st.Body) {
					return false
				}
			case *syntax.With:
				for _, it := range st.Items {
					if it.OptionalVars != nil {
						for _, n := range targetNames(it.OptionalVars) {
							changing[n] = true
						}
					}
				}
				if !collect(st.Body) {
					return false
				}
			case *syntax.ExprStmt, *syntax.Pass:
			default:
				return false
			}
		}
		return true
	}
	if !collect(body) {
		return false
	}
	ok := true
	var exprs func(syntax.Node, bool)
	exprs = func(n syntax.Node, target bool) {
		if !ok || n == nil {
			return
		}
		switch e := n.(type) {
		case *syntax.Name:
			if !target && (changing[e.ID] || linear[e.ID]) && !x.isShared(s, e.ID) {
				ok = false
			}
		case *syntax.Call:
			f, err := x.dry(func() (value, error) { return x.eval(e.Func, s) })
			switch f.(type) {
			case *builtin:
			default:
				ok = false
			}
			if err != nil {
				ok = false
			}
			for _, a := range e.Args {
				exprs(a, false)
			}
			for _, k := range e.Keywords {
				exprs(k.Value, false)
			}
		case *syntax.Attribute:
			exprs(e.Value, target)
		case *syntax.Subscript:
			exprs(e.Value, target)
			exprs(e.Slice, false)
		case *syntax.BinOp:
			exprs(e.Left, false)
			exprs(e.Right, false)
		case *syntax.UnaryOp:
			exprs(e.Operand, false)
		case *syntax.BoolOp:
			for _, v := range e.Values {
				exprs(v, false)
			}
		case *syntax.Compare:
			exprs(e.Left, false)
			for _, v := range e.Comparators {
				exprs(v, false)
			}
		case *syntax.Tuple:
			for _, v := range e.Elts {
				exprs(v, target)
			}
		case *syntax.List:
			for _, v := range e.Elts {
				exprs(v, target)
			}
		case *syntax.JoinedStr:
			for _, v := range e.Values {
				exprs(v, false)
			}
		case *syntax.FormattedValue:
			exprs(e.Value, false)
		case *syntax.Constant:
		default:
			ok = false
		}
	}
	var stmts func([]syntax.Stmt)
	stmts = func(body []syntax.Stmt) {
		for _, st := range body {
			switch st := st.(type) {
			case *syntax.AugAssign:
				exprs(st.Target, true)
				exprs(st.Value, false)
			case *syntax.Assign:
				for _, t := range st.Targets {
					exprs(t, true)
				}
				exprs(st.Value, false)
			case *syntax.ExprStmt:
				exprs(st.Value, false)
			case *syntax.For:
				exprs(st.Iter, false)
				stmts(st.Body)
			case *syntax.With:
				for _, it := range st.Items {
					exprs(it.ContextExpr, false)
				}
				stmts(st.Body)
			}
		}
	}
	stmts(body)
	if !ok {
		return false
	}
	steps := map[string]value{}
	for name := range linear {
		switch now := s.vars[name].(type) {
		case int64:
			b, ok := before[name].(int64)
			if !ok {
				return false
			}
			steps[name] = now - b
		case float64:
			b, ok := before[name].(float64)
			if !ok {
				return false
			}
			steps[name] = now - b
		default:
			return false
		}
	}
	x.steps = steps
	return true
}
