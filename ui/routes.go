package ui

import (
	"github.com/gofiber/fiber/v2"

	"fritidsjob/people"
)

// registerRoutes declares every page with who may use it. A route that is
// not here does not exist; one without an Access admits nobody.
func (a *App) registerRoutes() {
	a.handle(fiber.MethodGet, "/login", public, a.loginPage)
	a.handle(fiber.MethodPost, "/login", public, a.login)
	a.handle(fiber.MethodPost, "/lang", public, a.setLang)
	a.handle(fiber.MethodPost, "/logout", loggedIn, a.logout)
	a.handle(fiber.MethodGet, "/", loggedIn, a.home)

	a.registerAdminRoutes()
	a.registerYouthRoutes()
	a.registerTaskRoutes()
	a.registerPointsRoutes()
	a.registerCVRoutes()
	if a.employers != nil {
		a.registerEmployerRoutes()
	}
	a.registerAccountRoutes()
	a.registerCalendarFeedRoutes()
	a.registerUserRoutes()

	// Public: an employer checks the code printed on a CV.
	// One address gets verifyRateLimit pages a minute.
	verify := a.limited(a.verifyLimit, "verify_throttled", a.verifyPage)
	a.handle(fiber.MethodGet, "/v", public, verify)
	a.handle(fiber.MethodGet, "/v/:code", public, verify)

	// Public: a guardian's one-time consent link.
	a.handle(fiber.MethodGet, "/consent/:token", public, a.consentPage)
	a.handle(fiber.MethodPost, "/consent/:token", public, a.consentPage)
}

// registerAdminRoutes declares the administrator's pages and the
// evaluator's export, which spans areas.
func (a *App) registerAdminRoutes() {
	a.handle(fiber.MethodGet, "/admin", admin, a.adminPage)
	a.handle(fiber.MethodPost, "/admin/areas", admin, a.createArea)
	a.handle(fiber.MethodPost, "/admin/users", admin, a.createStaff)
	a.handle(fiber.MethodGet, "/admin/access", admin, a.adminAccessLog)
	a.handle(fiber.MethodGet, "/admin/areas/:area<int>/cpr", admin, a.cprPage)
	a.handle(fiber.MethodPost, "/admin/areas/:area<int>/youths/:user<int>/cpr", admin, a.setCPR)
	a.handle(fiber.MethodGet, "/admin/areas/:area<int>/payroll-cpr.csv", admin, a.payrollCPR)
	a.handle(fiber.MethodGet, "/admin/retention", admin, a.retention)
	a.handle(fiber.MethodPost, "/admin/retention", admin, a.runRetention)
	a.handle(fiber.MethodGet, "/admin/evaluation", admin, a.adminEvaluation)
	a.handle(fiber.MethodPost, "/admin/evaluation/import", admin, a.importUpload)
	a.handle(fiber.MethodGet, "/admin/evaluation/dst.csv", admin, a.dstLinkage)
	a.handle(fiber.MethodPost, "/admin/evaluation/rotate-key", admin, a.rotateExportKey)
	// The outbox: counts per channel, queued and failed messages, retry.
	a.handle(fiber.MethodGet, "/admin/outbox", admin, a.adminOutbox)
	a.handle(fiber.MethodPost, "/admin/outbox/retry", admin, a.retryMessage)
	a.handle(fiber.MethodPost, "/admin/outbox/retry-failed", admin, a.retryFailed)

	// The evaluation export, across the areas a user evaluates.
	evaluator := Access{Roles: []people.Role{people.RoleEvaluator}, AnyArea: true}
	a.handle(fiber.MethodGet, "/eval", evaluator, a.evalPage)
	a.handle(fiber.MethodGet, "/eval/export.zip", evaluator, a.evalExport)
	a.handle(fiber.MethodGet, "/eval/chart.svg", evaluator, a.evalChart("svg"))
	a.handle(fiber.MethodGet, "/eval/chart.png", evaluator, a.evalChart("png"))
}

// registerYouthRoutes declares a coordinator's pages about the area's
// youths: the list, a new youth, a youth's profile and what is done there.
func (a *App) registerYouthRoutes() {
	coord := roles(people.RoleCoordinator)
	a.handle(fiber.MethodGet, "/a/:area/youths", coord, a.youthList)
	a.handle(fiber.MethodGet, "/a/:area/youths/new", coord, a.youthForm)
	a.handle(fiber.MethodPost, "/a/:area/youths", coord, a.createYouth)
	a.handle(fiber.MethodGet, "/a/:area/youths/:user<int>", coord, a.youthPage)
	a.handle(fiber.MethodPost, "/a/:area/youths/:user<int>/consent/:action", coord, a.consentAction)
	a.handle(fiber.MethodPost, "/a/:area/youths/:user<int>/erase", coord, a.eraseYouth)
	a.handle(fiber.MethodPost, "/a/:area/youths/:user<int>/guardian", coord, a.linkGuardian)
	a.handle(fiber.MethodPost, "/a/:area/youths/:user<int>/pin", coord, a.resetPIN)
	a.handle(fiber.MethodPost, "/a/:area/youths/:user<int>/unlock", coord, a.unlockYouth)
	a.handle(fiber.MethodPost, "/a/:area/youths/:user<int>/contact", coord, a.saveYouthContact)
}

// registerTaskRoutes declares the task pages: a youth's, and staff's with
// the approval of work.
func (a *App) registerTaskRoutes() {
	coord := roles(people.RoleCoordinator)
	// Tasks, as a youth.
	youth := roles(people.RoleYouth)
	a.handle(fiber.MethodGet, "/a/:area/tasks", youth, a.youthTasks)
	a.handle(fiber.MethodPost, "/a/:area/tasks/:task<int>/claim", youth, a.youthAction(a.claimTask))
	a.handle(fiber.MethodPost, "/a/:area/tasks/:task<int>/cancel", youth, a.youthAction(a.cancelTask))
	a.handle(fiber.MethodPost, "/a/:area/tasks/:task<int>/checkin", youth, a.youthAction(a.checkIn))
	a.handle(fiber.MethodPost, "/a/:area/tasks/:task<int>/checkout", youth, a.youthAction(a.checkOut))
	a.handle(fiber.MethodPost, "/a/:area/tasks/:task<int>/hours", youth, a.youthAction(a.recordHours))

	// Tasks, as staff: coordinators and the task owners (caretakers, board
	// members) who post tasks and confirm the work; only coordinators approve pay.
	staff := roles(people.RoleCoordinator, people.RoleTaskOwner)
	a.handle(fiber.MethodGet, "/a/:area/manage/tasks", staff, a.manageTasks)
	a.handle(fiber.MethodGet, "/a/:area/manage/tasks/new", staff, a.newTaskForm)
	a.handle(fiber.MethodPost, "/a/:area/manage/tasks", staff, a.createTask)
	a.handle(fiber.MethodGet, "/a/:area/manage/tasks/:task<int>", staff, a.manageTask)
	a.handle(fiber.MethodPost, "/a/:area/manage/tasks/:task<int>/status", staff, a.staffAction("status_changed", a.setTaskStatus))
	a.handle(fiber.MethodPost, "/a/:area/manage/tasks/:task<int>/youths/:user<int>/checkin", staff, a.staffAction("checked_in", a.supervisorCheckIn))
	a.handle(fiber.MethodPost, "/a/:area/manage/tasks/:task<int>/youths/:user<int>/checkout", staff, a.staffAction("checked_out", a.supervisorCheckOut))
	a.handle(fiber.MethodPost, "/a/:area/manage/tasks/:task<int>/youths/:user<int>/hours", staff, a.staffAction("hours_recorded", a.supervisorHours))
	a.handle(fiber.MethodPost, "/a/:area/manage/tasks/:task<int>/youths/:user<int>/cancel", coord, a.staffAction("cancelled", a.staffCancelClaim))
	a.handle(fiber.MethodPost, "/a/:area/manage/tasks/:task<int>/approve-all", coord, a.staffAction("approved", a.approveTask))
	a.handle(fiber.MethodGet, "/a/:area/approvals", coord, a.approvals)
	a.handle(fiber.MethodPost, "/a/:area/approvals", coord, a.approve)
	a.handle(fiber.MethodPost, "/a/:area/approvals/:entry<int>/reject", coord, a.reject)
}

// registerPointsRoutes declares points and rewards, a youth's (and a
// young child's guardian's) own data, the school calendar and the rules.
func (a *App) registerPointsRoutes() {
	coord := roles(people.RoleCoordinator)
	youth := roles(people.RoleYouth)
	a.handle(fiber.MethodGet, "/a/:area/points", youth, a.youthPoints)
	a.handle(fiber.MethodGet, "/a/:area/me/access", youth, a.myAccess)
	a.handle(fiber.MethodGet, "/a/:area/me/data.zip", youth, a.myData)
	guardian := roles(people.RoleGuardian)
	a.handle(fiber.MethodGet, "/a/:area/children/:user<int>/access", guardian, a.childAccess)
	a.handle(fiber.MethodGet, "/a/:area/children/:user<int>/data.zip", guardian, a.childData)
	a.handle(fiber.MethodPost, "/a/:area/rewards/:reward<int>/request", youth, a.requestReward)
	a.handle(fiber.MethodPost, "/a/:area/rewards/:reward<int>/pledge", youth, a.pledgeReward)
	a.handle(fiber.MethodPost, "/a/:area/redemptions/:redemption<int>/cancel", youth, a.cancelRedemption)
	a.handle(fiber.MethodGet, "/a/:area/rewards", coord, a.manageRewards)
	a.handle(fiber.MethodPost, "/a/:area/rewards", coord, a.createReward)
	a.handle(fiber.MethodPost, "/a/:area/redemptions/:redemption<int>/confirm", coord, a.rewardAction("redemption", "confirmed", a.confirmRedemption))
	a.handle(fiber.MethodPost, "/a/:area/redemptions/:redemption<int>/refuse", coord, a.rewardAction("redemption", "refused", a.refuseRedemption))
	a.handle(fiber.MethodPost, "/a/:area/rewards/:reward<int>/pot/confirm", coord, a.rewardAction("reward", "pot_confirmed", a.confirmPot))
	a.handle(fiber.MethodPost, "/a/:area/rewards/:reward<int>/close", coord, a.rewardAction("reward", "reward_closed", a.closeReward))
	a.handle(fiber.MethodPost, "/a/:area/rewards/:reward<int>/cancel", coord, a.rewardAction("reward", "reward_cancelled", a.cancelReward))
	a.handle(fiber.MethodGet, "/a/:area/budget", coord, a.budget)
	a.handle(fiber.MethodGet, "/a/:area/payroll.csv", coord, a.payrollCSV)

	// The school calendar and the young-worker rules.
	a.handle(fiber.MethodGet, "/a/:area/calendar", coord, a.calendar)
	a.handle(fiber.MethodPost, "/a/:area/calendar/add", coord, a.addHoliday)
	a.handle(fiber.MethodPost, "/a/:area/calendar/remove", coord, a.removeHoliday)
	a.handle(fiber.MethodGet, "/a/:area/rules", roles(people.Roles...), a.rulesPage)
}

// registerCVRoutes declares the CV pages: the youth's own, and a
// coordinator's view (editing only when allowed).
func (a *App) registerCVRoutes() {
	coord := roles(people.RoleCoordinator)
	youth := roles(people.RoleYouth)
	a.handle(fiber.MethodGet, "/a/:area/cv", youth, a.cvPage)
	a.handle(fiber.MethodPost, "/a/:area/cv", youth, a.saveCV)
	a.handle(fiber.MethodGet, "/a/:area/cv/preview", youth, a.cvPreview)
	a.handle(fiber.MethodGet, "/a/:area/cv.pdf", youth, a.cvPDF)
	a.handle(fiber.MethodGet, "/a/:area/cv.json", youth, a.cvJSON)
	a.handle(fiber.MethodPost, "/a/:area/cv/codes/:code<int>/revoke", youth, a.revokeCode)
	a.handle(fiber.MethodGet, "/a/:area/youths/:user<int>/cv", coord, a.cvPage)
	a.handle(fiber.MethodPost, "/a/:area/youths/:user<int>/cv", coord, a.saveCV)
	a.handle(fiber.MethodGet, "/a/:area/youths/:user<int>/cv/preview", coord, a.cvPreview)
	a.handle(fiber.MethodGet, "/a/:area/youths/:user<int>/cv.pdf", coord, a.cvPDF)
	a.handle(fiber.MethodPost, "/a/:area/youths/:user<int>/cv/codes/:code<int>/revoke", coord, a.revokeCode)
	a.handle(fiber.MethodPost, "/a/:area/youths/:user<int>/courses", coord, a.addCourse)
}

// registerEmployerRoutes declares employer bridging: the register,
// openings, the pipeline and the employer portal.
func (a *App) registerEmployerRoutes() {
	coord := roles(people.RoleCoordinator)
	a.handle(fiber.MethodGet, "/a/:area/employers", coord, a.employerList)
	a.handle(fiber.MethodPost, "/a/:area/employers", coord, a.createEmployer)
	a.handle(fiber.MethodGet, "/a/:area/employers/:employer<int>", coord, a.employerPage)
	a.handle(fiber.MethodPost, "/a/:area/employers/:employer<int>", coord, a.updateEmployer)
	a.handle(fiber.MethodPost, "/a/:area/employers/:employer<int>/contacts", coord, a.addContact)
	a.handle(fiber.MethodPost, "/a/:area/employers/:employer<int>/contacts/:index<int>", coord, a.updateContact)
	a.handle(fiber.MethodPost, "/a/:area/employers/:employer<int>/contacts/:index<int>/remove", coord, a.removeContact)
	a.handle(fiber.MethodPost, "/a/:area/employers/:employer<int>/openings", coord, a.createOpening)
	a.handle(fiber.MethodPost, "/a/:area/employers/:employer<int>/shares", coord, a.shareCandidate)
	a.handle(fiber.MethodPost, "/a/:area/employers/:employer<int>/shares/:user<int>/remove", coord, a.unshareCandidate)
	a.handle(fiber.MethodGet, "/a/:area/openings/:opening<int>", coord, a.openingPage)
	a.handle(fiber.MethodPost, "/a/:area/openings/:opening<int>/close", coord, a.closeOpening)
	a.handle(fiber.MethodGet, "/a/:area/pipeline", coord, a.pipelineOverview)
	a.handle(fiber.MethodGet, "/a/:area/youths/:user<int>/pipeline", coord, a.youthPipeline)
	a.handle(fiber.MethodPost, "/a/:area/youths/:user<int>/pipeline", coord, a.movePipeline)
	a.handle(fiber.MethodPost, "/a/:area/youths/:user<int>/activities", coord, a.recordActivity)
	a.handle(fiber.MethodPost, "/a/:area/youths/:user<int>/notes", coord, a.addNote)
	a.handle(fiber.MethodPost, "/a/:area/notes/:note<int>/done", coord, a.completeFollowUp)
	a.handle(fiber.MethodGet, "/a/:area/funnel", coord, a.funnel)

	// The employer portal: an employer's contact person sees its
	// openings and the candidates shared with it, and gives feedback.
	contact := roles(people.RoleEmployer)
	a.handle(fiber.MethodGet, "/a/:area/portal", contact, a.portal)
	a.handle(fiber.MethodGet, "/a/:area/portal/employers/:employer<int>/candidates/:user<int>", contact, a.portalCandidate)
	a.handle(fiber.MethodPost, "/a/:area/portal/employers/:employer<int>/candidates/:user<int>/feedback", contact, a.giveFeedback)
}
