package gofpdf

// fritidsjob patch (see PATCHES.md): parsed UTF-8 fonts are kept per process
// by content, so adding the same TTF bytes to many documents parses them and
// derives the font ID once; and the subset written for a set of used runes
// is kept with its font, so documents using the same letters share it.

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"sort"
	"sync"
)

// utf8FontCacheMax bounds the cache: when it is full, it is emptied.
const utf8FontCacheMax = 16

// utf8FontEntry is one parsed font. Nothing in it is written after it has
// been stored in the cache, except ids under utf8FontCache's lock.
type utf8FontEntry struct {
	data   []byte              // the cache's own copy of the font file
	parsed *utf8FontFile       // as parseFile left it, reading data
	prep   *utf8CutPrep        // the font-only first half of GenerateCutFont
	ids    map[string]string   // generateFontID result by font key
	cuts   map[string]*utf8Cut // subsets by utf8CutKey of the used runes
	order  []string            // keys of cuts, oldest first
}

// utf8CutMax bounds the subsets kept per font; the oldest goes first.
const utf8CutMax = 32

// utf8Cut is what putfonts writes for one font and one set of used runes.
// It is never written after it has been stored.
type utf8Cut struct {
	stream   []byte // the compressed subset font
	length1  int    // its uncompressed length
	lastRune int    // the highest rune used
	widths   string // the CIDFontType2 /W entry
	cidToGid []byte // the compressed CIDToGIDMap
}

// utf8CutKey encodes a document's used-rune map (rune => rune, or => 0 for
// the runes gofpdf pre-fills), on which the subset depends.
func utf8CutKey(used map[int]int) string {
	ks := make([]int, 0, len(used))
	for k := range used {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	b := make([]byte, 0, 4*len(ks))
	for _, k := range ks {
		b = binary.AppendUvarint(b, uint64(k))
		b = binary.AppendUvarint(b, uint64(used[k]))
	}
	return string(b)
}

// cut returns the stored subset for key, or nil.
func (e *utf8FontEntry) cut(key string) *utf8Cut {
	c := &utf8FontCache
	c.Lock()
	defer c.Unlock()
	return e.cuts[key]
}

// storeCut stores a subset for key, dropping the oldest beyond utf8CutMax.
func (e *utf8FontEntry) storeCut(key string, cut *utf8Cut) {
	c := &utf8FontCache
	c.Lock()
	defer c.Unlock()
	if _, ok := e.cuts[key]; ok {
		return
	}
	e.cuts[key] = cut
	e.order = append(e.order, key)
	if len(e.order) > utf8CutMax {
		delete(e.cuts, e.order[0])
		e.order = e.order[1:]
	}
}

var utf8FontCache struct {
	sync.Mutex
	seed maphash.Seed
	m    map[uint64][]*utf8FontEntry
}

// utf8FontLoad returns the parsed font for the TrueType file b, from the
// cache when the same bytes were loaded before. The entry never refers to
// b, so the caller may change b afterwards.
func utf8FontLoad(b []byte) (*utf8FontEntry, error) {
	c := &utf8FontCache
	c.Lock()
	if c.m == nil {
		c.seed = maphash.MakeSeed()
		c.m = make(map[uint64][]*utf8FontEntry)
	}
	seed := c.seed
	c.Unlock()
	h := maphash.Bytes(seed, b)
	c.Lock()
	for _, e := range c.m[h] {
		if bytes.Equal(e.data, b) {
			c.Unlock()
			return e, nil
		}
	}
	c.Unlock()

	data := append([]byte(nil), b...)
	parsed := newUTF8Font(&fileReader{array: data})
	if err := parsed.parseFile(); err != nil {
		return nil, err
	}
	scratch := newUTF8Font(&fileReader{array: data})
	e := &utf8FontEntry{data: data, parsed: parsed, prep: scratch.prepareCut(),
		ids: map[string]string{}, cuts: map[string]*utf8Cut{}}

	c.Lock()
	defer c.Unlock()
	for _, old := range c.m[h] { // loaded concurrently by another document
		if bytes.Equal(old.data, b) {
			return old, nil
		}
	}
	if len(c.m) >= utf8FontCacheMax {
		c.m = make(map[uint64][]*utf8FontEntry)
	}
	c.m[h] = append(c.m[h], e)
	return e, nil
}

// newFile returns a document's own utf8FontFile: a shallow copy of the
// parsed font with its own reader. GenerateCutFont replaces, never writes
// into, the maps and slices it shares with the cached font.
func (e *utf8FontEntry) newFile() *utf8FontFile {
	f := *e.parsed
	f.fileReader = &fileReader{array: e.data}
	f.prep, f.entry = e.prep, e
	return &f
}

// fontID returns generateFontID(def) for a def made from this font, cached
// by def.Name: everything else in def is derived from the font's bytes.
func (e *utf8FontEntry) fontID(def fontDefType) string {
	c := &utf8FontCache
	c.Lock()
	id, ok := e.ids[def.Name]
	c.Unlock()
	if ok {
		return id
	}
	id, _ = generateFontID(def)
	c.Lock()
	e.ids[def.Name] = id
	c.Unlock()
	return id
}
