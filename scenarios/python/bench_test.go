package python

import (
	"testing"

	"github.com/gilsim/gilsim/sim"
)

// BenchmarkTwoCountdowns measures parsing, compiling and simulating the
// 20-million countdown in two threads (docs/examples/countdown.py) to its
// end, under each version.
func BenchmarkTwoCountdowns(b *testing.B) {
	src := []byte(readFile(b, "../../docs/examples/countdown.py"))
	for _, ver := range Versions() {
		b.Run(ver, func(b *testing.B) {
			v, _ := LookupVersion(ver)
			cfg := sim.DefaultConfig()
			cfg.Model = v.Model
			var elapsed sim.Time
			for b.Loop() {
				p, err := Load("countdown.py", src)
				if err != nil {
					b.Fatal(err)
				}
				w, err := p.Compile(Options{Version: v})
				if err != nil {
					b.Fatal(err)
				}
				s, err := sim.New(cfg, w)
				if err != nil {
					b.Fatal(err)
				}
				s.Run()
				elapsed = s.Now()
			}
			b.ReportMetric(elapsed.Seconds(), "virtual-s")
		})
	}
}
