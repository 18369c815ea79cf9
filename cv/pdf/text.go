package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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
