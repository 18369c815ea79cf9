package ui

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// postFiles sends a multipart form with the CSRF token from page and the
// given files in the field "files".
func (c *client) postFiles(page, target string, files map[string]string) (*http.Response, string) {
	c.f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("_csrf", c.token(page))
	for name, content := range files {
		w, err := mw.CreateFormFile("files", name)
		if err != nil {
			c.f.t.Fatal(err)
		}
		io.WriteString(w, content)
	}
	mw.Close()
	req := httptest.NewRequest("POST", target, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := c.f.app.Fiber().Test(req, -1)
	if err != nil {
		c.f.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func zipFiles(t *testing.T, b string) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a ZIP (%d bytes): %v", len(b), err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(data)
	}
	return out
}

func TestEvaluatorExportOnlyTheirAreas(t *testing.T) {
	f := newFixture(t)
	ev := f.loggedIn("evalA")
	resp, body := ev.get("/eval")
	if resp.StatusCode != 200 || !strings.Contains(body, f.areaA.Name) || strings.Contains(body, f.areaB.Name) {
		t.Fatalf("evaluator page %d: want area A only\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(body, `id="chart-title"`) {
		t.Error("no chart section")
	}
	// Another area's data is refused, also mixed with their own.
	for _, q := range []string{"?area=" + itoa(int(f.areaB.ID)), "?area=" + itoa(int(f.areaA.ID)) + "&area=" + itoa(int(f.areaB.ID)), "?area=x"} {
		if resp, _ := ev.get("/eval/export.zip" + q); resp.StatusCode != http.StatusForbidden {
			t.Errorf("export %s: %d, want 403", q, resp.StatusCode)
		}
	}
	if resp, body := ev.get("/eval/export.zip?from=2030&to=2020"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "periode") {
		t.Errorf("bad period: %d", resp.StatusCode)
	}
	resp, body = ev.get("/eval/export.zip?area=" + itoa(int(f.areaA.ID)) + "&from=2024&to=2026&start=lommepenge_task")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	files := zipFiles(t, body)
	recs, err := csv.NewReader(strings.NewReader(files["panel.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Area A has one youth (youthA): 3 years.
	if len(recs) != 1+3 {
		t.Errorf("panel rows %d, want 3", len(recs)-1)
	}
	areaCol := slices.Index(recs[0], "area")
	for _, r := range recs[1:] {
		if r[areaCol] != itoa(int(f.areaA.ID)) {
			t.Errorf("row of another area: %v", r)
		}
	}
	for name, content := range files {
		if strings.Contains(content, "Bruger youthA") || strings.Contains(content, "2011-") {
			t.Errorf("%s holds the youth's name or birth date", name)
		}
	}
	log, _ := f.ppl.AccessLog(5)
	if len(log) == 0 || log[0].What != "evaluation_export" || log[0].ActorID != f.users["evala"].ID || log[0].ActorRole != "evaluator" {
		t.Errorf("export not logged: %+v", log)
	}
}

func TestEvaluationRoutesForbidden(t *testing.T) {
	f := newFixture(t)
	routes := []string{"/eval", "/eval/export.zip", "/admin/evaluation", "/admin/evaluation/dst.csv?area=" + itoa(int(f.areaA.ID))}
	tests := []struct {
		user  string
		allow map[string]bool
	}{
		{"youthA", nil},
		{"coordA", nil},
		{"guardA", nil},
		{"evalA", map[string]bool{"/eval": true, "/eval/export.zip": true}},
		{"admin", map[string]bool{"/admin/evaluation": true, routes[3]: true}},
	}
	for _, tc := range tests {
		c := f.loggedIn(tc.user)
		for _, r := range routes {
			resp, _ := c.get(r)
			if allowed := resp.StatusCode == 200; allowed != tc.allow[r] {
				t.Errorf("%s GET %s: %d", tc.user, r, resp.StatusCode)
			}
		}
	}
}

func TestDSTLinkageAdminOnly(t *testing.T) {
	f := newFixture(t)
	youth := f.users["youtha"]
	if err := f.ppl.SetCPR(f.areaA.ID, youth.ID, "090811-4008"); err != nil {
		t.Fatal(err)
	}
	path := "/admin/evaluation/dst.csv?area=" + itoa(int(f.areaA.ID))
	for _, u := range []string{"evalA", "coordA", "youthA"} {
		if resp, body := f.loggedIn(u).get(path); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "090811-4008") {
			t.Errorf("%s got the DST file: %d", u, resp.StatusCode)
		}
	}
	resp, body := f.loggedIn("admin").get(path)
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "cpr,id,programme_start,area\n") || !strings.Contains(body, "090811-4008") {
		t.Fatalf("admin DST file %d:\n%s", resp.StatusCode, body)
	}
	// The evaluator's ZIP never holds the CPR number.
	zipBody := func() string { _, b := f.loggedIn("evalA").get("/eval/export.zip"); return b }()
	for name, content := range zipFiles(t, zipBody) {
		if strings.Contains(content, "090811-4008") || strings.Contains(content, "0908114008") {
			t.Errorf("%s holds the CPR number", name)
		}
	}
	log, _ := f.ppl.AccessLog(10)
	found := false
	for _, e := range log {
		if e.What == "dst_linkage" && e.ActorRole == "admin" && e.AreaID == f.areaA.ID {
			found = true
		}
	}
	if !found {
		t.Error("DST export not logged")
	}
}

func TestAdminImportUpload(t *testing.T) {
	f := newFixture(t)
	adm := f.loggedIn("admin")
	youths := "external_id;birth_date;gender;area;registration_date\nH-1;2008-04-02;pige;Blåbærparken;2019-08-15\nH-2;2008-02-30;dreng;Blåbærparken;2019-08-15\n"
	resp, body := adm.postFiles("/admin/evaluation", "/admin/evaluation/import", map[string]string{"unge.csv": youths})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, f.msg("evalx.import.refused")) ||
		!strings.Contains(body, "<td>unge.csv</td><td class=\"num\">3</td><td>birth_date</td><td>"+f.msg("evalx.row.date_invalid")+"</td>") {
		t.Fatalf("bad file: %d\n%s", resp.StatusCode, body)
	}
	if ys, _, _ := f.ppl.YouthsInArea(f.areaA.ID); len(ys) != 1 {
		t.Fatalf("a refused import created youths: %d", len(ys))
	}
	good := strings.Replace(youths, "2008-02-30", "2008-02-28", 1)
	events := "external_id,date,type,hours\nH-1,2020-01-10,guidance_session,\"1,5\"\n"
	for i, want := range []string{f.importDone(2, 1, 0, 0), f.importDone(0, 0, 0, 3)} {
		resp, body = adm.postFiles("/admin/evaluation", "/admin/evaluation/import", map[string]string{"unge.csv": good, "deltagelse.csv": events})
		if resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Fatalf("import %d: %d\n%s", i, resp.StatusCode, body)
		}
	}
	if ys, _, _ := f.ppl.YouthsInArea(f.areaA.ID); len(ys) != 3 {
		t.Errorf("%d youths after import, want 3", len(ys))
	}
	// The session's hours corrected in a later file.
	fixed := strings.Replace(events, "\"1,5\"", "2", 1)
	resp, body = adm.postFiles("/admin/evaluation", "/admin/evaluation/import", map[string]string{"deltagelse.csv": fixed})
	if want := f.importDone(0, 1, 0, 0) + " " + f.msg("evalx.import.replaced", 1); resp.StatusCode != 200 || !strings.Contains(body, want) {
		t.Fatalf("correcting import: %d, want %q\n%s", resp.StatusCode, want, body)
	}
	regendered := strings.Replace(good, "2008-04-02;pige", "2008-04-02;andet", 1)
	resp, body = adm.postFiles("/admin/evaluation", "/admin/evaluation/import", map[string]string{"unge.csv": regendered})
	if want := f.importDone(0, 0, 0, 1) + " " + f.msg("evalx.import.corrected", 1); resp.StatusCode != 200 || !strings.Contains(body, want) {
		t.Fatalf("correcting a youth: %d, want %q\n%s", resp.StatusCode, want, body)
	}
	if resp, _ := adm.postFiles("/admin/evaluation", "/admin/evaluation/import", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("no files: %d", resp.StatusCode)
	}
}

// TestAdminImportRowReasonsInEnglish: an admin who reads English sees a
// refused import's bad rows explained in English, a count in its plural
// form, and no Danish.
func TestAdminImportRowReasonsInEnglish(t *testing.T) {
	f := newFixture(t)
	adm := f.loggedIn("admin")
	adm.cookies["fj_lang"] = "en"
	youths := "external_id;birth_date;gender;area;registration_date\nH-1;2008-04-02;pige;Blåbærparken;2019-08-15\nH-2;2008-02-30;dreng;Blåbærparken;2019-08-15\nH-3;2008-04-02\n"
	resp, body := adm.postFiles("/admin/evaluation", "/admin/evaluation/import", map[string]string{"unge.csv": youths})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, f.msgIn("en", "evalx.import.refused")) {
		t.Fatalf("bad file: %d\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{
		"<td>unge.csv</td><td class=\"num\">3</td><td>birth_date</td><td>" + f.msgIn("en", "evalx.row.date_invalid") + "</td>",
		"<td>unge.csv</td><td class=\"num\">4</td><td></td><td>" + f.msgIn("en", "evalx.row.field_count", 2, 5) + "</td>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q\n%s", want, body)
		}
	}
	if da := f.msg("evalx.row.date_invalid"); strings.Contains(body, da) {
		t.Errorf("English page shows the Danish reason %q", da)
	}
}

// TestAdminImportManyBadRows: a refused upload of 5,000 bad rows shows the
// first 100 and says how many there were, in Danish and English, and
// imports nothing.
func TestAdminImportManyBadRows(t *testing.T) {
	f := newFixture(t)
	adm := f.loggedIn("admin")
	var youths strings.Builder
	youths.WriteString("external_id;birth_date;gender;area;registration_date\nG-1;2008-04-02;pige;Blåbærparken;2019-08-15\n")
	for i := range 5000 {
		fmt.Fprintf(&youths, "H-%d;2008-02-30;dreng;Blåbærparken;2019-08-15\n", i)
	}
	files := map[string]string{"unge.csv": youths.String()}
	resp, body := adm.postFiles("/admin/evaluation", "/admin/evaluation/import", files)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, f.msg("evalx.import.refused")) {
		t.Fatalf("bad file: %d", resp.StatusCode)
	}
	if n := strings.Count(body, "<tr><td>unge.csv</td>"); n != 100 {
		t.Errorf("%d row errors rendered, want 100 (page of %d bytes)", n, len(body))
	}
	if !strings.Contains(body, f.msg("evalx.import.shown", 100, "5.000")) {
		t.Errorf("page does not say how many errors there were")
	}
	if ys, _, _ := f.ppl.YouthsInArea(f.areaA.ID); len(ys) != 1 {
		t.Fatalf("a refused import created youths: %d", len(ys))
	}
	adm.cookies["fj_lang"] = "en"
	if _, body := adm.postFiles("/admin/evaluation", "/admin/evaluation/import", files); !strings.Contains(body, f.msgIn("en", "evalx.import.shown", 100, "5,000")) {
		t.Errorf("English page does not say how many errors there were")
	}
}

func TestExportKeyRotation(t *testing.T) {
	f := newFixture(t)
	adm := f.loggedIn("admin")
	_, before := adm.get("/admin/evaluation")
	fp := func(body string) string {
		i := strings.Index(body, `<code id="fingerprint">`)
		if i < 0 {
			t.Fatal("no fingerprint on the page")
		}
		return body[i : i+50]
	}
	resp, _ := adm.post("/admin/evaluation", "/admin/evaluation/rotate-key", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("rotate: %d", resp.StatusCode)
	}
	_, after := adm.get("/admin/evaluation?done=key_rotated")
	if fp(before) == fp(after) || !strings.Contains(after, "skiftet") {
		t.Error("the key did not change")
	}
	log, _ := f.ppl.AccessLog(3)
	if len(log) == 0 || log[0].What != "export_key" {
		t.Errorf("rotation not logged: %+v", log)
	}
}

// TestEvaluatorExportOverSocket streams the ZIP over a real connection
// (app.Test does not exercise fasthttp's body stream writer the same way).
func TestEvaluatorExportOverSocket(t *testing.T) {
	f := newFixture(t)
	ev := f.loggedIn("evalA")
	base := f.serve()
	req, _ := http.NewRequest("GET", base+"/eval/export.zip?from=2020&to=2026", nil)
	for k, v := range ev.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("status %d, encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	files := zipFiles(t, string(b))
	if n := strings.Count(files["panel.csv"], "\n"); n != 1+7 {
		t.Errorf("panel.csv has %d lines, want header + 7 years", n)
	}
}

func TestEvaluatorPageProgressScript(t *testing.T) {
	f := newFixture(t)
	ev := f.loggedIn("evalA")
	_, body := ev.get("/eval")
	if !strings.Contains(body, `<script src="/static/eval-export.js" defer></script>`) || !strings.Contains(body, `id="export-progress"`) {
		t.Fatal("the progress script or its status line is missing")
	}
	resp, js := ev.get("/static/eval-export.js")
	if resp.StatusCode != 200 || !strings.Contains(js, "export-form") {
		t.Errorf("script not served: %d", resp.StatusCode)
	}
}

// TestBrowserEvaluatorExport: in real Chromium an evaluator opens the
// export page from home, downloads the ZIP and sees the progress line
// finish; the chart's placeholder is on the page.
func TestBrowserEvaluatorExport(t *testing.T) {
	f := newFixture(t)
	base := f.serve()
	ctx := newBrowser(t, 412, 915)
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "evalA"), chromedp.SendKeys(chromedp.ID("secret"), testPassword),
		chromedp.Click(chromedp.ID("login-submit")), chromedp.WaitVisible(chromedp.ID("go-eval")),
		chromedp.Click(chromedp.ID("go-eval")), chromedp.WaitVisible(chromedp.ID("export-form")),
		chromedp.WaitReady(chromedp.ID("chart-title")),
		chromedp.Click(chromedp.ID("download-zip")),
	)
	if err != nil {
		t.Fatalf("open and download: %v", err)
	}
	var status string
	done := f.text("evalx.progress_done")
	for i := 0; i < 100 && !strings.Contains(status, done); i++ {
		time.Sleep(100 * time.Millisecond)
		if status, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("export-progress"))); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(status, done) {
		t.Fatalf("progress line: %q", status)
	}
	log, _ := f.ppl.AccessLog(3)
	if len(log) == 0 || log[0].What != "evaluation_export" {
		t.Errorf("the browser's export was not logged: %+v", log)
	}
}
