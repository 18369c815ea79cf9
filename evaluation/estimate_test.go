package evaluation

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// readFixture loads a person-year CSV written by testdata/make_fixture.py.
func readFixture(t *testing.T, name string) []Obs {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	atoi := func(s string) int {
		t.Helper()
		v, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("%s: %q: %v", name, s, err)
		}
		return v
	}
	var obs []Obs
	for _, r := range recs[1:] {
		o := Obs{
			Cluster:     uint64(atoi(r[0])),
			Participant: r[1] == "1",
			Year:        atoi(r[3]),
			Age:         atoi(r[4]),
			Gender:      r[5],
			Y:           r[6] == "1",
		}
		if r[2] != "" {
			o.HasRel, o.RelYear = true, atoi(r[2])
		}
		obs = append(obs, o)
	}
	return obs
}

type refCoef struct {
	Name      string  `json:"name"`
	Estimate  float64 `json:"estimate"`
	SE        float64 `json:"se"`
	ClusterSE float64 `json:"cluster_se"`
}

type refCell struct {
	Participant bool    `json:"participant"`
	RelYear     int     `json:"rel_year"`
	Obs         int     `json:"obs"`
	Prob        float64 `json:"prob"`
	SE          float64 `json:"se"`
}

type refDiff struct {
	RelYear int     `json:"rel_year"`
	Diff    float64 `json:"diff"`
	SE      float64 `json:"se"`
}

type reference struct {
	N           int       `json:"n"`
	LogLik      float64   `json:"loglik"`
	Coefs       []refCoef `json:"coefs"`
	Cells       []refCell `json:"cells"`
	Differences []refDiff `json:"differences"`
}

// TestFitMatchesStatsmodels compares coefficients, both kinds of standard
// error, the log-likelihood and the cells with statsmodels (see
// testdata/reference.py for the command) to 1e-6.
func TestFitMatchesStatsmodels(t *testing.T) {
	const tol = 1e-6
	for _, name := range []string{"logit_pseudo", "logit_never"} {
		t.Run(name, func(t *testing.T) {
			obs := readFixture(t, name+".csv")
			raw, err := os.ReadFile(filepath.Join("testdata", name+"_reference.json"))
			if err != nil {
				t.Fatal(err)
			}
			var ref reference
			if err := json.Unmarshal(raw, &ref); err != nil {
				t.Fatal(err)
			}
			res, err := Fit(obs, FitOptions{MinRel: -2, MaxRel: 2, RefRel: -1})
			if err != nil {
				t.Fatalf("Fit: %v", err)
			}
			if res.N != ref.N || len(res.Coefs) != len(ref.Coefs) {
				t.Fatalf("N=%d K=%d, reference N=%d K=%d", res.N, len(res.Coefs), ref.N, len(ref.Coefs))
			}
			if d := math.Abs(res.LogLik - ref.LogLik); d > tol {
				t.Errorf("loglik %v, reference %v", res.LogLik, ref.LogLik)
			}
			for i, rc := range ref.Coefs {
				c := res.Coefs[i]
				if c.Name != rc.Name {
					t.Fatalf("coef %d named %q, reference %q", i, c.Name, rc.Name)
				}
				for _, v := range []struct {
					what      string
					got, want float64
				}{
					{"estimate", c.Estimate, rc.Estimate},
					{"SE", c.SE, rc.SE},
					{"cluster SE", c.ClusterSE, rc.ClusterSE},
				} {
					if math.Abs(v.got-v.want) > tol {
						t.Errorf("%s %s = %.10f, reference %.10f", c.Name, v.what, v.got, v.want)
					}
				}
			}
			for _, rc := range ref.Cells {
				c, ok := res.Cell(rc.Participant, rc.RelYear)
				if !ok {
					t.Fatalf("no cell %v %d", rc.Participant, rc.RelYear)
				}
				if c.Obs != rc.Obs || math.Abs(c.Prob-rc.Prob) > tol || math.Abs(c.SE-rc.SE) > tol {
					t.Errorf("cell %v %+d: obs %d prob %.10f se %.10f, reference obs %d prob %.10f se %.10f",
						rc.Participant, rc.RelYear, c.Obs, c.Prob, c.SE, rc.Obs, rc.Prob, rc.SE)
				}
			}
			diffs := res.Differences()
			if len(diffs) != len(ref.Differences) {
				t.Fatalf("%d differences, reference %d", len(diffs), len(ref.Differences))
			}
			for i, rd := range ref.Differences {
				d := diffs[i]
				if d.RelYear != rd.RelYear || math.Abs(d.Diff-rd.Diff) > tol || math.Abs(d.SE-rd.SE) > tol {
					t.Errorf("difference %+d: %.10f se %.10f, reference %+d: %.10f se %.10f", d.RelYear, d.Diff, d.SE, rd.RelYear, rd.Diff, rd.SE)
				}
			}
		})
	}
}

// synthSpec describes a simulated panel whose true model is in the
// estimator's family, with effect delta on the logit scale for
// participants from relative year 0.
type synthSpec struct {
	youths     int // per group
	delta      float64
	compHasRel bool
	seed       uint64
	// femaleExtra is added to delta for girls.
	femaleExtra float64
}

// synthGamma is the participants' level difference before start (none:
// "leisure-job rates are similar before the programme").
const synthGamma = 0.0

func synthEta(o Obs, delta float64, treated bool) float64 {
	return synthEtaG(o, delta, 0, treated)
}

func synthEtaG(o Obs, delta, femaleExtra float64, treated bool) float64 {
	if o.Gender == "female" {
		delta += femaleExtra
	}
	a := float64(o.Age - 15)
	eta := -1.2 + 0.35*a - 0.04*a*a + 0.05*float64(o.Year-2015)
	if o.Gender == "female" {
		eta += 0.3
	}
	if treated {
		eta += synthGamma
		if o.RelYear >= 0 {
			eta += delta
		}
	}
	return eta
}

// synth simulates youths born 1998–2010 observed 2015–2024 at ages 10–18;
// participants start at 13–15; comparison youths get a pseudo-start when
// compHasRel. Only the −3..+3 window is kept.
func synth(s synthSpec) []Obs {
	rng := rand.New(rand.NewPCG(s.seed, 7))
	var obs []Obs
	for id := 0; id < 2*s.youths; id++ {
		participant := id < s.youths
		birth := 1998 + rng.IntN(13)
		gender := "male"
		if rng.Float64() < 0.5 {
			gender = "female"
		}
		start := birth + 13 + rng.IntN(3)
		for year := 2015; year <= 2024; year++ {
			age := year - birth
			rel := year - start
			if age < 10 || age > 18 || rel < -3 || rel > 3 {
				continue
			}
			o := Obs{Cluster: uint64(id) + 1000, Participant: participant, Year: year, Age: age, Gender: gender}
			if participant || s.compHasRel {
				o.HasRel, o.RelYear = true, rel
			}
			o.Y = rng.Float64() < sigmoid(synthEtaG(o, s.delta, s.femaleExtra, participant))
			obs = append(obs, o)
		}
	}
	return obs
}

// TestFitRecoversPlantedEffect plants about +15 percentage points from
// relative year 0 (logit +0.7 on a base near 25–30 %) and checks that every
// participant × relative-year coefficient covers its true value and every
// cell's interval covers the true mean probability of its person-years.
func TestFitRecoversPlantedEffect(t *testing.T) {
	const delta = 0.7
	for _, tc := range []struct {
		name       string
		compHasRel bool
	}{
		{"never-treated comparison", false},
		{"pseudo-start comparison", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			obs := synth(synthSpec{youths: 2000, delta: delta, compHasRel: tc.compHasRel, seed: 1})
			res, err := Fit(obs, DefaultFitOptions())
			if err != nil {
				t.Fatalf("Fit: %v", err)
			}
			for k := -3; k <= 3; k++ {
				if k == -1 {
					continue
				}
				c, ok := res.Coef("participant:" + relName(k))
				if !ok {
					t.Fatalf("no coefficient for %d", k)
				}
				want := 0.0
				if k >= 0 {
					want = delta
				}
				if math.Abs(c.Estimate-want) > 1.96*c.ClusterSE {
					t.Errorf("%s = %.3f ± %.3f, true %.3f", c.Name, c.Estimate, 1.96*c.ClusterSE, want)
				}
			}
			// True mean probabilities per cell, from the same person-years.
			type key struct {
				p bool
				k int
			}
			sum, n := map[key]float64{}, map[key]int{}
			for _, o := range obs {
				if o.Participant {
					sum[key{true, o.RelYear}] += sigmoid(synthEta(o, delta, true))
					n[key{true, o.RelYear}]++
					if !tc.compHasRel {
						sum[key{false, o.RelYear}] += sigmoid(synthEta(o, delta, false))
						n[key{false, o.RelYear}]++
					}
				} else if tc.compHasRel {
					sum[key{false, o.RelYear}] += sigmoid(synthEta(o, delta, false))
					n[key{false, o.RelYear}]++
				}
			}
			for _, c := range res.Cells {
				kk := key{c.Participant, c.RelYear}
				truth := sum[kk] / float64(n[kk])
				if c.Obs != n[kk] {
					t.Errorf("cell %v %d: %d obs, want %d", c.Participant, c.RelYear, c.Obs, n[kk])
				}
				if truth < c.Lower || truth > c.Upper {
					t.Errorf("cell %v %+d: %.3f [%.3f, %.3f] misses truth %.3f", c.Participant, c.RelYear, c.Prob, c.Lower, c.Upper, truth)
				}
			}
			// The planted effect one year after, in percentage points: the
			// participants' true probability with and without delta.
			var planted float64
			for _, o := range obs {
				if o.Participant && o.RelYear == 1 {
					planted += sigmoid(synthEta(o, delta, true)) - sigmoid(synthEta(o, 0, true))
				}
			}
			planted /= float64(n[key{true, 1}])
			p1, _ := res.Cell(true, 1)
			c1, _ := res.Cell(false, 1)
			est := p1.Prob - c1.Prob
			t.Logf("year +1: participants %.3f, comparison %.3f, difference %.1f pp, planted %.1f pp", p1.Prob, c1.Prob, 100*est, 100*planted)
			if planted < 0.13 || planted > 0.17 {
				t.Errorf("simulation plants %.3f, meant about 0.15", planted)
			}
			if math.Abs(est-planted) > 0.04 {
				t.Errorf("difference at +1 = %.3f, planted %.3f", est, planted)
			}
			if !tc.compHasRel {
				// Counterfactual comparison: the difference is exactly the
				// planted effect on the same person-years.
				d := res.Differences()[4]
				if d.RelYear != 1 || planted < d.Lower || planted > d.Upper {
					t.Errorf("difference %+v misses planted %.3f", d, planted)
				}
				t.Logf("difference at +1: %.1f pp [%.1f, %.1f]", 100*d.Diff, 100*d.Lower, 100*d.Upper)
			}
		})
	}
}

// TestFitRefuses checks that data the model cannot support gives a
// *RefusalError of the right kind with a Danish message, never a result.
func TestFitRefuses(t *testing.T) {
	base := func() []Obs { return synth(synthSpec{youths: 200, delta: 0.7, seed: 3}) }
	for _, tc := range []struct {
		name string
		obs  func() []Obs
		opt  FitOptions
		want error
	}{
		{"no observations", func() []Obs { return nil }, FitOptions{}, ErrTooFewYouths},
		{"too few youths", func() []Obs { return synth(synthSpec{youths: 15, delta: 0.7, seed: 3}) }, FitOptions{}, ErrTooFewYouths},
		{"too few after gender filter", base, FitOptions{MinRel: -3, MaxRel: 3, RefRel: -1, Gender: "other"}, ErrTooFewYouths},
		{"no variation", func() []Obs {
			obs := base()
			for i := range obs {
				obs[i].Y = false
			}
			return obs
		}, FitOptions{}, ErrNoVariation},
		{"empty relative year", func() []Obs {
			var out []Obs
			for _, o := range base() {
				if !(o.Participant && o.RelYear == 2) {
					out = append(out, o)
				}
			}
			return out
		}, FitOptions{}, ErrEmptyCell},
		{"empty comparison relative year", func() []Obs {
			var out []Obs
			for _, o := range synth(synthSpec{youths: 200, delta: 0.7, compHasRel: true, seed: 3}) {
				if o.Participant || o.RelYear != 3 {
					out = append(out, o)
				}
			}
			return out
		}, FitOptions{}, ErrEmptyCell},
		{"quasi-separation in a cell", func() []Obs {
			obs := base()
			for i := range obs {
				if obs[i].Participant && obs[i].RelYear == 1 {
					obs[i].Y = true
				}
			}
			return obs
		}, FitOptions{}, ErrSeparation},
		{"complete separation by age", func() []Obs {
			obs := base()
			for i := range obs {
				obs[i].Y = obs[i].Age >= 14
			}
			return obs
		}, FitOptions{}, ErrSeparation},
		{"separation through age only", func() []Obs {
			// Every dummy has both outcomes, but age ≥ 15 decides Y
			// except at exactly 15, where it is mixed: age terms diverge.
			obs := base()
			for i := range obs {
				switch {
				case obs[i].Age < 15:
					obs[i].Y = false
				case obs[i].Age > 15:
					obs[i].Y = true
				default:
					obs[i].Y = obs[i].Cluster%2 == 0
				}
			}
			return obs
		}, FitOptions{MinRel: -1, MaxRel: 0, RefRel: -1}, ErrSeparation},
		{"singular: one birth year", func() []Obs {
			obs := base()
			for i := range obs {
				obs[i].Age = obs[i].Year - 2003
			}
			return obs
		}, FitOptions{}, ErrSingular},
		{"participant without start", func() []Obs {
			obs := base()
			obs[0].HasRel = false
			return obs
		}, FitOptions{}, ErrInvalidInput},
		{"youth in both groups", func() []Obs {
			obs := base()
			o := obs[0]
			o.Participant = false
			return append(obs, o)
		}, FitOptions{}, ErrInvalidInput},
		{"reference outside window", base, FitOptions{MinRel: 0, MaxRel: 3, RefRel: -1}, ErrInvalidInput},
		{"empty window", base, FitOptions{MinRel: 2, MaxRel: 2, RefRel: 2}, ErrInvalidInput},
		{"huge window", base, FitOptions{MinRel: math.MinInt, MaxRel: math.MaxInt, RefRel: -1}, ErrInvalidInput},
		{"wide window", base, FitOptions{MinRel: -30, MaxRel: 30, RefRel: -1}, ErrInvalidInput},
		{"unknown gender filter", base, FitOptions{Gender: "pige"}, ErrInvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Fit(tc.obs(), tc.opt)
			if err == nil {
				t.Fatalf("Fit succeeded (%d coefficients), want %v", len(res.Coefs), tc.want)
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var re *RefusalError
			if !errors.As(err, &re) || re.Error() == "" {
				t.Fatalf("err %T is not a *RefusalError", err)
			}
			t.Logf("%v", err)
		})
	}
}

// TestFitNeverPanics throws random tiny panels at Fit: it must return a
// result with finite numbers or an error, never panic.
func TestFitNeverPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 42))
	genders := []string{"female", "male", "other", "", "X"}
	ok := 0
	for iter := 0; iter < 3000; iter++ {
		n := rng.IntN(200)
		obs := make([]Obs, n)
		for i := range obs {
			o := Obs{
				Cluster:     uint64(rng.IntN(2 + n/3)),
				Participant: rng.IntN(2) == 0,
				RelYear:     rng.IntN(5) - 2,
				HasRel:      rng.IntN(4) != 0,
				Year:        2018 + rng.IntN(1+rng.IntN(3)),
				Age:         10 + rng.IntN(1+rng.IntN(8)),
				Gender:      genders[rng.IntN(len(genders))],
				Y:           rng.IntN(3) == 0,
			}
			o.Participant = o.Cluster%2 == 0 // mostly consistent groups
			if rng.IntN(50) == 0 {
				o.Participant = !o.Participant
			}
			if o.Participant && rng.IntN(30) != 0 {
				o.HasRel = true
			}
			obs[i] = o
		}
		opt := FitOptions{
			MinRel:            -1 - rng.IntN(2),
			MaxRel:            rng.IntN(2),
			RefRel:            -1,
			MinYouthsPerGroup: 1 + rng.IntN(2),
			MaxIter:           1 + rng.IntN(30),
		}
		res, err := Fit(obs, opt)
		if err != nil {
			var re *RefusalError
			if !errors.As(err, &re) {
				t.Fatalf("iteration %d: error %T %v is not a refusal", iter, err, err)
			}
			continue
		}
		ok++
		for _, c := range res.Coefs {
			if math.IsNaN(c.Estimate) || math.IsNaN(c.SE) || math.IsNaN(c.ClusterSE) {
				t.Fatalf("iteration %d: NaN in %+v", iter, c)
			}
		}
		for _, c := range res.Cells {
			if math.IsNaN(c.Prob) || c.Lower > c.Prob || c.Upper < c.Prob {
				t.Fatalf("iteration %d: bad cell %+v", iter, c)
			}
		}
	}
	t.Logf("%d of 3000 random panels could be fitted", ok)
}

// TestFitByGender plants a larger effect for girls (logit +1.1 against
// +0.5 for boys) and checks that the separate fits recover each within its
// interval, and that a gender the data lacks is refused, not fatal.
func TestFitByGender(t *testing.T) {
	const delta, extra = 0.5, 0.6
	obs := synth(synthSpec{youths: 2000, delta: delta, femaleExtra: extra, seed: 11})
	split, err := FitByGender(obs, DefaultFitOptions())
	if err != nil {
		t.Fatalf("FitByGender: %v", err)
	}
	if split.All == nil || split.Female == nil || split.Male == nil || len(split.Refused) != 0 {
		t.Fatalf("split = %+v", split)
	}
	if _, ok := split.Female.Coef("gender[female]"); ok {
		t.Error("the girls' fit has a gender term")
	}
	if split.Female.N+split.Male.N != split.All.N {
		t.Errorf("girls %d + boys %d person-years != all %d", split.Female.N, split.Male.N, split.All.N)
	}
	for _, tc := range []struct {
		res  *Result
		want float64
	}{{split.Female, delta + extra}, {split.Male, delta}} {
		c, _ := tc.res.Coef("participant:rel[+1]")
		if math.Abs(c.Estimate-tc.want) > 1.96*c.ClusterSE {
			t.Errorf("%s %s = %.3f ± %.3f, true %.2f", tc.res.Options.Gender, c.Name, c.Estimate, 1.96*c.ClusterSE, tc.want)
		}
	}
	var boysOnly []Obs
	for _, o := range obs {
		if o.Gender == "male" {
			boysOnly = append(boysOnly, o)
		}
	}
	split, err = FitByGender(boysOnly, DefaultFitOptions())
	if err != nil {
		t.Fatalf("FitByGender on boys: %v", err)
	}
	if split.Female != nil || !errors.Is(split.Refused["female"], ErrTooFewYouths) || split.Male == nil {
		t.Errorf("boys only: female %v, refused %v", split.Female, split.Refused)
	}
}
