package python

import (
	"strconv"
	"strings"

	"github.com/gilsim/gilsim/scenarios/python/syntax"
)

// sourceWith returns the program's text with each constant in set
// written with its new value, so that the source shown is the program
// run. set holds values Const.parse accepted.
func (p *Program) sourceWith(set map[string]value) string {
	if len(set) == 0 {
		return p.Source
	}
	lines := strings.SplitAfter(p.Source, "\n")
	for _, c := range p.consts {
		v, ok := set[c.Name]
		if !ok || c.vline < 1 || c.vline > len(lines) {
			continue
		}
		line := lines[c.vline-1]
		from := c.col
		if from < 0 || from >= len(line) {
			continue
		}
		n := literalLen(line[from:])
		if n == 0 {
			continue
		}
		lit := writeLiteral(v, line[from:from+n])
		rest := line[from+n:]
		if pad := len(rest) - len(strings.TrimLeft(rest, " ")); pad > 0 && strings.HasPrefix(rest[pad:], "#") {
			// A comment after the literal keeps its column if it can.
			rest = strings.Repeat(" ", max(min(pad, 2), pad+n-len(lit))) + rest[pad:]
		}
		lines[c.vline-1] = line[:from] + lit + rest
	}
	return strings.Join(lines, "")
}

// literalLen is the length of the literal at the start of s: a number,
// True or False, or a string with its prefix and quotes.
func literalLen(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	start := i
	for i < len(s) && strings.IndexByte("rRbBuUfF", s[i]) >= 0 {
		i++
	}
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		q := s[i : i+1]
		if strings.HasPrefix(s[i:], strings.Repeat(q, 3)) {
			q = strings.Repeat(q, 3)
		}
		j := i + len(q)
		for j < len(s) {
			switch {
			case s[j] == '\\':
				j += 2
				continue
			case strings.HasPrefix(s[j:], q):
				return j + len(q)
			}
			j++
		}
		return 0
	}
	i = start
	for i < len(s) {
		ch := s[i]
		switch {
		case ch == '_' || ch == '.' || ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z':
		case (ch == '+' || ch == '-') && i > start && (s[i-1] == 'e' || s[i-1] == 'E'):
		default:
			return i
		}
		i++
	}
	return i
}

// writeLiteral writes v as Python source, in the style of old: digits
// grouped by underscores if old grouped them, a string in old's quotes.
func writeLiteral(v value, old string) string {
	switch v := v.(type) {
	case int64:
		s := strconv.FormatInt(v, 10)
		if strings.Contains(old, "_") {
			s = grouped(v)
		}
		return s
	case float64:
		return syntax.FloatRepr(v)
	case bool:
		if v {
			return "True"
		}
		return "False"
	case string:
		q := strings.TrimLeft(old, "rRbBuUfF")
		if q != "" && (q[0] == '"' || q[0] == '\'') && !strings.ContainsAny(v, "\\\n"+q[:1]) {
			return q[:1] + v + q[:1]
		}
		return syntax.StrRepr(v)
	}
	return old
}

// grouped writes n with underscores between thousands.
func grouped(n int64) string {
	if n < 0 {
		return "-" + grouped(-n)
	}
	s := strconv.FormatInt(n, 10)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '_')
		}
		out = append(out, s[i])
	}
	return string(out)
}
