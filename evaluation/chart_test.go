package evaluation

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"strings"
	"testing"
)

// fittedForChart fits a small simulated panel for the chart tests.
func fittedForChart(t *testing.T) *Result {
	t.Helper()
	res, err := Fit(synth(synthSpec{youths: 300, delta: 0.7, seed: 5}), DefaultFitOptions())
	if err != nil {
		t.Fatalf("Fit: %v", err)
	}
	return res
}

// TestChartSVG checks that the SVG is well-formed XML, carries every label
// and the caveats, and leaves out cells with fewer than 5 youths.
func TestChartSVG(t *testing.T) {
	for _, tc := range []struct {
		name   string
		labels ChartLabels
	}{
		{"danish", DanishChartLabels()},
		{"english", EnglishChartLabels()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := fittedForChart(t)
			var buf bytes.Buffer
			if err := ChartSVG(&buf, res, tc.labels); err != nil {
				t.Fatalf("ChartSVG: %v", err)
			}
			if os.Getenv("FRITIDSJOB_KEEP_CHART") != "" {
				_ = os.WriteFile("/tmp/eventstudy_"+tc.name+".svg", buf.Bytes(), 0o644)
			}
			dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
			var text strings.Builder
			for {
				tok, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("SVG is not XML: %v", err)
				}
				if cd, ok := tok.(xml.CharData); ok {
					text.Write(cd)
				}
			}
			all := text.String()
			want := []string{tc.labels.Title, tc.labels.XLabel, tc.labels.YLabel, tc.labels.Participants, tc.labels.Comparison, tc.labels.CounterfactualNote}
			want = append(want, strings.Split(tc.labels.Note, "\n")...)
			for _, s := range want {
				if !strings.Contains(all, s) {
					t.Errorf("SVG text lacks %q", s)
				}
			}
		})
	}
}

// TestChartHidesSmallCells checks that a cell under 5 youths is not drawn,
// by comparing the series with and without a small cell.
func TestChartHidesSmallCells(t *testing.T) {
	res := fittedForChart(t)
	full := chartSeries(res, true, 0)
	small := *res
	small.Cells = append([]Cell(nil), res.Cells...)
	for i := range small.Cells {
		if small.Cells[i].Participant && small.Cells[i].RelYear == 1 {
			small.Cells[i].Youths = MinChartCellYouths - 1
		}
	}
	cut := chartSeries(&small, true, 0)
	if len(full) != 1 || len(full[0].XYs) != 7 {
		t.Fatalf("full series: %d runs", len(full))
	}
	if len(cut) != 2 || len(cut[0].XYs)+len(cut[1].XYs) != 6 {
		t.Fatalf("with a small cell: %d runs, want the line broken in two with 6 points", len(cut))
	}
	for i := range small.Cells {
		small.Cells[i].Youths = 1
	}
	if err := ChartSVG(io.Discard, &small, DanishChartLabels()); err == nil {
		t.Error("ChartSVG drew a chart with only small cells")
	}
	if err := ChartSVG(io.Discard, nil, DanishChartLabels()); err == nil {
		t.Error("ChartSVG accepted a nil result")
	}
}

// TestChartPNG checks that the PNG decodes.
func TestChartPNG(t *testing.T) {
	res := fittedForChart(t)
	var buf bytes.Buffer
	if err := ChartPNG(&buf, res, DanishChartLabels()); err != nil {
		t.Fatalf("ChartPNG: %v", err)
	}
	if os.Getenv("FRITIDSJOB_KEEP_CHART") != "" {
		_ = os.WriteFile("/tmp/eventstudy.png", buf.Bytes(), 0o644)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 400 {
		t.Errorf("PNG is %v, too small", b)
	}
}
