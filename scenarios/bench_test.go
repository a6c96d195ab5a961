package scenarios

import (
	"testing"

	"github.com/gilsim/gilsim/sim"
)

// A cpu-bound run with 10,000 threads: building its workload and the
// simulation of it must take tens of milliseconds, not seconds.

func BenchmarkBuildCPUBound10000(b *testing.B) {
	v := choose(b, "cpu-bound", "threads=10000")
	b.ReportAllocs()
	for b.Loop() {
		v.Workload()
	}
}

func BenchmarkNewCPUBound10000(b *testing.B) {
	v := choose(b, "cpu-bound", "threads=10000")
	cfg := sim.DefaultConfig()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.New(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildCPUBound10000Processes(b *testing.B) {
	v := choose(b, "cpu-bound", "threads=10000", "use=processes")
	b.ReportAllocs()
	for b.Loop() {
		v.Workload()
	}
}

func BenchmarkBuildThreadLock1000(b *testing.B) {
	v := choose(b, "thread-lock", "workers=1000")
	b.ReportAllocs()
	for b.Loop() {
		v.Workload()
	}
}

// BenchmarkObserve feeds every event of a counter-race run without the
// GIL (58,578 events, one lesson) to a fresh Watch: the cost a player pays
// per event for its lesson points. ns/op is per event.
func BenchmarkObserve(b *testing.B) {
	v := choose(b, "counter-race", "increments=20000")
	s, evs := recorded(b, v, config(sim.ModelFreeThreaded))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		w := v.Watch()
		for i := range evs {
			w.Observe(s, &evs[i])
		}
		n++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*len(evs)), "ns/event")
}
