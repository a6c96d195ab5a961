package python

import (
	"strings"
	"testing"
	"time"

	"github.com/gilsim/gilsim/sim"
)

const startMethodSource = `import multiprocessing

METHOD = "fork"

def worker():
    print("child")

if __name__ == "__main__":
    multiprocessing.set_start_method(METHOD)
    print(multiprocessing.get_start_method())
    p = multiprocessing.Process(target=worker)
    p.start()
    p.join()
`

// TestSetStartMethod: multiprocessing.set_start_method picks how the
// processes started after it start, so the engine charges that method's
// start-up; an unknown method is CPython's ValueError, a second choice
// its RuntimeError, and 2.7, which only forks, has no such function.
func TestSetStartMethod(t *testing.T) {
	for _, method := range []string{"fork", "spawn", "forkserver"} {
		w, err := compile(t, "p.py", startMethodSource, "3.12", "METHOD="+method)
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		want, _ := sim.ParseStartMethod(method)
		if len(w.Procs) != 2 || w.Procs[1].Start != want {
			t.Errorf("%s: processes %+v, want the child started with %s", method, w.Procs, want)
		}
		s := simulate(t, "p.py", startMethodSource, "3.12", "METHOD="+method)
		if got := consoleTexts(s); got != method+"\nchild" {
			t.Errorf("%s: printed %q", method, got)
		}
		// The child boots for the method's start-up time (and the
		// engine's jitter of nanoseconds).
		m := s.Metrics()
		boot, cost := (m.Procs[1].Ready - m.Procs[1].Start).Duration(), sim.DefaultConfig().ProcStartChild[want]
		if boot < cost || boot > cost+time.Microsecond {
			t.Errorf("%s: the child booted in %s, want %s", method, boot, cost)
		}
	}
	for _, tc := range []struct{ ver, src, want string }{
		{"3.12", strings.Replace(startMethodSource, "METHOD)", "'vfork')", 1),
			"ValueError: cannot find context for 'vfork'"},
		{"3.12", strings.Replace(startMethodSource, "    print(multiprocessing.get_start_method())\n",
			"    multiprocessing.set_start_method('spawn')\n", 1), "RuntimeError: context has already been set"},
		{"3.12", strings.Replace(startMethodSource, "    p.join()\n",
			"    p.join()\n    multiprocessing.set_start_method('spawn')\n", 1), "RuntimeError: context has already been set"},
		{"2.7", startMethodSource, "AttributeError: module 'multiprocessing' has no attribute 'set_start_method'"},
	} {
		s := simulate(t, "p.py", tc.src, tc.ver)
		if got := consoleTexts(s); !strings.HasSuffix(got, tc.want) {
			t.Errorf("%s %q: printed\n%s\nwant it to end with %s", tc.ver, tc.src, got, tc.want)
		}
	}
	// force=True may choose again before a process has started.
	src := strings.Replace(startMethodSource, "    print(multiprocessing.get_start_method())\n",
		"    multiprocessing.set_start_method('spawn', force=True)\n", 1)
	if w, err := compile(t, "p.py", src, "3.12"); err != nil || w.Procs[1].Start != sim.StartSpawn {
		t.Errorf("force=True: %v, processes %+v, want the child spawned", err, w.Procs)
	}
}

const sockClientSource = `import asyncio
import socket

async def client(n):
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    await loop.sock_connect(sock, ('localhost', 10000))
    await loop.sock_sendall(sock, b"hello")
    data = await loop.sock_recv(sock, 16)
    sock.close()
    print(n, data)

async def main():
    await asyncio.gather(client(1), client(2))

asyncio.run(main())
`

// TestLoopSocketCalls: the loop's sock_connect and sock_recv suspend the
// task, not the thread, so two clients' waits overlap: both answers come
// one peer delay after the connect, not two. get_running_loop outside a
// coroutine is CPython's RuntimeError.
func TestLoopSocketCalls(t *testing.T) {
	s := simulate(t, "p.py", sockClientSource, "3.12")
	if got := consoleTexts(s); got != "1 b'hello'\n2 b'hello'" {
		t.Fatalf("printed %q", got)
	}
	console := s.Snapshot().Console
	// Both answers within a millisecond of each other: the waits overlap.
	if d := (console[1].At - console[0].At).Duration(); d > time.Millisecond {
		t.Errorf("the second client finished %s after the first, want their waits to overlap", d)
	}
	if m := s.Metrics(); m.SlowCallbacks != 0 || len(m.Loops) != 1 {
		t.Errorf("%d slow callbacks, %d loops: want none and one", m.SlowCallbacks, len(m.Loops))
	}
	s = simulate(t, "p.py", "import asyncio\nasyncio.get_running_loop()\n", "3.12")
	if got := consoleTexts(s); !strings.HasSuffix(got, "RuntimeError: no running event loop") {
		t.Errorf("get_running_loop outside a coroutine printed %q", got)
	}
}

// consoleTexts is what a run printed, a line each.
func consoleTexts(s *sim.Sim) string {
	var out []string
	for _, l := range s.Snapshot().Console {
		out = append(out, l.Text)
	}
	return strings.Join(out, "\n")
}
