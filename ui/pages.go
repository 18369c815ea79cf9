package ui

import (
	"fritidsjob/cv"
	"fritidsjob/employers"
	"fritidsjob/jobs"
	"fritidsjob/jobs/rules"
	"fritidsjob/people"
	"fritidsjob/points"
)

// Typed pages. Each template in templates/pages has one struct here that
// embeds basePage and holds what the template reads, under the names it
// reads them by, so a template's inputs are visible in Go and the
// compiler checks the handlers that fill them. TestPageTemplatesReadTheirStruct
// checks the other half: every field a template reads exists on its
// page's struct.

// basePage is what every page shows besides its own data. render fills
// the first part; a handler sets the second (a confirmation, a refusal,
// the form as sent).
type basePage struct {
	Lang      string       // the caller's language: "da" or "en"
	OtherLang string       // the language the switch in the header offers
	User      *people.User // the logged-in user, or nil
	Area      *people.Area // the area of an /a/:area page, or nil
	CSRF      string       // the token each form sends back as _csrf
	Path      string       // this page's URL, where the language switch returns
	Page      string       // the template's name, a class on <body>

	Form  map[string]string // a form's values as sent, or its defaults; render makes it non-nil
	Done  string            // a translated confirmation (?done=), or ""
	Error string            // why an action was refused, translated, or ""
}

func (b *basePage) base() *basePage { return b }

// page is a page's data: a pointer to a struct that embeds basePage and
// names its template.
type page interface {
	base() *basePage
	template() string
}

// errorPage is the page of an error the handler could not show on its own
// page (error.html): the status, the translated message and the request ID.
type errorPage struct {
	basePage
	Status    int
	Message   string
	RequestID string
}

func (*errorPage) template() string { return "error" }

// loginPage is the login form (login.html).
type loginPage struct {
	basePage
	Next     string // where to go after logging in (safeNext)
	Username string // as typed, after a refusal
}

func (*loginPage) template() string { return "login" }

// homePage is the start page (home.html): one section per role.
type homePage struct {
	basePage
	Sections     []homeSection
	StaffAccount bool // offer the second-factor setup
}

func (*homePage) template() string { return "home" }

// tasksPage is a youth's task page (tasks.html).
type tasksPage struct {
	basePage
	Mine    []myTask          // the youth's own tasks and what they can do with each
	Free    []jobs.Offer      // open tasks the youth may take
	Refused []jobs.Offer      // open tasks the youth may not take, with why
	Entries []jobs.WorkEntry  // the youth's recorded hours
	Titles  map[uint64]string // task titles by ID, for Entries
}

func (*tasksPage) template() string { return "tasks" }

// rulesPage lists the young-worker rules in force (rules.html).
type rulesPage struct {
	basePage
	Rules   []rules.RuleInfo
	Version string
}

func (*rulesPage) template() string { return "rules" }

// budgetPage is an area's pay-outs per month (budget.html).
type budgetPage struct {
	basePage
	Months []points.BudgetMonth
}

func (*budgetPage) template() string { return "budget" }

// funnelPage is an area's pipeline at a glance (funnel.html).
type funnelPage struct {
	basePage
	F       employers.Funnel
	Genders []people.Gender // the columns
}

func (*funnelPage) template() string { return "funnel" }

// portalPage is an employer contact's start page (portal.html).
type portalPage struct {
	basePage
	Employers []portalEmployer
}

func (*portalPage) template() string { return "portal" }

// manageTasksPage lists the tasks a staff member manages, by status
// (manage_tasks.html).
type manageTasksPage struct {
	basePage
	Groups        map[jobs.Status][]jobs.Task
	Statuses      []jobs.Status // the order of the groups
	Hidden        int           // finished tasks left out (see finishedShown)
	IsCoordinator bool
}

func (*manageTasksPage) template() string { return "manage_tasks" }

// youthsPage is a coordinator's list of the area's youths (youths.html).
type youthsPage struct {
	basePage
	Youths     []youthRow
	Historical int // imported youths left out of the list
	Unreadable int // youths whose data does not open
}

func (*youthsPage) template() string { return "youths" }

// youthRow is a youth on the coordinator's list.
type youthRow struct {
	V    people.YouthView
	Age  int
	Band string // the age band's message key
}

// accessPage is an access log (access.html): a youth's own or a young
// child's (Own), or the installation's newest entries for admins.
type accessPage struct {
	basePage
	Entries []people.AccessEntry
	Own     bool   // about one youth, told to them or their guardian
	DataURL string // where that youth's data downloads, or ""
}

func (*accessPage) template() string { return "access" }

// cvPreviewPage shows a CV as it will be printed (cv_preview.html).
type cvPreviewPage struct {
	basePage
	Doc cv.Document
}

func (*cvPreviewPage) template() string { return "cv_preview" }
