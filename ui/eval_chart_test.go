package ui

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fritidsjob/evaluation"
)

// importHistory imports 300 youths into area A, registered over the last
// five years, half of whom start, with a leisure-job rate that jumps after
// start: enough for the chart on everyone and by gender.
func (f *fixture) importHistory() {
	f.t.Helper()
	rng := rand.New(rand.NewPCG(3, 5))
	year := f.clock.Now().Year()
	var youths, events, spells strings.Builder
	youths.WriteString("external_id;birth_date;gender;area;registration_date\n")
	events.WriteString("external_id;date;type;hours\n")
	spells.WriteString("external_id;start;end;industry\n")
	for i := 0; i < 300; i++ {
		ext := fmt.Sprintf("H-%03d", i)
		reg := year - 5 + i%5
		fmt.Fprintf(&youths, "%s;%d-03-01;%s;%d;%d-02-01\n", ext, reg-13-rng.IntN(3), []string{"pige", "dreng"}[i%2], f.areaA.ID, reg)
		start := 0
		if rng.Float64() < 0.5 {
			start = reg + rng.IntN(2)
			fmt.Fprintf(&events, "%s;%d-08-01;guidance_session;1\n", ext, start)
		}
		for y := reg; y <= year; y++ { // this year too: spells of May–July are over by the fixture's November
			p := 0.1
			if start != 0 && y > start {
				p = 0.45
			}
			if rng.Float64() < p {
				fmt.Fprintf(&spells, "%s;%d-05-01;%d-07-31;Lager\n", ext, y, y)
			}
		}
	}
	imp := evaluation.NewImporter(f.db, f.ppl, f.clock.Now)
	if _, err := imp.Import(evaluation.Input{Name: "unge.csv", Data: strings.NewReader(youths.String())},
		evaluation.Input{Name: "deltagelse.csv", Data: strings.NewReader(events.String())},
		evaluation.Input{Name: "job.csv", Data: strings.NewReader(spells.String())}); err != nil {
		f.t.Fatal(err)
	}
}

// TestEvaluatorChart: the evaluation page shows the event-study chart and
// its table for the evaluator's own area, by gender too; the SVG and PNG
// are real images; a selection the data cannot carry gets a Danish
// refusal instead of a chart; another area's chart is refused.
func TestEvaluatorChart(t *testing.T) {
	f := newFixture(t)
	ev := f.loggedIn("evalA")

	// One youth in the area: too few to fit, so the page says why.
	resp, body := ev.get("/eval")
	if resp.StatusCode != 200 || !strings.Contains(body, `id="chart-refusal"`) || !strings.Contains(body, f.msg("evalx.chart_refused")) ||
		strings.Contains(body, `<img class="chart"`) {
		t.Fatalf("page without data: %d, want a refusal and no chart\n%s", resp.StatusCode, body)
	}
	if resp, _ := ev.get("/eval/chart.svg"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("chart without data: %d, want 404", resp.StatusCode)
	}

	f.importHistory() // a write: the refusal above is not served again
	area := itoa(int(f.areaA.ID))
	for _, gender := range []string{"", "female", "male"} {
		q := "?area=" + area
		if gender != "" {
			q += "&gender=" + gender
		}
		resp, body := ev.get("/eval" + q)
		if resp.StatusCode != 200 || strings.Contains(body, "chart-refusal") {
			t.Fatalf("page %s: %d\n%s", q, resp.StatusCode, body[strings.Index(body, "<main"):])
		}
		i := strings.Index(body, `<img class="chart" src="`)
		if i < 0 {
			t.Fatalf("page %s has no chart", q)
		}
		src := body[i+len(`<img class="chart" src="`):]
		src = strings.ReplaceAll(src[:strings.IndexByte(src, '"')], "&amp;", "&")
		if !strings.HasPrefix(src, "/eval/chart.svg?") || !strings.Contains(src, "area="+area) || (gender != "" && !strings.Contains(src, "gender="+gender)) {
			t.Errorf("chart src %q", src)
		}
		if !strings.Contains(body, `id="chart-table"`) || !strings.Contains(body, f.msg("evalx.chart_part")) || !strings.Contains(body, f.msg("evalx.chart_note")) {
			t.Errorf("page %s lacks the table or the honest note", q)
		}
		resp, svg := ev.get(src)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Fatalf("svg %s: %d %q %q", src, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"))
		}
		dec := xml.NewDecoder(strings.NewReader(svg))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("svg does not parse: %v", err)
			}
		}
		if !strings.Contains(svg, "Sammenligningsgruppe") {
			t.Error("svg lacks the comparison group's label")
		}
	}
	resp, pngBody := ev.get("/eval/chart.png?area=" + area)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("png: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if _, err := png.Decode(bytes.NewReader([]byte(pngBody))); err != nil {
		t.Errorf("png does not decode: %v", err)
	}
	if resp, body := ev.get("/eval?gender=alien"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, f.msg("invalid.chart_gender.unknown")) {
		t.Errorf("unknown gender: %d", resp.StatusCode)
	}
	for _, p := range []string{"/eval/chart.svg?area=", "/eval/chart.png?area=", "/eval?area="} {
		if resp, _ := ev.get(p + itoa(int(f.areaB.ID))); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s of area B: %d, want 403", p, resp.StatusCode)
		}
	}
}

// TestBrowserEvaluatorChart: in real Chromium on a phone, an evaluator
// picks the girls, sees the chart drawn, and downloads the ZIP.
func TestBrowserEvaluatorChart(t *testing.T) {
	f := newFixture(t)
	f.importHistory()
	base := f.serve()
	ctx := newBrowser(t, 412, 915)
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "evalA"), chromedp.SendKeys(chromedp.ID("secret"), testPassword),
		chromedp.Click(chromedp.ID("login-submit")), chromedp.WaitVisible(chromedp.ID("go-eval")),
		chromedp.Click(chromedp.ID("go-eval")), chromedp.WaitVisible(chromedp.ID("chart-form")),
		chromedp.SetValue(chromedp.ID("chart-gender"), "female"),
		chromedp.Click(chromedp.ID("show-chart")),
	)
	if err != nil {
		t.Fatalf("open the chart: %v", err)
	}
	// The first page already has a chart (everyone): wait for the girls'
	// page, where the server marks the choice as selected.
	if _, err := chromedp.Run(ctx, chromedp.WaitReady(chromedp.CSS(`#chart-gender option[value="female"][selected]`))); err != nil {
		t.Fatalf("the girls' chart page did not load: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.WaitVisible(chromedp.ID("chart-table"))); err != nil {
		t.Fatal(err)
	}
	// The image has loaded and decoded as a picture of real size.
	width, err := chromedp.Run(ctx, chromedp.Poll[int](`document.querySelector('img.chart').complete && document.querySelector('img.chart').naturalWidth`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || width < 100 {
		t.Fatalf("the chart image did not load: width %d, %v", width, err)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(url, "gender=female") {
		t.Errorf("chart page %s, want the girls' chart", url)
	}
	if overflow {
		t.Error("the chart page is wider than the phone's screen")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("download-zip"))); err != nil {
		t.Fatal(err)
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
}
