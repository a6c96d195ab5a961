// Package tui is gilsim's terminal user interface: a scenario picker and a
// player that animates one simulation run — a lane per thread and, under a
// thread that runs an asyncio event loop, a lane per task; the GIL and its
// handoffs, queues, cores, the Python source with every thread's and
// task's line marked, the console, and a sentence that explains the last
// event. The compare view plays GIL on and GIL off side by side, at one
// virtual time, forwards and back.
//
// The player owns a recording of the run, fed by the trace after every
// step: each thread's and task's state changes (running Python told from
// running C code without the GIL, a task's step from one that blocks its
// loop), who holds each GIL and lock, each queue's depth, the exceptions,
// the scenario's lesson points, and what the narration needs (the latest
// significant event and a short log, kept as the run goes so that nothing
// looks back through the trace). Checkpoints (clones of the simulation and
// of that state every 256 events) let any earlier event be reached by
// re-simulating a few steps. The engine is deterministic, so stepping back
// lands on exactly what stepping forward had shown, and a seek on exactly
// what stepping there gives.
//
// Lesson mode pauses playing at each lesson point with its callout. Work
// too long for one message (a re-simulation under another setting, a jump
// to a lesson point far ahead) is a job done in chunks, one workMsg each,
// so that the screen can say it is busy; runs to the end, for the
// whole-run view and the summary, are made by commands off the update
// loop. Styles come from the renderer the model is handed.
//
// Views are pure functions of a frame (a snapshot plus that history), the
// Styles and a width; the root model routes messages to named handlers.
// Each panel has its file, named for it: header.go, lanes.go, legend.go,
// gilpanel.go, cores.go, locks.go, vars.go, queues.go, results.go,
// source.go, console.go, events.go and narration.go; each returns its
// lines, none wider than its width. The hottest paths paint with inks
// (ink.go), a style reduced to its escape sequences.
// Nothing here reads the wall clock: a tick message only asks the player to
// move the virtual clock on by a fixed amount that the speed sets.
package tui
