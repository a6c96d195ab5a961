package tui

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/gilsim/gilsim/scenarios"
)

// scenarioItem is one scenario in the picker.
type scenarioItem struct{ sc *scenarios.Scenario }

func (i scenarioItem) FilterValue() string {
	return i.sc.ID + " " + strings.Join(i.sc.Sections, " ") + " " + i.sc.Summary
}

// sections is the article sections of a scenario, or "—" for a concept.
func (i scenarioItem) sections() string {
	if len(i.sc.Sections) == 0 {
		return "—"
	}
	return strings.Join(i.sc.Sections, ", ")
}

// pickerDelegate draws a scenario on one line: id, sections, summary.
type pickerDelegate struct {
	st       *Styles
	idWidth  int
	secWidth int
}

func (d pickerDelegate) Height() int                         { return 1 }
func (d pickerDelegate) Spacing() int                        { return 0 }
func (d pickerDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

func (d pickerDelegate) Render(w io.Writer, m list.Model, index int, li list.Item) {
	it, ok := li.(scenarioItem)
	if !ok {
		return
	}
	cursor, id := "  ", d.st.Text.Render(it.sc.ID)
	if index == m.Index() {
		cursor, id = d.st.Selected.Render("▸ "), d.st.Selected.Render(it.sc.ID)
	}
	line := cursor + fit(id, d.idWidth) + " " + fit(d.st.Accent.Render(it.sections()), d.secWidth) + " " +
		d.st.Muted.Render(it.sc.Summary)
	fmt.Fprint(w, clip(line, m.Width()))
}

// newPicker builds the scenario list.
func newPicker(all []*scenarios.Scenario, st *Styles) list.Model {
	items := make([]list.Item, len(all))
	d := pickerDelegate{st: st}
	for i, sc := range all {
		it := scenarioItem{sc}
		items[i] = it
		d.idWidth = max(d.idWidth, len(sc.ID))
		d.secWidth = max(d.secWidth, len(it.sections()))
	}
	l := list.New(items, d, minWidth, minHeight)
	l.Title = "gilsim · pick a scenario (/ filters, enter plays it)"
	l.Styles.Title = st.Title
	l.SetShowHelp(false)
	l.KeyMap.Quit.SetEnabled(false) // q is the app's Quit, so it is not eaten by the filter
	return l
}

// pickerHelp is the picker's footer: moving, filtering, opening, quitting.
type pickerHelp struct {
	list *list.KeyMap
	k    *KeyMap
}

func (h pickerHelp) ShortHelp() []key.Binding {
	return []key.Binding{h.list.CursorUp, h.list.CursorDown, h.list.Filter, h.list.ClearFilter, h.k.Open, h.k.Quit}
}

func (h pickerHelp) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }
