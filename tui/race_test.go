//go:build race

package tui

// raceEnabled says the tests run under the race detector, which makes the
// simulation many times slower: the longest tests play less.
const raceEnabled = true
