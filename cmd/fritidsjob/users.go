package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"fritidsjob/fault"
	"fritidsjob/people"
	"fritidsjob/store"
)

// The operator's user commands: the same changes an administrator makes
// at /admin/users, for when nobody can log in as one (the only admin's
// account is closed or its password lost). Like 'user add' they need the
// database to themselves: stop the server first. Each change goes into the
// access log with the role "operator".

const userUsage = `Usage:
  fritidsjob user add -username NAME -name "Display Name" [-admin] [-area ID -role ROLE]
  fritidsjob user disable -username NAME          close the account and end its sessions
  fritidsjob user enable -username NAME           open it again
  fritidsjob user reset-password -username NAME   print a new temporary password (a PIN for a youth) once
  fritidsjob user roles -username NAME [-add ROLE:AREA]... [-remove ROLE:AREA]...
                                                  change area roles (ends the user's sessions); prints the roles held
The server must be stopped. Common flags: -data DIR (or FRITIDSJOB_DATA), -redis URL.
`

// userCmd dispatches 'fritidsjob user SUBCOMMAND'.
func userCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return errUsage
	}
	rest := args[1:]
	switch args[0] {
	case "add":
		return userAdd(rest, stdin, stdout, stderr)
	case "disable":
		return userSetDisabled(rest, true, stdout, stderr)
	case "enable":
		return userSetDisabled(rest, false, stdout, stderr)
	case "reset-password":
		return userResetPassword(rest, stdout, stderr)
	case "roles":
		return userRoles(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, userUsage)
		return nil
	}
	fmt.Fprintf(stderr, "unknown command \"user %s\"\n\n%s", args[0], userUsage)
	return errUsage
}

// userTarget is a user command's parsed flags, open store and the account
// named by -username.
type userTarget struct {
	db   store.DB
	ppl  *people.Service
	user people.User
}

// openUserTarget parses args (flags plus those extra adds), opens the
// store, which no server may hold, and finds the account.
func openUserTarget(name string, args []string, stderr io.Writer, extra func(*flag.FlagSet)) (*userTarget, error) {
	var c config
	fs := flagSet("user "+name, stderr, &c)
	username := fs.String("username", "", "the account's username")
	if extra != nil {
		extra(fs)
	}
	if err := c.parse(fs, args); err != nil {
		return nil, err
	}
	if *username == "" || fs.NArg() > 0 {
		fmt.Fprint(stderr, userUsage)
		return nil, errUsage
	}
	db, ppl, _, err := openPeople(&c, 300*time.Millisecond)
	if err != nil {
		return nil, err
	}
	u, err := ppl.UserByUsername(*username)
	if err != nil {
		db.Close()
		if errors.Is(err, people.ErrNotFound) {
			return nil, fmt.Errorf("no user %q", *username)
		}
		return nil, err
	}
	return &userTarget{db: db, ppl: ppl, user: u}, nil
}

// log writes the operator's change to the access log: a youth's in the
// youth's area, where the youth's own access page finds it.
func (t *userTarget) log(what, detail string) error {
	e := people.AccessEntry{ActorRole: people.RoleOperator, Action: people.AccessChange, What: what, SubjectID: t.user.ID, Detail: detail}
	for _, m := range t.user.Memberships {
		if m.Role == people.RoleYouth {
			e.AreaID = m.AreaID
		}
	}
	if err := t.ppl.LogAccess(e); err != nil {
		return fmt.Errorf("access log: %w", err)
	}
	return nil
}

func userSetDisabled(args []string, disable bool, stdout, stderr io.Writer) error {
	name, what, done := "enable", "user_enabled", "opened again"
	if disable {
		name, what, done = "disable", "user_disabled", "closed; its sessions have ended"
	}
	t, err := openUserTarget(name, args, stderr, nil)
	if err != nil {
		return err
	}
	defer t.db.Close()
	if disable == !t.user.Disabled.IsZero() {
		fmt.Fprintf(stdout, "user %q: nothing to do\n", t.user.Username)
		return nil
	}
	if err := t.ppl.SetDisabled(t.user.ID, disable); err != nil {
		if errors.Is(err, people.ErrLastAdmin) {
			return fmt.Errorf("user %q is the last open administrator account; make another user an administrator first", t.user.Username)
		}
		return err
	}
	if err := t.log(what, ""); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %q %s\n", t.user.Username, done)
	return nil
}

// userResetPassword prints a new temporary password (or a youth's PIN) on
// a line of its own, once; only its hash is stored.
func userResetPassword(args []string, stdout, stderr io.Writer) error {
	t, err := openUserTarget("reset-password", args, stderr, nil)
	if err != nil {
		return err
	}
	defer t.db.Close()
	secret, err := t.ppl.ResetSecret(t.user.ID)
	if err != nil {
		return err
	}
	what, kind := "password_reset", "temporary password"
	if t.user.SecretKind == people.SecretPIN {
		what, kind = "pin_reset", "PIN"
	}
	if err := t.log(what, ""); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "New %s for %q (shown only now; its sessions have ended):\n%s\n", kind, t.user.Username, secret)
	return nil
}

// roleFlag collects repeated ROLE:AREA values.
type roleFlag []people.Membership

func (f *roleFlag) String() string { return fmt.Sprint(*f) }

func (f *roleFlag) Set(v string) error {
	role, area, ok := strings.Cut(v, ":")
	id, err := strconv.ParseUint(area, 10, 64)
	if !ok || err != nil || id == 0 || role == "" {
		return fmt.Errorf("want ROLE:AREA, e.g. coordinator:2 (roles: %s)", roleNames())
	}
	*f = append(*f, people.Membership{AreaID: id, Role: people.Role(role)})
	return nil
}

func roleNames() string {
	names := make([]string, len(people.Roles))
	for i, r := range people.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// userRoles adds and removes area roles, each logged, then prints the
// roles the user holds. Each change ends the user's sessions.
func userRoles(args []string, stdout, stderr io.Writer) error {
	var add, remove roleFlag
	t, err := openUserTarget("roles", args, stderr, func(fs *flag.FlagSet) {
		fs.Var(&add, "add", "give ROLE in AREA (ROLE:AREA, repeatable)")
		fs.Var(&remove, "remove", "take ROLE in AREA away (ROLE:AREA, repeatable)")
	})
	if err != nil {
		return err
	}
	defer t.db.Close()
	for _, ch := range []struct {
		list roleFlag
		add  bool
		what string
	}{{remove, false, "role_removed"}, {add, true, "role_added"}} {
		for _, m := range ch.list {
			changed, err := t.ppl.ChangeMembership(t.user.ID, m, ch.add)
			switch {
			case errors.Is(err, people.ErrYouthRole):
				return fmt.Errorf("%s:%d: the youth role comes and goes with the youth's profile (a coordinator creates or erases the youth)", m.Role, m.AreaID)
			case errors.Is(err, people.ErrNotFound):
				return fmt.Errorf("%s:%d: no area %d", m.Role, m.AreaID, m.AreaID)
			case fault.FieldOf(err) == "role":
				return fmt.Errorf("%s:%d: unknown role %q (roles: %s)", m.Role, m.AreaID, m.Role, roleNames())
			case err != nil:
				return fmt.Errorf("%s:%d: %w", m.Role, m.AreaID, err)
			}
			if !changed {
				continue
			}
			if err := t.log(ch.what, "role="+string(m.Role)+" area="+strconv.FormatUint(m.AreaID, 10)); err != nil {
				return err
			}
		}
	}
	u, err := t.ppl.User(t.user.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "roles of %q:", u.Username)
	if u.Admin {
		fmt.Fprint(stdout, " admin")
	}
	for _, m := range u.Memberships {
		area, err := t.ppl.Area(m.AreaID)
		name := area.Name
		if err != nil {
			name = "?"
		}
		fmt.Fprintf(stdout, " %s:%d (%s)", m.Role, m.AreaID, name)
	}
	if !u.Admin && len(u.Memberships) == 0 {
		fmt.Fprint(stdout, " none")
	}
	fmt.Fprintln(stdout)
	return nil
}
