package python

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gilsim/gilsim/scenarios/python/syntax"
	"github.com/gilsim/gilsim/sim"
)

// method returns v's method or attribute name, for the library's types.
func (x *thread) method(v value, name string) (value, error) {
	bind := func(f func(x *thread, a []value, kw map[string]value) (value, error)) (value, error) {
		return fn(name, f), nil
	}
	switch o := v.(type) {
	case *superProxy:
		return x.superAttr(o, name)
	case *threadObj:
		return x.threadAttr(o, name)
	case *processObj:
		return x.processAttr(o, name)
	case *lockObj:
		return x.lockAttr(o, name)
	case *poolObj:
		return x.poolAttr(o, name)
	case *executor:
		return x.executorAttr(o, name)
	case *future:
		return x.futureAttr(o, name)
	case *semObj:
		return x.semAttr(o, name)
	case *eventObj:
		return x.eventAttr(o, name)
	case *queueObj:
		return x.queueAttr(o, name)
	case *socketObj:
		switch name {
		case "connect", "sendall", "send", "recv", "close", "setblocking", "settimeout", "setsockopt", "bind", "listen", "accept":
			return bind(func(x *thread, a []value, _ map[string]value) (value, error) { return x.socketCall(o, name, a) })
		}
	case *stream:
		return x.streamAttr(o, name)
	case *taskObj:
		switch name {
		case "result":
			return bind(func(*thread, []value, map[string]value) (value, error) { return o.result, nil })
		case "get_name":
			return bind(func(*thread, []value, map[string]value) (value, error) { return o.name, nil })
		}
	case *list:
		return x.listMethod(o, name)
	case *dict:
		return x.dictMethod(o, name)
	case string:
		return x.strMethod(o, name)
	case bytesVal:
		return x.bytesMethod(o, name)
	}
	return nil, raise("AttributeError", "'%s' object has no attribute '%s'", typeName(v), name)
}

func (x *thread) superAttr(p *superProxy, name string) (value, error) {
	self, cls := p.frame.self, p.frame.cls
	for _, b := range cls.bases {
		if f, ok := lookupAttr(b, name).(*function); ok {
			return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
				x.selves = append(x.selves, selfFrame{self: self, cls: b})
				defer func() { x.selves = x.selves[:len(x.selves)-1] }()
				return x.callFunction(f, append([]value{self}, a...), kw)
			}), nil
		}
	}
	if name == "__init__" {
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			if self.thread != nil {
				return none{}, x.threadInit(self.thread, a, kw)
			}
			return none{}, nil
		}), nil
	}
	if self.thread != nil {
		return x.threadAttr(self.thread, name)
	}
	return nil, raise("AttributeError", "'super' object has no attribute '%s'", name)
}

func (x *thread) processAttr(p *processObj, name string) (value, error) {
	switch name {
	case "name":
		return p.name, nil
	case "daemon":
		return p.daemon, nil
	case "pid":
		if !p.started {
			return none{}, nil
		}
		return int64(1000 + p.id), nil
	case "start":
		return fn(name, func(x *thread, _ []value, _ map[string]value) (value, error) { return none{}, x.startProcess(p) }), nil
	case "join":
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			if !p.started {
				return nil, raise("AssertionError", "can only join a started process")
			}
			op, err := x.timed(sim.ProcJoin(x.line, p.id), a, kw, "join")
			if err != nil {
				return nil, err
			}
			return none{}, x.emit(op)
		}), nil
	case "terminate", "kill":
		return fn(name, func(x *thread, _ []value, _ map[string]value) (value, error) {
			if !p.started {
				return none{}, nil
			}
			return none{}, x.emit(sim.ProcTerminate(x.line, p.id))
		}), nil
	case "is_alive", "exitcode":
		return nil, x.unsupported("Process.%s is known only at run time", name)
	}
	return nil, raise("AttributeError", "'Process' object has no attribute '%s'", name)
}

func (x *thread) lockAttr(l *lockObj, name string) (value, error) {
	switch name {
	case "acquire":
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			if len(a) > 0 || len(kw) > 0 {
				return nil, x.unsupported("acquire(blocking=False) and acquire(timeout=...) are not simulated yet: their result is known only at run time")
			}
			x.charge(x.c.ver.c.lock / 2)
			return true, x.acquire(l)
		}), nil
	case "release":
		return fn(name, func(x *thread, _ []value, _ map[string]value) (value, error) {
			x.charge(x.c.ver.c.lock / 2)
			return none{}, x.release(l)
		}), nil
	case "locked":
		return nil, x.unsupported("Lock.locked() is known only at run time")
	}
	return nil, raise("AttributeError", "'%s' object has no attribute '%s'", l.kind, name)
}

// acquire takes a lock; an RLock the thread holds already is counted.
func (x *thread) acquire(l *lockObj) error {
	if l.kind == "RLock" {
		if x.held == nil {
			x.held = map[int]int{}
		}
		x.held[l.id]++
		if x.held[l.id] > 1 {
			return nil
		}
	}
	return x.emit(sim.Acquire(x.line, l.id))
}

func (x *thread) release(l *lockObj) error {
	if l.kind == "RLock" {
		if x.held[l.id] == 0 {
			return raise("RuntimeError", "cannot release un-acquired lock")
		}
		x.held[l.id]--
		if x.held[l.id] > 0 {
			return nil
		}
	}
	return x.emit(sim.Release(x.line, l.id))
}

func (x *thread) queueAttr(q *queueObj, name string) (value, error) {
	plain := q.kind == "Queue" && x.c.w.Queues[q.id].Kind == sim.QueueProcess
	switch name {
	case "put":
		return fn(name, func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("put", a, 1, 3); err != nil {
				return nil, err
			}
			x.charge(x.c.ver.c.queuePutGet / 2)
			switch v := a[0].(type) {
			case none:
				return none{}, x.emit(sim.PutNone(x.line, q.id))
			case int64:
				return none{}, x.emit(sim.Put(x.line, q.id, v))
			case bool:
				return none{}, x.emit(sim.Put(x.line, q.id, boolInt(v)))
			case *dynamic:
				return nil, x.unsupported("putting a value another thread made at run time on a queue is not simulated yet")
			case *clockVal, *clockDiff:
				return nil, x.unsupported("putting a reading of the clock on a queue is not simulated yet")
			}
			// Any other item travels as what print shows of it: the
			// taker may print it or test it for None.
			return none{}, x.emit(sim.PutText(x.line, q.id, x.c.text(str(a[0]))))
		}), nil
	case "get":
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			if len(a) > 0 || len(kw) > 0 {
				return nil, x.unsupported("get(block=False) and get(timeout=...) are not simulated yet")
			}
			return x.queueGet(q)
		}), nil
	case "task_done", "join":
		if plain {
			return nil, raise("AttributeError", "'Queue' object has no attribute '%s'", name)
		}
		return fn(name, func(x *thread, _ []value, _ map[string]value) (value, error) {
			x.charge(x.c.ver.c.method)
			if name == "join" {
				return none{}, x.emit(sim.QueueJoin(x.line, q.id))
			}
			return none{}, x.emit(sim.TaskDone(x.line, q.id))
		}), nil
	case "close", "join_thread", "cancel_join_thread":
		if x.c.w.Queues[q.id].Kind == sim.QueueThread {
			break
		}
		return fn(name, func(x *thread, _ []value, _ map[string]value) (value, error) {
			x.charge(x.c.ver.c.method)
			return none{}, nil
		}), nil
	case "empty", "full", "qsize", "put_nowait", "get_nowait":
		return nil, x.unsupported("%s.%s() is known only at run time: not simulated yet", q.kind, name)
	}
	return nil, raise("AttributeError", "'%s' object has no attribute '%s'", q.kind, name)
}

// socketCall is a method of a socket: a client's, whose peer echoes
// what it is sent, a server's listening one, or a connection the server
// accepted, whose peer is a client (see socketObj).
//
// The round trips are the requests whose latency the run reports: on a
// client's socket from the send that begins it (the first since the
// last reply) to the GIL retaken after the recv that waits for the
// reply; on an accepted connection from the recv that waits for the
// client's message to the GIL retaken after the send of the reply. A
// thread (or task) has one open at a time: a send or recv on another
// socket meanwhile is not one.
func (x *thread) socketCall(s *socketObj, name string, a []value) (value, error) {
	c := &x.c.ver.c
	x.charge(c.method)
	switch name {
	case "connect":
		if s.closed {
			return nil, raise("OSError", "[Errno 9] Bad file descriptor")
		}
		if s.listening || s.accepted || s.connected {
			return nil, raise("OSError", "[Errno 106] Transport endpoint is already connected")
		}
		d, err := x.pragma(connectWait)
		if err != nil {
			return nil, err
		}
		s.connected = true
		return none{}, x.emit(sim.IO(x.line, d, sim.ReqNone))
	case "bind":
		if err := arity(name, a, 1, 1); err != nil {
			return nil, err
		}
		if s.closed {
			return nil, raise("OSError", "[Errno 9] Bad file descriptor")
		}
		return none{}, nil
	case "listen":
		if err := arity(name, a, 0, 1); err != nil {
			return nil, err
		}
		if s.closed {
			return nil, raise("OSError", "[Errno 9] Bad file descriptor")
		}
		if s.connected {
			return nil, raise("OSError", "[Errno 22] Invalid argument")
		}
		s.listening = true
		return none{}, nil
	case "accept":
		if err := arity(name, a, 0, 0); err != nil {
			return nil, err
		}
		if !s.listening || s.closed {
			return nil, raise("OSError", "[Errno 22] Invalid argument")
		}
		// A client connects: the wait of a local connection.
		d, err := x.pragma(connectWait)
		if err != nil {
			return nil, err
		}
		if err := x.emit(sim.IO(x.line, d, sim.ReqNone)); err != nil {
			return nil, err
		}
		x.c.nconn++
		conn := &socketObj{connected: true, accepted: true, due: true}
		addr := &tuple{items: []value{"127.0.0.1", int64(50000 + x.c.nconn)}}
		return &tuple{items: []value{conn, addr}}, nil
	case "sendall", "send":
		if err := arity(name, a, 1, 2); err != nil {
			return nil, err
		}
		data, ok := a[0].(bytesVal)
		if !ok {
			return nil, raise("TypeError", "a bytes-like object is required, not '%s'", typeName(a[0]))
		}
		if !s.connected || s.closed {
			return nil, raise("OSError", "[Errno 32] Broken pipe")
		}
		d, err := x.pragma(x.c.opts.Send)
		if err != nil {
			return nil, err
		}
		req := sim.ReqNone
		switch {
		case s.accepted:
			// The reply: the client sends its next message after it.
			if x.req == s {
				req, x.req = sim.ReqEnd, nil
			}
			if !s.due {
				s.due, s.sent = true, 0
			}
		default:
			s.buf = append(s.buf, data...)
			if x.req == nil {
				req, x.req = sim.ReqBegin, s
			}
		}
		s.sent += d
		if err := x.emit(sim.IO(x.line, d, req)); err != nil {
			return nil, err
		}
		if name == "send" {
			return int64(len(data)), nil
		}
		return none{}, nil
	case "recv":
		if err := arity(name, a, 1, 2); err != nil {
			return nil, err
		}
		n, ok := a[0].(int64)
		if !ok || n < 0 {
			return nil, raise("ValueError", "negative buffersize in recv")
		}
		if !s.connected || s.closed {
			return nil, raise("OSError", "[Errno 107] Transport endpoint is not connected")
		}
		return x.receive(s, int(n), func(d sim.Code) error { return x.emit(d) }, sim.IO)
	case "close":
		s.closed = true
		if x.req == s {
			x.req = nil
		}
		return none{}, nil
	case "setblocking", "settimeout", "setsockopt":
		return none{}, nil
	}
	return nil, raise("AttributeError", "'socket' object has no attribute '%s'", name)
}

// bytesMethod is a method of a bytes object: decode, and the few that
// make new bytes (upper, lower, strip, split), as str's do.
func (x *thread) bytesMethod(b bytesVal, name string) (value, error) {
	switch name {
	case "decode":
		return fn(name, func(*thread, []value, map[string]value) (value, error) { return string(b), nil }), nil
	case "upper", "lower", "strip":
		return fn(name, func(_ *thread, a []value, _ map[string]value) (value, error) {
			if err := arity(name, a, 0, 0); err != nil {
				return nil, err
			}
			switch name {
			case "upper":
				return bytesVal(bytes.ToUpper(b)), nil
			case "lower":
				return bytesVal(bytes.ToLower(b)), nil
			}
			return bytesVal(bytes.TrimSpace(b)), nil
		}), nil
	case "split":
		return fn(name, func(_ *thread, a []value, _ map[string]value) (value, error) {
			if err := arity(name, a, 0, 1); err != nil {
				return nil, err
			}
			var parts [][]byte
			switch {
			case len(a) == 0:
				parts = bytes.Fields(b)
			default:
				sep, ok := a[0].(bytesVal)
				if !ok {
					return nil, raise("TypeError", "a bytes-like object is required, not '%s'", typeName(a[0]))
				}
				if len(sep) == 0 {
					return nil, raise("ValueError", "empty separator")
				}
				parts = bytes.Split(b, sep)
			}
			out := &list{}
			for _, p := range parts {
				out.items = append(out.items, bytesVal(slices.Clone(p)))
			}
			return out, nil
		}), nil
	}
	return nil, raise("AttributeError", "'bytes' object has no attribute '%s'", name)
}

// peerWait is how long a socket's peer takes to answer: the pragma on
// the line, or Options.Peer, less the sends' own waits under
// PeerFromSend.
func (x *thread) peerWait(s *socketObj) (time.Duration, error) {
	d := x.c.opts.Peer
	if x.c.opts.PeerFromSend {
		d = max(d-s.sent, time.Microsecond)
	}
	return x.pragma(d)
}

// receive takes up to n bytes of what the peer sent. On a client's
// socket, the first read after a send waits for the peer's echo; once
// the echo is read, the peer has closed and a read returns b"" at once.
// On an accepted connection a read with nothing left of the client's
// message waits for its next one, due Peer after the connection or the
// last reply; a read while the client still waits for the reply to its
// message would wait for ever, and is refused.
func (x *thread) receive(s *socketObj, n int, emit func(sim.Code) error, wait func(int, time.Duration, sim.Req) sim.Code) (value, error) {
	switch {
	case s.accepted && len(s.reply) == 0:
		if !s.due {
			return nil, x.unsupported("a recv before replying to the client's message would wait for ever: the simulated client sends its next message only after a reply")
		}
		d, err := x.peerWait(s)
		if err != nil {
			return nil, err
		}
		req := sim.ReqNone
		if x.req == nil {
			req, x.req = sim.ReqBegin, s
		}
		s.reply, s.due, s.sent = bytesVal(clientMessage), false, 0
		if err := emit(wait(x.line, d, req)); err != nil {
			return nil, err
		}
	case !s.accepted && len(s.reply) == 0 && len(s.buf) > 0:
		d, err := x.peerWait(s)
		if err != nil {
			return nil, err
		}
		req := sim.ReqNone
		if x.req == s {
			req, x.req = sim.ReqEnd, nil
		}
		s.reply, s.buf, s.sent = s.buf, nil, 0
		if err := emit(wait(x.line, d, req)); err != nil {
			return nil, err
		}
	}
	k := min(n, len(s.reply))
	out := bytesVal(slices.Clone(s.reply[:k]))
	s.reply = s.reply[k:]
	return out, nil
}

func (x *thread) streamAttr(s *stream, name string) (value, error) {
	c := &x.c.ver.c
	switch {
	case s.reader && (name == "read" || name == "readline" || name == "readexactly"):
		return fn(name, func(x *thread, a []value, _ map[string]value) (value, error) {
			n := -1
			if len(a) > 0 {
				k, _ := a[0].(int64)
				n = int(k)
			}
			return &awaitable{what: name, run: func(x *thread) (value, error) {
				x.charge(c.method)
				if n < 0 {
					n = 1 << 30
				}
				return x.receive(s.sock, n, func(d sim.Code) error { return x.emit(d) }, sim.AwaitIO)
			}}, nil
		}), nil
	case !s.reader && name == "write":
		return fn(name, func(x *thread, a []value, _ map[string]value) (value, error) {
			if err := arity("write", a, 1, 1); err != nil {
				return nil, err
			}
			data, ok := a[0].(bytesVal)
			if !ok {
				return nil, raise("TypeError", "data argument must be a bytes-like object, not '%s'", typeName(a[0]))
			}
			x.charge(c.method)
			s.sock.buf = append(s.sock.buf, data...)
			return none{}, nil
		}), nil
	case !s.reader && (name == "drain" || name == "wait_closed"):
		return fn(name, func(x *thread, _ []value, _ map[string]value) (value, error) {
			return &awaitable{what: name, run: func(x *thread) (value, error) {
				x.charge(c.method)
				return none{}, nil
			}}, nil
		}), nil
	case !s.reader && name == "close":
		return fn(name, func(x *thread, _ []value, _ map[string]value) (value, error) {
			s.sock.closed = true
			return none{}, nil
		}), nil
	}
	return nil, raise("AttributeError", "'Stream' object has no attribute '%s'", name)
}

func (x *thread) listMethod(l *list, name string) (value, error) {
	c := &x.c.ver.c
	m := func(f func(a []value) (value, error)) (value, error) {
		return fn(name, func(x *thread, a []value, _ map[string]value) (value, error) { return f(a) }), nil
	}
	switch name {
	case "append":
		return m(func(a []value) (value, error) {
			if err := arity("append", a, 1, 1); err != nil {
				return nil, err
			}
			if _, ok := a[0].(*dynamic); ok {
				return nil, x.unsupported("keeping a value another thread makes at run time in a list is not simulated yet")
			}
			x.charge(c.listAppend - c.builtinCall)
			if len(l.items) >= maxItems {
				return nil, x.unsupported("lists longer than 4 million items are not simulated")
			}
			l.items = append(l.items, a[0])
			return none{}, nil
		})
	case "extend":
		return m(func(a []value) (value, error) {
			if err := arity("extend", a, 1, 1); err != nil {
				return nil, err
			}
			items, err := x.items(a[0])
			if len(l.items)+len(items) > maxItems {
				return nil, x.unsupported("lists longer than 4 million items are not simulated")
			}
			l.items = append(l.items, items...)
			return none{}, err
		})
	case "pop":
		return m(func(a []value) (value, error) {
			if len(l.items) == 0 {
				return nil, raise("IndexError", "pop from empty list")
			}
			i := int64(len(l.items) - 1)
			if len(a) > 0 {
				i, _ = a[0].(int64)
				if i < 0 {
					i += int64(len(l.items))
				}
				if i < 0 || i >= int64(len(l.items)) {
					return nil, raise("IndexError", "pop index out of range")
				}
			}
			v := l.items[i]
			l.items = slices.Delete(l.items, int(i), int(i)+1)
			return v, nil
		})
	case "insert":
		return m(func(a []value) (value, error) {
			if err := arity("insert", a, 2, 2); err != nil {
				return nil, err
			}
			i, _ := a[0].(int64)
			i = min(max(i, 0), int64(len(l.items)))
			l.items = slices.Insert(l.items, int(i), a[1])
			return none{}, nil
		})
	case "index", "count", "remove":
		return m(func(a []value) (value, error) {
			if err := arity(name, a, 1, 1); err != nil {
				return nil, err
			}
			n := int64(0)
			for i, v := range l.items {
				if equal(v, a[0]) {
					switch name {
					case "index":
						return int64(i), nil
					case "remove":
						l.items = slices.Delete(l.items, i, i+1)
						return none{}, nil
					}
					n++
				}
			}
			if name == "count" {
				return n, nil
			}
			return nil, raise("ValueError", "list.%s(x): x not in list", name)
		})
	case "sort", "reverse":
		return m(func(a []value) (value, error) {
			if name == "reverse" {
				slices.Reverse(l.items)
				return none{}, nil
			}
			var bad error
			slices.SortStableFunc(l.items, func(p, q value) int {
				c, err := order(p, q)
				if err != nil {
					bad = raise("TypeError", "'<' not supported between instances of '%s' and '%s'", typeName(p), typeName(q))
				}
				return c
			})
			return none{}, bad
		})
	}
	return nil, raise("AttributeError", "'list' object has no attribute '%s'", name)
}

func (x *thread) dictMethod(d *dict, name string) (value, error) {
	m := func(f func(a []value) (value, error)) (value, error) {
		return fn(name, func(x *thread, a []value, _ map[string]value) (value, error) { return f(a) }), nil
	}
	switch name {
	case "get":
		return m(func(a []value) (value, error) {
			if err := arity("get", a, 1, 2); err != nil {
				return nil, err
			}
			for i, k := range d.keys {
				if equal(k, a[0]) {
					return d.vals[i], nil
				}
			}
			if len(a) == 2 {
				return a[1], nil
			}
			return none{}, nil
		})
	case "keys":
		return m(func([]value) (value, error) { return &list{items: slices.Clone(d.keys)}, nil })
	case "values":
		return m(func([]value) (value, error) { return &list{items: slices.Clone(d.vals)}, nil })
	case "items":
		return m(func([]value) (value, error) {
			out := &list{}
			for i := range d.keys {
				out.items = append(out.items, &tuple{items: []value{d.keys[i], d.vals[i]}})
			}
			return out, nil
		})
	case "update":
		return m(func(a []value) (value, error) {
			if len(a) == 1 {
				if o, ok := a[0].(*dict); ok {
					for i := range o.keys {
						if err := x.setItem(d, o.keys[i], o.vals[i]); err != nil {
							return nil, err
						}
					}
				}
			}
			return none{}, nil
		})
	case "setdefault":
		return m(func(a []value) (value, error) {
			if err := arity("setdefault", a, 1, 2); err != nil {
				return nil, err
			}
			for i, k := range d.keys {
				if equal(k, a[0]) {
					return d.vals[i], nil
				}
			}
			var v value = none{}
			if len(a) == 2 {
				v = a[1]
			}
			return v, x.setItem(d, a[0], v)
		})
	}
	return nil, raise("AttributeError", "'dict' object has no attribute '%s'", name)
}

func (x *thread) strMethod(s string, name string) (value, error) {
	m := func(f func(a []value) (value, error)) (value, error) {
		return fn(name, func(x *thread, a []value, _ map[string]value) (value, error) { return f(a) }), nil
	}
	switch name {
	case "join":
		return m(func(a []value) (value, error) {
			if err := arity("join", a, 1, 1); err != nil {
				return nil, err
			}
			items, err := x.items(a[0])
			if err != nil {
				return nil, err
			}
			parts := make([]string, len(items))
			for i, v := range items {
				p, ok := v.(string)
				if !ok {
					return nil, raise("TypeError", "sequence item %d: expected str instance, %s found", i, typeName(v))
				}
				parts[i] = p
			}
			return strings.Join(parts, s), nil
		})
	case "upper":
		return m(func([]value) (value, error) { return strings.ToUpper(s), nil })
	case "lower":
		return m(func([]value) (value, error) { return strings.ToLower(s), nil })
	case "strip":
		return m(func([]value) (value, error) { return strings.TrimSpace(s), nil })
	case "encode":
		return m(func([]value) (value, error) { return bytesVal(s), nil })
	case "startswith", "endswith":
		return m(func(a []value) (value, error) {
			p, _ := a[0].(string)
			if name == "startswith" {
				return strings.HasPrefix(s, p), nil
			}
			return strings.HasSuffix(s, p), nil
		})
	case "replace":
		return m(func(a []value) (value, error) {
			if err := arity("replace", a, 2, 2); err != nil {
				return nil, err
			}
			return strings.ReplaceAll(s, str(a[0]), str(a[1])), nil
		})
	case "split":
		return m(func(a []value) (value, error) {
			var parts []string
			if len(a) == 0 {
				parts = strings.Fields(s)
			} else {
				parts = strings.Split(s, str(a[0]))
			}
			out := &list{}
			for _, p := range parts {
				out.items = append(out.items, p)
			}
			return out, nil
		})
	case "format":
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			return strFormat(s, a, kw)
		}), nil
	}
	return nil, raise("AttributeError", "'str' object has no attribute '%s'", name)
}

// strFormat is str.format for "{}", "{0}", "{name}" and specs after ":".
func strFormat(f string, a []value, kw map[string]value) (value, error) {
	var b strings.Builder
	next := 0
	for i := 0; i < len(f); i++ {
		ch := f[i]
		if ch == '}' && i+1 < len(f) && f[i+1] == '}' {
			b.WriteByte('}')
			i++
			continue
		}
		if ch != '{' {
			b.WriteByte(ch)
			continue
		}
		if i+1 < len(f) && f[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		end := strings.IndexByte(f[i:], '}')
		if end < 0 {
			return nil, raise("ValueError", "Single '{' encountered in format string")
		}
		field := f[i+1 : i+end]
		i += end
		key, spec, _ := strings.Cut(field, ":")
		var v value
		switch {
		case key == "":
			if next >= len(a) {
				return nil, raise("IndexError", "Replacement index %d out of range for positional args tuple", next)
			}
			v = a[next]
			next++
		case key[0] >= '0' && key[0] <= '9':
			k := int(key[0] - '0')
			if k >= len(a) {
				return nil, raise("IndexError", "Replacement index %d out of range for positional args tuple", k)
			}
			v = a[k]
		default:
			var ok bool
			if v, ok = kw[key]; !ok {
				return nil, raise("KeyError", "%s", syntax.StrRepr(key))
			}
		}
		if _, ok := v.(*dynamic); ok {
			b.WriteString(dynHole)
			continue
		}
		s, err := format(v, spec)
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// with compiles a with statement over locks (and sockets, closed at the end).
func (x *thread) with(st *syntax.With, s *scope) error {
	if st.Async {
		return x.unsupported("async with is not simulated yet")
	}
	c := &x.c.ver.c
	var held []*lockObj
	var socks []*socketObj
	var pools []*poolObj
	var sems []*semObj
	var execs []*executor
	release := func() error {
		for _, e := range execs {
			// Executor.__exit__ is shutdown(wait=True).
			if err := x.shutdown(e, true); err != nil {
				return err
			}
		}
		for i := len(sems) - 1; i >= 0; i-- {
			x.charge(c.withLock / 2)
			if err := x.emit(sim.SemRelease(x.line, sems[i].id)); err != nil {
				return err
			}
		}
		for _, p := range pools {
			// Pool.__exit__ terminates the workers.
			if err := x.poolEnd(p, false); err != nil {
				return err
			}
		}
		for i := len(held) - 1; i >= 0; i-- {
			x.charge(c.withLock / 2)
			if err := x.release(held[i]); err != nil {
				return err
			}
		}
		for _, so := range socks {
			so.closed = true
		}
		return nil
	}
	for _, it := range st.Items {
		v, err := x.eval(it.ContextExpr, s)
		if err != nil {
			return err
		}
		switch o := v.(type) {
		case *lockObj:
			x.charge(c.withLock / 2)
			if err := x.acquire(o); err != nil {
				return err
			}
			held = append(held, o)
			if it.OptionalVars != nil {
				if err := x.assign(it.OptionalVars, true, s); err != nil {
					return err
				}
			}
		case *semObj:
			x.charge(c.withLock / 2)
			if err := x.emit(sim.SemAcquire(x.line, o.id)); err != nil {
				return err
			}
			sems = append(sems, o)
			if it.OptionalVars != nil {
				if err := x.assign(it.OptionalVars, true, s); err != nil {
					return err
				}
			}
		case *executor:
			execs = append(execs, o)
			if it.OptionalVars != nil {
				if err := x.assign(it.OptionalVars, o, s); err != nil {
					return err
				}
			}
		case *poolObj:
			pools = append(pools, o)
			if it.OptionalVars != nil {
				if err := x.assign(it.OptionalVars, o, s); err != nil {
					return err
				}
			}
		case *socketObj:
			socks = append(socks, o)
			if it.OptionalVars != nil {
				if err := x.assign(it.OptionalVars, o, s); err != nil {
					return err
				}
			}
		default:
			return x.unsupported("with is simulated over locks, semaphores, pools, executors and sockets, not over a %s", typeName(v))
		}
	}
	err := x.run(st.Body, s)
	x.flush()
	x.at(st)
	if rerr := release(); rerr != nil {
		return rerr
	}
	return err
}

// await compiles an await expression.
func (x *thread) await(e *syntax.Await, s *scope) (value, error) {
	v, err := x.eval(e.Value, s)
	if err != nil {
		return nil, err
	}
	x.at(e)
	if x.task < 0 {
		return nil, x.unsupported("await outside an async function")
	}
	c := &x.c.ver.c
	switch a := v.(type) {
	case *coroutine:
		if a.awaited {
			return nil, raise("RuntimeError", "cannot reuse already awaited coroutine")
		}
		a.awaited = true
		return x.callFunction(a.fn, a.args, a.kw)
	case *awaitable:
		if a.what == "gather" {
			return x.gather(a.parts)
		}
		return a.run(x)
	case *taskObj:
		x.charge(c.taskCreate / 2)
		return a.result, x.emit(sim.AwaitTask(x.line, a.id))
	}
	return nil, raise("TypeError", "object %s can't be used in 'await' expression", typeName(v))
}

// gather compiles await asyncio.gather(...) over coroutines: each
// becomes a task, all scheduled together.
func (x *thread) gather(parts []value) (value, error) {
	cos := make([]*coroutine, len(parts))
	for i, p := range parts {
		co, ok := p.(*coroutine)
		if !ok {
			return nil, x.unsupported("asyncio.gather is simulated over coroutines yet, not over a %s", typeName(p))
		}
		cos[i] = co
	}
	first := len(x.c.w.Tasks)
	for _, co := range cos {
		x.c.reserveTask(co.fn.name)
	}
	out := &list{}
	for i, co := range cos {
		t, err := x.compileTask(first+i, co)
		if err != nil {
			return nil, err
		}
		out.items = append(out.items, t.result)
	}
	x.charge(x.c.ver.c.taskCreate / 2 * time.Duration(len(cos)))
	return out, x.emit(sim.Gather(x.line, first, len(cos)))
}

func (x *thread) poolAttr(p *poolObj, name string) (value, error) {
	switch name {
	case "map", "imap", "starmap":
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			if err := arity(name, a, 2, 3); err != nil {
				return nil, err
			}
			if p.closed {
				return nil, raise("ValueError", "Pool not running")
			}
			items, err := x.items(a[1])
			if err != nil {
				return nil, err
			}
			chunk := int64(0)
			if c, ok := kw["chunksize"]; ok {
				chunk, _ = c.(int64)
			}
			if len(a) == 3 {
				chunk, _ = a[2].(int64)
			}
			return x.poolMap(p, a[0], items, int(chunk), name == "starmap")
		}), nil
	case "apply":
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			if err := arity(name, a, 1, 2); err != nil {
				return nil, err
			}
			args := []value{&tuple{}}
			if len(a) == 2 {
				args[0] = a[1]
			}
			out, err := x.poolMap(p, a[0], args, 1, true)
			if err != nil {
				return nil, err
			}
			return out.(*list).items[0], nil
		}), nil
	case "close":
		return fn(name, func(x *thread, _ []value, _ map[string]value) (value, error) {
			p.closed = true
			return none{}, nil
		}), nil
	case "join", "terminate":
		return fn(name, func(x *thread, _ []value, _ map[string]value) (value, error) {
			if name == "join" && !p.closed {
				return nil, raise("ValueError", "Pool is still running")
			}
			return none{}, x.poolEnd(p, name == "join")
		}), nil
	case "map_async", "apply_async", "imap_unordered", "starmap_async":
		return nil, x.unsupported("Pool.%s is not simulated yet (map, starmap and apply are)", name)
	}
	return nil, raise("AttributeError", "'Pool' object has no attribute '%s'", name)
}

// poolMap is Pool.map: the items are cut into chunks (as CPython cuts
// them: four per worker unless chunksize says), the chunks dealt to n
// new worker processes in turn, each worker runs f over its chunks and
// sends each chunk's results back on a queue, and the caller waits for
// every chunk. CPython hands a chunk to whichever worker is free; dealing
// them in turn is the same when the chunks cost alike.
func (x *thread) poolMap(p *poolObj, f value, items []value, chunk int, star bool) (value, error) {
	c := x.c
	if chunk <= 0 {
		chunk = len(items) / (4 * p.n)
		if len(items)%(4*p.n) != 0 {
			chunk++
		}
		chunk = max(chunk, 1)
	}
	results := make([]value, len(items))
	c.w.Queues = append(c.w.Queues, sim.QueueSpec{Name: "pool results", Kind: sim.QueueProcess})
	q := len(c.w.Queues) - 1
	nchunks := (len(items) + chunk - 1) / chunk
	for w := 0; w < min(p.n, nchunks); w++ {
		c.nproc++
		name := fmt.Sprintf("ForkPoolWorker-%d", len(p.workers)+1)
		c.w.Procs = append(c.w.Procs, sim.ProcSpec{Name: name, Start: sim.StartFork, Daemon: true})
		pid := len(c.w.Procs) - 1
		p.workers = append(p.workers, pid)
		c.modules = append(c.modules, forkScope(x.module()))
		fname := "worker"
		if fn, ok := f.(*function); ok {
			fname = fn.name
		}
		child := c.newThread("MainThread", fname, pid, false)
		if err := child.body(func() (value, error) {
			for k := w; k < nchunks; k += p.n {
				for i := k * chunk; i < min(len(items), (k+1)*chunk); i++ {
					args := []value{items[i]}
					if star {
						var err error
						if args, err = child.items(items[i]); err != nil {
							return nil, err
						}
					}
					v, err := child.apply(f, args, nil)
					if err != nil {
						return nil, err
					}
					results[i] = v
				}
				if err := child.emit(sim.Put(child.line, q, int64(k))); err != nil {
					return nil, err
				}
			}
			return none{}, nil
		}); err != nil {
			return nil, err
		}
		x.charge(x.c.ver.c.method)
		if err := x.emit(sim.ProcStart(x.line, pid)); err != nil {
			return nil, err
		}
	}
	for range nchunks {
		x.charge(x.c.ver.c.method)
		if err := x.emit(sim.Get(x.line, q)); err != nil {
			return nil, err
		}
	}
	x.gen++
	for i, v := range results {
		if v == nil {
			// A worker died of an exception before this item: map raises
			// it in the caller in CPython; here the caller waits for ever.
			results[i] = none{}
		}
	}
	return &list{items: results}, nil
}

// poolEnd joins or terminates a pool's workers.
func (x *thread) poolEnd(p *poolObj, join bool) error {
	for _, pid := range p.workers {
		op := sim.ProcTerminate(x.line, pid)
		if join {
			op = sim.ProcJoin(x.line, pid)
		}
		if err := x.emit(op); err != nil {
			return err
		}
	}
	p.workers, p.closed = nil, true
	return nil
}

func (x *thread) semAttr(m *semObj, name string) (value, error) {
	switch name {
	case "acquire":
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			if len(a) > 0 || len(kw) > 0 {
				return nil, x.unsupported("acquire(blocking=False) and acquire(timeout=...) are not simulated yet: their result is known only at run time")
			}
			x.charge(x.c.ver.c.lock / 2)
			return true, x.emit(sim.SemAcquire(x.line, m.id))
		}), nil
	case "release":
		return fn(name, func(x *thread, a []value, _ map[string]value) (value, error) {
			n := int64(1)
			if len(a) > 0 {
				n, _ = a[0].(int64)
			}
			if n < 1 {
				return nil, raise("ValueError", "n must be one or more")
			}
			for range min(n, 1<<20) {
				x.charge(x.c.ver.c.lock / 2)
				if err := x.emit(sim.SemRelease(x.line, m.id)); err != nil {
					return nil, err
				}
			}
			return none{}, nil
		}), nil
	}
	return nil, raise("AttributeError", "'%s' object has no attribute '%s'", m.kind, name)
}

func (x *thread) eventAttr(e *eventObj, name string) (value, error) {
	switch name {
	case "wait":
		return fn(name, func(x *thread, a []value, kw map[string]value) (value, error) {
			op, err := x.timed(sim.EventWait(x.line, e.id), a, kw, "wait")
			if err != nil {
				return nil, err
			}
			x.charge(x.c.ver.c.method)
			if err := x.emit(op); err != nil {
				return nil, err
			}
			if op[0].N == 1 {
				// Whether the event was set in time is known only at run time.
				return &dynamic{gen: -1, from: "the result of wait(timeout)"}, nil
			}
			return true, nil
		}), nil
	case "set":
		return fn(name, func(x *thread, _ []value, _ map[string]value) (value, error) {
			x.charge(x.c.ver.c.method)
			return none{}, x.emit(sim.EventSet(x.line, e.id))
		}), nil
	case "clear":
		return fn(name, func(x *thread, _ []value, _ map[string]value) (value, error) {
			x.charge(x.c.ver.c.method)
			return none{}, x.emit(sim.EventClear(x.line, e.id))
		}), nil
	case "is_set":
		return nil, x.unsupported("Event.is_set() is known only at run time")
	}
	return nil, raise("AttributeError", "'Event' object has no attribute '%s'", name)
}
