//go:build !unix

package calibrate

import "os/exec"

// killGroupOnCancel leaves cmd as it is: without process groups,
// cancelling kills the probe but not the children it started.
func killGroupOnCancel(cmd *exec.Cmd) {}

// killGroup kills cmd's process.
func killGroup(cmd *exec.Cmd) error {
	return cmd.Process.Kill()
}
