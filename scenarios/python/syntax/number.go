package syntax

import (
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxIntDigits is CPython's default limit on the digits of a decimal int
// literal (sys.get_int_max_str_digits()).
const maxIntDigits = 4300

// number lexes an int, float or imaginary literal, by the rules of
// CPython's tokenizer, including "_" between digits.
func (l *lexer) number() {
	start, pos := l.off, l.pos()
	if l.at(0) == '0' {
		switch l.at(1) | 0x20 {
		case 'x':
			l.prefixedInt(start, pos, 16, "hexadecimal")
			return
		case 'o':
			l.prefixedInt(start, pos, 8, "octal")
			return
		case 'b':
			l.prefixedInt(start, pos, 2, "binary")
			return
		}
	}
	if l.at(0) != '.' {
		leadingZero := l.at(0) == '0'
		if !l.decimalDigits() {
			return
		}
		c := l.at(0)
		if leadingZero && c != '.' && c|0x20 != 'e' && c|0x20 != 'j' && strings.Trim(string(l.src[start:l.off]), "0_") != "" {
			l.fail(pos, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")
			return
		}
	}
	if l.at(0) == '.' {
		l.advance()
		if isDigit(l.at(0)) && !l.decimalDigits() {
			return
		}
	}
	if l.at(0)|0x20 == 'e' {
		l.advance()
		if l.at(0) == '+' || l.at(0) == '-' {
			l.advance()
		}
		if !isDigit(l.at(0)) {
			l.fail(pos, "invalid decimal literal")
			return
		}
		if !l.decimalDigits() {
			return
		}
	}
	if l.at(0)|0x20 == 'j' {
		l.advance()
	}
	l.endNumber(start, pos, "decimal")
}

// decimalDigits lexes digits with single underscores between them.
func (l *lexer) decimalDigits() bool {
	for {
		for isDigit(l.at(0)) {
			l.advance()
		}
		if l.at(0) != '_' {
			return true
		}
		under := l.pos()
		l.advance()
		if !isDigit(l.at(0)) {
			l.fail(under, "invalid decimal literal")
			return false
		}
	}
}

func (l *lexer) prefixedInt(start int, pos Pos, base int, name string) {
	l.advance()
	last := l.pos() // the last character read, where CPython reports errors
	l.advance()
	for {
		if l.at(0) == '_' {
			last = l.pos()
			l.advance()
		}
		if !isBaseDigit(l.at(0), base) {
			if isDigit(l.at(0)) {
				l.fail(l.pos(), "invalid digit '%c' in %s literal", l.at(0), name)
			} else {
				l.fail(last, "invalid %s literal", name)
			}
			return
		}
		for isBaseDigit(l.at(0), base) {
			l.advance()
		}
		if l.at(0) != '_' {
			break
		}
	}
	if isDigit(l.at(0)) {
		l.fail(l.pos(), "invalid digit '%c' in %s literal", l.at(0), name)
		return
	}
	l.endNumber(start, pos, name)
}

func isBaseDigit(c byte, base int) bool {
	switch base {
	case 16:
		return isHexDigit(c)
	case 8:
		return '0' <= c && c <= '7'
	case 2:
		return c == '0' || c == '1'
	}
	return isDigit(c)
}

// endNumber checks that the number is not directly followed by a name
// (other than the keywords CPython tolerates, as in "1if x else 2") and
// emits it.
func (l *lexer) endNumber(start int, pos Pos, name string) {
	c := l.at(0)
	isName := c == '_' || isASCIILetter(c)
	if c >= utf8.RuneSelf {
		r, _ := utf8.DecodeRune(l.src[l.off:])
		isName = isIDStart(r)
	}
	if isName && !l.keywordFollows() {
		l.fail(pos, "invalid %s literal", name)
		return
	}
	l.emit(tNumber, pos, string(l.src[start:l.off]))
}

// keywordFollows reports whether one of the keywords that may directly
// follow a number comes next.
func (l *lexer) keywordFollows() bool {
	end := l.off
	for end < len(l.src) && (isASCIILetter(l.src[end]) || isDigit(l.src[end]) || l.src[end] == '_') {
		end++
	}
	if end < len(l.src) && l.src[end] >= utf8.RuneSelf {
		return false
	}
	switch string(l.src[l.off:end]) {
	case "and", "else", "for", "if", "in", "is", "not", "or":
		return true
	}
	return false
}

// numberValue converts a number token to an int64, *big.Int or float64.
// It reports an unsupported imaginary literal with ok false and an empty
// message.
func numberValue(text string) (v any, msg string, ok bool) {
	s := strings.ReplaceAll(text, "_", "")
	switch last := s[len(s)-1]; {
	case last|0x20 == 'j':
		return nil, "", false
	case basePrefix(s) != 0:
		return intValue(s[2:], basePrefix(s))
	case strings.ContainsAny(s, ".eE"):
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !isRangeErr(err) {
			return nil, "invalid float literal", false
		}
		return f, "", true
	}
	if len(s) > maxIntDigits {
		return nil, "exceeds the limit (4300 digits) for integer string conversion: value has " +
			strconv.Itoa(len(s)) + " digits; use a hexadecimal literal", false
	}
	return intValue(s, 10)
}

// basePrefix returns the base of a "0x", "0o" or "0b" literal, else 0.
func basePrefix(s string) int {
	if len(s) < 2 || s[0] != '0' {
		return 0
	}
	switch s[1] | 0x20 {
	case 'x':
		return 16
	case 'o':
		return 8
	case 'b':
		return 2
	}
	return 0
}

func intValue(digits string, base int) (any, string, bool) {
	if n, err := strconv.ParseInt(digits, base, 64); err == nil {
		return n, "", true
	}
	n, ok := new(big.Int).SetString(digits, base)
	if !ok {
		return nil, "invalid integer literal", false
	}
	return n, "", true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
