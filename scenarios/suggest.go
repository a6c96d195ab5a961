package scenarios

import "strings"

// Nearest is the option a mistyped word most likely meant: the one within
// a few edits of it (case aside), or the one it is the start of, or "" when
// nothing is close. It backs the "did you mean" of every name gilsim
// reads: scenarios, sections, parameters and commands.
func Nearest(word string, options []string) string {
	w := strings.ToLower(strings.TrimSpace(word))
	if w == "" {
		return ""
	}
	best, bestD := "", max(2, len([]rune(w))/3)+1
	for _, o := range options {
		d := editDistance(w, strings.ToLower(o))
		if strings.HasPrefix(strings.ToLower(o), w) && len(w) >= 3 {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = o, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// didYouMean is the hint for a word that names nothing: " (did you mean
// X?)" placed before the list of what is accepted, or "".
func didYouMean(word string, options []string) string {
	if n := Nearest(word, options); n != "" {
		return "did you mean " + n + "? "
	}
	return ""
}
