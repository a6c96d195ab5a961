package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// ink is a style reduced to the escape sequences around its text, for the
// hot paths of a frame (timeline cells, lane labels): lipgloss's Render
// handles borders, padding, widths and lines on every call, and there it
// costs more than the rest of the frame. Only a style that sets nothing
// but colours and text attributes, painting one line, can be an ink.
type ink struct{ pre, post string }

// inkOf reduces s to its escape sequences, by rendering one letter.
func inkOf(s lipgloss.Style) ink {
	out := s.Render("x")
	i := strings.IndexByte(out, 'x')
	if i < 0 {
		return ink{}
	}
	return ink{pre: out[:i], post: out[i+1:]}
}

// paint is what s.Render(text) gives for one line of text.
func (k ink) paint(text string) string {
	if k.pre == "" && k.post == "" {
		return text
	}
	return k.pre + text + k.post
}

// inks reduces a list of styles.
func inks(styles []lipgloss.Style) []ink {
	out := make([]ink, len(styles))
	for i, s := range styles {
		out[i] = inkOf(s)
	}
	return out
}

// fitPainted is fit for plain text painted with k: the text is cut and
// padded to width cells, then painted, so that nothing measures escape
// sequences.
func fitPainted(k ink, text string, width int) string {
	if width <= 0 {
		return ""
	}
	w := lipgloss.Width(text)
	if w > width {
		text = ansi.Truncate(text, width, "…")
		w = lipgloss.Width(text)
	}
	return k.paint(text) + strings.Repeat(" ", width-w)
}
