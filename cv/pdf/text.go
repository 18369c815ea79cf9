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
	c := cleaner{fs: fs, multiline: multiline}
	c.b.Grow(min(len(s), 4*maxRunes))
	for i := 0; i < len(s) && c.n < maxRunes; {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if c.space(r) {
			continue
		}
		if r, ok := fs.drawable(r); ok {
			c.write(r)
		}
	}
	return c.b.String()
}

// cleaner is the state of one clean.
type cleaner struct {
	fs        *fontSet
	multiline bool
	b         strings.Builder
	n         int  // runes written
	started   bool // something was written
	pendSpace bool // a space goes before the next rune written
	pendNL    bool // a line break goes before the next rune written
	lastRepl  bool // the last rune written was U+FFFD
}

// space notes white space, if r is some, for the next rune written.
func (c *cleaner) space(r rune) bool {
	switch {
	case isLineBreak(r):
		if c.multiline {
			c.pendNL = c.started
		} else {
			c.pendSpace = c.started
		}
	case unicode.IsSpace(r):
		c.pendSpace = c.started
	default:
		return false
	}
	return true
}

func isLineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// drawable returns what to draw for r: r, or U+FFFD when the font lacks it;
// ok is false for what is dropped: control and format characters, and
// marks and variation selectors the font lacks (in core mode, all marks).
func (fs *fontSet) drawable(r rune) (_ rune, ok bool) {
	switch {
	case r != utf8.RuneError && (unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r)):
		return 0, false
	case fs.core:
		return r, !unicode.Is(unicode.M, r)
	case fs.covers(r):
		return r, true
	case unicode.Is(unicode.M, r) || unicode.Is(unicode.Variation_Selector, r):
		return 0, false
	}
	return utf8.RuneError, true
}

// write writes r after the pending white space; a U+FFFD right after
// another is dropped.
func (c *cleaner) write(r rune) {
	if r == utf8.RuneError && c.lastRepl && !c.pendSpace && !c.pendNL {
		return
	}
	if c.pendNL {
		c.b.WriteByte('\n')
	} else if c.pendSpace {
		c.b.WriteByte(' ')
	}
	c.pendNL, c.pendSpace = false, false
	if c.fs.core {
		c.b.WriteString(fold(r))
	} else {
		c.b.WriteRune(r)
	}
	c.started, c.lastRepl = true, r == utf8.RuneError
	c.n++
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
