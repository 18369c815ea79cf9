package main

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/people"
	"fritidsjob/store/bolt"
)

// withPeople opens the data directory's store in the test process (the
// binary must not be running on it) and runs fn.
func withPeople(t *testing.T, data string, fn func(*people.Service)) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(data, "fritidsjob.db"), bolt.Options{LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fn(peoplekit.New(t, db, nil))
}

// TestUserCommands runs 'fritidsjob user disable|enable|reset-password|
// roles' on a real data directory and checks the store afterwards.
func TestUserCommands(t *testing.T) {
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "secret"), append(testkit.Secret(), '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	var area people.Area
	withPeople(t, data, func(ppl *people.Service) {
		var err error
		if area, err = ppl.CreateArea("Blåbærparken", "Aarhus"); err != nil {
			t.Fatal(err)
		}
		amira := peoplekit.Youth(area.ID, "amira", people.Date{Year: 2010, Month: 4, Day: 5})
		amira.DisplayName, amira.Youth.School = "Amira Haddad", people.SchoolFinished9
		for _, n := range []people.NewUser{
			{Username: "boss", DisplayName: "Bo Ssø", Secret: "et-langt-kodeord-42", SecretKind: people.SecretPassword, Admin: true},
			{Username: "mette", DisplayName: "Mette Søgaard", Secret: "et-langt-kodeord-42", SecretKind: people.SecretPassword,
				Memberships: []people.Membership{{AreaID: area.ID, Role: people.RoleTaskOwner}}},
			amira,
		} {
			if _, err := ppl.CreateUser(n); err != nil {
				t.Fatal(err)
			}
		}
	})
	areaID := strconv.FormatUint(area.ID, 10)
	run := func(wantOK bool, args ...string) result {
		t.Helper()
		r := runCmd(t, "", 30*time.Second, append([]string{"user"}, append(args, "-data", data)...)...)
		if (r.code == 0) != wantOK {
			t.Fatalf("fritidsjob user %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		return r
	}

	run(true, "disable", "-username", "mette")
	withPeople(t, data, func(ppl *people.Service) {
		if _, err := ppl.Login("mette", "et-langt-kodeord-42", "10.0.0.1"); !errors.Is(err, people.ErrDisabled) {
			t.Fatalf("login after disable: %v", err)
		}
	})
	run(true, "enable", "-username", "mette")
	withPeople(t, data, func(ppl *people.Service) {
		if _, err := ppl.Login("mette", "et-langt-kodeord-42", "10.0.0.1"); err != nil {
			t.Fatalf("login after enable: %v", err)
		}
	})
	if r := run(false, "disable", "-username", "boss"); !strings.Contains(r.stderr, "administrator") {
		t.Errorf("disabling the last admin should say why:\n%s", r.stderr)
	}
	if r := run(false, "disable", "-username", "nobody"); !strings.Contains(r.stderr, "nobody") {
		t.Errorf("an unknown user should be named:\n%s", r.stderr)
	}

	r := run(true, "reset-password", "-username", "mette")
	m := regexp.MustCompile(`(?m)^([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})$`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("reset-password printed no temporary password:\n%s", r.stdout)
	}
	r = run(true, "reset-password", "-username", "amira")
	pin := regexp.MustCompile(`(?m)^(\d{6})$`).FindStringSubmatch(r.stdout)
	if pin == nil {
		t.Fatalf("reset-password of a youth printed no PIN:\n%s", r.stdout)
	}
	withPeople(t, data, func(ppl *people.Service) {
		if _, err := ppl.Login("mette", "et-langt-kodeord-42", "10.0.0.2"); !errors.Is(err, people.ErrBadCredentials) {
			t.Fatalf("old password: %v", err)
		}
		if _, err := ppl.Login("mette", m[1], "10.0.0.2"); err != nil {
			t.Fatalf("temporary password: %v", err)
		}
		if _, err := ppl.Login("amira", pin[1], "10.0.0.3"); err != nil {
			t.Fatalf("new PIN: %v", err)
		}
	})

	r = run(true, "roles", "-username", "mette", "-add", "coordinator:"+areaID, "-add", "evaluator:"+areaID, "-remove", "task_owner:"+areaID)
	if !strings.Contains(r.stdout, "coordinator") || strings.Contains(r.stdout, "task_owner") {
		t.Errorf("roles should print the roles now held:\n%s", r.stdout)
	}
	withPeople(t, data, func(ppl *people.Service) {
		u, err := ppl.UserByUsername("mette")
		if err != nil {
			t.Fatal(err)
		}
		if !u.HasRole(area.ID, people.RoleCoordinator) || !u.HasRole(area.ID, people.RoleEvaluator) || u.HasRole(area.ID, people.RoleTaskOwner) {
			t.Fatalf("memberships after roles: %+v", u.Memberships)
		}
		// Every change is in the access log, by the operator.
		entries, err := ppl.AccessLog(0)
		if err != nil {
			t.Fatal(err)
		}
		whats := map[string]int{}
		for _, e := range entries {
			if e.ActorRole == people.RoleOperator {
				whats[e.What]++
			}
		}
		for _, w := range []string{"user_disabled", "user_enabled", "password_reset", "pin_reset", "role_added", "role_removed"} {
			if whats[w] == 0 {
				t.Errorf("no %q entry by the operator in the access log (%v)", w, whats)
			}
		}
	})
	run(true, "roles", "-username", "mette") // no change: lists the roles
	if r := run(false, "roles", "-username", "amira", "-remove", "youth:"+areaID); !strings.Contains(r.stderr, "youth") {
		t.Errorf("removing the youth role should say why:\n%s", r.stderr)
	}
	if r := run(false, "roles", "-username", "mette", "-add", "coordinator"); !strings.Contains(r.stderr, "ROLE:AREA") {
		t.Errorf("a malformed -add should show the form:\n%s", r.stderr)
	}
	if r := run(false, "roles", "-username", "mette", "-add", "coordinator:999"); !strings.Contains(r.stderr, "999") {
		t.Errorf("an unknown area should be named:\n%s", r.stderr)
	}
	if r := runCmd(t, "", 10*time.Second, "user", "frobnicate"); r.code != 2 {
		t.Errorf("unknown user subcommand: exit %d", r.code)
	}
	// 'fritidsjob check' still finds everything consistent.
	if r := runCmd(t, "", 30*time.Second, "check", "-data", data); r.code != 0 {
		t.Fatalf("check after the user commands: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
