package ui

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/people"
)

// Access says who may use a route. Authorization happens only here: a
// route admits the roles it names, in the area its URL names, and nobody
// else. The zero Access admits nobody.
type Access struct {
	// Public routes need no login.
	Public bool
	// LoggedIn admits any logged-in user (their own pages).
	LoggedIn bool
	// Admin admits installation admins.
	Admin bool
	// Roles admits users holding one of these roles in the area named by
	// the route's :area parameter.
	Roles []people.Role
	// Pending admits, for the second-factor pages only, users who gave the
	// right password but not yet the second factor, and logged-in users
	// who log in with a password (staff). Youths, who log in with a PIN,
	// have no second factor.
	Pending bool
	// AnyArea admits users holding one of Roles in at least one area, for
	// pages without an :area (the evaluator's export across their areas);
	// the handler narrows what it shows to those areas.
	AnyArea bool
}

var (
	public   = Access{Public: true}
	loggedIn = Access{LoggedIn: true}
	admin    = Access{Admin: true}
)

func roles(r ...people.Role) Access { return Access{Roles: r} }

// authorize enforces acc before the handler runs.
func (a *App) authorize(acc Access) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if acc.Public {
			return c.Next()
		}
		u := currentUser(c)
		if u == nil {
			if acc.Pending && pendingUser(c) != nil {
				return c.Next()
			}
			return errLoginRequired
		}
		if acc.LoggedIn || (acc.Admin && u.Admin) || (acc.Pending && u.SecretKind == people.SecretPassword) {
			return c.Next()
		}
		if len(acc.Roles) == 0 {
			return fiber.ErrForbidden
		}
		if acc.AnyArea {
			for _, id := range u.AreaIDs() {
				if u.HasRole(id, acc.Roles...) {
					return c.Next()
				}
			}
			return fiber.ErrForbidden
		}
		id, err := strconv.ParseUint(c.Params("area"), 10, 64)
		if err != nil || id == 0 {
			return fiber.ErrNotFound
		}
		area, err := a.area(c, id)
		if err != nil {
			return err // ErrNotFound becomes 404
		}
		if !u.HasRole(id, acc.Roles...) {
			return fiber.ErrForbidden
		}
		c.Locals(ctxArea, &area)
		return c.Next()
	}
}

// area reads area id, or takes it from App.areas when the store has not
// changed since it was last read.
func (a *App) area(c *fiber.Ctx, id uint64) (people.Area, error) {
	gen, ok := a.generation(c)
	key := strconv.FormatUint(id, 10)
	if ok {
		if area, hit := a.areas.get(key, gen.data); hit {
			return area, nil
		}
	}
	area, err := a.people.Area(id)
	if err == nil && ok {
		a.areas.put(key, gen.data, area)
	}
	return area, err
}

// currentArea is the area authorize checked for this request.
func currentArea(c *fiber.Ctx) *people.Area {
	a, _ := c.Locals(ctxArea).(*people.Area)
	return a
}
