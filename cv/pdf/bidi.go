package pdf

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

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
	if !hasRTL(spans) {
		return spans
	}
	cs := clusters(spans)
	for i := 0; i < len(cs); {
		if !isRTL(cs[i].r) {
			i++
			continue
		}
		last := rtlRunEnd(cs, i)
		reverseRun(cs[i : last+1])
		i = last + 1
	}
	return joinClusters(cs)
}

func hasRTL(spans []span) bool {
	for _, sp := range spans {
		if strings.IndexFunc(sp.s, isRTL) >= 0 {
			return true
		}
	}
	return false
}

func isLTR(r rune) bool { return unicode.IsLetter(r) && !isRTL(r) }

// cluster is a character with the combining marks after it, in one style.
type cluster struct {
	s  string
	st style
	r  rune // the first rune
}

// clusters splits spans into clusters, in logical order.
func clusters(spans []span) []cluster {
	var cs []cluster
	for _, sp := range spans {
		for i := 0; i < len(sp.s); {
			r, _ := utf8.DecodeRuneInString(sp.s[i:])
			j := nextCluster(sp.s, i)
			cs = append(cs, cluster{sp.s[i:j], sp.st, r})
			i = j
		}
	}
	return cs
}

// rtlRunEnd returns the index of the last cluster of the right-to-left run
// starting at i: the last RTL letter or digit before the next LTR letter,
// extended so that bracket pairs opened inside the run close inside it (a
// much simplified rule N0): "عمل (صيف)" takes its ")" along.
func rtlRunEnd(cs []cluster, i int) int {
	last := i
	for k := i; k < len(cs) && !isLTR(cs[k].r); k++ {
		if isRTL(cs[k].r) || unicode.IsDigit(cs[k].r) {
			last = k
		}
	}
	return closingBracket(cs, last, openBrackets(cs[i:last+1]))
}

// closingBracket returns the index of the bracket after last that closes
// the depth brackets left open, or last when none does before the next LTR
// letter.
func closingBracket(cs []cluster, last, depth int) int {
	for k := last + 1; k < len(cs) && depth > 0 && !isLTR(cs[k].r); k++ {
		if strings.ContainsRune(")]}>»", cs[k].r) {
			if depth--; depth == 0 {
				return k
			}
		}
	}
	return last
}

// openBrackets returns how many brackets cs opens and does not close.
func openBrackets(cs []cluster) int {
	depth := 0
	for _, c := range cs {
		if strings.ContainsRune("([{<«", c.r) {
			depth++
		} else if depth > 0 && strings.ContainsRune(")]}>»", c.r) {
			depth--
		}
	}
	return depth
}

// reverseRun reverses run in place, then restores the order inside digit
// groups and mirrors the brackets.
func reverseRun(run []cluster) {
	slices.Reverse(run)
	for a := 0; a < len(run); {
		if !unicode.IsDigit(run[a].r) {
			if m, ok := mirror[run[a].r]; ok && len(run[a].s) == utf8.RuneLen(run[a].r) {
				run[a].s, run[a].r = string(m), m
			}
			a++
			continue
		}
		b := digitGroupEnd(run, a)
		slices.Reverse(run[a : b+1])
		a = b + 1
	}
}

// digitGroupEnd returns the index of the last cluster of the digit group
// starting at a: digits, with single ".,:" between digits ("12,5", "1:30").
func digitGroupEnd(run []cluster, a int) int {
	b := a
	for b+1 < len(run) && (unicode.IsDigit(run[b+1].r) || (b+2 < len(run) && strings.ContainsRune(".,:", run[b+1].r) && unicode.IsDigit(run[b+2].r))) {
		b++
	}
	return b
}

// joinClusters turns clusters back into spans, one per run of a style.
func joinClusters(cs []cluster) []span {
	var out []span
	for _, c := range cs {
		if n := len(out); n > 0 && out[n-1].st == c.st {
			out[n-1].s += c.s
		} else {
			out = append(out, span{c.st, c.s})
		}
	}
	return out
}
