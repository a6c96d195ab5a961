package calibrate

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gilsim/gilsim/scenarios"
	"github.com/gilsim/gilsim/scenarios/python"
	"github.com/gilsim/gilsim/sim"
)

// The simulated side of calibration: each probe's figure as gilsim's model
// gives it, from the same kind of program run through the Python front end
// under a candidate configuration. Where a probe times a stretch of a
// program (the threads' countdowns, without the import before them), the
// stretch is read off the trace, or taken as the difference of two runs.

// SimVersion is the cost table a measured interpreter is simulated with:
// its own major.minor when gilsim has one, else the nearest it has.
func SimVersion(major, minor int, freeThreaded bool) string {
	if freeThreaded {
		return "3.13t"
	}
	if major == 2 {
		return "2.7"
	}
	best, bestD := python.DefaultVersion, math.MaxInt
	for _, name := range python.Versions() {
		var ma, mi int
		if _, err := fmt.Sscanf(name, "%d.%d", &ma, &mi); err != nil || strings.HasSuffix(name, "t") || ma != 3 {
			continue
		}
		if d := abs(mi - minor); d < bestD || d == bestD && mi > minor {
			best, bestD = name, d
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// modelOf is the GIL a version runs under.
func modelOf(version string) sim.Model {
	switch {
	case version == "2.7":
		return sim.ModelPy2
	case strings.HasSuffix(version, "t"):
		return sim.ModelFreeThreaded
	}
	return sim.ModelPy3
}

// runProgram simulates src as version under cfg to the end, which it must
// reach.
func runProgram(cfg sim.Config, version, src string, trace bool, set ...string) (*sim.Sim, error) {
	sc, err := scenarios.FromProgram("probe.py", []byte(src))
	if err != nil {
		return nil, err
	}
	s, err := runAs(cfg, sc, version, trace, set...)
	if err == nil && s.Outcome() != sim.OutcomeCompleted {
		err = fmt.Errorf("the simulated probe ended %s at %s", s.Outcome(), s.Now())
	}
	return s, err
}

// runScenario simulates the built-in scenario id as version under cfg.
func runScenario(cfg sim.Config, version, id string, trace bool, set ...string) (*sim.Sim, error) {
	sc, err := scenarios.Lookup(id)
	if err != nil {
		return nil, err
	}
	return runAs(cfg, sc, version, trace, set...)
}

// runAs simulates sc with settings set, as CPython version (its python
// parameter), under cfg with the GIL of that version.
func runAs(cfg sim.Config, sc *scenarios.Scenario, version string, trace bool, set ...string) (*sim.Sim, error) {
	v, err := sc.Parse(append([]string{scenarios.ProgramParam + "=" + version}, set...))
	if err != nil {
		return nil, err
	}
	cfg.Model = modelOf(version)
	cfg.Trace = trace
	s, err := v.New(cfg)
	if err != nil {
		return nil, err
	}
	s.Run()
	return s, nil
}

const countdownDef = `def countdown(n):
    while n > 0:
        n -= 1
`

// countdownNs is the simulated ns per iteration of the countdown loop.
func countdownNs(cfg sim.Config, version string) (float64, error) {
	const n = 1_000_000
	s, err := runProgram(cfg, version, countdownDef+fmt.Sprintf("\ncountdown(%d)\n", n), false)
	if err != nil {
		return 0, err
	}
	return float64(s.Now()) / n, nil
}

// twoThreadsRatio is the simulated elapsed of two threads counting down
// 1,000,000 each at once over one thread counting 2,000,000 alone, on
// cores cores; the threads' stretch runs from the first start to the end.
func twoThreadsRatio(cfg sim.Config, version string, cores int) (float64, error) {
	cfg.Cores = cores
	seq, err := runProgram(cfg, version, countdownDef+"\ncountdown(2000000)\n", false)
	if err != nil {
		return 0, err
	}
	src := "import threading\n\n" + countdownDef + `
threads = [threading.Thread(target=countdown, args=(1000000,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
`
	s, err := runProgram(cfg, version, src, true)
	if err != nil {
		return 0, err
	}
	begin := sim.Time(-1)
	for _, e := range s.Trace() {
		if e.Kind == sim.TraceRelease && e.Reason == sim.ReasonStart {
			begin = e.At
			break
		}
	}
	if begin < 0 {
		return 0, fmt.Errorf("the simulated threads never started")
	}
	return float64(s.Now()-begin) / float64(seq.Now()), nil
}

// threadStartUs is the simulated duration of Thread.start in the caller:
// from the main thread's release of the GIL to start the thread to the
// moment it has the GIL back, the median of 20 starts.
func threadStartUs(cfg sim.Config, version string) (float64, error) {
	src := `import threading

def f():
    pass

for _ in range(20):
    t = threading.Thread(target=f)
    t.start()
    t.join()
`
	s, err := runProgram(cfg, version, src, true)
	if err != nil {
		return 0, err
	}
	var d []float64
	from := sim.Time(-1)
	for _, e := range s.Trace() {
		switch {
		case e.Kind == sim.TraceRelease && e.Thread == 0 && e.Reason == sim.ReasonStart:
			from = e.At
		case e.Kind == sim.TraceAcquire && e.Thread == 0 && from >= 0:
			d = append(d, float64(e.At-from)/1e3)
			from = -1
		}
	}
	if len(d) == 0 {
		return 0, fmt.Errorf("no simulated thread start")
	}
	return median(d), nil
}

// procStartMs is the simulated Process.start with method: the parent's
// cost (the start call) and the child's, from start() returning to the
// child running its target, in ms.
func procStartMs(cfg sim.Config, version string, method sim.StartMethod) (parent, child float64, err error) {
	set := fmt.Sprintf("    mp.set_start_method(%q)\n", method)
	if version == "2.7" {
		set = "" // 2.7 only forks
	}
	src := `import multiprocessing as mp

def f():
    pass

if __name__ == "__main__":
` + set + `    p = mp.Process(target=f)
    p.start()
    p.join()
`
	s, err := runProgram(cfg, version, src, false)
	if err != nil {
		return 0, 0, err
	}
	m := s.Metrics()
	if len(m.Procs) < 2 {
		return 0, 0, fmt.Errorf("the simulated child process did not start")
	}
	c := m.Procs[1]
	return float64(cfg.ProcStartParent[method]) / 1e6, float64(c.Ready-c.Start) / 1e6, nil
}

// probedStartMethods are the start methods the probes measure.
var probedStartMethods = []sim.StartMethod{sim.StartFork, sim.StartSpawn}

// pingPongUs is the simulated round trip between two threads through two
// Events, per round, from a run of 200 rounds less one of none.
func pingPongUs(cfg sim.Config, version string) (float64, error) {
	const n = 200
	src := func(rounds int) string {
		return fmt.Sprintf(`import threading

ROUNDS = %d
e1 = threading.Event()
e2 = threading.Event()

def other():
    for _ in range(ROUNDS):
        e1.wait()
        e1.clear()
        e2.set()

t = threading.Thread(target=other)
t.start()
for _ in range(ROUNDS):
    e1.set()
    e2.wait()
    e2.clear()
t.join()
`, rounds)
	}
	a, err := runProgram(cfg, version, src(n), false)
	if err != nil {
		return 0, err
	}
	b, err := runProgram(cfg, version, src(0), false)
	if err != nil {
		return 0, err
	}
	return float64(a.Now()-b.Now()) / n / 1e3, nil
}

// slices is the simulated switching of two CPU-bound threads at switch
// interval iv (py3; py2 at its check interval): handoffs between them a
// second, and the median slice one holds the GIL, in ms.
func switchSlices(cfg sim.Config, version string, iv time.Duration) (perSec, sliceMs float64, err error) {
	if iv > 0 {
		cfg.SwitchInterval = iv
	}
	span := max(30*iv, 60*time.Millisecond)
	ns, err := countdownNs(cfg, version)
	if err != nil {
		return 0, 0, err
	}
	count := int(float64(span) / ns)
	src := "import threading\n\n" + countdownDef + fmt.Sprintf(`
threads = [threading.Thread(target=countdown, args=(%d,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
`, count)
	s, err := runProgram(cfg, version, src, true)
	if err != nil {
		return 0, 0, err
	}
	var at []sim.Time
	for _, e := range s.Trace() {
		if e.Kind == sim.TraceAcquire && e.Thread > 0 && e.Peer > 0 && e.Thread != e.Peer {
			at = append(at, e.At)
		}
	}
	if len(at) < 3 {
		// Hardly a switch: a slice lasts the whole run, or longer.
		d := float64(s.Now()) / 1e9
		return float64(len(at)) / d, d * 1e3, nil
	}
	var gaps []float64
	for i := 1; i < len(at); i++ {
		gaps = append(gaps, float64(at[i]-at[i-1])/1e6)
	}
	return float64(len(at)-1) / (float64(at[len(at)-1]-at[0]) / 1e9), median(gaps), nil
}

// echo is the simulated echo round trip of the echo-client scenario, with
// cpu CPU-bound threads beside the client and the echo answering delay
// after each send: p50 and p99 in µs, and round trips a second.
func echo(cfg sim.Config, version string, cpu int, delay time.Duration, requests int) (p50, p99, rps float64, err error) {
	s, err := runScenario(cfg, version, "echo-client", false,
		fmt.Sprint("cpu_threads=", cpu), fmt.Sprint("requests=", requests), "delay="+delay.String())
	if err != nil {
		return 0, 0, 0, err
	}
	r := s.Metrics().Requests
	if r.Count == 0 {
		return 0, 0, 0, fmt.Errorf("the simulated client made no round trip")
	}
	return float64(r.P50) / 1e3, float64(r.P99) / 1e3, 1e9 / float64(r.Mean), nil
}

// queueUs is the simulated multiprocessing.Queue put and get of a small
// int in one process, per item, from the traced puts and gets of 200.
func queueUs(cfg sim.Config, version string) (put, get float64, err error) {
	const n = 200
	src := fmt.Sprintf(`import multiprocessing as mp

if __name__ == "__main__":
    q = mp.Queue()
    for i in range(%d):
        q.put(i)
    for i in range(%d):
        q.get()
`, n, n)
	s, err := runProgram(cfg, version, src, true)
	if err != nil {
		return 0, 0, err
	}
	var puts, gets []sim.Time
	for _, e := range s.Trace() {
		switch e.Kind {
		case sim.TracePut:
			puts = append(puts, e.At)
		case sim.TraceGet:
			gets = append(gets, e.At)
		}
	}
	if len(puts) != n || len(gets) != n {
		return 0, 0, fmt.Errorf("the simulated queue saw %d puts and %d gets, not %d", len(puts), len(gets), n)
	}
	return float64(puts[n-1]-puts[0]) / (n - 1) / 1e3, float64(gets[n-1]-gets[0]) / (n - 1) / 1e3, nil
}

// lostUpdates is the simulated counter-race: 4 threads each doing
// counter += 1 200,000 times; the updates lost.
func lostUpdates(cfg sim.Config, version string) (float64, error) {
	s, err := runScenario(cfg, version, "counter-race", false, "threads=4", "increments=200000")
	if err != nil {
		return 0, err
	}
	var lost int64
	for _, v := range s.Metrics().Vars {
		lost += v.LostUpdates
	}
	return float64(lost), nil
}
