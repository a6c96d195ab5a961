package syntax

import "strconv"

// Pos is a position in the source: a 1-based line and a 1-based column
// counted in runes (Unicode code points), as CPython's error messages show
// them. A tab counts as one column.
type Pos struct {
	Line int
	Col  int
}

// Position returns p itself; every node embeds a Pos, so every node has
// this method.
func (p Pos) Position() Pos { return p }

// String returns "line:col".
func (p Pos) String() string { return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col) }

// Before reports whether p comes before q in the source.
func (p Pos) Before(q Pos) bool {
	return p.Line < q.Line || p.Line == q.Line && p.Col < q.Col
}

// Span is the extent of a statement: Pos is its first token, End the
// position just past its last token (for a compound statement, the last
// token of its last block).
type Span struct {
	Pos
	End Pos
}

// EndPos returns s.End.
func (s Span) EndPos() Pos { return s.End }

// Node is any node of the syntax tree.
type Node interface {
	Position() Pos
}

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement node.
type Stmt interface {
	Node
	EndPos() Pos
	stmtNode()
}

// File is a parsed source file, Python's ast.Module.
type File struct {
	Name string
	Body []Stmt
	// Comments maps a line number to the text of the comment on that line,
	// without the '#' and with surrounding white space trimmed: for
	// "x = f()  # gilsim: 250ms" it is "gilsim: 250ms". Lines without a
	// comment are absent. Comment-only lines are included.
	Comments map[int]string
}

// Position returns 1:1, the start of the file.
func (f *File) Position() Pos { return Pos{1, 1} }

// Statements.
type (
	// FunctionDef is "def name(args) -> returns: body", or with Async set
	// "async def". The Returns and argument annotations are kept but have no
	// meaning to the simulator.
	FunctionDef struct {
		Span
		Async   bool
		Name    string
		Args    *Arguments
		Returns Expr // nil if absent
		Body    []Stmt
	}

	// ClassDef is "class Name(Bases, Keywords): Body".
	ClassDef struct {
		Span
		Name     string
		Bases    []Expr
		Keywords []*Keyword
		Body     []Stmt
	}

	// Return is "return" with an optional Value.
	Return struct {
		Span
		Value Expr // nil for a bare return
	}

	// Delete is "del Targets".
	Delete struct {
		Span
		Targets []Expr
	}

	// Assign is "Targets[0] = Targets[1] = ... = Value".
	Assign struct {
		Span
		Targets []Expr
		Value   Expr
	}

	// AugAssign is "Target Op= Value", such as "counter += 1".
	AugAssign struct {
		Span
		Target Expr
		Op     Operator
		Value  Expr
	}

	// AnnAssign is "Target: Annotation = Value"; Value is nil if absent.
	AnnAssign struct {
		Span
		Target     Expr
		Annotation Expr
		Value      Expr
	}

	// For is "for Target in Iter: Body else: OrElse", or with Async set
	// "async for".
	For struct {
		Span
		Async  bool
		Target Expr
		Iter   Expr
		Body   []Stmt
		OrElse []Stmt
	}

	// While is "while Test: Body else: OrElse".
	While struct {
		Span
		Test   Expr
		Body   []Stmt
		OrElse []Stmt
	}

	// If is "if Test: Body else: OrElse"; an elif clause is an If alone in
	// the OrElse of the previous one.
	If struct {
		Span
		Test   Expr
		Body   []Stmt
		OrElse []Stmt
	}

	// With is "with Items: Body", or with Async set "async with".
	With struct {
		Span
		Async bool
		Items []*WithItem
		Body  []Stmt
	}

	// Raise is "raise Exc from Cause"; both are optional.
	Raise struct {
		Span
		Exc   Expr
		Cause Expr
	}

	// Try is "try: Body", the except Handlers, "else: OrElse" and
	// "finally: FinalBody".
	Try struct {
		Span
		Body      []Stmt
		Handlers  []*ExceptHandler
		OrElse    []Stmt
		FinalBody []Stmt
	}

	// Assert is "assert Test, Msg"; Msg is nil if absent.
	Assert struct {
		Span
		Test Expr
		Msg  Expr
	}

	// Import is "import Names".
	Import struct {
		Span
		Names []*Alias
	}

	// ImportFrom is "from Module import Names". Level counts the leading
	// dots of a relative import; a star import has one Alias named "*".
	ImportFrom struct {
		Span
		Module string
		Names  []*Alias
		Level  int
	}

	// Global is "global Names".
	Global struct {
		Span
		Names []string
	}

	// Nonlocal is "nonlocal Names".
	Nonlocal struct {
		Span
		Names []string
	}

	// ExprStmt is an expression used as a statement, such as a call;
	// Python's ast.Expr.
	ExprStmt struct {
		Span
		Value Expr
	}

	// Pass is "pass".
	Pass struct{ Span }

	// Break is "break".
	Break struct{ Span }

	// Continue is "continue".
	Continue struct{ Span }
)

// Parts of statements and expressions.
type (
	// ExceptHandler is "except Type as Name: Body"; Type is nil for a bare
	// "except:" and Name is "" without "as".
	ExceptHandler struct {
		Span
		Type Expr
		Name string
		Body []Stmt
	}

	// WithItem is "ContextExpr as OptionalVars" in a with statement;
	// OptionalVars is nil without "as". Its position is that of
	// ContextExpr.
	WithItem struct {
		Pos
		ContextExpr  Expr
		OptionalVars Expr
	}

	// Alias is "Name as AsName" in an import; Name may be dotted, AsName is
	// "" without "as".
	Alias struct {
		Pos
		Name   string
		AsName string
	}

	// Arguments are the parameters of a function or lambda, Python's
	// ast.arguments. Defaults belong to the last parameters of PosOnlyArgs
	// followed by Args; KwDefaults has one entry per KwOnlyArgs, nil where
	// there is no default.
	Arguments struct {
		Pos
		PosOnlyArgs []*Arg
		Args        []*Arg
		Vararg      *Arg // *args, or nil
		KwOnlyArgs  []*Arg
		KwDefaults  []Expr
		Kwarg       *Arg // **kwargs, or nil
		Defaults    []Expr
	}

	// Arg is one parameter; Annotation is nil if absent.
	Arg struct {
		Pos
		Name       string
		Annotation Expr
	}

	// Keyword is "Arg=Value" in a call or class bases, or "**Value" when
	// Arg is "". Its position is that of the name or of the "**".
	Keyword struct {
		Pos
		Arg   string
		Value Expr
	}

	// Comprehension is one "for Target in Iter if Ifs..." clause of a
	// comprehension or generator expression; Async for "async for". Its
	// position is that of "for" or "async".
	Comprehension struct {
		Pos
		Async  bool
		Target Expr
		Iter   Expr
		Ifs    []Expr
	}
)

// Expressions. The position of an expression is that of its first token,
// as in CPython: a BinOp, Compare, Call, Attribute or Subscript starts at
// its left operand, a parenthesised tuple at its "(".
type (
	// BoolOp is "Values[0] and Values[1] and ...", or with "or".
	BoolOp struct {
		Pos
		Op     BoolOperator
		Values []Expr
	}

	// BinOp is "Left Op Right".
	BinOp struct {
		Pos
		Left  Expr
		Op    Operator
		Right Expr
	}

	// UnaryOp is "Op Operand": not, -, + or ~.
	UnaryOp struct {
		Pos
		Op      UnaryOperator
		Operand Expr
	}

	// Lambda is "lambda Args: Body".
	Lambda struct {
		Pos
		Args *Arguments
		Body Expr
	}

	// IfExp is "Body if Test else OrElse".
	IfExp struct {
		Pos
		Test   Expr
		Body   Expr
		OrElse Expr
	}

	// Dict is "{Keys[0]: Values[0], ...}"; a nil key means "**Values[i]".
	Dict struct {
		Pos
		Keys   []Expr
		Values []Expr
	}

	// Set is "{Elts...}".
	Set struct {
		Pos
		Elts []Expr
	}

	// ListComp is "[Elt for ... in ...]".
	ListComp struct {
		Pos
		Elt        Expr
		Generators []*Comprehension
	}

	// SetComp is "{Elt for ... in ...}".
	SetComp struct {
		Pos
		Elt        Expr
		Generators []*Comprehension
	}

	// DictComp is "{Key: Value for ... in ...}".
	DictComp struct {
		Pos
		Key        Expr
		Value      Expr
		Generators []*Comprehension
	}

	// GeneratorExp is "(Elt for ... in ...)". As the only argument of a
	// call it needs no parentheses of its own, and then its position is that
	// of the call's "(", as in CPython.
	GeneratorExp struct {
		Pos
		Elt        Expr
		Generators []*Comprehension
	}

	// Await is "await Value".
	Await struct {
		Pos
		Value Expr
	}

	// Compare is "Left Ops[0] Comparators[0] Ops[1] Comparators[1] ...",
	// such as "0 < x < 10".
	Compare struct {
		Pos
		Left        Expr
		Ops         []CmpOp
		Comparators []Expr
	}

	// Call is "Func(Args..., Keywords...)". Args may hold *Starred for
	// "*args"; "**kwargs" is a Keyword with an empty Arg.
	Call struct {
		Pos
		Func     Expr
		Args     []Expr
		Keywords []*Keyword
	}

	// FormattedValue is one "{Value!Conversion:FormatSpec}" field of an
	// f-string; FormatSpec is nil if absent.
	FormattedValue struct {
		Pos
		Value      Expr
		Conversion Conversion
		FormatSpec *JoinedStr
	}

	// JoinedStr is an f-string (after concatenation with adjacent string
	// literals): Values are *Constant strings and *FormattedValue fields,
	// in order, with no two constants next to each other.
	JoinedStr struct {
		Pos
		Values []Expr
	}

	// Constant is a literal. Value is one of:
	//
	//	nil          None
	//	bool         True, False
	//	int64        an int that fits
	//	*big.Int     a larger int
	//	float64      a float (too large a literal is +Inf, as in Python)
	//	string       a str, after escapes and concatenation
	//	[]byte       a bytes literal
	//	EllipsisType ...
	Constant struct {
		Pos
		Value any
	}

	// Attribute is "Value.Attr".
	Attribute struct {
		Pos
		Value Expr
		Attr  string
		Ctx   ExprContext
	}

	// Subscript is "Value[Slice]"; Slice is a *Slice, a *Tuple of
	// indices and slices for "a[1:2, 3]", or any other expression.
	Subscript struct {
		Pos
		Value Expr
		Slice Expr
		Ctx   ExprContext
	}

	// Starred is "*Value" in a call, display or assignment target.
	Starred struct {
		Pos
		Value Expr
		Ctx   ExprContext
	}

	// Name is an identifier.
	Name struct {
		Pos
		ID  string
		Ctx ExprContext
	}

	// List is "[Elts...]".
	List struct {
		Pos
		Elts []Expr
		Ctx  ExprContext
	}

	// Tuple is "(Elts...)" or a bare "a, b".
	Tuple struct {
		Pos
		Elts []Expr
		Ctx  ExprContext
	}

	// Slice is "Lower:Upper:Step" inside a subscript; each part may be nil.
	Slice struct {
		Pos
		Lower Expr
		Upper Expr
		Step  Expr
	}
)

// EllipsisType is the type of the Value of the Constant "...".
type EllipsisType struct{}

// Ellipsis is the Value of the Constant "...".
var Ellipsis = EllipsisType{}

func (*FunctionDef) stmtNode() {}
func (*ClassDef) stmtNode()    {}
func (*Return) stmtNode()      {}
func (*Delete) stmtNode()      {}
func (*Assign) stmtNode()      {}
func (*AugAssign) stmtNode()   {}
func (*AnnAssign) stmtNode()   {}
func (*For) stmtNode()         {}
func (*While) stmtNode()       {}
func (*If) stmtNode()          {}
func (*With) stmtNode()        {}
func (*Raise) stmtNode()       {}
func (*Try) stmtNode()         {}
func (*Assert) stmtNode()      {}
func (*Import) stmtNode()      {}
func (*ImportFrom) stmtNode()  {}
func (*Global) stmtNode()      {}
func (*Nonlocal) stmtNode()    {}
func (*ExprStmt) stmtNode()    {}
func (*Pass) stmtNode()        {}
func (*Break) stmtNode()       {}
func (*Continue) stmtNode()    {}

func (*BoolOp) exprNode()         {}
func (*BinOp) exprNode()          {}
func (*UnaryOp) exprNode()        {}
func (*Lambda) exprNode()         {}
func (*IfExp) exprNode()          {}
func (*Dict) exprNode()           {}
func (*Set) exprNode()            {}
func (*ListComp) exprNode()       {}
func (*SetComp) exprNode()        {}
func (*DictComp) exprNode()       {}
func (*GeneratorExp) exprNode()   {}
func (*Await) exprNode()          {}
func (*Compare) exprNode()        {}
func (*Call) exprNode()           {}
func (*FormattedValue) exprNode() {}
func (*JoinedStr) exprNode()      {}
func (*Constant) exprNode()       {}
func (*Attribute) exprNode()      {}
func (*Subscript) exprNode()      {}
func (*Starred) exprNode()        {}
func (*Name) exprNode()           {}
func (*List) exprNode()           {}
func (*Tuple) exprNode()          {}
func (*Slice) exprNode()          {}
