package scenarios

import (
	"fmt"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// The article's central claims, made visible.

var useParam = Param{Name: "use", Kind: Choice, Default: "threads", Choices: []string{"threads", "processes"},
	Help: "run the workers as threads or as processes (each with its own GIL)"}

var cpuBound = fromPython(&Scenario{
	ID:      "cpu-bound",
	Title:   "CPU-bound threads",
	Summary: "CPU-bound threads: no speedup under the GIL, speedup without it or with processes",
	Notice: "Under the GIL only one thread runs Python at a time: the others wait, " +
		"one switch interval at a time, and the run takes as long as doing the work in one thread. " +
		"Turn the GIL off (free-threaded) or use processes and the threads run side by side on the cores.",
	Params: []Param{
		{Name: "threads", Kind: Int, Default: "4", Min: 1, Max: 10000, Help: "number of worker threads (or processes)"},
		{Name: "count", Kind: Int, Default: "1000000", Min: 1, Max: 1_000_000_000, Help: "each worker counts down from count"},
		useParam,
	},
	Processes: "processes",
	Pace:      Pace{Speed: 5 * time.Millisecond, Zoom: 500 * time.Microsecond},
	figures: func(v Values, m sim.Metrics) []Figure {
		return []Figure{parallelism(m)}
	},
	verdict: cpuBoundVerdict,
	lessons: cpuBoundLessons,
}, pyBinding{
	file: func(v Values) string {
		if v.UsesProcesses() {
			return "cpu_bound_processes.py"
		}
		return "cpu_bound.py"
	},
	alias: map[string]string{"PROCESSES": "threads"},
})

// parallelism is how many cores' worth of the program ran at once on
// average: the CPU time of the run, less what the old GIL's releases and
// signals cost, over its length.
func parallelism(m sim.Metrics) Figure {
	p := 0.0
	if m.Elapsed > 0 {
		p = float64(m.CPU-m.GIL.Py2Overhead) / float64(m.Elapsed)
	}
	return Figure{Key: "parallelism", Label: "parallelism", Value: fmt.Sprintf("%.2fx", p), Number: p, Unit: UnitRatio}
}

var lockContention = fromPython(&Scenario{
	ID:      "lock-contention",
	Title:   "Lock contention",
	Summary: "threads contending for one threading.Lock: waiters block with the GIL released",
	Notice: "A thread that finds the lock taken blocks and releases the GIL; when the owner releases the lock " +
		"one waiter is woken, takes the lock, and then queues for the GIL. Under the GIL a switch inside the " +
		"critical section is what makes the others find the lock taken; without the GIL the threads really " +
		"collide, and the lock serialises them.",
	Params: []Param{
		{Name: "threads", Kind: Int, Default: "4", Min: 1, Max: 10000, Help: "number of threads"},
		{Name: "iterations", Kind: Int, Default: "50", Min: 1, Max: 1000000, Help: "times each thread enters the critical section"},
		{Name: "critical", Kind: Int, Default: "6500", Min: 1, Max: 10_000_000, Help: "the critical section counts down from critical, holding the lock"},
	},
	Pace:    Pace{Speed: 2 * time.Millisecond, Zoom: 100 * time.Microsecond},
	figures: func(v Values, m sim.Metrics) []Figure { return lockFigures(m) },
	verdict: lockVerdict,
	lessons: lockLessons,
}, pyBinding{})

// lockFigures counts the acquires that found a lock taken, and their share
// of all acquires.
func lockFigures(m sim.Metrics) []Figure {
	var acq, cont uint64
	for _, l := range m.Locks {
		acq += l.Acquires
		cont += l.Contended
	}
	share := 0.0
	if acq > 0 {
		share = float64(cont) / float64(acq)
	}
	return []Figure{
		{Key: "contended_acquires", Label: "contended acquires", Value: commas(int64(cont)), Number: float64(cont), Live: true},
		{Key: "contended_share", Label: "contended share", Value: fmt.Sprintf("%.0f%%", 100*share), Number: share, Live: true, Unit: UnitShare},
	}
}

var counterRace = fromPython(&Scenario{
	ID:      "counter-race",
	Title:   "A counter without a lock",
	Summary: "counter += 1 from several threads: the GIL does not make it atomic",
	Notice: "counter += 1 is a load, an add and a store. An update is lost when another thread stores in " +
		"between. Since CPython 3.10 the GIL can only change hands at a loop's back-edge here, so under py3 " +
		"(3.12) this loop happens to lose nothing; 3.9 and the old GIL (py2, 2.7) could switch between the load " +
		"and the store, and without the GIL the threads overlap and lose updates all the time. Set lock=true and " +
		"none is lost.",
	Params: []Param{
		{Name: "threads", Kind: Int, Default: "4", Min: 1, Max: 1000, Help: "number of threads"},
		{Name: "increments", Kind: Int, Default: "200000", Min: 1, Max: 100000000, Help: "times each thread does counter += 1"},
		{Name: "lock", Kind: Bool, Default: "false", Help: "hold a threading.Lock around each increment"},
	},
	Pace:    Pace{Speed: 2 * time.Millisecond, Zoom: 200 * time.Microsecond},
	verdict: counterRaceVerdict,
	lessons: counterRaceLessons,
	figures: func(v Values, m sim.Metrics) []Figure {
		if len(m.Vars) == 0 {
			return nil
		}
		c := m.Vars[0]
		expected := c.Init + int64(v.Int("threads"))*int64(v.Int("increments"))
		return []Figure{
			{Key: "final_counter", Label: "final counter", Value: commas(int64(c.Final)), Number: float64(c.Final)},
			{Key: "expected_counter", Label: "expected", Value: commas(int64(expected)), Number: float64(expected)},
			{Key: "lost_updates", Label: "lost updates", Value: commas(int64(c.LostUpdates)), Number: float64(c.LostUpdates), Live: true},
		}
	},
}, pyBinding{
	file: func(v Values) string {
		if v.Bool("lock") {
			return "counter_race_locked.py"
		}
		return "counter_race.py"
	},
})
