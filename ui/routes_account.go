package ui

// registerAccountRoutes declares the pages about the logged-in user's own
// account (second factor, access log).
func (a *App) registerAccountRoutes() {}
