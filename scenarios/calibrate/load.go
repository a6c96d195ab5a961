package calibrate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// The thresholds of Verdict. A probe measures waits of tens of
// microseconds and contention between two threads on two CPUs; one other
// busy process on a two-CPU machine (0.5 a CPU) already bends both, so
// the refusal comes at what amounts to most of the machine busy, and the
// warning at about one CPU in three. Steal is time the hypervisor gave
// another guest while this one wanted to run: it lands as random stalls
// in whatever is being timed.
const (
	// RefuseLoadPerCPU is the 1-minute load average a CPU from which
	// Verdict refuses to calibrate.
	RefuseLoadPerCPU = 0.8
	// WarnLoadPerCPU is the load a CPU from which Verdict warns.
	WarnLoadPerCPU = 0.4
	// RefuseStealPct is the steal, in percent of CPU time, from which
	// Verdict refuses to calibrate.
	RefuseStealPct = 10.0
	// WarnStealPct is the steal from which Verdict warns.
	WarnStealPct = 3.0
)

// stealWindow is how long CheckLoad watches /proc/stat for steal.
const stealWindow = time.Second

// Load is how busy the machine is, read before calibrating.
type Load struct {
	// Load1 is the 1-minute load average of /proc/loadavg, valid when
	// LoadKnown.
	Load1     float64
	LoadKnown bool
	// CPUs is the number of CPUs the load is shared by: the cpuN lines of
	// /proc/stat, which count what the load average counts, else
	// runtime.NumCPU.
	CPUs int
	// StealPct is the share of CPU time, in percent, the hypervisor took
	// for other guests over the window CheckLoad watched, valid when
	// StealKnown.
	StealPct   float64
	StealKnown bool
}

// PerCPU returns the 1-minute load average a CPU.
func (l Load) PerCPU() float64 {
	return l.Load1 / float64(max(l.CPUs, 1))
}

// CheckLoad reads the load average and watches steal for about a second.
// Where there is no /proc (macOS) the readings are left unknown, not an
// error; a /proc file that cannot be read or parsed is one. It returns
// early with the context's error when ctx ends.
func CheckLoad(ctx context.Context) (Load, error) {
	return checkLoad(ctx, "/proc", stealWindow)
}

// checkLoad is CheckLoad reading the files of proc and watching steal
// for window.
func checkLoad(ctx context.Context, proc string, window time.Duration) (Load, error) {
	l := Load{CPUs: runtime.NumCPU()}
	if b, ok, err := readProc(proc, "loadavg"); err != nil {
		return l, err
	} else if ok {
		if l.Load1, err = parseLoadavg(string(b)); err != nil {
			return l, err
		}
		l.LoadKnown = true
	}
	b, ok, err := readProc(proc, "stat")
	if err != nil || !ok {
		return l, err
	}
	before, err := parseStat(string(b))
	if err != nil {
		return l, err
	}
	if before.cpus > 0 {
		l.CPUs = before.cpus
	}
	t := time.NewTimer(window)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return l, ctx.Err()
	case <-t.C:
	}
	if b, _, err = readProc(proc, "stat"); err != nil {
		return l, err
	}
	after, err := parseStat(string(b))
	if err != nil {
		return l, err
	}
	l.StealPct, l.StealKnown = stealPct(before, after)
	return l, nil
}

// readProc reads proc/name; ok is false when there is no such file.
func readProc(proc, name string) (b []byte, ok bool, err error) {
	b, err = os.ReadFile(filepath.Join(proc, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("calibrate: reading the load: %w", err)
	}
	return b, true, nil
}

// parseLoadavg returns the 1-minute load average of /proc/loadavg's text,
// "0.16 1.01 1.41 1/89 22217".
func parseLoadavg(text string) (float64, error) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return 0, errors.New("calibrate: /proc/loadavg is empty")
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("calibrate: /proc/loadavg: bad 1-minute load %q", fields[0])
	}
	return v, nil
}

// cpuTimes is what parseStat reads of /proc/stat: the jiffies of the
// aggregate cpu line and how many cpuN lines follow it.
type cpuTimes struct {
	total, steal uint64
	hasSteal     bool // kernels before 2.6.11 have no steal column
	cpus         int
}

// parseStat reads /proc/stat's text. Total time is the sum of user, nice,
// system, idle, iowait, irq, softirq and steal; guest time is already
// counted in user and nice, so the columns after steal are left out.
func parseStat(text string) (cpuTimes, error) {
	var t cpuTimes
	found := false
	for line := range strings.Lines(text) {
		fields := strings.Fields(line)
		if len(fields) == 0 || !strings.HasPrefix(fields[0], "cpu") {
			continue
		}
		if fields[0] != "cpu" {
			if _, err := strconv.Atoi(fields[0][3:]); err == nil {
				t.cpus++
			}
			continue
		}
		found = true
		cols := fields[1:min(len(fields), 9)]
		for i, f := range cols {
			v, err := strconv.ParseUint(f, 10, 64)
			if err != nil {
				return t, fmt.Errorf("calibrate: /proc/stat: bad cpu column %q", f)
			}
			t.total += v
			if i == 7 {
				t.steal, t.hasSteal = v, true
			}
		}
	}
	if !found {
		return t, errors.New("calibrate: /proc/stat has no cpu line")
	}
	return t, nil
}

// stealPct returns the share of the time between two readings that was
// stolen, in percent, and false when it cannot tell.
func stealPct(before, after cpuTimes) (float64, bool) {
	if !before.hasSteal || !after.hasSteal || after.total <= before.total || after.steal < before.steal {
		return 0, false
	}
	return 100 * float64(after.steal-before.steal) / float64(after.total-before.total), true
}

// Verdict says whether the machine is quiet enough to calibrate on. It
// refuses at RefuseLoadPerCPU or RefuseStealPct, warns from WarnLoadPerCPU
// or WarnStealPct, and warns that it cannot tell when neither reading is
// known. The message is one sentence naming the reading and the threshold
// it reached, lowercase and without a final period, like an error; it is
// the reason for refusing when refuse is true, and "" when all is well.
func (l Load) Verdict() (refuse bool, warn string) {
	if !l.LoadKnown && !l.StealKnown {
		return false, "the load of this machine is unknown (there is no /proc), so calibration cannot check that it is quiet"
	}
	loadMsg := func(limit float64, what string) string {
		return fmt.Sprintf("the 1-minute load average is %.2f on %d CPUs (%.2f a CPU), at or above the %.2f a CPU %s",
			l.Load1, l.CPUs, l.PerCPU(), limit, what)
	}
	stealMsg := func(limit float64, what string) string {
		return fmt.Sprintf("the hypervisor took %.1f%% of CPU time for other guests (steal) over the last second, at or above the %.0f%% %s",
			l.StealPct, limit, what)
	}
	const refusing, warning = "at which calibration refuses to measure", "from which measurements get noisy"
	switch {
	case l.LoadKnown && l.PerCPU() >= RefuseLoadPerCPU:
		return true, loadMsg(RefuseLoadPerCPU, refusing)
	case l.StealKnown && l.StealPct >= RefuseStealPct:
		return true, stealMsg(RefuseStealPct, refusing)
	case l.LoadKnown && l.PerCPU() >= WarnLoadPerCPU:
		return false, loadMsg(WarnLoadPerCPU, warning)
	case l.StealKnown && l.StealPct >= WarnStealPct:
		return false, stealMsg(WarnStealPct, warning)
	}
	return false, ""
}
