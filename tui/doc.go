// Package tui is gilsim's terminal user interface: a scenario picker and a
// player that animates one simulation run — a lane per thread and, under a
// thread that runs an asyncio event loop, a lane per task; the GIL and its
// handoffs, queues, cores, the Python source with every thread's and
// task's line marked, the console, and a sentence that explains the last
// event. The compare view plays GIL on and GIL off side by side, at one
// virtual time, forwards and back.
//
// The player owns a recording of the run: the trace drained from the
// simulation after every advance, each thread's and task's state changes
// and each queue's depth, and checkpoints (clones of the simulation every
// few events) from which any earlier event is reached by re-simulating a
// few steps. The engine is deterministic, so stepping back lands on
// exactly the state that stepping forward had shown.
//
// Views are pure functions of a frame (a snapshot plus that history), the
// Styles and a width; the root model routes messages to named handlers.
// Each panel has its file, named for it: header.go, lanes.go, legend.go,
// gilpanel.go, cores.go, vars.go, queues.go, source.go, console.go and
// narration.go; each returns its lines, none wider than its width.
// Nothing here reads the wall clock: a tick message only asks the player to
// move the virtual clock on by a fixed amount that the speed sets.
package tui
