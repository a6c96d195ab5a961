package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/gilsim/gilsim/sim"
)

// short formats a duration the way gilsim does, without trailing zeros:
// "5ms", "5.1ms", "12.5µs".
func short(t sim.Time) string { return shortDuration(time.Duration(t)) }

// brief formats a duration to three significant digits, for sentences:
// "10.3ms", "181ms", "5.1ms".
func brief(t sim.Time) string {
	d := time.Duration(t)
	if d < 0 {
		return "-" + brief(-t)
	}
	unit, div := "ns", 1.0
	switch {
	case d >= time.Second:
		unit, div = "s", 1e9
	case d >= time.Millisecond:
		unit, div = "ms", 1e6
	case d >= time.Microsecond:
		unit, div = "µs", 1e3
	}
	v := float64(d) / div
	prec := 2
	switch {
	case v >= 100:
		prec = 0
	case v >= 10:
		prec = 1
	}
	n := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(n, ".") {
		n = strings.TrimRight(strings.TrimRight(n, "0"), ".")
	}
	return n + unit
}

func shortDuration(d time.Duration) string {
	s := sim.FormatDuration(d)
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return s
	}
	j := i + 1
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	frac := strings.TrimRight(s[i+1:j], "0")
	if frac == "" {
		return s[:i] + s[j:]
	}
	return s[:i+1] + frac + s[j:]
}

func itoa(n int) string { return strconv.Itoa(n) }

// thousands writes n with commas between thousands: 1,234,567.
func thousands(n int64) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// fit truncates s, which may hold styles, to width cells with an ellipsis
// and pads it with spaces to exactly width.
func fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := lipgloss.Width(s)
	if w > width {
		s = ansi.Truncate(s, width, "…")
		w = lipgloss.Width(s)
	}
	return s + strings.Repeat(" ", width-w)
}

// clip truncates s to width cells with an ellipsis, without padding.
func clip(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if lipgloss.Width(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// spread puts left and right on one line of width cells, right-aligned,
// clipping left when both do not fit.
func spread(left, right string, width int) string {
	rw := lipgloss.Width(right)
	if rw >= width {
		return clip(right, width)
	}
	return fit(left, width-rw-1) + " " + right
}

// wrap breaks plain text into at most n lines of width cells, at spaces;
// the last line is clipped.
func wrap(text string, width, n int) []string {
	var lines []string
	words := strings.Fields(text)
	var cur strings.Builder
	for i, w := range words {
		if cur.Len() > 0 && lipgloss.Width(cur.String())+1+lipgloss.Width(w) > width {
			if len(lines) == n-1 {
				cur.WriteString(" " + strings.Join(words[i:], " "))
				break
			}
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		lines = append(lines, clip(cur.String(), width))
	}
	return lines
}

// shortName is a thread's label where space is tight: T plus its number.
func shortName(id int32) string { return "T" + strconv.Itoa(int(id)) }
