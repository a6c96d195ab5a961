package python

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gilsim/gilsim/sim"
)

// randomProgram writes a program of plain Python: assignments,
// arithmetic, ifs, loops short and long, calls and prints.
func randomProgram(r *rand.Rand, long int) string {
	var b strings.Builder
	b.WriteString("def f(a, b=2):\n    c = a * b\n    return c + 1\n\n")
	vars := []string{"x", "y", "z"}
	for _, v := range vars {
		fmt.Fprintf(&b, "%s = %d\n", v, r.IntN(50))
	}
	var stmt func(indent string, depth int)
	stmt = func(indent string, depth int) {
		v := vars[r.IntN(len(vars))]
		w := vars[r.IntN(len(vars))]
		switch k := r.IntN(8); {
		case k < 2:
			fmt.Fprintf(&b, "%s%s = %s + %d * %s\n", indent, v, w, r.IntN(9), vars[r.IntN(3)])
		case k == 2:
			fmt.Fprintf(&b, "%s%s += %d\n", indent, v, r.IntN(5)+1)
		case k == 3:
			fmt.Fprintf(&b, "%s%s = f(%s) %% 1000\n", indent, v, w)
		case k == 4:
			fmt.Fprintf(&b, "%sprint(f\"%s={%s}\")\n", indent, v, v)
		case k == 5 && depth < 2:
			fmt.Fprintf(&b, "%sif %s > %d:\n", indent, v, r.IntN(60))
			stmt(indent+"    ", depth+1)
			fmt.Fprintf(&b, "%selse:\n", indent)
			stmt(indent+"    ", depth+1)
		case k == 6 && depth < 2:
			n := []int{0, 1, 3, 7, long / 20, long}[r.IntN(6)]
			fmt.Fprintf(&b, "%sfor i%d in range(%d):\n", indent, depth, n)
			if n < 1000 {
				stmt(indent+"    ", depth+1)
				break
			}
			// A long loop whose iterations all do the same: its
			// iterations are added up, not run one by one.
			fmt.Fprintf(&b, "%s    %s += %d\n", indent, v, r.IntN(5)+1)
		default:
			fmt.Fprintf(&b, "%s%s = %s %% 97\n", indent, v, w)
		}
	}
	for range 3 + r.IntN(12) {
		stmt("", 0)
	}
	b.WriteString("print(x, y, z)\n")
	return b.String()
}

// cost adds up the CPU of the Python ops a program runs, each loop's body
// counted as many times as it runs.
func cost(code sim.Code) time.Duration {
	var total time.Duration
	type frame struct {
		n     int64
		total time.Duration
	}
	stack := []frame{{n: 1}}
	for _, op := range code {
		switch op.Kind {
		case sim.OpPython:
			stack[len(stack)-1].total += op.Dur
		case sim.OpLoop:
			stack = append(stack, frame{n: op.N})
		case sim.OpEnd:
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			stack[len(stack)-1].total += time.Duration(top.n) * top.total
		}
	}
	total = stack[0].total
	return total
}

// TestProgramProperties runs random programs: compiled twice they make
// the same workload and the same run, and a program's CPU time is the sum
// of the costs of what it ran.
func TestProgramProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for i := range 150 {
		src := randomProgram(r, 120_000)
		ver := Versions()[r.IntN(len(Versions()))]
		a, err := compile(t, "p.py", src, ver)
		if err != nil {
			t.Fatalf("program %d under %s: %v\n%s", i, ver, err, src)
		}
		b, _ := compile(t, "p.py", src, ver)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("program %d under %s compiled twice to two workloads\n%s", i, ver, src)
		}
		v, _ := LookupVersion(ver)
		cfg := sim.DefaultConfig()
		cfg.Model, cfg.OpJitter, cfg.Trace = v.Model, 0, true
		// The free-threaded build's slowdown and the machine's speed are
		// the engine's, not costs of the program.
		cfg.FreeThreadTax, cfg.PythonScale = 0, 1
		var traces [2][]sim.TraceEvent
		var cpu sim.Time
		for k := range traces {
			s, err := sim.New(cfg, a)
			if err != nil {
				t.Fatalf("program %d: %v\n%s", i, err, src)
			}
			s.Run()
			traces[k] = s.Trace()
			cpu = s.Metrics().CPU
		}
		if !reflect.DeepEqual(traces[0], traces[1]) {
			t.Fatalf("program %d under %s ran two ways\n%s", i, ver, src)
		}
		if want := cost(a.Threads[0].Code); time.Duration(cpu) != want {
			t.Errorf("program %d under %s: %s of CPU, but its ops cost %s\n%s", i, ver, time.Duration(cpu), want, src)
		}
	}
}

// TestAddingUpIsRunning compiles random programs twice: adding up the
// iterations of long uniform loops, and running every iteration. Both
// print the same and take the same CPU.
func TestAddingUpIsRunning(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for i := range 40 {
		src := randomProgram(r, 4000)
		ver := Versions()[r.IntN(len(Versions()))]
		var console [2]string
		var cpu [2]sim.Time
		for k, ff := range []int64{fastForward, 0} {
			saved, savedMax := fastForward, maxIterations
			fastForward, maxIterations = ff, 1<<30
			s := simulate(t, "p.py", src, ver)
			fastForward, maxIterations = saved, savedMax
			for _, l := range s.Snapshot().Console {
				console[k] += l.Text + "\n"
			}
			cpu[k] = s.Metrics().CPU
		}
		if console[0] != console[1] || cpu[0] != cpu[1] {
			t.Errorf("program %d under %s: added up it printed\n%sin %s; run in full\n%sin %s\n%s", i, ver,
				console[0], cpu[0], console[1], cpu[1], src)
		}
	}
}
