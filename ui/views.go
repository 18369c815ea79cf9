package ui

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
)

//go:embed templates
var templateFS embed.FS

// views renders pages with the standard library's html/template. Each page
// is parsed once at start-up into its own set with the layout and partials,
// so a broken template stops the start and renders share no lock (the
// gofiber html engine holds a mutex for every layout render).
type views struct {
	funcs template.FuncMap
	pages map[string]*template.Template
}

func newViews(funcs template.FuncMap) *views { return &views{funcs: funcs} }

// Load parses every page under templates/pages with templates/layout.html
// and templates/partials.html. It implements fiber.Views.
func (v *views) Load() error {
	root, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return err
	}
	base, err := template.New("layout.html").Funcs(v.funcs).ParseFS(root, "layout.html", "partials.html")
	if err != nil {
		return fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(root, "pages/*.html")
	if err != nil {
		return err
	}
	v.pages = map[string]*template.Template{}
	for _, name := range names {
		t, err := base.Clone()
		if err == nil {
			t, err = t.ParseFS(root, name)
		}
		if err != nil {
			return fmt.Errorf("parse %s: %w", name, err)
		}
		v.pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return nil
}

// Render writes page name inside the layout. It implements fiber.Views.
func (v *views) Render(w io.Writer, name string, data any, _ ...string) error {
	t, ok := v.pages[name]
	if !ok {
		return fmt.Errorf("no page %q", name)
	}
	return t.ExecuteTemplate(w, "layout.html", data)
}
