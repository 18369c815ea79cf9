package ui

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/fault"
	"fritidsjob/people"
)

// User management: administrators find accounts, change their roles and
// take access away; every user can end all of their own sessions. Each
// change is written to the access log (about a youth, in the youth's area,
// so the youth sees it too) and ends the user's sessions where it changes
// what they may do.

// userPageSize is how many accounts one page of the user list shows.
const userPageSize = 50

// errOwnAccount refuses an administrator's closing of their own account
// from the user pages (they would lock themselves out mid-click).
var errOwnAccount = fault.New(fault.Conflict, "own_account")

// searchRoles are the roles the user list can filter by: administrators,
// then every area role.
var searchRoles = append([]people.Role{people.RoleAdmin}, people.Roles...)

// areaRoles is one area and the roles a user holds in it.
type areaRoles struct {
	Area  people.Area
	Roles []people.Role
}

// rolesByArea groups u's memberships by area, in the order of first
// membership; an area that no longer exists shows with its ID only.
func rolesByArea(u people.User, areas []people.Area) []areaRoles {
	var out []areaRoles
	for _, m := range u.Memberships {
		i := slices.IndexFunc(out, func(r areaRoles) bool { return r.Area.ID == m.AreaID })
		if i < 0 {
			area := people.Area{ID: m.AreaID}
			if j := slices.IndexFunc(areas, func(a people.Area) bool { return a.ID == m.AreaID }); j >= 0 {
				area = areas[j]
			}
			out = append(out, areaRoles{Area: area})
			i = len(out) - 1
		}
		out[i].Roles = append(out[i].Roles, m.Role)
	}
	return out
}

// youthArea is the area of u's youth profile, 0 when u is no youth.
func youthArea(u people.User) uint64 {
	for _, m := range u.Memberships {
		if m.Role == people.RoleYouth {
			return m.AreaID
		}
	}
	return 0
}

// userEntry is the access-log entry for an administrator's look at or
// change to u; a youth's is filed in the youth's area, where the youth's
// own access page finds it.
func (a *App) userEntry(c *fiber.Ctx, action, what string, u people.User, detail string) people.AccessEntry {
	e := a.accessEntry(c, action, what, u.ID, detail)
	if area := youthArea(u); area != 0 {
		e.AreaID = area
	}
	return e
}

// userRow is one account in the user list.
type userRow struct {
	A     people.Account
	Areas []areaRoles
}

// adminUsers lists accounts 50 at a time, searched by part of a username or
// name, role and area. The search is logged, and so is each youth whose
// name the page shows.
func (a *App) adminUsers(c *fiber.Ctx) error {
	lang := a.lang(c)
	areas, err := a.people.Areas()
	if err != nil {
		return err
	}
	form := map[string]string{"q": c.Query("q"), "role": c.Query("role"), "area": c.Query("area")}
	p := &adminUsersPage{basePage: basePage{Form: form}, Areas: areas, SearchRoles: searchRoles}
	q := people.UserSearch{Text: form["q"], Role: people.Role(form["role"]), After: c.Query("after"), Limit: userPageSize}
	var page people.UserPage
	if form["area"] != "" {
		id, ok := parseID(form["area"])
		if !ok {
			err = fieldError("area", "unknown")
		}
		q.AreaID = id
	}
	if err == nil {
		page, err = a.people.SearchUsers(q)
	}
	if err != nil {
		status, msg := a.explain(c, err)
		if status >= 500 {
			return err
		}
		p.Error = msg
		return a.render(c, status, p)
	}
	criteria := url.Values{"q": {form["q"]}, "role": {form["role"]}, "area": {form["area"]}}
	entries := []people.AccessEntry{a.accessEntry(c, people.AccessSearch, "user_list", 0, criteria.Encode())}
	rows := make([]userRow, 0, len(page.Accounts))
	for _, acc := range page.Accounts {
		if youthArea(acc.User) != 0 && acc.User.Erased.IsZero() {
			entries = append(entries, a.userEntry(c, people.AccessRead, "user_list_entry", acc.User, ""))
		}
		rows = append(rows, userRow{A: acc, Areas: rolesByArea(acc.User, areas)})
	}
	if err := a.people.LogAccessBatch(entries); err != nil {
		return err
	}
	p.Rows = rows
	p.Shown = a.msg.N(lang, "users.shown", len(rows))
	if page.Partial {
		p.Partial = a.msg.N(lang, "users.partial", page.Examined)
	}
	if page.Next != "" {
		next := url.Values{"after": {page.Next}}
		for k, v := range form {
			if v != "" {
				next.Set(k, v)
			}
		}
		p.NextURL = "/admin/users?" + next.Encode()
	}
	return a.render(c, fiber.StatusOK, p)
}

// adminUser shows one account with everything an administrator can do to it.
func (a *App) adminUser(c *fiber.Ctx) error {
	id, ok := parseID(c.Params("user"))
	if !ok {
		return fiber.ErrNotFound
	}
	return a.renderUser(c, fiber.StatusOK, id, basePage{Done: a.doneMessage(c)})
}

// guardianLinkRow is a guardian's link to a youth, with the area's name.
type guardianLinkRow struct {
	people.GuardianLink
	Area people.Area
}

// renderUser shows account id's page with base's confirmation or refusal.
func (a *App) renderUser(c *fiber.Ctx, status int, id uint64, base basePage) error {
	acc, err := a.people.Account(id)
	if err != nil {
		return err
	}
	p := &adminUserPage{basePage: base}
	me := currentUser(c)
	if id != me.ID {
		if err := a.people.LogAccess(a.userEntry(c, people.AccessRead, "user_account", acc.User, "")); err != nil {
			return err
		}
	}
	areas, err := a.people.Areas()
	if err != nil {
		return err
	}
	if slices.ContainsFunc(acc.User.Memberships, func(m people.Membership) bool { return m.Role == people.RoleGuardian }) {
		links, err := a.people.GuardianLinks(id)
		if err != nil {
			return err
		}
		rows := make([]guardianLinkRow, len(links))
		for i, l := range links {
			rows[i] = guardianLinkRow{GuardianLink: l, Area: people.Area{ID: l.AreaID}}
			if j := slices.IndexFunc(areas, func(a people.Area) bool { return a.ID == l.AreaID }); j >= 0 {
				rows[i].Area = areas[j]
			}
		}
		p.Links = rows
	}
	p.A = acc
	p.RoleAreas = rolesByArea(acc.User, areas)
	p.Areas = areas
	p.StaffRoles = staffRoles
	p.Self = id == me.ID
	p.PIN = acc.User.SecretKind == people.SecretPIN
	return a.render(c, status, p)
}

// userChange is what an administrator's action did: What names it in the
// access log and in the ?done= message ("" when nothing changed), Also
// holds further entries (the youth a guardian link was about).
type userChange struct {
	What, Detail string
	Also         []people.AccessEntry
}

// userAction runs change on the account in the URL (404 when unknown),
// logs what it did and goes back to the account's page; a refused change
// shows the page again with the reason.
func (a *App) userAction(change func(*fiber.Ctx, people.Account) (userChange, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, ok := parseID(c.Params("user"))
		if !ok {
			return fiber.ErrNotFound
		}
		acc, err := a.people.Account(id)
		if err != nil {
			return err
		}
		done, err := change(c, acc)
		if err != nil {
			return a.userRefused(c, id, err)
		}
		page := "/admin/users/" + strconv.FormatUint(id, 10)
		if done.What == "" {
			return c.Redirect(page, fiber.StatusSeeOther)
		}
		entries := append([]people.AccessEntry{a.userEntry(c, people.AccessChange, done.What, acc.User, done.Detail)}, done.Also...)
		if err := a.people.LogAccessBatch(entries); err != nil {
			return err
		}
		a.log.Info("user changed", "change", done.What, "user", id, "by", currentUser(c).ID, "rid", requestID(c))
		return c.Redirect(page+"?done="+done.What, fiber.StatusSeeOther)
	}
}

// userRefused shows the account's page with the reason err gives, or
// passes server errors on.
func (a *App) userRefused(c *fiber.Ctx, id uint64, err error) error {
	status, msg := a.explain(c, err)
	if status >= 500 {
		return err
	}
	return a.renderUser(c, status, id, basePage{Error: msg})
}

// confirmed refuses a form whose "cannot be undone" box is not ticked.
func confirmed(c *fiber.Ctx) error {
	if c.FormValue("confirm") != "yes" {
		return fieldError("confirm", "required")
	}
	return nil
}

func (a *App) addRole(c *fiber.Ctx, acc people.Account) (userChange, error) {
	return a.changeRole(c, acc, true)
}

func (a *App) removeRole(c *fiber.Ctx, acc people.Account) (userChange, error) {
	return a.changeRole(c, acc, false)
}

func (a *App) changeRole(c *fiber.Ctx, acc people.Account, add bool) (userChange, error) {
	area, _ := parseID(c.FormValue("area"))
	m := people.Membership{AreaID: area, Role: people.Role(c.FormValue("role"))}
	changed, err := a.people.ChangeMembership(acc.User.ID, m, add)
	if err != nil || !changed {
		return userChange{}, err
	}
	what := "role_removed"
	if add {
		what = "role_added"
	}
	return userChange{What: what, Detail: "role=" + string(m.Role) + " area=" + strconv.FormatUint(area, 10)}, nil
}

func (a *App) setAdminFlag(c *fiber.Ctx, acc people.Account) (userChange, error) {
	var on bool
	switch c.FormValue("admin") {
	case "on":
		on = true
	case "off":
	default:
		return userChange{}, fieldError("admin", "required")
	}
	if acc.User.Admin == on {
		return userChange{}, nil
	}
	if err := a.people.SetAdmin(acc.User.ID, on, currentUser(c).ID); err != nil {
		return userChange{}, err
	}
	if on {
		return userChange{What: "admin_granted"}, nil
	}
	return userChange{What: "admin_revoked"}, nil
}

func (a *App) disableUser(c *fiber.Ctx, acc people.Account) (userChange, error) {
	if err := confirmed(c); err != nil {
		return userChange{}, err
	}
	if acc.User.ID == currentUser(c).ID {
		return userChange{}, errOwnAccount
	}
	if !acc.User.Disabled.IsZero() {
		return userChange{}, nil
	}
	if err := a.people.SetDisabled(acc.User.ID, true); err != nil {
		return userChange{}, err
	}
	return userChange{What: "user_disabled"}, nil
}

func (a *App) enableUser(_ *fiber.Ctx, acc people.Account) (userChange, error) {
	if acc.User.Disabled.IsZero() {
		return userChange{}, nil
	}
	if err := a.people.SetDisabled(acc.User.ID, false); err != nil {
		return userChange{}, err
	}
	return userChange{What: "user_enabled"}, nil
}

func (a *App) unlockUser(_ *fiber.Ctx, acc people.Account) (userChange, error) {
	if acc.User.Locked.IsZero() {
		return userChange{}, nil
	}
	if err := a.people.Unlock(acc.User.ID); err != nil {
		return userChange{}, err
	}
	return userChange{What: "user_unlocked"}, nil
}

func (a *App) resetUserTOTP(c *fiber.Ctx, acc people.Account) (userChange, error) {
	if err := confirmed(c); err != nil {
		return userChange{}, err
	}
	if !acc.TOTP {
		return userChange{}, nil
	}
	if err := a.people.DisableTOTP(acc.User.ID); err != nil {
		return userChange{}, err
	}
	return userChange{What: "totp_reset"}, nil
}

func (a *App) endUserSessions(c *fiber.Ctx, acc people.Account) (userChange, error) {
	if err := confirmed(c); err != nil {
		return userChange{}, err
	}
	if err := a.people.EndSessions(acc.User.ID); err != nil {
		return userChange{}, err
	}
	return userChange{What: "sessions_ended"}, nil
}

// unlinkGuardian removes the guardian's link to one youth; the youth's own
// access log shows it as well.
func (a *App) unlinkGuardian(c *fiber.Ctx, acc people.Account) (userChange, error) {
	if err := confirmed(c); err != nil {
		return userChange{}, err
	}
	area, okArea := parseID(c.FormValue("area"))
	youth, okYouth := parseID(c.FormValue("youth"))
	if !okArea || !okYouth {
		return userChange{}, fieldError("youth", "required")
	}
	if err := a.people.UnlinkGuardian(area, youth, acc.User.ID); err != nil {
		return userChange{}, err
	}
	about := a.accessEntry(c, people.AccessChange, "guardian_unlinked", youth, "guardian="+strconv.FormatUint(acc.User.ID, 10))
	about.AreaID = area
	return userChange{
		What:   "guardian_unlinked",
		Detail: "youth=" + strconv.FormatUint(youth, 10) + " area=" + strconv.FormatUint(area, 10),
		Also:   []people.AccessEntry{about},
	}, nil
}

// resetUserSecret gives the account a random temporary password (a PIN
// for a youth) and shows it on this one page only: it is not stored in
// plain text, not logged and not shown again. The user's sessions end.
func (a *App) resetUserSecret(c *fiber.Ctx) error {
	id, ok := parseID(c.Params("user"))
	if !ok {
		return fiber.ErrNotFound
	}
	acc, err := a.people.Account(id)
	if err != nil {
		return err
	}
	if err := confirmed(c); err != nil {
		return a.userRefused(c, id, err)
	}
	secret, err := a.people.ResetSecret(id)
	if err != nil {
		return a.userRefused(c, id, err)
	}
	what := "password_reset"
	if acc.User.SecretKind == people.SecretPIN {
		what = "pin_reset"
	}
	if err := a.people.LogAccess(a.userEntry(c, people.AccessChange, what, acc.User, "")); err != nil {
		return err
	}
	a.log.Info("user changed", "change", what, "user", id, "by", currentUser(c).ID, "rid", requestID(c))
	return a.render(c, fiber.StatusOK, &adminUserSecretPage{A: acc, Secret: secret, PIN: acc.User.SecretKind == people.SecretPIN})
}

// accountPage is the logged-in user's own account: who they are, their
// roles, the second factor, and "log out everywhere".
func (a *App) accountPage(c *fiber.Ctx) error {
	return a.renderAccount(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
}

// renderAccount shows the own account page with b (a refusal and the
// contact form as sent), else the contact form filled from the account.
func (a *App) renderAccount(c *fiber.Ctx, status int, b basePage) error {
	u := currentUser(c)
	areas, err := a.people.Areas()
	if err != nil {
		return err
	}
	if b.Form == nil {
		b.Form = contactForm(u.Contact)
	}
	return a.render(c, status, &ownAccountPage{basePage: b,
		RoleAreas:   rolesByArea(*u, areas),
		TOTP:        a.people.HasTOTP(*u),
		Password:    u.SecretKind == people.SecretPassword,
		ChannelsOff: a.channelsOff(),
		Youth:       youthArea(*u) != 0,
	})
}

// endOwnSessions logs the user out on every device, this one included.
func (a *App) endOwnSessions(c *fiber.Ctx) error {
	u := currentUser(c)
	if err := a.people.EndSessions(u.ID); err != nil {
		return err
	}
	a.log.Info("logged out everywhere", "user", u.ID, "rid", requestID(c))
	if err := a.endSession(c); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}
