package ui

import (
	"github.com/gofiber/fiber/v2"

	"fritidsjob/people"
)

// registerRoutes declares every page with who may use it. A route that is
// not here does not exist; one without an Access admits nobody.
func (a *App) registerRoutes() {
	coord := roles(people.RoleCoordinator)

	a.handle(fiber.MethodGet, "/login", public, a.loginPage)
	a.handle(fiber.MethodPost, "/login", public, a.login)
	a.handle(fiber.MethodPost, "/lang", public, a.setLang)
	a.handle(fiber.MethodPost, "/logout", loggedIn, a.logout)
	a.handle(fiber.MethodGet, "/", loggedIn, a.home)

	a.handle(fiber.MethodGet, "/admin", admin, a.adminPage)
	a.handle(fiber.MethodPost, "/admin/areas", admin, a.createArea)
	a.handle(fiber.MethodPost, "/admin/users", admin, a.createStaff)

	a.handle(fiber.MethodGet, "/a/:area/youths", coord, a.youthList)
	a.handle(fiber.MethodGet, "/a/:area/youths/new", coord, a.youthForm)
	a.handle(fiber.MethodPost, "/a/:area/youths", coord, a.createYouth)
	a.handle(fiber.MethodGet, "/a/:area/youths/:user<int>", coord, a.youthPage)
}
