package python

import (
	"reflect"
	"testing"
)

// TestShortUniformLoopsAddUpPastHalfTheBudget: a thousand threads that
// each add 1 to a shared counter 500 times make half a million loop
// iterations, more than maxIterations allows one by one, and each loop
// is too short for fastForward. Once half the budget is spent, the rest
// of each such loop is added up, and the program compiles to the very
// workload a compile without a budget makes.
func TestShortUniformLoopsAddUpPastHalfTheBudget(t *testing.T) {
	const src = `import threading

counter = 0

def work():
    global counter
    for _ in range(500):
        counter += 1

threads = [threading.Thread(target=work) for _ in range(1000)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
`
	added, err := compile(t, "many.py", src, "3.12")
	if err != nil {
		t.Fatalf("with the budget: %v", err)
	}
	saved := maxIterations
	maxIterations = 1 << 30
	run, err := compile(t, "many.py", src, "3.12")
	maxIterations = saved
	if err != nil {
		t.Fatalf("without a budget: %v", err)
	}
	if !reflect.DeepEqual(added, run) {
		t.Errorf("adding up the loops past half the budget made another workload than running them")
	}
	if n := len(added.Threads); n != 1001 {
		t.Errorf("%d threads, want 1001", n)
	}
}
