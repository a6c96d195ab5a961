package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the list command is written.
func newListCmd(e *env) *cobra.Command {
	return &cobra.Command{Use: "list", RunE: func(*cobra.Command, []string) error { return errors.New("list: not written yet") }}
}
