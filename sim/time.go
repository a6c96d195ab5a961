package sim

import (
	"strconv"
	"time"
)

// Time is an instant on the virtual clock: nanoseconds since the run began.
// It never reads the wall clock; it only moves when Step processes an event.
type Time int64

// Duration returns t as a time.Duration measured from the start of the run.
func (t Time) Duration() time.Duration { return time.Duration(t) }

// Seconds returns t in seconds.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// String formats t with a unit that keeps three or four significant digits:
// "0s", "850ns", "12.5µs", "5.000ms", "1.250s".
func (t Time) String() string { return FormatDuration(time.Duration(t)) }

// FormatDuration formats d the way gilsim prints every duration: the largest
// unit that keeps the value at or above one, with three decimals for ms and s
// and one for µs. It is shorter than time.Duration's own String.
func FormatDuration(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	var s string
	switch {
	case d == 0:
		s = "0s"
	case d < time.Microsecond:
		s = strconv.FormatInt(int64(d), 10) + "ns"
	case d < time.Millisecond:
		s = strconv.FormatFloat(float64(d)/1e3, 'f', 1, 64) + "µs"
	case d < time.Second:
		s = strconv.FormatFloat(float64(d)/1e6, 'f', 3, 64) + "ms"
	default:
		s = strconv.FormatFloat(float64(d)/1e9, 'f', 3, 64) + "s"
	}
	if neg {
		return "-" + s
	}
	return s
}
