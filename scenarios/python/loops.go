package python

import (
	"bytes"
	"errors"
	"maps"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/gilsim/gilsim/scenarios/python/syntax"
	"github.com/gilsim/gilsim/sim"
)

// Loops are compiled by running their iterations, and the iterations
// that made the same ops as the one before are folded into one loop op
// (a loop of nothing but Python into one Python op, its back-edges its
// check points). A loop too long to run one iteration at a time (more
// than fastForward iterations left, or any once half the budget is
// spent) is fast-forwarded once two iterations in a row made the same
// ops and left what the next can read as they found it, when its body
// can do nothing else (see ffLoop): "n -= 1" and the like are then added
// up. "while n > 0: n -= 1" over 20 million iterations compiles in
// microseconds to one op of 20 million iterations' CPU. A call of a
// function that can do nothing but make ops is compiled once for the
// same arguments, and its ops copied after (see callPure).

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
	ff := x.newFF(s, st.Body, nil, targetNames(st.Target))
	if !namesOnly(st.Target) {
		// An item or attribute assigned each time.
		ff.planned = true
	}
	broke, jumped := false, false
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
		if broke, err = x.iteration(f, st.Body, s); err != nil {
			return err
		} else if broke {
			break
		}
		left := seq.n - i - 1
		long := fastForward > 0 && left > 1 && (left > fastForward || jumped || x.overBudget(left))
		if _, jumpable := ff.end(long, f.count >= 2); jumpable {
			// As in a while loop, a loop that has jumped also jumps the
			// short rest after a change of class.
			if jump := x.safeJump(s, ff.steps, left); jump > fastForward || (jumped || x.overBudget(left)) && jump > 1 {
				jumped = true
				f.count += jump
				x.advance(s, ff.steps, jump)
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
				ff.jumped()
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

// overBudget reports whether running the left iterations of a loop one
// by one would take the compile past half of maxIterations, on the way to
// refusing the program: a uniform loop is then added up however short (the
// thousandth thread running the same 500-iteration loop as the others),
// and the other half is left to the loops whose iterations differ.
func (x *thread) overBudget(left int64) bool {
	return int64(x.c.iters)+left > int64(maxIterations/2)
}

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
	ff := x.newFF(s, st.Body, st.Test, nil)
	broke, jumped := false, false
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
		if broke, err = x.iteration(f, st.Body, s); err != nil {
			return err
		} else if broke {
			break
		}
		// How many iterations are left is known only by searching, and
		// an endless loop is found so even when nothing is added up.
		if uniform, jumpable := ff.end(true, f.count >= 2); uniform {
			left, endless, err := ff.remaining()
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
			// Once a loop has jumped it is a long one: what is left after
			// a change of class (ints below 257 are cached, and cost
			// less) is jumped too, however short.
			if jump := x.safeJump(s, ff.steps, left); jumpable && fastForward > 0 && (jump > fastForward || (jumped || x.overBudget(left)) && jump > 1) {
				f.count += jump
				x.advance(s, ff.steps, jump)
				jumped = true
				ff.jumped()
				ff.left -= jump
			}
		}
	}
	f.close()
	if !broke {
		return x.run(st.OrElse, s)
	}
	return nil
}

// iteration runs a loop's body once and closes the iteration in f;
// broke says the body broke out of the loop.
func (x *thread) iteration(f *fold, body []syntax.Stmt, s *scope) (broke bool, err error) {
	err = x.run(body, s)
	if errors.Is(err, errBreak) {
		x.flush()
		return true, nil
	}
	if err != nil && !errors.Is(err, errContinue) {
		return false, err
	}
	return false, f.end()
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

// Fast-forwarding rests on one argument: an iteration does what the state
// it starts from makes it do, so two iterations in a row that made the
// same ops, and left everything the next one can read as they found it,
// are what every further iteration would be. Only the names the loop
// moves on by "n += k" differ from one iteration's start to the next, and
// those are read only by their own augmented assignment (and a while
// loop's comparison), so that they move on by the same step each time:
// their effect is added up (advance; a float one addition at a time
// unless multiplying is exact), and their int's class (small ints are
// cached and cost less) watched (safeJump).
//
// What is checked, and how:
//
//   - Statically, once per run of a loop (planLoop): the body holds only
//     assignments to plain names, augmented assignments, expression
//     statements, pass, and for, while and with (over locks and
//     semaphores) blocks of the same; it stores into no item and no
//     attribute; it calls only the built-ins that change nothing but the
//     ops (pureBuiltins), the methods that change nothing on the values
//     the loop does not change (methodOK) or on any value (anyMethods),
//     and the program's own functions that do the same with values that
//     cannot change (pureFunc); it reads a name the loop assigns only
//     where this iteration has assigned it already.
//   - At the end of each iteration (ffLoop.end): the names read so hold
//     the same plain value (int, float, str, bytes, bool, None) as at the
//     end of the iteration before; the RLocks held, the request open, and
//     the state of every socket the body calls are the same.
//
// Anything else is refused, and the loop is run (and folded) instead:
// stores into lists, dicts and objects, list.append and the other
// mutating methods, "l += [x]", random draws (they move the generator
// on), readings of the clock (they take a mark), starting threads, making
// locks or queues (they add to the workload), imports, global statements,
// a call given a list. A queue's get changes only the thread's register:
// a loop that gets is never added up, but may be found endless, as
// nothing after an endless loop reads the register.

// ffLoop watches one run of a loop for iterations it can add up.
type ffLoop struct {
	x       *thread
	s       *scope
	body    []syntax.Stmt
	test    syntax.Expr // a while loop's, or nil
	targets []string
	planned bool
	plan    *ffPlan // nil when the body may do other than the same again
	// prev and cur are what the ends of the last two iterations left;
	// prev.ok says it was recorded at the end of the iteration before.
	prev, cur ffState
	// steps are what one iteration adds to each name it moves on, set
	// by end.
	steps []ffStep
	// left is how many more times a while loop runs, known (leftOK)
	// since the iterations have done the same with leftSteps.
	left      int64
	leftOK    bool
	leftSteps []ffStep
}

// ffPlan is what the analysis of a loop body found.
type ffPlan struct {
	// names are the names moved on by += and -= (the first nlinear),
	// then those the body assigns and reads back.
	names   []string
	nlinear int
	// socks are the sockets whose methods the body calls.
	socks []*socketObj
	// adds are, for each name moved on that the body augments once per
	// iteration with a value that does not change, that augmentation: a
	// float name is moved on only so, one addition per iteration.
	adds map[string]*syntax.AugAssign
	// gets says the body takes from a queue: each get is a new value of
	// the thread's register (x.gen), which nothing but the thread's own
	// later code reads. A loop that gets is never added up, but may be
	// found endless: then no later code runs.
	gets bool
}

// ffState is what the end of an iteration left that the next may read,
// beyond the ops.
type ffState struct {
	ok    bool
	vals  []value // per plan name; nil when it is unbound
	held  map[int]int
	req   *socketObj
	socks []sockState
	gen   int // the register's
}

// ffStep is what one iteration adds to a name: an int i, or a float f
// (what the augmentation adds, not the difference, which rounds).
type ffStep struct {
	name  string
	float bool
	i     int64
	f     float64
}

// sockState is a copy of what a socket's methods read and change.
type sockState struct {
	connected, closed, listening, accepted, due bool
	buf, reply                                  string
	sent                                        time.Duration
}

func stateOf(s *socketObj) sockState {
	return sockState{connected: s.connected, closed: s.closed, listening: s.listening, accepted: s.accepted, due: s.due,
		buf: string(s.buf), reply: string(s.reply), sent: s.sent}
}

func (x *thread) newFF(s *scope, body []syntax.Stmt, test syntax.Expr, targets []string) *ffLoop {
	return &ffLoop{x: x, s: s, body: body, test: test, targets: targets}
}

// end is called at the end of each iteration: long says the loop could
// be added up from here, alike that the last two iterations made the
// same ops. It reports whether every further iteration will make the ops
// the last made (uniform; l.steps are then set), and whether they can be
// added up (jumpable), which a loop whose iterations take from a queue,
// or read back what they took, cannot: it can only be found endless.
func (l *ffLoop) end(long, alike bool) (uniform, jumpable bool) {
	if !long {
		l.prev.ok = false
		return false, false
	}
	if !l.planned {
		l.planned = true
		l.plan = l.x.planLoop(l.s, l.body, l.test, l.targets)
	}
	if l.plan == nil {
		return false, false
	}
	l.record(&l.cur)
	registers := false
	if alike && l.prev.ok {
		uniform, registers = l.same()
	}
	l.prev, l.cur = l.cur, l.prev
	if !uniform {
		l.leftOK = false
	}
	return uniform, uniform && !registers && !l.plan.gets
}

// remaining returns how many more times a while loop whose iterations
// do the same runs, or that it never ends: searched for once, then
// counted down, each iteration moving the names on by the same steps.
func (l *ffLoop) remaining() (int64, bool, error) {
	if l.leftOK && slices.Equal(l.steps, l.leftSteps) {
		l.left--
		return l.left, false, nil
	}
	left, endless, err := l.x.remaining(l.test, l.s, l.steps)
	if err != nil || endless {
		return left, endless, err
	}
	if left < 0 {
		// Too far to tell: the loop is run.
		l.plan = nil
		return 0, false, nil
	}
	l.left, l.leftOK, l.leftSteps = left, true, append(l.leftSteps[:0], l.steps...)
	return left, false, nil
}

// jumped records the state after a jump as the end of the last
// iteration: the names moved on have moved on.
func (l *ffLoop) jumped() { l.record(&l.prev) }

func (l *ffLoop) record(st *ffState) {
	st.ok = true
	st.vals = st.vals[:0]
	for _, n := range l.plan.names {
		st.vals = append(st.vals, l.s.vars[n])
	}
	clear(st.held)
	for id, n := range l.x.held {
		if n > 0 {
			if st.held == nil {
				st.held = map[int]int{}
			}
			st.held[id] = n
		}
	}
	st.req, st.gen = l.x.req, l.x.gen
	st.socks = st.socks[:0]
	for _, so := range l.plan.socks {
		st.socks = append(st.socks, stateOf(so))
	}
}

// same compares the ends of the last two iterations, and sets the steps;
// registers says a name read back holds the register's value (the same
// read, as many reads ago).
func (l *ffLoop) same() (same, registers bool) {
	a, b := &l.prev, &l.cur
	if a.req != b.req || !maps.Equal(a.held, b.held) || !slices.Equal(a.socks, b.socks) {
		return false, false
	}
	p := l.plan
	for i := p.nlinear; i < len(p.names); i++ {
		if u, ok := a.vals[i].(*dynamic); ok {
			v, ok := b.vals[i].(*dynamic)
			if !ok || u.gen < 0 || v.gen < 0 || u.from != v.from || u.add != v.add || a.gen-u.gen != b.gen-v.gen {
				return false, false
			}
			registers = true
			continue
		}
		if !samePlain(a.vals[i], b.vals[i]) {
			return false, false
		}
	}
	return l.setSteps(), registers
}

// setSteps sets the steps from the ends of the last two iterations.
func (l *ffLoop) setSteps() bool {
	a, b, p := &l.prev, &l.cur, l.plan
	l.steps = l.steps[:0]
	for i, n := range p.names[:p.nlinear] {
		switch v := b.vals[i].(type) {
		case int64:
			u, ok := a.vals[i].(int64)
			if !ok {
				return false
			}
			l.steps = append(l.steps, ffStep{name: n, i: v - u})
		case float64:
			u, ok := a.vals[i].(float64)
			add := p.adds[n]
			if !ok || add == nil {
				return false
			}
			k, err := l.x.dry(func() (value, error) { return l.x.eval(add.Value, l.s) })
			f, isNum := number(k)
			if err != nil || !isNum {
				return false
			}
			if add.Op == syntax.Sub {
				f = -f
			}
			if u+f != v {
				return false
			}
			l.steps = append(l.steps, ffStep{name: n, float: true, f: f})
		default:
			return false
		}
	}
	return true
}

// samePlain reports whether a and b are the same plain value (of one
// type), or both unbound.
func samePlain(a, b value) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case int64:
		v, ok := b.(int64)
		return ok && v == a
	case float64:
		v, ok := b.(float64)
		return ok && v == a
	case string:
		v, ok := b.(string)
		return ok && v == a
	case bytesVal:
		v, ok := b.(bytesVal)
		return ok && bytes.Equal(a, v)
	case bool:
		v, ok := b.(bool)
		return ok && v == a
	case none:
		_, ok := b.(none)
		return ok
	}
	return false
}

// advance adds up n more iterations of the loop just run twice alike:
// every name it moves on moves on by n steps.
func (x *thread) advance(s *scope, steps []ffStep, n int64) {
	for _, st := range steps {
		s.vars[st.name] = st.after(s.vars[st.name], n)
	}
}

// after returns v moved on by n steps. A float is added to once per
// iteration, as the program does, unless multiplying is exact.
func (st ffStep) after(v value, n int64) value {
	switch v := v.(type) {
	case int64:
		return v + n*st.i
	case float64:
		if exactSteps(v, st.f, n) {
			return v + float64(n)*st.f
		}
		for range n {
			v += st.f
		}
		return v
	}
	return v
}

// maxReplay bounds the additions of a float made for one jump, or for
// the search for the end of a while loop.
const maxReplay = 1 << 24

// exactSteps reports whether v plus n times c is what adding c to v n
// times gives: when v and c are multiples of one power of two 2**e, and
// every sum between stays below 2**(53+e), no sum rounds.
func exactSteps(v, c float64, n int64) bool {
	if c == 0 || n == 0 {
		return true
	}
	if math.IsInf(v, 0) || math.IsNaN(v) || math.IsInf(c, 0) || math.IsNaN(c) {
		return false
	}
	low := func(f float64) int {
		// f is m * 2**(e-53) with m an integer of 53 bits.
		frac, e := math.Frexp(f)
		m := uint64(math.Abs(frac) * (1 << 53))
		return e - 53 + bits.TrailingZeros64(m)
	}
	e := low(c)
	if v != 0 {
		e = min(e, low(v))
	}
	return math.Abs(v)+float64(n)*math.Abs(c) < math.Ldexp(1, 53+e)
}

// safeJump returns how many of the next n iterations can be added up at
// the cost of the last: as many as keep every int the loop moves on the
// same side of the cache of small ints, whose ints cost nothing to make,
// and no more than maxReplay where a float is added to one by one.
func (x *thread) safeJump(s *scope, steps []ffStep, n int64) int64 {
	class := func(v int64) int {
		switch {
		case v < -5:
			return -1
		case v > 256:
			return 1
		}
		return 0
	}
	for _, st := range steps {
		if st.float {
			if v, ok := s.vars[st.name].(float64); ok && !exactSteps(v, st.f, n) {
				n = min(n, maxReplay)
			}
			continue
		}
		v, ok := s.vars[st.name].(int64)
		k := st.i
		if !ok || k == 0 {
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
// name moved on by its steps; endless when it never fails. Each probe
// moves on from the last one that held, so that a float added to one by
// one is added to no more than about twice the count; past maxReplay
// additions the count is unknown (-1).
func (x *thread) remaining(test syntax.Expr, s *scope, steps []ffStep) (int64, bool, error) {
	saved := make([]value, len(steps))
	for i, st := range steps {
		saved[i] = s.vars[st.name]
	}
	defer func() {
		for i, st := range steps {
			s.vars[st.name] = saved[i]
		}
	}()
	// at returns the values k iterations after those of base.
	at := func(base []value, k int64) []value {
		out := make([]value, len(steps))
		for i, st := range steps {
			out[i] = st.after(base[i], k)
		}
		return out
	}
	holds := func(vals []value) (bool, error) {
		for i, st := range steps {
			s.vars[st.name] = vals[i]
		}
		v, err := x.dry(func() (value, error) { return x.eval(test, s) })
		if err != nil {
			return false, err
		}
		return x.truth(v)
	}
	if ok, err := holds(saved); err != nil || !ok {
		return 0, false, err
	}
	if len(steps) == 0 {
		return 0, true, nil
	}
	replayed := func(k int64) bool {
		for i, st := range steps {
			if f, ok := saved[i].(float64); ok && st.float && !exactSteps(f, st.f, k) {
				return true
			}
		}
		return false
	}
	lo, hi, low := int64(0), int64(1), saved
	for {
		if replayed(hi) && hi > maxReplay {
			return -1, false, nil
		}
		high := at(low, hi-lo)
		ok, err := holds(high)
		if err != nil {
			return 0, false, err
		}
		if !ok {
			break
		}
		lo, low = hi, high
		if hi > 1<<50 {
			return 0, true, nil
		}
		hi *= 2
	}
	// The test holds at lo and fails at hi.
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		vals := at(low, mid-lo)
		ok, err := holds(vals)
		if err != nil {
			return 0, false, err
		}
		if ok {
			lo, low = mid, vals
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

// pureBuiltins are the built-in functions that change nothing the ops do
// not carry, by the name their builtin has.
var pureBuiltins = map[string]bool{
	"print": true, "len": true, "range": true, "str": true, "repr": true, "int": true, "float": true,
	"bool": true, "abs": true, "round": true, "list": true, "tuple": true, "dict": true, "sum": true,
	"min": true, "max": true, "sorted": true, "enumerate": true, "zip": true, "isinstance": true,
	"object": true, "time.sleep": true, "os.getpid": true, "os.cpu_count": true,
	"multiprocessing.cpu_count": true, "threading.get_ident": true,
}

// anyMethods are the methods that change nothing on every type that has
// them: a call of one is safe on any value.
var anyMethods = map[string]bool{
	"split": true, "upper": true, "lower": true, "strip": true, "decode": true, "encode": true,
	"startswith": true, "endswith": true, "replace": true, "format": true, "index": true,
	"count": true, "keys": true, "values": true, "items": true,
}

// methodOK reports whether a call of method name on v, a value the loop
// does not change, changes nothing the ops do not carry, or only what
// ffLoop.end compares: the RLocks held (acquire and release), a socket's
// state and the open request (send and recv; sock is then set).
func methodOK(v value, name string) (ok bool, sock *socketObj) {
	switch o := v.(type) {
	case string:
		return name == "join" || anyMethods[name], nil
	case bytesVal:
		return anyMethods[name], nil
	case *list:
		return name == "index" || name == "count", nil
	case *dict:
		return name == "get" || name == "keys" || name == "values" || name == "items", nil
	case *lockObj, *semObj:
		return name == "acquire" || name == "release", nil
	case *eventObj:
		return name == "set" || name == "clear" || name == "wait", nil
	case *queueObj:
		return name == "put" || name == "task_done" || name == "join", nil
	case *threadObj, *processObj:
		return name == "join", nil
	case *socketObj:
		switch name {
		case "send", "sendall", "recv", "setblocking", "settimeout", "setsockopt":
			return true, o
		}
	}
	return false, nil
}

// maxPureDepth bounds how deep the calls of a loop's body are followed.
const maxPureDepth = 8

// loopCheck is the analysis of one loop body.
type loopCheck struct {
	x *thread
	s *scope
	// changing are the names the body assigns (its targets too), linear
	// those it only moves on with += and -=.
	changing, linear map[string]bool
	// reads are the changing names the body reads back.
	reads map[string]bool
	// adds are the augmentations of each name, if it has one only, made
	// once per iteration (else nil).
	adds map[string]*syntax.AugAssign
	// gets says the body takes from a queue.
	gets  bool
	socks []*socketObj
	// funcs are the program's functions checked (or being checked), true
	// when every value the function returns cannot change.
	funcs map[*function]bool
	// inTest says a while loop's test is checked: no program function
	// is called there, as it is evaluated again while searching.
	inTest bool
	// memo says a function is checked for remembering its calls (see
	// callPure), not for a loop: what it reads from around it is listed
	// in deps, and what depends on the thread calling it is refused.
	memo bool
	deps []memoDep
	ok   bool
}

// planLoop analyses a loop body (and a while loop's test), or returns nil
// when its iterations may do other than the same again.
func (x *thread) planLoop(s *scope, body []syntax.Stmt, test syntax.Expr, targets []string) *ffPlan {
	c := &loopCheck{x: x, s: s, changing: map[string]bool{}, linear: map[string]bool{}, reads: map[string]bool{},
		adds: map[string]*syntax.AugAssign{}, funcs: map[*function]bool{}, ok: true}
	for _, t := range targets {
		c.changing[t] = true
	}
	aug := map[string]bool{}
	c.collect(body, aug, true)
	for n, additive := range aug {
		if c.changing[n] {
			continue
		}
		if !additive {
			return nil
		}
		c.linear[n] = true
	}
	if !c.ok {
		return nil
	}
	if test != nil {
		c.inTest = true
		c.test(test)
		c.inTest = false
	}
	assigned := map[string]bool{}
	for _, t := range targets {
		assigned[t] = true
	}
	c.stmts(body, assigned)
	if !c.ok {
		return nil
	}
	p := &ffPlan{socks: c.socks, adds: map[string]*syntax.AugAssign{}, gets: c.gets}
	for n, add := range c.adds {
		if c.linear[n] && add != nil && c.fixed(add.Value) {
			p.adds[n] = add
		}
	}
	p.names = sortedKeys(c.linear)
	p.nlinear = len(p.names)
	p.names = append(p.names, sortedKeys(c.reads)...)
	return p
}

func (c *loopCheck) fail() { c.ok = false }

// made reports whether shared name lives in the simulation already.
func (c *loopCheck) made(name string) bool {
	_, ok := c.x.c.vars[varKey{c.x.proc, name}]
	return ok
}

// sharedRead, sharedStore and sharedAug say whether reading, assigning or
// augmenting name is an op on a shared variable, as name, setName and
// augAssign decide it.
func (c *loopCheck) sharedRead(name string) bool {
	return c.x.isShared(c.s, name) && (c.made(name) || !c.s.module)
}

func (c *loopCheck) sharedStore(name string) bool {
	return c.x.isShared(c.s, name) && (c.made(name) || c.s.global[name] && !c.s.module)
}

func (c *loopCheck) sharedAug(name string) bool {
	return c.x.isShared(c.s, name) && (c.s.global[name] || c.s.module) && (c.made(name) || !c.s.module)
}

// namesOnly reports whether an assignment target binds plain names only.
func namesOnly(e syntax.Expr) bool {
	switch e := e.(type) {
	case *syntax.Name:
		return true
	case *syntax.Tuple:
		return !slices.ContainsFunc(e.Elts, func(e syntax.Expr) bool { return !namesOnly(e) })
	case *syntax.List:
		return !slices.ContainsFunc(e.Elts, func(e syntax.Expr) bool { return !namesOnly(e) })
	}
	return false
}

// fixed reports whether an expression gives the same value whenever
// the body evaluates it, evaluating it again having no effect: it reads
// constants and names the loop does not change, with arithmetic.
func (c *loopCheck) fixed(e syntax.Expr) bool {
	switch e := e.(type) {
	case *syntax.Constant:
		return true
	case *syntax.Name:
		return !c.changing[e.ID] && !c.linear[e.ID] && !c.sharedRead(e.ID)
	case *syntax.BinOp:
		return c.fixed(e.Left) && c.fixed(e.Right)
	case *syntax.UnaryOp:
		return c.fixed(e.Operand)
	}
	return false
}

// collect finds the names the body assigns, and those it augments (aug:
// true while only by + and -), refusing any other statement; once says
// the block runs once per iteration.
func (c *loopCheck) collect(stmts []syntax.Stmt, aug map[string]bool, once bool) {
	for _, st := range stmts {
		switch st := st.(type) {
		case *syntax.Assign:
			for _, t := range st.Targets {
				if !namesOnly(t) {
					c.fail()
					return
				}
				for _, n := range targetNames(t) {
					if !c.sharedStore(n) {
						c.changing[n] = true
					}
				}
			}
		case *syntax.AugAssign:
			n, ok := st.Target.(*syntax.Name)
			if !ok {
				c.fail()
				return
			}
			if c.sharedAug(n.ID) {
				continue
			}
			additive := st.Op == syntax.Add || st.Op == syntax.Sub
			_, again := c.adds[n.ID]
			if prev, seen := aug[n.ID]; seen {
				additive = additive && prev
			}
			aug[n.ID] = additive
			c.adds[n.ID] = nil
			if once && !again {
				c.adds[n.ID] = st
			}
		case *syntax.For:
			if st.Async || !namesOnly(st.Target) {
				c.fail()
				return
			}
			for _, n := range targetNames(st.Target) {
				c.changing[n] = true
			}
			c.collect(st.Body, aug, false)
			c.collect(st.OrElse, aug, false)
		case *syntax.While:
			c.collect(st.Body, aug, false)
			c.collect(st.OrElse, aug, false)
		case *syntax.With:
			if st.Async {
				c.fail()
				return
			}
			for _, it := range st.Items {
				if it.OptionalVars == nil {
					continue
				}
				if !namesOnly(it.OptionalVars) {
					c.fail()
					return
				}
				for _, n := range targetNames(it.OptionalVars) {
					c.changing[n] = true
				}
			}
			c.collect(st.Body, aug, once)
		case *syntax.ExprStmt, *syntax.Pass:
		default:
			c.fail()
			return
		}
	}
}

// stmts checks what a block reads and calls; assigned are the names this
// iteration has certainly assigned before the block, and grows with what
// the block certainly assigns.
func (c *loopCheck) stmts(stmts []syntax.Stmt, assigned map[string]bool) {
	for _, st := range stmts {
		if !c.ok {
			return
		}
		switch st := st.(type) {
		case *syntax.Assign:
			c.expr(st.Value, assigned)
			for _, t := range st.Targets {
				for _, n := range targetNames(t) {
					assigned[n] = true
				}
			}
		case *syntax.AugAssign:
			n := st.Target.(*syntax.Name).ID
			if !c.sharedAug(n) && !c.linear[n] {
				// Assigned as well: read back.
				c.read(n, assigned)
			}
			c.expr(st.Value, assigned)
		case *syntax.ExprStmt:
			c.expr(st.Value, assigned)
		case *syntax.For:
			c.expr(st.Iter, assigned)
			inner := maps.Clone(assigned)
			for _, n := range targetNames(st.Target) {
				inner[n] = true
			}
			c.stmts(st.Body, inner)
			c.stmts(st.OrElse, maps.Clone(assigned))
		case *syntax.While:
			inner := maps.Clone(assigned)
			c.expr(st.Test, inner)
			c.stmts(st.Body, inner)
			c.stmts(st.OrElse, maps.Clone(assigned))
		case *syntax.With:
			for _, it := range st.Items {
				c.expr(it.ContextExpr, assigned)
				switch v, _ := c.resolve(it.ContextExpr); v.(type) {
				case *lockObj, *semObj:
				default:
					c.fail()
				}
				if it.OptionalVars != nil {
					for _, n := range targetNames(it.OptionalVars) {
						assigned[n] = true
					}
				}
			}
			c.stmts(st.Body, assigned)
		}
	}
}

// test checks a while loop's test: the names the loop moves on may be
// compared or tested for truth (which costs the same whatever the ints),
// nothing else.
func (c *loopCheck) test(e syntax.Expr) {
	none := map[string]bool{}
	switch e := e.(type) {
	case *syntax.Name:
		if !c.linear[e.ID] {
			c.expr(e, none)
		}
	case *syntax.Compare:
		for _, o := range append([]syntax.Expr{e.Left}, e.Comparators...) {
			if n, ok := o.(*syntax.Name); ok && c.linear[n.ID] {
				continue
			}
			c.expr(o, none)
		}
	case *syntax.BoolOp:
		for _, v := range e.Values {
			c.test(v)
		}
	case *syntax.UnaryOp:
		if e.Op != syntax.Not {
			c.fail()
			return
		}
		c.test(e.Operand)
	default:
		c.expr(e, none)
	}
}

// read checks a read of name.
func (c *loopCheck) read(name string, assigned map[string]bool) {
	switch {
	case c.sharedRead(name):
		// A load of the simulation's.
	case c.linear[name]:
		c.fail()
	case c.changing[name]:
		if !assigned[name] {
			c.fail()
			return
		}
		c.reads[name] = true
	}
}

// resolve returns the value of a name or a dotted name the loop does not
// change, as eval would find it, without evaluating anything.
func (c *loopCheck) resolve(e syntax.Expr) (value, bool) {
	return resolveDotted(e, func(name string) (value, bool) {
		if c.changing[name] || c.linear[name] || c.sharedRead(name) {
			return nil, false
		}
		return c.x.peek(name, c.s)
	})
}

// resolveDotted returns the value of a constant, a name or a dotted name,
// looking names up with lookup, without evaluating anything.
func resolveDotted(e syntax.Expr, lookup func(string) (value, bool)) (value, bool) {
	switch e := e.(type) {
	case *syntax.Name:
		return lookup(e.ID)
	case *syntax.Attribute:
		v, ok := resolveDotted(e.Value, lookup)
		if !ok {
			return nil, false
		}
		return attrOf(v, e.Attr)
	case *syntax.Constant:
		return constant(e.Value)
	}
	return nil, false
}

// attrOf returns an attribute of a module, or a plain attribute of a
// class or of an instance (not a thread), with no effect.
func attrOf(v value, name string) (value, bool) {
	var a value
	switch o := v.(type) {
	case *module:
		a = o.attrs[name]
	case *instance:
		if o.thread != nil {
			return nil, false
		}
		if a = o.attrs[name]; a == nil {
			a = lookupAttr(o.cls, name)
			if _, method := a.(*function); method {
				return nil, false
			}
		}
	case *class:
		a = lookupAttr(o, name)
	}
	return a, a != nil
}

// peek returns what name holds in scope s, as x.name looks it up, with
// no effect: a shared variable is not peeked at.
func (x *thread) peek(name string, s *scope) (value, bool) {
	if x.isShared(s, name) {
		return nil, false
	}
	if !s.global[name] {
		for o := s; o != nil; o = o.outer {
			if v, ok := o.vars[name]; ok {
				return v, true
			}
		}
	}
	if v, ok := x.module().vars[name]; ok {
		return v, true
	}
	v, ok := builtins[name]
	return v, ok
}

// expr checks what an expression of the body reads and calls.
func (c *loopCheck) expr(e syntax.Expr, assigned map[string]bool) {
	if !c.ok || e == nil {
		return
	}
	each := func(es []syntax.Expr) {
		for _, e := range es {
			c.expr(e, assigned)
		}
	}
	switch e := e.(type) {
	case *syntax.Constant:
	case *syntax.Name:
		c.read(e.ID, assigned)
	case *syntax.Attribute:
		c.expr(e.Value, assigned)
		// Reading a module's attribute, or an object's, changes nothing;
		// a thread's name may be made by reading it.
		if v, ok := c.resolve(e.Value); !ok {
			c.fail()
		} else if _, ok := attrOf(v, e.Attr); !ok {
			c.fail()
		}
	case *syntax.Call:
		c.call(e, assigned)
	default:
		// Lambdas, comprehensions (each a loop of its own), await, sets
		// are not operands.
		kids, ok := operands(e)
		if !ok {
			c.fail()
		}
		each(kids)
	}
}

// operands returns the sub-expressions of an expression that only
// combines them (an operator, a display, a subscript, an f-string), and
// false for any other kind, and for a dict display with ** in it.
func operands(e syntax.Expr) ([]syntax.Expr, bool) {
	switch e := e.(type) {
	case *syntax.BinOp:
		return []syntax.Expr{e.Left, e.Right}, true
	case *syntax.UnaryOp:
		return []syntax.Expr{e.Operand}, true
	case *syntax.BoolOp:
		return e.Values, true
	case *syntax.Compare:
		return append([]syntax.Expr{e.Left}, e.Comparators...), true
	case *syntax.IfExp:
		return []syntax.Expr{e.Test, e.Body, e.OrElse}, true
	case *syntax.Tuple:
		return e.Elts, true
	case *syntax.List:
		return e.Elts, true
	case *syntax.Dict:
		if slices.Contains(e.Keys, nil) {
			return nil, false
		}
		return append(slices.Clone(e.Keys), e.Values...), true
	case *syntax.JoinedStr:
		return e.Values, true
	case *syntax.FormattedValue:
		if e.FormatSpec == nil {
			return []syntax.Expr{e.Value}, true
		}
		return []syntax.Expr{e.Value, e.FormatSpec}, true
	case *syntax.Subscript:
		return []syntax.Expr{e.Value, e.Slice}, true
	case *syntax.Slice:
		return []syntax.Expr{e.Lower, e.Upper, e.Step}, true
	case *syntax.Starred:
		return []syntax.Expr{e.Value}, true
	}
	return nil, false
}

// call checks a call in the body.
func (c *loopCheck) call(e *syntax.Call, assigned map[string]bool) {
	for _, a := range e.Args {
		c.expr(a, assigned)
	}
	for _, k := range e.Keywords {
		c.expr(k.Value, assigned)
	}
	switch f := e.Func.(type) {
	case *syntax.Name:
		c.read(f.ID, assigned)
		v, ok := c.resolve(f)
		if !ok {
			c.fail()
			return
		}
		c.callee(v, e)
	case *syntax.Attribute:
		c.expr(f.Value, assigned)
		recv, ok := c.resolve(f.Value)
		if !ok {
			// A value this iteration made: only the methods safe on any.
			if !anyMethods[f.Attr] {
				c.fail()
			}
			return
		}
		if m, ok := recv.(*module); ok {
			c.callee(m.attrs[f.Attr], e)
			return
		}
		if _, ok := recv.(*queueObj); ok && f.Attr == "get" {
			c.gets = true
			return
		}
		ok, sock := methodOK(recv, f.Attr)
		if !ok {
			c.fail()
			return
		}
		if sock != nil && !slices.Contains(c.socks, sock) {
			c.socks = append(c.socks, sock)
		}
	default:
		c.fail()
	}
}

// callee checks what a call of the body calls: a built-in that changes
// nothing the ops do not carry, or a function of the program's that does
// the same, given arguments that cannot change.
func (c *loopCheck) callee(v value, e *syntax.Call) {
	switch f := v.(type) {
	case *builtin:
		if !pureBuiltins[f.name] {
			c.fail()
		}
	case *function:
		if c.inTest {
			c.fail()
			return
		}
		for _, a := range e.Args {
			c.immutable(a)
		}
		for _, k := range e.Keywords {
			if k.Arg == "" {
				c.fail()
			}
			c.immutable(k.Value)
		}
		c.pureFunc(f, 0)
	default:
		c.fail()
	}
}

// immutable checks that an argument is a value that cannot change: a
// constant, a name holding one, or arithmetic on them.
func (c *loopCheck) immutable(e syntax.Expr) {
	switch e := e.(type) {
	case *syntax.Constant:
	case *syntax.Name:
		if v, ok := c.x.peek(e.ID, c.s); !ok || !immutableValue(v) {
			c.fail()
		}
	case *syntax.UnaryOp:
		c.immutable(e.Operand)
	case *syntax.BinOp:
		c.immutable(e.Left)
		c.immutable(e.Right)
	default:
		c.fail()
	}
}

// immutableValue reports whether v is a value nothing can change.
func immutableValue(v value) bool {
	switch v := v.(type) {
	case int64, float64, string, bytesVal, bool, none, *rangeVal:
		return true
	case *tuple:
		return !slices.ContainsFunc(v.items, func(v value) bool { return !immutableValue(v) })
	}
	return false
}

// pureFunc checks a function of the program the body calls: it assigns
// only its own names, stores into no item or attribute, declares no
// global, and calls only what the body may (the program's functions to
// maxPureDepth), on values it made (only the methods safe on any value)
// or reads from around it (the methods that change nothing). What it
// reads from around it, the loop must not change.
func (c *loopCheck) pureFunc(f *function, depth int) {
	if _, seen := c.funcs[f]; seen {
		return
	}
	if depth > maxPureDepth || f.async {
		c.fail()
		return
	}
	// Until checked (a recursion), what it returns may change.
	c.funcs[f] = false
	// Its defaults are arguments too.
	for _, v := range f.defs {
		if !immutableValue(v) {
			c.fail()
		}
	}
	for _, v := range f.kwdef {
		if !immutableValue(v) {
			c.fail()
		}
	}
	fc := &funcCheck{c: c, f: f, depth: depth, local: map[string]bool{}, param: map[string]bool{}, imm: map[string]bool{}}
	a := f.args
	for _, l := range [][]*syntax.Arg{a.PosOnlyArgs, a.Args, a.KwOnlyArgs, {a.Vararg}} {
		for _, p := range l {
			if p != nil {
				// Called with values that cannot change (see immutable
				// and funcCheck.call).
				fc.local[p.Name], fc.param[p.Name], fc.imm[p.Name] = true, true, true
			}
		}
	}
	if a.Kwarg != nil {
		// A dict.
		fc.local[a.Kwarg.Name], fc.param[a.Kwarg.Name], fc.imm[a.Kwarg.Name] = true, true, false
	}
	if f.expr != nil {
		fc.expr(f.expr)
		c.funcs[f] = fc.immExpr(f.expr)
		return
	}
	fc.locals(f.body)
	fc.immutables(f.body)
	fc.stmts(f.body)
	c.funcs[f] = fc.immReturns(f.body)
}

// immReturns reports whether every value a function's body returns
// cannot change (falling off its end returns None).
func (fc *funcCheck) immReturns(stmts []syntax.Stmt) bool {
	for _, st := range stmts {
		if r, ok := st.(*syntax.Return); ok && r.Value != nil && !fc.immExpr(r.Value) {
			return false
		}
		for _, b := range blocks(st) {
			if !fc.immReturns(b) {
				return false
			}
		}
	}
	return true
}

// funcCheck is the check of one function a loop calls.
type funcCheck struct {
	c     *loopCheck
	f     *function
	depth int
	// local are the function's own names, param its parameters: a name
	// of its own read before it is assigned is looked up around it (the
	// front end does not raise UnboundLocalError).
	local, param map[string]bool
	// imm are the names of the function's own that can hold only values
	// that cannot change: only those may be augmented ("l += [1]"
	// extends a list in place) or passed to the functions it calls.
	imm map[string]bool
}

// immutables finds which of the function's own names hold only values
// that cannot change: those every assignment of gives such a value,
// found from the assumption that all do, until nothing changes.
func (fc *funcCheck) immutables(body []syntax.Stmt) {
	type binding struct {
		names []string
		ok    func() bool
	}
	var bs []binding
	var walk func([]syntax.Stmt)
	walk = func(stmts []syntax.Stmt) {
		for _, st := range stmts {
			switch st := st.(type) {
			case *syntax.Assign:
				for _, t := range st.Targets {
					bs = append(bs, binding{targetNames(t), func() bool { return fc.immExpr(st.Value) }})
				}
			case *syntax.AugAssign:
				bs = append(bs, binding{targetNames(st.Target), func() bool { return fc.immExpr(st.Target) && fc.immExpr(st.Value) }})
			case *syntax.AnnAssign:
				if st.Value != nil {
					bs = append(bs, binding{targetNames(st.Target), func() bool { return fc.immExpr(st.Value) }})
				}
			case *syntax.For:
				// The items of a value that cannot change cannot.
				bs = append(bs, binding{targetNames(st.Target), func() bool { return fc.immExpr(st.Iter) }})
			}
			for _, b := range blocks(st) {
				walk(b)
			}
		}
	}
	walk(body)
	for n := range fc.local {
		if _, param := fc.imm[n]; !param {
			fc.imm[n] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, b := range bs {
			for _, n := range b.names {
				if fc.imm[n] && !b.ok() {
					fc.imm[n], changed = false, true
				}
			}
		}
	}
}

// immResults are the built-ins whose result cannot change, and
// strResults the methods that make a str or bytes of one.
var (
	immResults = map[string]bool{"len": true, "str": true, "repr": true, "int": true, "float": true, "bool": true,
		"abs": true, "round": true, "isinstance": true, "range": true}
	strResults = map[string]bool{"upper": true, "lower": true, "strip": true, "replace": true, "decode": true,
		"encode": true, "format": true, "join": true, "startswith": true, "endswith": true}
)

// immExpr reports whether an expression of the function gives a value
// that cannot change.
func (fc *funcCheck) immExpr(e syntax.Expr) bool {
	all := func(es []syntax.Expr) bool {
		return !slices.ContainsFunc(es, func(e syntax.Expr) bool { return !fc.immExpr(e) })
	}
	switch e := e.(type) {
	case *syntax.Constant, *syntax.Compare, *syntax.JoinedStr:
		return true
	case *syntax.Name:
		v, ok := lookupFree(fc.c.x, fc.f, e.ID)
		switch {
		case fc.param[e.ID]:
			return fc.imm[e.ID]
		case fc.local[e.ID]:
			// Or, not assigned yet, what is around the function.
			return fc.imm[e.ID] && (!ok || immutableValue(v))
		}
		return ok && immutableValue(v)
	case *syntax.BinOp:
		return fc.immExpr(e.Left) && fc.immExpr(e.Right)
	case *syntax.UnaryOp:
		return fc.immExpr(e.Operand)
	case *syntax.BoolOp:
		return all(e.Values)
	case *syntax.IfExp:
		return fc.immExpr(e.Body) && fc.immExpr(e.OrElse)
	case *syntax.Tuple:
		return all(e.Elts)
	case *syntax.Subscript:
		// An item or a slice of a value that cannot change cannot.
		return fc.immExpr(e.Value)
	case *syntax.Call:
		switch f := e.Func.(type) {
		case *syntax.Name:
			if fc.local[f.ID] {
				return false
			}
			switch g := lookupValue(fc.c.x, fc.f, f.ID).(type) {
			case *builtin:
				return immResults[g.name]
			case *function:
				// One that returns only values that cannot change.
				fc.c.pureFunc(g, fc.depth+1)
				return fc.c.funcs[g]
			}
			return false
		case *syntax.Attribute:
			return strResults[f.Attr] && fc.immExpr(f.Value)
		}
	}
	return false
}

// locals adds the names a function's body assigns: its own.
func (fc *funcCheck) locals(stmts []syntax.Stmt) {
	for _, st := range stmts {
		for _, n := range assigned(st) {
			fc.local[n] = true
		}
		if w, ok := st.(*syntax.With); ok {
			for _, it := range w.Items {
				if it.OptionalVars != nil {
					for _, n := range targetNames(it.OptionalVars) {
						fc.local[n] = true
					}
				}
			}
		}
		for _, b := range blocks(st) {
			fc.locals(b)
		}
	}
}

func (fc *funcCheck) stmts(stmts []syntax.Stmt) {
	c := fc.c
	for _, st := range stmts {
		if !c.ok {
			return
		}
		switch st := st.(type) {
		case *syntax.Assign:
			for _, t := range st.Targets {
				if !namesOnly(t) {
					c.fail()
				}
			}
			fc.expr(st.Value)
		case *syntax.AugAssign:
			if n, ok := st.Target.(*syntax.Name); !ok || !fc.imm[n.ID] {
				// "l += [1]" extends the list in place.
				c.fail()
			}
			fc.expr(st.Value)
		case *syntax.AnnAssign:
			if _, ok := st.Target.(*syntax.Name); !ok {
				c.fail()
			}
			if st.Value != nil {
				fc.expr(st.Value)
			}
		case *syntax.ExprStmt:
			fc.expr(st.Value)
		case *syntax.Return:
			if st.Value != nil {
				fc.expr(st.Value)
			}
		case *syntax.Pass, *syntax.Break, *syntax.Continue:
		case *syntax.If:
			fc.expr(st.Test)
			fc.stmts(st.Body)
			fc.stmts(st.OrElse)
		case *syntax.While:
			fc.expr(st.Test)
			fc.stmts(st.Body)
			fc.stmts(st.OrElse)
		case *syntax.For:
			if st.Async || !namesOnly(st.Target) {
				c.fail()
			}
			fc.expr(st.Iter)
			fc.stmts(st.Body)
			fc.stmts(st.OrElse)
		case *syntax.With:
			if st.Async {
				c.fail()
			}
			for _, it := range st.Items {
				fc.expr(it.ContextExpr)
				switch v, _ := fc.resolve(it.ContextExpr); o := v.(type) {
				case *lockObj:
					if c.memo && o.kind == "RLock" {
						// Whether it emits an op depends on the RLocks held.
						c.fail()
					}
				case *semObj:
				default:
					c.fail()
				}
				if it.OptionalVars != nil && !namesOnly(it.OptionalVars) {
					c.fail()
				}
			}
			fc.stmts(st.Body)
		case *syntax.Assert:
			fc.expr(st.Test)
			fc.expr(st.Msg)
		default:
			// global, nonlocal, try, raise, del, import, def, class.
			c.fail()
		}
	}
}

// read checks a read of name in the function: a parameter, or a name
// looked up around it (perhaps as one of its own not assigned yet) that
// the loop does not change, and not a shared variable.
func (fc *funcCheck) read(name string) {
	if !fc.param[name] {
		fc.free(name)
	}
}

// free returns what a name from around the function holds, as eval
// would find it, with no effect; it must not be one the loop changes or
// a shared variable.
func (fc *funcCheck) free(name string) (value, bool) {
	c := fc.c
	if c.x.c.shared[name] || c.changing[name] || c.linear[name] {
		c.fail()
		return nil, false
	}
	v, ok := lookupFree(c.x, fc.f, name)
	if c.memo {
		c.deps = append(c.deps, memoDep{f: fc.f, name: name, v: v})
	}
	return v, ok
}

// lookupValue is lookupFree's value, nil if unbound.
func lookupValue(x *thread, f *function, name string) value {
	v, _ := lookupFree(x, f, name)
	return v
}

// lookupFree looks name up from inside function f: the scopes around it,
// the module, the built-ins.
func lookupFree(x *thread, f *function, name string) (value, bool) {
	for o := f.outer; o != nil; o = o.outer {
		if v, ok := o.vars[name]; ok {
			return v, true
		}
	}
	if v, ok := x.module().vars[name]; ok {
		return v, true
	}
	v, ok := builtins[name]
	return v, ok
}

// resolve returns the value of a name or dotted name from around the
// function, as eval would find it, with no effect.
func (fc *funcCheck) resolve(e syntax.Expr) (value, bool) {
	return resolveDotted(e, func(name string) (value, bool) {
		if fc.local[name] {
			return nil, false
		}
		return fc.free(name)
	})
}

func (fc *funcCheck) expr(e syntax.Expr) {
	c := fc.c
	if !c.ok || e == nil {
		return
	}
	each := func(es []syntax.Expr) {
		for _, e := range es {
			fc.expr(e)
		}
	}
	switch e := e.(type) {
	case *syntax.Constant:
	case *syntax.Name:
		fc.read(e.ID)
	case *syntax.Attribute:
		fc.expr(e.Value)
		if v, ok := fc.resolve(e.Value); !ok {
			c.fail()
		} else if _, ok := attrOf(v, e.Attr); !ok {
			c.fail()
		}
	case *syntax.Call:
		each(e.Args)
		for _, k := range e.Keywords {
			fc.expr(k.Value)
		}
		fc.call(e)
	default:
		kids, ok := operands(e)
		if !ok {
			c.fail()
		}
		each(kids)
	}
}

// call checks what a call in the function calls.
func (fc *funcCheck) call(e *syntax.Call) {
	c := fc.c
	var callee value
	switch f := e.Func.(type) {
	case *syntax.Name:
		fc.read(f.ID)
		v, ok := fc.resolve(f)
		if !ok {
			c.fail()
			return
		}
		callee = v
	case *syntax.Attribute:
		fc.expr(f.Value)
		recv, ok := fc.resolve(f.Value)
		if !ok {
			if !anyMethods[f.Attr] {
				c.fail()
			}
			return
		}
		if m, ok := recv.(*module); ok {
			callee = m.attrs[f.Attr]
			break
		}
		// A socket's state is compared for the loop's own sockets only.
		if ok, sock := methodOK(recv, f.Attr); !ok || sock != nil {
			c.fail()
		}
		if c.memo {
			switch o := recv.(type) {
			case *threadObj, *processObj:
				// Joining depends on its start.
				c.fail()
			case *lockObj:
				if o.kind == "RLock" {
					c.fail()
				}
			}
		}
		return
	default:
		c.fail()
		return
	}
	switch f := callee.(type) {
	case *builtin:
		if !pureBuiltins[f.name] || c.memo && (f.name == "os.getpid" || f.name == "threading.get_ident") {
			// Those two answer for the thread calling.
			c.fail()
		}
	case *function:
		for _, a := range e.Args {
			if !fc.immExpr(a) {
				c.fail()
			}
		}
		for _, k := range e.Keywords {
			if k.Arg == "" || !fc.immExpr(k.Value) {
				c.fail()
			}
		}
		c.pureFunc(f, fc.depth+1)
	default:
		c.fail()
	}
}

// Calls are remembered as well: a call of a function of the program's
// that can do nothing but make ops and use its own names (the functions a
// loop may call and be added up, with no RLock, no thread's or process's
// join, no os.getpid or get_ident, and defaults that cannot change), made
// with arguments that cannot change, the same names around it holding the
// same values, the same CPU pending and at the same depth, makes the same
// ops and returns the same value as the last such call: its ops are
// copied rather than compiled again. The ten-thousandth thread running
// the same countdown as the others, or the same whole target, costs no
// iteration of the budget.

// memo is what the compiler remembers of one function's calls.
type memo struct {
	checked, ok bool
	// deps are the names the function and what it calls read from around
	// them, with what they held when it was checked.
	deps  []memoDep
	calls []memoCall
	next  int
}

// memoDep is a name read from around function f.
type memoDep struct {
	f    *function
	name string
	v    value
}

// memoCall is one call remembered.
type memoCall struct {
	args    []value
	kw      []value // names and values, by name
	pending time.Duration
	depth   int
	code    sim.Code
	result  value
}

// Bounds on what is remembered: the calls of one function, and the ops
// of one call.
const (
	memoCalls = 8
	memoOps   = 1 << 14
)

// callPure calls a function of the program's, or copies a call
// remembered (see memo).
func (x *thread) callPure(f *function, args []value, kw map[string]value) (value, error) {
	if fastForward == 0 || f.def == nil || f.async || slices.ContainsFunc(args, func(v value) bool { return !immutableValue(v) }) {
		return x.callFunction(f, args, kw)
	}
	var kws []value
	for _, k := range sortedKeys(kw) {
		if !immutableValue(kw[k]) {
			return x.callFunction(f, args, kw)
		}
		kws = append(kws, k, kw[k])
	}
	m := x.c.memos[f]
	if m == nil {
		if x.c.memos == nil {
			x.c.memos = map[*function]*memo{}
		}
		m = &memo{}
		x.c.memos[f] = m
	}
	if !m.checked || m.ok && !x.depsHold(m) {
		x.checkMemo(f, m)
	}
	if !m.ok {
		return x.callFunction(f, args, kw)
	}
	for i := range m.calls {
		mc := &m.calls[i]
		if mc.pending == x.cost && mc.depth == x.depth && slices.EqualFunc(mc.args, args, sameValue) && slices.EqualFunc(mc.kw, kws, sameValue) {
			// The pending CPU is in the ops remembered.
			x.cost = 0
			return mc.result, x.emit(mc.code)
		}
	}
	start, pending, depth := len(x.code), x.cost, x.depth
	v, err := x.callFunction(f, args, kw)
	if err != nil || !immutableValue(v) || len(x.code)-start > memoOps {
		return v, err
	}
	mc := memoCall{args: slices.Clone(args), kw: kws, pending: pending, depth: depth, code: slices.Clone(x.code[start:]), result: v}
	if len(m.calls) < memoCalls {
		m.calls = append(m.calls, mc)
	} else {
		m.calls[m.next] = mc
		m.next = (m.next + 1) % memoCalls
	}
	return v, nil
}

// checkMemo checks whether f's calls can be remembered, forgetting those
// remembered.
func (x *thread) checkMemo(f *function, m *memo) {
	c := &loopCheck{x: x, changing: map[string]bool{}, linear: map[string]bool{}, reads: map[string]bool{},
		funcs: map[*function]bool{}, memo: true, ok: true}
	c.pureFunc(f, 0)
	for _, d := range c.deps {
		if !stableValue(d.v) {
			c.fail()
		}
	}
	m.checked, m.ok, m.deps, m.calls, m.next = true, c.ok, c.deps, nil, 0
}

// depsHold reports whether every name f's check read from around it
// holds what it held then.
func (x *thread) depsHold(m *memo) bool {
	for _, d := range m.deps {
		v, _ := lookupFree(x, d.f, d.name)
		if !sameDep(d.v, v) {
			return false
		}
	}
	return true
}

// stableValue reports whether a value read from around a function is
// one whose use cannot change from call to call: one that cannot change,
// a function whose defaults cannot, a built-in, a module, or a handle
// the front end keeps nothing of (a lock, a semaphore, an event, a
// queue). Unbound (nil) is stable too: the call raises NameError.
func stableValue(v value) bool {
	switch o := v.(type) {
	case nil, *builtin, *module, *lockObj, *semObj, *eventObj, *queueObj:
		return true
	case *function:
		return !slices.ContainsFunc(o.defs, func(v value) bool { return !immutableValue(v) })
	}
	return immutableValue(v)
}

// sameDep reports whether a name read from around a function holds the
// same as when the function was checked.
func sameDep(a, b value) bool {
	if immutableValue(a) {
		return sameValue(a, b)
	}
	if immutableValue(b) {
		return false
	}
	return a == b
}

// sameValue reports whether two values that cannot change are the same
// value, of the same type.
func sameValue(a, b value) bool {
	switch a := a.(type) {
	case *tuple:
		t, ok := b.(*tuple)
		return ok && slices.EqualFunc(a.items, t.items, sameValue)
	case *rangeVal:
		r, ok := b.(*rangeVal)
		return ok && *a == *r
	}
	return samePlain(a, b)
}
