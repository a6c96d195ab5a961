//go:build unix

package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// textExport is the text timeline of the default cpu-bound run, as the
// tests below write it to every kind of target.
var textExport = []string{"export", "cpu-bound", "--format", "text"}

// TestOutputDevices: a character device is written through, never
// replaced, and its write errors are reported.
func TestOutputDevices(t *testing.T) {
	r := cli(t, append(textExport, "-o", "/dev/null")...)
	if r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Errorf("-o /dev/null: exit status %d, stdout %.40q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a character device: %v, %v", fi.Mode(), err)
	}
	noLeftoversLike(t, "/dev", ".null.")
}

// noLeftoversLike fails if dir holds a file whose name starts with prefix:
// a temporary file beside a target that must not get one.
func noLeftoversLike(t *testing.T, dir, prefix string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			t.Errorf("%s left in %s", e.Name(), dir)
		}
	}
}

// TestOutputFIFO: a FIFO is written through to its reader and stays a
// FIFO.
func TestOutputFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "timeline.txt")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			got <- err.Error()
			return
		}
		got <- string(b)
	}()
	r := cli(t, "export", "cpu-bound", "-o", fifo)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit status %d, stderr %q", r.code, r.stderr)
	}
	select {
	case s := <-got:
		if want := cliOK(t, textExport...); s != want {
			t.Errorf("the reader got %.200q, want the text timeline", s)
		}
	case <-time.After(waitLimit):
		t.Fatal("the reader got nothing")
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO is now %v (%v)", fi.Mode(), err)
	}
	noLeftovers(t, dir, "timeline.txt")
}

// TestOutputSymlinks: a link is followed, to an existing file or to a
// name not made yet, and stays a link.
func TestOutputSymlinks(t *testing.T) {
	dir := t.TempDir()
	want := cliOK(t, textExport...)
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "real.txt"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		link, target, real string
	}{
		{"link.txt", "sub/real.txt", "sub/real.txt"},   // to an existing file
		{"sub/rel.txt", "real.txt", "sub/real.txt"},    // relative to the link's folder
		{"dangling.txt", "sub/new.txt", "sub/new.txt"}, // to a file not made yet
		{"chain.txt", "link.txt", "sub/real.txt"},      // a link to a link
	} {
		link := filepath.Join(dir, tc.link)
		if err := os.Symlink(tc.target, link); err != nil {
			t.Fatal(err)
		}
		if r := cli(t, "export", "cpu-bound", "-o", link); r.code != 0 || r.stderr != "" {
			t.Errorf("-o %s: exit status %d, stderr %q", tc.link, r.code, r.stderr)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link: %v (%v)", tc.link, fi.Mode(), err)
		}
		if b, err := os.ReadFile(filepath.Join(dir, tc.real)); err != nil || string(b) != want {
			t.Errorf("-o %s: %s holds %.60q (%v), want the timeline", tc.link, tc.real, b, err)
		}
		if err := os.WriteFile(filepath.Join(dir, tc.real), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	noLeftovers(t, dir)
	noLeftovers(t, sub)
}

// TestOutputModes: a replaced file keeps its mode; a new one gets what
// the shell's > would give it.
func TestOutputModes(t *testing.T) {
	dir := t.TempDir()
	for _, mode := range []fs.FileMode{0o600, 0o640, 0o666, 0o755} {
		path := filepath.Join(dir, fmt.Sprintf("m%o.svg", mode))
		if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		cliOK(t, "export", "cpu-bound", "-o", path)
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("a %v file became %v (%v)", mode, fi.Mode().Perm(), err)
		}
	}
	path := filepath.Join(dir, "new.svg")
	cliOK(t, "export", "cpu-bound", "-o", path)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != newFileMode(t) {
		t.Errorf("a new file got %v (%v), want %v", fi.Mode().Perm(), err, newFileMode(t))
	}
	noLeftovers(t, dir)
}

// TestOutputBinary: what only the real binary shows. The umask belongs to
// the whole process, so the binary runs under a shell that sets it; and
// -o /dev/stdout must write to the very descriptor the binary was given.
func TestOutputBinary(t *testing.T) {
	bin := buildGilsim(t)
	dir := t.TempDir()
	t.Run("umask 077", func(t *testing.T) {
		path := filepath.Join(dir, "private.json")
		out, err := exec.Command("/bin/sh", "-c", `umask 077 && exec "$0" "$@"`, bin, "export", "cpu-bound", "-o", path).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("umask 077 gave %v (%v), want 0600", fi.Mode().Perm(), err)
		}
	})
	t.Run("/dev/stdout appending", func(t *testing.T) {
		path := filepath.Join(dir, "log.txt")
		if err := os.WriteFile(path, []byte("header\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var stderr strings.Builder
		cmd := exec.Command(bin, append(textExport, "-o", "/dev/stdout")...)
		cmd.Stdout, cmd.Stderr = f, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %s", err, stderr.String())
		}
		if b, _ := os.ReadFile(path); string(b) != "header\n"+cliOK(t, textExport...) {
			t.Errorf("the file holds %.80q, want the header, then the timeline", b)
		}
	})
}

// TestOutputHardLink: the export replaces the name it is given, so a hard
// link to the old file keeps the old content (the price of writing a file
// whole or not at all).
func TestOutputHardLink(t *testing.T) {
	dir := t.TempDir()
	path, other := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(path, other); err != nil {
		t.Fatal(err)
	}
	cliOK(t, "export", "cpu-bound", "-o", path)
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "legend:") {
		t.Errorf("%s holds %.60q, want the timeline", path, b)
	}
	if b, _ := os.ReadFile(other); string(b) != "old" {
		t.Errorf("the other link holds %.60q, want the old content", b)
	}
}

// TestOutputReadOnly: a file the user could not write in place is not
// replaced either (root can write it, and does).
func TestOutputReadOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ro.txt")
	if err := os.WriteFile(path, []byte("old"), 0o444); err != nil {
		t.Fatal(err)
	}
	r := cli(t, "export", "cpu-bound", "-o", path)
	b, _ := os.ReadFile(path)
	if os.Geteuid() == 0 {
		if r.code != 0 || !strings.Contains(string(b), "legend:") {
			t.Errorf("as root: exit status %d, stderr %q, file %.40q", r.code, r.stderr, b)
		}
	} else {
		if r.code != 1 || string(b) != "old" {
			t.Errorf("exit status %d, file %.40q; want 1 and the old content", r.code, b)
		}
		stderrLine(t, r.stderr, fmt.Sprintf("cannot write %q: permission denied", path))
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o444 {
		t.Errorf("mode %v (%v), want 0444", fi.Mode().Perm(), err)
	}
	noLeftovers(t, dir, "ro.txt")
}

// TestOutputStdout: -o - is standard output, and needs --format.
func TestOutputStdout(t *testing.T) {
	if got, want := cliOK(t, append(textExport, "-o", "-")...), cliOK(t, textExport...); got != want {
		t.Errorf("-o - wrote %.80q, want the timeline on stdout", got)
	}
	r := cli(t, "export", "cpu-bound", "-o", "-")
	if r.code != 2 || r.stdout != "" {
		t.Errorf("-o - without --format: exit status %d, stdout %.40q", r.code, r.stdout)
	}
	stderrLine(t, r.stderr, "needs --format")
}

// TestOutputRefused: what cannot take an export is refused in one line
// that quotes the path, even one with a newline in it.
func TestOutputRefused(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "s.json")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	odd := filepath.Join(dir, "no\nsuch", "x.json")
	for _, tc := range []struct {
		path string
		code int
		want string
	}{
		{sock, 2, fmt.Sprintf("-o %q is a socket", sock)},
		{odd, 1, fmt.Sprintf("cannot write %q: no such file or directory", odd)},
	} {
		r := cli(t, "export", "cpu-bound", "-o", tc.path)
		if r.code != tc.code || r.stdout != "" {
			t.Errorf("-o %q: exit status %d, stdout %.40q; want %d", tc.path, r.code, r.stdout, tc.code)
		}
		stderrLine(t, r.stderr, tc.want)
	}
	if fi, err := os.Lstat(sock); err != nil || fi.Mode()&fs.ModeSocket == 0 {
		t.Errorf("the socket is now %v (%v)", fi.Mode(), err)
	}
}

// TestOutputInterrupted: a signal while the export runs cancels what the
// export asks, the temporary file goes, the old file stays, and the error
// carries the exit status 128+signal.
func TestOutputInterrupted(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kept.svg")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	stop := newStopper(io.Discard)
	defer stop.release()
	err := writeOutput(stop, path, nil, func(w io.Writer) error {
		io.WriteString(w, "half a picture")
		// What the signal handler does when SIGTERM comes.
		stop.sigs <- syscall.SIGTERM
		// What an export does: it asks Options.Stop as it goes.
		for deadline := time.Now().Add(waitLimit); time.Now().Before(deadline); {
			if err := stop.err(); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			time.Sleep(time.Millisecond)
		}
		return errors.New("the stop never came")
	})
	var ie *interruptedError
	if !errors.As(err, &ie) || ie.exitStatus() != 128+int(syscall.SIGTERM) {
		t.Fatalf("error %v, want an interruption with exit status %d", err, 128+int(syscall.SIGTERM))
	}
	if want := fmt.Sprintf("export interrupted by SIGTERM; %q is as it was", path); err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("the old file holds %q", b)
	}
	noLeftovers(t, dir, "kept.svg")
}
