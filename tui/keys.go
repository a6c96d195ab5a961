package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds every key the interface answers to, with its help text. The
// footer and the full help are generated from it, and the player disables
// the bindings that do not apply at the moment, so the help never offers a
// key that would do nothing.
type KeyMap struct {
	// Play starts and pauses playback (and replays a finished run).
	Play key.Binding
	// Step processes one event; Back returns to the event before.
	Step, Back key.Binding
	// ToggleGIL switches between a GIL model and free-threaded; NextModel
	// cycles py3, py2, free-threaded.
	ToggleGIL, NextModel key.Binding
	// IntervalDown and IntervalUp change the py3 switch interval.
	IntervalDown, IntervalUp key.Binding
	// Faster and Slower change how much virtual time a second of play covers.
	Faster, Slower key.Binding
	// ZoomIn and ZoomOut change how much virtual time a timeline column
	// spans; Whole fits the whole run on one screen.
	ZoomIn, ZoomOut, Whole key.Binding
	// Restart goes back to the start of the run.
	Restart key.Binding
	// NextLesson and PrevLesson go to the next and the previous lesson
	// point; Lessons turns lesson mode (pausing at each) off and on.
	NextLesson, PrevLesson, Lessons key.Binding
	// Compare shows GIL on and GIL off side by side.
	Compare key.Binding
	// Help shows or hides the full help.
	Help key.Binding
	// Picker goes back to the scenario picker; Open plays the picked one;
	// Resume goes back from the picker to the paused run.
	Picker, Open, Resume key.Binding
	// Quit leaves gilsim.
	Quit key.Binding
}

// DefaultKeyMap returns the keys of product.md.
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Play:         b("space", "play", " "),
		Step:         b("→", "step", "right", "l"),
		Back:         b("←", "back", "left", "h"),
		ToggleGIL:    b("g", "GIL off", "g"),
		NextModel:    b("m", "model py2", "m"),
		IntervalDown: b("[", "interval 2ms", "["),
		IntervalUp:   b("]", "interval 10ms", "]"),
		Faster:       b("+", "faster", "+", "="),
		Slower:       b("-", "slower", "-", "_"),
		ZoomIn:       b(">", "zoom in", ">", "."),
		ZoomOut:      b("<", "zoom out", "<", ","),
		Whole:        b("w", "whole run", "w"),
		Restart:      b("r", "restart", "r"),
		NextLesson:   b("n", "next lesson", "n"),
		PrevLesson:   b("N", "previous lesson", "N"),
		Lessons:      b("L", "lessons off", "L"),
		Compare:      b("c", "compare", "c"),
		Help:         b("?", "more keys", "?"),
		Picker:       b("esc", "scenarios", "esc"),
		Open:         b("enter", "play it", "enter"),
		Resume:       b("esc", "back to the run", "esc"),
		Quit:         b("q", "quit", "q", "ctrl+c"),
	}
}

// playerHelp is the key map as the player's footer shows it.
type playerHelp struct{ k *KeyMap }

func (h playerHelp) ShortHelp() []key.Binding {
	k := h.k
	return []key.Binding{k.Play, k.Step, k.Back, k.NextLesson, k.ToggleGIL, k.Compare, k.Help, k.Quit}
}

func (h playerHelp) FullHelp() [][]key.Binding {
	k := h.k
	return [][]key.Binding{
		{k.Play, k.Step, k.Back, k.Restart, k.NextLesson, k.PrevLesson, k.Lessons},
		{k.ToggleGIL, k.NextModel, k.IntervalDown, k.IntervalUp},
		{k.Faster, k.Slower, k.ZoomIn, k.ZoomOut, k.Whole, k.Compare},
		{k.Help, k.Picker, k.Quit},
	}
}
