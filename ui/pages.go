package ui

import (
	"html/template"
	"time"

	"fritidsjob/cv"
	"fritidsjob/employers"
	"fritidsjob/evaluation"
	"fritidsjob/jobs"
	"fritidsjob/jobs/rules"
	"fritidsjob/participation"
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
	Unread    int          // the user's unread inbox messages: the bell

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

// inboxPage is the logged-in user's own inbox (inbox.html), newest first,
// one page at a time.
type inboxPage struct {
	basePage
	Messages []inboxItem
	Next     uint64 // the cursor of the next page, 0 on the last
}

func (*inboxPage) template() string { return "inbox" }

// feedPage is a youth's own page for the calendar feed of their tasks
// (feed.html): whether they have one, and its address right after they
// made it (the store keeps only its hash, so it is shown once).
type feedPage struct {
	basePage
	Active  bool
	Created time.Time
	Link    string       // the new feed's address, shown once
	Webcal  template.URL // the same as a webcal:// link, which a phone subscribes to (built here, not typed by anyone)
}

func (*feedPage) template() string { return "feed" }

// inboxItem is one inbox message as shown: its text in the reader's
// language.
type inboxItem struct {
	ID      uint64
	Text    string
	Link    string // where the reader acts on it, or ""
	Created time.Time
	Unread  bool
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
	// Sent is the youth's "sent to you" list (Own only), newest first;
	// SentMore links to the next page, "" on the last.
	Sent     []sentItem
	SentMore string
}

// sentItem is one message in a youth's "sent to you" list: its text, the
// channel it went by (or is waiting for), its state and when.
type sentItem struct {
	Text     string
	Channel  string    // the message key of the channel's name
	Guardian bool      // sent to the youth's guardian
	State    string    // the message key of its state
	At       time.Time // when it was sent, or created while waiting or failed
}

func (*accessPage) template() string { return "access" }

// cvPreviewPage shows a CV as it will be printed (cv_preview.html).
type cvPreviewPage struct {
	basePage
	Doc cv.Document
}

func (*cvPreviewPage) template() string { return "cv_preview" }

// adminPage is the administrator's start page (admin.html).
type adminPage struct {
	basePage
	Areas      []people.Area
	UserCount  int
	StaffRoles []people.Role // the roles the new-user form offers
}

func (*adminPage) template() string { return "admin" }

// adminEvaluationPage is the administrator's evaluation page
// (admin_evaluation.html): history import, linkage file, export key.
type adminEvaluationPage struct {
	basePage
	Areas       []people.Area
	Fingerprint string      // of the current export key
	From, To    int         // the linkage form's default years
	RowErrors   []importRow // a refused import's bad rows, said in the reader's language
	// RowErrorsShown says that RowErrors are the first of more, when they are.
	RowErrorsShown string
	Report         *evaluation.ImportReport // after an import, else nil
}

func (*adminEvaluationPage) template() string { return "admin_evaluation" }

// approvalsPage is a coordinator's approval queue (approvals.html).
type approvalsPage struct {
	basePage
	Rows []queueRow
}

func (*approvalsPage) template() string { return "approvals" }

// calendarPage is an area's school holidays (calendar.html).
type calendarPage struct {
	basePage
	Calendar rules.AreaCalendar
}

func (*calendarPage) template() string { return "calendar" }

// candidatePage is a shared candidate as an employer contact sees them
// (candidate.html).
type candidatePage struct {
	basePage
	E        employers.Employer
	C        employers.Candidate
	Feedback []employers.Feedback
}

func (*candidatePage) template() string { return "candidate" }

// consentPage is a guardian's one-time consent page (consent.html): the
// question, the thanks (Given) or the closed link (Closed).
type consentPage struct {
	basePage
	Closed    bool
	Given     bool
	YouthName string
	AreaName  string
	Token     string
}

func (*consentPage) template() string { return "consent" }

// cprPage is where an administrator enters CPR numbers (cpr.html).
type cprPage struct {
	basePage
	AreaRec people.Area // the area of the URL (admins hold no area role)
	Rows    []cprRow
	Month   string // the payroll file's default month, YYYY-MM
}

func (*cprPage) template() string { return "cpr" }

// cvPage is a CV editor (cv.html): the youth's own, or a coordinator's.
type cvPage struct {
	basePage
	Youth   people.YouthView
	CV      cv.CV // as stored, or as sent after a refusal
	Lines   []cvLine
	Courses []cv.Course
	Codes   []cv.Code
	Staff   bool   // a coordinator's view
	Base    string // the CV's URL
	Now     time.Time
	Edu     []cv.Item // the repeated sections with empty rows to fill
	Own     []cv.Item
	Langs   []cv.Language
	Refs    []cv.Ref
	CanEdit bool
}

func (*cvPage) template() string { return "cv" }

// cvLine is a verified line of the CV with its text.
type cvLine struct {
	cv.VerifiedLine
	Text string
}

// employerPage is one employer (employer.html).
type employerPage struct {
	basePage
	employerEdit
	E            employers.Employer
	Openings     []employers.Opening
	Shares       []employers.Share
	Feedback     []employers.Feedback
	Youths       []people.YouthView // the share form's choice
	Names        map[uint64]string  // youth names by ID
	ContactUsers []people.User      // logins a contact person may have
}

func (*employerPage) template() string { return "employer" }

// employerEdit is which of the employer page's edit forms a refusal opens
// again.
type employerEdit struct {
	Editing        bool // the employer's details
	EditingContact bool // the contact person at EditContact
	EditContact    int
}

// employersPage is an area's employer register (employers.html).
type employersPage struct {
	basePage
	Employers    []employers.Employer
	ContactUsers []people.User
}

func (*employersPage) template() string { return "employers" }

// evaluationPage is an evaluator's page (evaluation.html): the choice of
// areas, years and start types, and the chart for it.
type evaluationPage struct {
	basePage
	chartView
	Areas    []people.Area
	Chosen   map[uint64]bool // the ticked areas
	From, To int
	Types    []participation.Type
}

func (*evaluationPage) template() string { return "evaluation" }

// chartView is what the evaluation page shows of the fit (chartData).
type chartView struct {
	ChartGender         string       // "", "female" or "male"
	ChartSVG, ChartPNG  template.URL // the chart for the page and to download
	ChartDropped        string       // calendar years left out, or ""
	ChartRefusal        string       // why there is no chart, or ""
	ChartRows           []chartRow   // the chart as a table
	ChartCounterfactual bool         // the comparison is a counterfactual
	ChartYears          string       // the relative years shown, "a..b"
}

// openingPage is an opening with the youths it suggests (opening.html).
type openingPage struct {
	basePage
	O       employers.Opening
	E       employers.Employer
	Matches []employers.Suggestion
	Others  []employers.Suggestion
}

func (*openingPage) template() string { return "opening" }

// pipelinePage is a coordinator's pipeline overview (pipeline.html).
type pipelinePage struct {
	basePage
	Rows       []pipelineRow
	Due        []employers.Note
	Inactive   []uint64 // youths with no step, activity or note for Days
	Names      map[uint64]string
	Days       int
	Historical int // imported youths left out
}

func (*pipelinePage) template() string { return "pipeline" }

// pointsPage is a youth's points and rewards (points.html).
type pointsPage struct {
	basePage
	Balance     points.Balances
	History     []points.Entry
	Rewards     []points.Reward // open and not funded
	Redemptions []points.Redemption
	Titles      map[uint64]string // reward titles by ID
	Requested   map[uint64]bool   // rewards the youth asked for or got
}

func (*pointsPage) template() string { return "points" }

// retentionPage is the administrator's dry run of the retention jobs
// (retention.html).
type retentionPage struct {
	basePage
	AccessDue    int
	Cutoff       time.Time
	Days         int // access-log retention
	Inactive     []inactiveYouth
	InactiveDays int
	NotesDue     int
	NoteDays     int
}

func (*retentionPage) template() string { return "retention" }

// rewardsPage is a coordinator's rewards and requests (rewards.html).
type rewardsPage struct {
	basePage
	Rows  []rewardRow
	Names map[uint64]string // youth names by ID
}

func (*rewardsPage) template() string { return "rewards" }

// taskPage is one task for staff (task.html).
type taskPage struct {
	basePage
	Task          jobs.Task
	TaskDay       string // the task's date, for the hours form
	Rows          []taskRow
	Candidates    []candidate
	Pending       int // entries waiting for approval
	IsCoordinator bool
}

func (*taskPage) template() string { return "task" }

// taskNewPage is the form for a new task (task_new.html).
type taskNewPage struct {
	basePage
	Categories    []jobs.Category
	Commissioners []jobs.Commissioner
}

func (*taskNewPage) template() string { return "task_new" }

// totpLoginPage asks a pending login for its code (totp_login.html).
type totpLoginPage struct {
	basePage
	Next string
}

func (*totpLoginPage) template() string { return "totp_login" }

// totpSetupPage is the second factor's page (totp_setup.html): the
// recovery codes once (Codes), the state when on already (Enabled), or
// enrolment.
type totpSetupPage struct {
	basePage
	Codes        []string
	Enabled      bool
	RecoveryLeft int
	Next         string
	Pending      bool // not logged in until enrolled
	Required     bool // the user's role needs a second factor
	Secret       string
	QR           template.HTML
	Link         template.URL // the otpauth:// URL
}

func (*totpSetupPage) template() string { return "totp_setup" }

// verifyPage is the public CV check (verify.html): the form, a closed
// code (Closed) or what the code verifies (Verified).
type verifyPage struct {
	basePage
	Verified *cv.Verified
	Lines    []cv.WorkLine
	AreaName string
	Closed   bool
	Code     string
}

func (*verifyPage) template() string { return "verify" }

// youthPage is a youth's profile for a coordinator (youth.html).
type youthPage struct {
	basePage
	Y                people.YouthView
	Age              int
	Band             string // the age band's message key
	Consents         []people.Consent
	ConsentActive    bool
	GuardianAccounts []people.User
	NeedsConsent     bool   // under 15: wage tasks wait for consent
	ConsentLink      string // a consent link just made, shown once
	// Contact is the youth's phone and SMS choice as the coordinator's
	// form shows them: as stored, or as typed when ContactRefused.
	Contact        map[string]string
	ContactRefused bool
}

func (*youthPage) template() string { return "youth" }

// youthNewPage is the form for a new youth (youth_new.html).
type youthNewPage struct{ basePage }

func (*youthNewPage) template() string { return "youth_new" }

// youthPipelinePage is one youth's pipeline (youth_pipeline.html).
type youthPipelinePage struct {
	basePage
	Y             people.YouthView
	P             *employers.Pipeline // nil before the first step
	Stage         employers.Stage
	Next          []employers.Stage // where the youth may move
	Activities    []employers.Activity
	Notes         []employers.Note
	Spells        []employers.JobSpell
	Suggestions   []employers.Suggestion
	Shares        []employers.Share
	Feedback      []employers.Feedback
	By            map[uint64]string // names of who moved the youth and wrote notes
	EmployerNames map[uint64]string
	Today         string
	EndReasons    []employers.EndReason
	Kinds         []employers.ActivityKind
}

func (*youthPipelinePage) template() string { return "youth_pipeline" }

// adminUsersPage is the administrator's user list (admin_users.html).
type adminUsersPage struct {
	basePage
	Areas       []people.Area
	SearchRoles []people.Role // the roles the list can filter by
	Rows        []userRow
	Shown       string // how many users the page shows, translated
	Partial     string // why the search stopped early, or ""
	NextURL     string // the next page, or ""
}

func (*adminUsersPage) template() string { return "admin_users" }

// adminUserPage is one account with what an administrator can do to it
// (admin_user.html).
type adminUserPage struct {
	basePage
	A          people.Account
	RoleAreas  []areaRoles
	Areas      []people.Area
	StaffRoles []people.Role // the roles an administrator may give
	Self       bool          // the administrator's own account
	PIN        bool          // a youth's PIN account
	Links      []guardianLinkRow
}

func (*adminUserPage) template() string { return "admin_user" }

// adminUserSecretPage shows a new temporary password or PIN once
// (admin_user_secret.html).
type adminUserSecretPage struct {
	basePage
	A      people.Account
	Secret string
	PIN    bool
}

func (*adminUserSecretPage) template() string { return "admin_user_secret" }

// ownAccountPage is the logged-in user's own account (account.html).
type ownAccountPage struct {
	basePage
	RoleAreas []areaRoles
	TOTP      bool // a second factor is set up
	Password  bool // a password account, which may set one up
	// ChannelsOff are the external channels ("sms", "email") this
	// installation does not send on: the contact form says so.
	ChannelsOff []string
	Youth       bool // a youth: the form says SMS and e-mail keep quiet at night
}

func (*ownAccountPage) template() string { return "account" }

// adminOutboxPage is the administrator's outbox (admin_outbox.html):
// counts per external channel, the channels that are off, and one page of
// the queued and failed messages, newest first.
type adminOutboxPage struct {
	basePage
	Channels    []outboxChannel
	ChannelsOff []string
	Inbox       int // messages in the users' inboxes (kept 90 days)
	Rows        []outboxRow
	Next        uint64 // the cursor of the next page, 0 on the last
}

func (*adminOutboxPage) template() string { return "admin_outbox" }
