package tui

import "github.com/charmbracelet/lipgloss"

// Theme is a set of colours for one kind of screen: the standard palette
// or the high-contrast one, for a dark or a light background. Which
// background the terminal has is for the caller to find out (it is I/O);
// the command line's --theme auto does, and picks ThemeDark or ThemeLight.
type Theme int

const (
	// ThemeDark is the standard palette on a dark background: every text
	// colour at least 4.5:1 against both #000000 and #1e1e1e.
	ThemeDark Theme = iota
	// ThemeLight is the standard palette on a light background: at least
	// 4.5:1 against both #ffffff and #f6f8fa.
	ThemeLight
	// ThemeHighContrastDark is for projectors and washed-out screens with
	// a dark background: at least 7:1 against #000000 and #1e1e1e.
	ThemeHighContrastDark
	// ThemeHighContrastLight is the same with a light background: at
	// least 7:1 against #ffffff and #f6f8fa.
	ThemeHighContrastLight
	numThemes
)

var themeNames = [numThemes]string{
	ThemeDark:              "dark",
	ThemeLight:             "light",
	ThemeHighContrastDark:  "high-contrast-dark",
	ThemeHighContrastLight: "high-contrast-light",
}

func (t Theme) String() string {
	if t < 0 || t >= numThemes {
		return "Theme(?)"
	}
	return themeNames[t]
}

// Themes lists every theme.
func Themes() []Theme {
	all := make([]Theme, numThemes)
	for t := range all {
		all[t] = Theme(t)
	}
	return all
}

// Dark reports whether t is made for a dark background.
func (t Theme) Dark() bool { return t == ThemeDark || t == ThemeHighContrastDark }

// Palette is t's palette; t takes its Dark or its Light shades.
func (t Theme) Palette() Palette {
	if t == ThemeHighContrastDark || t == ThemeHighContrastLight {
		return HighContrastPalette()
	}
	return DefaultPalette()
}

// MinContrast is the WCAG contrast ratio every text colour of t reaches
// against each of its backgrounds.
func (t Theme) MinContrast() float64 {
	if t == ThemeHighContrastDark || t == ThemeHighContrastLight {
		return 7
	}
	return 4.5
}

// Backgrounds are the terminal backgrounds t is made for: pure black or
// white, and the usual editor shade beside it.
func (t Theme) Backgrounds() []lipgloss.Color {
	if t.Dark() {
		return []lipgloss.Color{"#000000", "#1e1e1e"}
	}
	return []lipgloss.Color{"#ffffff", "#f6f8fa"}
}

// ThemeStyles builds theme t's styles with renderer r, which decides the
// colour profile; NO_COLOR gives plain text.
func ThemeStyles(r *lipgloss.Renderer, t Theme) Styles {
	return NewStyles(r, t.Palette(), t.Dark())
}

// The palettes. Every colour is chosen so that it keeps its contrast both
// as written (true colour) and as lipgloss downsamples it on a 256-colour
// terminal (termenv's conversion to the nearest of the 6x6x6 cube), so
// several sit on the cube's levels 00, 5f, 87, af, d7, ff. Running and
// waiting for the GIL differ in lightness as well as in hue (green against
// red is what deuteranopes confuse; their glyphs differ too), and running C
// code without the GIL (Native) is cyan beside Running's green.

// DefaultPalette returns the standard palette: warm colours for waiting
// on the GIL, cool ones for being blocked outside it, greys for what is
// not happening.
func DefaultPalette() Palette {
	c := func(light, dark string) lipgloss.AdaptiveColor {
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	return Palette{
		Running:     c("#116328", "#56d364"),
		Native:      c("#0a5f6e", "#56d5dd"),
		Starting:    c("#6e4c8c", "#d5b675"),
		NoCore:      c("#875f00", "#d29922"),
		WaitingGIL:  c("#d1242f", "#f85149"),
		WaitingLock: c("#6f41c1", "#bc8cff"),
		BlockedIO:   c("#0969da", "#58a6ff"),
		Sleeping:    c("#576069", "#9ea7b3"),
		Joining:     c("#576069", "#8b959e"),
		Queued:      c("#99286b", "#f778ba"),
		Done:        c("#656d76", "#858d96"),
		Blocking:    c("#b02a00", "#ff8c4b"),
		Future:      c("#656d76", "#858d96"),
		Holder:      c("#116328", "#7ee787"),
		Handoff:     c("#8a4600", "#ffa657"),
		DropRequest: c("#d1242f", "#ff7b73"),
		Holders: [numHolders]lipgloss.AdaptiveColor{
			c("#116328", "#56d364"), c("#0550ae", "#58a6ff"), c("#8a4600", "#ffa657"), c("#791fa2", "#bc8cff"),
			c("#0a5f6e", "#56d5dd"), c("#99286b", "#f778ba"), c("#5c5c00", "#e3d55b"), c("#a30e26", "#ff7b73"),
		},
		Accent:  c("#0550ae", "#79c0ff"),
		Muted:   c("#576069", "#a5aeb8"),
		Text:    c("#1f2328", "#e6edf3"),
		Error:   c("#a30e26", "#ffa198"),
		Lesson:  c("#7d4e00", "#e3b341"),
		Busy:    c("#875f00", "#d29922"),
		Result:  c("#0b3c91", "#a5d6ff"),
		Lock:    c("#6638ba", "#d2a8ff"),
		Bar:     c("#6f41c1", "#d2a8ff"),
		Speedup: c("#116328", "#7ee787"),
	}
}

// HighContrastPalette returns the palette for projectors: the standard
// palette's meanings in paler shades on dark backgrounds and darker ones
// on light backgrounds, every text colour at least 7:1.
func HighContrastPalette() Palette {
	c := func(light, dark string) lipgloss.AdaptiveColor {
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	return Palette{
		Running:     c("#0a5c1a", "#8ff598"),
		Native:      c("#0a4f5c", "#76e3ea"),
		Starting:    c("#492a69", "#e0c58f"),
		NoCore:      c("#5e2f00", "#f0b72f"),
		WaitingGIL:  c("#5c0010", "#ff8f87"),
		WaitingLock: c("#591ea0", "#d2a8ff"),
		BlockedIO:   c("#0022d8", "#79c0ff"),
		Sleeping:    c("#2f2f2f", "#b1bac5"),
		Joining:     c("#2f2f2f", "#b1bac5"),
		Queued:      c("#790057", "#ffa6d2"),
		Done:        c("#2f2f2f", "#a8b1bb"),
		Blocking:    c("#792e00", "#ffb77c"),
		Future:      c("#1d5c5c", "#a8b1bb"),
		Holder:      c("#0a5c1a", "#aff5b5"),
		Handoff:     c("#792e00", "#ffb77c"),
		DropRequest: c("#8f0015", "#ff9a91"),
		Holders: [numHolders]lipgloss.AdaptiveColor{
			c("#0a5c1a", "#8ff598"), c("#0022d8", "#79c0ff"), c("#8f0015", "#ffb77c"), c("#591ea0", "#d2a8ff"),
			c("#0a4f5c", "#76e3ea"), c("#790045", "#ffa6d2"), c("#000000", "#f2cc60"), c("#790a79", "#ff9a91"),
		},
		Accent:  c("#0b2a80", "#a5d6ff"),
		Muted:   c("#2f2f2f", "#c9d1d9"),
		Text:    c("#000000", "#ffffff"),
		Error:   c("#86061d", "#ffb1a8"),
		Lesson:  c("#492a69", "#f2cc60"),
		Busy:    c("#5e2f00", "#f0b72f"),
		Result:  c("#0b2a80", "#a5d6ff"),
		Lock:    c("#591ea0", "#e2c5ff"),
		Bar:     c("#591ea0", "#d2a8ff"),
		Speedup: c("#0a5c1a", "#aff5b5"),
	}
}
