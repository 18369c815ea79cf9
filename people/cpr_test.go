package people

import (
	"errors"
	"testing"

	"fritidsjob/fault"
)

func TestCPR(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	u, err := s.CreateUser(youthUser(a.ID, "mads", "2011-03-05"))
	if err != nil {
		t.Fatal(err)
	}
	var inv *fault.Error
	for in, code := range map[string]string{
		"050311-123":  "format",
		"05031x-1234": "format",
		"320311-4123": "date",       // 32 March
		"060311-4123": "birth_date", // a valid date, but not the youth's
		"050311-1234": "birth_date", // 7th digit 1: 1911, not 2011
	} {
		if err := s.SetCPR(a.ID, u.ID, in); !errors.As(err, &inv) || inv.Code != code {
			t.Errorf("SetCPR(%q) = %v, want %s", in, err, code)
		}
	}
	if err := s.SetCPR(a.ID, u.ID, "0503114123"); err != nil { // 7th digit 4, YY 11 → 2011
		t.Fatal(err)
	}
	if got, _ := s.CPR(a.ID, u.ID); got != "050311-4123" {
		t.Fatalf("CPR = %q", got)
	}
	// The birth date and the rest of the sealed profile survive the re-seal.
	if v, _ := s.Youth(a.ID, u.ID); v.Youth.BirthDate.String() != "2011-03-05" {
		t.Fatalf("birth date after SetCPR: %v", v.Youth.BirthDate)
	}
}
