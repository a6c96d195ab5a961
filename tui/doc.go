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
// of that state) let any earlier event be reached by re-simulating from
// the one before it. The engine is deterministic, so stepping back lands
// on exactly what stepping forward had shown, and a seek on exactly what
// stepping there gives.
//
// Memory is bounded, however long a run plays. Each run has a budget for
// its past (checkpoints.go): the run on screen 48 MiB of checkpoints and
// 24 MiB of marks (the two runs of the compare view half each), a run
// kept to toggle back to an eighth of that, a run to the end (for the
// whole-run view and the summary) 16 MiB of marks. With at most three
// kept runs and two runs to the end (those of settings left behind are
// stopped and forgotten), that is some 131 MiB in all, besides the
// simulations themselves, about 390 bytes a thread each (610 a process).
// Playing ten thousand threads for millions of events holds about 100 MiB
// of live heap; TestMemoryBounded holds it under 256 MiB.
//
// A checkpoint is taken every 256 events (playing a large run at speed,
// once the budget is full, only near where a tick stops and every 4,096
// events on the way) and weighed (footprint.go: what its clone does not
// share with the run; 4 KiB for a few threads, 390 KiB for a thousand,
// 3.8 MiB for ten thousand). Over budget, the least useful go: those left
// are dense (256 events apart) around the position on screen and sparser
// the farther away they are, so that a step back replays at most a few
// hundred events, while a jump far back replays in proportion to how far
// it goes. Going back copies the checkpoint into the memory of the run
// it replaces (sim.CloneInto), so stepping back again and again allocates
// next to nothing. A seek back takes checkpoints again just behind where
// it lands. Marks over budget are coarsened (coarsen.go): the newest stay
// exact, older ones are merged into buckets of time, a power of two
// nanoseconds wide, each saying what its lane did for most of it; the
// marks that checkpoints need stay exact, so that going back restores
// every lane, GIL and lock exactly. Nothing else here grows with the
// length of a run: the event log is a ring, the trace is drained after
// every step, and exceptions and lesson points are bounded by the
// scenario. The engine's console and its list of request latencies (8
// bytes a request) grow with what the program prints and serves.
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
