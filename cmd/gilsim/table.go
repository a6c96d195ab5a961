package main

import (
	"strings"
	"unicode/utf8"
)

// table lays out rows of cells in aligned columns: text columns to the
// left, numbers to the right, two spaces between columns. text/tabwriter
// aligns every column the same way, which puts names or numbers on the
// wrong side.
type table struct {
	indent string
	right  []bool // per column: align right
	rows   [][]string
	// spans marks rows whose single cell is a group heading, written as is
	// and left out of the column widths.
	spans map[int]bool
}

func newTable(indent string, right ...bool) *table {
	return &table{indent: indent, right: right, spans: map[int]bool{}}
}

// row adds a row; missing cells are empty.
func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// heading adds a line that spans the table, such as a process name above
// its threads.
func (t *table) heading(text string) {
	t.spans[len(t.rows)] = true
	t.rows = append(t.rows, []string{text})
}

// dropEmpty removes the columns, other than the first, whose cells below
// the header row are all empty.
func (t *table) dropEmpty() {
	n := t.columns()
	keep := make([]bool, n)
	keep[0] = true
	for i, r := range t.rows {
		if i == 0 || t.spans[i] {
			continue
		}
		for c := 1; c < len(r); c++ {
			if r[c] != "" {
				keep[c] = true
			}
		}
	}
	for i, r := range t.rows {
		if t.spans[i] {
			continue
		}
		var out []string
		for c, cell := range r {
			if keep[c] {
				out = append(out, cell)
			}
		}
		t.rows[i] = out
	}
	var right []bool
	for c, k := range keep {
		if k && c < len(t.right) {
			right = append(right, t.right[c])
		}
	}
	t.right = right
}

func (t *table) columns() int {
	n := 1
	for i, r := range t.rows {
		if !t.spans[i] {
			n = max(n, len(r))
		}
	}
	return n
}

// String renders the table, one line per row, each ending in a newline.
func (t *table) String() string {
	n := t.columns()
	width := make([]int, n)
	for i, r := range t.rows {
		if t.spans[i] {
			continue
		}
		for c, cell := range r {
			width[c] = max(width[c], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	for i, r := range t.rows {
		b.WriteString(t.indent)
		if t.spans[i] {
			b.WriteString(r[0])
			b.WriteByte('\n')
			continue
		}
		var line strings.Builder
		for c := range n {
			cell := ""
			if c < len(r) {
				cell = r[c]
			}
			if c > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[c]-utf8.RuneCountInString(cell))
			if c < len(t.right) && t.right[c] {
				line.WriteString(pad + cell)
			} else {
				line.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}
