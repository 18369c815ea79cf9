package cv

// Document is everything printed on a CV, already chosen by the youth and
// translated: the renderer lays it out and adds nothing of its own except
// the section headings in Lang. It is plain data: Render hands what is
// printed of it to package cv/pdf, which is tested and fuzzed on its own.
type Document struct {
	Lang     string // "da" or "en": the language of headings and dates
	Template string // "clean" (default) or "compact"

	Name     string
	Headline string   // e.g. "Ung i fritidsjob, Blåbærparken"
	Contact  []string // the contact lines the youth chose to show (phone, e-mail, town)
	Profile  string   // the youth's own short text

	Work       []WorkLine
	Education  []Entry
	Courses    []Entry // courses and certificates; Verified when the programme recorded them
	Languages  []Language
	Skills     []string
	Interests  []string
	References []Reference

	// Verification, printed with a QR code of URL when Code is set.
	Code       string // e.g. "K7QM-2XRD-9PTA-F3HW"
	URL        string // the public verification page for Code
	Issued     string // the date the code was issued, formatted for Lang
	VerifiedBy string // e.g. "Blåbærparken (boligsocial helhedsplan)"
}

// WorkLine is one line of work experience. Verified lines come from the
// programme's approved records; the youth's own lines are marked
// unverified.
type WorkLine struct {
	Title    string // "Børnepasning i fælleshuset"
	Place    string // "Blåbærparken"
	Detail   string // "14 gange, 28 timer"
	Period   string // "jan.–mar. 2027"
	Verified bool
	Start    string // ISO date of the first time, for JSON Resume ("" when unknown)
	End      string // ISO date of the last time
}

// Entry is a line in education or courses.
type Entry struct {
	Title    string
	Place    string
	Period   string
	Verified bool
	Date     string // ISO date, for JSON Resume ("" when unknown)
}

// Language is a language and the youth's level in it, as words.
type Language struct {
	Name  string
	Level string
}

// Reference is a referee the youth may name (only with their consent).
type Reference struct {
	Name     string
	Relation string
	Contact  string
}
