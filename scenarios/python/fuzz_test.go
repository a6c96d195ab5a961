package python

import (
	"errors"
	"testing"

	"github.com/gilsim/gilsim/scenarios/python/syntax"
	"github.com/gilsim/gilsim/sim"
)

// FuzzCompile feeds the front end any source: it never panics, every
// error is one of its kinds on one line, and a program it compiles is
// one the engine accepts and runs without breaking an invariant.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{readFile(f, "../../docs/examples/race.py"), "COUNT = 2000\n" + countdownSource,
		"import asyncio\nasync def w(n):\n    await asyncio.sleep(n / 1000)\n    return n\nasync def main():\n    print(await asyncio.gather(w(1), w(2)))\nasyncio.run(main())\n",
		"import multiprocessing\ndef w(q):\n    while True:\n        x = q.get()\n        if x is None:\n            break\n        print(x)\nif __name__ == '__main__':\n    q = multiprocessing.JoinableQueue()\n    p = multiprocessing.Process(target=w, args=(q,))\n    p.start()\n    for i in range(3):\n        q.put(i)\n    q.put(None)\n    p.join()\n",
		"from concurrent.futures import ThreadPoolExecutor\ndef f(x):\n    return x * 2\nwith ThreadPoolExecutor(2) as ex:\n    print(list(ex.map(f, range(3))), ex.submit(f, 4).result())\n",
		"import threading\nclass W(threading.Thread):\n    def __init__(self, n):\n        super().__init__()\n        self.n = n\n    def run(self):\n        print(self.n)\nw = W(3)\nw.start()\nw.join()\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Load("f.py", []byte(src))
		if err != nil {
			var se *syntax.Error
			var su *syntax.Unsupported
			if !errors.As(err, &se) && !errors.As(err, &su) {
				t.Fatalf("Load returned %T: %v", err, err)
			}
			return
		}
		savedIter, savedSteps := maxIterations, maxSteps
		maxIterations, maxSteps = 20_000, 200_000
		defer func() { maxIterations, maxSteps = savedIter, savedSteps }()
		ver, _ := LookupVersion(Versions()[len(src)%len(Versions())])
		w, err := p.Compile(Options{Version: ver})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Compile returned %T: %v", err, err)
			}
			return
		}
		cfg := sim.DefaultConfig()
		cfg.Model = ver.Model
		s, err := sim.New(cfg, w)
		if err != nil {
			t.Fatalf("the engine refused a compiled program: %v\n%s", err, src)
		}
		last := s.Now()
		for n := 0; n < 5000 && s.Step(); n++ {
			if err := s.CheckInvariants(last); err != nil {
				t.Fatalf("event %d: %v\n%s", s.Events(), err, src)
			}
			last = s.Now()
		}
	})
}
