package cv

import (
	"encoding/json"
	"strings"
)

// JSON Resume (jsonresume.org, schema v1.0.0), the fields we fill.
type resume struct {
	Schema       string        `json:"$schema"`
	Basics       resumeBasics  `json:"basics"`
	Work         []resumeWork  `json:"work,omitempty"`
	Education    []resumeEdu   `json:"education,omitempty"`
	Certificates []resumeCert  `json:"certificates,omitempty"`
	Skills       []resumeNamed `json:"skills,omitempty"`
	Languages    []resumeLang  `json:"languages,omitempty"`
	Interests    []resumeNamed `json:"interests,omitempty"`
	References   []resumeRef   `json:"references,omitempty"`
	Meta         resumeMeta    `json:"meta"`
}

type resumeBasics struct {
	Name     string          `json:"name"`
	Label    string          `json:"label,omitempty"`
	Email    string          `json:"email,omitempty"`
	Phone    string          `json:"phone,omitempty"`
	Summary  string          `json:"summary,omitempty"`
	Location *resumeLocation `json:"location,omitempty"`
}

type resumeLocation struct {
	City string `json:"city,omitempty"`
}

type resumeWork struct {
	Name       string   `json:"name,omitempty"`
	Position   string   `json:"position"`
	StartDate  string   `json:"startDate,omitempty"`
	EndDate    string   `json:"endDate,omitempty"`
	Summary    string   `json:"summary,omitempty"`
	Highlights []string `json:"highlights,omitempty"`
}

type resumeEdu struct {
	Institution string `json:"institution"`
	Area        string `json:"area,omitempty"`
	StartDate   string `json:"startDate,omitempty"`
}

type resumeCert struct {
	Name   string `json:"name"`
	Date   string `json:"date,omitempty"`
	Issuer string `json:"issuer,omitempty"`
}

type resumeNamed struct {
	Name string `json:"name"`
}

type resumeLang struct {
	Language string `json:"language"`
	Fluency  string `json:"fluency,omitempty"`
}

type resumeRef struct {
	Name      string `json:"name"`
	Reference string `json:"reference,omitempty"`
}

type resumeMeta struct {
	Version  string `json:"version"`
	Verified string `json:"verified,omitempty"` // our extension: the verification page
}

// JSONResume exports d in the JSON Resume format, so the youth can take
// their CV to other tools. Verified lines say so in their highlights.
func (d Document) JSONResume(verifiedLabel string) ([]byte, error) {
	r := resume{Schema: "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
		Basics: resumeBasics{Name: d.Name, Label: d.Headline, Summary: d.Profile},
		Meta:   resumeMeta{Version: "v1.0.0", Verified: d.URL}}
	for _, c := range d.Contact {
		switch {
		case strings.Contains(c, "@"):
			r.Basics.Email = c
		case strings.ContainsAny(c, "0123456789") && !strings.ContainsAny(c, "abcdefghijklmnopqrstuvwxyzæøå"):
			r.Basics.Phone = c
		default:
			r.Basics.Location = &resumeLocation{City: c}
		}
	}
	for _, w := range d.Work {
		rw := resumeWork{Name: w.Place, Position: w.Title, StartDate: w.Start, EndDate: w.End, Summary: strings.TrimSpace(w.Detail + " " + w.Period)}
		if w.Verified && verifiedLabel != "" {
			rw.Highlights = []string{verifiedLabel}
		}
		r.Work = append(r.Work, rw)
	}
	for _, e := range d.Education {
		r.Education = append(r.Education, resumeEdu{Institution: e.Place, Area: e.Title, StartDate: e.Date})
	}
	for _, c := range d.Courses {
		r.Certificates = append(r.Certificates, resumeCert{Name: c.Title, Date: c.Date, Issuer: c.Place})
	}
	for _, s := range d.Skills {
		r.Skills = append(r.Skills, resumeNamed{Name: s})
	}
	for _, l := range d.Languages {
		r.Languages = append(r.Languages, resumeLang{Language: l.Name, Fluency: l.Level})
	}
	for _, i := range d.Interests {
		r.Interests = append(r.Interests, resumeNamed{Name: i})
	}
	for _, ref := range d.References {
		r.References = append(r.References, resumeRef{Name: ref.Name, Reference: strings.TrimSpace(ref.Relation + " " + ref.Contact)})
	}
	return json.MarshalIndent(r, "", "  ")
}
