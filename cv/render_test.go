package cv

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// typical is a typical youth's CV: 8 work lines, 2 education, 3 courses, 3
// languages, 6 skills, 5 interests and a 400-character profile (the layout's
// own tests in cv/pdf use the same content).
func typical(lang string) Document {
	profile := []rune(strings.Repeat("Jeg er glad for at arbejde med børn og hjælpe til i fælleshuset. æøå ÆØÅ ", 6))
	d := Document{
		Lang:       lang,
		Name:       "Sara Jensen",
		Headline:   "Ung i fritidsjob, Blåbærparken",
		Contact:    []string{"20 30 40 50", "sara@example.dk", "Aarhus V"},
		Profile:    string(profile[:400]),
		Code:       "K7QM-2XRD-9PTA-F3HW",
		URL:        "https://fritidsjob.example/v/K7QM-2XRD-9PTA-F3HW",
		Issued:     "3. marts 2027",
		VerifiedBy: "Blåbærparken (boligsocial helhedsplan)",
	}
	for i := 0; i < 8; i++ {
		d.Work = append(d.Work, WorkLine{Title: "Børnepasning i fælleshuset", Place: "Blåbærparken",
			Detail: "14 gange, 28 timer", Period: "jan.–mar. 2027", Verified: i < 5})
	}
	d.Education = []Entry{{Title: "9. klasse", Place: "Ellekærskolen", Period: "2026"},
		{Title: "10. klasse", Place: "Ungdomsskolen", Period: "2027", Verified: true}}
	d.Courses = []Entry{{Title: "Førstehjælp", Place: "Dansk Røde Kors", Period: "2026", Verified: true},
		{Title: "Hygiejnebevis", Place: "Kommunen", Period: "2027", Verified: true},
		{Title: "Fodbolddommer", Place: "DBU", Period: "2025"}}
	d.Languages = []Language{{Name: "Dansk", Level: "modersmål"}, {Name: "Engelsk", Level: "godt"}, {Name: "Arabisk", Level: "flydende"}}
	d.Skills = []string{"Børnepasning", "Kundeservice", "Rengøring", "Madlavning", "Excel", "Samarbejde"}
	d.Interests = []string{"Fodbold", "Tegning", "Musik", "Gaming", "Bagning"}
	return d
}

// TestDocumentPrinted fills every field of a Document with its own value and
// checks that each field of the PDF layout's document, at any depth, holds
// the value of the field of the same name: a field added to the layout's
// input but not passed on by printed fails here.
func TestDocumentPrinted(t *testing.T) {
	var d Document
	n := 0
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			n++
			v.SetString(fmt.Sprintf("value %d", n))
		case reflect.Bool:
			n++
			v.SetBool(n%2 == 0)
		case reflect.Slice:
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
			for i := range v.Len() {
				fill(v.Index(i))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				fill(v.Field(i))
			}
		default:
			t.Fatalf("fill: unexpected kind %s", v.Kind())
		}
	}
	fill(reflect.ValueOf(&d).Elem())
	var compare func(path string, want, got reflect.Value)
	compare = func(path string, want, got reflect.Value) {
		switch got.Kind() {
		case reflect.Slice:
			if got.Len() != want.Len() {
				t.Fatalf("%s: %d elements, want %d", path, got.Len(), want.Len())
			}
			for i := range got.Len() {
				compare(fmt.Sprintf("%s[%d]", path, i), want.Index(i), got.Index(i))
			}
		case reflect.Struct:
			for i := range got.NumField() {
				name := got.Type().Field(i).Name
				w := want.FieldByName(name)
				if !w.IsValid() {
					t.Errorf("%s.%s: no field of that name in cv's model", path, name)
					continue
				}
				compare(path+"."+name, w, got.Field(i))
			}
		default:
			if got.Interface() != want.Interface() {
				t.Errorf("%s = %v, want %v", path, got.Interface(), want.Interface())
			}
		}
	}
	compare("Document", reflect.ValueOf(d), reflect.ValueOf(d.printed()))
}

func TestRenderCache(t *testing.T) {
	r := NewRenderer(3)
	d := typical("da")
	a, err := r.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("cached PDF differs")
	}
	if s := r.Stats(); s.Hits != 1 || s.Misses != 1 || s.Entries != 1 {
		t.Errorf("after two renders: %+v, want 1 hit, 1 miss, 1 entry", s)
	}
	b[0] = 'X' // the caller owns its copy
	if c, _ := r.Render(d); c[0] != '%' {
		t.Error("changing a returned PDF changed the cache")
	}
	d2 := d
	d2.Work = append([]WorkLine(nil), d.Work...)
	d2.Work[0].Verified = false
	if _, err := r.Render(d2); err != nil {
		t.Fatal(err)
	}
	if s := r.Stats(); s.Hits != 2 || s.Misses != 2 {
		t.Errorf("changed document: %+v, want a miss", s)
	}
	// LRU: three more documents evict d (the least recently used).
	for i := 0; i < 3; i++ {
		x := d
		x.Name = fmt.Sprintf("Navn %d", i)
		if _, err := r.Render(x); err != nil {
			t.Fatal(err)
		}
	}
	before := r.Stats()
	if before.Entries != 3 {
		t.Errorf("entries = %d, want 3", before.Entries)
	}
	if _, err := r.Render(d); err != nil {
		t.Fatal(err)
	}
	if s := r.Stats(); s.Misses != before.Misses+1 {
		t.Errorf("evicted document was a hit: %+v", s)
	}
	// A disabled cache renders every time.
	r0 := NewRenderer(0)
	r0.Render(d)
	r0.Render(d)
	if s := r0.Stats(); s.Hits != 0 || s.Misses != 2 || s.Entries != 0 {
		t.Errorf("disabled cache: %+v", s)
	}
}

// Concurrent renders share the font tables and bytes; under -race this
// caught gofpdf writing padding into the font bytes it is given.
func TestRenderCacheConcurrent(t *testing.T) {
	r := NewRenderer(2)
	want, err := Render(typical("da"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			d := typical("da")
			if i%2 == 1 {
				d.Template = "compact"
			}
			got, err := r.Render(d)
			if err != nil {
				t.Error(err)
				return
			}
			if i%2 == 0 && !bytes.Equal(got, want) {
				t.Error("concurrent render differs")
			}
		}(i)
	}
	wg.Wait()
	if s := r.Stats(); s.Hits+s.Misses != 6 {
		t.Errorf("stats %+v", s)
	}
}

// BenchmarkRenderCached is a repeated download of an unchanged CV: a hit in
// the Renderer's content-hash cache.
func BenchmarkRenderCached(b *testing.B) {
	d := typical("da")
	r := NewRenderer(16)
	benchMedian(b, func() error {
		_, err := r.Render(d)
		return err
	})
}

// benchMedian runs run once per iteration and reports, next to the mean
// ns/op, the median duration of one iteration in ms (median-ms/op), which a
// 2-core machine shared with other work disturbs far less. (The layout's
// benchmarks in cv/pdf report the same way.)
func benchMedian(b *testing.B, run func() error) {
	b.Helper()
	if err := run(); err != nil { // warm up: fonts, QR code
		b.Fatal(err)
	}
	var ds []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if err := run(); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
	}
	slices.Sort(ds)
	if n := len(ds); n > 0 {
		med := ds[n/2]
		if n%2 == 0 {
			med = (ds[n/2-1] + ds[n/2]) / 2
		}
		b.ReportMetric(float64(med)/1e6, "median-ms/op")
	}
}
