package ui

import (
	"fmt"
	"html/template"
	"maps"
	"reflect"
	"testing"
	"text/template/parse"
)

// allPages has one value of every page struct; each names its template.
var allPages = []page{
	&accessPage{}, &adminPage{}, &adminEvaluationPage{}, &approvalsPage{}, &budgetPage{}, &calendarPage{},
	&candidatePage{}, &consentPage{}, &cprPage{}, &cvPage{}, &cvPreviewPage{}, &employerPage{},
	&employersPage{}, &errorPage{}, &evaluationPage{}, &funnelPage{}, &homePage{}, &loginPage{},
	&manageTasksPage{}, &openingPage{}, &pipelinePage{}, &pointsPage{}, &retentionPage{}, &rewardsPage{},
	&rulesPage{}, &taskPage{}, &taskNewPage{}, &tasksPage{}, &totpLoginPage{}, &totpSetupPage{},
	&verifyPage{}, &youthPage{}, &youthNewPage{}, &youthPipelinePage{}, &youthsPage{}, &portalPage{},
	&adminUsersPage{}, &adminUserPage{}, &adminUserSecretPage{}, &ownAccountPage{}, &inboxPage{}, &adminOutboxPage{}, &feedPage{},
}

// TestPageTemplatesReadTheirStruct parses every page as the app does and
// follows each field a template reads (.A.B, $.A, inside range and with,
// into the templates it calls) through the Go types of its page struct.
// A field the struct does not have would fail that page's render at run
// time, so it fails here. It also checks that every page has exactly one
// struct, and that a struct holds nothing its template never reads.
func TestPageTemplatesReadTheirStruct(t *testing.T) {
	msg, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	funcs := templateFuncs(msg)
	v := newViews(funcs)
	if err := v.Load(); err != nil {
		t.Fatal(err)
	}
	byName := map[string]page{}
	for _, p := range allPages {
		if _, dup := byName[p.template()]; dup {
			t.Errorf("two page structs for template %q", p.template())
		}
		byName[p.template()] = p
	}
	for name := range v.pages {
		if _, ok := byName[name]; !ok {
			t.Errorf("template %q has no page struct", name)
		}
	}
	for name, p := range byName {
		set, ok := v.pages[name]
		if !ok {
			t.Errorf("%T names template %q, which does not exist", p, name)
			continue
		}
		root := reflect.TypeOf(p)
		ck := &tmplCheck{set: set, funcs: funcs, page: name, seen: map[string]bool{}, read: map[string]bool{}}
		ck.template("layout.html", root)
		for _, e := range ck.errs {
			t.Error(e)
		}
		st := root.Elem()
		for i := 0; i < st.NumField(); i++ {
			f := st.Field(i)
			if f.Anonymous || !f.IsExported() {
				continue
			}
			if !ck.read[st.String()+"."+f.Name] {
				t.Errorf("%s: field %s is never read by its template", st, f.Name)
			}
		}
	}
}

// tmplCheck follows one page's templates through its Go types. A type of
// nil means unknown (an interface value, a dict, a function's result):
// nothing under it is checked.
type tmplCheck struct {
	set   *template.Template
	funcs template.FuncMap
	page  string
	seen  map[string]bool // template name + dot type already checked
	read  map[string]bool // "pkg.Type.Field" read somewhere
	errs  []string
}

// scope is where a node runs: the type of dot and of each variable.
type scope struct {
	dot  reflect.Type
	vars map[string]reflect.Type
}

func (s scope) with(dot reflect.Type) scope {
	return scope{dot: dot, vars: maps.Clone(s.vars)}
}

func (ck *tmplCheck) errorf(n parse.Node, tmpl, format string, args ...any) {
	ck.errs = append(ck.errs, fmt.Sprintf("page %s, template %s, %s: ", ck.page, tmpl, n)+fmt.Sprintf(format, args...))
}

// template checks the template name run with data of type dot.
func (ck *tmplCheck) template(name string, dot reflect.Type) {
	key := name + "\x00" + fmt.Sprint(dot)
	if ck.seen[key] {
		return
	}
	ck.seen[key] = true
	t := ck.set.Lookup(name)
	if t == nil || t.Tree == nil {
		ck.errs = append(ck.errs, fmt.Sprintf("page %s: no template %q", ck.page, name))
		return
	}
	ck.list(name, t.Tree.Root, scope{dot: dot, vars: map[string]reflect.Type{"$": dot}})
}

func (ck *tmplCheck) list(tmpl string, l *parse.ListNode, s scope) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		ck.node(tmpl, n, s)
	}
}

func (ck *tmplCheck) node(tmpl string, n parse.Node, s scope) {
	switch n := n.(type) {
	case *parse.ActionNode:
		ck.declare(n.Pipe, ck.pipe(tmpl, n.Pipe, s), s)
	case *parse.IfNode:
		ck.pipe(tmpl, n.Pipe, s)
		ck.list(tmpl, n.List, s.with(s.dot))
		ck.list(tmpl, n.ElseList, s.with(s.dot))
	case *parse.WithNode:
		t := ck.pipe(tmpl, n.Pipe, s)
		in := s.with(t)
		ck.declare(n.Pipe, t, in)
		ck.list(tmpl, n.List, in)
		ck.list(tmpl, n.ElseList, s.with(s.dot))
	case *parse.RangeNode:
		t := ck.pipe(tmpl, n.Pipe, s)
		key, elem := rangeTypes(t)
		in := s.with(elem)
		if len(n.Pipe.Decl) == 2 {
			in.vars[n.Pipe.Decl[0].Ident[0]] = key
			in.vars[n.Pipe.Decl[1].Ident[0]] = elem
		} else {
			ck.declare(n.Pipe, elem, in)
		}
		ck.list(tmpl, n.List, in)
		ck.list(tmpl, n.ElseList, s.with(s.dot))
	case *parse.TemplateNode:
		var t reflect.Type
		if n.Pipe != nil {
			t = ck.pipe(tmpl, n.Pipe, s)
		}
		ck.template(n.Name, t)
	case *parse.ListNode:
		ck.list(tmpl, n, s)
	}
}

// declare gives the variables a pipeline declares ({{$x := ...}}) type t.
func (ck *tmplCheck) declare(p *parse.PipeNode, t reflect.Type, s scope) {
	if p == nil {
		return
	}
	for _, v := range p.Decl {
		s.vars[v.Ident[0]] = t
	}
}

// rangeTypes are the key and element types of ranging over t.
func rangeTypes(t reflect.Type) (key, elem reflect.Type) {
	if t == nil {
		return nil, nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return reflect.TypeOf(0), t.Elem()
	case reflect.Map:
		return t.Key(), t.Elem()
	case reflect.Chan:
		return t.Elem(), nil
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64:
		return t, t
	}
	return nil, nil
}

// pipe checks a pipeline and returns the type of its value.
func (ck *tmplCheck) pipe(tmpl string, p *parse.PipeNode, s scope) reflect.Type {
	if p == nil {
		return nil
	}
	var t reflect.Type
	for _, c := range p.Cmds {
		t = ck.command(tmpl, c, s)
	}
	return t
}

// command checks every argument of a command and returns its result type.
func (ck *tmplCheck) command(tmpl string, c *parse.CommandNode, s scope) reflect.Type {
	args := make([]reflect.Type, len(c.Args))
	for i, a := range c.Args {
		args[i] = ck.arg(tmpl, a, s)
	}
	fn, ok := c.Args[0].(*parse.IdentifierNode)
	if !ok {
		return args[0]
	}
	switch fn.Ident {
	case "index":
		t := args[1]
		for i := 2; i < len(args) && t != nil; i++ {
			_, t = rangeTypes(t)
		}
		return t
	case "len":
		return reflect.TypeOf(0)
	case "print", "printf", "println", "html", "js", "urlquery":
		return reflect.TypeOf("")
	case "eq", "ne", "lt", "le", "gt", "ge", "not":
		return reflect.TypeOf(true)
	case "slice":
		return args[1]
	}
	if f, ok := ck.funcs[fn.Ident]; ok {
		if ft := reflect.TypeOf(f); ft.NumOut() > 0 {
			return known(ft.Out(0))
		}
	}
	return nil
}

// known is t, or nil (unknown) when t is an interface.
func known(t reflect.Type) reflect.Type {
	if t == nil || t.Kind() == reflect.Interface {
		return nil
	}
	return t
}

// arg checks one argument and returns its type.
func (ck *tmplCheck) arg(tmpl string, a parse.Node, s scope) reflect.Type {
	switch a := a.(type) {
	case *parse.DotNode:
		return s.dot
	case *parse.FieldNode:
		return ck.fields(tmpl, a, s.dot, a.Ident)
	case *parse.VariableNode:
		t, ok := s.vars[a.Ident[0]]
		if !ok {
			ck.errorf(a, tmpl, "unknown variable %s", a.Ident[0])
			return nil
		}
		return ck.fields(tmpl, a, t, a.Ident[1:])
	case *parse.ChainNode:
		return ck.fields(tmpl, a, ck.arg(tmpl, a.Node, s), a.Field)
	case *parse.PipeNode:
		return ck.pipe(tmpl, a, s)
	case *parse.StringNode:
		return reflect.TypeOf("")
	case *parse.BoolNode:
		return reflect.TypeOf(true)
	}
	return nil
}

// fields follows the chain .A.B.C from a value of type t.
func (ck *tmplCheck) fields(tmpl string, n parse.Node, t reflect.Type, chain []string) reflect.Type {
	for _, name := range chain {
		if t == nil {
			return nil
		}
		next, ok := ck.field(t, name)
		if !ok {
			ck.errorf(n, tmpl, "%s has no field or method %s", t, name)
			return nil
		}
		t = next
	}
	return t
}

// field is the type of t.name: a method (value or pointer receiver), a
// struct field (promoted ones too) or a map element.
func (ck *tmplCheck) field(t reflect.Type, name string) (reflect.Type, bool) {
	if m, ok := t.MethodByName(name); ok {
		return methodResult(m.Type), true
	}
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		if m, ok := reflect.PointerTo(t).MethodByName(name); ok {
			return methodResult(m.Type), true
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		f, ok := t.FieldByName(name)
		if !ok || !f.IsExported() {
			return nil, false
		}
		owner := t
		if len(f.Index) > 1 {
			owner = t.FieldByIndex(f.Index[:len(f.Index)-1]).Type
			for owner.Kind() == reflect.Pointer {
				owner = owner.Elem()
			}
		}
		ck.read[owner.String()+"."+name] = true
		return known(f.Type), true
	case reflect.Map:
		return known(t.Elem()), true
	case reflect.Interface:
		return nil, true
	}
	return nil, false
}

func methodResult(ft reflect.Type) reflect.Type {
	if ft.NumOut() == 0 {
		return nil
	}
	return known(ft.Out(0))
}
