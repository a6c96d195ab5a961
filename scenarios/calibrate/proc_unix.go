//go:build unix

package calibrate

import (
	"os/exec"
	"syscall"
)

// killGroupOnCancel starts cmd in a process group of its own and makes
// cancelling it kill the whole group: a probe's children (the echo server,
// multiprocessing's workers, a shell's sleep) die with it instead of
// spinning on and spoiling the next measurement.
func killGroupOnCancel(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd) }
}

// killGroup kills the process group cmd leads. Called only while a member
// of the group still runs (cmd itself, or a child holding its output
// open), so the group's id cannot have been reused.
func killGroup(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
