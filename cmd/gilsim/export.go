package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the export command is written.
func newExportCmd(e *env) *cobra.Command {
	return &cobra.Command{Use: "export", RunE: func(*cobra.Command, []string) error { return errors.New("export: not written yet") }}
}
