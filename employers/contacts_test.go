package employers

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"fritidsjob/fault"
	"fritidsjob/people"
)

// TestContactChangesAreNotLost: contacts added at the same time all stay,
// and a change of the employer's details keeps them (each change reads
// the stored list in its own transaction).
func TestContactChangesAreNotLost(t *testing.T) {
	e := newEnv(t, nil)
	emp := e.employer("Føtex", "1234567")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.svc.AddContact(e.area.ID, emp.ID, Contact{Name: fmt.Sprintf("Kontakt %d", i)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if _, err := e.svc.UpdateDetails(e.area.ID, emp.ID, NewEmployer{Name: "Føtex Gellerup", CVR: emp.CVR}); err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.Employer(e.area.ID, emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Contacts) != 8 || got.Name != "Føtex Gellerup" {
		t.Fatalf("%q with %d contacts, want the new name and all 8", got.Name, len(got.Contacts))
	}
	if _, err := e.svc.AddContact(e.area.ID, emp.ID, Contact{Name: "  "}); !isInvalid(err, "contact_name", "required") {
		t.Errorf("a nameless contact: %v", err)
	}
	for i := 8; i < maxContacts; i++ {
		if _, err := e.svc.AddContact(e.area.ID, emp.ID, Contact{Name: fmt.Sprintf("Kontakt %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.AddContact(e.area.ID, emp.ID, Contact{Name: "En for mange"}); !isInvalid(err, "contacts", "too_many") {
		t.Errorf("contact number %d: %v", maxContacts+1, err)
	}
}

// TestRemoveContact: a contact is removed only while the list still holds
// it at that place; a removed contact's login no longer reaches the
// employer's candidates.
func TestRemoveContact(t *testing.T) {
	e := newEnv(t, nil)
	login := e.user(people.RoleEmployer)
	emp := e.employer("Netto", "5555555", Contact{Name: "Anna"}, Contact{Name: "Bo", UserID: login})
	y := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	if _, err := e.svc.ShareYouth(e.area.ID, emp.ID, y, 1, e.clk.Now(), false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CandidateFor(e.area.ID, emp.ID, y, login); err != nil {
		t.Fatalf("the contact before removal: %v", err)
	}
	if _, err := e.svc.RemoveContact(e.area.ID, emp.ID, 1, "Anna"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a stale place: %v, want ErrNotFound", err)
	}
	if _, err := e.svc.RemoveContact(e.area.ID, emp.ID, 7, "Bo"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no such place: %v, want ErrNotFound", err)
	}
	got, err := e.svc.RemoveContact(e.area.ID, emp.ID, 1, "Bo")
	if err != nil || len(got.Contacts) != 1 || got.Contacts[0].Name != "Anna" {
		t.Fatalf("remove Bo: %+v, %v", got.Contacts, err)
	}
	if _, err := e.svc.CandidateFor(e.area.ID, emp.ID, y, login); !errors.Is(err, ErrNotContact) {
		t.Errorf("the removed contact's login still reaches the candidate: %v", err)
	}
}

// TestUpdateContact: a contact is corrected in place; a stale place, a bad
// e-mail or another contact's login changes nothing; a login taken away
// stops reaching the employer's candidates.
func TestUpdateContact(t *testing.T) {
	e := newEnv(t, nil)
	login := e.user(people.RoleEmployer)
	emp := e.employer("Netto", "5555556", Contact{Name: "Anna", Phone: "11 11 11 11"}, Contact{Name: "Bo", UserID: login})
	y := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	if _, err := e.svc.ShareYouth(e.area.ID, emp.ID, y, 1, e.clk.Now(), false); err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.UpdateContact(e.area.ID, emp.ID, 0, "Anna", Contact{Name: "Anna Holm", Phone: "22 22 22 22", Email: "anna@netto.dk"})
	if err != nil || len(got.Contacts) != 2 || got.Contacts[0] != (Contact{Name: "Anna Holm", Phone: "22 22 22 22", Email: "anna@netto.dk"}) || got.Contacts[1].Name != "Bo" {
		t.Fatalf("update Anna: %+v, %v", got.Contacts, err)
	}
	for _, c := range []struct {
		i    int
		name string
		ct   Contact
		want func(error) bool
	}{
		{0, "Anna", Contact{Name: "X"}, func(err error) bool { return errors.Is(err, ErrNotFound) }}, // renamed since the page was shown
		{5, "Bo", Contact{Name: "X"}, func(err error) bool { return errors.Is(err, ErrNotFound) }},
		{0, "Anna Holm", Contact{Name: "Anna", Email: "ikke-en-mail"}, func(err error) bool {
			var inv *fault.Error
			return errors.As(err, &inv) && inv.Field == "contact_email"
		}},
		{0, "Anna Holm", Contact{Name: "Anna", UserID: login}, func(err error) bool { // Bo has that login
			var inv *fault.Error
			return errors.As(err, &inv) && inv.Field == "contact_user" && inv.Code == "taken"
		}},
	} {
		if _, err := e.svc.UpdateContact(e.area.ID, emp.ID, c.i, c.name, c.ct); !c.want(err) {
			t.Errorf("update %d %q to %+v: %v", c.i, c.name, c.ct, err)
		}
	}
	after, err := e.svc.Employer(e.area.ID, emp.ID)
	if err != nil || after.Contacts[0].Name != "Anna Holm" || after.Contacts[1].UserID != login {
		t.Fatalf("a refused update changed the list: %+v, %v", after.Contacts, err)
	}
	if _, err := e.svc.UpdateContact(e.area.ID, emp.ID, 1, "Bo", Contact{Name: "Bo", Phone: "33"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CandidateFor(e.area.ID, emp.ID, y, login); !errors.Is(err, ErrNotContact) {
		t.Errorf("a login taken from the contact still reaches the candidate: %v", err)
	}
}
