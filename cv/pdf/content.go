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

// prepare cleans d for drawing with fs: every field is cleaned, lists are
// capped, and entries left without text are dropped.
func prepare(d Document, fs *fontSet) *content {
	c := &content{lb: labels["da"], compact: d.Template == "compact"}
	if d.Lang == "en" {
		c.lb = labels["en"]
	}
	c.name, c.headline, c.profile = fs.cleanLine(d.Name), fs.cleanLine(d.Headline), fs.clean(d.Profile, true)
	c.contact = cleanAll(d.Contact, maxShort, fs.cleanText)
	c.work = cleanAll(d.Work, maxItems, fs.cleanWork)
	c.education = cleanAll(d.Education, maxItems, fs.cleanEntry)
	c.courses = cleanAll(d.Courses, maxItems, fs.cleanEntry)
	c.languages = cleanAll(d.Languages, maxItems, fs.cleanLanguage)
	c.skills = cleanAll(d.Skills, maxItems, fs.cleanText)
	c.interests = cleanAll(d.Interests, maxItems, fs.cleanText)
	c.refs = cleanAll(d.References, maxShort, fs.cleanReference)
	c.verification(d, fs)
	return c
}

// verification fills in the footer's fields when d has a code.
func (c *content) verification(d Document, fs *fontSet) {
	c.code = fs.cleanLine(d.Code)
	if c.code == "" {
		return
	}
	c.url, c.issued, c.vby = fs.cleanLine(d.URL), fs.cleanLine(d.Issued), fs.cleanLine(d.VerifiedBy)
	c.qr = qrBitmap(d.URL)
	if linkable(d.URL) {
		c.link = d.URL
	}
}

// linkable reports whether s is a plain http(s) URL, safe to write as a
// link annotation.
func linkable(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
		len(s) <= 1000 && strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r >= 0x7F }) < 0
}

// cleanAll returns the first n of in, each cleaned by clean, without those
// it reports empty.
func cleanAll[T any](in []T, n int, clean func(T) (T, bool)) (out []T) {
	for _, v := range firstN(in, n) {
		if v, ok := clean(v); ok {
			out = append(out, v)
		}
	}
	return out
}

func (fs *fontSet) cleanLine(s string) string { return fs.clean(s, false) }

// cleanText cleans s and reports whether any text is left.
func (fs *fontSet) cleanText(s string) (string, bool) {
	s = fs.cleanLine(s)
	return s, s != ""
}

func (fs *fontSet) cleanWork(w WorkLine) (WorkLine, bool) {
	w = WorkLine{Title: fs.cleanLine(w.Title), Place: fs.cleanLine(w.Place), Detail: fs.cleanLine(w.Detail), Period: fs.cleanLine(w.Period), Verified: w.Verified}
	return w, w.Title+w.Place+w.Detail+w.Period != ""
}

func (fs *fontSet) cleanEntry(e Entry) (Entry, bool) {
	e = Entry{Title: fs.cleanLine(e.Title), Place: fs.cleanLine(e.Place), Period: fs.cleanLine(e.Period), Verified: e.Verified}
	return e, e.Title+e.Place+e.Period != ""
}

func (fs *fontSet) cleanLanguage(l Language) (Language, bool) {
	l = Language{Name: fs.cleanLine(l.Name), Level: fs.cleanLine(l.Level)}
	return l, l.Name+l.Level != ""
}

func (fs *fontSet) cleanReference(r Reference) (Reference, bool) {
	r = Reference{Name: fs.cleanLine(r.Name), Relation: fs.cleanLine(r.Relation), Contact: fs.cleanLine(r.Contact)}
	return r, r.Name+r.Relation+r.Contact != ""
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
