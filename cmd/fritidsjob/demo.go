package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"fritidsjob/people"
)

// Demo logins, documented in README.md. Demo data goes only into an empty
// store, so these never exist in a real installation unless typed in.
const (
	demoPassword = "demo-kode-2026"
	demoPIN      = "2468"
)

type demoYouth struct {
	username, name string
	age            int
	gender         people.Gender
	school         people.SchoolStatus
	guardian       string
}

// demoYouths are 12 youths aged 10–17, girls and boys, with names that
// exercise æ, ø, å and letters beyond Danish.
var demoYouths = []demoYouth{
	{"amira", "Amira Haddad", 16, people.GenderFemale, people.SchoolFinished9, "Leila Haddad"},
	{"mads", "Mads Højgaard", 15, people.GenderMale, people.SchoolFinished9, "Søren Højgaard"},
	{"freja", "Freja Østergaard", 14, people.GenderFemale, people.SchoolCompulsory, "Birgitte Østergaard"},
	{"ali", "Ali Şahin", 13, people.GenderMale, people.SchoolCompulsory, "Ayşe Şahin"},
	{"nour", "Nour El-Amin", 12, people.GenderFemale, people.SchoolCompulsory, "Rania El-Amin"},
	{"jonas", "Jonas Bækgaard", 11, people.GenderMale, people.SchoolCompulsory, "Pia Bækgaard"},
	{"aya", "Aya Nørgaard", 10, people.GenderFemale, people.SchoolCompulsory, "Hanne Nørgaard"},
	{"mikkel", "Mikkel Løvstrøm", 17, people.GenderMale, people.SchoolFinished9, "Jens Løvstrøm"},
	{"zainab", "Zainab Ærenlund", 15, people.GenderFemale, people.SchoolCompulsory, "Fatima Ærenlund"},
	{"emil", "Emil Kjær", 14, people.GenderMale, people.SchoolCompulsory, "Lone Kjær"},
	{"hiba", "Hiba Åberg", 13, people.GenderFemale, people.SchoolCompulsory, "Samira Åberg"},
	{"oliver", "Oliver Dalsgård", 17, people.GenderMale, people.SchoolFinished9, "Tina Dalsgård"},
}

type demoStaff struct {
	username, name string
	role           people.Role // "" for the admin
}

var demoStaffList = []demoStaff{
	{"admin", "Ida Vestergård", ""},
	{"mette", "Mette Søgaard", people.RoleCoordinator},
	{"bjarne", "Bjarne Ærø", people.RoleTaskOwner},
	{"aase", "Åse Lindqvist", people.RoleEvaluator},
	{"hanne", "Hanne Nørgaard", people.RoleGuardian},
}

// seedDemo fills an empty store with the demo area and prints the logins.
// A store that already has accounts is left alone.
func seedDemo(ppl *people.Service, now time.Time, out io.Writer) error {
	n, err := ppl.UserCount()
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintln(out, "Demo: the store already has data, so no demo data was added.")
		printDemoLogins(out)
		return nil
	}
	area, err := ppl.CreateArea("Blåbærparken", "Aarhus Kommune")
	if err != nil {
		return err
	}
	for _, s := range demoStaffList {
		nu := people.NewUser{Username: s.username, DisplayName: s.name, Secret: demoPassword,
			SecretKind: people.SecretPassword, Lang: "da", Admin: s.role == ""}
		if s.role != "" {
			nu.Memberships = []people.Membership{{AreaID: area.ID, Role: s.role}}
		}
		if _, err := ppl.CreateUser(nu); err != nil {
			return err
		}
	}
	today := now.In(people.Copenhagen)
	for i, y := range demoYouths {
		// Birthdays spread over the year so ages are exact whatever today is.
		birth := people.DateOf(today.AddDate(-y.age, 0, -(30 + 25*i)))
		_, err := ppl.CreateUser(people.NewUser{
			Username: y.username, DisplayName: y.name, Secret: demoPIN, SecretKind: people.SecretPIN,
			Memberships: []people.Membership{{AreaID: area.ID, Role: people.RoleYouth}},
			Youth: &people.Youth{BirthDate: birth, Gender: y.gender, School: y.school,
				Guardians: []people.GuardianContact{{Name: y.guardian, Relation: "forælder"}}},
		})
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "Demo: added the area %q with %d staff and %d youths.\n", area.Name, len(demoStaffList), len(demoYouths))
	printDemoLogins(out)
	return nil
}

func printDemoLogins(out io.Writer) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "Demo logins:\tusername\tpassword/PIN")
	for _, s := range demoStaffList {
		role := string(s.role)
		if role == "" {
			role = "admin"
		}
		fmt.Fprintf(w, "  %s (%s)\t%s\t%s\n", s.name, role, s.username, demoPassword)
	}
	fmt.Fprintf(w, "  %d youths, e.g. %s\t%s\t%s\n", len(demoYouths), demoYouths[0].name, demoYouths[0].username, demoPIN)
	w.Flush()
}
