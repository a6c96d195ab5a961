package tui

import (
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/gilsim/gilsim/sim"
)

// The profiles a theme must hold in: as written, and as lipgloss
// downsamples it for a 256-colour terminal. (On a 16-colour terminal the
// colours are the terminal's own, which no test can know.)
var testedProfiles = []termenv.Profile{termenv.TrueColor, termenv.ANSI256}

// uncoloured are the styles that only lay out (padding, underline) and so
// draw in the terminal's own foreground, which suits any background.
// Every other style must set a foreground colour.
var uncoloured = map[string]bool{
	"List.TitleBar": true, "List.PaginationStyle": true, "List.HelpStyle": true,
	"List.DefaultFilterCharacterMatch": true,
}

// TestThemeContrast renders every style of Styles, found by reflection so
// that a new field cannot escape, in every theme and in the true-colour
// and 256-colour profiles, reads the colours from the escape sequences
// drawn, and checks each foreground's contrast against the theme's
// backgrounds (or against the style's own background, if it sets one).
func TestThemeContrast(t *testing.T) {
	for _, th := range Themes() {
		for _, prof := range testedProfiles {
			st := ThemeStyles(profileRenderer(prof), th)
			worst, worstAt := math.Inf(1), ""
			eachStyle(t, st, func(path string, s lipgloss.Style) {
				cs := sgrColours(t, s.Render("x"))
				if len(cs) == 0 {
					if !uncoloured[path] {
						t.Errorf("%s, %s: %s sets no foreground colour", th, profileName(prof), path)
					}
					return
				}
				for _, c := range cs {
					bgs := th.Backgrounds()
					if c.bg != "" {
						bgs = []lipgloss.Color{lipgloss.Color(c.bg)}
					}
					if c.fg == "" {
						t.Errorf("%s, %s: %s sets a background but no foreground", th, profileName(prof), path)
						continue
					}
					for _, bg := range bgs {
						r := contrast(c.fg, string(bg))
						if r < worst {
							worst, worstAt = r, fmt.Sprintf("%s %s on %s", path, c.fg, bg)
						}
						if r < th.MinContrast() {
							t.Errorf("%s, %s: %s draws %s, %.2f:1 on %s; want at least %.1f:1",
								th, profileName(prof), path, c.fg, r, bg, th.MinContrast())
						}
					}
				}
			})
			t.Logf("%-19s %-9s worst %.2f:1 (%s)", th, profileName(prof), worst, worstAt)
		}
	}
}

// TestStylesCoverStates checks that every thread and task state and every
// GIL holder colour has a style, and that there are eight holder colours.
func TestStylesCoverStates(t *testing.T) {
	st := ThemeStyles(profileRenderer(termenv.TrueColor), ThemeDark)
	if len(st.Holders) != 8 {
		t.Errorf("%d holder colours, want 8", len(st.Holders))
	}
	for s := range sim.NumStates {
		if _, ok := st.State[s].GetForeground().(lipgloss.Color); !ok {
			t.Errorf("thread state %s has no colour", sim.State(s))
		}
	}
	for s := range numTaskStates {
		if _, ok := st.Task[s].GetForeground().(lipgloss.Color); !ok {
			t.Errorf("task state %d has no colour", s)
		}
	}
}

// TestThemeColoursTellApart checks what the colours must tell apart, as
// drawn in each theme and profile: the eight GIL holders differ clearly
// (CIE76 colour difference), running and waiting for the GIL differ in
// lightness (green against red is what deuteranopes confuse), running C
// code without the GIL differs in hue from running Python, and the future
// of a whole-run timeline is dimmer than the text and the running past.
func TestThemeColoursTellApart(t *testing.T) {
	const (
		minHolderDelta   = 20  // CIE76 ΔE between any two holder colours
		minRunWaitRatio  = 1.3 // luminance contrast between Running and WaitingGIL
		minNativeHueDiff = 30  // degrees of CIELAB hue between Native and Running
	)
	for _, th := range Themes() {
		for _, prof := range testedProfiles {
			name := th.String() + ", " + profileName(prof)
			st := ThemeStyles(profileRenderer(prof), th)
			fg := func(s lipgloss.Style) string { return foreground(t, s) }

			minDelta, pair := math.Inf(1), ""
			for i, a := range st.Holders {
				for _, b := range st.Holders[i+1:] {
					if d := deltaE(fg(a), fg(b)); d < minDelta {
						minDelta, pair = d, fg(a)+" and "+fg(b)
					}
				}
			}
			if minDelta < minHolderDelta {
				t.Errorf("%s: holder colours %s differ by ΔE %.1f, want at least %d", name, pair, minDelta, minHolderDelta)
			}

			run, wait := fg(st.State[sim.StateRunning]), fg(st.State[sim.StateWaitGIL])
			if r := contrast(run, wait); r < minRunWaitRatio {
				t.Errorf("%s: running %s and waiting for the GIL %s differ in lightness by %.2f:1, want %.1f:1",
					name, run, wait, r, minRunWaitRatio)
			}

			native := fg(st.Native)
			if d := hueDiff(native, run); d < minNativeHueDiff {
				t.Errorf("%s: C code without the GIL %s is %.0f° of hue from running %s, want %d°",
					name, native, d, run, minNativeHueDiff)
			}

			bg := string(th.Backgrounds()[1])
			future := contrast(fg(st.Future), bg)
			for _, past := range []struct {
				what string
				s    lipgloss.Style
			}{{"text", st.Text}, {"running", st.State[sim.StateRunning]}, {"the holder", st.Holder}} {
				if c := contrast(fg(past.s), bg); future >= c {
					t.Errorf("%s: the future %s is %.2f:1 on %s, not dimmer than %s %s at %.2f:1",
						name, fg(st.Future), future, bg, past.what, fg(past.s), c)
				}
			}
		}
	}
}

// TestPaletteRendersAsWritten checks that every colour of both palettes
// reaches a true-colour terminal as written: termenv truncates some
// channel values on the way (0x29 is drawn as 40), and a colour drawn
// otherwise than written cannot be looked for on the screen.
func TestPaletteRendersAsWritten(t *testing.T) {
	for _, p := range []Palette{DefaultPalette(), HighContrastPalette()} {
		eachColour(reflect.ValueOf(p), "", func(path, hex string) {
			var r, g, b int
			fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b)
			want := fmt.Sprintf("38;2;%d;%d;%d", r, g, b)
			if got := termenv.TrueColor.Color(hex).Sequence(false); got != want {
				t.Errorf("%s %s is drawn as %s", path, hex, got)
			}
		})
	}
}

// eachColour calls f with both shades of every colour in a palette.
func eachColour(v reflect.Value, path string, f func(path, hex string)) {
	switch c := v.Interface().(type) {
	case lipgloss.AdaptiveColor:
		f(path+" (light)", c.Light)
		f(path+" (dark)", c.Dark)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			eachColour(v.Field(i), strings.TrimPrefix(path+"."+v.Type().Field(i).Name, "."), f)
		}
	case reflect.Array:
		for i := range v.Len() {
			eachColour(v.Index(i), fmt.Sprintf("%s[%d]", path, i), f)
		}
	default:
		panic("palette field " + path + " of type " + v.Type().String())
	}
}

// TestThemeNames checks that every theme has a name of its own.
func TestThemeNames(t *testing.T) {
	seen := map[string]bool{}
	for _, th := range Themes() {
		n := th.String()
		if n == "" || strings.Contains(n, "?") || seen[n] {
			t.Errorf("theme %d is named %q", int(th), n)
		}
		seen[n] = true
	}
}

// TestPickerUsesItsRenderer draws the picker in the states that show each
// list style (pages, a filter being typed, an applied filter, no match)
// with styles from a renderer of one profile while lipgloss's default
// renderer has another: the output must follow the picker's renderer, so
// nothing reads the default one.
func TestPickerUsesItsRenderer(t *testing.T) {
	old := lipgloss.DefaultRenderer()
	t.Cleanup(func() { lipgloss.SetDefaultRenderer(old) })
	for _, tt := range []struct {
		def, own termenv.Profile
	}{
		{termenv.Ascii, termenv.TrueColor},
		{termenv.TrueColor, termenv.Ascii},
	} {
		lipgloss.SetDefaultRenderer(profileRenderer(tt.def))
		views := pickerViews(t, ThemeStyles(profileRenderer(tt.own), ThemeLight))
		for state, view := range views {
			if tt.own == termenv.Ascii {
				if strings.Contains(view, "\x1b[") {
					t.Errorf("own renderer plain, default true-colour, %s: escape sequences drawn:\n%q", state, view)
				}
				continue
			}
			for _, s := range pickerParts[state] {
				if !colouredBefore(view, s) {
					t.Errorf("own renderer true-colour, default plain, %s: %q is not drawn in colour:\n%q", state, s, view)
				}
			}
		}
	}
}

// pickerParts is text each picker state draws with a list style.
var pickerParts = map[string][]string{
	"pages":     {"gilsim · pick", "•"},
	"filtering": {"Filter:", "Nothing matched"},
	"filtered":  {"items", "filtered", "No items."},
}

// pickerViews draws the picker 80 columns wide and short enough to have
// pages, then with a filter applied that matches nothing, then typing a
// filter that matches nothing.
func pickerViews(t *testing.T, st Styles) map[string]string {
	t.Helper()
	m := New(allScenarios(t), sim.DefaultConfig(), st)
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 12})
	views := map[string]string{"pages": m.picker.View()}
	m.picker.SetFilterText("zzzz")
	m.refresh() // the status bar shows while a filter is on
	views["filtered"] = m.picker.View()
	m.picker.SetFilterState(list.Filtering)
	m.refresh()
	views["filtering"] = m.picker.View()
	return views
}

// TestThemeNoColor builds every theme from a true-colour terminal's
// renderer with NO_COLOR set: the picker and the player draw no escape
// sequence at all.
func TestThemeNoColor(t *testing.T) {
	e := env{"TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"}
	for _, th := range Themes() {
		r := lipgloss.NewRenderer(io.Discard, termenv.WithEnvironment(e), termenv.WithTTY(true))
		st := ThemeStyles(r, th)
		views := pickerViews(t, st)
		views["player"] = pressN(t, styledPlayer(t, st, "cpu-bound", 80, 24), "right", 27).View()
		for state, view := range views {
			if strings.Contains(view, "\x1b[") {
				t.Errorf("%s, NO_COLOR, %s: escape sequences drawn", th, state)
			}
		}
	}
}

// eachStyle calls f with every lipgloss.Style in st and its path, walking
// structs, arrays and slices. A field of any other type fails the test,
// so that the contrast test learns of it.
func eachStyle(t *testing.T, st Styles, f func(path string, s lipgloss.Style)) {
	t.Helper()
	styleType := reflect.TypeFor[lipgloss.Style]()
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch {
		case v.Type() == styleType:
			f(path, v.Interface().(lipgloss.Style))
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				field := v.Type().Field(i)
				if !field.IsExported() {
					t.Errorf("%s.%s: an unexported field the contrast test cannot read", path, field.Name)
					continue
				}
				walk(v.Field(i), strings.TrimPrefix(path+"."+field.Name, "."))
			}
		case v.Kind() == reflect.Array || v.Kind() == reflect.Slice:
			for i := range v.Len() {
				name := strconv.Itoa(i)
				switch path {
				case "State":
					name = sim.State(i).String()
				case "Task":
					name = taskState(i).String()
				}
				walk(v.Index(i), path+"["+name+"]")
			}
		default:
			t.Errorf("%s: a %s, which the contrast test does not know", path, v.Type())
		}
	}
	walk(reflect.ValueOf(st), "")
}

// drawn is one colour setting read from an escape sequence: foreground
// and background as #rrggbb, empty when not set.
type drawn struct{ fg, bg string }

// sgrColours reads the colours that the SGR sequences in s set. A colour
// from the 16 the terminal defines for itself fails the test: its value
// is unknown.
func sgrColours(t *testing.T, s string) []drawn {
	t.Helper()
	var out []drawn
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return out
		}
		s = s[i+2:]
		end := strings.IndexByte(s, 'm')
		if end < 0 {
			t.Fatalf("unterminated escape sequence in %q", s)
		}
		var d drawn
		params := strings.Split(s[:end], ";")
		s = s[end+1:]
		for j := 0; j < len(params); j++ {
			n, _ := strconv.Atoi(params[j])
			switch {
			case n == 38 || n == 48:
				var hex string
				hex, j = extendedColour(t, params, j)
				if n == 38 {
					d.fg = hex
				} else {
					d.bg = hex
				}
			case n >= 30 && n <= 37, n >= 90 && n <= 97, n >= 40 && n <= 47, n >= 100 && n <= 107:
				t.Errorf("colour %d is one of the terminal's 16, of unknown value", n)
			}
		}
		if d != (drawn{}) {
			out = append(out, d)
		}
	}
}

// extendedColour reads the colour of a 38 or 48 at params[j] and returns
// it and the index of its last parameter.
func extendedColour(t *testing.T, params []string, j int) (string, int) {
	t.Helper()
	num := func(k int) int {
		if k >= len(params) {
			t.Fatalf("short colour in %q", params)
		}
		n, err := strconv.Atoi(params[k])
		if err != nil {
			t.Fatalf("colour parameter %q", params[k])
		}
		return n
	}
	switch num(j + 1) {
	case 2:
		return fmt.Sprintf("#%02x%02x%02x", num(j+2), num(j+3), num(j+4)), j + 4
	case 5:
		n := num(j + 2)
		if n < 16 {
			t.Errorf("256-colour index %d is one of the terminal's 16, of unknown value", n)
		}
		return termenv.ConvertToRGB(termenv.ANSI256Color(n)).Hex(), j + 2
	}
	t.Fatalf("colour %q", params)
	return "", j
}

// foreground is the one foreground colour style s draws.
func foreground(t *testing.T, s lipgloss.Style) string {
	t.Helper()
	cs := sgrColours(t, s.Render("x"))
	if len(cs) != 1 || cs[0].fg == "" {
		t.Fatalf("style draws %v, want one foreground", cs)
	}
	return cs[0].fg
}

// colouredBefore reports whether the line of view that shows s sets a
// true-colour foreground before it.
func colouredBefore(view, s string) bool {
	for line := range strings.SplitSeq(view, "\n") {
		if i := strings.Index(line, s); i >= 0 {
			return strings.Contains(line[:i], "38;2;")
		}
	}
	return false
}

// profileRenderer is a renderer with colour profile p, its background
// pinned so that nothing asks a terminal.
func profileRenderer(p termenv.Profile) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	r.SetHasDarkBackground(true)
	return r
}

func profileName(p termenv.Profile) string {
	return map[termenv.Profile]string{termenv.TrueColor: "truecolor", termenv.ANSI256: "256colour",
		termenv.ANSI: "16colour", termenv.Ascii: "ascii"}[p]
}

// rgb is a #rrggbb colour's channels, from 0 to 1.
func rgb(hex string) (r, g, b float64) {
	var ri, gi, bi int
	if _, err := fmt.Sscanf(hex, "#%02x%02x%02x", &ri, &gi, &bi); err != nil {
		panic("colour " + hex)
	}
	return float64(ri) / 255, float64(gi) / 255, float64(bi) / 255
}

// linear is an sRGB channel without its gamma.
func linear(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// luminance is WCAG's relative luminance of a #rrggbb colour.
func luminance(hex string) float64 {
	r, g, b := rgb(hex)
	return 0.2126*linear(r) + 0.7152*linear(g) + 0.0722*linear(b)
}

// contrast is WCAG's contrast ratio between two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// lab is a #rrggbb colour in CIELAB (D65).
func lab(hex string) (l, a, b float64) {
	r, g, bl := rgb(hex)
	r, g, bl = linear(r), linear(g), linear(bl)
	x := (0.4124*r + 0.3576*g + 0.1805*bl) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*bl
	z := (0.0193*r + 0.1192*g + 0.9505*bl) / 1.08883
	f := func(t float64) float64 {
		const d = 6.0 / 29
		if t > d*d*d {
			return math.Cbrt(t)
		}
		return t/(3*d*d) + 4.0/29
	}
	return 116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))
}

// deltaE is the CIE76 difference between two colours.
func deltaE(c1, c2 string) float64 {
	l1, a1, b1 := lab(c1)
	l2, a2, b2 := lab(c2)
	return math.Sqrt((l1-l2)*(l1-l2) + (a1-a2)*(a1-a2) + (b1-b2)*(b1-b2))
}

// hueDiff is the angle between two colours' CIELAB hues, in degrees.
func hueDiff(c1, c2 string) float64 {
	_, a1, b1 := lab(c1)
	_, a2, b2 := lab(c2)
	d := math.Abs(math.Atan2(b1, a1)-math.Atan2(b2, a2)) * 180 / math.Pi
	return math.Min(d, 360-d)
}
