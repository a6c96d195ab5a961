// Package syntax reads the Python 3 that gilsim simulates: the programs of
// concurrency examples, with threads, processes and asyncio. Parse turns
// source into a typed syntax tree (File, with Stmt and Expr nodes named as
// in Python's ast module) in which every node knows its line and column,
// and File.Comments keeps the comments, where the simulator finds pragmas
// such as
//
//	data = sock.recv(1024)  # gilsim: 250ms
//
// The package only reads; it does not run anything.
//
// # The subset
//
// A file is read as CPython 3.12 would read it, but only the subset below
// is accepted. The grammar is that of CPython (Grammar/python.gram), cut
// down; in it, { x } means zero or more x, [ x ] an optional x, and quoted
// text a token.
//
//	file           = { statement } ENDMARKER .
//	statement      = compound_stmt | simple_stmts .
//	simple_stmts   = simple_stmt { ";" simple_stmt } [ ";" ] NEWLINE .
//	simple_stmt    = assignment | star_expressions
//	               | "pass" | "break" | "continue" | "return" [ star_expressions ]
//	               | "raise" [ expression [ "from" expression ] ]
//	               | ( "global" | "nonlocal" ) NAME { "," NAME }
//	               | "del" target { "," target } [ "," ]
//	               | "assert" expression [ "," expression ]
//	               | import_stmt .
//	assignment     = targets "=" { targets "=" } star_expressions
//	               | target augassign star_expressions
//	               | target ":" expression [ "=" star_expressions ] .
//	augassign      = "+=" | "-=" | "*=" | "/=" | "//=" | "%=" | "**="
//	               | "@=" | "|=" | "&=" | "^=" | "<<=" | ">>=" .
//	import_stmt    = "import" dotted_name [ "as" NAME ] { "," dotted_name [ "as" NAME ] }
//	               | "from" { "." } [ dotted_name ] "import"
//	                 ( "*" | "(" import_names [ "," ] ")" | import_names ) .
//	import_names   = NAME [ "as" NAME ] { "," NAME [ "as" NAME ] } .
//	dotted_name    = NAME { "." NAME } .
//
//	compound_stmt  = if_stmt | while_stmt | for_stmt | try_stmt | with_stmt
//	               | funcdef | classdef .
//	block          = NEWLINE INDENT statement { statement } DEDENT | simple_stmts .
//	if_stmt        = "if" expression ":" block { "elif" expression ":" block }
//	                 [ "else" ":" block ] .
//	while_stmt     = "while" expression ":" block [ "else" ":" block ] .
//	for_stmt       = [ "async" ] "for" targets "in" star_expressions ":" block
//	                 [ "else" ":" block ] .
//	try_stmt       = "try" ":" block ( handler { handler } [ "else" ":" block ]
//	                 [ "finally" ":" block ] | "finally" ":" block ) .
//	handler        = "except" [ expression [ "as" NAME ] ] ":" block .
//	with_stmt      = [ "async" ] "with" ( "(" with_item { "," with_item } [ "," ] ")"
//	                 | with_item { "," with_item } ) ":" block .
//	with_item      = expression [ "as" target ] .
//	funcdef        = [ "async" ] "def" NAME "(" [ params ] ")" [ "->" expression ]
//	                 ":" block .
//	params         = param { "," param } [ "," ] .
//	param          = NAME [ ":" expression ] [ "=" expression ] | "/"
//	               | "*" [ NAME [ ":" expression ] ] | "**" NAME [ ":" expression ] .
//	classdef       = "class" NAME [ "(" [ arguments ] ")" ] ":" block .
//
//	star_expressions = star_expression { "," star_expression } [ "," ] .
//	star_expression  = "*" bitwise_or | expression .
//	expression     = disjunction [ "if" disjunction "else" expression ] | lambda .
//	lambda         = "lambda" [ params ] ":" expression .  (params without annotations)
//	disjunction    = conjunction { "or" conjunction } .
//	conjunction    = inversion { "and" inversion } .
//	inversion      = "not" inversion | comparison .
//	comparison     = bitwise_or { comp_op bitwise_or } .
//	comp_op        = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in"
//	               | "is" | "is" "not" .
//	bitwise_or     = bitwise_xor { "|" bitwise_xor } .
//	bitwise_xor    = bitwise_and { "^" bitwise_and } .
//	bitwise_and    = shift_expr { "&" shift_expr } .
//	shift_expr     = sum { ( "<<" | ">>" ) sum } .
//	sum            = term { ( "+" | "-" ) term } .
//	term           = factor { ( "*" | "/" | "//" | "%" | "@" ) factor } .
//	factor         = ( "+" | "-" | "~" ) factor | power .
//	power          = [ "await" ] primary [ "**" factor ] .
//	primary        = atom { "." NAME | "(" [ arguments ] ")" | "[" slices "]" } .
//	slices         = slice { "," slice } [ "," ] .
//	slice          = [ expression ] ":" [ expression ] [ ":" [ expression ] ]
//	               | expression | "*" bitwise_or .
//	arguments      = argument { "," argument } [ "," ] .
//	argument       = [ NAME "=" ] expression | "*" expression | "**" expression
//	               | expression comprehension .  (a generator, as the only argument)
//	atom           = NAME | NUMBER | STRING { STRING } | "None" | "True" | "False" | "..."
//	               | "(" [ elements | expression comprehension ] ")"
//	               | "[" [ elements | expression comprehension ] "]"
//	               | "{" [ elements | expression comprehension
//	                     | dict_items | expression ":" expression comprehension ] "}" .
//	elements       = star_expression { "," star_expression } [ "," ] .
//	dict_items     = dict_item { "," dict_item } [ "," ] .
//	dict_item      = expression ":" expression | "**" bitwise_or .
//	comprehension  = for_if { for_if } .
//	for_if         = [ "async" ] "for" targets "in" disjunction { "if" disjunction } .
//	targets        = target { "," target } [ "," ] .
//	target         = NAME | primary "." NAME | primary "[" slices "]"
//	               | "(" [ targets ] ")" | "[" [ targets ] "]" | "*" target .
//
// A target list may hold one starred target ("first, *rest = items"); a
// starred target must be inside a tuple or list.
//
// Lexically, as in CPython: INDENT and DEDENT come from the indentation of
// each line that is not blank or a comment, with tab stops every 8
// columns, and tabs and spaces must order the levels the same way whatever
// the tab size ("inconsistent use of tabs and spaces in indentation");
// NEWLINE ends a logical line, and line endings inside brackets or after a
// "\" do not. NUMBER is an int (decimal, 0x, 0o, 0b, with "_" between
// digits) or a float ("1.5", ".5", "1e-3"). STRING has an optional prefix
// (r, b, rb, f, rf, u, in any case) and single, double or triple quotes;
// adjacent strings are concatenated. The fields of an f-string are
//
//	"{" star_expressions [ "=" ] [ "!" ( "s" | "r" | "a" ) ] [ ":" format_spec ] "}"
//
// where the format spec may itself hold fields; as in Python 3.12 the
// expression may hold strings with the same quotes as the f-string. Names
// may use Unicode letters (计数 = 0); they are not NFKC-normalised.
//
// The source is UTF-8 (a coding declaration is not read), may start with a
// byte order mark, may end lines with "\n", "\r\n" or "\r", and need not
// end with a line ending. Line endings in string literals read as "\n".
//
// Parse also makes the checks that CPython makes when compiling, such as
// "'return' outside function", "'break' outside loop" and "'await' outside
// async function", so that a program it accepts is one CPython would run.
//
// # Positions
//
// A Pos is a 1-based line and a 1-based column counted in runes (a tab
// and a Chinese character are each one column): the column CPython shows
// in its error messages. Every node has the position of its first token,
// as CPython's ast has: a binary operation, call, attribute or subscript
// starts where its left operand starts (at the "(" if that is
// parenthesised), a parenthesised tuple at its "(". Statements also have
// End, the position just past their last token; for a compound statement
// that is the end of its last block.
//
// # Errors
//
// Parse stops at the first error in the source and returns it as
//
//   - *Error, a syntax error, with CPython's wording where it has one:
//     "prog.py:3:5: syntax error: expected ':'";
//   - *Unsupported, for valid Python the simulator does not model:
//     "prog.py:5:1: unsupported: decorators are not simulated".
//
// Both print on one line whatever the source holds. The unsupported
// constructs are decorators, generators (yield and yield from), assignment
// expressions (:=), match statements, type alias statements and type
// parameters, except* clauses, complex numbers (1j) and \N{...} escapes in
// strings: they have no meaning in the simulator yet, and a clear "not
// simulated" is better than a wrong simulation.
//
// Nesting is limited so that no input can exhaust the stack or make a
// tree too deep to walk: 200 open brackets ("too many nested
// parentheses"), 100 indented blocks ("too many levels of indentation"),
// 200 levels of expression ("too deeply nested"), where each operator of
// a chain such as a + b + c or a.b().c counts as a level, as it nests the
// tree one level deeper; 32 nested f-strings. A decimal int literal may
// have at most 4300 digits, as in CPython.
package syntax
