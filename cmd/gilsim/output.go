package main

// Where an export goes, and how a signal stops it.
//
// An -o target is one of three kinds. A regular file, or a name that does
// not exist yet, is written whole or not at all: the export goes to a
// temporary file beside the real file (symbolic links followed), which is
// synced and renamed over it only once the export has succeeded. The new
// file keeps the old one's permissions; a new name gets 0666 less the
// umask, as the shell's > would give it. Renaming gives the name a new
// inode, so a hard link to the old file keeps the old content: atomicity
// is worth more here than the link. A FIFO or a character device
// (/dev/null, /dev/stdout on a terminal or pipe, a tty) cannot be
// replaced, and is opened and written through. Anything else (a folder, a
// block device, a socket) is refused with one line.
//
// The stopping signals (Ctrl-C, SIGTERM, a closed terminal's SIGHUP,
// Ctrl-\) cancel a context whose Err the export asks every thousand events
// or so; the export unwinds, the temporary file goes, and the command exits
// with 128 plus the signal's number. A watchdog covers what the context
// cannot reach, an export stuck in the kernel (opening a FIFO no one
// reads, writing to a pipe no one drains): it ends the process itself,
// after the same clean-up, when the export has not ended soon after the
// signal.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// stopSignals are the signals that stop an export cleanly.
var stopSignals = []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// stopGrace is how long an export has, after a stopping signal, to unwind
// by itself before the watchdog ends the process. An export notices the
// signal within a few milliseconds; only one stuck in the kernel takes
// longer. With the watchdog's own work, a signal ends the process within
// half a second whatever the export was doing.
const stopGrace = 400 * time.Millisecond

// signalName is a signal as a shell user knows it: "SIGINT".
func signalName(sig syscall.Signal) string {
	switch sig {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	case syscall.SIGQUIT:
		return "SIGQUIT"
	}
	return "signal " + strconv.Itoa(int(sig))
}

// interruptedError is an export stopped by a signal.
type interruptedError struct {
	sig  syscall.Signal
	fate string // what became of the output: "nothing was written"
}

func (e *interruptedError) Error() string {
	return "export interrupted by " + signalName(e.sig) + "; " + e.fate
}

// exitStatus is 128 plus the signal's number: what a shell reports for a
// program the signal ended (130 for Ctrl-C).
func (e *interruptedError) exitStatus() int { return 128 + int(e.sig) }

// stopper turns the first stopping signal into a cancelled context and
// watches that the export ends soon after it.
type stopper struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	sigs   chan os.Signal
	quit   chan struct{} // closed by release
	stderr io.Writer

	// mu orders the watchdog's clean-up against the export's commit and
	// end: the watchdog holds it from the moment it decides to end the
	// process until the process has ended.
	mu   sync.Mutex
	over bool    // release has run: the command ends by itself
	out  *output // what is being written, once known
}

// newStopper starts catching the stopping signals, except those the
// process was started with ignored (nohup's SIGHUP, a background job's
// SIGINT), which stay ignored.
func newStopper(stderr io.Writer) *stopper {
	ctx, cancel := context.WithCancelCause(context.Background())
	s := &stopper{ctx: ctx, cancel: cancel, sigs: make(chan os.Signal, 2), quit: make(chan struct{}), stderr: stderr}
	for _, sig := range stopSignals {
		if !signal.Ignored(sig) {
			signal.Notify(s.sigs, sig)
		}
	}
	go s.watch()
	return s
}

// err is the context's error: Options.Stop for the export.
func (s *stopper) err() error { return s.ctx.Err() }

// interrupted is the signal's error, with out's fate, or nil when no
// signal came.
func (s *stopper) interrupted(out *output) error {
	var ie *interruptedError
	if !errors.As(context.Cause(s.ctx), &ie) {
		return nil
	}
	return &interruptedError{sig: ie.sig, fate: out.fate()}
}

// track tells the watchdog what is being written.
func (s *stopper) track(out *output) {
	s.mu.Lock()
	s.out = out
	s.mu.Unlock()
}

// release stops catching signals, once the export has ended either way:
// a signal from now on has its default effect.
func (s *stopper) release() {
	s.mu.Lock()
	s.over = true
	s.mu.Unlock()
	signal.Stop(s.sigs)
	close(s.quit)
	s.cancel(nil)
}

// watch waits for a stopping signal, cancels the context, and ends the
// process if the export has not ended stopGrace later (or at once on a
// second signal).
func (s *stopper) watch() {
	var sig os.Signal
	select {
	case sig = <-s.sigs:
	case <-s.quit:
		return
	}
	s.cancel(&interruptedError{sig: sig.(syscall.Signal)})
	s.mu.Lock()
	if s.out != nil {
		s.out.unblock()
	}
	s.mu.Unlock()
	grace := time.NewTimer(stopGrace)
	defer grace.Stop()
	select {
	case <-grace.C:
	case <-s.sigs:
	case <-s.quit:
		return
	}
	s.mu.Lock()
	if s.over {
		s.mu.Unlock()
		return
	}
	err := &interruptedError{sig: sig.(syscall.Signal), fate: "nothing was written"}
	if s.out != nil {
		if !s.out.abandon() {
			// The export was complete and in place before the signal
			// could stop it: let the command end as it would.
			s.mu.Unlock()
			return
		}
		err.fate = s.out.fate()
	}
	fmt.Fprintln(s.stderr, "gilsim: "+err.Error())
	os.Exit(err.exitStatus())
}

// outputKind is how an output is written.
type outputKind uint8

const (
	// toStdout: the command's standard output.
	toStdout outputKind = iota
	// toReplace: a temporary file, renamed over the target at the end.
	toReplace
	// toThrough: the target itself, opened and written in place.
	toThrough
)

// output is where an export is being written.
type output struct {
	kind  outputKind
	name  string      // as the user gave it, for messages
	real  string      // toReplace: the file to replace, symbolic links followed
	old   fs.FileInfo // toReplace: the file replaced, or nil for a new one
	trunc bool        // toThrough: truncate on opening (a regular file not replaceable)

	w   io.Writer // where writes go once open
	f   *os.File  // the file opened, if any
	tmp string    // toReplace: the temporary file, until renamed
	// done: the temporary file has been renamed over real (true), or
	// removed after a signal (abandoned).
	done, abandoned bool
	// err is the first error writing to w, which tells a failure of
	// the output from a failure of the export itself.
	err error

	mu *sync.Mutex // the stopper's, guarding f, tmp, done and abandoned
}

// resolveOutput decides how to write -o path ("" or "-": standard output),
// without opening or creating anything.
func resolveOutput(path string, stdout io.Writer) (*output, error) {
	if path == "" || path == "-" {
		return &output{kind: toStdout, w: stdout}, nil
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// Nothing there, or a symbolic link to nothing: the file it
		// names is created, as the shell's > does.
		real, err := linkTarget(path)
		if err != nil {
			return nil, fmt.Errorf("cannot write %q: %w", path, pathCause(err))
		}
		return &output{kind: toReplace, name: path, real: real}, nil
	case err != nil:
		return nil, fmt.Errorf("cannot write %q: %w", path, pathCause(err))
	case fi.IsDir():
		return nil, usagef("-o %q is a folder (accepted: a file name ending in .json, .svg or .txt)", path)
	case isStdout(fi, stdout):
		// -o /dev/stdout: write to the descriptor the command was given,
		// which may not be reopened (a pipe of another user) or must not
		// be replaced (a file opened for appending).
		return &output{kind: toStdout, name: path, w: stdout}, nil
	case fi.Mode().IsRegular():
		return resolveRegular(path, fi)
	case fi.Mode()&(fs.ModeNamedPipe|fs.ModeCharDevice) != 0:
		return &output{kind: toThrough, name: path}, nil
	}
	what := "special file"
	switch {
	case fi.Mode()&fs.ModeSocket != 0:
		what = "socket"
	case fi.Mode()&fs.ModeDevice != 0:
		what = "block device"
	}
	return nil, usagef("-o %q is a %s, which an export does not write (accepted: a file, a FIFO, a character device such as /dev/null, or - for standard output)", path, what)
}

// isStdout reports whether fi is the file the command's standard output
// writes to.
func isStdout(fi fs.FileInfo, stdout io.Writer) bool {
	f, ok := stdout.(*os.File)
	if !ok {
		return false
	}
	sfi, err := f.Stat()
	return err == nil && os.SameFile(fi, sfi)
}

// resolveRegular plans the replacement of the existing regular file fi
// at path. It refuses a file the user could not have written in place,
// as the shell's > would.
func resolveRegular(path string, fi fs.FileInfo) (*output, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, fmt.Errorf("cannot write %q: %w", path, pathCause(err))
	}
	f, err := os.OpenFile(real, os.O_WRONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("cannot write %q: %w", path, pathCause(err))
	}
	defer f.Close()
	if rfi, err := f.Stat(); err != nil || !os.SameFile(fi, rfi) {
		// The name does not lead to the file the path opens (a
		// /proc/self/fd link to a deleted file): it cannot be
		// replaced, only written.
		return &output{kind: toThrough, name: path, trunc: true}, nil
	}
	return &output{kind: toReplace, name: path, real: real, old: fi}, nil
}

// linkTarget follows path while it is a symbolic link, without requiring
// the end of the chain to exist, and returns the last name. A relative
// link is read from the link's own folder, as the kernel reads it.
func linkTarget(path string) (string, error) {
	for hops := 0; ; hops++ {
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		if hops == 40 {
			return "", &fs.PathError{Op: "open", Path: path, Err: syscall.ELOOP}
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			dir, _ := filepath.Split(path)
			link = dir + link
		}
		path = link
	}
}

// open opens the output for writing: for a replacement, a new temporary
// file in the target's folder. Opening a FIFO waits for a reader.
func (o *output) open() error {
	switch o.kind {
	case toReplace:
		dir, base := filepath.Split(o.real)
		if dir == "" {
			dir = "."
		}
		// A new file is created as the shell would, 0666 less the umask.
		// The replacement of an existing file starts with its mode (less
		// the umask, so that it is never more open than the final file)
		// and gets it exactly in commit.
		perm := fs.FileMode(0o666)
		if o.old != nil {
			perm = o.old.Mode().Perm()
		}
		// Under the lock, so that the watchdog knows of every temporary
		// file it may have to remove.
		o.mu.Lock()
		f, tmp, err := createTemp(dir, "."+base+".", ".tmp", perm)
		if err == nil {
			o.f, o.tmp, o.w = f, tmp, f
		}
		o.mu.Unlock()
		if err != nil {
			return o.fail(err)
		}
	case toThrough:
		flag := os.O_WRONLY
		if o.trunc {
			flag |= os.O_TRUNC
		}
		f, err := os.OpenFile(o.name, flag, 0)
		if err != nil {
			return o.fail(err)
		}
		o.mu.Lock()
		o.f, o.w = f, f
		o.mu.Unlock()
	}
	return nil
}

// createTemp creates a new file named prefix, a random number and suffix
// in dir, with permissions perm less the umask.
func createTemp(dir, prefix, suffix string, perm fs.FileMode) (*os.File, string, error) {
	for range 10_000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10)+suffix)
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, name, err
	}
	return nil, "", &fs.PathError{Op: "createtemp", Path: dir + string(os.PathSeparator) + prefix + "*" + suffix, Err: fs.ErrExist}
}

func (o *output) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil && o.err == nil {
		o.err = err
	}
	return n, err
}

// commit ends a successful export: the temporary file is synced, given
// the old file's mode, closed and renamed over the target, unless a
// signal came first; a file written through is closed, which reports a
// late write error.
func (o *output) commit(s *stopper) error {
	if o.kind == toStdout {
		return nil
	}
	var err error
	if o.kind == toReplace {
		err = o.f.Sync()
		if err == nil && o.old != nil {
			err = o.f.Chmod(o.old.Mode().Perm())
		}
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		o.remove()
		return o.fail(err)
	}
	if o.kind != toReplace {
		return nil
	}
	o.mu.Lock()
	if o.abandoned || s.err() != nil {
		o.mu.Unlock()
		o.remove()
		return s.interrupted(o)
	}
	err = os.Rename(o.tmp, o.real)
	o.done = err == nil
	o.mu.Unlock()
	if err != nil {
		o.remove()
		return o.fail(err)
	}
	syncDir(filepath.Dir(o.real))
	return nil
}

// syncDir makes a rename in dir durable where the system allows it; some
// file systems refuse to sync a folder, which costs only durability.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// finish ends an export that failed with err: it removes the temporary
// file and turns err into the one line the user sees.
func (o *output) finish(s *stopper, err error) error {
	if o.f != nil && !o.done {
		o.f.Close()
		o.remove()
	}
	if ie := s.interrupted(o); ie != nil {
		return ie
	}
	if o.err != nil && errors.Is(err, o.err) {
		return o.fail(o.err)
	}
	return err
}

// fail is a failure of the output itself, in one line naming the path
// the user gave.
func (o *output) fail(err error) error {
	if o.name == "" {
		return fmt.Errorf("cannot write to standard output: %w", pathCause(err))
	}
	return fmt.Errorf("cannot write %q: %w", o.name, pathCause(err))
}

// remove deletes the temporary file, if it is still there.
func (o *output) remove() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.tmp != "" && !o.done {
		os.Remove(o.tmp)
		o.tmp = ""
	}
}

// abandon is the watchdog's clean-up, under the stopper's lock: it removes
// the temporary file, and reports false when it is too late for that
// because the export is already in place.
func (o *output) abandon() bool {
	if o.done {
		return false
	}
	o.abandoned = true
	if o.tmp != "" {
		os.Remove(o.tmp)
	}
	return true
}

// unblock wakes a write stuck on a full pipe or FIFO, where the system
// allows deadlines on it, so that the export sees the signal.
func (o *output) unblock() {
	var d interface{ SetWriteDeadline(time.Time) error }
	switch {
	case o.f != nil:
		d = o.f
	case o.kind == toStdout:
		d, _ = o.w.(interface{ SetWriteDeadline(time.Time) error })
	}
	if d != nil {
		d.SetWriteDeadline(time.Now())
	}
}

// fate says what an interrupted export left behind.
func (o *output) fate() string {
	switch o.kind {
	case toStdout:
		if o.name != "" {
			return fmt.Sprintf("what reached %q is incomplete", o.name)
		}
		return "the output is incomplete"
	case toThrough:
		if o.f == nil {
			return "nothing was written"
		}
		return fmt.Sprintf("what reached %q is incomplete", o.name)
	}
	if o.old != nil {
		return fmt.Sprintf("%q is as it was", o.name)
	}
	return "nothing was written"
}

// writeOutput writes an export to -o path, or to stdout, under the
// stopper's signals.
func writeOutput(s *stopper, path string, stdout io.Writer, write func(io.Writer) error) error {
	o, err := resolveOutput(path, stdout)
	if err != nil {
		return err
	}
	o.mu = &s.mu
	s.track(o)
	if err := o.open(); err != nil {
		if ie := s.interrupted(o); ie != nil {
			return ie
		}
		return err
	}
	if err := write(&interruptible{ctx: s.ctx, w: o}); err != nil {
		return o.finish(s, err)
	}
	return o.commit(s)
}

// pathCause strips the file name from an error about a path, since the
// message names the user's path itself rather than the temporary file.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// interruptible fails every write once ctx is done, so that an export
// stopped by a signal unwinds through its error path and cleans up.
type interruptible struct {
	ctx context.Context
	w   io.Writer
}

func (i *interruptible) Write(p []byte) (int, error) {
	if err := i.ctx.Err(); err != nil {
		return 0, err
	}
	return i.w.Write(p)
}
