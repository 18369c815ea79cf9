package pdf

import (
	"net/url"
	"strings"
	"sync"

	qrcode "github.com/skip2/go-qrcode"
)

// labelSet holds the renderer's own fixed strings in one language.
type labelSet struct {
	Title, Profile, Work, Education, Courses, Languages, Skills, Interests, References, Contact string
	VerifiedBy, Self, Code, Issued, Scan                                                        string
}

var labels = map[string]labelSet{
	"da": {
		Title: "CV", Profile: "Profil", Work: "Erfaring", Education: "Uddannelse",
		Courses: "Kurser og beviser", Languages: "Sprog", Skills: "Kompetencer",
		Interests: "Interesser", References: "Referencer", Contact: "Kontakt",
		VerifiedBy: "Verificeret af %s", Self: "egen angivelse", Code: "kode %s",
		Issued: "Udstedt %s.", Scan: "Scan QR-koden for at se, hvad der er verificeret.",
	},
	"en": {
		Title: "CV", Profile: "Profile", Work: "Experience", Education: "Education",
		Courses: "Courses and certificates", Languages: "Languages", Skills: "Skills",
		Interests: "Interests", References: "References", Contact: "Contact",
		VerifiedBy: "Verified by %s", Self: "self-reported", Code: "code %s",
		Issued: "Issued %s.", Scan: "Scan the QR code to see what has been verified.",
	},
}

// content is a Document cleaned for drawing.
type content struct {
	lb                      labelSet
	compact                 bool
	name, headline, profile string
	contact                 []string
	work                    []WorkLine
	education, courses      []Entry
	languages               []Language
	skills, interests       []string
	refs                    []Reference
	code, url, issued, vby  string
	qr                      [][]bool
	link                    string // d.URL when it is a plain http(s) URL, for the annotation
}

// Caps on list lengths: more entries than two pages can hold are never shown.
const (
	maxItems = 120
	maxShort = 20
)

func prepare(d Document, fs *fontSet) *content {
	c := &content{lb: labels["da"], compact: d.Template == "compact"}
	if d.Lang == "en" {
		c.lb = labels["en"]
	}
	cl := func(s string) string { return fs.clean(s, false) }
	c.name, c.headline, c.profile = cl(d.Name), cl(d.Headline), fs.clean(d.Profile, true)
	for _, s := range firstN(d.Contact, maxShort) {
		if s = cl(s); s != "" {
			c.contact = append(c.contact, s)
		}
	}
	for _, w := range firstN(d.Work, maxItems) {
		w = WorkLine{Title: cl(w.Title), Place: cl(w.Place), Detail: cl(w.Detail), Period: cl(w.Period), Verified: w.Verified}
		if w.Title+w.Place+w.Detail+w.Period != "" {
			c.work = append(c.work, w)
		}
	}
	entries := func(in []Entry) (out []Entry) {
		for _, e := range firstN(in, maxItems) {
			e = Entry{Title: cl(e.Title), Place: cl(e.Place), Period: cl(e.Period), Verified: e.Verified}
			if e.Title+e.Place+e.Period != "" {
				out = append(out, e)
			}
		}
		return out
	}
	c.education, c.courses = entries(d.Education), entries(d.Courses)
	for _, l := range firstN(d.Languages, maxItems) {
		if l = (Language{Name: cl(l.Name), Level: cl(l.Level)}); l.Name+l.Level != "" {
			c.languages = append(c.languages, l)
		}
	}
	words := func(in []string) (out []string) {
		for _, s := range firstN(in, maxItems) {
			if s = cl(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	c.skills, c.interests = words(d.Skills), words(d.Interests)
	for _, r := range firstN(d.References, maxShort) {
		if r = (Reference{Name: cl(r.Name), Relation: cl(r.Relation), Contact: cl(r.Contact)}); r.Name+r.Relation+r.Contact != "" {
			c.refs = append(c.refs, r)
		}
	}
	c.code = cl(d.Code)
	if c.code != "" {
		c.url, c.issued, c.vby = cl(d.URL), cl(d.Issued), cl(d.VerifiedBy)
		c.qr = qrBitmap(d.URL)
		if u, err := url.Parse(d.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
			len(d.URL) <= 1000 && strings.IndexFunc(d.URL, func(r rune) bool { return r <= ' ' || r >= 0x7F }) < 0 {
			c.link = d.URL
		}
	}
	return c
}

// qrCache keeps recent QR bitmaps by URL: a youth who edits the CV keeps the
// code, and encoding costs ~0.4 ms. Bitmaps are never modified once made.
var qrCache struct {
	sync.Mutex
	m map[string][][]bool
}

// qrBitmap returns the QR code of u without a quiet zone, or nil when u is
// empty or too long to encode.
func qrBitmap(u string) [][]bool {
	if u == "" || len(u) > 1000 {
		return nil
	}
	qrCache.Lock()
	bm, ok := qrCache.m[u]
	qrCache.Unlock()
	if ok {
		return bm
	}
	q, err := qrcode.New(u, qrcode.Medium)
	if err != nil {
		return nil
	}
	q.DisableBorder = true
	bm = q.Bitmap()
	qrCache.Lock()
	if qrCache.m == nil || len(qrCache.m) >= 256 {
		qrCache.m = make(map[string][][]bool)
	}
	qrCache.m[u] = bm
	qrCache.Unlock()
	return bm
}

func firstN[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}
