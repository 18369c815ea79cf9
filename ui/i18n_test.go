package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fritidsjob/people"
)

// TestCatalogsComplete checks that Danish and English have the same keys
// and that every key the templates and Go code use exists.
func TestCatalogsComplete(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range languages {
		for _, b := range languages {
			for k := range c[a] {
				if _, ok := c[b][k]; !ok {
					t.Errorf("key %q is in %s but not in %s", k, a, b)
				}
			}
		}
	}
	used, plural := map[string]bool{}, map[string]bool{}
	tmplKey := regexp.MustCompile(`\{\{t \$?\.?(?:Lang|OtherLang|\$\.Lang) "([a-z0-9_.]+)"`)
	tmplPlural := regexp.MustCompile(`[{(]tn \$?\.?(?:Lang|\$\.Lang) "([a-z0-9_.]+)"`)
	goPlural := regexp.MustCompile(`\.N\([^,()]*(?:\([^()]*\))?, "([a-z0-9_.]+)"`)
	goKey := regexp.MustCompile(`"((?:err|login|done|nav|home|band|gender|school|role|invalid)\.[a-z0-9_.]+)"`)
	err = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		for _, m := range tmplPlural.FindAllStringSubmatch(string(b), -1) {
			plural[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goFiles, _ := filepath.Glob("*.go")
	for _, p := range goFiles {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		for _, m := range goPlural.FindAllStringSubmatch(string(b), -1) {
			plural[m[1]] = true
		}
	}
	// Keys built at run time: every role, gender, school status and band.
	for _, r := range people.Roles {
		used["role."+string(r)] = true
	}
	for _, g := range []people.Gender{people.GenderFemale, people.GenderMale, people.GenderOther, people.GenderUnknown} {
		used["gender."+string(g)] = true
	}
	for _, b := range []string{"band.under13", "band.13to14", "band.15to17", "band.adult"} {
		used[b+".explain"] = true
	}
	if len(used) < 40 {
		t.Fatalf("found only %d used keys; the scan is broken", len(used))
	}
	for k := range used {
		for _, l := range languages {
			if _, ok := c[l][k]; !ok && !strings.HasSuffix(k, ".") {
				t.Errorf("key %q used but missing in %s", k, l)
			}
		}
	}
	if len(plural) < 25 {
		t.Fatalf("found only %d plural messages in use; the scan is broken", len(plural))
	}
	for k := range plural {
		for _, l := range languages {
			for _, form := range []string{pluralOne, pluralOther} {
				if _, ok := c[l][k+form]; !ok {
					t.Errorf("plural message %q used but %s has no %q", k, l, k+form)
				}
			}
		}
	}
}

// countVerb finds a count in a message: an integer verb such as %d or %3d.
var countVerb = regexp.MustCompile(`%(?:\[\d+\])?\d*d`)

// TestPluralMessages checks that every message with a count is a plural
// message, with both forms in both languages: <key>.one and <key>.other,
// the other form showing the count.
func TestPluralMessages(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	bases := map[string]bool{}
	for _, l := range languages {
		for k, v := range c[l] {
			base, isOne := strings.CutSuffix(k, pluralOne)
			if !isOne {
				base, _ = strings.CutSuffix(k, pluralOther)
			}
			switch {
			case isOne:
				bases[base] = true
			case countVerb.MatchString(v) && base == k:
				t.Errorf("%s: %q shows a count but has no plural forms (%s%s, %s%s)", l, k, k, pluralOne, k, pluralOther)
			case countVerb.MatchString(v):
				bases[base] = true
			}
		}
	}
	if len(bases) < 30 {
		t.Fatalf("found only %d plural messages; the scan is broken", len(bases))
	}
	for base := range bases {
		for _, l := range languages {
			one, okOne := c[l][base+pluralOne]
			other, okOther := c[l][base+pluralOther]
			if !okOne || !okOther {
				t.Errorf("%s: plural message %q lacks a form (one %v, other %v)", l, base, okOne, okOther)
				continue
			}
			if !countVerb.MatchString(other) {
				t.Errorf("%s: %q does not show the count", l, base+pluralOther)
			}
			if n := len(countVerb.FindAllString(one, -1)); n > len(countVerb.FindAllString(other, -1)) {
				t.Errorf("%s: %q has more counts than its other form", l, base+pluralOne)
			}
		}
	}
	for _, tc := range []struct {
		lang, key string
		n         int
		args      []any
		want      string
	}{
		{"da", "tasks.slots_left", 1, nil, "1 ledig plads"},
		{"da", "tasks.slots_left", 2, nil, "2 ledige pladser"},
		{"da", "tasks.slots_left", 0, nil, "0 ledige pladser"},
		{"en", "retention.inactive_due", 1, nil, "1 youth would be erased now"},
		{"en", "retention.inactive_due", 3, nil, "3 youths would be erased now"},
		{"en", "openings.summary", 1, []any{15}, "1 hour/week · from age 15"},
		{"en", "cv.times", 1, nil, "once"},
		{"en", "cv.times", 4, nil, "4 times"},
		{"da", "no.such", 2, nil, "[no.such.other]"},
	} {
		if got := c.N(tc.lang, tc.key, tc.n, tc.args...); got != tc.want {
			t.Errorf("N(%s, %s, %d) = %q, want %q", tc.lang, tc.key, tc.n, got, tc.want)
		}
	}
	if got, err := c.tn("da", "youth.age", int64(14)); err != nil || got != "14 år" {
		t.Errorf("tn(int64) = %q, %v", got, err)
	}
	if _, err := c.tn("da", "youth.age", "14"); err == nil {
		t.Error("tn took a string as a count")
	}
}

// TestNoUserTextInGo guards "no string literal of user text in Go code":
// Go files may not contain Danish letters outside tests and comments.
func TestNoUserTextInGo(t *testing.T) {
	goFiles, _ := filepath.Glob("*.go")
	danish := regexp.MustCompile(`"[^"\n]*[æøåÆØÅ][^"\n]*"`)
	for _, p := range goFiles {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(p)
		for i, line := range strings.Split(string(b), "\n") {
			if s := strings.TrimSpace(line); strings.HasPrefix(s, "//") {
				continue
			}
			if danish.MatchString(line) {
				t.Errorf("%s:%d: user text in Go code: %s", p, i+1, strings.TrimSpace(line))
			}
		}
	}
}

func TestFormats(t *testing.T) {
	kr := map[int64]string{0: "0,00 kr.", 5: "0,05 kr.", 123450: "1.234,50 kr.", -99: "-0,99 kr.", 100000000: "1.000.000,00 kr."}
	for ore, want := range kr {
		if got := formatKroner(ore); got != want {
			t.Errorf("formatKroner(%d) = %q, want %q", ore, got, want)
		}
	}
	// 23:30 UTC on 31 December is already 1 January in Copenhagen.
	if got := formatDate(time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)); got != "01-01-2027" {
		t.Errorf("formatDate = %q, want 01-01-2027", got)
	}
	if got := formatDate(people.Date{Year: 2012, Month: 5, Day: 7}); got != "07-05-2012" {
		t.Errorf("formatDate(Date) = %q", got)
	}
}

func TestKVStorageExpiry(t *testing.T) {
	f := newFixture(t)
	kv := newKVStorage(f.db, "kvtest", f.clock.Now)
	if err := kv.Set("a", []byte("æble"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := kv.Set("b", []byte("banan"), 0); err != nil {
		t.Fatal(err)
	}
	got, err := kv.Get("a")
	if err != nil || string(got) != "æble" {
		t.Fatalf("Get a = %q, %v", got, err)
	}
	got[0] = 'X' // the caller owns the copy
	if again, _ := kv.Get("a"); string(again) != "æble" {
		t.Fatal("Get returned shared memory")
	}
	f.clock.Add(time.Minute)
	if got, _ := kv.Get("a"); got != nil {
		t.Fatalf("expired value returned: %q", got)
	}
	if n, err := kv.Sweep(); err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1", n, err)
	}
	if got, _ := kv.Get("b"); string(got) != "banan" {
		t.Fatal("value without expiry lost")
	}
	if err := kv.Reset(); err != nil {
		t.Fatal(err)
	}
	if got, _ := kv.Get("b"); got != nil {
		t.Fatal("Reset left a value")
	}
}
