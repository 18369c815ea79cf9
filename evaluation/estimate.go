package evaluation

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Obs is one person-year: one youth in one calendar year, the row the
// built-in event-study logit is fitted on (a row of the person-year panel).
type Obs struct {
	// Cluster identifies the youth; standard errors are clustered on it.
	Cluster uint64
	// Participant is true for the programme group, false for the comparison group.
	Participant bool
	// RelYear is the calendar year minus the youth's start year; it is only
	// read when HasRel is true.
	RelYear int
	// HasRel is false for comparison youths without a (pseudo-)start year.
	// Participants must have one.
	HasRel bool
	// Year is the calendar year.
	Year int
	// Age is the youth's age at the end of Year.
	Age int
	// Gender is "female", "male" or anything else (other, unknown, empty),
	// which the model pools as "other".
	Gender string
	// Y is the outcome: the youth had a leisure job (a job spell) in Year.
	Y bool
}

// FitOptions chooses the event window, the reference year and the subgroup.
// The zero value means DefaultFitOptions.
type FitOptions struct {
	// MinRel and MaxRel bound the relative-year window (inclusive).
	// Person-years outside it are dropped, not binned: an end bin would mix
	// years far from the start with near ones and blur the curve's ends.
	MinRel, MaxRel int
	// RefRel is the omitted relative year (the year before start, -1).
	RefRel int
	// Gender, when "female", "male" or "other", fits the model on that
	// gender only (the gender term then drops out). Empty means everyone.
	Gender string
	// MinYouthsPerGroup is the fewest distinct youths each group must have
	// in the estimation sample (default 20). Fewer gives ErrTooFewYouths.
	MinYouthsPerGroup int
	// MaxIter caps the IRLS iterations (default 100); not converging is
	// read as separation.
	MaxIter int
}

// DefaultFitOptions is the window −3..+3 with −1 as reference, everyone,
// at least 20 youths per group.
func DefaultFitOptions() FitOptions {
	return FitOptions{MinRel: -3, MaxRel: 3, RefRel: -1, MinYouthsPerGroup: 20, MaxIter: 100}
}

// Coef is one estimated coefficient on the logit scale.
type Coef struct {
	// Name is the term: "intercept", "participant", "rel[k]",
	// "participant:rel[k]", "no_rel", "age" (age − 15), "age2"
	// ((age − 15)²), "gender[female]", "gender[other]", "year[YYYY]".
	Name     string
	Estimate float64
	// SE is the model-based standard error, from the inverse of the
	// observed information X'WX at the estimate.
	SE float64
	// ClusterSE is the cluster-robust (sandwich) standard error clustered by
	// youth, with the small-sample factor G/(G−1)·(N−1)/(N−K) (G youths,
	// N person-years, K coefficients), the same as Stata's and statsmodels'
	// default.
	ClusterSE float64
}

// Cell is the average predicted probability of a leisure job for one group
// in one relative year, the points of the chart.
//
// Prob is the mean of the fitted probabilities over the person-years in the
// cell, with their own age, gender and calendar year. When the comparison
// group has no relative years (never-treated youths), the comparison cell at
// year k is counterfactual: the mean over the participants' person-years at
// k with the participant and participant × relative-year terms set to zero,
// i.e. what the model predicts for the same youths in the same years had
// they been in the comparison group. The interval is Prob ± 1.96·SE with SE
// from the delta method on the cluster-robust covariance, clipped to [0, 1].
type Cell struct {
	Participant bool
	RelYear     int
	// Obs and Youths count the person-years and distinct youths averaged
	// over. Charts and tables must not show cells with Youths < 5.
	Obs, Youths int
	// Counterfactual marks a comparison cell computed from participants'
	// person-years, see above.
	Counterfactual bool
	Prob, SE       float64
	Lower, Upper   float64
	// grad is ∂Prob/∂β, kept for Differences.
	grad *mat.VecDense
}

// Result is a fitted event-study logit.
type Result struct {
	// Options are the options used, with defaults filled in.
	Options FitOptions
	Coefs   []Coef
	// Cells holds participants then comparison, each by relative year.
	Cells []Cell
	// N is the person-years used, Dropped those outside the window or the
	// gender filter. Participants and Comparison count distinct youths.
	N, Dropped               int
	Participants, Comparison int
	// ComparisonHasRel tells whether comparison youths had relative years
	// (then the model has relative-year main effects and the comparison
	// cells are their own); otherwise comparison cells are counterfactual.
	ComparisonHasRel bool
	Iterations       int
	LogLik           float64
	cov, clusterCov  *mat.SymDense
}

// Coef returns the coefficient called name and whether there is one.
func (r *Result) Coef(name string) (Coef, bool) {
	for _, c := range r.Coefs {
		if c.Name == name {
			return c, true
		}
	}
	return Coef{}, false
}

// Cell returns the cell of a group and relative year and whether there is one.
func (r *Result) Cell(participant bool, rel int) (Cell, bool) {
	for _, c := range r.Cells {
		if c.Participant == participant && c.RelYear == rel {
			return c, true
		}
	}
	return Cell{}, false
}

func (o FitOptions) withDefaults() (FitOptions, error) {
	d := DefaultFitOptions()
	if o.MinRel == 0 && o.MaxRel == 0 && o.RefRel == 0 {
		o.MinRel, o.MaxRel, o.RefRel = d.MinRel, d.MaxRel, d.RefRel
	}
	if o.MinYouthsPerGroup <= 0 {
		o.MinYouthsPerGroup = d.MinYouthsPerGroup
	}
	if o.MaxIter <= 0 {
		o.MaxIter = d.MaxIter
	}
	switch {
	case o.MinRel < -50 || o.MaxRel > 50:
		return o, refuse(ErrInvalidInput, DetailWindowFar, o.MinRel, o.MaxRel)
	case o.MinRel >= o.MaxRel:
		return o, refuse(ErrInvalidInput, DetailWindowShort, o.MinRel, o.MaxRel)
	case o.MaxRel-o.MinRel > 40:
		return o, refuse(ErrInvalidInput, DetailWindowWide, o.MinRel, o.MaxRel)
	case o.RefRel < o.MinRel || o.RefRel > o.MaxRel:
		return o, refuse(ErrInvalidInput, DetailRefOutside, o.RefRel, o.MinRel, o.MaxRel)
	}
	switch o.Gender {
	case "", "female", "male", "other":
	default:
		return o, refuse(ErrInvalidInput, DetailGenderUnknown, o.Gender)
	}
	return o, nil
}

func normGender(g string) string {
	switch strings.ToLower(strings.TrimSpace(g)) {
	case "female":
		return "female"
	case "male":
		return "male"
	}
	return "other"
}

func relName(k int) string {
	if k >= 0 {
		return "rel[+" + strconv.Itoa(k) + "]"
	}
	return "rel[" + strconv.Itoa(k) + "]"
}

// nSlots is the number of indicator columns a row can have: intercept,
// participant, rel, participant:rel, no_rel, gender, year.
const nSlots = 7

// design is the model matrix stored sparsely: every row has at most nSlots
// indicator columns (value 1) and the age terms. Rows are grouped by youth
// so the clustered score sums need one running vector.
type design struct {
	names   []string
	k       int
	ind     []int32 // len n*nSlots, -1 = empty slot
	age     []float64
	ageCol  int // -1 if no age term
	age2Col int // -1 if no age² term
	y       []bool
	cluster []int32
	nClust  int
	// cell of each row: index into cells, -1 if none; cfCell is the
	// counterfactual comparison cell a participant row also feeds, or -1.
	cell, cfCell []int16
	// cfDrop marks the columns zeroed for the counterfactual.
	cfDrop []bool
}

func (d *design) n() int { return len(d.y) }

// row writes row i's nonzero columns and values into cols/vals and returns
// how many; with cf it leaves out the participant terms.
func (d *design) row(i int, cols []int, vals []float64, cf bool) int {
	m := 0
	for _, c := range d.ind[i*nSlots : (i+1)*nSlots] {
		if c < 0 || (cf && d.cfDrop[c]) {
			continue
		}
		cols[m], vals[m] = int(c), 1
		m++
	}
	if d.ageCol >= 0 {
		cols[m], vals[m] = d.ageCol, d.age[i]
		m++
	}
	if d.age2Col >= 0 {
		cols[m], vals[m] = d.age2Col, d.age[i]*d.age[i]
		m++
	}
	return m
}

// Fit estimates the pooled event-study logit
//
//	logit P(Y) = a + b·participant + Σ_k c_k·rel[k] + Σ_k d_k·participant·rel[k]
//	             + e·no_rel + f1·(age−15) + f2·(age−15)² + gender + year
//
// by IRLS (Newton–Raphson), with k over the window except RefRel. The
// rel[k] main effects and no_rel (comparison youths without a relative
// year) are only in the model when comparison youths have relative years;
// otherwise participant·rel[k] alone carries the event time. Gender and
// calendar-year dummies are for the levels present, against "male" (or the
// first present of female, other) and the first year. Age terms are left
// out when there are too few distinct ages to identify them.
//
// Fit refuses with a *RefusalError (a reason and a detail, as codes the UI
// translates) when the data cannot support the model: too few youths per
// group, no variation in Y, an empty relative-year cell, (quasi-)complete
// separation, or a singular design. Refuses with ErrInvalidInput,
// ErrTooFewYouths, ErrNoVariation, ErrEmptyCell, ErrSeparation, ErrSingular.
func Fit(obs []Obs, opt FitOptions) (*Result, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	d, res, err := buildDesign(obs, opt)
	if err != nil {
		return nil, err
	}
	if err := d.checkSeparationByTerm(); err != nil {
		return nil, err
	}
	beta, iter, err := d.irls(opt.MaxIter)
	if err != nil {
		return nil, err
	}
	res.Iterations = iter
	if err := d.finish(beta, res); err != nil {
		return nil, err
	}
	return res, nil
}

// buildDesign filters the observations, checks what can be checked before
// fitting, and builds the sparse model matrix.
func buildDesign(obs []Obs, opt FitOptions) (*design, *Result, error) {
	res := &Result{Options: opt}
	sm, err := selectSample(obs, opt, res)
	if err != nil {
		return nil, nil, err
	}
	if err := sm.check(opt); err != nil {
		return nil, nil, err
	}
	d, cols := sm.columns(opt)
	if d.k >= len(sm.keep) {
		return nil, nil, refuse(ErrTooFewYouths, DetailTooFewRows, len(sm.keep), d.k)
	}
	d.cfDrop = make([]bool, d.k)
	d.cfDrop[cols.part] = true
	for _, c := range cols.inter {
		if c >= 0 {
			d.cfDrop[c] = true
		}
	}

	// Cells: participants by rel year, then comparison by rel year.
	for grp := 1; grp >= 0; grp-- {
		for k := opt.MinRel; k <= opt.MaxRel; k++ {
			res.Cells = append(res.Cells, Cell{Participant: grp == 1, RelYear: k, Counterfactual: grp == 0 && !sm.compHasRel})
		}
	}
	d.fillRows(obs, sm, cols, opt)
	return d, res, nil
}

// sample is what buildDesign keeps of the observations and what it
// learns about them.
type sample struct {
	youths    map[uint64]sampleYouth
	keep      []int32 // indexes of the kept observations
	clusterOf []int32 // dense youth index per kept row
	nYouth    [2]int  // comparison, participant
	nY1       int
	// compHasRel and compNoRel tell whether comparison youths with and
	// without a relative year were kept.
	compHasRel, compNoRel bool
	years                 map[int]bool
	genders               map[string]int
	ages                  map[int]bool
	relCount              [][2]int // kept rows by relative year − MinRel and group
}

// sampleYouth is one kept youth: its dense index and its group.
type sampleYouth struct {
	id          int32
	participant bool
}

// selectSample keeps the observations in the gender filter and the window
// (counting the others in res.Dropped), refuses a participant without a
// start year or a youth in both groups, and fills res's counts.
func selectSample(obs []Obs, opt FitOptions, res *Result) (*sample, error) {
	sm := &sample{
		youths:   make(map[uint64]sampleYouth),
		keep:     make([]int32, 0, len(obs)),
		years:    map[int]bool{},
		genders:  map[string]int{},
		ages:     map[int]bool{},
		relCount: make([][2]int, opt.MaxRel-opt.MinRel+1),
	}
	for i := range obs {
		o := &obs[i]
		g := normGender(o.Gender)
		if opt.Gender != "" && g != opt.Gender {
			res.Dropped++
			continue
		}
		if o.Participant && !o.HasRel {
			return nil, refuse(ErrInvalidInput, DetailNoStart, o.Cluster, o.Year)
		}
		if o.HasRel && (o.RelYear < opt.MinRel || o.RelYear > opt.MaxRel) {
			res.Dropped++
			continue
		}
		if err := sm.add(int32(i), o, g, opt); err != nil {
			return nil, err
		}
	}
	res.N = len(sm.keep)
	res.Participants, res.Comparison = sm.nYouth[1], sm.nYouth[0]
	res.ComparisonHasRel = sm.compHasRel
	return sm, nil
}

// add keeps observation i (o, of normalised gender g).
func (sm *sample) add(i int32, o *Obs, g string, opt FitOptions) error {
	yt, ok := sm.youths[o.Cluster]
	if !ok {
		yt = sampleYouth{id: int32(len(sm.youths)), participant: o.Participant}
		sm.youths[o.Cluster] = yt
		if o.Participant {
			sm.nYouth[1]++
		} else {
			sm.nYouth[0]++
		}
	} else if yt.participant != o.Participant {
		return refuse(ErrInvalidInput, DetailBothGroups, o.Cluster)
	}
	sm.keep = append(sm.keep, i)
	sm.clusterOf = append(sm.clusterOf, yt.id)
	if o.Y {
		sm.nY1++
	}
	if o.HasRel {
		grp := 0
		if o.Participant {
			grp = 1
		} else {
			sm.compHasRel = true
		}
		sm.relCount[o.RelYear-opt.MinRel][grp]++
	} else {
		sm.compNoRel = true
	}
	sm.years[o.Year] = true
	sm.genders[g]++
	sm.ages[o.Age] = true
	return nil
}

// check refuses a sample with too few youths in a group, no variation in
// the outcome or an empty relative-year cell.
func (sm *sample) check(opt FitOptions) error {
	nYouth, nY1, keep, compHasRel := sm.nYouth, sm.nY1, sm.keep, sm.compHasRel
	if nYouth[1] < opt.MinYouthsPerGroup || nYouth[0] < opt.MinYouthsPerGroup {
		return refuse(ErrTooFewYouths, DetailGroupSizes, nYouth[1], nYouth[0], opt.MinYouthsPerGroup)
	}
	if nY1 == 0 || nY1 == len(keep) {
		return refuse(ErrNoVariation, DetailOutcomeShare, nY1, len(keep))
	}
	for k := opt.MinRel; k <= opt.MaxRel; k++ {
		c := sm.relCount[k-opt.MinRel]
		if c[1] == 0 {
			return refuse(ErrEmptyCell, DetailNoParticipantsYear, signed(k))
		}
		if compHasRel && c[0] == 0 {
			return refuse(ErrEmptyCell, DetailNoComparisonYear, signed(k))
		}
	}
	return nil
}

// designCols names the model matrix's indicator columns (-1 = none).
type designCols struct {
	part, noRel int32
	rel, inter  []int32 // rel[k] and participant:rel[k], by k − MinRel
	gender      map[string]int32
	year        map[int]int32
}

// columns lays out the model's columns for the sample: intercept,
// participant, the relative-year terms, no_rel, the age terms, gender and
// year dummies.
func (sm *sample) columns(opt FitOptions) (*design, designCols) {
	d := &design{ageCol: -1, age2Col: -1}
	add := func(name string) int32 {
		d.names = append(d.names, name)
		return int32(len(d.names) - 1)
	}
	add("intercept")
	cols := designCols{part: add("participant"), noRel: -1}
	cols.rel, cols.inter = sm.relColumns(opt, add)
	if sm.compHasRel && sm.compNoRel {
		cols.noRel = add("no_rel")
	}
	if len(sm.ages) >= 2 {
		d.ageCol = int(add("age"))
	}
	if len(sm.ages) >= 3 {
		d.age2Col = int(add("age2"))
	}
	cols.gender = sm.genderColumns(add)
	cols.year = sm.yearColumns(add)
	d.k = len(d.names)
	return d, cols
}

// relColumns adds rel[k] (when comparison youths have relative years) and
// participant:rel[k] for every k in the window but the reference year.
func (sm *sample) relColumns(opt FitOptions, add func(string) int32) (colRel, colInt []int32) {
	nRel := opt.MaxRel - opt.MinRel + 1
	colRel = make([]int32, nRel)
	colInt = make([]int32, nRel)
	for i := range colRel {
		colRel[i], colInt[i] = -1, -1
	}
	if sm.compHasRel {
		for k := opt.MinRel; k <= opt.MaxRel; k++ {
			if k != opt.RefRel {
				colRel[k-opt.MinRel] = add(relName(k))
			}
		}
	}
	for k := opt.MinRel; k <= opt.MaxRel; k++ {
		if k != opt.RefRel {
			colInt[k-opt.MinRel] = add("participant:" + relName(k))
		}
	}
	return colRel, colInt
}

// genderColumns adds a dummy for each present gender but the reference
// ("male", else the first present of female, other).
func (sm *sample) genderColumns(add func(string) int32) map[string]int32 {
	refG := ""
	for _, g := range []string{"male", "female", "other"} {
		if sm.genders[g] > 0 {
			refG = g
			break
		}
	}
	colGender := map[string]int32{}
	for _, g := range []string{"female", "male", "other"} {
		if g != refG && sm.genders[g] > 0 {
			colGender[g] = add("gender[" + g + "]")
		}
	}
	return colGender
}

// yearColumns adds a dummy for each present calendar year but the first.
func (sm *sample) yearColumns(add func(string) int32) map[int]int32 {
	yearList := make([]int, 0, len(sm.years))
	for y := range sm.years {
		yearList = append(yearList, y)
	}
	slices.Sort(yearList)
	colYear := map[int]int32{}
	for _, y := range yearList[1:] {
		colYear[y] = add("year[" + strconv.Itoa(y) + "]")
	}
	return colYear
}

// fillRows writes the kept observations as rows grouped by youth
// (counting sort on the dense youth index).
func (d *design) fillRows(obs []Obs, sm *sample, cols designCols, opt FitOptions) {
	nClust := len(sm.youths)
	start := make([]int, nClust+1)
	for _, c := range sm.clusterOf {
		start[c+1]++
	}
	for i := 1; i <= nClust; i++ {
		start[i] += start[i-1]
	}
	n := len(sm.keep)
	d.nClust = nClust
	d.ind = make([]int32, n*nSlots)
	d.age = make([]float64, n)
	d.y = make([]bool, n)
	d.cluster = make([]int32, n)
	d.cell = make([]int16, n)
	d.cfCell = make([]int16, n)
	for j, oi := range sm.keep {
		c := sm.clusterOf[j]
		i := start[c]
		start[c]++
		d.setRow(i, c, &obs[oi], cols, opt, sm.compHasRel)
	}
}

// setRow writes observation o of youth c as row i: its outcome, age,
// indicator columns and cells.
func (d *design) setRow(i int, c int32, o *Obs, cols designCols, opt FitOptions, compHasRel bool) {
	nRel := opt.MaxRel - opt.MinRel + 1
	d.cluster[i] = c
	d.y[i] = o.Y
	d.age[i] = float64(o.Age - 15)
	s := d.ind[i*nSlots : (i+1)*nSlots]
	for t := range s {
		s[t] = -1
	}
	s[0] = 0
	d.cell[i], d.cfCell[i] = -1, -1
	if o.Participant {
		s[1] = cols.part
	}
	if o.HasRel {
		r := o.RelYear - opt.MinRel
		s[2] = cols.rel[r]
		if o.Participant {
			s[3] = cols.inter[r]
			d.cell[i] = int16(r)
			if !compHasRel {
				d.cfCell[i] = int16(nRel + r)
			}
		} else {
			d.cell[i] = int16(nRel + r)
		}
	} else {
		s[4] = cols.noRel
	}
	if c, ok := cols.gender[normGender(o.Gender)]; ok {
		s[5] = c
	}
	if c, ok := cols.year[o.Year]; ok {
		s[6] = c
	}
}

func signed(k int) string {
	if k > 0 {
		return "+" + strconv.Itoa(k)
	}
	return strconv.Itoa(k)
}

// checkSeparationByTerm refuses when some indicator term has only zeros or
// only ones in the outcome among its person-years: then its coefficient
// runs to ±∞ (quasi-complete separation) and the fit cannot exist. Naming
// the term gives a more useful message than non-convergence would.
func (d *design) checkSeparationByTerm() error {
	ones := make([]int, d.k)
	tot := make([]int, d.k)
	for i := 0; i < d.n(); i++ {
		for _, c := range d.ind[i*nSlots : (i+1)*nSlots] {
			if c < 0 {
				continue
			}
			tot[c]++
			if d.y[i] {
				ones[c]++
			}
		}
	}
	for c := 1; c < d.k; c++ {
		if tot[c] == 0 || c == d.ageCol || c == d.age2Col {
			continue
		}
		if ones[c] == 0 || ones[c] == tot[c] {
			detail := DetailTermNone
			if ones[c] == tot[c] {
				detail = DetailTermAll
			}
			return refuse(ErrSeparation, detail, tot[c], d.names[c])
		}
	}
	return nil
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// pass computes the log-likelihood, the gradient X'(y−p) and the upper
// triangle of X'WX (row-major k×k) at beta, and the largest |η|.
func (d *design) pass(beta, grad, hess []float64) (ll, maxEta float64) {
	clear(grad)
	clear(hess)
	k := d.k
	cols := make([]int, nSlots+2)
	vals := make([]float64, nSlots+2)
	for i := 0; i < d.n(); i++ {
		m := d.row(i, cols, vals, false)
		eta := 0.0
		for t := 0; t < m; t++ {
			eta += beta[cols[t]] * vals[t]
		}
		// One exp gives both p and softplus(η) = log(1+e^η).
		e := math.Exp(-math.Abs(eta))
		p, sp := 1/(1+e), math.Log1p(e)
		if eta < 0 {
			p = e / (1 + e)
		} else {
			sp += eta
		}
		y := 0.0
		if d.y[i] {
			y = 1
		}
		ll += y*eta - sp
		if a := math.Abs(eta); a > maxEta {
			maxEta = a
		}
		r := y - p
		w := p * (1 - p)
		for t := 0; t < m; t++ {
			ct, vt := cols[t], vals[t]
			grad[ct] += r * vt
			wv := w * vt
			for u := 0; u < m; u++ {
				if cu := cols[u]; cu >= ct {
					hess[ct*k+cu] += wv * vals[u]
				}
			}
		}
	}
	return ll, maxEta
}

func symFromUpper(k int, upper []float64) *mat.SymDense {
	s := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			s.SetSym(a, b, upper[a*k+b])
		}
	}
	return s
}

// irls runs Newton–Raphson (for the logit identical to IRLS) from the
// intercept-only start, halving steps that lower the log-likelihood, until
// every step is below 1e-9·(1+|β|).
func (d *design) irls(maxIter int) ([]float64, int, error) {
	k := d.k
	beta := make([]float64, k)
	ny := 0
	for _, y := range d.y {
		if y {
			ny++
		}
	}
	ybar := float64(ny) / float64(d.n())
	beta[0] = math.Log(ybar / (1 - ybar))
	grad := make([]float64, k)
	hess := make([]float64, k*k)
	prev := make([]float64, k)
	prevLL := math.Inf(-1)
	step := mat.NewVecDense(k, nil)
	var chol mat.Cholesky
	halvings := 0
	for iter := 1; iter <= maxIter; iter++ {
		ll, maxEta := d.pass(beta, grad, hess)
		if ll < prevLL-1e-12*math.Abs(prevLL) && halvings < 30 {
			halvings++
			for j := range beta {
				beta[j] = (beta[j] + prev[j]) / 2
			}
			continue
		}
		halvings = 0
		if ok := chol.Factorize(symFromUpper(k, hess)); !ok || chol.Cond() > 1e13 {
			if iter == 1 || maxEta < 15 {
				return nil, iter, refuse(ErrSingular, DetailCollinear)
			}
			return nil, iter, refuse(ErrSeparation, DetailProbsExtreme)
		}
		if err := chol.SolveVecTo(step, mat.NewVecDense(k, grad)); err != nil {
			return nil, iter, refuse(ErrSingular, DetailUnsolvable)
		}
		copy(prev, beta)
		prevLL = ll
		done := true
		for j := range beta {
			s := step.AtVec(j)
			if math.IsNaN(s) || math.IsInf(s, 0) {
				return nil, iter, refuse(ErrSeparation, DetailDiverged)
			}
			beta[j] += s
			if math.Abs(s) > 1e-9*(1+math.Abs(beta[j])) {
				done = false
			}
		}
		if done {
			return beta, iter, nil
		}
	}
	return nil, maxIter, refuse(ErrSeparation, DetailNoConvergence, maxIter)
}

// finish computes the covariances at beta, the coefficient table and the
// cells.
func (d *design) finish(beta []float64, res *Result) error {
	cov, err := d.information(beta, res)
	if err != nil {
		return err
	}
	sums := d.rowSums(beta, res.Cells)
	ccov := d.clusterCovariance(cov, sums.meat)
	res.cov, res.clusterCov = cov, ccov
	res.Coefs = make([]Coef, d.k)
	for j := range res.Coefs {
		res.Coefs[j] = Coef{
			Name:      d.names[j],
			Estimate:  beta[j],
			SE:        math.Sqrt(cov.At(j, j)),
			ClusterSE: math.Sqrt(math.Max(ccov.At(j, j), 0)),
		}
	}
	sums.setCellProbs(ccov)
	return nil
}

// information refuses an estimate at the edge of separation, stores the
// log-likelihood in res and returns the model-based covariance, the
// inverse of X'WX at beta.
func (d *design) information(beta []float64, res *Result) (*mat.SymDense, error) {
	k := d.k
	for _, b := range beta {
		if math.Abs(b) > 30 {
			return nil, refuse(ErrSeparation, DetailHugeCoef)
		}
	}
	grad := make([]float64, k)
	hess := make([]float64, k*k)
	ll, maxEta := d.pass(beta, grad, hess)
	if maxEta > 30 {
		return nil, refuse(ErrSeparation, DetailFittedExtreme)
	}
	res.LogLik = ll
	var chol mat.Cholesky
	if ok := chol.Factorize(symFromUpper(k, hess)); !ok {
		return nil, refuse(ErrSingular, DetailInfoSingular)
	}
	cov := mat.NewSymDense(k, nil)
	if err := chol.InverseTo(cov); err != nil {
		return nil, refuse(ErrSingular, DetailInfoNotInvertible)
	}
	return cov, nil
}

// finishSums are finish's running sums over the rows at beta: the meat of
// the sandwich, Σ_g s_g s_g' with s_g the youth's summed score (rows are
// grouped by youth), and per cell the summed probabilities and their
// gradients, counting the cell's person-years and youths.
type finishSums struct {
	d            *design
	beta         []float64
	cells        []Cell
	meat, score  []float64
	cols         []int
	vals         []float64
	cellP, cellG []float64
	lastYouth    []int32
}

// rowSums makes one pass over the rows at beta.
func (d *design) rowSums(beta []float64, cells []Cell) *finishSums {
	k, n := d.k, d.n()
	nCells := len(cells)
	s := &finishSums{
		d: d, beta: beta, cells: cells,
		meat:      make([]float64, k*k),
		score:     make([]float64, k),
		cols:      make([]int, nSlots+2),
		vals:      make([]float64, nSlots+2),
		cellP:     make([]float64, nCells),
		cellG:     make([]float64, nCells*k),
		lastYouth: make([]int32, nCells),
	}
	for i := range s.lastYouth {
		s.lastYouth[i] = -1
	}
	for i := 0; i < n; i++ {
		if i > 0 && d.cluster[i] != d.cluster[i-1] {
			s.flush()
		}
		s.addScore(i)
		if d.cell[i] >= 0 {
			s.addCell(int(d.cell[i]), i, false)
		}
		if d.cfCell[i] >= 0 {
			s.addCell(int(d.cfCell[i]), i, true)
		}
	}
	s.flush()
	return s
}

// flush adds the finished youth's score outer product to the meat.
func (s *finishSums) flush() {
	k, meat, score := s.d.k, s.meat, s.score
	for a := 0; a < k; a++ {
		if score[a] == 0 {
			continue
		}
		for b := a; b < k; b++ {
			meat[a*k+b] += score[a] * score[b]
		}
	}
	clear(score)
}

// addScore adds row i's score to its youth's.
func (s *finishSums) addScore(i int) {
	d, beta, cols, vals := s.d, s.beta, s.cols, s.vals
	m := d.row(i, cols, vals, false)
	eta := 0.0
	for t := 0; t < m; t++ {
		eta += beta[cols[t]] * vals[t]
	}
	r := -sigmoid(eta)
	if d.y[i] {
		r++
	}
	for t := 0; t < m; t++ {
		s.score[cols[t]] += r * vals[t]
	}
}

// addCell adds row i's probability and its gradient to cell ci; with cf
// the participant terms are left out (a counterfactual cell).
func (s *finishSums) addCell(ci int, i int, cf bool) {
	d, beta, cols, vals, k := s.d, s.beta, s.cols, s.vals, s.d.k
	m := d.row(i, cols, vals, cf)
	eta := 0.0
	for t := 0; t < m; t++ {
		eta += beta[cols[t]] * vals[t]
	}
	p := sigmoid(eta)
	c := &s.cells[ci]
	c.Obs++
	if s.lastYouth[ci] != d.cluster[i] {
		s.lastYouth[ci] = d.cluster[i]
		c.Youths++
	}
	s.cellP[ci] += p
	w := p * (1 - p)
	for t := 0; t < m; t++ {
		s.cellG[ci*k+cols[t]] += w * vals[t]
	}
}

// clusterCovariance is the sandwich V = c · B M B with B = cov, M = meat
// (upper triangle) and c the small-sample factor G/(G−1)·(N−1)/(N−K).
func (d *design) clusterCovariance(cov *mat.SymDense, meat []float64) *mat.SymDense {
	k, n := d.k, d.n()
	var bm, sand mat.Dense
	bm.Mul(cov, symFromUpper(k, meat))
	sand.Mul(&bm, cov)
	G, N, K := float64(d.nClust), float64(n), float64(k)
	factor := G / (G - 1) * (N - 1) / (N - K)
	ccov := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			ccov.SetSym(a, b, factor*(sand.At(a, b)+sand.At(b, a))/2)
		}
	}
	return ccov
}

// setCellProbs turns the cell sums into each cell's mean probability, its
// gradient and its delta-method interval on the cluster-robust covariance.
func (s *finishSums) setCellProbs(ccov *mat.SymDense) {
	k := s.d.k
	for ci := range s.cells {
		c := &s.cells[ci]
		if c.Obs == 0 {
			continue
		}
		inv := 1 / float64(c.Obs)
		g := mat.NewVecDense(k, s.cellG[ci*k:(ci+1)*k])
		g.ScaleVec(inv, g)
		c.Prob = s.cellP[ci] * inv
		c.grad = g
		c.SE = math.Sqrt(math.Max(mat.Inner(g, ccov, g), 0))
		c.Lower = math.Max(0, c.Prob-1.96*c.SE)
		c.Upper = math.Min(1, c.Prob+1.96*c.SE)
	}
}

// Difference is the participants' minus the comparison group's average
// predicted probability in one relative year (percentage points / 100):
// the figure behind "about 15 percentage points one year after". The 95 %
// interval comes from the delta method on the cluster-robust covariance,
// accounting for the two cells sharing coefficients. Youths is the
// smaller of the two cells' counts; do not show differences with
// Youths < MinChartCellYouths.
type Difference struct {
	RelYear        int
	Youths         int
	Diff, SE       float64
	Lower, Upper   float64
	Counterfactual bool
}

// Differences returns one Difference per relative year in the window
// where both cells have person-years.
func (r *Result) Differences() []Difference {
	var out []Difference
	for k := r.Options.MinRel; k <= r.Options.MaxRel; k++ {
		p, okP := r.Cell(true, k)
		c, okC := r.Cell(false, k)
		if !okP || !okC || p.grad == nil || c.grad == nil || r.clusterCov == nil {
			continue
		}
		var g mat.VecDense
		g.SubVec(p.grad, c.grad)
		se := math.Sqrt(math.Max(mat.Inner(&g, r.clusterCov, &g), 0))
		d := p.Prob - c.Prob
		out = append(out, Difference{
			RelYear: k, Youths: min(p.Youths, c.Youths), Diff: d, SE: se,
			Lower: d - 1.96*se, Upper: d + 1.96*se, Counterfactual: c.Counterfactual,
		})
	}
	return out
}

// GenderSplit holds the fit on everyone and separate fits per gender (each
// with its own effects), as in VIVE's figures by gender. A gender the data
// cannot support has its refusal in Refused instead of a Result.
type GenderSplit struct {
	All     *Result
	Female  *Result
	Male    *Result
	Refused map[string]error
	// DroppedYears are calendar years left out before fitting because
	// nobody (or everybody) in them had a leisure job (Exporter.Estimate).
	DroppedYears []int
}

// inGroup notes on a refusal which subgroup's fit it refused.
func inGroup(err error, group string) error {
	var re *RefusalError
	if errors.As(err, &re) {
		re.Group = group
	}
	return err
}

// FitByGender fits the model on everyone and on girls and boys separately.
// It fails only when the fit on everyone fails.
func FitByGender(obs []Obs, opt FitOptions) (*GenderSplit, error) {
	opt.Gender = ""
	all, err := Fit(obs, opt)
	if err != nil {
		return nil, inGroup(err, "all")
	}
	s := &GenderSplit{All: all, Refused: map[string]error{}}
	for _, g := range []string{"female", "male"} {
		o := opt
		o.Gender = g
		r, err := Fit(obs, o)
		if err != nil {
			s.Refused[g] = inGroup(err, g)
			continue
		}
		if g == "female" {
			s.Female = r
		} else {
			s.Male = r
		}
	}
	return s, nil
}
