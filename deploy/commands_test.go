package deploy_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// binaryCommands reads cmd/reccollection and returns its subcommands, so
// that containers, health checks and compose services can only name
// commands the binary really has.
func binaryCommands(t *testing.T) map[string]bool {
	t.Helper()
	cmds := map[string]bool{}
	for name := range binaryFlags(t) {
		cmds[name] = true
	}
	return cmds
}

// binaryFlags maps each subcommand to the flags its run function defines
// (fs.String("url", …) and the like).
func binaryFlags(t *testing.T) map[string]map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join("..", "cmd", "reccollection", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	runOf := map[string]string{} // subcommand -> run function
	funcs := map[string]*ast.FuncDecl{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				funcs[n.Name.Name] = n
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); !ok || id.Name != "command" {
					return true
				}
				var name, run string
				for _, e := range n.Elts {
					kv, ok := e.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					switch key := kv.Key.(*ast.Ident); key.Name {
					case "name":
						if lit, ok := kv.Value.(*ast.BasicLit); ok {
							name, _ = strconv.Unquote(lit.Value)
						}
					case "run":
						if id, ok := kv.Value.(*ast.Ident); ok {
							run = id.Name
						}
					}
				}
				if name != "" {
					runOf[name] = run
				}
			}
			return true
		})
	}
	if len(runOf) == 0 {
		t.Fatal("found no subcommands in cmd/reccollection")
	}
	out := map[string]map[string]bool{}
	for name, run := range runOf {
		flags := map[string]bool{}
		if fn := funcs[run]; fn != nil {
			ast.Inspect(fn, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "fs" {
					return true
				}
				if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					flag, _ := strconv.Unquote(lit.Value)
					flags[flag] = true
				}
				return true
			})
		}
		out[name] = flags
	}
	return out
}

// checkInvocation reports an error unless args (after the binary) name a
// real subcommand and only flags it defines.
func checkInvocation(t *testing.T, where string, args []string) {
	t.Helper()
	all := binaryFlags(t)
	if len(args) == 0 {
		t.Errorf("%s: no subcommand", where)
		return
	}
	flags, ok := all[args[0]]
	if !ok {
		t.Errorf("%s: %q is not a subcommand of reccollection", where, args[0])
		return
	}
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !flags[name] {
			t.Errorf("%s: reccollection %s has no flag %q", where, args[0], a)
		}
	}
}
