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
