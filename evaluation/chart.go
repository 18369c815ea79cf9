package evaluation

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// MinChartCellYouths is the fewest youths a cell needs to be drawn (or shown
// in any table): smaller cells could identify a youth and their intervals
// say little.
const MinChartCellYouths = 5

// ChartLabels holds the chart's texts, so the page can pass its language.
type ChartLabels struct {
	Title        string
	XLabel       string
	YLabel       string
	Participants string
	Comparison   string
	// Note is printed under the chart; "\n" separates lines.
	Note string
	// CounterfactualNote is added to Note when the comparison curve is
	// model-based (no relative years for comparison youths).
	CounterfactualNote string
}

// DanishChartLabels are the default labels, with the honest caveats.
func DanishChartLabels() ChartLabels {
	return ChartLabels{
		Title:        "Sandsynlighed for fritidsjob før og efter start",
		XLabel:       "År i forhold til start (−1 = året før)",
		YLabel:       "Forudsagt sandsynlighed for fritidsjob",
		Participants: "Deltagere",
		Comparison:   "Sammenligningsgruppe",
		Note: "Udfald: fritidsjob som programmet kender til. Beskrivende logit-model, ikke registerevalueringen.\n" +
			"Lodrette streger: 95 %-konfidensinterval; med få unge er de brede. Celler med under 5 unge vises ikke.",
		CounterfactualNote: "Sammenligningskurven er modelberegnet for deltagerne uden deltagereffekt.",
	}
}

// EnglishChartLabels are the English labels, with the same caveats.
func EnglishChartLabels() ChartLabels {
	return ChartLabels{
		Title:        "Probability of a leisure job before and after start",
		XLabel:       "Years relative to start (−1 = the year before)",
		YLabel:       "Predicted probability of a leisure job",
		Participants: "Participants",
		Comparison:   "Comparison group",
		Note: "Outcome: leisure jobs the programme knows about. Descriptive logit model, not the register-based evaluation.\n" +
			"Vertical bars: 95 % confidence intervals; with few youths they are wide. Cells with fewer than 5 youths are not shown.",
		CounterfactualNote: "The comparison curve is model-based: participants without the participant terms.",
	}
}

// chartWidth and chartHeight are the drawing's size; PNGs use chartDPI.
const (
	chartWidth  = 18 * vg.Centimeter
	chartHeight = 12 * vg.Centimeter
	chartDPI    = 120
)

// ChartSVG draws r like VIVE's Figure 4 (two curves with 95 % intervals
// over relative years) as SVG.
func ChartSVG(w io.Writer, r *Result, labels ChartLabels) error {
	c := vgsvg.New(chartWidth, chartHeight)
	if err := drawChart(draw.New(c), r, labels); err != nil {
		return err
	}
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("skriv SVG-diagram: %w", err)
	}
	return nil
}

// ChartPNG draws the same chart as ChartSVG as a PNG for download.
func ChartPNG(w io.Writer, r *Result, labels ChartLabels) error {
	c := vgimg.NewWith(vgimg.UseWH(chartWidth, chartHeight), vgimg.UseDPI(chartDPI))
	if err := drawChart(draw.New(c), r, labels); err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
		return fmt.Errorf("skriv PNG-diagram: %w", err)
	}
	return nil
}

// errPoints feeds plotter.NewYErrorBars.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

// chartSeries returns the shown cells of one group as runs of consecutive
// relative years (a hidden cell breaks the line), with x offset by dx so
// the two groups' bars do not overlap.
func chartSeries(r *Result, participant bool, dx float64) (runs []errPoints) {
	var cur errPoints
	last := math.MinInt
	for _, c := range r.Cells {
		if c.Participant != participant || c.Youths < MinChartCellYouths || c.Obs == 0 {
			continue
		}
		if c.RelYear != last+1 && len(cur.XYs) > 0 {
			runs = append(runs, cur)
			cur = errPoints{}
		}
		cur.XYs = append(cur.XYs, plotter.XY{X: float64(c.RelYear) + dx, Y: c.Prob})
		cur.YErrors = append(cur.YErrors, struct{ Low, High float64 }{c.Prob - c.Lower, c.Upper - c.Prob})
		last = c.RelYear
	}
	if len(cur.XYs) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// drawChart draws r's cells on dc: a line with dots and interval bars per
// group, the axes, the start line and the note below the plot.
func drawChart(dc draw.Canvas, r *Result, labels ChartLabels) error {
	if r == nil {
		return errors.New("tegn diagram: intet estimationsresultat")
	}
	p := plot.New()
	p.Title.Text = labels.Title
	p.X.Label.Text = labels.XLabel
	p.Y.Label.Text = labels.YLabel
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())

	maxY := 0.0
	shown := 0
	for _, s := range chartStyles(labels) {
		if err := addGroup(p, r, s, &maxY, &shown); err != nil {
			return err
		}
	}
	if shown == 0 {
		return fmt.Errorf("tegn diagram: ingen celler med mindst %d unge", MinChartCellYouths)
	}
	top := setChartAxes(p, r, maxY)
	// The start: a dotted line between the reference year and year 0.
	if minX, maxX := r.Options.MinRel, r.Options.MaxRel; minX < 0 && maxX >= 0 {
		start, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 0}, {X: -0.5, Y: top}})
		if err != nil {
			return fmt.Errorf("tegn diagram: startlinje: %w", err)
		}
		start.Color, start.Dashes = color.Gray{Y: 0x80}, []vg.Length{vg.Points(1), vg.Points(2)}
		p.Add(start)
	}
	drawWithNote(dc, p, r, labels)
	return nil
}

// chartStyle is how one group is drawn.
type chartStyle struct {
	participant bool
	name        string
	dx          float64
	col         color.Color
	dash        []vg.Length
	glyph       draw.GlyphDrawer
}

// chartStyles are the participants' (solid, circles) and the comparison
// group's (dashed, squares) styles.
func chartStyles(labels ChartLabels) []chartStyle {
	return []chartStyle{
		{true, labels.Participants, -0.05, color.RGBA{R: 0x1f, G: 0x4e, B: 0x79, A: 0xff}, nil, draw.CircleGlyph{}},
		{false, labels.Comparison, 0.05, color.RGBA{R: 0xc0, G: 0x50, B: 0x20, A: 0xff}, []vg.Length{vg.Points(4), vg.Points(2)}, draw.SquareGlyph{}},
	}
}

// addGroup adds one group's runs to p with its legend entry, raising
// maxY to the highest interval and counting the shown cells.
func addGroup(p *plot.Plot, r *Result, s chartStyle, maxY *float64, shown *int) error {
	var legendLine *plotter.Line
	var legendDots *plotter.Scatter
	for _, run := range chartSeries(r, s.participant, s.dx) {
		line, err := plotter.NewLine(run.XYs)
		if err != nil {
			return fmt.Errorf("tegn diagram: linje: %w", err)
		}
		line.Color, line.Width, line.Dashes = s.col, vg.Points(1.5), s.dash
		dots, err := plotter.NewScatter(run.XYs)
		if err != nil {
			return fmt.Errorf("tegn diagram: punkter: %w", err)
		}
		dots.Color, dots.Shape, dots.Radius = s.col, s.glyph, vg.Points(3)
		bars, err := plotter.NewYErrorBars(run)
		if err != nil {
			return fmt.Errorf("tegn diagram: intervaller: %w", err)
		}
		bars.Color, bars.Width = s.col, vg.Points(1)
		p.Add(line, bars, dots)
		legendLine, legendDots = line, dots
		for i, xy := range run.XYs {
			*maxY = math.Max(*maxY, xy.Y+run.YErrors[i].High)
			*shown++
		}
	}
	if legendLine != nil {
		p.Legend.Add(s.name, legendLine, legendDots)
	}
	return nil
}

// setChartAxes sets the relative-year ticks and the percentage axis up to
// room for the legend above maxY, and returns the axis' top.
func setChartAxes(p *plot.Plot, r *Result, maxY float64) float64 {
	minX, maxX := r.Options.MinRel, r.Options.MaxRel
	p.X.Min, p.X.Max = float64(minX)-0.4, float64(maxX)+0.4
	var xt plot.ConstantTicks
	for k := minX; k <= maxX; k++ {
		xt = append(xt, plot.Tick{Value: float64(k), Label: signed(k)})
	}
	p.X.Tick.Marker = xt
	// Leave room above the highest interval for the legend.
	top := math.Min(1, math.Ceil((maxY+0.15)*10)/10)
	p.Y.Min, p.Y.Max = 0, top
	p.Y.Tick.Marker = plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		step := 0.1
		if hi-lo <= 0.3 {
			step = 0.05
		}
		var ts []plot.Tick
		for v := 0.0; v <= hi+1e-9; v += step {
			ts = append(ts, plot.Tick{Value: v, Label: strconv.Itoa(int(math.Round(v*100))) + " %"})
		}
		return ts
	})
	return top
}

// drawWithNote draws p on dc above the note (with the counterfactual
// note when the comparison cells are counterfactual).
func drawWithNote(dc draw.Canvas, p *plot.Plot, r *Result, labels ChartLabels) {
	note := labels.Note
	if len(r.Cells) > 0 && r.Cells[len(r.Cells)-1].Counterfactual && labels.CounterfactualNote != "" {
		note = strings.TrimRight(note, "\n") + "\n" + labels.CounterfactualNote
	}
	lines := strings.Split(strings.TrimSpace(note), "\n")
	if note == "" {
		lines = nil
	}
	sty := p.Title.TextStyle
	sty.Font = font.From(plot.DefaultFont, 7)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
	lineH := sty.FontExtents().Height * 1.15
	noteH := lineH*vg.Length(len(lines)) + vg.Points(4)
	p.Draw(draw.Crop(dc, 0, 0, noteH, -vg.Points(4)))
	for i, ln := range lines {
		y := dc.Min.Y + vg.Points(3) + lineH*vg.Length(len(lines)-1-i)
		dc.FillText(sty, vg.Point{X: dc.Min.X + vg.Points(6), Y: y}, ln)
	}
}
