package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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
	wr := &wrapper{fs: fs, first: first, rest: rest, maxLines: maxLines}
	for _, t := range p {
		if wr.full {
			break
		}
		wr.add(t)
	}
	wr.flush()
	if wr.full && len(wr.lines) > 0 {
		fs.ellipsize(&wr.lines[len(wr.lines)-1], rest)
	}
	return wr.lines
}

// wrapper is the state of one wrap.
type wrapper struct {
	fs          *fontSet
	first, rest float64
	maxLines    int
	lines       []line
	cur         []tok   // the words of the line being filled
	curW        float64 // their width, with the spaces between them
	full        bool    // maxLines lines are made and text is left over
}

// limit is the width of the line being filled.
func (wr *wrapper) limit() float64 {
	if len(wr.lines) == 0 {
		return wr.first
	}
	return wr.rest
}

// add puts t on the line being filled, or on the next.
func (wr *wrapper) add(t tok) {
	tw := wr.fs.width(t.st, t.s)
	sp := 0.0
	if len(wr.cur) > 0 {
		sp = wr.fs.width(t.st, " ")
	}
	if wr.curW+sp+tw <= wr.limit() {
		wr.cur, wr.curW = append(wr.cur, t), wr.curW+sp+tw
		return
	}
	if t.stick && wr.carry(t, tw) {
		return
	}
	wr.flush()
	if tw <= wr.limit() {
		wr.cur, wr.curW = append(wr.cur, t), tw
		return
	}
	wr.split(t)
}

// carry starts the next line with the last word of this one followed by
// the separator t (of width tw), when this line has another word and the
// two fit on a line; it reports whether it did.
func (wr *wrapper) carry(t tok, tw float64) bool {
	if len(wr.cur) <= 1 {
		return false
	}
	prev := wr.cur[len(wr.cur)-1]
	pw := wr.fs.width(prev.st, prev.s)
	if pw+wr.fs.width(t.st, " ")+tw > wr.rest {
		return false
	}
	wr.cur = wr.cur[:len(wr.cur)-1]
	wr.curW -= pw + wr.fs.width(prev.st, " ")
	wr.flush()
	wr.cur, wr.curW = append(wr.cur, prev, t), pw+wr.fs.width(t.st, " ")+tw
	return true
}

// split breaks t, a word wider than a line, between clusters.
func (wr *wrapper) split(t tok) {
	piece, pw := "", 0.0
	for i := 0; i < len(t.s) && !wr.full; {
		j := nextCluster(t.s, i)
		cw := wr.fs.width(t.st, t.s[i:j])
		if pw+cw > wr.limit() && piece != "" {
			wr.cur, wr.curW = append(wr.cur, tok{st: t.st, s: piece}), pw
			wr.flush()
			piece, pw = "", 0
		}
		piece, pw = piece+t.s[i:j], pw+cw
		i = j
	}
	if piece != "" && !wr.full {
		wr.cur, wr.curW = append(wr.cur, tok{st: t.st, s: piece}), pw
	}
}

// flush ends the line being filled; when maxLines lines are made already
// it notes that text is left over instead.
func (wr *wrapper) flush() {
	if len(wr.cur) == 0 {
		return
	}
	if len(wr.lines) == wr.maxLines {
		wr.full = true
		return
	}
	l := lineOf(wr.cur)
	l.w = wr.curW
	wr.lines = append(wr.lines, l)
	wr.cur, wr.curW = wr.cur[:0:0], 0
}

// lineOf joins words into a line, one span per run of a style.
func lineOf(words []tok) line {
	var l line
	for i, t := range words {
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
	return l
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
