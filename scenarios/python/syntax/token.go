package syntax

// tokType is the type of a token.
type tokType uint8

const (
	tEOF tokType = iota
	tError
	tNewline
	tIndent
	tDedent
	tName
	tNumber
	tString

	// Operators and delimiters.
	tLPar
	tRPar
	tLSqb
	tRSqb
	tLBrace
	tRBrace
	tColon
	tComma
	tSemi
	tDot
	tEllipsis
	tArrow
	tWalrus
	tAssign
	tPlus
	tMinus
	tStar
	tSlash
	tDoubleSlash
	tPercent
	tDoubleStar
	tAt
	tVbar
	tAmper
	tCircumflex
	tTilde
	tLShift
	tRShift
	tLess
	tGreater
	tEqEq
	tNotEq
	tLessEq
	tGreaterEq
	tPlusEq
	tMinusEq
	tStarEq
	tSlashEq
	tDoubleSlashEq
	tPercentEq
	tDoubleStarEq
	tAtEq
	tVbarEq
	tAmperEq
	tCircumflexEq
	tLShiftEq
	tRShiftEq

	// Keywords.
	kwFalse
	kwNone
	kwTrue
	kwAnd
	kwAs
	kwAssert
	kwAsync
	kwAwait
	kwBreak
	kwClass
	kwContinue
	kwDef
	kwDel
	kwElif
	kwElse
	kwExcept
	kwFinally
	kwFor
	kwFrom
	kwGlobal
	kwIf
	kwImport
	kwIn
	kwIs
	kwLambda
	kwNonlocal
	kwNot
	kwOr
	kwPass
	kwRaise
	kwReturn
	kwTry
	kwWhile
	kwWith
	kwYield

	numTokTypes
)

// tokText is the spelling of operators and keywords, and a description of
// the other token types for messages.
var tokText = [numTokTypes]string{
	tEOF: "end of file", tError: "error", tNewline: "newline", tIndent: "indent",
	tDedent: "dedent", tName: "name", tNumber: "number", tString: "string",

	tLPar: "(", tRPar: ")", tLSqb: "[", tRSqb: "]", tLBrace: "{", tRBrace: "}",
	tColon: ":", tComma: ",", tSemi: ";", tDot: ".", tEllipsis: "...", tArrow: "->",
	tWalrus: ":=", tAssign: "=", tPlus: "+", tMinus: "-", tStar: "*", tSlash: "/",
	tDoubleSlash: "//", tPercent: "%", tDoubleStar: "**", tAt: "@", tVbar: "|",
	tAmper: "&", tCircumflex: "^", tTilde: "~", tLShift: "<<", tRShift: ">>",
	tLess: "<", tGreater: ">", tEqEq: "==", tNotEq: "!=", tLessEq: "<=",
	tGreaterEq: ">=", tPlusEq: "+=", tMinusEq: "-=", tStarEq: "*=", tSlashEq: "/=",
	tDoubleSlashEq: "//=", tPercentEq: "%=", tDoubleStarEq: "**=", tAtEq: "@=",
	tVbarEq: "|=", tAmperEq: "&=", tCircumflexEq: "^=", tLShiftEq: "<<=",
	tRShiftEq: ">>=",

	kwFalse: "False", kwNone: "None", kwTrue: "True", kwAnd: "and", kwAs: "as",
	kwAssert: "assert", kwAsync: "async", kwAwait: "await", kwBreak: "break",
	kwClass: "class", kwContinue: "continue", kwDef: "def", kwDel: "del",
	kwElif: "elif", kwElse: "else", kwExcept: "except", kwFinally: "finally",
	kwFor: "for", kwFrom: "from", kwGlobal: "global", kwIf: "if",
	kwImport: "import", kwIn: "in", kwIs: "is", kwLambda: "lambda",
	kwNonlocal: "nonlocal", kwNot: "not", kwOr: "or", kwPass: "pass",
	kwRaise: "raise", kwReturn: "return", kwTry: "try", kwWhile: "while",
	kwWith: "with", kwYield: "yield",
}

func (t tokType) String() string {
	if t < numTokTypes {
		return tokText[t]
	}
	return "?"
}

// keywords maps the spelling of each keyword to its token type.
var keywords = func() map[string]tokType {
	m := make(map[string]tokType, numTokTypes-kwFalse)
	for t := kwFalse; t < numTokTypes; t++ {
		m[tokText[t]] = t
	}
	return m
}()

// token is one token. Text is the source text of names, numbers and
// strings; pos is its first character and end just past its last.
type token struct {
	typ  tokType
	text string
	pos  Pos
	end  Pos
	fstr *fstring // the parts of an f-string token
	err  *Error   // the error of a tError token
}

// augOps maps the augmented assignment tokens to their operator.
var augOps = [numTokTypes]Operator{
	tPlusEq: Add, tMinusEq: Sub, tStarEq: Mult, tAtEq: MatMult, tSlashEq: Div,
	tPercentEq: Mod, tDoubleStarEq: Pow, tLShiftEq: LShift, tRShiftEq: RShift,
	tVbarEq: BitOr, tCircumflexEq: BitXor, tAmperEq: BitAnd, tDoubleSlashEq: FloorDiv,
}

// binOps gives the binary operator of a token and its precedence level,
// from 1 (|, lowest) to 6 (* / // % @); 0 means not a binary operator.
// "**" is handled apart, being right-associative.
var binOps = [numTokTypes]struct {
	level int8
	op    Operator
}{
	tVbar:        {1, BitOr},
	tCircumflex:  {2, BitXor},
	tAmper:       {3, BitAnd},
	tLShift:      {4, LShift},
	tRShift:      {4, RShift},
	tPlus:        {5, Add},
	tMinus:       {5, Sub},
	tStar:        {6, Mult},
	tSlash:       {6, Div},
	tDoubleSlash: {6, FloorDiv},
	tPercent:     {6, Mod},
	tAt:          {6, MatMult},
}

const maxBinLevel = 6
