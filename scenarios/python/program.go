package python

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gilsim/gilsim/scenarios/python/syntax"
	"github.com/gilsim/gilsim/sim"
)

// Program is a parsed Python file, ready to be compiled under any
// version and any values of its constants.
type Program struct {
	// Name is the file name messages and tracebacks show.
	Name string
	// Source is the program's text.
	Source string
	file   *syntax.File
	consts []Const
}

// Const is a module-level constant that --set NAME=value overrides: a
// name assigned once, at the top level, an int, float, bool or string
// literal.
type Const struct {
	Name    string
	Default string
	// Kind is "int", "float", "bool" or "str".
	Kind string
	Line int
	// vline and col are where the literal starts (col a byte offset
	// from 0), so that a set value can be written in its place.
	vline, col int
}

// Options are what a compilation may vary.
type Options struct {
	// Version is the CPython version simulated; nil means DefaultVersion.
	Version *Version
	// Set overrides module-level constants: name to its new value, as
	// Python would read it.
	Set map[string]string
	// Peer is how long the simulated network peer takes to answer: a
	// client's echo, or an accepted connection's next message.
	Peer time.Duration
	// PeerFromSend counts Peer from the start of the sends the peer
	// answers rather than from their end: a recv waits what is left of
	// Peer after the sends' own waits, at least a microsecond (the
	// syscall), so that Peer is a whole round trip as a socketpair
	// benchmark measures it.
	PeerFromSend bool
	// Send is how long a socket's send or sendall blocks handing its
	// message to the kernel, where no pragma sets it; 0 means 50µs.
	Send time.Duration
	// Cores is what multiprocessing.cpu_count() returns.
	Cores int
}

// DefaultPeer is how long the simulated peer takes to answer a socket.
const DefaultPeer = 250 * time.Millisecond

// Load parses a program. A syntax error is a *syntax.Error, valid Python
// the front end does not read a *syntax.Unsupported.
func Load(name string, src []byte) (*Program, error) {
	f, err := syntax.Parse(name, src)
	if err != nil {
		return nil, err
	}
	p := &Program{Name: name, Source: strings.ReplaceAll(strings.TrimPrefix(string(src), "\uFEFF"), "\r\n", "\n"), file: f}
	p.consts = findConsts(f)
	return p, nil
}

// Consts returns the program's module-level constants.
func (p *Program) Consts() []Const { return slices.Clone(p.consts) }

// findConsts lists the names assigned exactly once at module level (or
// in a top-level if __name__ == "__main__": block), to a literal.
func findConsts(f *syntax.File) []Const {
	count := map[string]int{}
	var found []Const
	var walk func([]syntax.Stmt, bool)
	walk = func(body []syntax.Stmt, top bool) {
		for _, st := range body {
			for _, n := range assigned(st) {
				count[n]++
			}
			if a, ok := st.(*syntax.Assign); ok && top && len(a.Targets) == 1 {
				if n, ok := a.Targets[0].(*syntax.Name); ok {
					if c, ok := literal(a.Value); ok {
						c.Name, c.Line = n.ID, a.Line
						pos := a.Value.Position()
						c.vline, c.col = pos.Line, pos.Col-1
						found = append(found, c)
					}
				}
			}
			switch st := st.(type) {
			case *syntax.If:
				walk(st.Body, top)
				walk(st.OrElse, top)
			case *syntax.FunctionDef:
				walk(st.Body, false)
			default:
				for _, b := range blocks(st) {
					walk(b, false)
				}
			}
		}
	}
	walk(f.Body, true)
	shared := findShared(f.Body)
	var out []Const
	for _, c := range found {
		if count[c.Name] == 1 && !shared[c.Name] && c.Name != "__name__" {
			out = append(out, c)
		}
	}
	return out
}

// literal reads a constant's value.
func literal(e syntax.Expr) (Const, bool) {
	neg := false
	if u, ok := e.(*syntax.UnaryOp); ok && u.Op == syntax.USub {
		neg, e = true, u.Operand
	}
	k, ok := e.(*syntax.Constant)
	if !ok {
		return Const{}, false
	}
	switch v := k.Value.(type) {
	case int64:
		if neg {
			v = -v
		}
		return Const{Kind: "int", Default: strconv.FormatInt(v, 10)}, true
	case float64:
		if neg {
			v = -v
		}
		return Const{Kind: "float", Default: syntax.FloatRepr(v)}, true
	case bool:
		if neg {
			return Const{}, false
		}
		return Const{Kind: "bool", Default: repr(v)}, true
	case string:
		if neg {
			return Const{}, false
		}
		return Const{Kind: "str", Default: v}, true
	}
	return Const{}, false
}

// Compile turns the program into the workload the engine runs.
func (p *Program) Compile(o Options) (sim.Workload, error) {
	if o.Version == nil {
		o.Version, _ = LookupVersion(DefaultVersion)
	}
	if o.Peer == 0 {
		o.Peer = DefaultPeer
	}
	if o.Send == 0 {
		o.Send = sendWait
	}
	if o.Cores == 0 {
		o.Cores = 4
	}
	set := map[string]value{}
	for name, text := range o.Set {
		i := slices.IndexFunc(p.consts, func(c Const) bool { return c.Name == name })
		if i < 0 {
			return sim.Workload{}, fmt.Errorf("%s has no constant %s to set (constants: %s)", p.Name, name, strings.Join(p.constNames(), ", "))
		}
		v, err := p.consts[i].parse(text)
		if err != nil {
			return sim.Workload{}, err
		}
		set[name] = v
	}
	c := &compiler{file: p.file, name: p.Name, ver: o.Version, opts: o, set: set}
	if err := c.compile(); err != nil {
		return sim.Workload{}, err
	}
	c.w.Source = p.sourceWith(set)
	for i, l := range c.w.Locks {
		if l == "" {
			c.w.Locks[i] = fmt.Sprintf("lock %d", i+1)
		}
	}
	for i := range c.w.Queues {
		if c.w.Queues[i].Name == "" {
			c.w.Queues[i].Name = fmt.Sprintf("queue %d", i+1)
		}
	}
	for i := range c.w.Sems {
		if c.w.Sems[i].Name == "" {
			c.w.Sems[i].Name = fmt.Sprintf("semaphore %d", i+1)
		}
	}
	for i, e := range c.w.Events {
		if e == "" {
			c.w.Events[i] = fmt.Sprintf("event %d", i+1)
		}
	}
	return c.w, nil
}

func (p *Program) constNames() []string {
	var out []string
	for _, c := range p.consts {
		out = append(out, c.Name)
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

// parse reads a new value for the constant.
func (c Const) parse(text string) (value, error) {
	bad := func(want string) error {
		return fmt.Errorf("%s=%q: expected %s, as the program's %s = %s", c.Name, text, want, c.Name, c.Default)
	}
	switch c.Kind {
	case "int":
		n, err := strconv.ParseInt(strings.ReplaceAll(text, "_", ""), 10, 64)
		if err != nil {
			return nil, bad("a whole number")
		}
		return n, nil
	case "float":
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, bad("a number")
		}
		return f, nil
	case "bool":
		switch strings.ToLower(text) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, bad("True or False")
	}
	return text, nil
}
