package employers

import (
	"errors"
	"testing"
	"unicode/utf8"

	"fritidsjob/fault"
)

// FuzzValidCVR checks ValidCVR against its definition on any input: it
// never panics, accepts exactly the eight-digit numbers not starting with 0
// whose weighted digit sum is a multiple of 11, and refuses everything else
// with an *fault.Error on the field "cvr".
func FuzzValidCVR(f *testing.F) {
	for _, s := range []string{"", "0", "12345674", "35954716", "3595471", "359547160", "0123456", "01234567",
		"3595471a", "３５９５４７１６", "35954717", "\x00\x00\x00\x00\x00\x00\x00\x00", "ææææ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidCVR(s)
		want := len(s) == 8 && s[0] != '0'
		sum := 0
		for i, r := range []rune(s) {
			if !want || r < '0' || r > '9' {
				want = false
				break
			}
			sum += int(r-'0') * []int{2, 7, 6, 5, 4, 3, 2, 1}[i]
		}
		want = want && utf8.RuneCountInString(s) == 8 && sum%11 == 0
		if (err == nil) != want {
			t.Fatalf("ValidCVR(%q) = %v, want valid=%v", s, err, want)
		}
		var ie *fault.Error
		if err != nil && (!errors.As(err, &ie) || ie.Field != "cvr") {
			t.Fatalf("ValidCVR(%q) = %#v, want invalid input on cvr", s, err)
		}
	})
}
