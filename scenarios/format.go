package scenarios

import (
	"fmt"
	"time"
)

// thousands writes n with underscores between thousands, as Python allows.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var out []byte
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '_')
		}
		out = append(out, c)
	}
	return string(out)
}

// span formats a duration as a person would write it: "50ms", "25µs",
// "1.5s", "1m" (not time.Duration's "1m0s").
func span(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}
