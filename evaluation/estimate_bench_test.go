package evaluation

import "testing"

// BenchmarkFit1M fits the event-study logit on about a million simulated
// person-years (208,000 youths, window −3..+3, 20 coefficients) and
// reports rows/s. Measured 2026-11-25 on the 2-core machine shared with
// other builds (load average ≈ 4), without -race:
//
//	go test -run '^$' -bench Fit1M -benchtime 1x ./evaluation/
//
// 1,013,501 rows, 7 IRLS iterations, 0.94–1.38 s per fit (0.73–1.08M
// rows/s over four runs; one run under heavier load took 4.6 s), 82 MB
// allocated per fit, peak RSS of the whole benchmark binary 267 MB
// (including the 1M-row input).
func BenchmarkFit1M(b *testing.B) {
	obs := synth(synthSpec{youths: 104_000, delta: 0.7, seed: 9})
	b.ReportAllocs()
	b.ResetTimer()
	var res *Result
	for i := 0; i < b.N; i++ {
		var err error
		res, err = Fit(obs, DefaultFitOptions())
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(res.N)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(res.N), "rows")
	b.ReportMetric(float64(res.Iterations), "iterations")
	b.ReportMetric(float64(len(res.Coefs)), "coefs")
}
