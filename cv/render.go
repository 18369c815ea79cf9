package cv

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sync"

	"fritidsjob/cv/pdf"
)

// Render lays out d as an A4 PDF of one or two pages (see package cv/pdf for
// the layout rules). It never panics: any internal failure is returned as an
// error.
func Render(d Document) ([]byte, error) {
	return pdf.Render(d.printed())
}

// printed returns what the PDF layout prints of d: everything but the ISO dates
// kept for JSON Resume.
func (d Document) printed() pdf.Document {
	return pdf.Document{
		Lang: d.Lang, Template: d.Template,
		Name: d.Name, Headline: d.Headline, Contact: d.Contact, Profile: d.Profile,
		Work: convert(d.Work, func(w WorkLine) pdf.WorkLine {
			return pdf.WorkLine{Title: w.Title, Place: w.Place, Detail: w.Detail, Period: w.Period, Verified: w.Verified}
		}),
		Education:  convert(d.Education, Entry.printed),
		Courses:    convert(d.Courses, Entry.printed),
		Languages:  convert(d.Languages, func(l Language) pdf.Language { return pdf.Language(l) }),
		Skills:     d.Skills,
		Interests:  d.Interests,
		References: convert(d.References, func(r Reference) pdf.Reference { return pdf.Reference(r) }),
		Code:       d.Code, URL: d.URL, Issued: d.Issued, VerifiedBy: d.VerifiedBy,
	}
}

func (e Entry) printed() pdf.Entry {
	return pdf.Entry{Title: e.Title, Place: e.Place, Period: e.Period, Verified: e.Verified}
}

// convert returns f of each element of in.
func convert[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// Renderer renders PDFs and keeps the most recently rendered ones in a small
// LRU cache keyed by the SHA-256 of the document's JSON encoding, so a youth
// downloading the same CV version again costs a map lookup. It is safe for
// concurrent use. Two concurrent misses for the same document both render.
type Renderer struct {
	max int

	mu     sync.Mutex
	lru    *list.List // of *cacheEntry, most recent first
	items  map[[32]byte]*list.Element
	hits   uint64
	misses uint64
}

type cacheEntry struct {
	key [32]byte
	pdf []byte
}

// RendererStats counts cache use since the Renderer was made.
type RendererStats struct {
	Hits    uint64 // renders answered from the cache
	Misses  uint64 // renders that built a PDF
	Entries int    // PDFs held now
}

// NewRenderer returns a Renderer caching up to cacheEntries PDFs (each is
// typically 30-60 KB). cacheEntries <= 0 disables the cache.
func NewRenderer(cacheEntries int) *Renderer {
	if cacheEntries < 0 {
		cacheEntries = 0
	}
	return &Renderer{max: cacheEntries, lru: list.New(), items: make(map[[32]byte]*list.Element)}
}

// Render returns the PDF for d, from the cache when the same document was
// rendered recently. The returned slice is the caller's own copy.
func (r *Renderer) Render(d Document) ([]byte, error) {
	if r.max == 0 {
		r.mu.Lock()
		r.misses++
		r.mu.Unlock()
		return Render(d)
	}
	key, err := cacheKey(d)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	if el, ok := r.items[key]; ok {
		r.lru.MoveToFront(el)
		r.hits++
		out := bytes.Clone(el.Value.(*cacheEntry).pdf)
		r.mu.Unlock()
		return out, nil
	}
	r.misses++
	r.mu.Unlock()

	b, err := Render(d)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if el, ok := r.items[key]; ok { // rendered concurrently by another caller
		r.lru.MoveToFront(el)
	} else {
		r.items[key] = r.lru.PushFront(&cacheEntry{key: key, pdf: b})
		for r.lru.Len() > r.max {
			old := r.lru.Back()
			r.lru.Remove(old)
			delete(r.items, old.Value.(*cacheEntry).key)
		}
	}
	return bytes.Clone(b), nil
}

// Stats reports cache hits, misses and the number of cached PDFs.
func (r *Renderer) Stats() RendererStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return RendererStats{Hits: r.hits, Misses: r.misses, Entries: r.lru.Len()}
}

// cacheKey hashes the renderer version and the JSON encoding of d. JSON
// turns each invalid UTF-8 byte into U+FFFD, so documents differing only in
// which invalid bytes they hold share a key; they also render identically,
// because the renderer makes the same replacement.
func cacheKey(d Document) ([32]byte, error) {
	h := sha256.New()
	h.Write([]byte(pdf.Version + "\x00"))
	if err := json.NewEncoder(h).Encode(d); err != nil {
		return [32]byte{}, fmt.Errorf("cv: render pdf: cache key: %w", err)
	}
	var k [32]byte
	h.Sum(k[:0])
	return k, nil
}
