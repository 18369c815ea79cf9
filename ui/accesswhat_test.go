package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryAccessLogSubjectHasWords reads ui's source for the subjects
// ("what") of the access-log entries it writes — the third argument of
// audit, accessEntry and userEntry, a string or a constant — and checks
// that both languages can say each one: a youth reading "Hvem har set
// mine oplysninger?" must never see a bare key.
func TestEveryAccessLogSubjectHasWords(t *testing.T) {
	f := newFixture(t)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	consts := map[string]string{}
	var calls []*ast.CallExpr
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if i < len(n.Values) {
						if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[id.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && len(n.Args) > 2 {
					switch sel.Sel.Name {
					case "audit", "accessEntry", "userEntry":
						calls = append(calls, n)
					}
				}
			}
			return true
		})
	}
	seen := map[string]bool{}
	for _, call := range calls {
		var what string
		switch arg := call.Args[2].(type) {
		case *ast.BasicLit:
			what, _ = strconv.Unquote(arg.Value)
		case *ast.Ident:
			what = consts[arg.Name]
		}
		if what == "" || seen[what] {
			continue // a subject passed through a variable is checked where it is a literal
		}
		seen[what] = true
		for _, lang := range languages {
			if !f.app.msg.has(lang, "awhat."+what) {
				t.Errorf("%s: the access-log subject %q has no awhat.%s in %s", fset.Position(call.Pos()), what, what, lang)
			}
		}
	}
	if len(seen) < 20 {
		t.Fatalf("found only %d access-log subjects: the scan looks wrong", len(seen))
	}
}
