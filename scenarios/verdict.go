package scenarios

import (
	"fmt"
	"strings"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// figureSet is a run's figures, looked up by key: the verdict reads the
// same numbers the JSON report and the figure table show.
type figureSet []Figure

func (fs figureSet) get(key string) (Figure, bool) {
	for _, f := range fs {
		if f.Key == key {
			return f, true
		}
	}
	return Figure{}, false
}

// value is the text of the figure called key, or "?".
func (fs figureSet) value(key string) string {
	if f, ok := fs.get(key); ok {
		return f.Value
	}
	return "?"
}

// number is the figure called key as a number, or 0.
func (fs figureSet) number(key string) float64 {
	f, _ := fs.get(key)
	return f.Number
}

// Verdict says in one sentence, for people, what a run of v showed: its
// scenario's own result ("532,996 of 800,000 increments lost"), or that it
// failed, deadlocked or was stopped. It reads metrics taken at the end of
// the run, and the same figures Figures reports; for a run that has not
// ended it is "".
func (v Values) Verdict(m sim.Metrics) string {
	switch m.Outcome {
	case sim.OutcomeRunning:
		return ""
	case sim.OutcomeDeadlock:
		return fmt.Sprintf("Deadlock at %s: %s wait forever", m.Elapsed, plural(int64(len(m.Blocked)), "thread"))
	case sim.OutcomeLimit:
		return fmt.Sprintf("Stopped by a limit at %s, before the program finished", m.Elapsed)
	}
	if f := failure(m); f != "" {
		return f
	}
	if v.sc.verdict == nil {
		return fmt.Sprintf("Completed in %s", m.Elapsed)
	}
	return v.sc.verdict(v, m, figureSet(v.Figures(m)))
}

// failure says which processes died of an exception, or "".
func failure(m sim.Metrics) string {
	var names, kinds []string
	var first string
	for _, p := range m.Procs {
		if p.Exception == "" {
			continue
		}
		if first == "" {
			first = p.Exception
		}
		kind, _, _ := strings.Cut(p.Exception, ":")
		names = append(names, p.Name)
		kinds = append(kinds, kind)
	}
	switch {
	case len(names) == 0:
		return ""
	case len(names) == 1:
		return fmt.Sprintf("Failed: %s died of %s", names[0], first)
	}
	for _, k := range kinds[1:] {
		if k != kinds[0] {
			each := make([]string, len(names))
			for i := range names {
				each[i] = names[i] + " of " + kinds[i]
			}
			return "Failed: " + andList(each)
		}
	}
	return fmt.Sprintf("Failed: %d processes died of %s (%s)", len(names), kinds[0], andList(names))
}

func cpuBoundVerdict(v Values, m sim.Metrics, fs figureSet) string {
	who := plural(int64(v.Int("threads")), "thread")
	if v.UsesProcesses() {
		who = pluralOf(int64(v.Int("threads")), "process", "processes")
	}
	return fmt.Sprintf("%s, each counting down from %s, took %s: parallelism %s", who, commas(int64(v.Int("count"))), m.Elapsed,
		fs.value("parallelism"))
}

func ioBoundVerdict(v Values, m sim.Metrics, fs figureSet) string {
	n := int64(v.Int("threads")) * int64(v.Int("ops"))
	io := v.Duration("io")
	return fmt.Sprintf("I/O overlap %s: %s of %s took %s, not %s", fs.value("io_overlap"), plural(n, "request"), span(io),
		m.Elapsed, span(time.Duration(n)*io))
}

func convoyVerdict(v Values, m sim.Metrics, fs figureSet) string {
	if m.Requests.Count == 0 {
		return "No request completed"
	}
	return fmt.Sprintf("%s at %s/s, p50 latency %s", plural(int64(m.Requests.Count), "request"),
		fs.value("requests_per_second"), fs.value("p50_latency"))
}

func lockVerdict(v Values, m sim.Metrics, fs figureSet) string {
	var acq uint64
	for _, l := range m.Locks {
		acq += l.Acquires
	}
	return fmt.Sprintf("%s of acquires found the lock taken (%s of %s)", fs.value("contended_share"),
		fs.value("contended_acquires"), commas(int64(acq)))
}

func threadLockVerdict(v Values, m sim.Metrics, fs figureSet) string {
	return fmt.Sprintf("%s: %s holding it %s each took %s", lockVerdict(v, m, fs),
		plural(int64(v.Int("workers")), "worker"), span(v.Duration("hold")), m.Elapsed)
}

func counterRaceVerdict(v Values, m sim.Metrics, fs figureSet) string {
	expected := int64(fs.number("expected_counter"))
	lost := int64(fs.number("lost_updates"))
	if lost == 0 {
		return fmt.Sprintf("All %s increments counted", commas(expected))
	}
	return fmt.Sprintf("%s of %s increments lost: counter ends at %s", commas(lost), commas(expected),
		commas(int64(fs.number("final_counter"))))
}

func threadStartVerdict(v Values, m sim.Metrics, _ figureSet) string {
	name := "the thread"
	if len(m.Threads) > 1 {
		name = m.Threads[1].Name
	}
	if v.Bool("join") {
		return fmt.Sprintf("%s started, printed and was joined; the program took %s", name, m.Elapsed)
	}
	return fmt.Sprintf("%s started and printed, and interpreter shutdown waited for it; the program took %s", name, m.Elapsed)
}

func processStartVerdict(v Values, m sim.Metrics, _ figureSet) string {
	if len(m.Procs) < 2 || !m.Procs[1].Started {
		return fmt.Sprintf("No process started; the program took %s", m.Elapsed)
	}
	p := m.Procs[1]
	return fmt.Sprintf("%s booted in %s (%s) and printed; the program took %s", p.Name, p.Ready-p.Start, p.StartMethod,
		m.Elapsed)
}

func processQueueVerdict(v Values, m sim.Metrics, fs figureSet) string {
	if len(m.Queues) == 0 {
		return fmt.Sprintf("Completed in %s", m.Elapsed)
	}
	q := m.Queues[0]
	return fmt.Sprintf("%s went through %s, at most %s waiting at once; the program took %s",
		plural(int64(q.Gets), "item"), q.Name, commas(int64(q.HighWater)), m.Elapsed)
}

func asyncioBasicVerdict(v Values, m sim.Metrics, _ figureSet) string {
	iters := uint64(0)
	for _, l := range m.Loops {
		iters += l.Iterations
	}
	return fmt.Sprintf("The coroutine ran as a task on the event loop (%s); the program took %s",
		plural(int64(iters), "loop iteration"), m.Elapsed)
}

func asyncioClientsVerdict(v Values, m sim.Metrics, fs figureSet) string {
	var late sim.Time
	for _, l := range m.Loops {
		late = max(late, l.MaxLate)
	}
	slow := "no slow callback"
	if n := int64(fs.number("slow_callbacks")); n > 0 {
		slow = plural(n, "slow callback")
	}
	beats := fmt.Sprintf("heartbeats up to %s late", late)
	switch {
	case late == 0:
		beats = "heartbeats on time"
	case late <= lateAfter:
		beats = fmt.Sprintf("heartbeats on time (at most %s late)", late)
	}
	return fmt.Sprintf("%s; %s; I/O overlap %s", capitalise(slow), beats, fs.value("io_overlap"))
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
