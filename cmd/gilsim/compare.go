package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the compare command is written.
func newCompareCmd(e *env) *cobra.Command {
	return &cobra.Command{Use: "compare", RunE: func(*cobra.Command, []string) error { return errors.New("compare: not written yet") }}
}
