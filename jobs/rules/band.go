package rules

import "fritidsjob/people"

// Band is a young-worker age band; each band has its own rules.
type Band string

// The bands. BandYoung also holds 15–17-year-olds still in compulsory
// school; BandAdult has no young-worker rules.
const (
	BandUnder13 Band = "under13" // under 13: activity mode (points only), otherwise the young limits
	BandYoung   Band = "young"   // 13–14, or 15–17 still in compulsory school
	BandOlder   Band = "older"   // 15–17 and finished 9th grade
	BandAdult   Band = "adult"   // 18 and over
)

// Bands lists every band, youngest first.
var Bands = []Band{BandUnder13, BandYoung, BandOlder, BandAdult}

// Valid reports whether b is a known band.
func (b Band) Valid() bool {
	return b == BandUnder13 || b == BandYoung || b == BandOlder || b == BandAdult
}

// BandOf is the band of a youth born on birth with school status school, on
// day on. The stricter band wins where the data is missing: an unknown birth
// date gives BandUnder13, and a 15–17-year-old whose school status is not
// people.SchoolFinished9 is BandYoung.
func BandOf(birth people.Date, school people.SchoolStatus, on people.Date) Band {
	if birth.IsZero() {
		return BandUnder13
	}
	switch age := birth.AgeOn(on); {
	case age < 13:
		return BandUnder13
	case age >= 18:
		return BandAdult
	case age < 15 || school != people.SchoolFinished9:
		return BandYoung
	default:
		return BandOlder
	}
}
