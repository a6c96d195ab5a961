package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the run command is written.
func newRunCmd(e *env) *cobra.Command {
	return &cobra.Command{Use: "run", RunE: func(*cobra.Command, []string) error { return errors.New("run: not written yet") }}
}
