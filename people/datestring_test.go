package people

import (
	"fmt"
	"testing"
	"time"
)

// TestDateStringMatchesSprintf: the hand-written format equals fmt's for
// ordinary dates and at and past every edge of the fast path.
func TestDateStringMatchesSprintf(t *testing.T) {
	for _, y := range []int{-10000, -1, 0, 1, 9, 10, 99, 100, 999, 1000, 2026, 9999, 10000, 123456} {
		for _, m := range []time.Month{-1, 0, 1, 9, 10, 12, 13, 99, 100} {
			for _, d := range []int{-1, 0, 1, 9, 10, 31, 99, 100} {
				date := Date{Year: y, Month: m, Day: d}
				if got, want := date.String(), fmt.Sprintf("%04d-%02d-%02d", y, m, d); got != want {
					t.Errorf("%d/%d/%d: %q, want %q", y, m, d, got, want)
				}
			}
		}
	}
}
