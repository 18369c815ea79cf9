package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestEmployerRegister: a coordinator registers an employer; an invalid or
// duplicate CVR is refused in Danish with the input kept; another area's
// coordinator does not see it.
func TestEmployerRegister(t *testing.T) {
	f := newFixture(t)
	coord := f.loggedIn("coordA")
	page := areaPath(f.areaA, "/employers")
	form := url.Values{"name": {"Føtex Gellerup"}, "cvr": {"12345678"}, "industry": {"Detailhandel"},
		"contact_name": {"Jørgen Ærø"}, "contact_phone": {"86 00 00 00"}}
	if resp, body := coord.post(page, page, form); resp.StatusCode != 400 || !strings.Contains(body, "kontrolcifferet passer ikke") || !strings.Contains(body, `value="Føtex Gellerup"`) {
		t.Fatalf("bad checksum: %d", resp.StatusCode)
	}
	form.Set("cvr", "1234567")
	if resp, body := coord.post(page, page, form); resp.StatusCode != 400 || !strings.Contains(body, "8 cifre") {
		t.Fatalf("7 digits: %d", resp.StatusCode)
	}
	form.Set("cvr", validCVR(1234567))
	if resp, _ := coord.post(page, page, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	if _, body := coord.get(page); !strings.Contains(body, "Føtex Gellerup") || !strings.Contains(body, "Jørgen Ærø") {
		t.Fatal("employer not listed")
	}
	if resp, body := coord.post(page, page, form); resp.StatusCode != 409 || !strings.Contains(body, "findes allerede") {
		t.Fatalf("duplicate CVR: %d", resp.StatusCode)
	}
	other := f.loggedIn("coordB")
	if _, body := other.get(areaPath(f.areaB, "/employers")); strings.Contains(body, "Føtex Gellerup") {
		t.Fatal("another area sees the employer")
	}
}

// validCVR turns 7 leading digits into a CVR whose weighted sum (2, 7, 6,
// 5, 4, 3, 2, 1) is divisible by 11, or "" when no last digit works.
func validCVR(first7 int) string {
	w := []int{2, 7, 6, 5, 4, 3, 2}
	d := []byte{}
	for _, r := range itoa(first7) {
		d = append(d, byte(r-'0'))
	}
	sum := 0
	for i, x := range d {
		sum += int(x) * w[i]
	}
	for last := 0; last <= 9; last++ {
		if (sum+last)%11 == 0 {
			return itoa(first7) + itoa(last)
		}
	}
	return ""
}
