package calibrate

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"
)

// ErrNoPython is returned by Discover when no interpreter it could run is
// on PATH.
var ErrNoPython = errors.New("calibrate: no Python 2.7 or 3.6+ that runs found on PATH")

// queryTimeout bounds the version query of one candidate: a stub that
// opens an installer dialog (macOS's /usr/bin/python3 without the command
// line tools) must not stall discovery.
const queryTimeout = 15 * time.Second

// Interpreter is one Python interpreter to calibrate, as it describes
// itself when asked.
type Interpreter struct {
	// Path is what runs it: the path given to Discover or found on PATH.
	Path string `json:"path"`
	// Version is platform.python_version(), "3.12.1"; Major, Minor and
	// Micro are sys.version_info's first three.
	Version string `json:"version"`
	Major   int    `json:"major"`
	Minor   int    `json:"minor"`
	Micro   int    `json:"micro"`
	// Implementation is platform.python_implementation(), "CPython".
	Implementation string `json:"implementation"`
	// FreeThreaded reports a build without the GIL (3.13t and later);
	// GILEnabled whether the GIL is on at run time, which PYTHON_GIL=1
	// can turn back on in such a build.
	FreeThreaded bool `json:"free_threaded"`
	GILEnabled   bool `json:"gil_enabled"`
	// Executable is sys.executable: where a shim or symlink leads.
	Executable string `json:"executable"`
}

// Name returns the version as people write it: "3.12.1", or "3.13.0t" for
// a free-threaded build.
func (py Interpreter) Name() string {
	if py.FreeThreaded {
		return py.Version + "t"
	}
	return py.Version
}

// String returns "python 3.12.1 (/usr/bin/python3.12)", for messages.
func (py Interpreter) String() string {
	return fmt.Sprintf("python %s (%s)", py.Name(), py.Path)
}

// supported reports whether the probes run on py: they need 2.7 or 3.6+.
func (py Interpreter) supported() bool {
	return py.Major == 2 && py.Minor == 7 || py.Major == 3 && py.Minor >= 6
}

// candidateNames are the names Discover looks for in each directory of
// PATH, most specific first, so that an interpreter found under several
// names keeps the one that says its version.
var candidateNames = func() []string {
	names := []string{"python2.7", "python2"}
	for minor := 6; minor <= 15; minor++ {
		names = append(names, fmt.Sprintf("python3.%d", minor))
	}
	return append(names, "python3.13t", "python3.14t", "python3.15t", "python3", "python")
}()

// Discover returns the interpreters to calibrate, ordered by version. With
// paths given, those: each must run and be 2.7 or 3.6+, else the error
// names it. With none, every distinct interpreter found on PATH under
// candidateNames: each directory in turn for each name, deduplicated by
// the executable it resolves to and its version, skipping quietly any
// candidate that fails to run (a pyenv shim for a version not selected
// answers "command not found") or is too old; ErrNoPython if none is left.
func Discover(paths []string) ([]Interpreter, error) {
	if len(paths) > 0 {
		var found []Interpreter
		for i, r := range queryAll(paths) {
			if r.err != nil {
				return nil, r.err
			}
			if !r.py.supported() {
				return nil, fmt.Errorf("calibrate: %s is %s %s; calibration needs 2.7 or 3.6 and later", paths[i], r.py.Implementation, r.py.Version)
			}
			found = append(found, r.py)
		}
		return dedupe(found), nil
	}
	var found []Interpreter
	for _, r := range queryAll(candidates(os.Getenv("PATH"))) {
		if r.err == nil && r.py.supported() {
			found = append(found, r.py)
		}
	}
	if len(found) == 0 {
		return nil, ErrNoPython
	}
	return dedupe(found), nil
}

// candidates returns the executable files named in candidateNames in the
// directories of path, without repeating a file reached twice.
func candidates(path string) []string {
	var out []string
	seen := map[string]bool{}
	for _, name := range candidateNames {
		for _, dir := range filepath.SplitList(path) {
			if dir == "" {
				dir = "."
			}
			p := filepath.Join(dir, name)
			fi, err := os.Stat(p)
			if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
				continue
			}
			key := p
			if real, err := filepath.EvalSymlinks(p); err == nil {
				key = real
			}
			if !seen[key] {
				seen[key] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// queryResult is what asking one candidate gave.
type queryResult struct {
	py  Interpreter
	err error
}

// queryAll asks every path for its version, a few at a time, and returns
// the answers in the order of paths.
func queryAll(paths []string) []queryResult {
	results := make([]queryResult, len(paths))
	sem := make(chan struct{}, max(runtime.NumCPU(), 4))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			py, err := query(p)
			results[i] = queryResult{py, err}
		})
	}
	wg.Wait()
	return results
}

// versionInfo is what version.py prints.
type versionInfo struct {
	Version        string `json:"version"`
	VersionInfo    []int  `json:"version_info"`
	Implementation string `json:"implementation"`
	FreeThreaded   bool   `json:"free_threaded"`
	GILEnabled     bool   `json:"gil_enabled"`
	Executable     string `json:"executable"`
}

// query runs version.py on path.
func query(path string) (Interpreter, error) {
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-c", versionQuery)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	killGroupOnCancel(cmd)
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("no answer in %v", queryTimeout)
		}
		return Interpreter{}, fmt.Errorf("calibrate: %s does not run: %w%s", path, err, detail(stderr.Bytes()))
	}
	var v versionInfo
	answer := lastLine(stdout.Bytes())
	if err := json.Unmarshal([]byte(answer), &v); err != nil || len(v.VersionInfo) < 3 || v.Version == "" {
		return Interpreter{}, fmt.Errorf("calibrate: %s does not answer like Python: %q", path, answer)
	}
	return Interpreter{
		Path:           path,
		Version:        v.Version,
		Major:          v.VersionInfo[0],
		Minor:          v.VersionInfo[1],
		Micro:          v.VersionInfo[2],
		Implementation: v.Implementation,
		FreeThreaded:   v.FreeThreaded,
		GILEnabled:     v.GILEnabled,
		Executable:     v.Executable,
	}, nil
}

// dedupe drops every interpreter that resolves to the executable and
// version of an earlier one, and sorts the rest by version.
func dedupe(found []Interpreter) []Interpreter {
	type identity struct {
		executable, version string
		freeThreaded        bool
	}
	var out []Interpreter
	seen := map[identity]bool{}
	for _, py := range found {
		exe := py.Executable
		if exe == "" {
			exe = py.Path
		}
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		id := identity{filepath.Clean(exe), py.Version, py.FreeThreaded}
		if !seen[id] {
			seen[id] = true
			out = append(out, py)
		}
	}
	slices.SortStableFunc(out, func(a, b Interpreter) int {
		return cmp.Or(
			cmp.Compare(a.Major, b.Major),
			cmp.Compare(a.Minor, b.Minor),
			cmp.Compare(a.Micro, b.Micro),
			cmp.Compare(a.Version, b.Version),
			boolCompare(a.FreeThreaded, b.FreeThreaded),
		)
	})
	return out
}

// boolCompare orders false before true.
func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// lastLine returns the last non-blank line of out, "" if there is none.
func lastLine(out []byte) string {
	out = bytes.TrimSpace(out)
	if i := bytes.LastIndexByte(out, '\n'); i >= 0 {
		out = out[i+1:]
	}
	return string(bytes.TrimSpace(out))
}

// detail returns ": " and the line of a process's stderr that says what
// went wrong, or "" when stderr is empty: the last line of a Python
// traceback (the exception), else the first line ("pyenv: python3.9:
// command not found", "Fatal Python error: ..."), which the lines after it
// only explain.
func detail(stderr []byte) string {
	text := bytes.TrimSpace(stderr)
	if len(text) == 0 {
		return ""
	}
	if bytes.Contains(text, []byte("Traceback (most recent call last):")) {
		return ": " + lastLine(text)
	}
	first, _, _ := bytes.Cut(text, []byte("\n"))
	return ": " + string(bytes.TrimSpace(first))
}
