package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the play command is written.
func newPlayCmd(e *env) *cobra.Command {
	return &cobra.Command{Use: "play", RunE: func(*cobra.Command, []string) error { return errors.New("play: not written yet") }}
}

// Placeholder until the picker is written.
func openPicker(e *env) error { return errors.New("picker: not written yet") }
