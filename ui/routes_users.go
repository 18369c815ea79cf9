package ui

import "github.com/gofiber/fiber/v2"

// registerUserRoutes declares user management: the administrators' user
// list and user pages, and every user's own account page.
func (a *App) registerUserRoutes() {
	a.handle(fiber.MethodGet, "/admin/users", admin, a.adminUsers)
	a.handle(fiber.MethodGet, "/admin/users/:user<int>", admin, a.adminUser)
	a.handle(fiber.MethodPost, "/admin/users/:user<int>/roles/add", admin, a.userAction(a.addRole))
	a.handle(fiber.MethodPost, "/admin/users/:user<int>/roles/remove", admin, a.userAction(a.removeRole))
	a.handle(fiber.MethodPost, "/admin/users/:user<int>/admin", admin, a.userAction(a.setAdminFlag))
	a.handle(fiber.MethodPost, "/admin/users/:user<int>/disable", admin, a.userAction(a.disableUser))
	a.handle(fiber.MethodPost, "/admin/users/:user<int>/enable", admin, a.userAction(a.enableUser))
	a.handle(fiber.MethodPost, "/admin/users/:user<int>/unlock", admin, a.userAction(a.unlockUser))
	a.handle(fiber.MethodPost, "/admin/users/:user<int>/reset-totp", admin, a.userAction(a.resetUserTOTP))
	a.handle(fiber.MethodPost, "/admin/users/:user<int>/end-sessions", admin, a.userAction(a.endUserSessions))
	a.handle(fiber.MethodPost, "/admin/users/:user<int>/guardian-links/remove", admin, a.userAction(a.unlinkGuardian))
	a.handle(fiber.MethodPost, "/admin/users/:user<int>/reset-secret", admin, a.resetUserSecret)

	a.handle(fiber.MethodGet, "/account", loggedIn, a.accountPage)
	a.handle(fiber.MethodPost, "/account/end-sessions", loggedIn, a.endOwnSessions)
}
