package python

import (
	"strings"
	"testing"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// compileWith compiles src under 3.12 with the network options o.
func compileWith(t *testing.T, src string, o Options) sim.Workload {
	t.Helper()
	p, err := Load("net.py", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	o.Version, _ = LookupVersion("3.12")
	w, err := p.Compile(o)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return w
}

// runAlone runs w to the end under the new GIL with no jitter, so that a
// wait takes exactly what the program asks.
func runAlone(t *testing.T, w sim.Workload) sim.Metrics {
	t.Helper()
	cfg := sim.DefaultConfig()
	cfg.OpJitter, cfg.WakeJitter = 0, 0
	s, err := sim.New(cfg, w)
	if err != nil {
		t.Fatal(err)
	}
	s.Run()
	m := s.Metrics()
	if m.Outcome != sim.OutcomeCompleted {
		t.Fatalf("outcome %s", m.Outcome)
	}
	return m
}

// ioOp is an I/O op of a thread's program, and the line it is on.
type ioOp struct {
	line int32
	dur  time.Duration
	req  sim.Req
}

// ioOps lists the I/O ops of thread i's program, loops not unrolled.
func ioOps(w sim.Workload, i int) []ioOp {
	var out []ioOp
	for _, op := range w.Threads[i].Code {
		if op.Kind == sim.OpIO {
			out = append(out, ioOp{op.Line, op.Dur, op.Req})
		}
	}
	return out
}

const echoClientSrc = `
import socket

sock = socket.create_connection(("localhost", 25000))
for _ in range(20):
    sock.send(b"ping")
    data = sock.recv(16)
print(data)
`

// TestClientRoundTripIsARequest: on a client's socket a request runs
// from the send to the GIL retaken after the recv that reads the echo.
func TestClientRoundTripIsARequest(t *testing.T) {
	w := compileWith(t, echoClientSrc, Options{Peer: 40 * time.Microsecond, Send: 10 * time.Microsecond})
	want := []ioOp{{4, connectWait, sim.ReqNone}, {6, 10 * time.Microsecond, sim.ReqBegin}, {7, 40 * time.Microsecond, sim.ReqEnd}}
	if got := ioOps(w, 0); !equalOps(got, want) {
		t.Fatalf("I/O ops %v, want %v", got, want)
	}
	m := runAlone(t, w)
	r := m.Requests
	// Alone, the thread retakes the free GIL at once: a round trip is
	// the send, the echo and the Python between them.
	if r.Count != 20 || r.Min < 50*sim.Time(time.Microsecond) || r.Max > 51*sim.Time(time.Microsecond) {
		t.Errorf("%d requests of %s to %s, want 20 of 50µs and the Python between", r.Count, r.Min, r.Max)
	}
}

// TestPeerFromSendMakesPeerTheRoundTrip: under PeerFromSend the echo is
// due Peer after the send began, so the recv waits what is left of it,
// at least a microsecond.
func TestPeerFromSendMakesPeerTheRoundTrip(t *testing.T) {
	for _, c := range []struct {
		peer, send, recv time.Duration
	}{
		{50 * time.Microsecond, 10 * time.Microsecond, 40 * time.Microsecond},
		{5 * time.Microsecond, 10 * time.Microsecond, time.Microsecond},
	} {
		w := compileWith(t, echoClientSrc, Options{Peer: c.peer, Send: c.send, PeerFromSend: true})
		ops := ioOps(w, 0)
		if len(ops) != 3 || ops[1].dur != c.send || ops[2].dur != c.recv {
			t.Errorf("peer %s, send %s: I/O ops %v, want a send of %s and a recv of %s", c.peer, c.send, ops, c.send, c.recv)
		}
	}
	// Two sends before the recv: both count.
	src := strings.Replace(echoClientSrc, `    sock.send(b"ping")`, "    sock.send(b\"pi\")\n    sock.sendall(b\"ng\")", 1)
	w := compileWith(t, src, Options{Peer: 50 * time.Microsecond, Send: 10 * time.Microsecond, PeerFromSend: true})
	want := []ioOp{{4, connectWait, sim.ReqNone}, {6, 10 * time.Microsecond, sim.ReqBegin}, {7, 10 * time.Microsecond, sim.ReqNone}, {8, 30 * time.Microsecond, sim.ReqEnd}}
	if got := ioOps(w, 0); !equalOps(got, want) {
		t.Errorf("two sends: I/O ops %v, want %v", got, want)
	}
	// A pragma sets its line's wait whatever the options say.
	src = strings.Replace(echoClientSrc, "sock.recv(16)", "sock.recv(16)  # gilsim: 3ms", 1)
	src = strings.Replace(src, `sock.send(b"ping")`, `sock.send(b"ping")  # gilsim: 2us`, 1)
	w = compileWith(t, src, Options{Peer: 50 * time.Microsecond, Send: 10 * time.Microsecond, PeerFromSend: true})
	if ops := ioOps(w, 0); len(ops) != 3 || ops[1].dur != 2*time.Microsecond || ops[2].dur != 3*time.Millisecond {
		t.Errorf("with pragmas: I/O ops %v, want a send of 2µs and a recv of 3ms", ops)
	}
	// By default a send takes 50µs and the echo Peer after it.
	w = compileWith(t, echoClientSrc, Options{Peer: 50 * time.Microsecond})
	if ops := ioOps(w, 0); len(ops) != 3 || ops[1].dur != sendWait || ops[2].dur != 50*time.Microsecond {
		t.Errorf("by default: I/O ops %v, want a send of %s and a recv of 50µs", ops, sendWait)
	}
}

const echoServerSrc = `
import socket

server = socket.create_server(("localhost", 25000))
conn, addr = server.accept()
for _ in range(20):
    data = conn.recv(16)
    reply = data.upper()
    conn.send(reply)
conn.close()
print(data, reply, addr[0])
`

// TestServerRoundTripIsARequest: on an accepted connection a request
// runs from the recv that waits for the client's message to the GIL
// retaken after the send of the reply; the client sends b"ping" Peer
// after the connection and after each reply.
func TestServerRoundTripIsARequest(t *testing.T) {
	w := compileWith(t, echoServerSrc, Options{Peer: 25 * time.Microsecond, Send: 10 * time.Microsecond})
	want := []ioOp{{5, connectWait, sim.ReqNone}, {7, 25 * time.Microsecond, sim.ReqBegin}, {9, 10 * time.Microsecond, sim.ReqEnd}}
	if got := ioOps(w, 0); !equalOps(got, want) {
		t.Fatalf("I/O ops %v, want %v", got, want)
	}
	cfg := sim.DefaultConfig()
	cfg.OpJitter, cfg.WakeJitter = 0, 0
	s, err := sim.New(cfg, w)
	if err != nil {
		t.Fatal(err)
	}
	s.Run()
	r := s.Metrics().Requests
	if r.Count != 20 || r.Min < 35*sim.Time(time.Microsecond) || r.Max > 36*sim.Time(time.Microsecond) {
		t.Errorf("%d requests of %s to %s, want 20 of 35µs and the Python between", r.Count, r.Min, r.Max)
	}
	console := s.Snapshot().Console
	if len(console) != 1 || console[0].Text != "b'ping' b'PING' 127.0.0.1" {
		t.Errorf("console %+v, want b'ping' b'PING' 127.0.0.1", console)
	}
	// Under PeerFromSend the client's next message is due Peer after the
	// reply's send began; the first, Peer after the connection.
	w = compileWith(t, echoServerSrc, Options{Peer: 25 * time.Microsecond, Send: 10 * time.Microsecond, PeerFromSend: true})
	if got := ioOps(w, 0); len(got) != 5 || got[1].dur != 25*time.Microsecond || got[3].dur != 15*time.Microsecond {
		t.Errorf("PeerFromSend: I/O ops %v, want the first recv 25µs, the others 15µs", got)
	}
}

// TestOneRequestAtATime: a thread has one request open; a round trip on
// a second socket meanwhile is not one.
func TestOneRequestAtATime(t *testing.T) {
	w := compileWith(t, `
import socket

a = socket.create_connection(("localhost", 1))
b = socket.create_connection(("localhost", 2))
a.sendall(b"x")
b.sendall(b"y")
b.recv(1)
a.recv(1)
b.sendall(b"z")
b.recv(1)
`, Options{Peer: time.Millisecond})
	var reqs []sim.Req
	for _, op := range ioOps(w, 0)[2:] {
		reqs = append(reqs, op.req)
	}
	want := []sim.Req{sim.ReqBegin, sim.ReqNone, sim.ReqNone, sim.ReqEnd, sim.ReqBegin, sim.ReqEnd}
	if len(reqs) != len(want) {
		t.Fatalf("marks %v, want %v", reqs, want)
	}
	for i := range want {
		if reqs[i] != want[i] {
			t.Fatalf("marks %v, want %v", reqs, want)
		}
	}
	if r := runAlone(t, w).Requests; r.Count != 2 {
		t.Errorf("%d requests, want 2", r.Count)
	}
}

func TestServerSockets(t *testing.T) {
	// socket(), bind(), listen() and accept() make a server as
	// create_server does.
	w := compileWith(t, `
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(1, 2, 1)
s.bind(("", 8000))
s.listen()
with s:
    conn, addr = s.accept()
    with conn:
        data = conn.recv(2)
        rest = conn.recv(16)
        conn.sendall(data + rest)
        print(data, rest, b"a b".split(), b" X ".strip().lower())
`, Options{Peer: time.Millisecond})
	ops := ioOps(w, 0)
	if len(ops) != 3 || ops[1].req != sim.ReqBegin || ops[2].req != sim.ReqEnd {
		t.Errorf("I/O ops %v, want accept, one recv that waits, one send", ops)
	}
	p, _ := Load("net.py", []byte(`
import socket

server = socket.create_server(("localhost", 25000))
conn, _ = server.accept()
conn.recv(16)
conn.recv(16)
`))
	_, err := p.Compile(Options{})
	if err == nil || !strings.Contains(err.Error(), "net.py:7:") || !strings.Contains(err.Error(), "only after a reply") {
		t.Errorf("a second recv before the reply: %v, want it refused at line 7", err)
	}
	s := simulate(t, "net.py", `
import socket

s = socket.socket()
s.accept()
`, "3.12")
	if c := s.Snapshot().Console; len(c) == 0 || !strings.Contains(c[len(c)-1].Text, "OSError: [Errno 22] Invalid argument") {
		t.Errorf("accept before listen: console %+v, want an OSError", c)
	}
}

// TestEndlessDaemonLoop: a daemon thread spinning for ever compiles to a
// few ops and dies when the main thread ends.
func TestEndlessDaemonLoop(t *testing.T) {
	for _, ver := range []string{"2.7", "3.9", "3.12", "3.13t"} {
		s := simulate(t, "spin.py", `
import threading
import time

def spin():
    n = 0
    while True:
        n += 1

threading.Thread(target=spin, daemon=True).start()
time.sleep(0.05)
print("done")
`, ver)
		m := s.Metrics()
		if m.Outcome != sim.OutcomeCompleted || len(m.Threads) != 2 {
			t.Fatalf("%s: outcome %s, %d threads", ver, m.Outcome, len(m.Threads))
		}
		if n := len(s.Workload().Threads[1].Code); n > 10 {
			t.Errorf("%s: the spinner compiled to %d ops", ver, n)
		}
		if spin := m.Threads[1].CPU; spin < 40*sim.Time(time.Millisecond) || m.Events > 2000 {
			t.Errorf("%s: the spinner ran %s in %d events, want most of the 50ms in few events", ver, spin, m.Events)
		}
	}
}

func equalOps(a, b []ioOp) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
