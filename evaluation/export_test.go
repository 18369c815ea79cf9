package evaluation

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
)

// planted is a small programme: two areas; in area A Amira starts in 2022
// with guidance and gets a job in 2023, Mads is in the comparison pool,
// Sara's only record is a reward outing in 2024; area B has Omar.
type planted struct {
	e                 *env
	a, b              people.Area
	amira, mads, sara uint64
	omar              uint64
}

const (
	plantName  = "Zyxqvist Plantedóttir"
	plantPhone = "+45 98 76 54 32"
	plantCPR   = "140311-4321"
	plantBirth = "2011-03-14"
)

func plant(t *testing.T) *planted {
	e := newEnv(t)
	p := &planted{e: e, a: e.area("Blåbærparken"), b: e.area("Ørestad Syd")}
	p.amira = e.youth(p.a.ID, plantName, plantBirth, people.GenderFemale, peoplekit.CPH(2021, 9, 1, 12, 0), plantPhone)
	if err := e.ppl.SetCPR(p.a.ID, p.amira, plantCPR); err != nil {
		t.Fatal(err)
	}
	p.mads = e.youth(p.a.ID, "Mads Madsen", "2010-06-01", people.GenderMale, peoplekit.CPH(2022, 1, 10, 12, 0), "+45 11 22 33 44")
	p.sara = e.youth(p.a.ID, "Sara Nielsen", "2009-12-31", people.GenderOther, peoplekit.CPH(2023, 2, 2, 12, 0), "")
	p.omar = e.youth(p.b.ID, "Omar Ali", "2010-01-01", people.GenderMale, peoplekit.CPH(2020, 5, 5, 12, 0), "")
	e.record(p.a.ID, p.amira, "2022-03-04", participation.GuidanceSession, 90)
	e.record(p.a.ID, p.amira, "2022-10-01", participation.TaskWork, 120)
	e.record(p.a.ID, p.amira, "2023-01-15", participation.TaskWork, 60)
	e.record(p.a.ID, p.sara, "2024-06-01", participation.RewardOuting, 0)
	e.record(p.b.ID, p.omar, "2021-04-01", participation.CVWorkshop, 45)
	e.spell(p.a.ID, p.amira, "2023-03-10", "2023-05-02") // March–May 2023
	e.spell(p.a.ID, p.amira, "2025-11-20", "")           // open: Nov 2025 – Nov 2026
	return p
}

func TestPanelRows(t *testing.T) {
	p := plant(t)
	o := Options{Areas: []uint64{p.a.ID}, FromYear: 2021, ToYear: 2026,
		StartTypes: []participation.Type{participation.GuidanceSession, participation.TaskWork}}
	rows := map[[2]uint64]PanelRow{}
	n := 0
	if err := p.e.exp.EachPanelRow(o, func(r PanelRow) error {
		n++
		rows[[2]uint64{r.YouthID, uint64(r.Year)}] = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != 3*6 {
		t.Fatalf("%d rows, want 18 (3 youths × 6 years)", n)
	}
	tests := []struct {
		name  string
		youth uint64
		year  int
		check func(PanelRow) string
	}{
		{"amira before start", p.amira, 2021, func(r PanelRow) string {
			return want(r.FirstTreat == 2022 && r.RelYear == -1 && r.Participant && r.Registered && !r.Participated && r.Age == 10 && r.Gender == people.GenderFemale)
		}},
		{"amira start year", p.amira, 2022, func(r PanelRow) string {
			return want(r.RelYear == 0 && r.Participated && r.Minutes == 210 && !r.HasLeisureJob)
		}},
		{"amira job year", p.amira, 2023, func(r PanelRow) string {
			return want(r.RelYear == 1 && r.Minutes == 60 && r.HasLeisureJob && r.JobMonths == 3)
		}},
		{"amira no job", p.amira, 2024, func(r PanelRow) string { return want(!r.HasLeisureJob && r.JobMonths == 0) }},
		{"amira open spell", p.amira, 2025, func(r PanelRow) string { return want(r.HasLeisureJob && r.JobMonths == 2) }},
		{"amira open spell until today", p.amira, 2026, func(r PanelRow) string { return want(r.JobMonths == 11 && r.Age == 15) }},
		{"mads comparison", p.mads, 2023, func(r PanelRow) string {
			return want(r.FirstTreat == 0 && !r.Participant && !r.Treated() && r.Registered && r.Age == 13)
		}},
		{"mads before registration", p.mads, 2021, func(r PanelRow) string { return want(!r.Registered) }},
		{"sara: reward outing is not a start type here", p.sara, 2024, func(r PanelRow) string {
			return want(r.FirstTreat == 0 && !r.Participated && r.Gender == people.GenderOther)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, ok := rows[[2]uint64{tc.youth, uint64(tc.year)}]
			if !ok {
				t.Fatal("row missing")
			}
			if msg := tc.check(r); msg != "" {
				t.Errorf("%+v", r)
			}
		})
	}
	// All start types: Sara's reward outing makes her a participant.
	o.StartTypes = nil
	p.e.exp.EachPanelRow(o, func(r PanelRow) error {
		if r.YouthID == p.sara && r.FirstTreat != 2024 {
			t.Errorf("sara with all start types: first_treat %d", r.FirstTreat)
		}
		return nil
	})
	// store.ErrStop ends early without error.
	n = 0
	if err := p.e.exp.EachPanelRow(o, func(PanelRow) error { n++; return store.ErrStop }); err != nil || n != 1 {
		t.Errorf("stop: %v after %d rows", err, n)
	}
}

func want(ok bool) string {
	if ok {
		return ""
	}
	return "mismatch"
}

func TestOptionsRefused(t *testing.T) {
	p := plant(t)
	for _, o := range []Options{
		{FromYear: 2020, ToYear: 2021},
		{Areas: []uint64{p.a.ID}, FromYear: 2022, ToYear: 2021},
		{Areas: []uint64{p.a.ID}, FromYear: 1800, ToYear: 2021},
		{Areas: []uint64{p.a.ID}, FromYear: 2020, ToYear: 2021, StartTypes: []participation.Type{"party"}},
	} {
		if err := p.e.exp.WriteZIP(io.Discard, o, Actor{ID: 1, Role: "evaluator"}); !errors.Is(err, ErrOptions) {
			t.Errorf("%+v: %v, want ErrOptions", o, err)
		}
	}
}

// unzip reads every file of a ZIP.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func exportZIP(t *testing.T, p *planted, o Options) map[string][]byte {
	t.Helper()
	var buf bytes.Buffer
	if err := p.e.exp.WriteZIP(&buf, o, Actor{ID: 99, Role: "evaluator"}); err != nil {
		t.Fatal(err)
	}
	return unzip(t, buf.Bytes())
}

// TestZIPMatchesDataPackage loads every CSV with encoding/csv and checks
// its header and every cell against datapackage.json: names, types,
// required, enum, minimum and maximum, missing values.
func TestZIPMatchesDataPackage(t *testing.T) {
	p := plant(t)
	files := exportZIP(t, p, Options{Areas: []uint64{p.a.ID, p.b.ID}, FromYear: 2019, ToYear: 2026})
	for _, name := range ExportFiles {
		if _, ok := files[name]; !ok {
			t.Errorf("%s missing from the ZIP", name)
		}
	}
	var pkg struct {
		Resources []struct {
			Name, Path string
			Schema     struct {
				MissingValues []string `json:"missingValues"`
				PrimaryKey    []string `json:"primaryKey"`
				Fields        []struct {
					Name, Type, Description string
					DescDA                  string `json:"description_da"`
					Constraints             *struct {
						Required bool
						Enum     []json.RawMessage
						Minimum  *float64
						Maximum  *float64
					}
				}
			}
		}
	}
	if err := json.Unmarshal(files["datapackage.json"], &pkg); err != nil {
		t.Fatal(err)
	}
	if len(pkg.Resources) != 4 {
		t.Fatalf("%d resources", len(pkg.Resources))
	}
	for _, res := range pkg.Resources {
		t.Run(res.Name, func(t *testing.T) {
			recs, err := csv.NewReader(bytes.NewReader(files[res.Path])).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) < 2 {
				t.Fatalf("%s has no rows", res.Path)
			}
			var names []string
			for _, f := range res.Schema.Fields {
				names = append(names, f.Name)
				if f.Description == "" || f.DescDA == "" {
					t.Errorf("field %s lacks a description", f.Name)
				}
			}
			if !slices.Equal(recs[0], names) {
				t.Fatalf("header %v, schema %v", recs[0], names)
			}
			seen := map[string]int{}
			for i, row := range recs[1:] {
				if len(res.Schema.PrimaryKey) > 0 {
					var key []string
					for _, k := range res.Schema.PrimaryKey {
						key = append(key, row[slices.Index(names, k)])
					}
					k := strings.Join(key, "|")
					if prev, dup := seen[k]; dup {
						t.Errorf("%s line %d repeats the primary key of line %d: %s", res.Path, i+2, prev, k)
					}
					seen[k] = i + 2
				}
				for j, cell := range row {
					f := res.Schema.Fields[j]
					if msg := checkCell(cell, f.Type, res.Schema.MissingValues, f.Constraints); msg != "" {
						t.Errorf("%s line %d column %s value %q: %s", res.Path, i+2, f.Name, cell, msg)
					}
				}
			}
		})
	}
	// 2 areas: 3 + 1 youths × 8 years.
	if n := bytes.Count(files["panel.csv"], []byte("\n")) - 1; n != 4*8 {
		t.Errorf("panel has %d rows, want 32", n)
	}
	// counts.csv suppresses cells under 5: this programme is tiny.
	for _, line := range strings.Split(strings.TrimSpace(string(files["counts.csv"])), "\n")[1:] {
		if f := strings.Split(line, ","); f[2] != "" || f[3] != "" || f[4] != "" {
			t.Errorf("counts.csv shows a cell under 5: %s", line)
		}
	}
	for _, name := range []string{"LAESMIG.txt", "README.txt"} {
		if !strings.Contains(string(files[name]), "2019–2026") || !strings.Contains(string(files[name]), "Blåbærparken") {
			t.Errorf("%s does not state the parameters:\n%s", name, files[name])
		}
	}
}

// checkCell validates one CSV cell against a Table Schema field.
func checkCell(cell, typ string, missing []string, c *struct {
	Required bool
	Enum     []json.RawMessage
	Minimum  *float64
	Maximum  *float64
}) string {
	if slices.Contains(missing, cell) {
		if c != nil && c.Required {
			return "required value missing"
		}
		return ""
	}
	var num float64
	switch typ {
	case "string":
	case "integer":
		v, err := strconv.ParseInt(cell, 10, 64)
		if err != nil {
			return "not an integer"
		}
		num = float64(v)
	case "number":
		v, err := strconv.ParseFloat(cell, 64)
		if err != nil {
			return "not a number"
		}
		num = v
	case "date":
		if _, err := time.Parse(time.DateOnly, cell); err != nil {
			return "not a date"
		}
	default:
		return "unknown type " + typ
	}
	if c == nil {
		return ""
	}
	if len(c.Enum) > 0 {
		ok := false
		for _, e := range c.Enum {
			var s string
			if json.Unmarshal(e, &s) != nil {
				s = string(e) // a number
			}
			if s == cell {
				ok = true
			}
		}
		if !ok {
			return "not an allowed value"
		}
	}
	if c.Minimum != nil && num < *c.Minimum {
		return fmt.Sprintf("below minimum %v", *c.Minimum)
	}
	if c.Maximum != nil && num > *c.Maximum {
		return fmt.Sprintf("above maximum %v", *c.Maximum)
	}
	return ""
}

// TestZIPHasNoIdentifiers plants a name, a guardian's phone number, a CPR
// number and an exact birth date and greps every byte of every file.
func TestZIPHasNoIdentifiers(t *testing.T) {
	p := plant(t)
	var raw bytes.Buffer
	if err := p.e.exp.WriteZIP(&raw, Options{Areas: []uint64{p.a.ID}, FromYear: 2019, ToYear: 2026}, Actor{ID: 5, Role: "evaluator"}); err != nil {
		t.Fatal(err)
	}
	files := unzip(t, raw.Bytes())
	// Not the CPR's parts alone: "4321" or "140311" may occur by chance
	// in a random pseudonym's hex digits.
	needles := []string{"Zyxqvist", "Plantedóttir", "Forælder", "98 76 54 32", "98765432", plantCPR, "1403114321",
		plantBirth, "14-03-2011", "14.03.2011", "Mads Madsen", "11 22 33 44", "ung1"}
	for name, b := range files {
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				t.Errorf("%s contains %q", name, n)
			}
		}
	}
	for _, n := range needles {
		if bytes.Contains(raw.Bytes(), []byte(n)) {
			t.Errorf("the raw ZIP contains %q", n)
		}
	}
	// The export is in the access log, with its parameters.
	log, err := p.e.ppl.AccessLog(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 || log[0].What != "evaluation_export" || log[0].ActorID != 5 || !strings.Contains(log[0].Detail, "period=2019-2026") {
		t.Errorf("export not logged: %+v", log)
	}
}

func TestLinkageFile(t *testing.T) {
	p := plant(t)
	var buf bytes.Buffer
	o := Options{Areas: []uint64{p.a.ID}, FromYear: 2019, ToYear: 2026}
	if err := p.e.exp.WriteLinkage(&buf, o, Actor{ID: 1, Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], LinkageColumns) || len(recs) != 4 {
		t.Fatalf("linkage file %v", recs)
	}
	ps, _ := p.e.keys.Current()
	found := false
	for _, r := range recs[1:] {
		if r[0] == plantCPR {
			found = true
			if r[1] != ps.ID(p.amira) || r[2] != "2022-03-04" || r[3] != strconv.FormatUint(p.a.ID, 10) {
				t.Errorf("amira's row %v", r)
			}
		}
	}
	if !found {
		t.Error("the CPR number is not in the linkage file")
	}
	// The same pseudonym as in the evaluator's panel.
	files := exportZIP(t, p, o)
	if !bytes.Contains(files["panel.csv"], []byte(ps.ID(p.amira))) {
		t.Error("linkage and panel pseudonyms differ")
	}
	log, _ := p.e.ppl.AccessLog(10)
	if !slices.ContainsFunc(log, func(e people.AccessEntry) bool { return e.What == "dst_linkage" && e.ActorRole == "admin" }) {
		t.Error("linkage export not logged")
	}
}
