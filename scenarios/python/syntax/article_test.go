package syntax

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// The nine code blocks of the source article, copied verbatim into
// testdata/article, must parse, with the structure they plainly have.
func TestArticleBlocks(t *testing.T) {
	tests := []struct {
		file     string
		stmts    []string // the types of the top-level statements
		async    bool     // worker is an async def
		params   []string // worker's parameters
		calls    []string // calls that appear, in this order
		comments map[int]string
		extra    func(t *testing.T, f *File)
	}{
		{
			file:     "01.py",
			stmts:    []string{"Import", "FunctionDef", "Assign", "ExprStmt"},
			calls:    []string{"print", "threading.Thread", "t.start"},
			comments: map[int]string{6: "创建线程", 9: "启动线程"},
		},
		{
			file:     "02.py",
			stmts:    []string{"Import", "FunctionDef", "Assign", "Assign", "ExprStmt"},
			params:   []string{"lock"},
			calls:    []string{"print", "threading.Lock", "threading.Thread", "t.start"},
			comments: map[int]string{7: "创建锁"},
			extra: func(t *testing.T, f *File) {
				with := f.Body[1].(*FunctionDef).Body[0].(*With)
				if got := dotted(with.Items[0].ContextExpr); got != "lock" || with.Items[0].OptionalVars != nil {
					t.Errorf("with item = %q as %v, want lock", got, with.Items[0].OptionalVars)
				}
				args := f.Body[3].(*Assign).Value.(*Call).Keywords[1]
				if tup, ok := args.Value.(*Tuple); args.Arg != "args" || !ok || len(tup.Elts) != 1 {
					t.Errorf("args=(lock,) is %s", Dump(args))
				}
			},
		},
		{
			file:  "03.py",
			stmts: []string{"Import", "FunctionDef", "Assign", "ExprStmt"},
			calls: []string{"print", "multiprocessing.Process", "p.start"},
		},
		{
			file:     "04.py",
			stmts:    []string{"Import", "FunctionDef", "Assign", "Assign", "ExprStmt", "For", "ExprStmt", "ExprStmt"},
			params:   []string{"q"},
			calls:    []string{"q.get", "print", "q.task_done", "multiprocessing.Queue", "multiprocessing.Process", "p.start", "range", "q.put", "q.join", "p.terminate"},
			comments: map[int]string{9: "处理item", 21: "向队列中添加任务"},
			extra: func(t *testing.T, f *File) {
				loop := f.Body[1].(*FunctionDef).Body[0].(*While)
				if c, ok := loop.Test.(*Constant); !ok || c.Value != true {
					t.Errorf("while test = %s, want True", Dump(loop.Test))
				}
				check := loop.Body[1].(*If)
				cmp := check.Test.(*Compare)
				if !slices.Equal(cmp.Ops, []CmpOp{Is}) || len(check.Body) != 1 {
					t.Errorf("if item is None: break = %s", Dump(check))
				}
				if _, ok := check.Body[0].(*Break); !ok {
					t.Errorf("if body = %s, want Break", Dump(check.Body[0]))
				}
			},
		},
		{
			file:     "05.py",
			stmts:    []string{"Import", "FunctionDef", "Assign", "ExprStmt"},
			async:    true,
			calls:    []string{"print", "asyncio.get_event_loop", "loop.run_until_complete", "worker"},
			comments: map[int]string{6: "创建事件循环", 9: "运行事件循环"},
		},
		{
			file:  "06.py",
			stmts: []string{"Import", "Import", "FunctionDef", "Assign", "ExprStmt"},
			async: true,
			calls: []string{"socket.socket", "sock.connect", "sock.sendall", "len", "sock.recv", "len", "sock.close", "print", "sock.close",
				"asyncio.get_event_loop", "loop.run_until_complete", "worker"},
			comments: map[int]string{5: "创建TCP/IP套接字", 31: "关闭套接字"},
			extra: func(t *testing.T, f *File) {
				body := f.Body[2].(*FunctionDef).Body
				try := body[3].(*Try)
				if len(try.Handlers) != 0 || len(try.FinalBody) != 1 {
					t.Errorf("try: %d handlers, %d finally statements; want 0, 1", len(try.Handlers), len(try.FinalBody))
				}
				msg := try.Body[0].(*Assign).Value.(*Constant)
				if b, ok := msg.Value.([]byte); !ok || string(b) != "Hello, World!" {
					t.Errorf("message = %s, want b'Hello, World!'", Dump(msg))
				}
				aug := all[*AugAssign](try)
				if len(aug) != 1 || aug[0].Op != Add || dotted(aug[0].Target) != "amount_received" {
					t.Errorf("augmented assignments = %d, want amount_received += ...", len(aug))
				}
				addr := body[1].(*Assign).Value.(*Tuple)
				if len(addr.Elts) != 2 || addr.Elts[1].(*Constant).Value != int64(10000) {
					t.Errorf("server_address = %s", Dump(addr))
				}
			},
		},
		{
			file:     "07.py",
			stmts:    []string{"Import", "FunctionDef", "Assign", "ExprStmt", "ExprStmt"},
			calls:    []string{"print", "threading.Thread", "t.start", "t.join"},
			comments: map[int]string{12: "等待线程结束"},
		},
		{
			file:  "08.py",
			stmts: []string{"Import", "FunctionDef", "Assign", "ExprStmt", "ExprStmt"},
			calls: []string{"print", "multiprocessing.Process", "p.start", "p.join"},
		},
		{
			file:  "09.py",
			stmts: []string{"Import", "FunctionDef", "Assign", "ExprStmt"},
			async: true,
			calls: []string{"print", "asyncio.get_event_loop", "loop.run_until_complete", "worker"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := mustParseFile(t, filepath.Join("testdata", "article", tt.file))
			if got := stmtTypes(f.Body); !slices.Equal(got, tt.stmts) {
				t.Errorf("statements = %v, want %v", got, tt.stmts)
			}
			fn := findFunc(f, "worker")
			if fn == nil {
				t.Fatal("no def worker")
			}
			if fn.Async != tt.async {
				t.Errorf("worker: Async = %v, want %v", fn.Async, tt.async)
			}
			var params []string
			for _, a := range fn.Args.Args {
				params = append(params, a.Name)
			}
			if !slices.Equal(params, tt.params) {
				t.Errorf("worker parameters = %v, want %v", params, tt.params)
			}
			var calls []string
			for _, c := range all[*Call](f) {
				calls = append(calls, callName(c))
			}
			if !slices.Equal(calls, tt.calls) {
				t.Errorf("calls = %v, want %v", calls, tt.calls)
			}
			for line, text := range tt.comments {
				if f.Comments[line] != text {
					t.Errorf("comment on line %d = %q, want %q", line, f.Comments[line], text)
				}
			}
			if tt.extra != nil {
				tt.extra(t, f)
			}
		})
	}
}

// stmtTypes returns the type names of statements.
func stmtTypes(body []Stmt) []string {
	var names []string
	for _, s := range body {
		names = append(names, reflect.TypeOf(s).Elem().Name())
	}
	return names
}

// findFunc returns the first def called name anywhere in f.
func findFunc(f *File, name string) *FunctionDef {
	for _, fn := range all[*FunctionDef](f) {
		if fn.Name == name {
			return fn
		}
	}
	return nil
}

func Example() {
	src := "import threading\n\nt = threading.Thread(target=work)  # gilsim: 2ms\nt.start()\n"
	f, err := Parse("prog.py", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	assign := f.Body[1].(*Assign)
	call := assign.Value.(*Call)
	fmt.Println(assign.Pos, call.Func.(*Attribute).Attr, call.Keywords[0].Arg, f.Comments[assign.Line])
	_, err = Parse("prog.py", []byte("if x\n    pass\n"))
	fmt.Println(err)
	// Output:
	// 3:1 Thread target gilsim: 2ms
	// prog.py:1:5: syntax error: expected ':'
}
