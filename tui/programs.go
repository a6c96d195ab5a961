package tui

import (
	"fmt"
	"io"

	"github.com/charmbracelet/bubbles/list"

	"github.com/gilsim/gilsim/scenarios"
)

// Program is a Python file the picker offers after the built-in
// scenarios: its scenario, or the one line that says why it cannot be
// simulated.
type Program struct {
	Name     string
	Scenario *scenarios.Scenario
	Err      error
}

// programItem is a Python file in the picker.
type programItem struct{ p Program }

func (i programItem) FilterValue() string { return i.p.Name + " python program" }

// WithPrograms returns m with progs listed after the built-in scenarios,
// for the picker to open like them.
func (m Model) WithPrograms(progs []Program) Model {
	items := m.picker.Items()
	for _, p := range progs {
		items = append(items, programItem{p})
	}
	m.picker.SetItems(items)
	m.picker.SetDelegate(newPickerDelegate(m.styles, items))
	m.refresh()
	return m
}

// newPickerDelegate sizes the picker's columns to items.
func newPickerDelegate(st *Styles, items []list.Item) pickerDelegate {
	d := pickerDelegate{st: st}
	for _, li := range items {
		switch it := li.(type) {
		case scenarioItem:
			d.idWidth = max(d.idWidth, len(it.sc.ID))
			d.secWidth = max(d.secWidth, len(it.sections()))
		case programItem:
			d.idWidth = max(d.idWidth, len(it.p.Name))
		}
	}
	return d
}

// renderProgram draws a Python file on one line: its name, and what it
// is or why it cannot be opened.
func (d pickerDelegate) renderProgram(w io.Writer, m list.Model, index int, it programItem) {
	cursor, name := "  ", d.st.Text.Render(it.p.Name)
	if index == m.Index() {
		cursor, name = d.st.Selected.Render("▸ "), d.st.Selected.Render(it.p.Name)
	}
	what := d.st.Muted.Render("your program")
	mark := d.st.Accent.Render("py")
	if it.p.Err != nil {
		what, mark = d.st.Error.Render(it.p.Err.Error()), d.st.Error.Render("✗")
	}
	fmt.Fprint(w, clip(cursor+fit(name, d.idWidth)+" "+fit(mark, d.secWidth)+" "+what, m.Width()))
}

// programPreview is the preview of a Python file that cannot be
// simulated: why, in full.
func programPreview(p Program, st *Styles, width, rows int) []string {
	if rows <= 0 {
		return nil
	}
	lines := []string{clip(st.Title.Render(p.Name)+st.Muted.Render(" · cannot be simulated"), width)}
	for _, l := range wrap(p.Err.Error(), width, max(1, rows-1)) {
		lines = append(lines, st.Error.Render(l))
	}
	return lines[:min(len(lines), rows)]
}
