package people

import (
	"errors"
	"testing"
)

func TestGuardianLinks(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	b := mustArea(t, s, "Solsikkehaven")
	kid, err := s.CreateUser(youthUser(a.ID, "aya", "2016-02-02"))
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name string, area uint64, role Role) User {
		u, err := s.CreateUser(NewUser{Username: name, DisplayName: name, Secret: "lang-nok-kode-1", SecretKind: SecretPassword,
			Memberships: []Membership{{AreaID: area, Role: role}}})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	mother := mk("hanne", a.ID, RoleGuardian)
	coord := mk("mette", a.ID, RoleCoordinator)
	stranger := mk("ukendt", b.ID, RoleGuardian)
	if err := s.LinkGuardian(a.ID, kid.ID, coord.ID); !errors.Is(err, ErrNotGuardian) {
		t.Fatalf("coordinator as guardian: %v", err)
	}
	if err := s.LinkGuardian(a.ID, kid.ID, stranger.ID); !errors.Is(err, ErrNotGuardian) {
		t.Fatalf("guardian of another area: %v", err)
	}
	if err := s.LinkGuardian(a.ID, kid.ID, mother.ID); err != nil {
		t.Fatal(err)
	}
	kids, err := s.Children(a.ID, mother.ID)
	if err != nil || len(kids) != 1 || kids[0].User.DisplayName != "Søren Ørsted" {
		t.Fatalf("children: %+v %v", kids, err)
	}
	if ok, _ := s.IsGuardianOf(a.ID, stranger.ID, kid.ID); ok {
		t.Fatal("unlinked guardian counts as guardian")
	}
}
