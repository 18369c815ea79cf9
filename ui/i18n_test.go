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
	used := map[string]bool{}
	tmplKey := regexp.MustCompile(`\{\{t \$?\.?(?:Lang|OtherLang|\$\.Lang) "([a-z0-9_.]+)"`)
	goKey := regexp.MustCompile(`"((?:err|login|done|nav|home|band|gender|school|role|invalid)\.[a-z0-9_.]+)"`)
	err = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
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
