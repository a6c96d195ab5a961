package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestPlayNeedsTerminal runs the commands that open the UI with output
// into a buffer: each must refuse in one line that points to gilsim run,
// with exit status 2 and nothing on stdout. Bad input is reported first.
func TestPlayNeedsTerminal(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{nil, []string{"gilsim draws a terminal UI", "not a terminal", "gilsim run"}},
		{[]string{"play", "cpu-bound"}, []string{"gilsim play draws a terminal UI", "gilsim run cpu-bound"}},
		{[]string{"play", "3.1.1", "--gil", "off"}, []string{"not a terminal", "gilsim run 3.1.1"}},
		{[]string{"play"}, []string{"gilsim draws a terminal UI", "not a terminal"}},
		{[]string{"play", "--cores", "8"}, []string{"gilsim draws a terminal UI", "not a terminal"}},
		{[]string{"--gil", "off", "--cores", "2"}, []string{"gilsim draws a terminal UI", "not a terminal"}},
		{[]string{"--cores", "0"}, []string{`--cores "0"`, "from 1 to 1024"}},
		{[]string{"play", "--set", "threads=2"}, []string{`--set "threads=2" needs a scenario`}},
		{[]string{"play", "cpu-bound", "--model", "py2", "--switch-interval", "1ms"}, []string{"--switch-interval applies to the py3 model only"}},
		{[]string{"play", "no-such"}, []string{"unknown scenario", "cpu-bound"}},
		{[]string{"play", "cpu-bound", "--switch-interval", "fast"}, []string{"--switch-interval", "accepted"}},
		{[]string{"play", "cpu-bound", "--set", "threads=0"}, []string{"threads", "from 1"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := gilsim(tt.args, strings.NewReader(""), &stdout, &stderr)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout: %q, want nothing", stdout.String())
			}
			msg := stderr.String()
			if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "gilsim: ") {
				t.Errorf("stderr %q, want one line starting gilsim:", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("stderr %q does not say %q", msg, w)
				}
			}
		})
	}
}
