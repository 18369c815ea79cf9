package pdf

import (
	"fmt"
	"strings"
)

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

// paragraph wraps p to the column's width in at most maxLines lines and
// adds them.
func (c *column) paragraph(p para, maxLines int, pad float64, keepAll bool) {
	c.add(c.fs.wrap(p, c.w, c.w, maxLines), pad, keepAll)
}

// each adds every item as a paragraph of its own in style st (a list in
// the compact template's sidebar).
func (c *column) each(items []string, st style) {
	for _, it := range items {
		c.paragraph(para{}.words(st, it), 3, 0.6, false)
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
	return l.self(l.pair(title, stBold, place, stBody), verified)
}

// pair returns a in style sa followed, when b is set, by b in style sb,
// with a separator between them when both print.
func (l *layout) pair(a string, sa style, b string, sb style) para {
	p := para{}.words(sa, a)
	if b != "" {
		if len(p) > 0 {
			p = l.sep(p, sb)
		}
		p = p.words(sb, b)
	}
	return p
}

// joined returns items as one paragraph in style st, separated in style
// sepSt.
func (l *layout) joined(items []string, st, sepSt style) para {
	var p para
	for i, it := range items {
		if i > 0 {
			p = l.sep(p, sepSt)
		}
		p = p.words(st, it)
	}
	return p
}

// build lays out the main column and the sidebar (compact only), leaving
// out what tr says.
func (l *layout) build(tr trunc) (main, side []block) {
	_, mw := l.mainX()
	m := &column{fs: l.fs, w: mw}
	s := &column{fs: l.fs, w: sideTW}
	l.header(m, s)
	l.profile(m)
	l.work(m, min(tr.work, len(l.c.work)))
	l.entries(m, l.c.lb.Education, l.c.education)
	l.entries(m, l.c.lb.Courses, l.c.courses)
	// Languages, skills, interests: paragraphs in the clean template, lists
	// in the compact sidebar.
	l.languages(m, s)
	if !tr.noSkills {
		l.list(m, s, l.c.lb.Skills, l.c.skills)
	}
	if !tr.noInterests {
		l.list(m, s, l.c.lb.Interests, l.c.interests)
	}
	l.references(m)
	return m.bs, s.bs
}

// header adds the name, the headline and the contact lines (to the sidebar
// in the compact template), kept together.
func (l *layout) header(m, s *column) {
	c := l.c
	m.paragraph(para{}.words(stName, c.name), 2, 0, true)
	m.paragraph(para{}.words(stHeadline, c.headline), 2, 0.6, true)
	if len(c.contact) > 0 {
		if c.compact {
			s.heading(c.lb.Contact)
			s.each(c.contact, stSide)
		} else {
			m.paragraph(l.joined(c.contact, stContact, stContact), 3, 0.6, true)
		}
	}
	if n := len(m.bs); n > 0 {
		m.bs[n-1].keep = false
	}
}

// profile adds the profile's paragraphs, at most 14 lines.
func (l *layout) profile(m *column) {
	if l.c.profile == "" {
		return
	}
	m.heading(l.c.lb.Profile)
	left := 14
	for i, par := range strings.Split(l.c.profile, "\n") {
		if left <= 0 { // paragraphs left over: say so on the last line
			l.fs.ellipsize(&m.bs[len(m.bs)-1].line, m.w)
			return
		}
		ln := l.fs.wrap(para{}.words(stBody, par), m.w, m.w, left)
		left -= len(ln)
		pad := 0.0
		if i > 0 {
			pad = 1.2
		}
		m.add(ln, pad, false)
	}
}

// work adds the first n work lines.
func (l *layout) work(m *column, n int) {
	if n <= 0 {
		return
	}
	m.heading(l.c.lb.Work)
	for _, w := range l.c.work[:n] {
		var detail para
		detail = detail.words(stMuted, w.Detail)
		m.item(w.Verified, l.entryTitle(w.Title, w.Place, w.Verified), w.Period, detail)
	}
}

// entries adds the education or courses section.
func (l *layout) entries(m *column, head string, es []Entry) {
	if len(es) == 0 {
		return
	}
	m.heading(head)
	for _, e := range es {
		m.item(e.Verified, l.entryTitle(e.Title, e.Place, e.Verified), e.Period, nil)
	}
}

// languages adds the languages: one paragraph in the clean template, one
// line each in the compact sidebar.
func (l *layout) languages(m, s *column) {
	c := l.c
	if len(c.languages) == 0 {
		return
	}
	if c.compact {
		s.heading(c.lb.Languages)
		for _, lg := range c.languages {
			s.paragraph(l.pair(lg.Name, stSideBold, lg.Level, stMuted), 3, 0.6, false)
		}
		return
	}
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
	m.paragraph(p, 6, 0.6, false)
}

// list adds the skills or the interests: one paragraph in the clean
// template, one line each in the compact sidebar.
func (l *layout) list(m, s *column, head string, items []string) {
	if len(items) == 0 {
		return
	}
	if l.c.compact {
		s.heading(head)
		s.each(items, stSide)
		return
	}
	m.heading(head)
	m.paragraph(l.joined(items, stBody, stMuted), 6, 0.6, false)
}

// references adds the referees.
func (l *layout) references(m *column) {
	if len(l.c.refs) == 0 {
		return
	}
	m.heading(l.c.lb.References)
	for _, r := range l.c.refs {
		m.item(false, l.pair(r.Name, stBold, r.Relation, stBody), "", para{}.words(stMuted, r.Contact))
	}
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

// fit is a page plan and whether each column's blocks all fitted in it.
type fit struct {
	p              pagePlan
	mainOK, sideOK bool
}

func (f fit) ok() bool { return f.mainOK && f.sideOK }

// plan applies the layout rules in the package comment: everything on one
// or two pages if it fits; else drop the interests, then the skills, then
// the oldest work lines, until it does; else cut at the end of page two.
func (l *layout) plan() pagePlan {
	tr := trunc{work: len(l.c.work)}
	f := l.fits(tr)
	for _, drop := range []func(*trunc, fit) bool{l.dropInterests, l.dropSkills, l.dropWork} {
		if f.ok() {
			return f.p
		}
		if drop(&tr, f) {
			f = l.fits(tr)
		}
	}
	if f.ok() {
		return f.p
	}
	return l.try(tr, 2).p // cut at the end of page two
}

// try lays out the columns, leaving out what tr says, on n pages.
func (l *layout) try(tr trunc, n int) fit {
	m, s := l.build(tr)
	mp, mn := paginate(m, l.caps(n, true))
	sp, sn := paginate(s, l.caps(n, false))
	return fit{pagePlan{mp, sp, n}, mn == len(m), sn == len(s)}
}

// fits tries one page, then two.
func (l *layout) fits(tr trunc) fit {
	if f := l.try(tr, 1); f.ok() {
		return f
	}
	return l.try(tr, 2)
}

// listOverflows reports whether the column holding skills and interests
// (the sidebar in the compact template) overflowed in f.
func (l *layout) listOverflows(f fit) bool {
	if l.c.compact {
		return !f.sideOK
	}
	return !f.mainOK
}

// dropInterests leaves out the interests when their column overflowed in
// f, and reports whether it did.
func (l *layout) dropInterests(tr *trunc, f fit) bool {
	if !l.listOverflows(f) || len(l.c.interests) == 0 {
		return false
	}
	tr.noInterests = true
	return true
}

// dropSkills leaves out the skills when their column overflowed in f, and
// reports whether it did.
func (l *layout) dropSkills(tr *trunc, f fit) bool {
	if !l.listOverflows(f) || len(l.c.skills) == 0 {
		return false
	}
	tr.noSkills = true
	return true
}

// dropWork keeps the most work lines (the newest first) with which the
// main column fits, found by binary search, when it overflowed in f; it
// reports whether it dropped any. When the column overflows even without
// work lines, it keeps them all.
func (l *layout) dropWork(tr *trunc, f fit) bool {
	if f.mainOK || len(l.c.work) == 0 {
		return false
	}
	best := -1
	for lo, hi := 0, len(l.c.work)-1; lo <= hi; {
		mid := (lo + hi) / 2
		t := *tr
		t.work = mid
		if l.fits(t).mainOK {
			best, lo = mid, mid+1
		} else {
			hi = mid - 1
		}
	}
	if best < 0 {
		return false
	}
	tr.work = best
	return true
}
