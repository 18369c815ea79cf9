package ui

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/evaluation"
	"fritidsjob/people"
)

// chartGender is the subgroup a chart shows: "" (everyone), "female" or
// "male".
func chartGender(c *fiber.Ctx) (string, error) {
	switch g := c.Query("gender"); g {
	case "", "all":
		return "", nil
	case "female", "male":
		return g, nil
	default:
		return "", fieldError("chart_gender", "unknown")
	}
}

// chartFit is the fit a chart request asked for: the result, or the
// estimator's refusal, with the calendar years it left out and the query
// that reproduces the choice.
type chartFit struct {
	r       *evaluation.Result
	refusal error
	dropped []int
	query   string
	gender  string
}

// evalFit reads the gender from the query and returns the fitted model for
// the export options o, already checked against the user's areas (from the
// cache when fresh), the query that reproduces them, and a refusal the
// page can show.
func (a *App) evalFit(c *fiber.Ctx, o evaluation.Options) (*chartFit, error) {
	gender, err := chartGender(c)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	for _, id := range o.Areas {
		q.Add("area", strconv.FormatUint(id, 10))
	}
	q.Set("from", strconv.Itoa(o.FromYear))
	q.Set("to", strconv.Itoa(o.ToYear))
	starts := make([]string, len(o.StartTypes))
	for i, t := range o.StartTypes {
		starts[i] = string(t)
	}
	slices.Sort(starts)
	for _, s := range starts {
		q.Add("start", s)
	}
	// The panel ends today, so the day is part of the fit's inputs.
	key := q.Encode() + "&day=" + a.cfg.Now().In(people.Copenhagen).Format(time.DateOnly)
	if gender != "" {
		q.Set("gender", gender)
	}
	fit := &chartFit{query: q.Encode(), gender: gender}
	gens, haveGen := a.generation(c) // read before the fit reads the data
	split, err := a.fits.get(currentUser(c).ID, key, gens.data, haveGen, func() (*evaluation.GenderSplit, error) {
		return a.eval.Estimate(o, evaluation.DefaultFitOptions(), true)
	})
	var refusal *evaluation.RefusalError
	switch {
	case errors.As(err, &refusal):
		fit.refusal = err
	case err != nil:
		return nil, err
	case gender == "female" && split.Female == nil:
		fit.refusal = split.Refused["female"]
	case gender == "male" && split.Male == nil:
		fit.refusal = split.Refused["male"]
	case gender == "female":
		fit.r = split.Female
	case gender == "male":
		fit.r = split.Male
	default:
		fit.r = split.All
	}
	if split != nil {
		fit.dropped = split.DroppedYears
	}
	return fit, nil
}

// chartRow is one relative year of the page's table: both groups' average
// predicted probabilities with their intervals, or "<5" for a small cell.
type chartRow struct {
	RelYear           int
	Participants      string
	Comparison        string
	ParticipantYouths string
	ComparisonYouths  string
}

// chartRows lays r's cells out by relative year, hiding every cell with
// fewer than evaluation.MinChartCellYouths youths.
func chartRows(r *evaluation.Result, lang string) []chartRow {
	pct := func(x float64) string {
		s := strconv.FormatFloat(100*x, 'f', 1, 64)
		if lang == "da" {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	cell := func(participant bool, k int) (string, string) {
		cl, ok := r.Cell(participant, k)
		if !ok {
			return "–", "0"
		}
		if cl.Youths < evaluation.MinChartCellYouths {
			return "–", "<5"
		}
		return fmt.Sprintf("%s %% (%s–%s)", pct(cl.Prob), pct(cl.Lower), pct(cl.Upper)), strconv.Itoa(cl.Youths)

	}
	var rows []chartRow
	for k := r.Options.MinRel; k <= r.Options.MaxRel; k++ {
		row := chartRow{RelYear: k}
		row.Participants, row.ParticipantYouths = cell(true, k)
		row.Comparison, row.ComparisonYouths = cell(false, k)
		rows = append(rows, row)
	}
	return rows
}

// chartLabels are the chart's texts in the page's language.
func chartLabels(lang string) evaluation.ChartLabels {
	if lang == "en" {
		return evaluation.EnglishChartLabels()
	}
	return evaluation.DanishChartLabels()
}

// evalChart draws the chart as SVG (for the page) or PNG (to download).
// The SVG carries its styles inline, so it gets its own policy: no
// scripts, no fetches, inline styles only; as an <img> it runs nothing.
func (a *App) evalChart(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		o, err := a.evaluatorOptions(c)
		if err != nil {
			return err
		}
		fit, err := a.evalFit(c, o)
		if err != nil {
			return err
		}
		if fit.refusal != nil {
			return fiber.ErrNotFound
		}
		r := fit.r
		var buf bytes.Buffer
		labels := chartLabels(a.lang(c))
		if format == "png" {
			if err := evaluation.ChartPNG(&buf, r, labels); err != nil {
				return err
			}
			c.Set(fiber.HeaderContentType, "image/png")
			c.Set(fiber.HeaderContentDisposition, `attachment; filename="fritidsjob-figur.png"`)
		} else {
			if err := evaluation.ChartSVG(&buf, r, labels); err != nil {
				return err
			}
			c.Set(fiber.HeaderContentType, "image/svg+xml")
			c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		}
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		return c.Send(buf.Bytes())
	}
}

// chartData is what the evaluation page shows of the fit.
func (a *App) chartData(c *fiber.Ctx, o evaluation.Options) (chartView, error) {
	fit, err := a.evalFit(c, o)
	if err != nil {
		return chartView{}, err
	}
	// The query is built by url.Values.Encode from checked options, so the
	// URLs are safe to put in src/href as they are.
	data := chartView{ChartGender: fit.gender,
		ChartSVG: template.URL("/eval/chart.svg?" + fit.query), ChartPNG: template.URL("/eval/chart.png?" + fit.query)}
	if len(fit.dropped) > 0 {
		years := make([]string, len(fit.dropped))
		for i, y := range fit.dropped {
			years[i] = strconv.Itoa(y)
		}
		data.ChartDropped = strings.Join(years, ", ")
	}
	if fit.refusal != nil {
		data.ChartRefusal = a.refusalText(a.lang(c), fit.refusal)
		return data, nil
	}
	data.ChartRows = chartRows(fit.r, a.lang(c))
	data.ChartCounterfactual = !fit.r.ComparisonHasRel
	data.ChartYears = fmt.Sprintf("%d..%d", fit.r.Options.MinRel, fit.r.Options.MaxRel)
	return data, nil
}
