package ui

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"fritidsjob/cv"
	"fritidsjob/employers"
	"fritidsjob/evaluation"
	"fritidsjob/fault"
	"fritidsjob/jobs"
	"fritidsjob/notify"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/points"
)

// domainErrors is every error each domain package says it returns.
func domainErrors() map[string][]*fault.Error {
	return map[string][]*fault.Error{
		"people": people.ErrorCodes(), "jobs": jobs.ErrorCodes(), "cv": cv.ErrorCodes(),
		"employers": employers.ErrorCodes(), "points": points.ErrorCodes(),
		"evaluation": evaluation.ErrorCodes(), "participation": participation.ErrorCodes(),
		"notify": notify.ErrorCodes(),
	}
}

// uiErrors are the errors ui itself refuses with.
func uiErrors() []*fault.Error {
	return []*fault.Error{errExportBusy, errOwnAccount, fault.As(errFitBusy), fault.As(errFitsFull),
		fault.As(&tooManyError{Code: "verify_throttled"})}
}

// TestErrorCodesTranslated checks that every code of every domain package
// has a message of its own in every language and a status below 500; only
// kind Internal (a bug, not the user's doing) is a 500.
func TestErrorCodesTranslated(t *testing.T) {
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	all := domainErrors()
	all["ui"] = uiErrors()
	for pkg, errs := range all {
		for _, e := range errs {
			n++
			status, key := classify(fmt.Errorf("context: %w", e))
			if e.Kind == fault.Internal {
				if status != 500 {
					t.Errorf("%s %v: kind Internal gives %d, want 500", pkg, e, status)
				}
				continue
			}
			if status >= 500 || key != faultKey(e) {
				t.Errorf("%s %v: classify = %d %q, want a status below 500 and %q", pkg, e, status, key, faultKey(e))
			}
			for _, lang := range languages {
				if _, ok := cat[lang][key]; !ok {
					t.Errorf("%s %v: no message %q in %s", pkg, e, key, lang)
				}
			}
		}
	}
	if n < 150 {
		t.Fatalf("only %d codes listed; the lists are broken", n)
	}
	// The estimator's refusals are said in parts: a detail with the same
	// verbs in every language, and the subgroup; so are the importer's
	// bad rows.
	verbs := regexp.MustCompile(`%[a-z]`)
	keys := []string{"evalx.refusal.with_detail", "evalx.refusal.group.all", "evalx.refusal.group.female", "evalx.refusal.group.male"}
	for _, d := range evaluation.RefusalDetails() {
		if k := "evalx.refusal." + d; cat["da"][k+pluralOther] != "" {
			keys = append(keys, k+pluralOne, k+pluralOther)
		} else {
			keys = append(keys, k)
		}
	}
	// A refused import's bad rows are said by their code; the command
	// line says them in lines of its own.
	keys = append(keys, "evalx.import.cli.refused", "evalx.import.cli.row", "evalx.import.cli.row_no_column",
		"evalx.import.cli.shown"+pluralOne, "evalx.import.cli.shown"+pluralOther)
	for _, code := range evaluation.RowErrorCodes() {
		if k := "evalx.row." + code; cat["da"][k+pluralOther] != "" {
			keys = append(keys, k+pluralOne, k+pluralOther)
		} else {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		for _, lang := range languages {
			if _, ok := cat[lang][k]; !ok {
				t.Errorf("no message %q in %s", k, lang)
			}
		}
		if da, en := verbs.FindAllString(cat["da"][k], -1), verbs.FindAllString(cat["en"][k], -1); !slices.Equal(da, en) {
			t.Errorf("%s: verbs %v in da, %v in en", k, da, en)
		}
	}
}

// TestErrorCodesComplete reads each domain package's source and checks
// that every code it builds is in its ErrorCodes list: sentinels made
// with fault.New or fault.InvalidField, invalid(field, code) calls, and
// the text helpers (which refuse a field as too long, with bad
// characters, or empty when required). Calls with a computed field are
// not seen; the lists name those by hand.
func TestErrorCodesComplete(t *testing.T) {
	for pkg, errs := range domainErrors() {
		listed := map[string]bool{}
		for _, e := range errs {
			listed[e.Field+"."+e.Code] = true
		}
		fset := token.NewFileSet()
		paths, err := filepath.Glob(filepath.Join("..", pkg, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, path := range paths {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			codesBuilt(f, pkg == "people", func(pos token.Pos, field, code string) {
				found++
				if !listed[field+"."+code] {
					t.Errorf("%s: %s.ErrorCodes lacks %s.%s", fset.Position(pos), pkg, field, code)
				}
			})
		}
		if found == 0 {
			t.Errorf("%s: found no error codes in the source; the scan is broken", pkg)
		}
	}
}

// codesBuilt calls found with the field ("" for none) and code of every
// error f builds from literals. requiredText says that the package's
// cleanText always refuses an empty value (people's does).
func codesBuilt(f *ast.File, requiredText bool, found func(pos token.Pos, field, code string)) {
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		var name string
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			name = fn.Name
		case *ast.SelectorExpr:
			if x, ok := fn.X.(*ast.Ident); ok && x.Name == "fault" {
				name = fn.Sel.Name
			}
		}
		first, firstOK := stringLit(call.Args[0])
		second, secondOK := stringLit(call.Args[1])
		switch {
		case name == "New" && secondOK:
			found(call.Pos(), "", second)
		case (name == "invalid" || name == "InvalidField") && firstOK && secondOK:
			found(call.Pos(), first, second)
		case (name == "text" || name == "cleanText" || name == "validText") && firstOK:
			found(call.Pos(), first, "length")
			found(call.Pos(), first, "chars")
			if requiredText || (len(call.Args) > 3 && isTrue(call.Args[3])) {
				found(call.Pos(), first, "required")
			}
		}
		return true
	})
}

func stringLit(e ast.Expr) (string, bool) {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(b.Value)
	return s, err == nil
}

func isTrue(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "true"
}

// TestDomainErrorsNotInternal sends every domain error, and the error
// types that carry more than a code, through the error page in both
// languages: none may reach the generic 500 page, and each shows its own
// message.
func TestDomainErrorsNotInternal(t *testing.T) {
	f := newFixture(t)
	a := f.app
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	type tc struct {
		err  error
		want map[string]string // the message by language
	}
	var cases []tc
	all := domainErrors()
	all["ui"] = uiErrors()
	for _, errs := range all {
		for _, e := range errs {
			if e.Kind == fault.Internal {
				continue
			}
			key := faultKey(e)
			cases = append(cases, tc{fmt.Errorf("context: %w", e), map[string]string{"da": cat["da"][key], "en": cat["en"][key]}})
		}
	}
	words := map[string]string{"da": "Regel på dansk.", "en": "Rule in English."}
	cases = append(cases,
		tc{fmt.Errorf("claim: %w", &jobs.RuleError{Rule: "r1", Messages: words}), words},
		tc{&employers.RuleError{Rules: []string{"r1"}, Messages: []map[string]string{words}}, map[string]string{
			"da": fmt.Sprintf(cat["da"]["err.employers.rules"], words["da"]), "en": fmt.Sprintf(cat["en"]["err.employers.rules"], words["en"])}},
		tc{&people.ThrottledError{RetryAfter: 3 * time.Second}, map[string]string{"da": cat["da"]["err.people.throttled"], "en": cat["en"]["err.people.throttled"]}},
		tc{fmt.Errorf("pay: %w", &points.InsufficientFundsError{}), map[string]string{"da": cat["da"]["err.points.insufficient_funds"], "en": cat["en"]["err.points.insufficient_funds"]}},
		tc{&evaluation.ImportError{}, map[string]string{"da": cat["da"]["err.evaluation.import_refused"], "en": cat["en"]["err.evaluation.import_refused"]}},
		tc{&evaluation.RefusalError{Reason: evaluation.ErrSeparation, Detail: evaluation.DetailDiverged}, map[string]string{"da": cat["da"]["err.evaluation.separation"], "en": cat["en"]["err.evaluation.separation"]}},
	)
	for _, c := range cases {
		for _, lang := range languages {
			status, body, hdr := renderError(a, lang, c.err)
			if status >= 500 || strings.Contains(body, html.EscapeString(cat[lang]["err.internal"])) {
				t.Errorf("%s %v: status %d, the generic page", lang, c.err, status)
				continue
			}
			if c.want[lang] == "" || !strings.Contains(body, html.EscapeString(c.want[lang])) {
				t.Errorf("%s %v: status %d, page lacks %q", lang, c.err, status, c.want[lang])
			}
			var th *people.ThrottledError
			if errors.As(c.err, &th) && hdr.Peek(fiber.HeaderRetryAfter) == nil {
				t.Errorf("%v: no Retry-After", c.err)
			}
		}
	}
	// A foreign error is still the generic page, and says nothing of itself.
	if status, body, _ := renderError(a, "en", errors.New("disk on fire")); status != 500 || strings.Contains(body, "fire") {
		t.Errorf("foreign error: %d\n%s", status, body)
	}
}

// renderError renders err through the app's error handler for an anonymous
// GET in lang and returns the status, the page and the headers.
func renderError(a *App, lang string, err error) (int, string, *fasthttp.ResponseHeader) {
	var rc fasthttp.RequestCtx
	rc.Request.Header.SetMethod("GET")
	rc.Request.SetRequestURI("/x")
	rc.Request.Header.SetCookie(a.cookies.lang, lang)
	c := a.fiber.AcquireCtx(&rc)
	defer a.fiber.ReleaseCtx(c)
	if herr := a.handleError(c, err); herr != nil {
		return 0, herr.Error(), nil
	}
	hdr := &fasthttp.ResponseHeader{}
	c.Response().Header.CopyTo(hdr)
	return c.Response().StatusCode(), string(c.Response().Body()), hdr
}

// TestRefusalText checks that an estimator's refusal reads as it did when
// the estimator wrote Danish itself, and in English for English users.
func TestRefusalText(t *testing.T) {
	f := newFixture(t)
	err := &evaluation.RefusalError{Reason: evaluation.ErrTooFewYouths, Detail: evaluation.DetailGroupSizes,
		Args: []any{3, 4, 20}, Group: "female"}
	for lang, want := range map[string]string{
		"da": "estimation for piger: for få unge til at estimere modellen: 3 deltagere og 4 i sammenligningsgruppen; der skal mindst 20 i hver gruppe",
		"en": "estimation for girls: too few youths to estimate the model: 3 participants and 4 in the comparison group; each group needs at least 20",
	} {
		if got := f.app.refusalText(lang, fmt.Errorf("fit: %w", err)); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	err.Args[0] = 1
	if got, want := f.app.refusalText("en", err), "estimation for girls: too few youths to estimate the model: 1 participant and 4 in the comparison group; each group needs at least 20"; got != want {
		t.Errorf("one participant: %q, want %q", got, want)
	}
	window := &evaluation.RefusalError{Reason: evaluation.ErrInvalidInput, Detail: evaluation.DetailRefOutside, Args: []any{-5, -3, 3}}
	if got, want := f.app.refusalText("da", window), "ugyldigt input til estimationen: referenceåret -5 ligger uden for vinduet -3..3"; got != want {
		t.Errorf("window: %q, want %q", got, want)
	}
	if got := f.app.refusalText("da", &evaluation.RefusalError{Reason: evaluation.ErrSingular}); got != "modellens forklarende variable er lineært afhængige" {
		t.Errorf("without detail: %q", got)
	}
}
