package sim

import (
	"slices"
	"time"
)

// Metrics are the figures of a run, computed from what the simulation did.
// Take them at the end of a run; taken earlier they describe the run so far.
type Metrics struct {
	Outcome        Outcome
	Model          Model
	Cores          int
	SwitchInterval time.Duration
	Seed           uint64
	Elapsed        Time
	Events         uint64
	// CPU is the total time threads spent on cores.
	CPU Time
	// Utilisation is CPU over Elapsed × Cores.
	Utilisation float64
	Threads     []ThreadMetrics
	GIL         GILMetrics
	// Requests holds the latency of the I/O operations marked as requests;
	// Count is zero when the workload marks none.
	Requests      LatencyMetrics
	Queues        []QueueMetrics
	Locks         []LockMetrics
	Vars          []VarMetrics
	Loops         []LoopMetrics
	Procs         []ProcMetrics
	SlowCallbacks uint64
	// Blocked lists the threads still waiting when a run deadlocked.
	Blocked []BlockedThread
}

// ThreadMetrics is where one thread's time went. CPU + WaitGIL + Blocked +
// NoCore + Inactive equals the elapsed time.
type ThreadMetrics struct {
	ID, Proc int32
	Name     string
	CPU      Time // running or booting on a core
	WaitGIL  Time // waiting for the GIL
	Blocked  Time // on a lock, I/O, sleep, join or queue
	NoCore   Time // runnable, but every core was busy
	Inactive Time // not started yet, or done
	States   [NumStates]Time
}

// GILMetrics are the GIL figures summed over every interpreter.
type GILMetrics struct {
	Handoffs       uint64
	ByReason       [NumReasons]uint64
	PerSecond      float64
	DropRequests   uint64
	ForcedSwitches uint64
	// SwitchWaits counts voluntary releases made with a drop request
	// pending, which waited in drop_gil for the switch.
	SwitchWaits   uint64
	FailedWakeups uint64
	Signals       uint64
	// MeanWaiters is the time-weighted mean number of threads waiting for
	// a GIL; MaxWaiters the most waiting for one GIL at once.
	MeanWaiters float64
	MaxWaiters  int
	// Py2Overhead is the CPU py2 holders spent releasing and signalling.
	Py2Overhead Time
}

// LatencyMetrics summarises request latencies (nearest-rank percentiles).
type LatencyMetrics struct {
	Count               int
	Mean, P50, P90, P99 Time
	Min, Max            Time
	// PerSecond is Count over the span from the first request's start to
	// the last one's end.
	PerSecond float64
}

// QueueMetrics are one queue's figures.
type QueueMetrics struct {
	Name       string
	Kind       QueueKind
	HighWater  int
	Puts, Gets uint64
	Left       int
}

// LockMetrics are one lock's figures.
type LockMetrics struct {
	Name      string
	Acquires  uint64
	Contended uint64
}

// VarMetrics are one shared variable's figures.
type VarMetrics struct {
	Name        string
	Init, Final int64
	// LostUpdates is the sum of the increments that later stores
	// overwrote: for a variable only ever incremented, the expected final
	// value minus the actual one.
	LostUpdates int64
}

// LoopMetrics are one event loop's figures.
type LoopMetrics struct {
	Thread         int32
	Iterations     uint64
	ReadyHighWater int
	// MaxLate is the longest any task's step began after its sleep was
	// over (a timer's callback held up by a busy loop).
	MaxLate Time
}

// ProcMetrics says when a process started, was ready and exited.
type ProcMetrics struct {
	Name               string
	Started, Exited    bool
	Start, Ready, Exit Time
	ExitCode           int
	// Exception is what its main thread died of, or empty.
	Exception            string
	StartMethod          StartMethod
	Handoffs, MaxWaiters int
	MeanWaiters          float64
}

// BlockedThread is a thread left waiting by a deadlock.
type BlockedThread struct {
	Thread   int32
	Name     string
	State    State
	WaitsFor string
}

// Metrics computes the run's figures.
func (s *Sim) Metrics() Metrics {
	s.noteWaiters()
	m := Metrics{Outcome: s.out, Model: s.cfg.Model, Cores: s.cfg.Cores, SwitchInterval: s.cfg.SwitchInterval,
		Seed: s.cfg.Seed, Elapsed: s.now, Events: s.events, SlowCallbacks: s.tot.slowCalls,
		Threads: make([]ThreadMetrics, 0, len(s.threads)), Procs: make([]ProcMetrics, 0, len(s.procs))}
	for i := range s.threads {
		t := &s.threads[i]
		st := t.times
		st[t.state] += s.now - t.since
		tm := ThreadMetrics{ID: t.id, Proc: t.proc, Name: s.w.Threads[i].Name, States: st,
			CPU:      st[StateRunning] + st[StateStarting],
			WaitGIL:  st[StateWaitGIL],
			Blocked:  st[StateWaitLock] + st[StateIO] + st[StateSleep] + st[StateJoin] + st[StateQueue],
			NoCore:   st[StateRunnable],
			Inactive: st[StateNew] + st[StateDone]}
		m.CPU += tm.CPU
		m.Threads = append(m.Threads, tm)
	}
	if s.now > 0 {
		m.Utilisation = float64(m.CPU) / (float64(s.now) * float64(s.cfg.Cores))
	}
	g := &m.GIL
	tot := s.totals()
	g.Handoffs, g.ByReason = tot.Handoffs, tot.ByReason
	g.DropRequests, g.ForcedSwitches, g.FailedWakeups, g.Signals = tot.DropRequests, tot.ForcedSwitches, tot.FailedWakeups, tot.Signals
	g.SwitchWaits = tot.SwitchWaits
	g.Py2Overhead = s.tot.py2Overhead
	if s.now > 0 {
		g.PerSecond = float64(g.Handoffs) / s.now.Seconds()
	}
	var area float64
	for i := range s.procs {
		p := &s.procs[i]
		area += p.gil.waitArea
		g.MaxWaiters = max(g.MaxWaiters, p.gil.maxWaiters)
		pm := ProcMetrics{Name: s.w.Procs[i].Name, Started: p.started, Exited: p.exited, Start: p.startAt,
			Ready: p.readyAt, Exit: p.exitAt, ExitCode: p.exitCode, Exception: p.exc, StartMethod: s.w.Procs[i].Start,
			Handoffs: int(p.gil.handoffs), MaxWaiters: p.gil.maxWaiters}
		if s.now > 0 {
			pm.MeanWaiters = p.gil.waitArea / float64(s.now)
		}
		m.Procs = append(m.Procs, pm)
	}
	if s.now > 0 {
		g.MeanWaiters = area / float64(s.now)
	}
	m.Requests = latency(&s.lat, s.reqTo-s.reqFrom)
	for i := range s.queues {
		q := &s.queues[i]
		m.Queues = append(m.Queues, QueueMetrics{Name: s.w.Queues[i].Name, Kind: s.w.Queues[i].Kind,
			HighWater: q.high, Puts: q.puts, Gets: q.gets, Left: q.depth()})
	}
	for i := range s.locks {
		m.Locks = append(m.Locks, LockMetrics{Name: s.w.Locks[i], Acquires: s.locks[i].acquires, Contended: s.locks[i].contends})
	}
	for i := range s.vars {
		m.Vars = append(m.Vars, VarMetrics{Name: s.w.Vars[i].Name, Init: s.w.Vars[i].Init, Final: s.vars[i].val, LostUpdates: s.vars[i].lost})
	}
	for i := range s.loops {
		m.Loops = append(m.Loops, LoopMetrics{Thread: s.loops[i].thread, Iterations: s.loops[i].iters, ReadyHighWater: s.loops[i].high,
			MaxLate: s.loops[i].maxLate})
	}
	if s.out == OutcomeDeadlock {
		for i := range s.threads {
			t := &s.threads[i]
			if t.state != StateDone && t.state != StateNew {
				m.Blocked = append(m.Blocked, BlockedThread{Thread: t.id, Name: s.w.Threads[i].Name, State: t.state, WaitsFor: s.waitsFor(t)})
			}
		}
	}
	return m
}

func latency(lat *chunked[Time], span Time) LatencyMetrics {
	if lat.len() == 0 {
		return LatencyMetrics{}
	}
	sorted := lat.appendTo(make([]Time, 0, lat.len()))
	slices.Sort(sorted)
	var sum Time
	for _, l := range sorted {
		sum += l
	}
	rank := func(p float64) Time {
		i := int(p*float64(len(sorted))+0.999999) - 1
		return sorted[min(max(i, 0), len(sorted)-1)]
	}
	m := LatencyMetrics{Count: len(sorted), Mean: sum / Time(len(sorted)), P50: rank(0.50), P90: rank(0.90),
		P99: rank(0.99), Min: sorted[0], Max: sorted[len(sorted)-1]}
	if span > 0 {
		m.PerSecond = float64(len(sorted)) / span.Seconds()
	}
	return m
}
