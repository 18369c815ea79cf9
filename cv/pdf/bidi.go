package pdf

import (
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
