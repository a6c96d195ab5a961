package syntax

import (
	"math"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The programs in testdata/programs use the constructs the simulator
// cares about; each must parse, with the structure it plainly has.
func TestPrograms(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, f *File)
	}{
		{"thread_subclass.py", func(t *testing.T, f *File) {
			worker := findClass(t, f, "Worker")
			if len(worker.Bases) != 1 || dotted(worker.Bases[0]) != "threading.Thread" {
				t.Errorf("Worker bases = %s", Dump(worker.Bases[0]))
			}
			if got := methods(worker); !slices.Equal(got, []string{"__init__", "run"}) {
				t.Errorf("Worker methods = %v", got)
			}
			run := findFunc(f, "run")
			if g, ok := run.Body[0].(*Global); !ok || !slices.Equal(g.Names, []string{"counter"}) {
				t.Errorf("run starts with %s, want global counter", Dump(run.Body[0]))
			}
			with := all[*With](run)[0]
			aug := with.Body[0].(*AugAssign)
			if dotted(aug.Target) != "counter" || aug.Op != Add || aug.Value.(*Constant).Value != int64(1) {
				t.Errorf("with lock: %s, want counter += 1", Dump(aug))
			}
			try := all[*Try](findClass(t, f, "Manual"))[0]
			if len(try.FinalBody) != 1 || callName(try.FinalBody[0].(*ExprStmt).Value) != "lock.release" {
				t.Errorf("finally: %s, want lock.release()", Dump(try))
			}
			sleep := lineOf(t, f, "time.sleep(0)")
			if got := f.Comments[sleep]; got != "gilsim: switch" {
				t.Errorf("comment on the time.sleep line = %q", got)
			}
			init := findFunc(f, "__init__")
			if len(init.Args.KwOnlyArgs) != 1 || init.Args.KwOnlyArgs[0].Name != "name" || len(init.Args.Defaults) != 1 {
				t.Errorf("__init__ args = %s", Dump(init.Args))
			}
			if f.Comments[1] != "线程子类：每个线程把共享计数器加一（没有锁时会产生竞争）" {
				t.Errorf("comment on line 1 = %q", f.Comments[1])
			}
		}},
		{"queue_workers.py", func(t *testing.T, f *File) {
			consumer := findFunc(f, "consumer")
			loop := consumer.Body[0].(*While)
			if len(loop.OrElse) != 1 || len(all[*Break](loop)) != 1 {
				t.Errorf("consumer loop = %s, want a break and an else", Dump(loop))
			}
			unpack := all[*Assign](loop)[1]
			if tup, ok := unpack.Targets[0].(*Tuple); !ok || tup.Ctx != Store || len(tup.Elts) != 2 {
				t.Errorf("i, value = item is %s", Dump(unpack))
			}
			if got := f.Comments[lineOf(t, f, "q.put(item)")]; got != "gilsim: 1ms" {
				t.Errorf("q.put pragma = %q", got)
			}
			if n := len(all[*Lambda](f)); n != 1 {
				t.Errorf("%d lambdas, want 1", n)
			}
		}},
		{"mp_pool.py", func(t *testing.T, f *File) {
			main := f.Body[len(f.Body)-1].(*If)
			cmp := main.Test.(*Compare)
			if dotted(cmp.Left) != "__name__" || cmp.Ops[0] != Eq || cmp.Comparators[0].(*Constant).Value != "__main__" {
				t.Errorf("if test = %s", Dump(cmp))
			}
			with := all[*With](main)[0]
			if callName(with.Items[0].ContextExpr) != "Pool" || dotted(with.Items[0].OptionalVars) != "pool" {
				t.Errorf("with = %s", Dump(with.Items[0]))
			}
			var maps int
			for _, c := range all[*Call](main) {
				if callName(c) == "pool.map" {
					maps++
				}
			}
			if maps != 1 {
				t.Errorf("%d calls of pool.map, want 1", maps)
			}
			if n := len(all[*GeneratorExp](f)); n != 2 {
				t.Errorf("%d generator expressions, want 2", n)
			}
		}},
		{"asyncio_net.py", func(t *testing.T, f *File) {
			fetch := findFunc(f, "fetch")
			if !fetch.Async || fetch.Returns == nil || len(fetch.Args.KwOnlyArgs) != 1 {
				t.Errorf("fetch = %s", Dump(fetch.Args))
			}
			if with := all[*With](fetch)[0]; !with.Async {
				t.Error("async with LIMIT is not Async")
			}
			if n := len(all[*Await](f)); n != 10 {
				t.Errorf("%d awaits, want 10", n)
			}
			for _, c := range all[*Call](f) {
				if callName(c) == "asyncio.gather" {
					if _, ok := c.Args[0].(*Starred); !ok || c.Keywords[0].Arg != "return_exceptions" {
						t.Errorf("gather call = %s", Dump(c))
					}
				}
			}
			if loops := all[*For](f); len(loops) != 1 || !loops[0].Async {
				t.Errorf("for loops: %d, want one async for", len(loops))
			}
			raise := all[*Raise](findFunc(f, "main"))[0]
			if raise.Cause == nil {
				t.Error("raise ... from exc has no Cause")
			}
			js := all[*JoinedStr](findFunc(f, "handle"))[0]
			if len(js.Values) != 4 || js.Values[0].(*Constant).Value != "收到 " {
				t.Errorf("f-string = %s", Dump(js))
			}
		}},
		{"syntax_tour.py", func(t *testing.T, f *File) {
			if n := len(all[*FunctionDef](f)); n != 8 {
				t.Errorf("%d defs, want 8", n)
			}
			if f.Body[len(f.Body)-1].(*If).EndPos().Line != f.Body[len(f.Body)-1].Position().Line+1 {
				t.Error("the last if does not end on the line after it starts")
			}
		}},
		{"convoy_server.py", func(t *testing.T, f *File) {
			if n := len(all[*ClassDef](f)); n != 3 {
				t.Errorf("%d classes, want 3", n)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tt.check(t, mustParseFile(t, filepath.Join("testdata", "programs", tt.file)))
		})
	}
}

func findClass(t *testing.T, f *File, name string) *ClassDef {
	t.Helper()
	for _, c := range all[*ClassDef](f) {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no class %s", name)
	return nil
}

func methods(c *ClassDef) []string {
	var names []string
	for _, s := range c.Body {
		if fn, ok := s.(*FunctionDef); ok {
			names = append(names, fn.Name)
		}
	}
	return names
}

// lineOf returns the line of the first statement whose source contains
// text.
func lineOf(t *testing.T, f *File, text string) int {
	t.Helper()
	src, err := os.ReadFile(f.Name)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(src), "\n") {
		if strings.Contains(line, text) {
			return i + 1
		}
	}
	t.Fatalf("%s: no line with %q", f.Name, text)
	return 0
}

// Byte order marks, CRLF and CR line endings and a missing final line
// ending change nothing in the tree.
func TestLineEndings(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.py"))
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := Dump(mustParse(t, "prog.py", string(src)))
		lf := string(src)
		variants := map[string]string{
			"crlf":                strings.ReplaceAll(lf, "\n", "\r\n"),
			"cr":                  strings.ReplaceAll(lf, "\n", "\r"),
			"bom":                 "\uFEFF" + lf,
			"no-newline":          strings.TrimRight(lf, "\n"),
			"bom-crlf-no-newline": "\uFEFF" + strings.TrimRight(strings.ReplaceAll(lf, "\n", "\r\n"), "\r\n"),
		}
		for name, v := range variants {
			if got := Dump(mustParse(t, "prog.py", v)); got != want {
				t.Errorf("%s, %s: the tree differs", path, name)
			}
		}
	}
}

func TestLiterals(t *testing.T) {
	big1, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	big2, _ := new(big.Int).SetString("10000000000000000", 16)
	tests := []struct {
		src  string
		want any
	}{
		{"0", int64(0)},
		{"00", int64(0)},
		{"1_000_000", int64(1000000)},
		{"0xFF", int64(255)},
		{"0o17", int64(15)},
		{"0b1010", int64(10)},
		{"0x_1", int64(1)},
		{"9223372036854775807", int64(math.MaxInt64)},
		{"9223372036854775808", new(big.Int).Lsh(big.NewInt(1), 63)},
		{"123456789012345678901234567890", big1},
		{"0x10000000000000000", big2},
		{"1.5", 1.5},
		{"1e-3", 0.001},
		{".5", 0.5},
		{"5.", 5.0},
		{"1_0.0_1", 10.01},
		{"1E+10", 1e10},
		{"1e400", math.Inf(1)},
		{"09.5", 9.5},
		{"None", nil},
		{"True", true},
		{"False", false},
		{"...", Ellipsis},
		{`'a' "b" '''c''' """d"""`, "abcd"},
		{`"tab\tnl\nq\"bs\\bell\a\x41\101\u4e2d\U0001F600"`, "tab\tnl\nq\"bs\\bell\aAA中😀"},
		{`"\d\q"`, `\d\q`},
		{"'a\\\nb'", "ab"},
		{`r'\d+\n'`, `\d+\n`},
		{`R"\""`, `\"`},
		{`u'x'`, "x"},
		{`b'\x00\xff\n'`, []byte{0, 0xff, '\n'}},
		{`rb'\x00'`, []byte(`\x00`)},
		{`b'a' b"b"`, []byte("ab")},
		{`'中文' "字符串"`, "中文字符串"},
		{"'''a\r\nb\rc'''", "a\nb\nc"},
		{`"\ud800"`, "\uFFFD"},
		{`'\777'`, "\u01ff"},
	}
	for _, tt := range tests {
		f := mustParse(t, "prog.py", "x = "+tt.src+"\n")
		c, ok := f.Body[0].(*Assign).Value.(*Constant)
		if !ok {
			t.Errorf("%s: %s, want a Constant", tt.src, Dump(f.Body[0]))
			continue
		}
		if !equalValue(c.Value, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.src, c.Value, tt.want)
		}
	}
}

func equalValue(a, b any) bool {
	switch a := a.(type) {
	case *big.Int:
		b, ok := b.(*big.Int)
		return ok && a.Cmp(b) == 0
	case []byte:
		b, ok := b.([]byte)
		return ok && string(a) == string(b)
	}
	return a == b
}

// f-strings are split into constants and formatted values, with the
// conversion, format spec and "=" of each field.
func TestFStrings(t *testing.T) {
	tests := []struct{ src, want string }{
		{`f"a{x}b"`, `'a' {x} 'b'`},
		{`f"{x!r:>10}"`, `{x !r :['>10']}`},
		{`f"{x:{w}.{p}f}"`, `{x :[{w} '.' {p} 'f']}`},
		{`f"{x=}"`, `'x=' {x !r}`},
		{`f"{ x = :>5}"`, `' x = ' {x :['>5']}`},
		{`f"{x=!s}"`, `'x=' {x !s}`},
		{`f"{{literal}} {1 + 2}"`, `'{literal} ' {BinOp}`},
		{`f"{'nested'}"`, `{'nested'}`},
		{`f"{d["k"]}"`, `{Subscript}`},
		{`f"{f'{x}'}"`, `{JoinedStr}`},
		{`"a" f"b{x}" "c"`, `'ab' {x} 'c'`},
		{`f"{a, b}"`, `{Tuple}`},
		{`f"{3 != 4}"`, `{Compare}`},
		{`f"{x:}"`, `{x :[]}`},
		{`f"\{x}"`, `'\\' {x}`},
		{`rf"\d{x}"`, `'\\d' {x}`},
		{`f"\n{x}\t"`, `'\n' {x} '\t'`},
		{`f""`, ``},
		{`f'''{
x
}'''`, `{x}`},
	}
	for _, tt := range tests {
		f := mustParse(t, "prog.py", "v = "+tt.src+"\n")
		js, ok := f.Body[0].(*Assign).Value.(*JoinedStr)
		if !ok {
			t.Errorf("%s: %s, want a JoinedStr", tt.src, Dump(f.Body[0]))
			continue
		}
		if got := fstringParts(js); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.src, got, tt.want)
		}
	}
}

// fstringParts renders the values of an f-string compactly: 'text' for a
// constant, {x !r :[spec]} for a field.
func fstringParts(js *JoinedStr) string {
	var parts []string
	for _, v := range js.Values {
		switch v := v.(type) {
		case *Constant:
			parts = append(parts, StrRepr(v.Value.(string)))
		case *FormattedValue:
			s := "{"
			switch e := v.Value.(type) {
			case *Name:
				s += e.ID
			case *Constant:
				s += StrRepr(e.Value.(string))
			default:
				s += strings.TrimPrefix(strings.SplitN(Dump(e), "@", 2)[0], "*")
			}
			if v.Conversion != NoConversion {
				s += " " + v.Conversion.String()
			}
			if v.FormatSpec != nil {
				s += " :[" + fstringParts(v.FormatSpec) + "]"
			}
			parts = append(parts, s+"}")
		}
	}
	return strings.Join(parts, " ")
}
