package people

import (
	"errors"
	"testing"

	"fritidsjob/fault"
)

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"22345678": "+4522345678", "22 34 56 78": "+4522345678", "+45 22 34 56 78": "+4522345678",
		"0045-22345678": "+4522345678", "(+45) 22.34.56.78": "", "+4522345678": "+4522345678",
		"2234567": "", "223456789": "", "+46 701234567": "", "12345678": "", "02345678": "",
		"22 34 56 7a": "", "22+345678": "", "+45+22345678": "", "": "",
	} {
		got, err := NormalizePhone(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
		var f *fault.Error
		if err != nil && (!errors.As(err, &f) || f.Field != "phone") {
			t.Errorf("NormalizePhone(%q): %v is not a phone field error", in, err)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"ida@Example.DK": "ida@example.dk", " Ida.B@skole.dk ": "Ida.B@skole.dk",
		"Ida <ida@example.dk>": "", "ida@": "", "ida@localhost": "", "ida": "", "": "",
	} {
		got, err := NormalizeEmail(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
