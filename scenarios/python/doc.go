// Package python is gilsim's front end for Python programs: it turns a
// threading, multiprocessing or asyncio program into the workload the
// engine (package sim) runs, so that the source a user pastes is exactly
// what the player shows and simulates.
//
// # How a program becomes a workload
//
// The program is run once, while it is compiled: its module code in the
// main thread of the main process, and each thread, process or asyncio
// task when the program starts it (Thread.start, Process.start,
// create_task, gather, asyncio.run). Everything a thread does alone (its
// arithmetic, its lists, its calls) is worked out then, and what the
// simulation must decide (who holds the GIL, who waits for a lock or a
// queue, how long I/O takes) becomes ops: Python CPU on a line, a lock's
// acquire, a queue's put, a sleep, a read of the network. The engine then
// decides the interleaving, and so what the program prints, when, and how
// many updates a race loses.
//
// A value another thread makes at run time (an item taken from a queue,
// a shared counter read) is a dynamic value. An item other than an int or
// None travels as the text print shows of it. The program may print it,
// add an int to it, store it back into the counter it came from, or test
// it for None to leave a loop ("if item is None: break", or
// "for item in iter(q.get, None)"), which becomes a loop the engine runs
// until the None arrives. Anything else it decides is refused, naming the
// line: the program would take a path the compiler cannot know.
//
// The module-level ints that functions assign after "global" (counter +=
// 1) are shared variables of the engine, one per process (a child process
// has its own copy, as under fork): reading one is a load, writing one a
// store, and a switch in between loses the updates made meanwhile.
//
// # Time
//
// Each construct costs the virtual CPU its table gives for the version
// simulated (costs/*.tsv): measurements of real CPython 2.7, 3.9, 3.11,
// 3.12 and 3.13 made by docs/python-costs/measure.py, as
// docs/python-costs.md describes; 3.13t takes 3.13's, and the engine adds
// the free-threaded slowdown. A statement costs what its parts cost: the
// statement, its arithmetic, calls, attribute and item reads, formatting.
// An int result beyond the cache of small ints (-5 to 256) adds the cost
// of a new int object, the difference between the 20-million countdown
// and a loop over small ints. Waits on the outside world take what the
// program asks (time.sleep, asyncio.sleep), what the simulated network
// takes (a connect or an accept 1 ms, a send Options.Send, 50 µs unless
// set, the peer's answer Options.Peer), or what a pragma on the line
// says: "data = sock.recv(1024)  # gilsim: 80ms".
//
// # Sockets
//
// A client's socket (create_connection, or connect) talks to a peer that
// echoes what it is sent: the first recv after a send waits for the echo;
// once it is read the peer has closed, and recv returns b"". A server's
// socket (create_server, or bind and listen) accepts a client that sends
// b"ping" Peer after the connection and Peer after each reply; a recv
// with none of its message left waits for the next, and one made before
// the reply to the last is refused (it would wait for ever). Under
// Options.PeerFromSend the peer's delay counts from the start of the
// sends it answers, not their end: the recv waits Peer less the sends'
// own waits, at least a microsecond, so that Peer is a whole round trip.
//
// Each round trip is a request of the engine's (sim.ReqBegin, sim.ReqEnd),
// whose latency the run's metrics report: on a client's socket from the
// send that begins it (the first since the last echo) to the GIL retaken
// after the recv that waits for the echo; on an accepted connection from
// the recv that waits for the client's message to the GIL retaken after
// the send of the reply. A thread or task has one request open at a time
// (the engine keeps one per frame): a round trip on another socket
// meanwhile is not one, nor are asyncio's streams and loop.sock_* calls,
// whose sends do not block.
//
// Where the eval loop looks at the GIL request follows the version:
// before 3.10 between almost any two bytecodes (a Python op then has check
// points inside it), from 3.10 only at loop back-edges and calls (a
// function's entry is a check point, and so is the end of each loop
// iteration). That is why "counter += 1" loses updates under 3.9 and not
// under 3.12, as on the real interpreters.
//
// A process starts with fork unless multiprocessing.set_start_method
// (Python 3 only: 2.7 only forks) chose spawn or forkserver, whose
// start-up the engine charges by method. The child's globals are a copy
// of the parent's under every method: the re-import of the main module
// that spawn and forkserver make is counted in their start-up, not run.
// An event loop's sock_connect and sock_recv suspend the task, not the
// loop's thread, for what the blocking calls wait; its sock_sendall, like
// StreamWriter.write, fits the socket's buffer and does not wait.
//
// # Loops
//
// A loop is run iteration by iteration, and iterations that made the same
// ops as the one before are folded into one loop op (a loop of nothing but
// Python into one Python op whose check points are its back-edges). A long
// loop whose body cannot do anything but the same again is fast-forwarded
// once two iterations in a row made the same ops and left what the next
// reads as they found it: no if; no list, dict or object changed, random
// number drawn, clock read or queue taken from; calls of built-ins that
// make ops and of the program's functions that use only their own names,
// given values that cannot change; a name the loop assigns read only
// after it is assigned, to the same value each time; the RLocks held and
// the sockets used as the iteration before left them. The names it moves
// on ("n -= 1") are moved on by the iterations skipped (a float one
// addition at a time, as the program adds), and a while loop's count is
// found by searching for where its test fails. A 20-million countdown
// compiles in microseconds. A call of such a function with the arguments
// of an earlier call, the names around it unchanged, copies that call's
// ops: ten thousand threads running one such target compile as one.
// Loops whose iterations differ run one by one, up to 200,000 iterations
// in all; once half of that is spent, a loop that can only do the same
// again is added up however short (a thousand threads each running the
// same 500 iterations).
//
// # What is refused, and why
//
// A reading of the clock (time.time, perf_counter) is kept by the
// simulation in one of the thread's MaxMarks marks: a program may
// subtract one reading from another, scale the difference and print it
// (f"{time.time() - start:.2f} s"), which the simulation formats when the
// print runs.
//
// Modules other than threading, multiprocessing, concurrent.futures
// (an executor's tasks dealt to its workers in turn, each future an event
// the worker sets), queue, asyncio, time, socket, random (drawn while compiling, from a generator seeded with 0
// or random.seed's value, not CPython's sequence) and os (getpid,
// cpu_count); generators and decorators (package syntax refuses them);
// deciding anything with a clock reading; Condition, Barrier and Pool's
// asynchronous calls; the non-blocking and timed forms of get and
// acquire, Event.is_set and what wait(timeout) returns, known only at run
// time (join and wait with a timeout are simulated). Each is one line:
// "prog.py:12:5: unsupported: ...". An exception the program
// raises is not an error of gilsim's: it is a traceback on the console at
// the moment it happens, and its thread dies of it, as in CPython.
//
// # Designs rejected
//
// Interpreting the program inside the engine, one bytecode at a time: the
// engine would need the interpreter's whole state (every frame and object)
// in each checkpoint the player keeps to step back, and a 20-million
// countdown would be 20 million events. Compiling ahead keeps package sim
// free of Python and a run as cheap as a built-in scenario's.
package python
