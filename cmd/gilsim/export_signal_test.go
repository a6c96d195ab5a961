//go:build unix

package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The stopping signals' tests run the real binary on a run that would take
// minutes to export, and send it each signal once it is busy.
var (
	// bigExport is a run of two thousand runnable threads, with guards
	// too high to stop it in the test's time.
	bigExport = []string{"export", "cpu-bound", "--set", "threads=2000", "--set", "count=1000000000", "--gil", "off",
		"--max-events", "1000000000", "--max-time", "1000h"}
	// stopLimit is how long a signalled export may take to exit in a
	// test. The product's target is half a second; the test allows more
	// for a loaded machine and the race detector.
	stopLimit = 3 * time.Second
	// busyAfter is how long the tests let an export run before the signal
	// when nothing shows that it has reached its simulation loop.
	busyAfter = 300 * time.Millisecond
)

// runningExport is a gilsim export running in the background.
type runningExport struct {
	t      *testing.T
	cmd    *exec.Cmd
	stderr bytes.Buffer
	exited chan struct{}
}

func startExport(t *testing.T, bin string, stdout io.Writer, args ...string) *runningExport {
	t.Helper()
	r := &runningExport{t: t, cmd: exec.Command(bin, args...), exited: make(chan struct{})}
	r.cmd.Stdout, r.cmd.Stderr = stdout, &r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r.cmd.Wait()
		close(r.exited)
	}()
	t.Cleanup(func() {
		r.cmd.Process.Kill()
		<-r.exited
	})
	return r
}

// waitUntil polls ok every few milliseconds until it holds, failing the
// test if the export exits first or the wait takes too long.
func (r *runningExport) waitUntil(what string, ok func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !ok() {
		select {
		case <-r.exited:
			r.t.Fatalf("the export exited (%v, stderr %q) before %s", r.cmd.ProcessState, r.stderr.String(), what)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("waited %v for %s", waitLimit, what)
		}
	}
}

// stop sends sig and waits for the export to exit: its exit status and
// how long it took.
func (r *runningExport) stop(sig syscall.Signal) (int, time.Duration) {
	r.t.Helper()
	start := time.Now()
	if err := r.cmd.Process.Signal(sig); err != nil {
		r.t.Fatal(err)
	}
	select {
	case <-r.exited:
	case <-time.After(stopLimit):
		r.t.Fatalf("still running %v after %s", stopLimit, signalName(sig))
	}
	took := time.Since(start)
	ws := r.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		r.t.Fatalf("killed by %v instead of exiting after it", ws.Signal())
	}
	return ws.ExitStatus(), took
}

// checkInterrupted checks the one line an interrupted export leaves on
// stderr and its exit status.
func (r *runningExport) checkInterrupted(sig syscall.Signal, code int, fate string) {
	r.t.Helper()
	if code != 128+int(sig) {
		r.t.Errorf("exit status %d after %s, want %d", code, signalName(sig), 128+int(sig))
	}
	want := "gilsim: export interrupted by " + signalName(sig) + "; " + fate + "\n"
	if got := r.stderr.String(); got != want {
		r.t.Errorf("stderr %q, want %q", got, want)
	}
}

// TestExportSignals: the stopping signals stop the real binary's exports,
// each kind of them (one build serves them all).
func TestExportSignals(t *testing.T) {
	bin := buildGilsim(t)
	t.Run("to a file", func(t *testing.T) { testSignalsToFile(t, bin) })
	t.Run("keeping the old file", func(t *testing.T) { testSignalKeepsOldFile(t, bin) })
	t.Run("to stdout", func(t *testing.T) { testSignalsToStdout(t, bin) })
	t.Run("while stuck", func(t *testing.T) { testSignalWhileStuck(t, bin) })
}

// testSignalsToFile: each stopping signal stops an export to a file in
// each format within stopLimit (the product's target is 0.5 s), with one
// line on stderr and neither the file nor a temporary file left.
func testSignalsToFile(t *testing.T, bin string) {
	for _, ext := range []string{".svg", ".txt", ".json"} {
		for _, sig := range stopSignals {
			t.Run(ext[1:]+"/"+signalName(sig), func(t *testing.T) {
				dir := t.TempDir()
				r := startExport(t, bin, io.Discard, append(bigExport, "-o", filepath.Join(dir, "out"+ext))...)
				r.waitUntil("its temporary file exists", func() bool { return tempFile(t, dir, 0) })
				if ext == ".json" {
					// The trace streams: once it has written, it is in its loop.
					r.waitUntil("it writes", func() bool { return tempFile(t, dir, 1) })
				} else {
					// The pictures write nothing before both passes end.
					time.Sleep(busyAfter)
				}
				code, took := r.stop(sig)
				t.Logf("%s %s: exit status %d, %v after the signal", ext, signalName(sig), code, took.Round(time.Millisecond))
				r.checkInterrupted(sig, code, "nothing was written")
				noLeftovers(t, dir)
				if entries, _ := os.ReadDir(dir); len(entries) > 0 {
					t.Errorf("%s left behind", entries[0].Name())
				}
			})
		}
	}
}

// tempFile reports whether dir holds a temporary file of at least size
// bytes.
func tempFile(t *testing.T, dir string, size int64) bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && strings.HasSuffix(e.Name(), ".tmp") {
			fi, err := e.Info()
			return err == nil && fi.Size() >= size
		}
	}
	return false
}

// testSignalKeepsOldFile: an interrupted export leaves the file it would
// have replaced as it was.
func testSignalKeepsOldFile(t *testing.T, bin string) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keep.svg")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	r := startExport(t, bin, io.Discard, append(bigExport, "-o", path)...)
	r.waitUntil("its temporary file exists", func() bool { return tempFile(t, dir, 0) })
	time.Sleep(busyAfter)
	code, _ := r.stop(syscall.SIGINT)
	r.checkInterrupted(syscall.SIGINT, code, `"`+path+`" is as it was`)
	if b, err := os.ReadFile(path); err != nil || string(b) != "old" {
		t.Errorf("the old file holds %q (%v), want %q", b, err, "old")
	}
	noLeftovers(t, dir, "keep.svg")
}

// testSignalsToStdout: an export to standard output stops as promptly,
// with its one line, whether it streams (Perfetto) or has written nothing
// yet (SVG).
func testSignalsToStdout(t *testing.T, bin string) {
	for _, format := range []string{"perfetto", "svg"} {
		for _, sig := range stopSignals {
			t.Run(format+"/"+signalName(sig), func(t *testing.T) {
				out := &firstWrite{started: make(chan struct{})}
				r := startExport(t, bin, out, append(bigExport, "--format", format)...)
				if format == "perfetto" {
					r.waitUntil("it writes", func() bool {
						select {
						case <-out.started:
							return true
						default:
							return false
						}
					})
				} else {
					time.Sleep(busyAfter)
				}
				code, took := r.stop(sig)
				t.Logf("stdout %s %s: exit status %d, %v after the signal", format, signalName(sig), code, took.Round(time.Millisecond))
				r.checkInterrupted(sig, code, "the output is incomplete")
			})
		}
	}
}

// firstWrite throws away what it is given, and closes started on the
// first write.
type firstWrite struct {
	started chan struct{}
	n       int64
}

func (w *firstWrite) Write(p []byte) (int, error) {
	if w.n == 0 && len(p) > 0 {
		close(w.started)
	}
	w.n += int64(len(p))
	return len(p), nil
}

// testSignalWhileStuck: an export stuck in the kernel, opening a FIFO no
// one reads, still ends soon after a signal: the watchdog ends it, with
// the exit status 128+signal.
func testSignalWhileStuck(t *testing.T, bin string) {
	fifo := filepath.Join(t.TempDir(), "nobody-reads")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	r := startExport(t, bin, io.Discard, "export", "cpu-bound", "--format", "text", "-o", fifo)
	time.Sleep(busyAfter)
	code, took := r.stop(syscall.SIGTERM)
	t.Logf("stuck opening a FIFO: exit status %d, %v after SIGTERM", code, took.Round(time.Millisecond))
	r.checkInterrupted(syscall.SIGTERM, code, "nothing was written")
	if code != 128+int(syscall.SIGTERM) {
		t.Errorf("exit status %d, want %d", code, 128+int(syscall.SIGTERM))
	}
}
