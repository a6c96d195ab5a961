package sim

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// FuzzRandomProgram runs a random program (randomWorkload's mix, plus
// daemon threads and processes, terminate, and an event loop) under a
// configuration at the edges of what Validate accepts: 1 to 1,024 cores,
// switch intervals from 1µs to 10s, wake-up latencies up to 10s, quanta
// from 1µs to 1s, 1ns ticks, check intervals up to 65,536. The seed picks
// the program, the knobs the configuration. After every step the
// invariants must hold; the run must end completed, deadlocked (naming
// its blocked threads) or at the limit; every thread's times must add up
// to the elapsed time; and a clone taken part way must end exactly as the
// original does. go test runs the seeds in testdata/fuzz/FuzzRandomProgram.
func FuzzRandomProgram(f *testing.F) {
	f.Add(uint64(1), []byte{})
	f.Fuzz(func(t *testing.T, seed uint64, knobs []byte) {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		k := knobReader(knobs)
		w := fuzzWorkload(r, &k)
		c := edgeConfig(&k, seed)
		cloneAt := uint64(k.pick(0, 1, 10, 100, 1000, 4000))
		s, err := New(c, w)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		var last Time
		var clone *Sim
		for {
			if s.Events() == cloneAt && clone == nil {
				clone = s.Clone()
			}
			if !s.Step() {
				break
			}
			if err := s.CheckInvariants(last); err != nil {
				t.Fatalf("after event %d at %s (%s, %d cores): %v", s.Events(), s.Now(), c.Model, c.Cores, err)
			}
			last = s.Now()
		}
		if err := s.CheckInvariants(last); err != nil {
			t.Fatalf("at the end: %v", err)
		}
		m := s.Metrics()
		switch m.Outcome {
		case OutcomeCompleted:
			if len(m.Blocked) != 0 {
				t.Fatalf("completed with blocked threads %+v", m.Blocked)
			}
		case OutcomeDeadlock:
			if len(m.Blocked) == 0 {
				t.Fatalf("deadlock without a report")
			}
			for _, b := range m.Blocked {
				if b.WaitsFor == "" {
					t.Fatalf("%s is blocked on nothing named", b.Name)
				}
			}
		case OutcomeLimit:
			if m.Events != c.MaxEvents && (c.MaxTime == 0 || s.Now() > Time(c.MaxTime)) {
				t.Fatalf("stopped at the limit after %d events at %s, limits %d and %s", m.Events, s.Now(), c.MaxEvents, c.MaxTime)
			}
		default:
			t.Fatalf("outcome %s", m.Outcome)
		}
		var cpu Time
		for _, th := range m.Threads {
			if sum := th.CPU + th.WaitGIL + th.Blocked + th.NoCore + th.Inactive; sum != m.Elapsed {
				t.Fatalf("%s's time adds up to %s of %s", th.Name, sum, m.Elapsed)
			}
			cpu += th.CPU
		}
		if cpu > m.Elapsed*Time(c.Cores) {
			t.Fatalf("%s of CPU in %s on %d cores", cpu, m.Elapsed, c.Cores)
		}
		if clone != nil {
			clone.Run()
			if !reflect.DeepEqual(clone.Metrics(), m) || listing(clone) != listing(s) {
				t.Fatalf("a clone taken after event %d ends differently", cloneAt)
			}
		}
	})
}

// knobs reads small choices from fuzz bytes; past the end every choice is
// the first.
type knobs struct {
	b []byte
}

func knobReader(b []byte) knobs { return knobs{b: b} }

func (k *knobs) n(n int) int {
	if len(k.b) == 0 {
		return 0
	}
	x := int(k.b[0]) % n
	k.b = k.b[1:]
	return x
}

func (k *knobs) pick(xs ...int64) int64 { return xs[k.n(len(xs))] }

func (k *knobs) dur(ds ...time.Duration) time.Duration { return ds[k.n(len(ds))] }

// edgeConfig is a configuration whose every knob is at an edge of its
// accepted range, at its default, or in between, as the fuzz bytes say.
// The first value of each list is the default, so that no bytes give the
// default machine.
func edgeConfig(k *knobs, seed uint64) Config {
	c := referenceConfig()
	c.Model = Model(k.n(int(numModels)))
	c.Cores = int(k.pick(4, 1, 2, 3, 64, 1023, 1024))
	c.SwitchInterval = k.dur(5*time.Millisecond, time.Microsecond, 2*time.Microsecond, 100*time.Microsecond, 10*time.Second)
	c.WakeLatency = k.dur(10*time.Microsecond, 0, 1, time.Millisecond, 10*time.Second)
	c.WakeJitter = []float64{0.5, 0, 1}[k.n(3)]
	c.Successor = Policy(k.n(int(numPolicies)))
	c.Tick = k.dur(16, 1, time.Microsecond)
	c.CheckInterval = int(k.pick(100, 1, 65536))
	c.SignalRemote = k.dur(1500, 0, 1, time.Millisecond)
	c.SignalLocal = k.dur(700, 0, 1, time.Millisecond)
	c.FreeThreadTax = []float64{0.1, 0, 10}[k.n(3)]
	c.OpJitter = k.dur(10, 0, 1, time.Millisecond)
	c.Quantum = k.dur(10*time.Millisecond, time.Microsecond, 10*time.Microsecond, time.Second)
	c.WakeupGranularity = k.dur(time.Millisecond, 0, 1, time.Second)
	c.SleeperCredit = k.dur(3*time.Millisecond, 0, 10*time.Second)
	c.ThreadStart = k.dur(150*time.Microsecond, 0, 1)
	for m := range c.ProcStartParent {
		c.ProcStartParent[m] = k.dur(c.ProcStartParent[m], 0, time.Second)
		c.ProcStartChild[m] = k.dur(c.ProcStartChild[m], 0, 1)
	}
	c.Pickle = k.dur(20*time.Microsecond, 0, time.Millisecond)
	c.LoopIteration = k.dur(5*time.Microsecond, 1, time.Millisecond)
	c.SlowCallback = k.dur(100*time.Millisecond, 1)
	c.Seed = seed
	c.Trace = k.n(2) == 0
	c.MaxEvents = 5_000
	c.MaxTime = k.dur(0, time.Millisecond, time.Hour)
	if err := c.Validate(); err != nil {
		panic(err)
	}
	return c
}

// fuzzWorkload is randomWorkload's mix with, as the knobs say, daemon
// threads that may die queued at shutdown, a terminated process, a daemon
// process with busy threads, and a thread running an event loop whose
// tasks sleep, await I/O, gather and block the loop.
func fuzzWorkload(r *rand.Rand, k *knobs) Workload {
	w := randomWorkload(r)
	extra, terminate, daemonProc, eventLoop := int(k.pick(0, 3, 12, 40)), k.n(2) == 1, k.n(2) == 1, k.n(2) == 1
	main := &w.Threads[0]
	dur := func() time.Duration { return time.Duration(1+r.IntN(2000)) * time.Microsecond }
	for i := range extra {
		d := dur()
		var c Code
		switch r.IntN(4) {
		case 0:
			c = Loop(1, int64(1+r.IntN(30)), Python(2, d, 50), IO(3, d/3+1, ReqNone))
		case 1:
			c = Loop(1, int64(1+r.IntN(30)), Python(2, d, 0), Sleep(3, d/2+1))
		case 2:
			c = Loop(1, int64(1+r.IntN(10)), Acquire(2, 0), Python(3, d, 50), Release(4, 0), Native(5, d))
		default:
			c = Python(2, d*time.Duration(1+r.IntN(50)), 50)
		}
		id := len(w.Threads)
		daemon := r.IntN(2) == 0
		w.Threads = append(w.Threads, ThreadSpec{Name: fmt.Sprintf("X%d", i), Func: "x", Code: c, Daemon: daemon})
		main = &w.Threads[0]
		if daemon {
			main.Code = Seq(Start(7, id), main.Code)
		} else {
			main.Code = Seq(Start(7, id), main.Code, Join(8, id))
		}
	}
	if len(w.Procs) > 1 && terminate {
		// The first op starts the last process; terminate it a while later.
		main.Code = Seq(main.Code[:1], Sleep(9, time.Duration(r.IntN(3000))*time.Microsecond), ProcTerminate(9, len(w.Procs)-1), main.Code[1:])
	}
	if daemonProc {
		p := len(w.Procs)
		w.Procs = append(w.Procs, ProcSpec{Name: "Daemon", Daemon: true})
		w.Threads = append(w.Threads,
			ThreadSpec{Name: "MainThread", Proc: p, Code: Seq(Start(1, len(w.Threads)+1), Python(2, time.Second, 50))},
			ThreadSpec{Name: "Busy", Proc: p, Code: Python(2, time.Second, 50)})
		main = &w.Threads[0]
		main.Code = Seq(ProcStart(1, p), main.Code)
	}
	if eventLoop {
		base := len(w.Tasks)
		n := 1 + r.IntN(3)
		w.Tasks = append(w.Tasks, TaskSpec{Name: "main", Coro: "main", Code: Seq(Python(30, dur(), 50), Gather(31, base+1, n))})
		for i := range n {
			var c Code
			switch r.IntN(3) {
			case 0:
				c = Loop(32, int64(1+r.IntN(5)), AwaitSleep(33, dur()), Python(34, dur(), 50))
			case 1:
				c = Seq(AwaitIO(35, dur(), ReqWhole), Python(36, dur(), 0), AwaitSleep(37, 0))
			default:
				c = Seq(Python(38, dur(), 50), Sleep(39, dur()), AwaitSleep(40, dur()))
			}
			w.Tasks = append(w.Tasks, TaskSpec{Name: fmt.Sprintf("Task-%d", i+2), Coro: "work", Code: c})
		}
		id := len(w.Threads)
		w.Threads = append(w.Threads, ThreadSpec{Name: "Loop", Func: "run", Code: RunLoop(41, base)})
		main = &w.Threads[0]
		main.Code = Seq(Start(42, id), main.Code, Join(43, id))
	}
	return w
}
