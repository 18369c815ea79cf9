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
	_ "embed" // fonts
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"
)

//go:embed fonts/DejaVuSans.ttf
var regularTTF []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var boldTTF []byte

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

// ---- labels -----------------------------------------------------------------

// labelSet holds the renderer's own fixed strings in one language.
type labelSet struct {
	Title, Profile, Work, Education, Courses, Languages, Skills, Interests, References, Contact string
	VerifiedBy, Self, Code, Issued, Scan                                                        string
}

var labels = map[string]labelSet{
	"da": {
		Title: "CV", Profile: "Profil", Work: "Erfaring", Education: "Uddannelse",
		Courses: "Kurser og beviser", Languages: "Sprog", Skills: "Kompetencer",
		Interests: "Interesser", References: "Referencer", Contact: "Kontakt",
		VerifiedBy: "Verificeret af %s", Self: "egen angivelse", Code: "kode %s",
		Issued: "Udstedt %s.", Scan: "Scan QR-koden for at se, hvad der er verificeret.",
	},
	"en": {
		Title: "CV", Profile: "Profile", Work: "Experience", Education: "Education",
		Courses: "Courses and certificates", Languages: "Languages", Skills: "Skills",
		Interests: "Interests", References: "References", Contact: "Contact",
		VerifiedBy: "Verified by %s", Self: "self-reported", Code: "code %s",
		Issued: "Issued %s.", Scan: "Scan the QR code to see what has been verified.",
	},
}

// ---- fonts --------------------------------------------------------------------

// face is one font face as the layout sees it.
type face struct {
	ttf []byte   // TrueType bytes handed to gofpdf for every document
	cw  []uint16 // advance width of each BMP rune in 1/1000 em, rounded as gofpdf does
}

// fontSet is what a render needs to know about its fonts.
type fontSet struct {
	core  bool     // gofpdf core Helvetica with ASCII-folded text (benchmark baseline only)
	faces [2]face  // regular, bold
	cov   []uint64 // bit set of BMP runes both faces draw
}

func (fs *fontSet) covers(r rune) bool {
	return r >= 0 && r < 0x10000 && fs.cov[r>>6]&(1<<(uint(r)&63)) != 0
}

// subsetRanges are the Unicode blocks kept from DejaVu Sans: the scripts
// youths in Denmark write names and texts in (Latin incl. Vietnamese, Greek,
// Cyrillic, Armenian, Georgian, Hebrew, Arabic) and common punctuation and
// symbols. Subsetting once per process halves the font bytes gofpdf keeps
// and compares (by content) each time a document adds a face.
var subsetRanges = [][2]rune{
	{0x0020, 0x007E}, {0x00A0, 0x058F}, {0x0590, 0x06FF}, {0x0750, 0x077F},
	{0x10A0, 0x10FF}, {0x1E00, 0x1FFF}, {0x2000, 0x21FF}, {0x2713, 0x2714},
	{0x2C60, 0x2C7F}, {0xA720, 0xA7FF}, {0xFB00, 0xFB06}, {0xFE70, 0xFEFF},
	{0xFFFD, 0xFFFD},
}

var (
	unicodeOnce  sync.Once
	unicodeFonts *fontSet
	unicodeErr   error
	coreOnce     sync.Once
	coreFonts    *fontSet
)

func fonts(core bool) (*fontSet, error) {
	if core {
		coreOnce.Do(func() { coreFonts = loadCoreFonts() })
		return coreFonts, nil
	}
	unicodeOnce.Do(func() { unicodeFonts, unicodeErr = loadFonts() })
	return unicodeFonts, unicodeErr
}

// loadFonts subsets both embedded faces to subsetRanges and reads their
// widths and coverage. Every document adds the same subset bytes to its
// gofpdf instance; our patched gofpdf (cv/gofpdf, see its
// PATCHES.md) parses them once per process, keyed by content, gives each
// document its own copy of the parts it mutates while writing, and never
// writes into the bytes it is given.
func loadFonts() (*fontSet, error) {
	fs := &fontSet{cov: make([]uint64, 1024)}
	for i, full := range [][]byte{regularTTF, boldTTF} {
		_, cov, err := parseTTF(full)
		if err != nil {
			return nil, fmt.Errorf("cv: render pdf: embedded font %d: %w", i, err)
		}
		var cut strings.Builder
		for _, rg := range subsetRanges {
			for r := rg[0]; r <= rg[1]; r++ {
				if cov[r>>6]&(1<<(uint(r)&63)) != 0 {
					cut.WriteRune(r)
				}
			}
		}
		sub := gofpdf.UTF8CutFont(full, cut.String())
		cw, subCov, err := parseTTF(sub)
		if err != nil {
			return nil, fmt.Errorf("cv: render pdf: subset of embedded font %d: %w", i, err)
		}
		fs.faces[i] = face{ttf: sub, cw: cw}
		for j := range fs.cov {
			if i == 0 {
				fs.cov[j] = subCov[j]
			} else {
				fs.cov[j] &= subCov[j]
			}
		}
	}
	if !fs.covers(0xFFFD) || !fs.covers(0x2713) {
		return nil, errors.New("cv: render pdf: embedded font lacks U+FFFD or U+2713")
	}
	return fs, nil
}

// loadCoreFonts reads Helvetica's widths from gofpdf for the ASCII-only
// baseline used by the benchmark.
func loadCoreFonts() *fontSet {
	fs := &fontSet{core: true, cov: make([]uint64, 1024)}
	p := gofpdf.New("P", "mm", "A4", "")
	for i, style := range []string{"", "B"} {
		p.SetFont("Helvetica", style, 10)
		cw := make([]uint16, 0x10000)
		for r := rune(0x20); r < 0x7F; r++ {
			cw[r] = uint16(p.GetStringSymbolWidth(string(r)))
			fs.cov[r>>6] |= 1 << (uint(r) & 63)
		}
		fs.faces[i] = face{cw: cw}
	}
	return fs
}

// parseTTF reads the advance width of every BMP rune the font's Unicode
// cmap (format 4, as gofpdf uses) maps to a glyph, and the set of such runes.
func parseTTF(b []byte) (cw []uint16, cov []uint64, err error) {
	be := binary.BigEndian
	errBad := errors.New("malformed TrueType font")
	if len(b) < 12 {
		return nil, nil, errBad
	}
	tables := map[string][]byte{}
	for i, n := 0, int(be.Uint16(b[4:])); i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return nil, nil, errBad
		}
		off, size := int(be.Uint32(b[rec+8:])), int(be.Uint32(b[rec+12:]))
		if off < 0 || size < 0 || off+size > len(b) {
			return nil, nil, errBad
		}
		tables[string(b[rec:rec+4])] = b[off : off+size]
	}
	head, hhea, hmtx, cmap := tables["head"], tables["hhea"], tables["hmtx"], tables["cmap"]
	if len(head) < 20 || len(hhea) < 36 || len(cmap) < 4 {
		return nil, nil, errBad
	}
	upem := int(be.Uint16(head[18:]))
	nh := int(be.Uint16(hhea[34:]))
	if upem == 0 || nh == 0 || len(hmtx) < 4*nh {
		return nil, nil, errBad
	}
	scale := 1000 / float64(upem)
	advance := func(g int) uint16 {
		if g >= nh {
			g = nh - 1
		}
		w := int(be.Uint16(hmtx[4*g:]))
		if w >= 1<<15 {
			w = 0
		}
		return uint16(math.Round(scale * float64(w)))
	}
	var t []byte
	for i, n := 0, int(be.Uint16(cmap[2:])); i < n; i++ {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			return nil, nil, errBad
		}
		pid, eid, off := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:]), int(be.Uint32(cmap[rec+4:]))
		if (pid == 3 && eid == 1) || pid == 0 {
			if off >= 0 && off+4 <= len(cmap) && be.Uint16(cmap[off:]) == 4 {
				t = cmap[off:]
				if l := int(be.Uint16(t[2:])); l <= len(t) {
					t = t[:l]
				}
				break
			}
		}
	}
	if len(t) < 14 {
		return nil, nil, errors.New("no Unicode format 4 cmap")
	}
	segX2 := int(be.Uint16(t[6:]))
	ends, starts := 14, 16+segX2
	deltas, ranges := starts+segX2, starts+2*segX2
	if ranges+segX2 > len(t) {
		return nil, nil, errBad
	}
	cw, cov = make([]uint16, 0x10000), make([]uint64, 1024)
	for s := 0; s < segX2/2; s++ {
		end, start := int(be.Uint16(t[ends+2*s:])), int(be.Uint16(t[starts+2*s:]))
		delta, ro := int(be.Uint16(t[deltas+2*s:])), int(be.Uint16(t[ranges+2*s:]))
		for c := start; c <= end && c < 0xFFFF; c++ {
			g := (c + delta) & 0xFFFF
			if ro != 0 {
				p := ranges + 2*s + ro + 2*(c-start)
				if p+2 > len(t) {
					continue
				}
				if g = int(be.Uint16(t[p:])); g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			if g == 0 {
				continue
			}
			cw[c] = advance(g)
			cov[c>>6] |= 1 << (uint(c) & 63)
		}
	}
	return cw, cov, nil
}

// ---- styles and measuring -------------------------------------------------------

type style uint8

const (
	stName style = iota
	stHeadline
	stContact
	stHeading
	stBody
	stBold
	stMuted
	stMark
	stFoot
	stFootBold
	stSide
	stSideBold
)

type styleDef struct {
	bold bool
	size float64 // points
	rgb  [3]int
}

var (
	inkRGB    = [3]int{31, 41, 51}
	mutedRGB  = [3]int{82, 96, 109}
	accentRGB = [3]int{15, 118, 110}
	ruleRGB   = [3]int{203, 210, 217}
	sideRGB   = [3]int{232, 241, 240}
)

var styles = [...]styleDef{
	stName:     {true, 21, inkRGB},
	stHeadline: {false, 11, inkRGB},
	stContact:  {false, 9, mutedRGB},
	stHeading:  {true, 10.5, accentRGB},
	stBody:     {false, 9.5, inkRGB},
	stBold:     {true, 9.5, inkRGB},
	stMuted:    {false, 8.5, mutedRGB},
	stMark:     {false, 9.5, accentRGB},
	stFoot:     {false, 8, mutedRGB},
	stFootBold: {true, 8, inkRGB},
	stSide:     {false, 9, inkRGB},
	stSideBold: {true, 9, inkRGB},
}

const ptMM = 25.4 / 72

func sizeMM(st style) float64 { return styles[st].size * ptMM }

// width is the advance of s in style st, in mm.
func (fs *fontSet) width(st style, s string) float64 {
	def := styles[st]
	f := &fs.faces[0]
	if def.bold {
		f = &fs.faces[1]
	}
	u := 0
	for _, r := range s {
		if r >= 0 && r < 0x10000 {
			u += int(f.cw[r])
		}
	}
	return float64(u) * def.size / 1000 * ptMM
}

// ---- text cleaning --------------------------------------------------------------

const maxRunes = 5000 // per field; far more than two pages hold

// clean makes s drawable: invalid UTF-8 becomes U+FFFD; control and format
// characters (including bidi controls and zero-width joiners) are dropped;
// whitespace runs become one space (line breaks become "\n" when multiline,
// several in a row one); characters the font lacks become U+FFFD, runs of
// them one, except marks and variation selectors, which are dropped. In core
// mode the result is folded to ASCII instead.
func (fs *fontSet) clean(s string, multiline bool) string {
	var b strings.Builder
	b.Grow(min(len(s), 4*maxRunes))
	pendSpace, pendNL, started, lastRepl := false, false, false, false
	n := 0
	for i := 0; i < len(s) && n < maxRunes; {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029:
			if multiline {
				pendNL = started
			} else {
				pendSpace = started
			}
			continue
		case unicode.IsSpace(r):
			pendSpace = started
			continue
		case r != utf8.RuneError && (unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r)):
			continue
		}
		if fs.core {
			if unicode.Is(unicode.M, r) {
				continue
			}
		} else if !fs.covers(r) {
			if unicode.Is(unicode.M, r) || unicode.Is(unicode.Variation_Selector, r) {
				continue
			}
			r = utf8.RuneError
		}
		if r == utf8.RuneError && lastRepl && !pendSpace && !pendNL {
			continue
		}
		if pendNL {
			b.WriteByte('\n')
		} else if pendSpace {
			b.WriteByte(' ')
		}
		pendNL, pendSpace = false, false
		if fs.core {
			b.WriteString(fold(r))
		} else {
			b.WriteRune(r)
		}
		started, lastRepl = true, r == utf8.RuneError
		n++
	}
	return b.String()
}

// fix prepares a fixed string (a label or separator) for the font set.
func (fs *fontSet) fix(s string) string {
	if !fs.core {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		b.WriteString(fold(r))
	}
	return b.String()
}

var foldMap = map[rune]string{
	'æ': "ae", 'Æ': "Ae", 'ø': "oe", 'Ø': "Oe", 'å': "aa", 'Å': "Aa", 'é': "e", 'É': "E",
	'ü': "u", 'ö': "o", 'ä': "a", 'Ü': "U", 'Ö': "O", 'Ä': "A", 'ß': "ss",
	'·': "-", '–': "-", '—': "-", '…': "...", '✓': "+", '‘': "'", '’': "'", '“': "\"", '”': "\"",
}

// fold maps r to ASCII for the core-font baseline.
func fold(r rune) string {
	if r >= 0x20 && r < 0x7F {
		return string(r)
	}
	if s, ok := foldMap[r]; ok {
		return s
	}
	return "?"
}

// ---- bidi -------------------------------------------------------------------------

func isRTL(r rune) bool {
	return !unicode.IsDigit(r) && unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko)
}

var mirror = map[rune]rune{'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«'}

// visual returns the spans of one line in visual (left-to-right drawing)
// order. gofpdf does no bidi and no shaping, so this is a small subset of
// the Unicode bidi algorithm for a left-to-right paragraph: every run that
// starts with a right-to-left letter and continues up to the last RTL letter
// or digit before the next LTR letter is reversed cluster by cluster (a base
// letter keeps its marks after it), digit groups inside it keep their order,
// and brackets in it are mirrored. Arabic letters are NOT shaped: they print
// in their isolated forms, unjoined, which is legible but not proper Arabic
// typography. Extracted text (pdftotext) still gives the letters in logical
// order, because readers reorder RTL runs back.
func visual(spans []span) []span {
	hasRTL := false
	for _, sp := range spans {
		for _, r := range sp.s {
			if isRTL(r) {
				hasRTL = true
				break
			}
		}
	}
	if !hasRTL {
		return spans
	}
	type unit struct {
		s  string
		st style
		r  rune // first rune
	}
	var us []unit
	for _, sp := range spans {
		for i := 0; i < len(sp.s); {
			r, n := utf8.DecodeRuneInString(sp.s[i:])
			j := i + n
			for j < len(sp.s) {
				m, k := utf8.DecodeRuneInString(sp.s[j:])
				if !unicode.Is(unicode.M, m) {
					break
				}
				j += k
			}
			us = append(us, unit{sp.s[i:j], sp.st, r})
			i = j
		}
	}
	isLTR := func(r rune) bool { return unicode.IsLetter(r) && !isRTL(r) }
	for i := 0; i < len(us); {
		if !isRTL(us[i].r) {
			i++
			continue
		}
		last := i
		for k := i; k < len(us) && !isLTR(us[k].r); k++ {
			if isRTL(us[k].r) || unicode.IsDigit(us[k].r) {
				last = k
			}
		}
		// Bracket pairs opened inside the run close inside it (a much
		// simplified rule N0): "عمل (صيف)" takes its ")" along.
		depth := 0
		for k := i; k <= last; k++ {
			if strings.ContainsRune("([{<«", us[k].r) {
				depth++
			} else if depth > 0 && strings.ContainsRune(")]}>»", us[k].r) {
				depth--
			}
		}
		for k := last + 1; k < len(us) && depth > 0 && !isLTR(us[k].r); k++ {
			if strings.ContainsRune(")]}>»", us[k].r) {
				if depth--; depth == 0 {
					last = k
				}
			}
		}
		run := us[i : last+1]
		// Reverse the run, then restore the order inside digit groups.
		for a, b := 0, len(run)-1; a < b; a, b = a+1, b-1 {
			run[a], run[b] = run[b], run[a]
		}
		for a := 0; a < len(run); {
			if !unicode.IsDigit(run[a].r) {
				if m, ok := mirror[run[a].r]; ok && len(run[a].s) == utf8.RuneLen(run[a].r) {
					run[a].s, run[a].r = string(m), m
				}
				a++
				continue
			}
			b := a
			for b+1 < len(run) && (unicode.IsDigit(run[b+1].r) || (b+2 < len(run) && strings.ContainsRune(".,:", run[b+1].r) && unicode.IsDigit(run[b+2].r))) {
				b++
			}
			for x, y := a, b; x < y; x, y = x+1, y-1 {
				run[x], run[y] = run[y], run[x]
			}
			a = b + 1
		}
		i = last + 1
	}
	var out []span
	for _, u := range us {
		if n := len(out); n > 0 && out[n-1].st == u.st {
			out[n-1].s += u.s
		} else {
			out = append(out, span{u.st, u.s})
		}
	}
	return out
}

// ---- line breaking ----------------------------------------------------------------

// span is text in one style.
type span struct {
	st style
	s  string
}

// line is one laid-out line in logical order.
type line struct {
	spans []span
	w     float64 // width in mm
	size  float64 // largest font size in mm
}

func (l line) height() float64 { return 1.3 * l.size }

// tok is a word (a break may come before it) in one style.
type tok struct {
	st    style
	s     string
	stick bool // keep on the line of the previous token (separators)
}

type para []tok

// words appends the space-separated words of s.
func (p para) words(st style, s string) para {
	for _, w := range strings.Split(s, " ") {
		if w != "" {
			p = append(p, tok{st: st, s: w})
		}
	}
	return p
}

// wrap breaks p into lines no wider than first (the first line) and rest
// (the others). A word wider than a line is broken between characters. At
// most maxLines lines are returned; if text was left over the last line ends
// with "…".
func (fs *fontSet) wrap(p para, first, rest float64, maxLines int) []line {
	var lines []line
	var cur []tok
	var curW float64
	limit := func() float64 {
		if len(lines) == 0 {
			return first
		}
		return rest
	}
	full := false
	flush := func() {
		if len(cur) == 0 {
			return
		}
		if len(lines) == maxLines {
			full = true
			return
		}
		var l line
		for i, t := range cur {
			s := t.s
			if i > 0 {
				s = " " + s
			}
			if n := len(l.spans); n > 0 && l.spans[n-1].st == t.st {
				l.spans[n-1].s += s
			} else {
				l.spans = append(l.spans, span{t.st, s})
			}
			l.size = max(l.size, sizeMM(t.st))
		}
		l.w = curW
		lines = append(lines, l)
		cur, curW = cur[:0:0], 0
	}
	for _, t := range p {
		if full {
			break
		}
		w := fs.width(t.st, t.s)
		sp := 0.0
		if len(cur) > 0 {
			sp = fs.width(t.st, " ")
		}
		if curW+sp+w <= limit() {
			cur, curW = append(cur, t), curW+sp+w
			continue
		}
		if t.stick && len(cur) > 1 {
			prev := cur[len(cur)-1]
			pw := fs.width(prev.st, prev.s)
			if pw+fs.width(t.st, " ")+w <= rest {
				cur = cur[:len(cur)-1]
				curW -= pw + fs.width(prev.st, " ")
				flush()
				cur, curW = append(cur, prev, t), pw+fs.width(t.st, " ")+w
				continue
			}
		}
		flush()
		if w <= limit() {
			cur, curW = append(cur, t), w
			continue
		}
		// A word wider than the line: break it between clusters.
		piece, pw := "", 0.0
		for i := 0; i < len(t.s) && !full; {
			j := nextCluster(t.s, i)
			cw := fs.width(t.st, t.s[i:j])
			if pw+cw > limit() && piece != "" {
				cur, curW = append(cur, tok{st: t.st, s: piece}), pw
				flush()
				piece, pw = "", 0
			}
			piece, pw = piece+t.s[i:j], pw+cw
			i = j
		}
		if piece != "" && !full {
			cur, curW = append(cur, tok{st: t.st, s: piece}), pw
		}
	}
	flush()
	if full && len(lines) > 0 {
		fs.ellipsize(&lines[len(lines)-1], rest)
	}
	return lines
}

// nextCluster returns the end of the character starting at i together
// with the combining marks after it.
func nextCluster(s string, i int) int {
	_, n := utf8.DecodeRuneInString(s[i:])
	i += n
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.Is(unicode.M, r) {
			break
		}
		i += n
	}
	return i
}

// ellipsize ends l with "…", dropping characters until it fits in w.
func (fs *fontSet) ellipsize(l *line, w float64) {
	last := &l.spans[len(l.spans)-1]
	dots := fs.fix("…")
	for {
		total := 0.0
		for _, sp := range l.spans {
			total += fs.width(sp.st, sp.s)
		}
		if total+fs.width(last.st, dots) <= w || last.s == "" {
			l.w = total + fs.width(last.st, dots)
			last.s += dots
			return
		}
		_, n := utf8.DecodeLastRuneInString(last.s)
		last.s = strings.TrimRight(last.s[:len(last.s)-n], " ")
	}
}

// ---- blocks and pagination ----------------------------------------------------------

// block is one unbreakable piece of a column: a line of text with what
// goes around it.
type block struct {
	h     float64 // total height in mm
	pad   float64 // space above the text
	keep  bool    // keep on the same page as the next block
	line  line
	mark  bool    // draw the verified check mark in front of the line
	right span    // right-aligned text on the same line
	rule  bool    // draw a thin rule under the line, the column's width
	w     float64 // column width
}

type placed struct {
	b *block
	y float64 // top, relative to the column's top
}

// paginate places blocks on at most len(caps) pages, page i holding
// caps[i] mm. It returns the pages and how many blocks were placed. A chain
// of blocks marked keep moves to the next page with the block after it,
// unless the chain starts the page.
func paginate(bs []block, caps []float64) ([][]placed, int) {
	pages := [][]placed{nil}
	y := 0.0
	for i := 0; i < len(bs); {
		p := len(pages) - 1
		if y+bs[i].h <= caps[p] || len(pages[p]) == 0 {
			pages[p] = append(pages[p], placed{&bs[i], y})
			y += bs[i].h
			i++
			continue
		}
		cur := pages[p]
		j := len(cur)
		for j > 0 && cur[j-1].b.keep {
			j--
		}
		if j > 0 && j < len(cur) {
			i -= len(cur) - j
			pages[p] = cur[:j]
		}
		if len(pages) == len(caps) {
			return pages, i
		}
		pages = append(pages, nil)
		y = 0
	}
	return pages, len(bs)
}

// ---- content --------------------------------------------------------------------

// content is a Document cleaned for drawing.
type content struct {
	lb                      labelSet
	compact                 bool
	name, headline, profile string
	contact                 []string
	work                    []WorkLine
	education, courses      []Entry
	languages               []Language
	skills, interests       []string
	refs                    []Reference
	code, url, issued, vby  string
	qr                      [][]bool
	link                    string // d.URL when it is a plain http(s) URL, for the annotation
}

// Caps on list lengths: more entries than two pages can hold are never shown.
const (
	maxItems = 120
	maxShort = 20
)

func prepare(d Document, fs *fontSet) *content {
	c := &content{lb: labels["da"], compact: d.Template == "compact"}
	if d.Lang == "en" {
		c.lb = labels["en"]
	}
	cl := func(s string) string { return fs.clean(s, false) }
	c.name, c.headline, c.profile = cl(d.Name), cl(d.Headline), fs.clean(d.Profile, true)
	for _, s := range firstN(d.Contact, maxShort) {
		if s = cl(s); s != "" {
			c.contact = append(c.contact, s)
		}
	}
	for _, w := range firstN(d.Work, maxItems) {
		w = WorkLine{Title: cl(w.Title), Place: cl(w.Place), Detail: cl(w.Detail), Period: cl(w.Period), Verified: w.Verified}
		if w.Title+w.Place+w.Detail+w.Period != "" {
			c.work = append(c.work, w)
		}
	}
	entries := func(in []Entry) (out []Entry) {
		for _, e := range firstN(in, maxItems) {
			e = Entry{Title: cl(e.Title), Place: cl(e.Place), Period: cl(e.Period), Verified: e.Verified}
			if e.Title+e.Place+e.Period != "" {
				out = append(out, e)
			}
		}
		return out
	}
	c.education, c.courses = entries(d.Education), entries(d.Courses)
	for _, l := range firstN(d.Languages, maxItems) {
		if l = (Language{Name: cl(l.Name), Level: cl(l.Level)}); l.Name+l.Level != "" {
			c.languages = append(c.languages, l)
		}
	}
	words := func(in []string) (out []string) {
		for _, s := range firstN(in, maxItems) {
			if s = cl(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	c.skills, c.interests = words(d.Skills), words(d.Interests)
	for _, r := range firstN(d.References, maxShort) {
		if r = (Reference{Name: cl(r.Name), Relation: cl(r.Relation), Contact: cl(r.Contact)}); r.Name+r.Relation+r.Contact != "" {
			c.refs = append(c.refs, r)
		}
	}
	c.code = cl(d.Code)
	if c.code != "" {
		c.url, c.issued, c.vby = cl(d.URL), cl(d.Issued), cl(d.VerifiedBy)
		c.qr = qrBitmap(d.URL)
		if u, err := url.Parse(d.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
			len(d.URL) <= 1000 && strings.IndexFunc(d.URL, func(r rune) bool { return r <= ' ' || r >= 0x7F }) < 0 {
			c.link = d.URL
		}
	}
	return c
}

// qrCache keeps recent QR bitmaps by URL: a youth who edits the CV keeps the
// code, and encoding costs ~0.4 ms. Bitmaps are never modified once made.
var qrCache struct {
	sync.Mutex
	m map[string][][]bool
}

// qrBitmap returns the QR code of u without a quiet zone, or nil when u is
// empty or too long to encode.
func qrBitmap(u string) [][]bool {
	if u == "" || len(u) > 1000 {
		return nil
	}
	qrCache.Lock()
	bm, ok := qrCache.m[u]
	qrCache.Unlock()
	if ok {
		return bm
	}
	q, err := qrcode.New(u, qrcode.Medium)
	if err != nil {
		return nil
	}
	q.DisableBorder = true
	bm = q.Bitmap()
	qrCache.Lock()
	if qrCache.m == nil || len(qrCache.m) >= 256 {
		qrCache.m = make(map[string][][]bool)
	}
	qrCache.m[u] = bm
	qrCache.Unlock()
	return bm
}

func firstN[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// ---- layout -----------------------------------------------------------------------

// Page geometry in mm.
const (
	pageH                      = 297.0
	pageTop, pageBottom        = 16.0, 283.0
	cleanX, cleanW             = 18.0, 174.0
	sideW                      = 66.0 // the compact template's sidebar
	sideX, sideTW              = 9.0, 48.0
	compactMainX, compactMainW = 75.0, 117.0 // the compact template's main column
	qrSize                     = 25.0
	markGap                    = 4.2 // how far the check mark hangs left of a line
)

type trunc struct {
	noInterests, noSkills bool
	work                  int // number of work lines kept
}

type layout struct {
	fs *fontSet
	c  *content
	// footer, laid out once
	footLines []line
	footH     float64
}

func (l *layout) mainX() (x, w float64) {
	if l.c.compact {
		return compactMainX, compactMainW
	}
	return cleanX, cleanW
}

// column collects the blocks of one column.
type column struct {
	fs *fontSet
	w  float64
	bs []block
}

func (c *column) add(lines []line, pad float64, keepAll bool) {
	for i, ln := range lines {
		b := block{line: ln, h: ln.height(), w: c.w, keep: keepAll}
		if i == 0 {
			b.pad, b.h = pad, b.h+pad
		}
		c.bs = append(c.bs, b)
	}
}

func (c *column) heading(text string) {
	ln := c.fs.wrap(para{}.words(stHeading, c.fs.fix(text)), c.w, c.w, 2)
	for i, l := range ln {
		b := block{line: l, h: l.height(), w: c.w, keep: true}
		if i == 0 {
			b.pad, b.h = 2.8, b.h+2.8
		}
		if i == len(ln)-1 {
			b.rule, b.h = true, b.h+1.6
		}
		c.bs = append(c.bs, b)
	}
}

// item adds a work, education, course or reference line: title (with a
// right-aligned period on its first line) and detail lines, kept together.
func (c *column) item(mark bool, title para, right string, detail para) {
	fs := c.fs
	rs := span{stMuted, right}
	firstW := c.w
	if right != "" {
		if rw := fs.width(stMuted, right); rw <= c.w*0.35 {
			firstW = c.w - rw - 3
		} else {
			detail = append(para{}.words(stMuted, right), detail...)
			rs = span{}
		}
	}
	if len(title) == 0 {
		title, detail = detail, nil
	}
	if len(title) == 0 && rs.s != "" { // only a period
		title, rs = para{}.words(stMuted, right), span{}
	}
	lines := fs.wrap(title, firstW, c.w, 3)
	lines = append(lines, fs.wrap(detail, c.w, c.w, 3)...)
	for i, ln := range lines {
		b := block{line: ln, h: ln.height(), w: c.w, keep: i < len(lines)-1}
		if i == 0 {
			b.pad, b.h, b.mark, b.right = 1.0, b.h+1.0, mark, rs
		}
		c.bs = append(c.bs, b)
	}
}

func (l *layout) sep(p para, st style) para {
	return append(p, tok{st: st, s: l.fs.fix("·"), stick: true})
}

func (l *layout) self(p para, verified bool) para {
	if verified {
		return p
	}
	return append(p, tok{st: stMuted, s: l.fs.fix("(" + l.c.lb.Self + ")")})
}

func (l *layout) entryTitle(title, place string, verified bool) para {
	p := para{}.words(stBold, title)
	if place != "" {
		if len(p) > 0 {
			p = l.sep(p, stBody)
		}
		p = p.words(stBody, place)
	}
	return l.self(p, verified)
}

// build lays out the main column and the sidebar (compact only).
func (l *layout) build(tr trunc) (main, side []block) {
	fs, c := l.fs, l.c
	_, mw := l.mainX()
	m := &column{fs: fs, w: mw}
	s := &column{fs: fs, w: sideTW}

	// Header.
	m.add(fs.wrap(para{}.words(stName, c.name), mw, mw, 2), 0, true)
	m.add(fs.wrap(para{}.words(stHeadline, c.headline), mw, mw, 2), 0.6, true)
	if len(c.contact) > 0 {
		if c.compact {
			s.heading(c.lb.Contact)
			for _, ct := range c.contact {
				s.add(fs.wrap(para{}.words(stSide, ct), s.w, s.w, 3), 0.6, false)
			}
		} else {
			var p para
			for i, ct := range c.contact {
				if i > 0 {
					p = l.sep(p, stContact)
				}
				p = p.words(stContact, ct)
			}
			m.add(fs.wrap(p, mw, mw, 3), 0.6, true)
		}
	}
	if n := len(m.bs); n > 0 {
		m.bs[n-1].keep = false
	}

	// Profile: at most 14 lines.
	if c.profile != "" {
		m.heading(c.lb.Profile)
		left := 14
		for i, par := range strings.Split(c.profile, "\n") {
			if left <= 0 { // paragraphs left over: say so on the last line
				fs.ellipsize(&m.bs[len(m.bs)-1].line, mw)
				break
			}
			ln := fs.wrap(para{}.words(stBody, par), mw, mw, left)
			left -= len(ln)
			pad := 0.0
			if i > 0 {
				pad = 1.2
			}
			m.add(ln, pad, false)
		}
	}

	if n := min(tr.work, len(c.work)); n > 0 {
		m.heading(c.lb.Work)
		for _, w := range c.work[:n] {
			var detail para
			detail = detail.words(stMuted, w.Detail)
			m.item(w.Verified, l.entryTitle(w.Title, w.Place, w.Verified), w.Period, detail)
		}
	}
	for _, sec := range []struct {
		head string
		es   []Entry
	}{{c.lb.Education, c.education}, {c.lb.Courses, c.courses}} {
		if len(sec.es) == 0 {
			continue
		}
		m.heading(sec.head)
		for _, e := range sec.es {
			m.item(e.Verified, l.entryTitle(e.Title, e.Place, e.Verified), e.Period, nil)
		}
	}

	// Languages, skills, interests: paragraphs in the clean template, lists
	// in the compact sidebar.
	if len(c.languages) > 0 {
		if c.compact {
			s.heading(c.lb.Languages)
			for _, lg := range c.languages {
				p := para{}.words(stSideBold, lg.Name)
				if lg.Level != "" {
					if len(p) > 0 {
						p = l.sep(p, stMuted)
					}
					p = p.words(stMuted, lg.Level)
				}
				s.add(fs.wrap(p, s.w, s.w, 3), 0.6, false)
			}
		} else {
			m.heading(c.lb.Languages)
			var p para
			for i, lg := range c.languages {
				if i > 0 {
					p = l.sep(p, stMuted)
				}
				p = p.words(stBold, lg.Name)
				if lg.Level != "" {
					p = p.words(stBody, "("+lg.Level+")")
				}
			}
			m.add(fs.wrap(p, mw, mw, 6), 0.6, false)
		}
	}
	list := func(head string, items []string) {
		if len(items) == 0 {
			return
		}
		if c.compact {
			s.heading(head)
			for _, it := range items {
				s.add(fs.wrap(para{}.words(stSide, it), s.w, s.w, 3), 0.6, false)
			}
			return
		}
		m.heading(head)
		var p para
		for i, it := range items {
			if i > 0 {
				p = l.sep(p, stMuted)
			}
			p = p.words(stBody, it)
		}
		m.add(fs.wrap(p, mw, mw, 6), 0.6, false)
	}
	if !tr.noSkills {
		list(c.lb.Skills, c.skills)
	}
	if !tr.noInterests {
		list(c.lb.Interests, c.interests)
	}

	if len(c.refs) > 0 {
		m.heading(c.lb.References)
		for _, r := range c.refs {
			t := para{}.words(stBold, r.Name)
			if r.Relation != "" {
				if len(t) > 0 {
					t = l.sep(t, stBody)
				}
				t = t.words(stBody, r.Relation)
			}
			m.item(false, t, "", para{}.words(stMuted, r.Contact))
		}
	}
	return m.bs, s.bs
}

// footer lays out the verification text once.
func (l *layout) footer() {
	c, fs := l.c, l.fs
	if c.code == "" {
		return
	}
	_, mw := l.mainX()
	tw := mw
	if c.qr != nil {
		tw = mw - qrSize - 5
	}
	var p para
	if c.vby != "" {
		p = p.words(stFootBold, fs.fix(fmt.Sprintf(c.lb.VerifiedBy, c.vby)))
		p = l.sep(p, stFoot)
	}
	p = p.words(stFoot, fs.fix(fmt.Sprintf(c.lb.Code, c.code)))
	if c.url != "" {
		p = l.sep(p, stFoot)
		p = p.words(stFoot, c.url)
	}
	l.footLines = fs.wrap(p, tw, tw, 4)
	var q para
	if c.issued != "" {
		q = q.words(stFoot, fs.fix(fmt.Sprintf(c.lb.Issued, c.issued)))
	}
	if c.qr != nil {
		q = q.words(stFoot, fs.fix(c.lb.Scan))
	}
	l.footLines = append(l.footLines, fs.wrap(q, tw, tw, 2)...)
	h := 0.0
	for _, ln := range l.footLines {
		h += ln.height()
	}
	if c.qr != nil {
		h = max(h, qrSize)
	}
	l.footH = h + 5 // rule and gap above
}

func (l *layout) caps(n int, main bool) []float64 {
	caps := make([]float64, n)
	for i := range caps {
		caps[i] = pageBottom - pageTop
	}
	if main {
		caps[n-1] -= l.footH
	}
	return caps
}

type pagePlan struct {
	main, side [][]placed
	pages      int
}

// plan applies the layout rules in the file comment.
func (l *layout) plan() pagePlan {
	try := func(tr trunc, n int) (pagePlan, bool, bool) {
		m, s := l.build(tr)
		mp, mn := paginate(m, l.caps(n, true))
		sp, sn := paginate(s, l.caps(n, false))
		return pagePlan{mp, sp, n}, mn == len(m), sn == len(s)
	}
	fits := func(tr trunc) (p pagePlan, mOK, sOK bool) {
		if p, mOK, sOK = try(tr, 1); mOK && sOK {
			return p, true, true
		}
		return try(tr, 2)
	}
	tr := trunc{work: len(l.c.work)}
	p, mOK, sOK := fits(tr)
	if mOK && sOK {
		return p
	}
	colOverflows := func() bool { // the column holding skills and interests
		if l.c.compact {
			return !sOK
		}
		return !mOK
	}
	if colOverflows() && len(l.c.interests) > 0 {
		tr.noInterests = true
		if p, mOK, sOK = fits(tr); mOK && sOK {
			return p
		}
	}
	if colOverflows() && len(l.c.skills) > 0 {
		tr.noSkills = true
		if p, mOK, sOK = fits(tr); mOK && sOK {
			return p
		}
	}
	if !mOK && len(l.c.work) > 0 {
		best := -1
		for lo, hi := 0, len(l.c.work)-1; lo <= hi; {
			mid := (lo + hi) / 2
			t := tr
			t.work = mid
			if _, ok, _ := fits(t); ok {
				best, lo = mid, mid+1
			} else {
				hi = mid - 1
			}
		}
		if best >= 0 { // else dropping work does not help: keep it all
			tr.work = best
			if p, mOK, sOK = fits(tr); mOK && sOK {
				return p
			}
		}
	}
	p, _, _ = try(tr, 2) // cut at the end of page two
	return p
}

// ---- drawing ----------------------------------------------------------------------

type painter struct {
	pdf   *gofpdf.Fpdf
	fs    *fontSet
	st    style
	stSet bool
}

func (pt *painter) style(st style) {
	if pt.stSet && pt.st == st {
		return
	}
	def := styles[st]
	family, bold := "dejavu", ""
	if pt.fs.core {
		family = "Helvetica"
	}
	if def.bold {
		bold = "B"
	}
	pt.pdf.SetFont(family, bold, def.size)
	pt.pdf.SetTextColor(def.rgb[0], def.rgb[1], def.rgb[2])
	pt.st, pt.stSet = st, true
}

// line draws ln with its top at y, starting at x.
func (pt *painter) line(ln line, x, y float64) {
	base := y + 1.03*ln.size
	for _, sp := range visual(ln.spans) {
		if sp.s == "" {
			continue
		}
		pt.style(sp.st)
		pt.pdf.Text(x, base, sp.s)
		x += pt.fs.width(sp.st, sp.s)
	}
}

func (pt *painter) block(b *block, x, y float64) {
	top := y + b.pad
	pt.line(b.line, x, top)
	if b.mark {
		pt.line(line{spans: []span{{stMark, pt.fs.fix("✓")}}, size: b.line.size}, x-markGap, top)
	}
	if b.right.s != "" {
		rw := pt.fs.width(b.right.st, b.right.s)
		pt.line(line{spans: []span{b.right}, size: b.line.size}, x+b.w-rw, top+0.1)
	}
	if b.rule {
		ry := top + b.line.height() + 0.5
		pt.pdf.SetDrawColor(ruleRGB[0], ruleRGB[1], ruleRGB[2])
		pt.pdf.SetLineWidth(0.25)
		pt.pdf.Line(x, ry, x+b.w, ry)
	}
}

func (pt *painter) footer(l *layout) {
	c := l.c
	x, w := l.mainX()
	y := pageBottom - l.footH
	pt.pdf.SetDrawColor(ruleRGB[0], ruleRGB[1], ruleRGB[2])
	pt.pdf.SetLineWidth(0.25)
	pt.pdf.Line(x, y+1.5, x+w, y+1.5)
	y += 4
	ty := y
	for _, ln := range l.footLines {
		pt.line(ln, x, ty)
		ty += ln.height()
	}
	if c.link != "" {
		pt.pdf.LinkString(x, y, w, ty-y, c.link)
	}
	if len(c.qr) == 0 {
		return
	}
	// The QR code as filled rectangles, one per horizontal run of dark modules.
	n := float64(len(c.qr))
	m := qrSize / n
	qx := x + w - qrSize
	pt.pdf.SetFillColor(0, 0, 0)
	for r, row := range c.qr {
		for i := 0; i < len(row); {
			if !row[i] {
				i++
				continue
			}
			j := i
			for j < len(row) && row[j] {
				j++
			}
			pt.pdf.Rect(qx+float64(i)*m, y+float64(r)*m, float64(j-i)*m, m+0.02, "F")
			i = j
		}
	}
	if c.link != "" {
		pt.pdf.LinkString(qx, y, qrSize, qrSize, c.link)
	}
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

	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(!o.noCompress)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(epoch)
	pdf.SetModificationDate(epoch)
	pdf.SetCreator("Fritidsjob", false)
	pdf.SetTitle(l.c.lb.Title, false)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	if !fs.core {
		// Shared bytes: the patched gofpdf parses them once per process
		// and never writes into them (see loadFonts).
		pdf.AddUTF8FontFromBytes("dejavu", "", fs.faces[0].ttf)
		pdf.AddUTF8FontFromBytes("dejavu", "B", fs.faces[1].ttf)
	}
	pt := &painter{pdf: pdf, fs: fs}
	mx, _ := l.mainX()
	for p := 0; p < plan.pages; p++ {
		pdf.AddPage()
		pt.stSet = false
		if l.c.compact {
			pdf.SetFillColor(sideRGB[0], sideRGB[1], sideRGB[2])
			pdf.Rect(0, 0, sideW, pageH, "F")
		}
		if p < len(plan.side) {
			for _, pl := range plan.side[p] {
				pt.block(pl.b, sideX, pageTop+pl.y)
			}
		}
		if p < len(plan.main) {
			for _, pl := range plan.main[p] {
				pt.block(pl.b, mx, pageTop+pl.y)
			}
		}
		if p == plan.pages-1 && l.footH > 0 {
			pt.footer(l)
		}
	}
	var buf bytes.Buffer
	buf.Grow(64 << 10)
	if err := pdf.Output(&buf); err != nil {
		return result{}, fmt.Errorf("cv: render pdf: %w", err)
	}
	return result{pdf: buf.Bytes(), pages: plan.pages}, nil
}
