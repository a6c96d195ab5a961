package export_test

import (
	"io"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/gilsim/gilsim/sim"
	"github.com/gilsim/gilsim/sim/export"
)

// longRun is about a million events: four CPU-bound threads under the old
// GIL, which releases and retakes it every hundred ticks.
var longRun = run{id: "cpu-bound", model: sim.ModelPy2, sets: []string{"count=6000000"}}

// countingWriter counts what it is given and throws it away.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// heapSampler records the largest heap seen while it runs. It reads
// runtime/metrics, which does not stop the world, every millisecond.
type heapSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

func sampleHeap() *heapSampler {
	h := &heapSampler{stop: make(chan struct{})}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			h.peak = max(h.peak, s[0].Value.Uint64())
			select {
			case <-h.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) end() uint64 {
	close(h.stop)
	h.done.Wait()
	return h.peak
}

// BenchmarkExport exports a run of about a million events in each format
// and reports, besides time and allocation per export, the time and the
// output bytes per simulated event, and the peak heap while exporting.
// go test -bench . -benchmem ./sim/export/
func BenchmarkExport(b *testing.B) {
	for _, f := range []struct {
		name string
		fn   func(io.Writer, export.Source, export.Options) error
	}{
		{"perfetto", export.Perfetto},
		{"svg", export.SVG},
		{"text", export.Text},
	} {
		b.Run(f.name, func(b *testing.B) {
			base := source(b, longRun)
			var last *sim.Sim
			src := func() (*sim.Sim, error) {
				s, err := base()
				last = s
				return s, err
			}
			var out countingWriter
			heap := sampleHeap()
			b.ResetTimer()
			for range b.N {
				out.n = 0
				if err := f.fn(&out, src, export.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			peak := heap.end()
			events := float64(last.Events())
			b.ReportMetric(events, "events")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/events, "ns/event")
			b.ReportMetric(float64(out.n)/events, "out-B/event")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}
