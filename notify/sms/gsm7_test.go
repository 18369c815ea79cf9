package sms

import (
	"strings"
	"testing"
)

func TestGSM7LengthAndSegments(t *testing.T) {
	for _, c := range []struct {
		name     string
		text     string
		units    int
		gsm7     bool
		segments int
	}{
		{"empty", "", 0, true, 1},
		{"danish letters are GSM-7", "Hæk på Ørestad Allé, Århus", 26, true, 1},
		{"extension counts two", "{€}", 6, true, 1},
		{"160 septets is one", strings.Repeat("a", 160), 160, true, 1},
		{"161 septets is two", strings.Repeat("a", 161), 161, true, 2},
		{"306 septets is two", strings.Repeat("a", 306), 306, true, 2},
		{"307 septets is three", strings.Repeat("a", 307), 307, true, 3},
		{"extension pushes past 160", strings.Repeat("a", 159) + "€", 161, true, 2},
		{"ellipsis is not GSM-7", "Vent…", 5, false, 1},
		{"70 UCS-2 is one", strings.Repeat("ł", 70), 70, false, 1},
		{"71 UCS-2 is two", strings.Repeat("ł", 71), 71, false, 2},
		{"134 UCS-2 is two", strings.Repeat("ł", 134), 134, false, 2},
		{"135 UCS-2 is three", strings.Repeat("ł", 135), 135, false, 3},
		{"emoji is two UTF-16 units", "ok 👍", 5, false, 1},
		{"a Polish name forces UCS-2", "Łukasz", 6, false, 1},
		{"newline and @ are GSM-7", "a@b\nc", 5, true, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, gsm := Length(c.text)
			if n != c.units || gsm != c.gsm7 || IsGSM7(c.text) != c.gsm7 {
				t.Errorf("Length(%q) = %d, %v; want %d, %v", c.text, n, gsm, c.units, c.gsm7)
			}
			if s := Segments(c.text); s != c.segments {
				t.Errorf("Segments = %d, want %d", s, c.segments)
			}
		})
	}
}

func TestComposeKeepsOneSegment(t *testing.T) {
	link := "https://fritidsjob.example.dk/b"
	long := "Du har fået en plads på opgaven Hæk og græsplæne ved Gellerupparken fra venteliste, tirsdag 10-03-2026 kl. 15:00–17:00. Husk arbejdstøj og mød op ved materielgården i god tid."
	for _, c := range []struct {
		name, body, link string
		want             string // "" = check only the properties
		segments         int
		gsm7             bool
		cut              bool
	}{
		{name: "short stays whole", body: "Du har fået en plads på Hæk.", link: link, want: "Du har fået en plads på Hæk.\n" + link, segments: 1, gsm7: true},
		{name: "no link", body: "Hej", want: "Hej", segments: 1, gsm7: true},
		{name: "long GSM-7 is cut at a word with ...", body: strings.ReplaceAll(long, "–", "-"), link: link, segments: 1, gsm7: true, cut: true},
		{name: "long UCS-2 is cut with …", body: long, link: link, segments: 1, gsm7: false, cut: true},
		{name: "one huge word is not cut", body: strings.Repeat("x", 200), link: link, want: strings.Repeat("x", 200) + "\n" + link, segments: 2, gsm7: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Compose(c.body, c.link)
			if c.want != "" && got != c.want {
				t.Errorf("Compose = %q, want %q", got, c.want)
			}
			if s := Segments(got); s != c.segments {
				t.Errorf("Compose = %q: %d segments, want %d", got, s, c.segments)
			}
			if IsGSM7(got) != c.gsm7 {
				t.Errorf("Compose = %q: GSM-7 %v, want %v", got, !c.gsm7, c.gsm7)
			}
			if c.link != "" && !strings.HasSuffix(got, "\n"+c.link) {
				t.Errorf("Compose = %q: the link is lost", got)
			}
			if c.cut {
				body := strings.TrimSuffix(got, "\n"+c.link)
				ell := "…"
				if c.gsm7 {
					ell = "..."
				}
				prefix, ok := strings.CutSuffix(body, ell)
				if !ok || !strings.HasPrefix(c.body, prefix+" ") {
					t.Errorf("Compose = %q: not the body cut at a word with %q", got, ell)
				}
				// As much as fits: one more word would not.
				next := strings.Fields(strings.TrimPrefix(c.body, prefix))[0]
				if Segments(prefix+" "+next+ell+"\n"+c.link) == 1 {
					t.Errorf("Compose = %q: cut a word too early", got)
				}
			}
		})
	}
}

func TestValidSender(t *testing.T) {
	for s, want := range map[string]bool{
		"Fritidsjob": true, "Fritid Job": true, "12345678": true, "+4512345678": true,
		"123456789012345": true, "1234567890123456": false, "": false,
		"FritidsjobDK1": false, "Fritidsjøb": false, "a/b": false,
	} {
		if got := ValidSender(s); got != want {
			t.Errorf("ValidSender(%q) = %v, want %v", s, got, want)
		}
	}
}
