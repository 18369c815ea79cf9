package employers

import (
	"errors"
	"testing"
)

func TestValidCVR(t *testing.T) {
	// Valid numbers are computed from the weights, so the table does not
	// depend on real companies.
	var valid []string
	for _, p := range []string{"1015081", "2132436", "2989130", "3376180", "4400000", "5555555", "8765432", "9999999"} {
		if c := validCVR(p); c != "" {
			valid = append(valid, c)
		}
	}
	if len(valid) < 5 {
		t.Fatalf("too few valid examples: %v", valid)
	}
	for _, c := range valid {
		if err := ValidCVR(c); err != nil {
			t.Errorf("ValidCVR(%q) = %v, want nil", c, err)
		}
	}
	for _, tc := range []struct{ in, code string }{
		{"", "format"},
		{"1234567", "format"},
		{"123456789", "format"},
		{"1234567a", "format"},
		{"1234 678", "format"},
		{"01234567", "format"},
		{"１２３４５６７８", "format"},
		{"12345678", "checksum"}, // weighted sum 114
		{"87654321", "checksum"},
		{"11111111", "checksum"}, // weighted sum 30
	} {
		err := ValidCVR(tc.in)
		if !isInvalid(err, "cvr", tc.code) {
			t.Errorf("ValidCVR(%q) = %v, want cvr/%s", tc.in, err, tc.code)
		}
	}
	// Changing any one digit of a valid number breaks the checksum (the
	// weights are all non-zero modulo 11).
	c := valid[0]
	for i := range 8 {
		b := []byte(c)
		b[i] = '0' + (b[i]-'0'+1)%10
		if b[0] == '0' {
			continue
		}
		if err := ValidCVR(string(b)); err == nil {
			t.Errorf("ValidCVR(%q) accepted a one-digit change of %s", b, c)
		}
	}
}

func TestCreateEmployer(t *testing.T) {
	e := newEnv(t, nil)
	emp := e.employer("Brugsen", "2132436")
	if _, err := e.svc.CreateEmployer(e.area.ID, NewEmployer{Name: "Kopi", CVR: emp.CVR}); !errors.Is(err, ErrDuplicateCVR) {
		t.Fatalf("duplicate CVR: %v", err)
	}
	if _, err := e.svc.CreateEmployer(e.area.ID, NewEmployer{Name: "Forkert", CVR: "12345678"}); !isInvalid(err, "cvr", "checksum") {
		t.Fatalf("bad CVR: %v", err)
	}
	// Another area may register the same company.
	other, err := e.ppl.CreateArea("Gellerup", "Aarhus")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateEmployer(other.ID, NewEmployer{Name: "Brugsen", CVR: emp.CVR}); err != nil {
		t.Fatalf("same CVR in another area: %v", err)
	}
	// A contact's user must be an employer contact of the area.
	coord := e.user("coordinator")
	_, err = e.svc.CreateEmployer(e.area.ID, NewEmployer{Name: "Netto", CVR: validCVR("5555555"),
		Contacts: []Contact{{Name: "Kim", UserID: coord}}})
	if !isInvalid(err, "contact_user", "not_employer_contact") {
		t.Fatalf("coordinator as contact: %v", err)
	}
	list, err := e.svc.Employers(e.area.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("employers = %v, %v", list, err)
	}
	// Updating to a CVR another employer holds is refused.
	emp2 := e.employer("Netto", "5555555")
	if _, err := e.svc.UpdateEmployer(e.area.ID, emp2.ID, NewEmployer{Name: "Netto", CVR: emp.CVR}); !errors.Is(err, ErrDuplicateCVR) {
		t.Fatalf("update to taken CVR: %v", err)
	}
	e.check()
}
