package sim

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Config holds every knob of the machine and the interpreter model. Start
// from DefaultConfig; the zero value is not valid.
type Config struct {
	// Model selects the GIL model for every interpreter.
	Model Model
	// Cores is the number of CPU cores.
	Cores int
	// SwitchInterval is sys.setswitchinterval (py3).
	SwitchInterval time.Duration
	// TimedWaitLatency is how late a py3 GIL waiter's timed wait expires
	// after the switch interval (timer slack plus the wake-up): the waiter
	// looks at the GIL, and may set the drop request, SwitchInterval +
	// TimedWaitLatency after its wait began. 0, the default, makes the
	// expiry instant.
	TimedWaitLatency time.Duration
	// WakeLatency is how long a thread signalled by another needs before it
	// runs (condition variable, lock or join wake-up). A thread that is
	// already running needs none, which is why a releaser can win races.
	WakeLatency time.Duration
	// WakeJitter spreads each wake-up latency uniformly over
	// WakeLatency × [1-WakeJitter, 1+WakeJitter] using the seeded generator.
	WakeJitter float64
	// WakeLatencyPreempt replaces WakeLatency for a GIL waiter signalled
	// when no core is free for it (none idle, and none about to be left by
	// the signaller, beyond what the run queue already claims): it must wait
	// for the OS to preempt a running thread, or for a core. It is jittered
	// as WakeLatency is. 0, the default, means the same as WakeLatency.
	WakeLatencyPreempt time.Duration
	// Successor picks which waiter a released GIL signals.
	Successor Policy
	// Tick is the duration of one py2 tick (roughly one bytecode).
	Tick time.Duration
	// CheckInterval is the py2 check interval in ticks (sys.setcheckinterval).
	CheckInterval int
	// SignalRemote is what a py2 release costs the holder when the waiter it
	// signals wakes on another core (futex wake plus inter-processor interrupt).
	SignalRemote time.Duration
	// SignalLocal is what a py2 release costs when somebody waits but it
	// wakes nobody on another core: a waiter woken with no other core idle
	// (on the releaser's core), or waiters already awake (the futex wake
	// is made all the same).
	SignalLocal time.Duration
	// SignalNone is what a py2 release and retake cost when nobody waits:
	// two uncontended lock operations on Linux (a semaphore), or a
	// condition variable's signal where the lock is built on one (macOS).
	SignalNone time.Duration
	// RewakeLatency replaces WakeLatency for a py2 waiter signalled again
	// within two check periods of a failed wake-up: its core has not gone
	// idle, so it wakes quickly and may catch the next release window. 0,
	// the default, means WakeLatency.
	RewakeLatency time.Duration
	// WakeCost is what a threading.Lock or Semaphore release, or an
	// Event.set, costs the caller (with the GIL held) when it wakes a
	// blocked thread: the futex wake system call. Without a thread to wake,
	// the uncontended operation is Python, costed by the program.
	WakeCost time.Duration
	// PythonScale is how much longer Python runs on this machine than on
	// the one its costs were measured on: every OpPython, the distance
	// between its check points and the py2 tick are multiplied by it.
	// 1 is the cost table's own machine.
	PythonScale float64
	// FreeThreadTax is the free-threaded build's slowdown of Python code, as
	// a fraction (0.10 = 10 % longer).
	FreeThreadTax float64
	// OpJitter makes every timed op up to this much longer, drawn from the
	// seeded generator: cache misses and interrupts, which keep threads that
	// run the same loop from staying in exact lockstep.
	OpJitter time.Duration
	// Quantum is the OS time slice when more threads want cores than exist.
	Quantum time.Duration
	// WakeupGranularity is how much more CPU a running thread must have had
	// than a thread waking from a wait before the waker preempts it (CFS's
	// sched_wakeup_granularity).
	WakeupGranularity time.Duration
	// SleeperCredit is how far behind the running threads' least CPU a
	// waking thread is placed, however long it slept (CFS: half of
	// sched_latency).
	SleeperCredit time.Duration
	// ThreadStart is what Thread.start costs the caller.
	ThreadStart time.Duration
	// ProcStartParent is what Process.start costs the caller, by start method.
	ProcStartParent [numStartMethods]time.Duration
	// ProcStartChild is the child interpreter's start-up CPU, by start method.
	ProcStartChild [numStartMethods]time.Duration
	// Pickle is what a put of one small item on a multiprocessing queue
	// costs the caller (pickling it, handing it on), with the GIL held.
	Pickle time.Duration
	// Unpickle is what a get of one costs (reading and unpickling it).
	Unpickle time.Duration
	// LoopIteration is the CPU one event-loop iteration costs besides the
	// callbacks it runs (_run_once and the selector call).
	LoopIteration time.Duration
	// SelectorResolution is the granularity of the selector's timeout: a
	// loop waiting for its next timer sleeps that long rounded up to a
	// whole multiple (epoll and poll take milliseconds, so asyncio's
	// selectors round up to 1ms on Linux; kqueue takes nanoseconds). 0
	// waits exactly.
	SelectorResolution time.Duration
	// SlowCallback is asyncio's slow_callback_duration: a callback running
	// longer is reported the way debug mode logs it.
	SlowCallback time.Duration
	// Seed seeds the one random generator of the run.
	Seed uint64
	// Trace keeps the full event trace; off, only running totals are kept.
	Trace bool
	// MaxEvents stops the run after this many events (0: no limit).
	MaxEvents uint64
	// MaxTime stops the run at this virtual time (0: no limit).
	MaxTime time.Duration
}

// DefaultConfig returns gilsim's defaults: the linux platform profile,
// measured with gilsim calibrate (sim/platform/profiles/linux.json, which
// a test keeps equal to this), on gil-model.md §7's 4 cores, 5ms switch
// interval and 100-tick check interval. The forkserver costs, which no
// probe measures, are estimates.
func DefaultConfig() Config {
	return Config{
		Model:              ModelPy3,
		Cores:              4,
		SwitchInterval:     5 * time.Millisecond,
		TimedWaitLatency:   38900 * time.Nanosecond,
		WakeLatency:        50300 * time.Nanosecond,
		WakeJitter:         0.5,
		Successor:          PolicyFIFO,
		Tick:               16 * time.Nanosecond,
		CheckInterval:      100,
		SignalRemote:       44500 * time.Nanosecond,
		SignalLocal:        72 * time.Nanosecond,
		SignalNone:         72 * time.Nanosecond,
		RewakeLatency:      2 * time.Nanosecond,
		PythonScale:        1.63,
		FreeThreadTax:      0.10,
		OpJitter:           10 * time.Nanosecond,
		Quantum:            10 * time.Millisecond,
		WakeupGranularity:  time.Millisecond,
		SleeperCredit:      3 * time.Millisecond,
		ThreadStart:        145 * time.Microsecond,
		SelectorResolution: time.Millisecond,
		ProcStartParent: [numStartMethods]time.Duration{
			StartFork:       770 * time.Microsecond,
			StartSpawn:      1650 * time.Microsecond,
			StartForkserver: 1 * time.Millisecond,
		},
		ProcStartChild: [numStartMethods]time.Duration{
			StartFork:       1360 * time.Microsecond,
			StartSpawn:      71700 * time.Microsecond,
			StartForkserver: 15 * time.Millisecond,
		},
		Pickle:        200 * time.Nanosecond,
		Unpickle:      20700 * time.Nanosecond,
		LoopIteration: 5 * time.Microsecond,
		SlowCallback:  100 * time.Millisecond,
		Seed:          1,
		Trace:         true,
	}
}

// ErrConfig is returned (wrapped) by New and Config.Validate for a setting
// outside its accepted range.
var ErrConfig = errors.New("invalid configuration")

// Validate reports the first setting outside its accepted range.
func (c *Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
	}
	switch {
	case c.Model >= numModels:
		return bad("unknown model %d", c.Model)
	case c.Cores < 1 || c.Cores > 1024:
		return bad("cores must be between 1 and 1024, got %d", c.Cores)
	case c.SwitchInterval < time.Microsecond || c.SwitchInterval > 10*time.Second:
		return bad("switch interval must be between 1µs and 10s, got %s", c.SwitchInterval)
	case c.WakeLatency < 0:
		return bad("wake latency must not be negative, got %s", c.WakeLatency)
	case c.TimedWaitLatency < 0 || c.TimedWaitLatency > time.Second:
		return bad("timed-wait latency must be between 0 and 1s, got %s", c.TimedWaitLatency)
	case c.WakeLatencyPreempt < 0 || c.WakeLatencyPreempt > time.Second:
		return bad("preempting wake latency must be between 0 and 1s, got %s", c.WakeLatencyPreempt)
	case c.WakeJitter < 0 || c.WakeJitter > 1:
		return bad("wake jitter must be between 0 and 1, got %g", c.WakeJitter)
	case c.Successor >= numPolicies:
		return bad("unknown successor policy %d", c.Successor)
	case c.Tick <= 0:
		return bad("tick must be positive, got %s", c.Tick)
	case c.CheckInterval < 1:
		return bad("check interval must be at least 1 tick, got %d", c.CheckInterval)
	case c.SignalRemote < 0 || c.SignalLocal < 0 || c.SignalNone < 0 || c.WakeCost < 0:
		return bad("signal and wake costs must not be negative")
	case c.RewakeLatency < 0 || c.RewakeLatency > time.Second:
		return bad("re-wake latency must be between 0 and 1s, got %s", c.RewakeLatency)
	case c.SelectorResolution < 0 || c.SelectorResolution > time.Second:
		return bad("selector resolution must be between 0 and 1s, got %s", c.SelectorResolution)
	case c.PythonScale < 0.01 || c.PythonScale > 100:
		return bad("Python scale must be between 0.01 and 100, got %g", c.PythonScale)
	case c.FreeThreadTax < 0 || c.FreeThreadTax > 10:
		return bad("free-threaded tax must be between 0 and 10, got %g", c.FreeThreadTax)
	case c.OpJitter < 0:
		return bad("op jitter must not be negative, got %s", c.OpJitter)
	case c.Quantum < time.Microsecond:
		return bad("OS quantum must be at least 1µs, got %s", c.Quantum)
	case c.WakeupGranularity < 0 || c.SleeperCredit < 0:
		return bad("wake-up granularity and sleeper credit must not be negative")
	case c.ThreadStart < 0 || c.Pickle < 0 || c.Unpickle < 0 || c.LoopIteration <= 0 || c.SlowCallback <= 0:
		return bad("thread start and pickle costs must not be negative; loop iteration and slow-callback durations must be positive")
	case c.MaxTime < 0:
		return bad("time limit must not be negative")
	}
	for m := StartMethod(0); m < numStartMethods; m++ {
		if c.ProcStartParent[m] < 0 || c.ProcStartChild[m] < 0 {
			return bad("process start costs must not be negative")
		}
	}
	return nil
}

// GILLabel names the GIL setting in a few words, as gilsim shows it
// everywhere: "GIL on · py3 · 5ms", "GIL on · py2 · 100 ticks",
// "GIL off · free-threaded".
func (c *Config) GILLabel() string {
	switch c.Model {
	case ModelPy3:
		return "GIL on · py3 · " + c.SwitchInterval.String()
	case ModelPy2:
		return fmt.Sprintf("GIL on · py2 · %d ticks", c.CheckInterval)
	}
	return "GIL off · " + c.Model.String()
}

// py2Period is how much Python execution lies between two py2 checks.
func (c *Config) py2Period() Time {
	return c.scalePython(Time(c.Tick) * Time(c.CheckInterval))
}

// scalePython is d of Python, as the cost table gives it, on this machine.
func (c *Config) scalePython(d Time) Time {
	if c.PythonScale == 1 {
		return d
	}
	return Time(math.Round(float64(d) * c.PythonScale))
}
