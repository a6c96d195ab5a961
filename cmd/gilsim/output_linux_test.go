package main

import "testing"

// TestOutputFullDevice: a write error on a device written through (ENOSPC
// on /dev/full) fails the export in one line.
func TestOutputFullDevice(t *testing.T) {
	for _, format := range []string{"perfetto", "svg", "text"} {
		r := cli(t, "export", "cpu-bound", "--format", format, "-o", "/dev/full")
		if r.code != 1 || r.stdout != "" {
			t.Errorf("%s: exit status %d, stdout %.40q; want 1", format, r.code, r.stdout)
		}
		stderrLine(t, r.stderr, `cannot write "/dev/full": no space left on device`)
	}
}
