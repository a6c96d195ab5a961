package calibrate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"time"
)

// DefaultReps is how many times Measure is meant to run each probe.
const DefaultReps = 5

// Figure is one figure measured on one interpreter.
type Figure struct {
	Key string `json:"key"`
	// Median is the median of Samples, the mean of the middle two when
	// there is an even number of them.
	Median float64 `json:"median"`
	// Samples holds one value a run that reported the figure, in the
	// order of the runs.
	Samples []float64 `json:"samples"`
	Unit    Unit      `json:"unit"`
}

// Measurement is what Measure found of one interpreter.
type Measurement struct {
	Python Interpreter `json:"python"`
	// Figures holds the figures the interpreter could give, in the order
	// of the package's Figures; one it could not is missing.
	Figures []Figure `json:"figures"`
	// Took is how long measuring took, the probes' startup included.
	Took time.Duration `json:"took_ns"`
}

// Get returns the median of the figure key and whether it was measured.
func (m Measurement) Get(key string) (float64, bool) {
	for _, f := range m.Figures {
		if f.Key == key {
			return f.Median, true
		}
	}
	return 0, false
}

// runner runs probes: each run is stopped at timeout, and a run whose
// children keep its output open past waitDelay after it exits is ended.
type runner struct {
	timeout, waitDelay time.Duration
}

// defaultRunner has room for a probe that takes ten times its usual
// second or two on a slow machine.
var defaultRunner = runner{timeout: 30 * time.Second, waitDelay: 2 * time.Second}

// Measure runs every probe reps times on py, each run a process of its
// own, from a temporary directory the embedded scripts are written to and
// that is removed afterwards, and returns the median of each figure.
// Repetitions are interleaved (every probe once, then every probe again)
// so that a passing disturbance spoils one sample of several figures, not
// every sample of one. progress, if not nil, hears of each run before it
// starts.
//
// A probe that fails, prints no figures, reports a figure it should not,
// or takes longer than 30 s ends the measurement with an error naming the
// probe, the interpreter and, for a failure, what its stderr says: the
// last line of a traceback, else its first line.
// When ctx ends the running probe is killed with every process it started,
// and the error wraps the context's.
func Measure(ctx context.Context, py Interpreter, reps int, progress func(string)) (Measurement, error) {
	return defaultRunner.measure(ctx, py, reps, progress)
}

func (r runner) measure(ctx context.Context, py Interpreter, reps int, progress func(string)) (Measurement, error) {
	start := time.Now()
	m := Measurement{Python: py}
	if reps < 1 {
		return m, fmt.Errorf("calibrate: %d repetitions; at least 1 is needed", reps)
	}
	dir, err := os.MkdirTemp("", "gilsim-calibrate-")
	if err != nil {
		return m, fmt.Errorf("calibrate: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := writeProbes(dir); err != nil {
		return m, err
	}
	taskset, _ := exec.LookPath("taskset")
	status, _ := os.ReadFile("/proc/self/status")
	cpu := firstCPU(string(status))

	samples := map[string][]float64{}
	for rep := 1; rep <= reps; rep++ {
		for _, p := range probes {
			if progress != nil {
				progress(fmt.Sprintf("%s, run %d of %d", p.name, rep, reps))
			}
			name, args := p.command(py, dir, taskset, cpu)
			figures, err := r.run(ctx, py, p, dir, name, args)
			if err != nil {
				return m, err
			}
			for key, v := range figures {
				samples[key] = append(samples[key], v)
			}
		}
	}
	for _, info := range Figures {
		if s := samples[info.Key]; len(s) > 0 {
			m.Figures = append(m.Figures, Figure{Key: info.Key, Median: median(s), Samples: s, Unit: info.Unit})
		}
	}
	m.Took = time.Since(start)
	return m, nil
}

// run runs probe p once, as name with args, and returns its figures.
func (r runner) run(ctx context.Context, py Interpreter, p probe, dir, name string, args []string) (map[string]float64, error) {
	runCtx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, name, args...)
	cmd.Dir = dir
	// The helper module would otherwise be compiled by the first run and
	// loaded from its cache by the others.
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	killGroupOnCancel(cmd)
	cmd.WaitDelay = r.waitDelay
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("calibrate: probe %s on %s: %w", p.name, py, ctx.Err())
	case runCtx.Err() != nil:
		return nil, fmt.Errorf("calibrate: probe %s on %s timed out after %v", p.name, py, r.timeout)
	case errors.Is(err, exec.ErrWaitDelay):
		killGroup(cmd)
		return nil, fmt.Errorf("calibrate: probe %s on %s left a child process running", p.name, py)
	case err != nil:
		return nil, fmt.Errorf("calibrate: probe %s on %s failed: %w%s", p.name, py, err, detail(stderr.Bytes()))
	}
	line := lastLine(stdout.Bytes())
	var figures map[string]float64
	if err := json.Unmarshal([]byte(line), &figures); err != nil || figures == nil {
		return nil, fmt.Errorf("calibrate: probe %s on %s printed no figures: last line %q", p.name, py, line)
	}
	for key := range figures {
		if !p.reports(key) {
			return nil, fmt.Errorf("calibrate: probe %s on %s reported %q, not one of its figures", p.name, py, key)
		}
	}
	return figures, nil
}

// median returns the median of xs, which must not be empty.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
