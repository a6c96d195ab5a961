// Package calibrate measures how the user's own CPython behaves, so that
// gilsim's knobs can be fitted to a real machine: what a bytecode costs,
// how long a thread keeps the GIL, what waking a thread or starting a
// process costs, what an echo round trip costs beside a CPU-bound thread,
// how many updates a race loses. It is the measuring half of
// "gilsim calibrate"; fitting the knobs to the figures is not its job.
//
// # Vocabulary
//
// A probe is a small Python script (probes/*.py, embedded) that measures a
// few related figures and prints them as one JSON object on its last line
// of output, figure key to number. A figure is one such number, with a
// unit (Figures lists them all). A run is one process running one probe;
// Measure makes reps runs of every probe and keeps, per figure, every
// run's value (the samples) and their median. A figure the interpreter
// cannot give (spawn on 2.7, switch intervals on 2.7, slices without a
// GIL) is left out by the probe and so missing from the Measurement; the
// fitter must expect holes.
//
// # How
//
// Discover finds the interpreters: the paths the user names, or every
// python2.7, python3.N, python3.Nt, python3 and python on PATH, asked for
// their version with version.py (run with -c), deduplicated by where
// sys.executable leads and sorted by version. Shims and stubs that fail
// to run are common (pyenv puts one on PATH for every version it knows,
// selected or not) and are skipped without a word.
//
// CheckLoad reads /proc/loadavg and watches /proc/stat for a second for
// steal; Load.Verdict turns that into refuse, warn or go ahead. Every
// figure here is a wait or a ratio of two timings that contend for the
// CPUs, so a busy machine does not make them noisier so much as wrong.
//
// Measure writes the probes to a temporary directory and runs them from
// there, one process a run. The scripts run unchanged on CPython 2.7 and
// 3.6 and later, including free-threaded builds, with the standard
// library only, on Linux and macOS. They share _probe.py for the clock
// (time.perf_counter, else time.time), medians and the output line.
//
// # Invariants
//
//   - A run starts from a fresh interpreter: no threads left over, the
//     switch interval at its default, nothing cached by an earlier probe.
//   - Every key a probe prints is one of its probe's keys (probes.go) and
//     one of Figures; anything else is an error, not a new figure.
//   - A probe's children end with it: each run is a process group, killed
//     whole on timeout or cancellation, and the probes that fork (echo,
//     process start) wait for their children before printing.
//   - The temporary directory is removed whatever happens.
//
// # Things that look odd
//
// The echo probe's figures beside a CPU-bound thread are a race, not a
// constant: a trip waits for the GIL only if the spinning thread, woken
// when the reader dropped the GIL, takes it before the echo arrives. On
// one machine that happens to every trip (about two switch intervals
// each), on another to one trip in fifty. So that phase runs for a fixed
// time rather than a fixed count, and the fitter should read echo_cpu_rps
// (the mixture) as well as the median.
//
// threads.py with "1core" pins itself to one CPU with
// os.sched_setaffinity; 2.7 has none, so on Linux Measure starts that run
// under taskset and says so with --pinned. Without either (2.7 on macOS)
// the figure is missing.
//
// The multiprocessing.Queue probe is mpqueue.py, not queue.py: a probe's
// directory comes first on sys.path, and a queue.py there would shadow the
// module multiprocessing imports.
//
// # Designs rejected
//
// One script for every figure: a failure would lose them all, and state
// from one measurement (a switch interval, threads, a forked child) would
// leak into the next. Probes running in parallel, to save time: they
// measure contention, and would contend with each other. The minimum of
// the samples, as timeit keeps: right for the cost of a bytecode, wrong
// for GIL handoffs and wake-ups, whose typical case is the figure and
// whose luckiest is not. Running the probes with -c: spawn imports the
// parent's main module from its file. Timing from Go around the process:
// interpreter startup would swamp everything but the slowest figures.
package calibrate
