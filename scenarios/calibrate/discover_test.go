package calibrate

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDiscoverOnPath(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	py312 := fake{version: "3.12.1"}.write(t, a, "python3.12")
	// python3 is a symlink to python3.12: the same executable, found again.
	if err := os.Symlink(py312, filepath.Join(a, "python3")); err != nil {
		t.Fatal(err)
	}
	// A pyenv shim for a version that is not selected.
	fake{version: "2.7.18", broken: "pyenv: python2.7: command not found"}.write(t, a, "python2.7")
	py27 := fake{version: "2.7.18"}.write(t, b, "python")
	py313t := fake{version: "3.13.0", freeThreaded: true}.write(t, b, "python3.13t")
	// The same 3.13 by another name in another directory: a wrapper that
	// reports the executable the first one does.
	fake{version: "3.13.0", freeThreaded: true, executable: py313t}.write(t, a, "python3.14t")
	// Too old for the probes, and not executable: both left out.
	fake{version: "3.5.2"}.write(t, b, "python3")
	if err := os.WriteFile(filepath.Join(b, "python3.11"), []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Not an interpreter at all.
	if err := os.WriteFile(filepath.Join(b, "python3.10"), []byte("#!/bin/sh\necho hello\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", a+string(os.PathListSeparator)+b)

	got, err := Discover(nil)
	if err != nil {
		t.Fatal(err)
	}
	var names, paths []string
	for _, py := range got {
		names = append(names, py.Name())
		paths = append(paths, py.Path)
	}
	if want := []string{"2.7.18", "3.12.1", "3.13.0t"}; !slices.Equal(names, want) {
		t.Fatalf("Discover found %v, want %v", names, want)
	}
	// Each is found under its most specific name.
	if want := []string{py27, py312, py313t}; !slices.Equal(paths, want) {
		t.Errorf("Discover's paths are %v, want %v", paths, want)
	}
	if py := got[1]; py.Major != 3 || py.Minor != 12 || py.Micro != 1 || py.FreeThreaded || !py.GILEnabled || py.Implementation != "CPython" {
		t.Errorf("Discover read 3.12.1 as %+v", py)
	}
	if py := got[2]; !py.FreeThreaded || py.GILEnabled {
		t.Errorf("Discover read 3.13.0t as %+v", py)
	}
}

func TestDiscoverNothingOnPath(t *testing.T) {
	dir := t.TempDir()
	fake{version: "3.12.1", broken: "pyenv: python3.12: command not found"}.write(t, dir, "python3.12")
	t.Setenv("PATH", dir)
	got, err := Discover(nil)
	if !errors.Is(err, ErrNoPython) {
		t.Fatalf("Discover = %v, %v; want ErrNoPython", got, err)
	}
}

func TestDiscoverPaths(t *testing.T) {
	dir := t.TempDir()
	py313 := fake{version: "3.13.0"}.write(t, dir, "python3.13")
	py36 := fake{version: "3.6.15"}.write(t, dir, "python3.6")
	shim := filepath.Join(dir, "python3.9")
	pyenv := "#!/bin/sh\necho 'pyenv: python3.9: command not found' >&2\necho >&2\necho 'Note: See pyenv help global' >&2\nexit 127\n"
	if err := os.WriteFile(shim, []byte(pyenv), 0o755); err != nil {
		t.Fatal(err)
	}
	old := fake{version: "3.5.2"}.write(t, dir, "python3.5")
	missing := filepath.Join(dir, "python4")

	got, err := Discover([]string{py313, py36, py313})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Path != py36 || got[1].Path != py313 {
		t.Errorf("Discover(3.13, 3.6, 3.13) = %+v, want 3.6 then 3.13, once each", got)
	}

	for _, tc := range []struct {
		path string
		want []string
	}{
		{shim, []string{shim, "does not run", "pyenv: python3.9: command not found"}},
		{old, []string{old, "3.5.2", "2.7 or 3.6"}},
		{missing, []string{missing, "does not run"}},
	} {
		_, err := Discover([]string{py313, tc.path})
		if err == nil {
			t.Errorf("Discover(%s) succeeded, want an error", tc.path)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Discover(%s) = %q, want it to say %q", tc.path, err, w)
			}
		}
	}
}

func TestCandidateNames(t *testing.T) {
	for _, name := range []string{"python2.7", "python2", "python3.6", "python3.15", "python3.13t", "python3.14t", "python3", "python"} {
		if !slices.Contains(candidateNames, name) {
			t.Errorf("candidateNames lacks %s", name)
		}
	}
	if i, j := slices.Index(candidateNames, "python3.12"), slices.Index(candidateNames, "python3"); i > j {
		t.Errorf("python3 comes before python3.12 in candidateNames: the less specific name would win")
	}
}
