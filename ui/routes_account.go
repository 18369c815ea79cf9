package ui

import "github.com/gofiber/fiber/v2"

// registerAccountRoutes declares the pages about the logged-in user's own
// account (second factor, access log, inbox, contact and channels).
func (a *App) registerAccountRoutes() {
	// Second factor: asked for after the password (pending session), set up
	// at the first login of a role that needs it, or by choice when logged in.
	a.handle(fiber.MethodGet, "/login/totp", pendingAccess, a.totpLoginPage)
	a.handle(fiber.MethodPost, "/login/totp", pendingAccess, a.totpLogin)
	a.handle(fiber.MethodGet, "/account/totp/setup", pendingAccess, a.totpSetupPage)
	a.handle(fiber.MethodPost, "/account/totp/setup", pendingAccess, a.totpSetup)
	// The user's own inbox and the bell's count.
	a.handle(fiber.MethodGet, "/inbox", loggedIn, a.inbox)
	a.handle(fiber.MethodPost, "/inbox/read", loggedIn, a.inboxRead)
	// The user's own phone, e-mail and channel choices.
	a.handle(fiber.MethodPost, "/account/contact", loggedIn, a.saveContact)
	// The short link in SMS texts (keeps a message within one SMS): to the
	// inbox, through the login for whoever is not logged in.
	a.handle(fiber.MethodGet, "/b", public, a.shortInbox)
}
