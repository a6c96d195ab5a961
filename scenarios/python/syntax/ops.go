package syntax

// Operator is a binary operator of a BinOp or AugAssign. Its String is the
// name in Python's ast module, Symbol its spelling in source.
type Operator uint8

// The binary operators.
const (
	// Add is "+".
	Add Operator = iota + 1
	// Sub is "-".
	Sub
	// Mult is "*".
	Mult
	// MatMult is "@".
	MatMult
	// Div is "/".
	Div
	// Mod is "%".
	Mod
	// Pow is "**".
	Pow
	// LShift is "<<".
	LShift
	// RShift is ">>".
	RShift
	// BitOr is "|".
	BitOr
	// BitXor is "^".
	BitXor
	// BitAnd is "&".
	BitAnd
	// FloorDiv is "//".
	FloorDiv
)

var operatorNames = [...][2]string{
	Add: {"Add", "+"}, Sub: {"Sub", "-"}, Mult: {"Mult", "*"}, MatMult: {"MatMult", "@"},
	Div: {"Div", "/"}, Mod: {"Mod", "%"}, Pow: {"Pow", "**"}, LShift: {"LShift", "<<"},
	RShift: {"RShift", ">>"}, BitOr: {"BitOr", "|"}, BitXor: {"BitXor", "^"},
	BitAnd: {"BitAnd", "&"}, FloorDiv: {"FloorDiv", "//"},
}

// String returns the ast name of op, such as "Add".
func (op Operator) String() string { return opName(operatorNames[:], int(op), 0) }

// Symbol returns the source spelling of op, such as "+".
func (op Operator) Symbol() string { return opName(operatorNames[:], int(op), 1) }

// UnaryOperator is the operator of a UnaryOp.
type UnaryOperator uint8

// The unary operators.
const (
	// Invert is "~".
	Invert UnaryOperator = iota + 1
	// Not is "not".
	Not
	// UAdd is unary "+".
	UAdd
	// USub is unary "-".
	USub
)

var unaryNames = [...][2]string{
	Invert: {"Invert", "~"}, Not: {"Not", "not"}, UAdd: {"UAdd", "+"}, USub: {"USub", "-"},
}

// String returns the ast name of op, such as "USub".
func (op UnaryOperator) String() string { return opName(unaryNames[:], int(op), 0) }

// Symbol returns the source spelling of op, such as "-".
func (op UnaryOperator) Symbol() string { return opName(unaryNames[:], int(op), 1) }

// BoolOperator is the operator of a BoolOp.
type BoolOperator uint8

// The boolean operators.
const (
	// And is "and".
	And BoolOperator = iota + 1
	// Or is "or".
	Or
)

var boolNames = [...][2]string{And: {"And", "and"}, Or: {"Or", "or"}}

// String returns the ast name of op, "And" or "Or".
func (op BoolOperator) String() string { return opName(boolNames[:], int(op), 0) }

// Symbol returns the source spelling of op, "and" or "or".
func (op BoolOperator) Symbol() string { return opName(boolNames[:], int(op), 1) }

// CmpOp is a comparison operator of a Compare.
type CmpOp uint8

// The comparison operators.
const (
	// Eq is "==".
	Eq CmpOp = iota + 1
	// NotEq is "!=".
	NotEq
	// Lt is "<".
	Lt
	// LtE is "<=".
	LtE
	// Gt is ">".
	Gt
	// GtE is ">=".
	GtE
	// Is is "is".
	Is
	// IsNot is "is not".
	IsNot
	// In is "in".
	In
	// NotIn is "not in".
	NotIn
)

var cmpNames = [...][2]string{
	Eq: {"Eq", "=="}, NotEq: {"NotEq", "!="}, Lt: {"Lt", "<"}, LtE: {"LtE", "<="},
	Gt: {"Gt", ">"}, GtE: {"GtE", ">="}, Is: {"Is", "is"}, IsNot: {"IsNot", "is not"},
	In: {"In", "in"}, NotIn: {"NotIn", "not in"},
}

// String returns the ast name of op, such as "NotIn".
func (op CmpOp) String() string { return opName(cmpNames[:], int(op), 0) }

// Symbol returns the source spelling of op, such as "not in".
func (op CmpOp) Symbol() string { return opName(cmpNames[:], int(op), 1) }

// ExprContext says how a Name, Attribute, Subscript, Starred, List or
// Tuple is used: read (Load, the zero value), assigned to (Store) or
// deleted (Del).
type ExprContext uint8

// The expression contexts.
const (
	// Load is a value being read.
	Load ExprContext = iota
	// Store is a target being assigned to.
	Store
	// Del is a target being deleted.
	Del
)

// String returns "Load", "Store" or "Del".
func (c ExprContext) String() string {
	switch c {
	case Load:
		return "Load"
	case Store:
		return "Store"
	case Del:
		return "Del"
	}
	return "ExprContext(?)"
}

// Conversion is the "!r", "!s" or "!a" of an f-string field, or
// NoConversion.
type Conversion byte

// The conversions of an f-string field.
const (
	// NoConversion is a field without "!".
	NoConversion Conversion = 0
	// ConvStr is "!s", str().
	ConvStr Conversion = 's'
	// ConvRepr is "!r", repr(); a field with "=" and no format spec has it.
	ConvRepr Conversion = 'r'
	// ConvASCII is "!a", ascii().
	ConvASCII Conversion = 'a'
)

// String returns "!s", "!r", "!a", or "" for NoConversion.
func (c Conversion) String() string {
	if c == NoConversion {
		return ""
	}
	return "!" + string(rune(c))
}

func opName(names [][2]string, i, which int) string {
	if i <= 0 || i >= len(names) {
		return "?"
	}
	return names[i][which]
}
