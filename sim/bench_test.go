package sim

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkStep measures the engine's cost per event (ns/op is per event,
// allocs/op is allocations per event) on the cpu-bound workload with 4,
// 1,000 and 10,000 threads, with the trace on and off. The simulation is
// built outside the timer and rebuilt whenever a run ends.
func BenchmarkStep(b *testing.B) {
	for _, n := range []int{4, 1000, 10000} {
		for _, tr := range []bool{false, true} {
			name := fmt.Sprintf("cpu-bound/threads=%d/trace=%v", n, tr)
			b.Run(name, func(b *testing.B) {
				w := cpuWorkers(n, time.Second)
				c := config(ModelPy3, tr)
				s, err := New(c, w)
				if err != nil {
					b.Fatal(err)
				}
				// Warm up past thread start-up so the run is in steady state.
				for s.Events() < uint64(4*n) && s.Step() {
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if !s.Step() {
						b.StopTimer()
						s, _ = New(c, w)
						for s.Events() < uint64(4*n) && s.Step() {
						}
						b.StartTimer()
					}
					if tr && s.TraceLen() > 1<<20 {
						b.StopTimer()
						s.DrainTrace(nil)
						b.StartTimer()
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			})
		}
	}
}

// BenchmarkRunPy2 is a whole py2 run, the model with the most events per
// virtual second (a check every 1.6µs while a waiter waits).
func BenchmarkRunPy2(b *testing.B) {
	w := cpuWorkers(4, 20*time.Millisecond)
	c := config(ModelPy2, false)
	var events uint64
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s, err := New(c, w)
		if err != nil {
			b.Fatal(err)
		}
		s.Run()
		events += s.Events()
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
