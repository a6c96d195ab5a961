package tui

import (
	"fmt"
	"io"
	"slices"
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
	if p, ok := li.(programItem); ok {
		d.renderProgram(w, m, index, p)
		return
	}
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

// sectionFilter ranks the scenarios for a filter typed in the picker: an
// article section named exactly first, then sections that start with the
// term ("3.2" finds 3.2.1 and 3.2.2), then ids that start with it, ids
// that hold it, titles and summaries that hold it, and last the fuzzy
// matches of the list's own filter. targets are the items' FilterValues,
// in the order of all.
func sectionFilter(all []*scenarios.Scenario) list.FilterFunc {
	return func(term string, targets []string) []list.Rank {
		term = strings.ToLower(strings.TrimSpace(term))
		tier := func(sc *scenarios.Scenario) int {
			switch {
			case slices.Contains(sc.Sections, term):
				return 0
			case slices.ContainsFunc(sc.Sections, func(s string) bool { return strings.HasPrefix(s, term) }):
				return 1
			case strings.HasPrefix(sc.ID, term):
				return 2
			case strings.Contains(sc.ID, term):
				return 3
			case strings.Contains(strings.ToLower(sc.Title+" "+sc.Summary), term):
				return 4
			}
			return -1
		}
		var ranks []list.Rank
		tiers := map[int]int{}
		seen := map[int]bool{}
		for i := range targets {
			if i < len(all) {
				if t := tier(all[i]); t >= 0 {
					ranks = append(ranks, list.Rank{Index: i})
					tiers[i], seen[i] = t, true
				}
			}
		}
		slices.SortStableFunc(ranks, func(a, b list.Rank) int { return tiers[a.Index] - tiers[b.Index] })
		for _, r := range list.DefaultFilter(term, targets) {
			if !seen[r.Index] {
				ranks = append(ranks, r)
			}
		}
		return ranks
	}
}

// newPicker builds the scenario list.
func newPicker(all []*scenarios.Scenario, st *Styles) list.Model {
	items := make([]list.Item, len(all))
	for i, sc := range all {
		items[i] = scenarioItem{sc}
	}
	l := list.New(items, newPickerDelegate(st, items), minWidth, minHeight)
	l.Title = "gilsim · pick a scenario (/ filters, enter plays it)"
	l.Filter = sectionFilter(all)
	// list.New styles itself and its parts with lipgloss's default
	// renderer; every style it draws is replaced by one from st, whose
	// renderer is this terminal's. (Its spinner keeps the default style:
	// the list offers no way to change it, and the picker never spins.)
	l.Styles = st.List
	l.FilterInput.PromptStyle = st.List.FilterPrompt
	l.FilterInput.TextStyle = st.List.StatusBarActiveFilter
	l.FilterInput.PlaceholderStyle = st.List.StatusEmpty
	l.FilterInput.CompletionStyle = st.List.StatusEmpty
	l.FilterInput.Cursor.Style = st.List.FilterCursor
	l.FilterInput.Cursor.TextStyle = st.List.StatusBarActiveFilter
	l.Paginator.ActiveDot = st.List.ActivePaginationDot.String()
	l.Paginator.InactiveDot = st.List.InactivePaginationDot.String()
	l.Help.Styles = st.Help
	l.SetShowHelp(false)
	l.SetShowStatusBar(false)
	l.KeyMap.Quit.SetEnabled(false) // q is the app's Quit, so it is not eaten by the filter
	return l
}

// pickerHelp is the picker's footer: moving, filtering, opening, going
// back to the paused run, quitting; while the filter is typed, only what
// enter and esc do to it.
type pickerHelp struct {
	list      *list.KeyMap
	k         *KeyMap
	filtering bool
}

func (h pickerHelp) ShortHelp() []key.Binding {
	if h.filtering {
		return []key.Binding{h.list.AcceptWhileFiltering, h.list.CancelWhileFiltering}
	}
	return []key.Binding{h.list.CursorUp, h.list.CursorDown, h.list.Filter, h.list.ClearFilter, h.k.Open, h.k.Resume,
		h.k.Help, h.k.Quit}
}

func (h pickerHelp) FullHelp() [][]key.Binding {
	if h.filtering {
		return [][]key.Binding{h.ShortHelp()}
	}
	return [][]key.Binding{
		{h.list.CursorUp, h.list.CursorDown, h.list.NextPage, h.list.PrevPage, h.list.GoToStart, h.list.GoToEnd},
		{h.list.Filter, h.list.ClearFilter, h.k.Open, h.k.Resume},
		{h.k.Help, h.k.Quit},
	}
}

// previewWidth is the narrowest terminal that shows the preview beside
// the list rather than under it.
const previewWidth = 120

// previewView describes the scenario under the cursor in rows lines of
// width cells: what it shows, the article sections it plays with their
// settings, what to watch for, and its parameters.
func previewView(sc *scenarios.Scenario, st *Styles, width, rows int) []string {
	if rows <= 0 || sc == nil {
		return nil
	}
	lines := []string{clip(st.Title.Render(sc.ID)+st.Muted.Render(" · ")+st.Text.Render(sc.Title), width)}
	for _, sec := range sc.ArticleSections {
		line := st.Accent.Render("§"+sec.Number) + " " + st.Text.Render(sec.Title)
		if len(sec.Set) > 0 {
			line += st.Muted.Render(" (" + strings.Join(sec.Set, ", ") + ")")
		}
		lines = append(lines, clip(line, width))
	}
	lines = append(lines, st.Heading.Render("WHAT TO WATCH FOR"))
	for _, l := range wrap(sc.Notice, width, max(1, rows-len(lines)-2)) {
		lines = append(lines, st.Text.Render(l))
	}
	if len(sc.Params) > 0 && len(lines) < rows {
		var ps []string
		for _, p := range sc.Params {
			ps = append(ps, p.Name+"="+p.Default)
		}
		lines = append(lines, clip(st.Heading.Render("PARAMETERS ")+st.Muted.Render(strings.Join(ps, "  ")+
			"  (--set key=value; gilsim list --params)"), width))
	}
	return lines[:min(len(lines), rows)]
}
