// Package pdf lays out a CV as an A4 PDF of one or two pages with
// github.com/jung-kurt/gofpdf (a patched copy in cv/gofpdf, see its
// PATCHES.md). It knows nothing of youths or the store: package cv turns its
// model into a Document and calls Render.
//
// Text is drawn only with the embedded DejaVu Sans (regular and bold), never
// with gofpdf's core fonts: those turn letters outside cp1252 into "." and
// gofpdf's SplitText panics on them. The renderer does its own measuring and
// line breaking from widths read out of the font once per process, so every
// string that reaches gofpdf is valid UTF-8 made only of characters both faces
// cover (gofpdf's UTF-8 path indexes tables by rune and slices bytes without
// checks, so it would panic or corrupt the file on anything else).
//
// Layout rules (A4, at most two pages):
//   - The content is laid out once per attempt; a typical CV fits on one page.
//   - If it does not fit on two pages, sections are dropped in this order
//     until it does: interests, then skills (in the compact template only while
//     the sidebar overflows, since that is where they live), then the oldest
//     work lines (Work is taken as newest first, so lines are dropped from the
//     end; the fewest needed, found by binary search).
//   - If it still does not fit, the content is cut at the end of page two
//     between lines, never inside one, and never leaving a heading alone.
//   - Single fields are capped so one field cannot eat the page: the profile
//     at 14 lines, a name or title at 2-3 lines, ending with "…".
//   - The verification footer (text and QR code) sits at the bottom of the
//     last page and always prints.
package pdf

import (
	"bytes"
	"fmt"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// Version names the renderer's output; callers that cache PDFs mix it into
// their keys. Bump it when the output changes.
const Version = "cv-pdf/1"

// Document is the text printed on a CV, already chosen and translated by the
// caller: the renderer adds nothing of its own except the section headings
// and the verification footer's fixed words in Lang. Any string is accepted:
// the renderer cleans what the font cannot draw.
type Document struct {
	Lang     string // "en" for English headings; anything else is Danish
	Template string // "compact" for the sidebar layout; anything else is "clean"

	Name     string
	Headline string
	Contact  []string // contact lines, printed in order
	Profile  string   // free text; line breaks start paragraphs

	Work       []WorkLine // newest first: the oldest lines are dropped first
	Education  []Entry
	Courses    []Entry
	Languages  []Language
	Skills     []string
	Interests  []string
	References []Reference

	// The verification footer, printed when Code is set, with a QR code of
	// URL when URL is set.
	Code       string
	URL        string
	Issued     string // the date the code was issued, already formatted
	VerifiedBy string
}

// WorkLine is one line of work experience; Verified lines get a check mark,
// the others are marked self-reported.
type WorkLine struct {
	Title, Place, Detail, Period string
	Verified                     bool
}

// Entry is a line in education or courses, marked like a WorkLine.
type Entry struct {
	Title, Place, Period string
	Verified             bool
}

// Language is a language and the level in it, as words.
type Language struct {
	Name, Level string
}

// Reference is a referee as printed.
type Reference struct {
	Name, Relation, Contact string
}

// Render lays out d as an A4 PDF of one or two pages. It never panics: any
// internal failure is returned as an error.
func Render(d Document) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("cv: render pdf: internal error: %v", p)
		}
	}()
	res, err := render(d, options{})
	if err != nil {
		return nil, err
	}
	return res.pdf, nil
}

// options are internal switches used by tests and benchmarks.
type options struct {
	core       bool // core Helvetica with ASCII-folded text: the benchmark baseline
	noCompress bool // leave content streams readable
}

type result struct {
	pdf   []byte
	pages int
}

// epoch is the fixed creation date written into every PDF, so the same
// document always gives the same bytes and the file does not reveal when it
// was made.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// render renders d without Render's recover, so fuzzing sees panics.
func render(d Document, o options) (result, error) {
	fs, err := fonts(o.core)
	if err != nil {
		return result{}, err
	}
	l := &layout{fs: fs, c: prepare(d, fs)}
	l.footer()
	plan := l.plan()
	pt := &painter{pdf: newFpdf(fs, o, l.c.lb.Title), fs: fs}
	for p := 0; p < plan.pages; p++ {
		pt.page(l, plan, p)
	}
	var buf bytes.Buffer
	buf.Grow(64 << 10)
	if err := pt.pdf.Output(&buf); err != nil {
		return result{}, fmt.Errorf("cv: render pdf: %w", err)
	}
	return result{pdf: buf.Bytes(), pages: plan.pages}, nil
}

// newFpdf returns an A4 gofpdf document without pages, with fixed dates
// (see epoch), no automatic page breaks or margins, and fs's faces.
func newFpdf(fs *fontSet, o options, title string) *gofpdf.Fpdf {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(!o.noCompress)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(epoch)
	pdf.SetModificationDate(epoch)
	pdf.SetCreator("Fritidsjob", false)
	pdf.SetTitle(title, false)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	if !fs.core {
		// Shared bytes: the patched gofpdf parses them once per process
		// and never writes into them (see loadFonts).
		pdf.AddUTF8FontFromBytes("dejavu", "", fs.faces[0].ttf)
		pdf.AddUTF8FontFromBytes("dejavu", "B", fs.faces[1].ttf)
	}
	return pdf
}
