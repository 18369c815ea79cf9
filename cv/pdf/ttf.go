package pdf

import (
	"encoding/binary"
	"errors"
	"math"
)

// parseTTF reads the advance width of every BMP rune the font's Unicode
// cmap (format 4, as gofpdf uses) maps to a glyph, and the set of such runes.
func parseTTF(b []byte) (cw []uint16, cov []uint64, err error) {
	be := binary.BigEndian
	errBad := errors.New("malformed TrueType font")
	if len(b) < 12 {
		return nil, nil, errBad
	}
	tables := map[string][]byte{}
	for i, n := 0, int(be.Uint16(b[4:])); i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return nil, nil, errBad
		}
		off, size := int(be.Uint32(b[rec+8:])), int(be.Uint32(b[rec+12:]))
		if off < 0 || size < 0 || off+size > len(b) {
			return nil, nil, errBad
		}
		tables[string(b[rec:rec+4])] = b[off : off+size]
	}
	head, hhea, hmtx, cmap := tables["head"], tables["hhea"], tables["hmtx"], tables["cmap"]
	if len(head) < 20 || len(hhea) < 36 || len(cmap) < 4 {
		return nil, nil, errBad
	}
	upem := int(be.Uint16(head[18:]))
	nh := int(be.Uint16(hhea[34:]))
	if upem == 0 || nh == 0 || len(hmtx) < 4*nh {
		return nil, nil, errBad
	}
	scale := 1000 / float64(upem)
	advance := func(g int) uint16 {
		if g >= nh {
			g = nh - 1
		}
		w := int(be.Uint16(hmtx[4*g:]))
		if w >= 1<<15 {
			w = 0
		}
		return uint16(math.Round(scale * float64(w)))
	}
	var t []byte
	for i, n := 0, int(be.Uint16(cmap[2:])); i < n; i++ {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			return nil, nil, errBad
		}
		pid, eid, off := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:]), int(be.Uint32(cmap[rec+4:]))
		if (pid == 3 && eid == 1) || pid == 0 {
			if off >= 0 && off+4 <= len(cmap) && be.Uint16(cmap[off:]) == 4 {
				t = cmap[off:]
				if l := int(be.Uint16(t[2:])); l <= len(t) {
					t = t[:l]
				}
				break
			}
		}
	}
	if len(t) < 14 {
		return nil, nil, errors.New("no Unicode format 4 cmap")
	}
	segX2 := int(be.Uint16(t[6:]))
	ends, starts := 14, 16+segX2
	deltas, ranges := starts+segX2, starts+2*segX2
	if ranges+segX2 > len(t) {
		return nil, nil, errBad
	}
	cw, cov = make([]uint16, 0x10000), make([]uint64, 1024)
	for s := 0; s < segX2/2; s++ {
		end, start := int(be.Uint16(t[ends+2*s:])), int(be.Uint16(t[starts+2*s:]))
		delta, ro := int(be.Uint16(t[deltas+2*s:])), int(be.Uint16(t[ranges+2*s:]))
		for c := start; c <= end && c < 0xFFFF; c++ {
			g := (c + delta) & 0xFFFF
			if ro != 0 {
				p := ranges + 2*s + ro + 2*(c-start)
				if p+2 > len(t) {
					continue
				}
				if g = int(be.Uint16(t[p:])); g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			if g == 0 {
				continue
			}
			cw[c] = advance(g)
			cov[c>>6] |= 1 << (uint(c) & 63)
		}
	}
	return cw, cov, nil
}
