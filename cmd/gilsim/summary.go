package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// The text summary gilsim run prints: sections of aligned label/value
// lines and tables, each section left out when it has nothing to say for
// this run (no queues, no GIL, nothing printed...).

// Caps on the long lists of a text summary; --json always has everything.
const (
	maxThreadRows  = 24
	maxConsoleRows = 40
)

// dur formats a virtual duration the way gilsim prints every time.
func dur[T ~int64](d T) string { return sim.FormatDuration(time.Duration(d)) }

// durOrBlank is dur, or empty for zero, so that a column of zeros can go.
func durOrBlank(d sim.Time) string {
	if d == 0 {
		return ""
	}
	return dur(d)
}

func percent(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

// rate formats a per-second figure: whole numbers from 100 up, one
// decimal below.
func rate(f float64) string {
	if f >= 100 {
		return count(uint64(f + 0.5))
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}

// summaryWriter accumulates the summary's sections.
type summaryWriter struct {
	b strings.Builder
}

func (w *summaryWriter) section(title string) {
	w.b.WriteString("\n" + title + "\n")
}

func (w *summaryWriter) line(format string, args ...any) {
	fmt.Fprintf(&w.b, format+"\n", args...)
}

// pairs writes label/value lines aligned on the values.
func (w *summaryWriter) pairs(kv ...string) {
	t := newTable("  ")
	for i := 0; i+1 < len(kv); i += 2 {
		t.row(kv[i], kv[i+1])
	}
	w.b.WriteString(t.String())
}

// runText renders a run report for people.
func runText(r *runReport) string {
	var w summaryWriter
	w.line("%s", r.heading)
	w.line("%s", r.Summary)
	w.runSection(r)
	w.endings(r)
	w.threads(r)
	w.gil(r)
	w.requests(r)
	w.queues(r)
	w.locks(r)
	w.variables(r)
	w.processes(r)
	w.loops(r)
	w.figures(r)
	w.console(r)
	return w.b.String()
}

func (w *summaryWriter) runSection(r *runReport) {
	w.section("Run")
	util := fmt.Sprintf("%s of %d cores (%s of CPU time)", percent(r.Utilisation), r.Config.Cores, dur(r.CPU))
	if r.Config.Cores == 1 {
		util = fmt.Sprintf("%s of 1 core (%s of CPU time)", percent(r.Utilisation), dur(r.CPU))
	}
	w.pairs("outcome", r.Outcome,
		"elapsed", dur(r.Elapsed)+" of virtual time",
		"events simulated", count(r.Events),
		"CPU utilisation", util)
}

// endings explains a run that did not complete: a deadlock names every
// blocked thread and what it waits for; a guard says which one stopped it.
func (w *summaryWriter) endings(r *runReport) {
	switch r.metrics.Outcome {
	case sim.OutcomeDeadlock:
		w.section(fmt.Sprintf("DEADLOCK at %s: nothing more can happen, and these threads wait forever", dur(r.Elapsed)))
		t := newTable("  ")
		t.row("thread", "state", "waits for")
		for _, b := range r.Blocked {
			t.row(r.threadName(b.Name, b.Process), b.State, b.WaitsFor)
		}
		w.b.WriteString(t.String())
	case sim.OutcomeLimit:
		what := fmt.Sprintf("the event limit (%s events; --max-events)", count(r.Limits.MaxEvents))
		if r.Limits.MaxEvents == 0 || r.Events < r.Limits.MaxEvents {
			what = fmt.Sprintf("the time limit (%s of virtual time; --max-time)", dur(r.Limits.MaxTime))
		}
		w.section("STOPPED by " + what)
		w.line("  The program had not finished: every figure below covers only the %s that ran.", dur(r.Elapsed))
		w.line("  Raise the limit, or make the run smaller with --set (see gilsim run %s --help).", r.Scenario)
	}
}

// threadName is how the text names a thread: as the JSON does (a thread
// of a child process is "Process-1/MainThread"), and, when there are
// several processes, the main process's threads with their process too
// ("MainProcess/MainThread").
func (r *runReport) threadName(name, process string) string {
	if len(r.Processes) > 1 && !strings.Contains(name, "/") {
		return process + "/" + name
	}
	return name
}

func (w *summaryWriter) threads(r *runReport) {
	w.section("Threads")
	t := newTable("  ", false, true, true, true, true)
	t.row("thread", "CPU", "waiting for GIL", "blocked", "runnable, no core")
	grouped := len(r.Processes) > 1
	indent := ""
	if grouped {
		indent = "  "
	}
	proc := int32(-1)
	shown := 0
	var rest threadReport
	restN := 0
	for _, th := range r.Threads {
		if shown >= maxThreadRows-1 && len(r.Threads) > maxThreadRows {
			restN++
			rest.CPU += th.CPU
			rest.WaitGIL += th.WaitGIL
			rest.Blocked += th.Blocked
			rest.NoCore += th.NoCore
			continue
		}
		if grouped && th.ProcessID != proc {
			proc = th.ProcessID
			t.heading(th.Process)
		}
		shown++
		t.row(indent+strings.TrimPrefix(th.Name, th.Process+"/"), dur(th.CPU), durOrBlank(th.WaitGIL), durOrBlank(th.Blocked), durOrBlank(th.NoCore))
	}
	if restN > 0 {
		t.row(fmt.Sprintf("%s more threads, together", count(restN)), dur(rest.CPU), durOrBlank(rest.WaitGIL),
			durOrBlank(rest.Blocked), durOrBlank(rest.NoCore))
	}
	t.dropEmpty()
	w.b.WriteString(t.String())
}

func (w *summaryWriter) gil(r *runReport) {
	g := r.GIL
	if !g.Enabled {
		w.section("GIL: none (free-threaded): the threads of a process run Python on several cores at once")
		return
	}
	title := "GIL"
	if n := startedProcesses(r); n > 1 {
		title = fmt.Sprintf("GIL (summed over the %d interpreters, one GIL each)", n)
	}
	w.section(title)
	if g.Handoffs == 0 && g.MaxWaiters == 0 && g.DropRequests == 0 && g.FailedWakeups == 0 {
		w.line("  no thread ever waited for a GIL: no handoffs, no drop requests")
		return
	}
	t := newTable("  ", false, true)
	t.row("handoffs", count(g.Handoffs))
	for reason := sim.Reason(1); int(reason) < sim.NumReasons; reason++ {
		if n := g.byReason[reason]; n > 0 {
			t.row("  "+reason.Phrase(), count(n))
		}
	}
	if g.Handoffs > 0 {
		t.row("handoffs per second", rate(g.PerSecond))
	}
	if r.metrics.Model == sim.ModelPy3 || g.DropRequests > 0 || g.ForcedSwitches > 0 {
		t.row("drop requests", count(g.DropRequests))
		t.row("forced switches", count(g.ForcedSwitches))
	}
	if g.SwitchWaits > 0 {
		t.row("releases that waited for the switch", count(g.SwitchWaits))
	}
	if r.metrics.Model == sim.ModelPy2 || g.FailedWakeups > 0 {
		t.row("failed wake-ups", count(g.FailedWakeups))
	}
	if g.Py2Overhead > 0 {
		t.row("release overhead", dur(g.Py2Overhead))
	}
	t.row("waiters, mean / max", strconv.FormatFloat(g.MeanWaiters, 'f', 2, 64)+" / "+count(g.MaxWaiters))
	w.b.WriteString(t.String())
}

func startedProcesses(r *runReport) int {
	n := 0
	for _, p := range r.Processes {
		if p.Started {
			n++
		}
	}
	return n
}

func (w *summaryWriter) requests(r *runReport) {
	q := r.Requests
	if q == nil {
		return
	}
	w.section(fmt.Sprintf("Requests: %s, %s per second", count(q.Count), rate(q.PerSecond)))
	t := newTable("  ", false, true, true, true, true, true, true)
	t.row("latency", "min", "p50", "p90", "p99", "max", "mean")
	t.row("", dur(q.Min), dur(q.P50), dur(q.P90), dur(q.P99), dur(q.Max), dur(q.Mean))
	w.b.WriteString(t.String())
}

func (w *summaryWriter) queues(r *runReport) {
	if len(r.Queues) == 0 {
		return
	}
	w.section("Queues")
	t := newTable("  ", false, false, true, true, true, true)
	t.row("queue", "kind", "high-water mark", "puts", "gets", "left")
	for _, q := range r.Queues {
		t.row(q.Name, q.Kind, count(q.HighWater), count(q.Puts), count(q.Gets), count(q.Left))
	}
	w.b.WriteString(t.String())
}

func (w *summaryWriter) locks(r *runReport) {
	if len(r.Locks) == 0 {
		return
	}
	w.section("Locks")
	t := newTable("  ", false, true, true, true)
	t.row("lock", "acquires", "contended", "share")
	for _, l := range r.Locks {
		share := ""
		if l.Acquires > 0 {
			share = percent(float64(l.Contended) / float64(l.Acquires))
		}
		t.row(l.Name, count(l.Acquires), count(l.Contended), share)
	}
	w.b.WriteString(t.String())
}

func (w *summaryWriter) variables(r *runReport) {
	if len(r.Variables) == 0 {
		return
	}
	w.section("Shared variables")
	t := newTable("  ", false, true, true, true)
	t.row("variable", "initial", "final", "lost updates")
	for _, v := range r.Variables {
		t.row(v.Name, count(v.Initial), count(v.Final), count(v.LostUpdates))
	}
	w.b.WriteString(t.String())
}

func (w *summaryWriter) processes(r *runReport) {
	if len(r.Processes) < 2 {
		return
	}
	w.section("Processes")
	t := newTable("  ", false, false, true, true, true, true, true)
	t.row("process", "start method", "started", "ready", "exited", "exit code", "GIL handoffs")
	procs := r.Processes
	if len(procs) > maxThreadRows {
		procs = procs[:maxThreadRows-1]
	}
	for _, p := range procs {
		method, start, ready, exit, code := "", "", "", "", ""
		if p.StartMethod != nil {
			method = *p.StartMethod
		}
		if p.Started {
			start, ready = dur(p.Start), dur(p.Ready)
		} else {
			start = "never"
		}
		if p.Exited {
			exit, code = dur(p.Exit), strconv.Itoa(p.ExitCode)
			if p.ExitCode < 0 {
				// multiprocessing reports death by signal N as -N.
				code += fmt.Sprintf(" (signal %d)", -p.ExitCode)
			}
		} else if p.Started {
			exit = "still running"
		}
		handoffs := ""
		if r.GIL.Enabled && p.Started {
			handoffs = count(p.Handoffs)
		}
		t.row(p.Name, method, start, ready, exit, code, handoffs)
	}
	if rest := r.Processes[len(procs):]; len(rest) > 0 {
		var exited, failed int
		var handoffs uint64
		for _, p := range rest {
			if p.Exited {
				exited++
			}
			if p.Exited && p.ExitCode != 0 {
				failed++
			}
			handoffs += uint64(p.Handoffs)
		}
		h := ""
		if r.GIL.Enabled {
			h = count(handoffs)
		}
		codes := "all 0"
		if failed > 0 {
			codes = count(failed) + " not 0"
		}
		t.row(fmt.Sprintf("%s more processes, together", count(len(rest))), "", "", "",
			count(exited)+" exited", codes, h)
	}
	t.dropEmpty()
	w.b.WriteString(t.String())
}

func (w *summaryWriter) loops(r *runReport) {
	if len(r.EventLoops) == 0 {
		return
	}
	w.section("asyncio event loops")
	t := newTable("  ", false, true, true)
	t.row("loop thread", "iterations", "ready-queue high-water mark")
	for _, l := range r.EventLoops {
		t.row(l.ThreadName, count(l.Iterations), count(l.ReadyHighWater))
	}
	w.b.WriteString(t.String())
	if r.SlowCallbacks > 0 {
		w.line("  slow callbacks: %s (steps longer than %s, which asyncio's debug mode logs)",
			count(r.SlowCallbacks), dur(r.configValue.SlowCallback))
	}
}

// figures is the scenario's own result: its verdict in a sentence, then
// the figures it is read from.
func (w *summaryWriter) figures(r *runReport) {
	if len(r.Figures) == 0 && r.verdict == "" {
		return
	}
	w.section("What " + r.Scenario + " shows")
	if r.verdict != "" {
		w.line("  %s.", r.verdict)
	}
	if r.Partial {
		if len(r.Figures) == 0 {
			w.line("  Its figures need the finished program, so none are shown.")
			return
		}
		w.line("  So far (figures that need the finished program are left out):")
	}
	t := newTable("  ", false, true)
	for _, f := range r.Figures {
		t.row(f.Label, f.Text)
	}
	w.b.WriteString(t.String())
}

func (w *summaryWriter) console(r *runReport) {
	if len(r.Console) == 0 {
		return
	}
	w.section("Console (what the program printed)")
	t := newTable("  ", true, false, false, false)
	stderr := false
	for _, c := range r.Console {
		stderr = stderr || c.Stderr
	}
	lines := r.Console
	if len(lines) > maxConsoleRows {
		lines = lines[:maxConsoleRows-1]
	}
	for _, c := range lines {
		name := r.threadName(c.Name, r.Processes[c.ProcessID].Name)
		stream := ""
		if c.Stderr {
			stream = "stderr"
		}
		if !stderr {
			t.row(dur(c.At), name, c.Text)
			continue
		}
		t.row(dur(c.At), name, stream, c.Text)
	}
	w.b.WriteString(t.String())
	if n := len(r.Console) - len(lines); n > 0 {
		w.line("  … %s more lines (gilsim run %s --json has them all)", count(n), r.Scenario)
	}
}
