package ui

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"strconv"
	"strings"
	"time"

	"fritidsjob/people"
)

//go:embed locales/*.json
var localeFS embed.FS

// Languages the UI speaks; the first is the default.
var languages = []string{"da", "en"}

// catalog holds the translated messages, by language then key.
type catalog map[string]map[string]string

// loadCatalog reads ui/locales/<lang>.json and any <lang>-<part>.json
// beside it (one file per feature keeps edits apart) for every language.
// A key defined twice is an error.
func loadCatalog() (catalog, error) {
	c := catalog{}
	for _, lang := range languages {
		files, err := fs.Glob(localeFS, "locales/"+lang+"*.json")
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("locale %s: no catalogue", lang)
		}
		m := map[string]string{}
		for _, f := range files {
			b, err := localeFS.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("locale %s: %w", f, err)
			}
			part := map[string]string{}
			if err := json.Unmarshal(b, &part); err != nil {
				return nil, fmt.Errorf("locale %s: %w", f, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("locale %s: key %q defined twice", f, k)
				}
				m[k] = v
			}
		}
		c[lang] = m
	}
	return c, nil
}

// T translates key into lang, filling %s/%d verbs from args. A missing key
// shows as the key itself in brackets, which tests look for.
func (c catalog) T(lang, key string, args ...any) string {
	m, ok := c[lang]
	if !ok {
		m = c[languages[0]]
	}
	s, ok := m[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Plural messages. A message that shows a count is two keys in every
// catalogue: <key>.one for a count of exactly 1 and <key>.other for every
// other count (the CLDR plural categories; for whole numbers Danish and
// English have no others). The count is the message's first value; the
// one form may leave it out ("once").
const (
	pluralOne   = ".one"
	pluralOther = ".other"
)

// N translates the plural message key for count n into lang: the form for
// n, filled with n and then args. A missing form shows as its key in
// brackets, as T does.
func (c catalog) N(lang, key string, n int, args ...any) string {
	form := key + pluralOther
	if n == 1 {
		form = key + pluralOne
	}
	s := c.T(lang, form)
	if !strings.Contains(s, "%") {
		return s // a form without the count ("once"), or a missing key
	}
	return fmt.Sprintf(s, append([]any{n}, args...)...)
}

// tn is N for templates, where a count may be any integer type:
// {{tn .Lang "tasks.slots_left" .Task.Free}}. A count that is not an
// integer fails the render.
func (c catalog) tn(lang, key string, n any, args ...any) (string, error) {
	v := reflect.ValueOf(n)
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return c.N(lang, key, int(v.Int()), args...), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return c.N(lang, key, int(v.Uint()), args...), nil
	}
	return "", fmt.Errorf("tn %s: count %v is not an integer", key, n)
}

// pickLang returns lang when the UI speaks it, else the default.
func pickLang(lang string) string {
	for _, l := range languages {
		if l == lang {
			return l
		}
	}
	return languages[0]
}

// formatDate shows a date as dd-mm-yyyy; times are read in Copenhagen.
func formatDate(v any) string {
	if p, ok := v.(*people.Date); ok { // an optional date, such as a note's follow-up
		if p == nil {
			return ""
		}
		v = *p
	}
	switch d := v.(type) {
	case people.Date:
		if d.IsZero() {
			return ""
		}
		return fmt.Sprintf("%02d-%02d-%04d", d.Day, d.Month, d.Year)
	case time.Time:
		if d.IsZero() {
			return ""
		}
		return d.In(people.Copenhagen).Format("02-01-2006")
	default:
		return ""
	}
}

// formatKroner shows an amount in øre the Danish way: "1.234,50 kr.".
func formatKroner(ore int64) string {
	neg := ore < 0
	if neg {
		ore = -ore
	}
	kr := strconv.FormatInt(ore/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, ch := range kr {
		if i > 0 && (len(kr)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(ch)
	}
	fmt.Fprintf(&b, ",%02d kr.", ore%100)
	return b.String()
}

// when shows a task's time the Danish way: "tor. 27-11-2026 15:00–17:00",
// in Copenhagen time; the end's date is shown only when it differs.
func (c catalog) when(lang string, start, end time.Time) string {
	s, e := start.In(people.Copenhagen), end.In(people.Copenhagen)
	day := c.T(lang, "day."+strconv.Itoa(int(s.Weekday())))
	out := day + " " + formatDate(s) + " " + s.Format("15:04")
	if end.IsZero() {
		return out
	}
	if people.DateOf(e) != people.DateOf(s) {
		return out + "–" + formatDate(e) + " " + e.Format("15:04")
	}
	return out + "–" + e.Format("15:04")
}

// duration shows minutes as hours and minutes ("2 t. 30 min.").
func (c catalog) duration(lang string, minutes int) string {
	h, m := minutes/60, minutes%60
	switch {
	case h == 0:
		return c.N(lang, "dur.m", m)
	case m == 0:
		return c.N(lang, "dur.h", h)
	}
	return c.N(lang, "dur.hm", h, m)
}

// formatCount shows a count with the language's thousands separators:
// "90.000" in Danish, "90,000" in English.
func formatCount(lang string, n int) string {
	s := formatPoints(int64(n))
	if lang == "en" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// formatPoints shows a points amount with Danish thousand separators.
func formatPoints(n int64) string {
	s := formatKroner(n * 100)
	return strings.TrimSuffix(s, ",00 kr.")
}

// dict builds a map for passing several values to a template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
