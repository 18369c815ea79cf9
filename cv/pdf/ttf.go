package pdf

import (
	"encoding/binary"
	"errors"
	"math"
)

var (
	be         = binary.BigEndian
	errBadFont = errors.New("malformed TrueType font")
)

// parseTTF reads the advance width of every BMP rune the font's Unicode
// cmap (format 4, as gofpdf uses) maps to a glyph, and the set of such runes.
func parseTTF(b []byte) (cw []uint16, cov []uint64, err error) {
	tables, err := ttfTables(b)
	if err != nil {
		return nil, nil, err
	}
	m, err := readHMetrics(tables)
	if err != nil {
		return nil, nil, err
	}
	t, err := unicodeCmap(tables["cmap"])
	if err != nil {
		return nil, nil, err
	}
	return readCmap4(t, m)
}

// ttfTables returns the font's tables by tag.
func ttfTables(b []byte) (map[string][]byte, error) {
	if len(b) < 12 {
		return nil, errBadFont
	}
	tables := map[string][]byte{}
	for i, n := 0, int(be.Uint16(b[4:])); i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return nil, errBadFont
		}
		off, size := int(be.Uint32(b[rec+8:])), int(be.Uint32(b[rec+12:]))
		if off < 0 || size < 0 || off+size > len(b) {
			return nil, errBadFont
		}
		tables[string(b[rec:rec+4])] = b[off : off+size]
	}
	return tables, nil
}

// hMetrics is what advance needs from the head, hhea and hmtx tables.
type hMetrics struct {
	hmtx  []byte
	n     int     // number of long horizontal metrics
	scale float64 // 1000 / units per em
}

func readHMetrics(tables map[string][]byte) (hMetrics, error) {
	head, hhea, hmtx := tables["head"], tables["hhea"], tables["hmtx"]
	if len(head) < 20 || len(hhea) < 36 {
		return hMetrics{}, errBadFont
	}
	upem := int(be.Uint16(head[18:]))
	nh := int(be.Uint16(hhea[34:]))
	if upem == 0 || nh == 0 || len(hmtx) < 4*nh {
		return hMetrics{}, errBadFont
	}
	return hMetrics{hmtx: hmtx, n: nh, scale: 1000 / float64(upem)}, nil
}

// advance returns glyph g's advance width in 1/1000 em, rounded as gofpdf
// does.
func (m hMetrics) advance(g int) uint16 {
	if g >= m.n {
		g = m.n - 1
	}
	w := int(be.Uint16(m.hmtx[4*g:]))
	if w >= 1<<15 {
		w = 0
	}
	return uint16(math.Round(m.scale * float64(w)))
}

// unicodeCmap returns the first format 4 subtable of the cmap table for
// Unicode (platform 0, or Windows Unicode BMP).
func unicodeCmap(cmap []byte) ([]byte, error) {
	if len(cmap) < 4 {
		return nil, errBadFont
	}
	for i, n := 0, int(be.Uint16(cmap[2:])); i < n; i++ {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			return nil, errBadFont
		}
		pid, eid := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:])
		if t, ok := cmap4At(cmap, int(be.Uint32(cmap[rec+4:]))); ok && (pid == 0 || (pid == 3 && eid == 1)) {
			if len(t) < 14 {
				break
			}
			return t, nil
		}
	}
	return nil, errors.New("no Unicode format 4 cmap")
}

// cmap4At returns the subtable at off in cmap when it has format 4.
func cmap4At(cmap []byte, off int) ([]byte, bool) {
	if off < 0 || off+4 > len(cmap) || be.Uint16(cmap[off:]) != 4 {
		return nil, false
	}
	t := cmap[off:]
	if l := int(be.Uint16(t[2:])); l <= len(t) {
		t = t[:l]
	}
	return t, true
}

// cmapSegment is one segment of a format 4 cmap: the runes start to end.
type cmapSegment struct {
	start, end, delta int
	ro, roAt          int // idRangeOffset and where it sits in the subtable
}

// glyph returns the glyph of rune c in sg, 0 for none.
func (sg cmapSegment) glyph(t []byte, c int) int {
	if sg.ro == 0 {
		return (c + sg.delta) & 0xFFFF
	}
	p := sg.roAt + sg.ro + 2*(c-sg.start)
	if p+2 > len(t) {
		return 0
	}
	g := int(be.Uint16(t[p:]))
	if g != 0 {
		g = (g + sg.delta) & 0xFFFF
	}
	return g
}

// readCmap4 returns the advance of every BMP rune the format 4 subtable t
// maps to a glyph, and the set of such runes.
func readCmap4(t []byte, m hMetrics) (cw []uint16, cov []uint64, err error) {
	segX2 := int(be.Uint16(t[6:]))
	ends, starts := 14, 16+segX2
	deltas, ranges := starts+segX2, starts+2*segX2
	if ranges+segX2 > len(t) {
		return nil, nil, errBadFont
	}
	cw, cov = make([]uint16, 0x10000), make([]uint64, 1024)
	for s := 0; s < segX2/2; s++ {
		sg := cmapSegment{
			end: int(be.Uint16(t[ends+2*s:])), start: int(be.Uint16(t[starts+2*s:])),
			delta: int(be.Uint16(t[deltas+2*s:])), ro: int(be.Uint16(t[ranges+2*s:])), roAt: ranges + 2*s,
		}
		for c := sg.start; c <= sg.end && c < 0xFFFF; c++ {
			if g := sg.glyph(t, c); g != 0 {
				cw[c] = m.advance(g)
				cov[c>>6] |= 1 << (uint(c) & 63)
			}
		}
	}
	return cw, cov, nil
}
