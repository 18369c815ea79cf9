package evaluation

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"fritidsjob/people"
)

// Field describes one column of an export file, as datapackage.json shows
// it (a Frictionless Table Schema field). DA and EN are its description
// in Danish and English.
type Field struct {
	Name     string
	Type     string // "string", "integer", "number", "date"
	Unit     string
	DA, EN   string
	Enum     []any
	Required bool
	Min, Max *int
}

// Resource is one file of the export with its columns.
type Resource struct {
	Name, Path string
	DA, EN     string
	Fields     []Field
	PrimaryKey []string
}

func intp(v int) *int { return &v }

var genders = []any{string(people.GenderFemale), string(people.GenderMale), string(people.GenderOther), string(people.GenderUnknown)}
var bools = []any{0, 1}

// resources returns the export's file descriptions for o.
func resources(o Options) []Resource {
	areas := make([]any, len(o.Areas))
	for i, a := range o.Areas {
		areas[i] = a
	}
	types := make([]any, len(AllTypes))
	for i, t := range AllTypes {
		types[i] = string(t)
	}
	idF := Field{Name: "id", Type: "string", Required: true,
		DA: "Pseudonymt ID: HMAC-SHA256 af det interne ID med eksportnøglen (32 hex-tegn); det samme for den samme unge i alle eksporter med samme nøgle.",
		EN: "Pseudonymous ID: HMAC-SHA256 of the internal ID with the export key (32 hex digits); the same for the same youth in every export with the same key."}
	idNumF := Field{Name: "id_num", Type: "integer", Required: true, Min: intp(0),
		DA: "id som tal (de første 52 bit), til værktøjer der kræver et numerisk ID (R did idname, Stata csdid ivar); præcist i en double.",
		EN: "id as a number (its first 52 bits), for tools that need a numeric ID (R did idname, Stata csdid ivar); exact in a double."}
	areaF := Field{Name: "area", Type: "integer", Required: true, Enum: areas,
		DA: "Boligområdets nummer (se README.txt for navnene).", EN: "Housing area number (names in README.txt)."}
	genderF := Field{Name: "gender", Type: "string", Required: true, Enum: genders,
		DA: "Køn som registreret af programmet.", EN: "Gender as recorded by the programme."}
	groupF := Field{Name: "group", Type: "string", Required: true, Enum: []any{"participant", "comparison"},
		DA: "participant: har en programstart; comparison: registreret, men aldrig deltaget (sammenligningsgruppe).",
		EN: "participant: has a programme start; comparison: registered but never took part (comparison pool)."}
	firstF := Field{Name: "first_treat", Type: "integer", Unit: "year", Required: true, Min: intp(0),
		DA: "Året for programstart (første deltagelse af en starttype); 0 = aldrig startet.",
		EN: "Year of programme start (first participation of a start type); 0 = never treated."}
	persons := []Field{idF, idNumF, areaF,
		{Name: "birth_year", Type: "integer", Unit: "year", DA: "Fødselsår (tom hvis slettet).", EN: "Birth year (empty when erased)."},
		genderF, groupF, firstF,
		{Name: "registration_year", Type: "integer", Unit: "year", Required: true, DA: "Året den unge blev registreret.", EN: "Year the youth was registered."},
	}
	for _, t := range AllTypes {
		persons = append(persons,
			Field{Name: "n_" + string(t), Type: "integer", Unit: "count", Required: true, Min: intp(0),
				DA: "Antal registreringer af typen " + string(t) + " i perioden.", EN: "Number of records of type " + string(t) + " in the period."},
			Field{Name: "hours_" + string(t), Type: "number", Unit: "hours", Required: true, Min: intp(0),
				DA: "Timer med typen " + string(t) + " i perioden.", EN: "Hours of type " + string(t) + " in the period."})
	}
	panel := []Field{idF, idNumF,
		{Name: "year", Type: "integer", Unit: "year", Required: true, Min: intp(o.FromYear), Max: intp(o.ToYear),
			DA: "Kalenderår (tidsvariabel: R did tname).", EN: "Calendar year (time variable: R did tname)."},
		firstF,
		{Name: "rel_year", Type: "integer", Unit: "year", DA: "year − first_treat; tom for aldrig startede.", EN: "year − first_treat; empty for never treated."},
		{Name: "age", Type: "integer", Unit: "years", DA: "Alder ved årets udgang (year − fødselsår); tom hvis ukendt.", EN: "Age at year end (year − birth year); empty when unknown."},
		genderF, areaF, groupF,
		{Name: "registered", Type: "integer", Required: true, Enum: bools, DA: "1 fra det år den unge blev registreret.", EN: "1 from the year the youth was registered."},
		{Name: "participated", Type: "integer", Required: true, Enum: bools, DA: "1 hvis den unge deltog (en starttype) i året.", EN: "1 if the youth took part (a start type) in the year."},
		{Name: "hours", Type: "number", Unit: "hours", Required: true, Min: intp(0), DA: "Timer med starttyper i året.", EN: "Hours of start types in the year."},
		{Name: "has_leisure_job", Type: "integer", Required: true, Enum: bools, DA: "1 hvis et fritidsjob (jobforløb) overlapper året (udfaldet).", EN: "1 if a leisure job spell overlaps the year (the outcome)."},
		{Name: "job_months", Type: "integer", Unit: "months", Required: true, Min: intp(0), Max: intp(12), DA: "Antal måneder i året med et fritidsjob.", EN: "Months of the year with a leisure job."},
	}
	events := []Field{idF,
		{Name: "date", Type: "date", Required: true, DA: "Dato for aktiviteten.", EN: "Date of the activity."},
		{Name: "type", Type: "string", Required: true, Enum: types, DA: "Aktivitetstype.", EN: "Activity type."},
		{Name: "hours", Type: "number", Unit: "hours", Required: true, Min: intp(0), DA: "Timer (0 hvis ikke registreret).", EN: "Hours (0 when not recorded)."},
	}
	sup := "; tom hvis under 5 (diskretion)."
	supEN := "; empty when under 5 (suppressed)."
	counts := []Field{areaF,
		{Name: "year", Type: "integer", Unit: "year", Required: true, Min: intp(o.FromYear), Max: intp(o.ToYear), DA: "Kalenderår.", EN: "Calendar year."},
		{Name: "youths", Type: "integer", Unit: "count", Min: intp(5), DA: "Registrerede unge" + sup, EN: "Registered youths" + supEN},
		{Name: "participants", Type: "integer", Unit: "count", Min: intp(5), DA: "Unge der deltog i året" + sup, EN: "Youths who took part in the year" + supEN},
		{Name: "with_leisure_job", Type: "integer", Unit: "count", Min: intp(5), DA: "Unge med fritidsjob i året" + sup, EN: "Youths with a leisure job in the year" + supEN},
	}
	return []Resource{
		{Name: "persons", Path: "persons.csv", DA: "Én række pr. ung.", EN: "One row per youth.", Fields: persons, PrimaryKey: []string{"id"}},
		{Name: "panel", Path: "panel.csv", DA: "Én række pr. ung og kalenderår (til R did, Stata csdid, fixest::sunab).", EN: "One row per youth and calendar year (for R did, Stata csdid, fixest::sunab).", Fields: panel, PrimaryKey: []string{"id", "year"}},
		{Name: "events", Path: "events.csv", DA: "Én række pr. deltagelsesregistrering i perioden.", EN: "One row per participation record in the period.", Fields: events},
		{Name: "counts", Path: "counts.csv", DA: "Antal pr. område og år; celler under 5 er tomme.", EN: "Counts per area and year; cells under 5 are empty.", Fields: counts, PrimaryKey: []string{"area", "year"}},
	}
}

// columns lists a resource's column names.
func columns(r Resource) []string {
	out := make([]string, len(r.Fields))
	for i, f := range r.Fields {
		out[i] = f.Name
	}
	return out
}

// writeDataPackage writes datapackage.json for o.
func writeDataPackage(w io.Writer, o Options, fingerprint string, created time.Time) error {
	type constraints struct {
		Required bool  `json:"required,omitempty"`
		Enum     []any `json:"enum,omitempty"`
		Minimum  *int  `json:"minimum,omitempty"`
		Maximum  *int  `json:"maximum,omitempty"`
	}
	type field struct {
		Name        string       `json:"name"`
		Type        string       `json:"type"`
		Format      string       `json:"format,omitempty"`
		Description string       `json:"description"`
		DescDA      string       `json:"description_da"`
		Unit        string       `json:"unit,omitempty"`
		Constraints *constraints `json:"constraints,omitempty"`
	}
	type schema struct {
		Fields        []field  `json:"fields"`
		MissingValues []string `json:"missingValues"`
		PrimaryKey    []string `json:"primaryKey,omitempty"`
	}
	type resource struct {
		Name        string         `json:"name"`
		Path        string         `json:"path"`
		Profile     string         `json:"profile"`
		Format      string         `json:"format"`
		Mediatype   string         `json:"mediatype"`
		Encoding    string         `json:"encoding"`
		Dialect     map[string]any `json:"dialect"`
		Description string         `json:"description"`
		DescDA      string         `json:"description_da"`
		Schema      schema         `json:"schema"`
	}
	var rs []resource
	for _, r := range resources(o) {
		out := resource{Name: r.Name, Path: r.Path, Profile: "tabular-data-resource", Format: "csv", Mediatype: "text/csv",
			Encoding: "utf-8", Dialect: map[string]any{"delimiter": ",", "header": true, "lineTerminator": "\n"},
			Description: r.EN, DescDA: r.DA, Schema: schema{MissingValues: []string{""}, PrimaryKey: r.PrimaryKey}}
		for _, f := range r.Fields {
			ff := field{Name: f.Name, Type: f.Type, Description: f.EN, DescDA: f.DA, Unit: f.Unit}
			if f.Type == "date" {
				ff.Format = "default"
			}
			if f.Required || f.Enum != nil || f.Min != nil || f.Max != nil {
				ff.Constraints = &constraints{Required: f.Required, Enum: f.Enum, Minimum: f.Min, Maximum: f.Max}
			}
			out.Schema.Fields = append(out.Schema.Fields, ff)
		}
		rs = append(rs, out)
	}
	pkg := map[string]any{
		"profile":     "tabular-data-package",
		"name":        "fritidsjob-evaluering",
		"title":       "Fritidsjob: evalueringsudtræk / evaluation export",
		"description": "Pseudonymised persons, person-year panel and events of the leisure-job programme. " + o.String(),
		"created":     created.UTC().Format(time.RFC3339),
		"keywords":    []string{"fritidsjob", "leisure job", "event study", "panel"},
		"fritidsjob": map[string]any{
			"areas": o.Areas, "from_year": o.FromYear, "to_year": o.ToYear, "start_types": o.StartTypes,
			"key_fingerprint": fingerprint, "suppression_threshold": suppressBelow,
		},
		"resources": rs,
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(pkg); err != nil {
		return fmt.Errorf("datapackage.json: %w", err)
	}
	return nil
}

// suppressBelow: aggregate cells with fewer youths are left empty.
const suppressBelow = 5
