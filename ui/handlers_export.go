package ui

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/participation"
	"fritidsjob/points"
)

// myData sends a youth everything the system holds about them (GDPR art.
// 15 and 20): a ZIP of JSON files, one per kind of record, and a readable
// HTML summary.
func (a *App) myData(c *fiber.Ctx) error { return a.dataOf(c, currentUser(c).ID) }

// dataOf builds the ZIP of everything held about youth in the current area.
func (a *App) dataOf(c *fiber.Ctx, youthID uint64) error {
	area := currentArea(c)
	u := &struct{ ID uint64 }{youthID}
	files := map[string]any{}
	var err error
	put := func(name string, v any, e error) {
		if err == nil {
			err = e
		}
		files[name] = v
	}
	youth, e := a.people.Youth(area.ID, u.ID)
	youth.User.Hash, youth.User.TOTPSecret, youth.User.RecoveryHashes = "", "", nil // secrets, not data about the youth
	put("profile.json", youth, e)
	consents, e := a.people.Consents(area.ID, u.ID)
	put("consents.json", consents, e)
	claims, e := a.jobs.YouthClaims(area.ID, u.ID)
	put("tasks.json", claims, e)
	work, e := a.jobs.YouthEntries(area.ID, u.ID)
	put("work.json", work, e)
	bal, e := a.points.Balance(area.ID, u.ID)
	put("balance.json", bal, e)
	hist, e := a.points.History(area.ID, points.YouthAccount(u.ID), 0)
	put("ledger.json", hist, e)
	reds, e := a.points.YouthRedemptions(area.ID, u.ID)
	put("rewards.json", reds, e)
	cvDoc, e := a.cv.Get(area.ID, u.ID)
	put("cv.json", cvDoc, e)
	courses, e := a.cv.Courses(area.ID, u.ID)
	put("courses.json", courses, e)
	codes, e := a.cv.Codes(area.ID, u.ID)
	put("cv_codes.json", codes, e)
	parts, e := participation.Records(a.db, area.ID, u.ID)
	put("participation.json", parts, e)
	access, e := a.people.AccessAbout(area.ID, u.ID)
	put("access_log.json", access, e)
	if a.employers != nil {
		emp, e := a.employers.YouthData(area.ID, u.ID)
		put("employment.json", emp, e)
	} else {
		put("employment.json", struct{}{}, nil)
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	now := a.cfg.Now()
	for _, name := range exportOrder {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
		if err != nil {
			return err
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(files[name]); err != nil {
			return err
		}
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "oversigt.html", Method: zip.Deflate, Modified: now})
	if err != nil {
		return err
	}
	lang := a.lang(c)
	err = exportSummary.Execute(w, map[string]any{
		"Lang": lang, "T": a.msg.T, "Youth": youth, "Area": area, "At": now,
		"Balance": bal, "Claims": claims, "Work": work, "Courses": courses, "Consents": consents,
		"Participation": parts, "Access": access, "Files": exportOrder,
	})
	if err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="mine-data-`+now.In(time.UTC).Format("2006-01-02")+`.zip"`)
	return c.Send(buf.Bytes())
}

var exportOrder = []string{"profile.json", "consents.json", "tasks.json", "work.json", "balance.json", "ledger.json",
	"rewards.json", "cv.json", "courses.json", "cv_codes.json", "participation.json", "access_log.json",
	"employment.json"}

// exportSummary is the readable page in the ZIP. It stands alone (opened
// from disk), so its little style is inline.
var exportSummary = template.Must(template.New("summary").Funcs(template.FuncMap{"date": formatDate}).Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{call .T .Lang "export.title"}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}td,th{padding:.2rem .5rem;text-align:left;border-bottom:1px solid #ddd}</style></head>
<body><h1>{{call .T .Lang "export.title"}}</h1>
<p>{{call .T .Lang "export.lead" .Youth.User.DisplayName .Area.Name}} {{date .At}}.</p>
<h2>{{call .T .Lang "youth.me"}}</h2>
<table><tr><th>{{call .T .Lang "user.display_name"}}</th><td>{{.Youth.User.DisplayName}}</td></tr>
<tr><th>{{call .T .Lang "login.username"}}</th><td>{{.Youth.User.Username}}</td></tr>
<tr><th>{{call .T .Lang "youth.birth_date"}}</th><td>{{date .Youth.Youth.BirthDate}}</td></tr>
<tr><th>{{call .T .Lang "youth.gender"}}</th><td>{{call .T .Lang (print "gender." .Youth.Youth.Gender)}}</td></tr>
<tr><th>{{call .T .Lang "youth.school"}}</th><td>{{call .T .Lang (print "school." .Youth.Youth.School)}}</td></tr>
{{range .Youth.Youth.Guardians}}<tr><th>{{call $.T $.Lang "youth.guardian"}}</th><td>{{.Name}} {{.Phone}}</td></tr>{{end}}</table>
<h2>{{call .T .Lang "points.title"}}</h2><p>{{.Balance.Points}} {{call .T .Lang "points.points"}} · {{.Balance.Ore}} øre</p>
<h2>{{call .T .Lang "tasks.mine"}}</h2><ul>{{range .Claims}}<li>{{.Task.Title}} · {{date .Task.Start}} · {{.Claim.Status}}</li>{{else}}<li>–</li>{{end}}</ul>
<h2>{{call .T .Lang "work.my_hours"}}</h2><ul>{{range .Work}}<li>{{date .Start}} · {{.Minutes}} min · {{.Status}}{{with .Reason}} · {{.}}{{end}}</li>{{else}}<li>–</li>{{end}}</ul>
<h2>{{call .T .Lang "cv.courses"}}</h2><ul>{{range .Courses}}<li>{{.Title}} · {{date .Date}}</li>{{else}}<li>–</li>{{end}}</ul>
<h2>{{call .T .Lang "consent.title"}}</h2><ul>{{range .Consents}}<li>{{.GuardianName}} · {{.Method}} · {{date .GivenAt}}</li>{{else}}<li>–</li>{{end}}</ul>
<h2>{{call .T .Lang "export.participation"}}</h2><p>{{len .Participation}}</p>
<h2>{{call .T .Lang "access.title_own"}}</h2><ul>{{range .Access}}<li>{{date .At}} · {{call $.T $.Lang (print "arole." .ActorRole)}} · {{call $.T $.Lang (print "aaction." .Action)}} {{call $.T $.Lang (print "awhat." .What)}}</li>{{else}}<li>–</li>{{end}}</ul>
<h2>{{call .T .Lang "export.files"}}</h2><ul>{{range .Files}}<li>{{.}}</li>{{end}}</ul>
</body></html>`))
