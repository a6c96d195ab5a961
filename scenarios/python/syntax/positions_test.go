package syntax

import (
	"fmt"
	"testing"
)

// Columns count runes, so Chinese text before a node on its line moves it
// by one column per character, and a tab is one column.
func TestPositions(t *testing.T) {
	const src = "x = \"中文字符串\"; y = 1  # 注释\n" + // 1
		"print(\"你好\", z)\n" + // 2
		"def 函数(参数):\n" + // 3
		"\treturn 参数  # tab\n" + // 4
		"s = f\"{'中'}{w!r}\"\n" + // 5
		"t = \"\"\"a\n" + // 6
		"b中\"\"\" + c\n" + // 7
		"u = 1 + \\\n" + // 8
		"    2\n" + // 9
		"if (a +\n" + // 10
		"      b) * 2: pass\n" // 11
	f := mustParse(t, "prog.py", src)
	body := f.Body
	fn := body[3].(*FunctionDef)
	js := body[4].(*Assign).Value.(*JoinedStr)
	ifs := body[7].(*If)
	tests := []struct {
		name string
		node Node
		want string
	}{
		{"x = ...", body[0], "1:1"},
		{"end of x = ...", endOf(body[0]), "1:12"},
		{"y", body[1].(*Assign).Targets[0], "1:14"},
		{"1", body[1].(*Assign).Value, "1:18"},
		{"end of y = 1", endOf(body[1]), "1:19"},
		{"print(...)", body[2].(*ExprStmt).Value, "2:1"},
		{"z", body[2].(*ExprStmt).Value.(*Call).Args[1], "2:13"},
		{"def 函数", fn, "3:1"},
		{"参数 parameter", fn.Args.Args[0], "3:8"},
		{"return", fn.Body[0], "4:2"},
		{"参数 returned", fn.Body[0].(*Return).Value, "4:9"},
		{"end of def", endOf(fn), "4:11"},
		{"f-string", js, "5:5"},
		{"'中' field", js.Values[0], "5:7"},
		{"'中' in the field", js.Values[0].(*FormattedValue).Value, "5:8"},
		{"w field", js.Values[1], "5:12"},
		{"w", js.Values[1].(*FormattedValue).Value, "5:13"},
		{"triple-quoted string", body[5].(*Assign).Value.(*BinOp).Left, "6:5"},
		{"c after it", body[5].(*Assign).Value.(*BinOp).Right, "7:9"},
		{"end of t = ...", endOf(body[5]), "7:10"},
		{"2 after a line join", body[6].(*Assign).Value.(*BinOp).Right, "9:5"},
		{"(a + b) * 2", ifs.Test, "10:4"},
		{"a + b", ifs.Test.(*BinOp).Left, "10:5"},
		{"b", ifs.Test.(*BinOp).Left.(*BinOp).Right, "11:7"},
		{"pass", ifs.Body[0], "11:15"},
		{"end of if", endOf(ifs), "11:19"},
	}
	for _, tt := range tests {
		if got := tt.node.Position().String(); got != tt.want {
			t.Errorf("%s at %s, want %s", tt.name, got, tt.want)
		}
	}
	if f.Comments[1] != "注释" || f.Comments[4] != "tab" || len(f.Comments) != 2 {
		t.Errorf("Comments = %v", f.Comments)
	}
}

// endOf makes the end of a statement a node, to test it like a position.
func endOf(s Stmt) Node { return s.EndPos() }

// Positions can be shown with fmt as line:col.
func TestPosString(t *testing.T) {
	if got := fmt.Sprint(Pos{3, 12}); got != "3:12" {
		t.Errorf("Pos{3, 12} prints as %q", got)
	}
	if !(Pos{1, 9}).Before(Pos{2, 1}) || (Pos{2, 1}).Before(Pos{2, 1}) || !(Pos{2, 1}).Before(Pos{2, 2}) {
		t.Error("Before is wrong")
	}
}
