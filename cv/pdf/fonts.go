package pdf

import (
	_ "embed" // fonts
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jung-kurt/gofpdf"
)

//go:embed fonts/DejaVuSans.ttf
var regularTTF []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var boldTTF []byte

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
		sub := gofpdf.UTF8CutFont(full, subsetRunes(cov))
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

// subsetRunes returns the runes of subsetRanges in the coverage set cov.
func subsetRunes(cov []uint64) string {
	var cut strings.Builder
	for _, rg := range subsetRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			if cov[r>>6]&(1<<(uint(r)&63)) != 0 {
				cut.WriteRune(r)
			}
		}
	}
	return cut.String()
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
