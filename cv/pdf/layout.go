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
