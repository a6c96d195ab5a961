package calibrate

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"time"
)

// SelectorResolution is the resolution of asyncio's default selector on
// goos: epoll (Linux) and poll take a timeout in whole milliseconds, which
// selectors.py rounds up to; kqueue (macOS, the BSDs) takes nanoseconds.
func SelectorResolution(goos string) time.Duration {
	switch goos {
	case "darwin", "freebsd", "netbsd", "openbsd", "dragonfly":
		return 0
	}
	return time.Millisecond
}

// Machine describes where a calibration ran, as far as it can tell.
type Machine struct {
	Host   string `json:"host"`
	CPU    string `json:"cpu,omitempty"`
	CPUs   int    `json:"cpus"`
	OS     string `json:"os"`
	Kernel string `json:"kernel,omitempty"`
}

// ThisMachine describes the machine gilsim runs on, with cpus CPUs.
func ThisMachine(goos string, cpus int) Machine {
	m := Machine{OS: goos, CPUs: cpus}
	m.Host, _ = os.Hostname()
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// Describe is a profile's description for measurements ms taken on mc at
// at: the machine, the date and the interpreters, in one line.
func Describe(ms []Measurement, mc Machine, at time.Time) string {
	var pys []string
	for _, m := range ms {
		pys = append(pys, m.Python.Name())
	}
	where := fmt.Sprintf("%d CPUs", mc.CPUs)
	if mc.CPU != "" {
		where = mc.CPU + ", " + where
	}
	osName := mc.OS
	if mc.Kernel != "" {
		osName += " " + mc.Kernel
	}
	d := fmt.Sprintf("gilsim calibrate on %s (%s, %s), %s: CPython %s",
		mc.Host, where, osName, at.UTC().Format("2006-01-02"), strings.Join(pys, ", "))
	if r := []rune(d); len(r) > 300 {
		d = string(r[:299]) + "…"
	}
	return d
}

// Record is a calibration's measurements as a file keeps them: where and
// when, and every sample of every figure.
type Record struct {
	Date         string        `json:"date"`
	Machine      Machine       `json:"machine"`
	Load1        float64       `json:"load1"`
	Interpreters []Measurement `json:"interpreters"`
}

// MarshalRecord writes r as indented JSON.
func MarshalRecord(r Record) []byte {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		panic("calibrate: a record does not marshal: " + err.Error())
	}
	return append(b, '\n')
}

// ParseRecord reads a record MarshalRecord wrote.
func ParseRecord(data []byte) (Record, error) {
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("calibration record: %w", err)
	}
	if len(r.Interpreters) == 0 {
		return r, fmt.Errorf("calibration record: no interpreter measured")
	}
	return r, nil
}

// FormatRows prints rows as a table: each figure of each interpreter,
// measured beside simulated and how far apart, a * on the figures a knob
// was fitted to, and under the table which knob each of those fitted.
func FormatRows(rows []Row) string {
	var b strings.Builder
	var fits []string
	writeTable(&b, 23, [3]string{"python", "measured", ""}, rows, func(i int) string {
		r := rows[i]
		if r.Knob == "" {
			return ""
		}
		if fit := r.Knob + " from " + r.Key; !slices.Contains(fits, fit) {
			fits = append(fits, fit)
		}
		return " *"
	})
	if len(fits) > 0 {
		b.WriteString("\n* fitted, the median over the interpreters that measured it:\n")
		for _, f := range fits {
			b.WriteString("  " + f + "\n")
		}
	}
	return b.String()
}

// writeTable writes rows as a table: a header (the label column's name,
// the reference column's, and what follows the last), then each row's key,
// label, reference, simulated value and how far apart, grouped by label (a
// blank line between groups, the label on each group's first row only),
// each figure with its unit, and last(i) at the end of row i.
func writeTable(b *strings.Builder, keyWidth int, head [3]string, rows []Row, last func(i int) string) {
	fmt.Fprintf(b, "%-*s %-7s %10s %10s %6s%s\n", keyWidth, "figure", head[0], head[1], "simulated", "off", head[2])
	prev := ""
	for i, r := range rows {
		label := r.Label
		if label == prev {
			label = ""
		} else if prev != "" {
			b.WriteByte('\n')
		}
		prev = r.Label
		unit := ""
		if info, ok := figureInfo(r.Key); ok {
			unit = string(info.Unit)
		}
		fmt.Fprintf(b, "%-*s %-7s %10s %10s %6s%s\n", keyWidth, r.Key, label, FormatValue(r.Measured, unit),
			FormatValue(r.Simulated, unit), off(r.Measured, r.Simulated), last(i))
	}
}

// FormatValue writes a figure with three significant digits and its unit.
func FormatValue(v float64, unit string) string {
	s := sig3(v)
	switch unit {
	case "ratio":
		return s + "x"
	case "count":
		return fmt.Sprintf("%.0f", v)
	case "pct":
		return s + "%"
	case "per_s":
		return s + "/s"
	case "":
		return s
	}
	return s + unit
}

// sig3 writes v with three significant digits, no exponent.
func sig3(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprint(v)
	}
	digits := max(0, 2-int(math.Floor(math.Log10(math.Abs(v)))))
	return fmt.Sprintf("%.*f", digits, round3(v))
}

// off is how far simulated lies from measured, in percent of measured.
func off(measured, simulated float64) string {
	if measured == 0 {
		if simulated == 0 {
			return "0%"
		}
		return "–"
	}
	return fmt.Sprintf("%+.0f%%", 100*(simulated-measured)/measured)
}
