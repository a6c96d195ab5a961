package syntax

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// reader walks source text rune by rune, keeping the position. "\n",
// "\r\n" and a lone "\r" each end a line.
type reader struct {
	src  []byte
	off  int // offset of the next byte
	line int
	col  int
}

func (r *reader) pos() Pos   { return Pos{r.line, r.col} }
func (r *reader) eof() bool  { return r.off >= len(r.src) }
func isNewline(c byte) bool  { return c == '\n' || c == '\r' }
func isDigit(c byte) bool    { return '0' <= c && c <= '9' }
func isHexDigit(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }

// at returns the byte i bytes ahead, or 0 past the end. The source holds no
// NUL bytes (checkSource), so 0 means the end.
func (r *reader) at(i int) byte {
	if r.off+i < len(r.src) {
		return r.src[r.off+i]
	}
	return 0
}

// advance moves past one rune, or one line ending.
func (r *reader) advance() {
	c := r.src[r.off]
	switch {
	case c == '\n':
		r.off++
		r.line, r.col = r.line+1, 1
	case c == '\r':
		r.off++
		if r.off < len(r.src) && r.src[r.off] == '\n' {
			r.off++
		}
		r.line, r.col = r.line+1, 1
	case c < utf8.RuneSelf:
		r.off++
		r.col++
	default:
		_, n := utf8.DecodeRune(r.src[r.off:])
		r.off += n
		r.col++
	}
}

// advanceN moves past n runes that are not line endings.
func (r *reader) advanceN(n int) {
	for range n {
		r.advance()
	}
}

// checkSource reports the first NUL byte or invalid UTF-8 sequence in src.
func checkSource(file string, src []byte) *Error {
	if utf8.Valid(src) && bytes.IndexByte(src, 0) < 0 {
		return nil
	}
	r := reader{src: src, line: 1, col: 1}
	for !r.eof() {
		c := r.src[r.off]
		if c == 0 {
			return &Error{File: file, Line: r.line, Col: r.col, Msg: "source code cannot contain null bytes"}
		}
		if c >= utf8.RuneSelf {
			if ch, n := utf8.DecodeRune(src[r.off:]); ch == utf8.RuneError && n <= 1 {
				return &Error{File: file, Line: r.line, Col: r.col,
					Msg: fmt.Sprintf("(unicode error) 'utf-8' codec can't decode byte 0x%02x", c)}
			}
		}
		r.advance()
	}
	return nil
}
