package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// The moments each scenario teaches. A lesson's match looks at one trace
// event and, at most, at the few threads, tasks or cores it concerns; its
// callout is written once, with the run's own names, times and counts,
// and says where on screen to look: the GIL panel's ⚑ drop request, a
// lane's glyph (░ waiting for the GIL, # for a lock, ~ I/O, j join, ▓
// starting), the CORES, VARS and QUEUE rows, the console.

// lateAfter is how late a task's step may begin after its sleep is over
// before the lessons call it late: an idle loop starts it within
// microseconds, a blocked one hundreds of milliseconds later.
const lateAfter = sim.Time(time.Millisecond)

// Who a lesson applies to.

func py3Only(_ Values, m sim.Model) bool { return m == sim.ModelPy3 }

func py2Only(_ Values, m sim.Model) bool { return m == sim.ModelPy2 }

func joins(v Values, _ sim.Model) bool { return v.Bool("join") }

func leavesToShutdown(v Values, _ sim.Model) bool { return !v.Bool("join") }

// Words shared by the callouts.

// codeAt is the code of source line n, trimmed and without its comment,
// in backquotes: "`n -= 1`". The built-in sources set comments off by two
// spaces, which no string in their code contains.
func codeAt(s *sim.Sim, n int32) string {
	code, _, _ := strings.Cut(s.SourceLine(int(n)), "  #")
	return "`" + strings.TrimSpace(code) + "`"
}

// procName names the process of thread id.
func procName(s *sim.Sim, id int32) string {
	w := s.Workload()
	if id < 0 || int(id) >= len(w.Threads) {
		return "?"
	}
	return w.Procs[w.Threads[id].Proc].Name
}

// mainOf returns the main thread of process p: its first thread.
func mainOf(s *sim.Sim, p int) int32 {
	for i, t := range s.Workload().Threads {
		if t.Proc == p {
			return int32(i)
		}
	}
	return -1
}

// taskName names task k with its coroutine: "Task-6 (worker)".
func taskName(s *sim.Sim, k int32) string {
	t := s.Workload().Tasks[k]
	return t.Name + " (" + t.Coro + ")"
}

// andList joins names as a person would: "a, b and c".
func andList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// always matches every event of a lesson's kinds: its first is the moment.
func always(*Watch, *sim.Sim, *sim.TraceEvent) bool { return true }

// The GIL's own moments, shared by the scenarios whose threads fight for it.

// dropRequestLesson is the first drop request of a py3 run.
var dropRequestLesson = &Lesson{
	Key: "drop-request", Title: "The first drop request",
	kinds:   kinds(sim.TraceDropRequest),
	applies: py3Only,
	match:   always,
	callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
		waiter, holder := s.ThreadName(e.Thread), s.ThreadName(e.Peer)
		return fmt.Sprintf("%s has waited %s for the GIL, a whole %s switch interval in which it never changed hands, "+
			"so it asks %s to drop it: see ⚑ in the GIL panel. %s runs on to its next check point; %s waits on (░).",
			waiter, e.At-s.StateSince(e.Thread), span(w.interval), holder, holder, waiter)
	},
}

// forcedSwitchLesson is the first forced switch of a py3 run.
var forcedSwitchLesson = &Lesson{
	Key: "forced-switch", Title: "The first forced switch",
	kinds:   kinds(sim.TraceForcedSwitch),
	applies: py3Only,
	match:   always,
	callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
		who := s.ThreadName(e.Thread)
		return fmt.Sprintf("%s reached a check point, the loop's back-edge at line %d (%s), and dropped the GIL as asked. "+
			"It now waits (░) until another thread has taken the GIL, then queues up again like any waiter.",
			who, e.Line, codeAt(s, e.Line))
	},
}

// failedWakeLesson is the first failed wake-up of a py2 run.
var failedWakeLesson = &Lesson{
	Key: "failed-wakeup", Title: "The first failed wake-up",
	kinds:   kinds(sim.TraceFailedWake),
	applies: py2Only,
	match:   always,
	callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
		who, holder := s.ThreadName(e.Thread), s.ThreadName(e.Peer)
		return fmt.Sprintf("%s was signalled and woke up on a core of its own, but %s had already taken the GIL back: "+
			"a failed wake-up, and %s sleeps again (░). Under the old GIL the thread that lets go every %d ticks "+
			"retakes it at once and nearly always wins.", who, holder, who, w.checkInterval)
	},
}

// cpu-bound

var cpuBoundLessons = []*Lesson{dropRequestLesson, forcedSwitchLesson, failedWakeLesson, allAtOnceLesson}

// allAtOnceLesson is the moment as many workers run at once as there are
// cores for them: only without a GIL, or with a GIL per process.
var allAtOnceLesson = &Lesson{
	Key: "all-at-once", Title: "Every worker running at once",
	kinds: kinds(sim.TraceState),
	applies: func(v Values, m sim.Model) bool {
		return v.Int("threads") > 1 && (!m.HasGIL() || v.UsesProcesses())
	},
	match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool {
		if e.State != sim.StateRunning {
			return false
		}
		need := min(w.workers, w.cores)
		for c := 0; c < w.cores; c++ {
			// Thread 0 is the main thread, which starts the workers.
			if id := s.CoreThread(c); id > 0 && s.ThreadState(id) == sim.StateRunning {
				need--
			}
		}
		return need <= 0
	},
	callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
		var ids []int32
		for c := 0; c < w.cores; c++ {
			if id := s.CoreThread(c); id > 0 {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		names := make([]string, len(ids))
		for i, id := range ids {
			if w.v.UsesProcesses() {
				names[i] = procName(s, id)
			} else {
				names[i] = s.ThreadName(id)
			}
		}
		if w.v.UsesProcesses() {
			return fmt.Sprintf("%s now run at once, one per core (the CORES row): each process has its own interpreter "+
				"and its own GIL, so their countdowns really overlap.", andList(names))
		}
		return fmt.Sprintf("%s now run at once, one per core (the CORES row): with no GIL the threads of one process "+
			"run Python side by side, so their countdowns really overlap.", andList(names))
	},
}

// io-bound

var ioBoundLessons = []*Lesson{{
	Key: "io-overlap", Title: "I/O waits overlapping",
	kinds: kinds(sim.TraceState),
	match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool {
		return e.State == sim.StateIO && otherInIO(s, e.Thread) >= 0
	},
	callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
		other := otherInIO(s, e.Thread)
		return fmt.Sprintf("%s blocks on the network at line %d while %s still waits for its own reply: a thread blocked "+
			"in I/O holds no GIL, so their waits overlap. See the ~ of their lanes side by side.",
			s.ThreadName(e.Thread), e.Line, s.ThreadName(other))
	},
}}

// otherInIO returns a thread other than id blocked in I/O, or -1.
func otherInIO(s *sim.Sim, id int32) int32 {
	n := s.ThreadsIn(sim.StateIO)
	if s.ThreadState(id) == sim.StateIO {
		n--
	}
	if n == 0 {
		return -1
	}
	for t := int32(0); int(t) < s.NumThreads(); t++ {
		if t != id && s.ThreadState(t) == sim.StateIO {
			return t
		}
	}
	return -1
}

// convoy

// convoys reports whether a run of v under m has the convoy: the new
// GIL, and CPU-bound threads beside the server in its process.
func convoys(v Values, m sim.Model) bool {
	return m == sim.ModelPy3 && !v.UsesProcesses() && v.Int("cpu_threads") > 0
}

// convoyWork is what one request needs of the server, without waiting
// for anything: its I/O, the recv's and the send's. Its Python
// (data.upper()) is a fraction of a microsecond.
func convoyWork(v Values) time.Duration { return v.Duration("io") + v.Duration("send") }

var convoyLessons = []*Lesson{
	{
		Key: "server-drop", Title: "The server asks for the GIL",
		kinds:   kinds(sim.TraceDropRequest),
		applies: convoys,
		match:   func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool { return e.Thread == 0 },
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			return fmt.Sprintf("%s's I/O call returned at %s, but %s held the GIL: the server had to wait a whole %s "+
				"interval before it could even ask for it (⚑ in the GIL panel). That wait, after every I/O call, is the convoy effect.",
				s.ThreadName(e.Thread), s.StateSince(e.Thread), s.ThreadName(e.Peer), span(w.interval))
		},
	},
	{
		Key: "slow-request", Title: "A round trip that took an interval",
		kinds:   kinds(sim.TraceRequest),
		applies: convoys,
		match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool {
			return sim.Time(e.Value) >= sim.Time(w.interval)
		},
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			n := float64(e.Value) / float64(w.interval)
			why := "after each recv and send it queued for the GIL behind the CPU-bound thread (░ in its lane)."
			if n < 1.5 {
				// The send lasts microseconds: it may be over before the
				// CPU-bound thread, which dropped the GIL, wakes to take it.
				why = "after its recv it queued for the GIL behind the CPU-bound thread (░ in its lane); this time its send " +
					"was over before that thread woke to take the GIL back, which spares it a second interval."
			}
			return fmt.Sprintf("%s served a request in %s, %.1f switch intervals, though its own I/O and Python take about %s: %s",
				s.ThreadName(e.Thread), sim.Time(e.Value), n, span(convoyWork(w.v)), why)
		},
	},
	{
		Key: "quick-request", Title: "A round trip without a convoy",
		kinds:   kinds(sim.TraceRequest),
		applies: func(v Values, m sim.Model) bool { return !convoys(v, m) },
		match:   always,
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			why := "with no CPU-bound thread beside it, nobody holds the GIL when its I/O returns."
			switch {
			case w.v.Int("cpu_threads") == 0:
			case w.v.UsesProcesses():
				why = "the CPU-bound workers are processes, each with its own GIL, so the server never queues for theirs."
			case !w.model.HasGIL():
				why = "with no GIL, the server never queues behind the CPU-bound thread."
			case w.model == sim.ModelPy2:
				why = fmt.Sprintf("the old GIL is let go every %d ticks, and the server, just back from its I/O, takes it then.",
					w.checkInterval)
			}
			return fmt.Sprintf("%s served a request in %s, for %s of its own I/O and Python: %s",
				s.ThreadName(e.Thread), sim.Time(e.Value), span(convoyWork(w.v)), why)
		},
	},
}

// lock-contention and thread-lock

var lockLessons = []*Lesson{{
	Key: "lock-wait", Title: "A thread blocks on the lock",
	kinds: kinds(sim.TraceLockWait),
	match: always,
	callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
		who, owner, lock := s.ThreadName(e.Thread), s.ThreadName(e.Peer), s.Workload().Locks[e.Obj]
		text := fmt.Sprintf("%s reached %s at line %d and found %s held by %s: it releases the GIL and blocks on the lock, "+
			"not on the GIL (# in its lane).", who, codeAt(s, e.Line), e.Line, lock, owner)
		if s.ThreadState(e.Peer) == sim.StateSleep {
			text += fmt.Sprintf(" %s holds the lock while it sleeps, and the GIL is free meanwhile.", owner)
		}
		return text
	},
}}

// counter-race

// unlockedBackEdges says the run is of the loop without the lock, under a
// CPython whose GIL changes hands only at loop back-edges and calls (3.10
// and later, with the new GIL): 3.9 has the new GIL too, but switches
// between the load and the store.
func unlockedBackEdges(v Values, m sim.Model) bool {
	ver, err := builtinVersion(v, m)
	return m == sim.ModelPy3 && err == nil && !ver.EveryBytecode && !v.Bool("lock")
}

var counterRaceLessons = []*Lesson{
	{
		Key: "lost-update", Title: "The first lost update",
		kinds: kinds(sim.TraceLostUpdate),
		match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool { return e.Value > 0 },
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			who, last, name := s.ThreadName(e.Thread), s.ThreadName(e.Peer), s.Workload().Vars[e.Obj].Name
			made := "1 increment that " + last + " made"
			if e.Value > 1 {
				made = fmt.Sprintf("%s increments that other threads made, the last by %s,", commas(e.Value), last)
			}
			return fmt.Sprintf("%s wrote %s = %s back, wiping out %s after %s had read it: %s lost. "+
				"counter += 1 is a load, an add and a store, and the VARS row counts every update lost so far.",
				who, name, commas(s.VarValue(e.Obj)), made, who, plural(e.Value, "update"))
		},
	},
	{
		Key: "back-edge-switch", Title: "A switch at the loop's back-edge",
		kinds:   kinds(sim.TraceForcedSwitch),
		applies: unlockedBackEdges,
		match:   always,
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			return fmt.Sprintf("%s dropped the GIL as asked at the loop's back-edge (line %d), between two whole "+
				"counter += 1 (load, add, store): no thread is caught between its load and its store, so from "+
				"3.10 on this loop loses nothing (VARS: none lost). 3.9, the old GIL and no GIL all lose updates.",
				s.ThreadName(e.Thread), e.Line)
		},
	},
}

// thread-start

var threadStartLessons = []*Lesson{
	{
		Key: "start", Title: "The new thread prints",
		kinds: kinds(sim.TracePrint),
		match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool { return e.Thread != 0 },
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			who, cost := s.ThreadName(e.Thread), span(s.Config().ThreadStart)
			if !w.model.HasGIL() {
				return fmt.Sprintf("%s prints (see the console): t.start() cost MainThread %s, and with no GIL the new "+
					"thread ran its first line as soon as it had a core.", who, cost)
			}
			return fmt.Sprintf("%s prints (see the console): t.start() cost MainThread %s, and the new thread had to "+
				"take the GIL before it could run its first line of Python.", who, cost)
		},
	},
	{
		Key: "join-wait", Title: "The join that waits",
		kinds:   kinds(sim.TraceState),
		applies: joins,
		match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool {
			return e.Thread == 0 && e.State == sim.StateJoin && !s.AtExit(0)
		},
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			text := fmt.Sprintf("MainThread calls t.join() at line %d and waits for %s to finish (j in its lane)", e.Line, s.ThreadName(1))
			if w.model.HasGIL() {
				return text + ", holding no GIL meanwhile."
			}
			return text + "."
		},
	},
	shutdownLesson(func(s *sim.Sim) string { return "the non-daemon thread " + s.ThreadName(1) }),
}

// shutdownLesson is the main thread's implicit join at interpreter
// shutdown, in a program that leaves its thread or process unjoined.
func shutdownLesson(what func(s *sim.Sim) string) *Lesson {
	return &Lesson{
		Key: "shutdown-wait", Title: "Interpreter shutdown waits",
		kinds:   kinds(sim.TraceState),
		applies: leavesToShutdown,
		match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool {
			return e.Thread == 0 && e.State == sim.StateJoin && s.AtExit(0)
		},
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			return fmt.Sprintf("MainThread has run its last line, yet the program does not end: interpreter shutdown waits "+
				"for %s anyway, an implicit join (j in its lane).", what(s))
		},
	}
}

// process-start

var processStartLessons = []*Lesson{
	{
		Key: "process-boot", Title: "The child's interpreter boots",
		kinds: kinds(sim.TraceProcStart),
		match: always,
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			cfg := s.Config()
			m := sim.StartMethod(e.Value)
			return fmt.Sprintf("p.start() took MainThread %s to start %s with %s, and now the child's own interpreter "+
				"boots (▓ in its lane) before it can run a line: about %s with %s.",
				span(cfg.ProcStartParent[m]), s.Workload().Procs[e.Proc].Name, m, span(cfg.ProcStartChild[m]), m)
		},
	},
	{
		Key: "join-wait", Title: "The join that waits",
		kinds:   kinds(sim.TraceState),
		applies: joins,
		match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool {
			return e.Thread == 0 && e.State == sim.StateJoin && !s.AtExit(0)
		},
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			text := fmt.Sprintf("MainThread calls p.join() at line %d and waits for %s to exit (j in its lane)",
				e.Line, s.Workload().Procs[1].Name)
			if s.ThreadState(mainOf(s, 1)) == sim.StateStarting {
				return text + ", while the child is still booting."
			}
			return text + "."
		},
	},
	shutdownLesson(func(s *sim.Sim) string { return "the child process " + s.Workload().Procs[1].Name }),
	{
		Key: "process-ready", Title: "The child's interpreter is up",
		kinds: kinds(sim.TraceProcReady),
		match: always,
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			name := s.Workload().Procs[e.Proc].Name
			return fmt.Sprintf("%s's interpreter is up, %s after it was started: now it runs worker() under its own GIL, "+
				"which no thread of the parent ever waits for (the GIL panel shows one per process).",
				name, e.At-s.ProcStartTime(e.Proc))
		},
	},
}

// process-queue and process-queue-fixed

// exceptionLesson is the first exception in the main process (main) or in
// a child.
func exceptionLesson(main bool) *Lesson {
	key, title := "child-error", "The child dies of AttributeError"
	if main {
		key, title = "main-error", "The main process dies of AttributeError"
	}
	return &Lesson{
		Key: key, Title: title,
		kinds: kinds(sim.TraceException),
		match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool { return (e.Proc == 0) == main },
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			what := fmt.Sprintf("%s dies at %s (line %d) of %s; the console keeps the traceback.",
				procName(s, e.Thread), codeAt(s, e.Line), e.Line, e.Text)
			if main {
				return what + " multiprocessing.Queue has no join() and no task_done(): JoinableQueue has both, as " +
					"process-queue-fixed shows."
			}
			return what + " It made the same mistake with its first item, so both processes have now failed."
		},
	}
}

var processQueueLessons = []*Lesson{exceptionLesson(true), exceptionLesson(false)}

var processQueueFixedLessons = []*Lesson{
	{
		Key: "queue-peak", Title: "The queue at its peak",
		kinds: kinds(sim.TraceGet),
		match: always,
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			return fmt.Sprintf("%s takes its first item at last: %s had piled up on %s while its interpreter booted, "+
				"the QUEUE bar's peak. From now on it drains one item per countdown from %s.",
				procName(s, e.Thread), plural(e.Value+1, "item"), s.Workload().Queues[e.Obj].Name, commas(int64(w.v.Int("count"))))
		},
	},
	{
		Key: "terminate", Title: "The worker is terminated",
		kinds: kinds(sim.TraceProcExit),
		match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool { return e.Proc != 0 && e.Value < 0 },
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			return fmt.Sprintf("q.join() has returned, every item done, and p.terminate() kills %s, which was waiting in "+
				"q.get() for more: it exits with code %d, as multiprocessing reports a death by signal %d (SIGTERM).",
				s.Workload().Procs[e.Proc].Name, e.Value, -e.Value)
		},
	},
}

// asyncio

var asyncioBasicLessons = []*Lesson{{
	Key: "task-step", Title: "The task's step on the loop",
	kinds: kinds(sim.TraceStep),
	match: always,
	callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
		return fmt.Sprintf("%s's event loop takes %s off its ready queue (the QUEUE ready row) and runs one step of it: "+
			"the coroutine runs in %s itself, up to its first await, or here to its end.",
			s.ThreadName(e.Thread), taskName(s, e.Obj), s.ThreadName(e.Thread))
	},
}}

var asyncioBlockingLessons = []*Lesson{
	{
		Key: "loop-blocked", Title: "A blocking call stalls the loop",
		kinds: kinds(sim.TraceState),
		match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool {
			return e.State == sim.StateIO && s.ThreadTask(e.Thread) >= 0
		},
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			k := s.ThreadTask(e.Thread)
			others := 0
			for j := int32(0); int(j) < s.NumTasks(); j++ {
				if j != k && s.TaskState(j) != sim.TaskFinished {
					others++
				}
			}
			return fmt.Sprintf("%s calls %s at line %d without await, so %s, the thread that runs the event loop, blocks "+
				"in it (~): none of the %s can run until it returns.",
				taskName(s, k), codeAt(s, e.Line), e.Line, s.ThreadName(e.Thread), plural(int64(others), "other task"))
		},
	},
	{
		Key: "slow-callback", Title: "The first slow callback",
		kinds: kinds(sim.TraceSlowCallback),
		match: always,
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			return fmt.Sprintf("One step of %s took %s, over asyncio's slow_callback_duration of %s: debug mode logs it, "+
				"as the console shows. For all that time the loop ran nothing else.",
				taskName(s, e.Obj), sim.Time(e.Value), span(s.Config().SlowCallback))
		},
	},
	{
		Key: "late-heartbeat", Title: "A heartbeat runs late",
		kinds: kinds(sim.TraceStep),
		match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool {
			return s.MaxLate(e.Thread) > lateAfter && s.Workload().Tasks[e.Obj].Coro == "heartbeat"
		},
		callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
			return fmt.Sprintf("%s runs %s after its asyncio.sleep was over (! in its lane while it was overdue): "+
				"the loop spent that time inside the workers' blocking calls.", taskName(s, e.Obj), s.MaxLate(e.Thread))
		},
	},
}

var asyncioNonblockingLessons = []*Lesson{{
	Key: "waits-overlap", Title: "Every client's I/O in flight at once",
	kinds:   kinds(sim.TraceState),
	applies: func(v Values, _ sim.Model) bool { return v.Int("clients") > 1 },
	match: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) bool {
		if e.State != sim.StateIO || s.ThreadTask(e.Thread) >= 0 {
			return false
		}
		clients := 0
		tasks := s.Workload().Tasks
		for k := range tasks {
			if tasks[k].Coro != "worker" {
				continue
			}
			if s.TaskState(int32(k)) != sim.TaskIO {
				return false
			}
			clients++
		}
		return clients > 1
	},
	callout: func(w *Watch, s *sim.Sim, e *sim.TraceEvent) string {
		return fmt.Sprintf("Nothing is ready, so %s's loop waits in select() while all %d clients wait for the network at "+
			"once (~ in their lanes): every wait is an await, so the waits overlap and the loop is free to run the "+
			"heartbeats when they are due.", s.ThreadName(e.Thread), w.v.Int("clients"))
	},
}}

// plural writes n and a noun, with an s unless n is 1: "1 update",
// "3 updates".
func plural(n int64, noun string) string { return pluralOf(n, noun, noun+"s") }

// pluralOf writes n and the noun's singular or plural form.
func pluralOf(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return commas(n) + " " + many
}

// commas writes n with commas between thousands, for people.
func commas(n int64) string { return strings.ReplaceAll(thousands(n), "_", ",") }
