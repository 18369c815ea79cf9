// Package ui is the web app: fiber routes, thin handlers, middleware,
// templates, static files and message catalogues, all embedded in the
// binary. Handlers parse input, call one domain function and render; domain
// errors become a status and a translated message in one place (errors.go).
package ui

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/gofiber/fiber/v2/middleware/session"

	"fritidsjob/cv"
	"fritidsjob/employers"
	"fritidsjob/evaluation"
	"fritidsjob/jobs"
	"fritidsjob/notify"
	"fritidsjob/notify/sms"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store"
)

//go:embed static
var staticFS embed.FS

// Config is how the app is served. Zero values get safe defaults.
type Config struct {
	// Secret keys the CSRF tokens (and later pseudonyms); at least 32 bytes.
	Secret []byte
	// Secure marks the app as reached over HTTPS (directly or through a
	// trusted proxy): cookies get Secure and the __Host- prefix, and HSTS is sent.
	Secure bool
	// TrustedProxies are the reverse proxies' addresses or networks
	// (10.0.0.1, 10.0.0.0/8, 2001:db8::/48) whose X-Forwarded-* headers are
	// believed; everyone else's are ignored. A bad entry makes New fail.
	// The client's address is then the right-most X-Forwarded-For entry
	// that is not a trusted proxy (clientIP).
	TrustedProxies []string
	// SessionIdle logs a user out after this long without a request (default 2 h).
	SessionIdle time.Duration
	// SessionMax is a session's absolute lifetime (default 12 h).
	SessionMax time.Duration
	// BodyLimit caps request bodies (default 1 MiB); larger ones get 413.
	BodyLimit int
	Logger    *slog.Logger
	// AccessLog, when set, gets one line per request in the Logger's text
	// format (msg=request), written directly: formatting through slog cost
	// a tenth of a cached page's CPU. One Write per line; nil sends the
	// lines through Logger.
	AccessLog io.Writer
	Now       func() time.Time
	// AccessLogRetention is how long access-log entries are kept before the
	// daily retention job deletes them (default 2 years).
	AccessLogRetention time.Duration
	// InactiveYouthRetention is how long a youth may be without any
	// activity (no task claimed, no participation) before the retention job
	// erases their personal data (default 2 years; the admin sees a dry run).
	InactiveYouthRetention time.Duration
	// CaseNoteRetention is how long coordinators' case notes are kept
	// before the daily retention job deletes them (default 2 years; a note
	// with a pending follow-up stays).
	CaseNoteRetention time.Duration
	// DigitalConsentAge: below it a linked guardian may see a youth's access
	// log and data (DBL § 6; 13 by default).
	DigitalConsentAge int
	// PublicURL is the address printed on CVs for their verification
	// page; the request's own address when empty.
	PublicURL string
	// Ready reports whether the app can serve (store reachable); /readyz uses it.
	Ready func() error
	// RequireSecondFactor makes admins, coordinators and evaluators enrol
	// a TOTP second factor at their next login (ASVS 6.3.3). Whoever has
	// enrolled is asked for a code either way.
	RequireSecondFactor bool
	// Channels names the external channels this installation sends on
	// ("sms", "email"): those the delivery worker was given. The account
	// page says which of the others are off; the admin's outbox too.
	Channels []string
	// SMSWebhookSecret is the secret GatewayAPI signs its incoming-SMS
	// webhooks with; without it /sms/incoming refuses every call.
	SMSWebhookSecret []byte
}

// Deps are the domain services the handlers call.
type Deps struct {
	DB     store.DB
	People *people.Service
	Jobs   *jobs.Service
	Points *points.Service
	CV     *cv.Service
	// Employers is optional until employer bridging has its pages; without
	// it the employer register is not offered.
	Employers *employers.Service
	// Notify is the inbox service; without it one is made on DB.
	Notify *notify.Service
	// SMSStops is the SMS stop list that replies STOP and START change;
	// without it /sms/incoming refuses every call.
	SMSStops *sms.StopList
}

// App is the configured fiber application.
type App struct {
	fiber     *fiber.App
	cfg       Config
	log       *slog.Logger
	msg       catalog
	people    *people.Service
	jobs      *jobs.Service
	points    *points.Service
	cv        *cv.Service
	employers *employers.Service
	notify    *notify.Service
	smsStops  *sms.StopList
	eval      *evaluation.Exporter
	importer  *evaluation.Importer
	fits      *fitCache
	exports   *exportSlots
	pages     *pageCache
	logins    *genCache[loginState]
	areas     *genCache[people.Area]
	renderer  *cv.Renderer
	db        store.DB
	sessions  *session.Store
	kv        *kvStorage
	routes    []Route
	cookies   cookieNames
	proxies   []netip.Prefix // cfg.TrustedProxies, parsed

	// verifyLimit limits the public verification page per client address.
	verifyLimit *rateLimiter
}

type cookieNames struct{ session, pre, lang string }

// New builds the app, parses every template and registers every route.
func New(cfg Config, d Deps) (*App, error) {
	if len(cfg.Secret) < 32 {
		return nil, errors.New("ui: secret must be at least 32 bytes")
	}
	if d.DB == nil || d.People == nil || d.Jobs == nil || d.Points == nil || d.CV == nil {
		return nil, errors.New("ui: missing dependencies")
	}
	cfg = cfg.withDefaults()
	proxies, err := parseTrustedProxies(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	msg, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: cfg.Logger, msg: msg, people: d.People, jobs: d.Jobs, points: d.Points,
		cv: d.CV, renderer: cv.NewRenderer(256), db: d.DB, employers: d.Employers,
		pages: newPageCache(512), logins: newGenCache[loginState](4096),
		areas: newGenCache[people.Area](256), proxies: proxies}
	a.smsStops = d.SMSStops
	if a.notify = d.Notify; a.notify == nil {
		a.notify = notify.NewService(d.DB, cfg.Now)
	}
	a.fits = newFitCache(runtime.GOMAXPROCS(0), fitQueueWait) // one fit per core at a time
	a.exports = newExportSlots(exportWriteTimeout)
	a.verifyLimit = newRateLimiter(verifyRateLimit, time.Minute, rateLimitAddresses)
	if a.eval, a.importer, err = newEvaluation(cfg, d); err != nil {
		return nil, err
	}
	a.cookies = cookieNames{session: "fj_session", pre: "fj_pre", lang: "fj_lang"}
	if cfg.Secure {
		// __Host- cookies are only accepted over HTTPS, for this host and path /.
		a.cookies = cookieNames{session: "__Host-fj_session", pre: "__Host-fj_pre", lang: "fj_lang"}
	}
	v := newViews(templateFuncs(msg))
	if err := v.Load(); err != nil {
		return nil, err
	}
	// Sessions are quiet writes: no kept page shows them (store.Quieter).
	a.kv = newKVStorage(store.Quiet(d.DB), "sessions", cfg.Now)
	a.sessions = a.newSessions()
	a.fiber = fiber.New(a.fiberConfig(v))
	if err := a.useMiddleware(); err != nil {
		return nil, err
	}
	a.registerRoutes()
	a.fiber.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	return a, nil
}

// withDefaults is cfg with its zero values replaced by the defaults.
func (cfg Config) withDefaults() Config {
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 2 * time.Hour
	}
	if cfg.SessionMax <= 0 {
		cfg.SessionMax = 12 * time.Hour
	}
	if cfg.DigitalConsentAge <= 0 {
		cfg.DigitalConsentAge = 13
	}
	if cfg.InactiveYouthRetention <= 0 {
		cfg.InactiveYouthRetention = 2 * 365 * 24 * time.Hour
	}
	if cfg.CaseNoteRetention <= 0 {
		cfg.CaseNoteRetention = 2 * 365 * 24 * time.Hour
	}
	if cfg.AccessLogRetention <= 0 {
		cfg.AccessLogRetention = 2 * 365 * 24 * time.Hour
	}
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = 1 << 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Ready == nil {
		cfg.Ready = func() error { return nil }
	}
	return cfg
}

// newSessions is the session store: IDs of 256 random bits in an
// HttpOnly, SameSite=Lax cookie kept in a.kv.
func (a *App) newSessions() *session.Store {
	return session.New(session.Config{
		Storage:        a.kv,
		Expiration:     a.cfg.SessionMax,
		KeyLookup:      "cookie:" + a.cookies.session,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   a.cfg.Secure,
		CookieSameSite: "Lax",
		// The cookie ends with the browser (shared youth-club PCs);
		// saveSession makes it last for a staff member's "husk mig".
		CookieSessionOnly: true,
		KeyGenerator:      randomToken,
	})
}

// fiberConfig is how fiber serves the app, rendering with v.
func (a *App) fiberConfig(v fiber.Views) fiber.Config {
	// fiber believes X-Forwarded-Proto and -Host (c.Protocol(),
	// c.Hostname()) only from the trusted proxies. No ProxyHeader: c.IP()
	// would return the left-most X-Forwarded-For entry, which the client
	// writes; the app uses clientIP instead.
	return fiber.Config{
		Views:                   v,
		Immutable:               true,
		BodyLimit:               a.cfg.BodyLimit,
		ReadTimeout:             10 * time.Second,
		WriteTimeout:            30 * time.Second,
		IdleTimeout:             60 * time.Second,
		ErrorHandler:            a.handleError,
		DisableStartupMessage:   true,
		EnableTrustedProxyCheck: true,
		TrustedProxies:          fiberProxies(a.proxies),
	}
}

// useMiddleware puts the middleware every request passes through in
// order (see DESIGN.md), with the static files and the health checks
// before the session.
func (a *App) useMiddleware() error {
	a.fiber.Use(recover.New())
	a.fiber.Use(requestid.New())
	a.fiber.Use(a.accessLog)
	a.fiber.Use(a.securityHeaders)
	a.fiber.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed, Next: func(c *fiber.Ctx) bool {
		// PDFs are compressed already, and downloads go out as they are.
		p := c.Path()
		return strings.HasSuffix(p, ".pdf") || strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".zip")
	}}))
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return err
	}
	a.fiber.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(static), MaxAge: 86400}))
	a.fiber.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	a.fiber.Get("/readyz", a.readyz)
	// The SMS gateway's webhook: before the session and CSRF check, as the
	// gateway has neither; its signature (a JWT) authenticates it.
	a.handle(fiber.MethodPost, "/sms/incoming", public, a.smsIncoming)
	a.fiber.Use(a.loadSession, a.checkCSRF)
	return nil
}

// templateFuncs are the functions the templates call: translation (t, and
// tn for a message with a count), dates, money, points and small helpers.
func templateFuncs(msg catalog) template.FuncMap {
	return template.FuncMap{
		"t":       msg.T,
		"tn":      msg.tn,
		"date":    formatDate,
		"kr":      formatKroner,
		"list":    func(s ...string) []string { return s },
		"dict":    dict,
		"when":    msg.when,
		"clock":   func(t time.Time) string { return t.In(people.Copenhagen).Format("15:04") },
		"isodate": func(t time.Time) string { return t.In(people.Copenhagen).Format(time.DateOnly) },
		"dur":     msg.duration,
		"pts":     formatPoints,
		// newkey gives each rendered form its own idempotency key, so a
		// double click or a resent form books once.
		"newkey":     randomToken,
		"sub":        func(a, b int) int { return a - b },
		"subPoints":  func(a, b int64) int64 { return a - b },
		"int":        func(m time.Month) int { return int(m) },
		"twoDigits":  twoDigits,
		"monthParam": monthParam,
		"join":       strings.Join,
		"inc":        func(i int) int { return i + 1 },
		"reason":     msg.reason,
		"pdfpath": func(p string) string {
			return strings.Replace(strings.SplitN(p, "?", 2)[0], "/cv/preview", "/cv.pdf", 1)
		},
	}
}

// Fiber exposes the fiber app, for tests (app.Test) and serving.
func (a *App) Fiber() *fiber.App { return a.fiber }

// Serve answers on ln until Shutdown.
func (a *App) Serve(ln net.Listener) error { return a.fiber.Listener(ln) }

// Shutdown stops accepting connections and waits up to timeout for
// in-flight requests.
func (a *App) Shutdown(timeout time.Duration) error { return a.fiber.ShutdownWithTimeout(timeout) }

// RunSweepers deletes expired sessions and login counters until ctx ends.
func (a *App) RunSweepers(ctx context.Context, every time.Duration) {
	go sweepEvery(ctx, every, a.log, "sessions", a.kv.Sweep)
	go sweepEvery(ctx, every, a.log, "login throttle", a.people.SweepThrottle)
	go sweepEvery(ctx, 24*time.Hour, a.log, "access-log retention", a.pruneAccessLog)
	go sweepEvery(ctx, 24*time.Hour, a.log, "inactive-youth retention", a.eraseInactive)
	go sweepEvery(ctx, 24*time.Hour, a.log, "case-note retention", a.pruneCaseNotes)
}

func (a *App) readyz(c *fiber.Ctx) error {
	if err := a.cfg.Ready(); err != nil {
		a.log.Warn("not ready", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("not ready")
	}
	return c.SendString("ready")
}

// accessLog writes one structured line per request. It logs the path but
// not the query string, which may carry search criteria about a child.
func (a *App) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		var fe *fiber.Error
		if errors.As(err, &fe) {
			status = fe.Code
		} else {
			status = fiber.StatusInternalServerError
		}
	}
	var user uint64
	if u := currentUser(c); u != nil {
		user = u.ID
	}
	if a.cfg.AccessLog == nil {
		attrs := []any{"method", c.Method(), "path", c.Path(), "status", status,
			"ms", float64(time.Since(start).Microseconds()) / 1000, "rid", requestID(c)}
		if user != 0 {
			attrs = append(attrs, "user", user)
		}
		a.log.Info("request", attrs...)
	} else if a.log.Enabled(context.Background(), slog.LevelInfo) {
		end := time.Now()
		b := appendAccessLine(make([]byte, 0, 192), end, c.Method(), c.Path(), status,
			end.Sub(start), requestID(c), user)
		_, _ = a.cfg.AccessLog.Write(b) // as slog does, a failed log write does not fail the request
	}
	return err
}

func requestID(c *fiber.Ctx) string {
	if s, ok := c.Locals(requestid.ConfigDefault.ContextKey).(string); ok {
		return s
	}
	return ""
}

// cspPolicy allows only our own files: no inline script, no framing, no
// plugins, forms only to ourselves.
const cspPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// securityHeaders sets the headers every response carries; the error
// handler calls setSecurityHeaders too, for responses made outside the chain.
func (a *App) securityHeaders(c *fiber.Ctx) error {
	a.setSecurityHeaders(c)
	return c.Next()
}

func (a *App) setSecurityHeaders(c *fiber.Ctx) {
	h := &c.Response().Header
	for _, kv := range securityHeaders {
		h.SetCanonical(kv[0], kv[1])
	}
	if a.cfg.Secure {
		h.SetCanonical(hstsHeader[0], hstsHeader[1])
	}
	if len(c.Path()) < 8 || c.Path()[:8] != "/static/" {
		// Pages are about children: never keep them in a shared or back-button cache.
		h.SetCanonical(noStoreHeader[0], noStoreHeader[1])
	}
}

// The headers of every response, in canonical form.
var (
	securityHeaders = [][2][]byte{
		{[]byte("Content-Security-Policy"), []byte(cspPolicy)},
		{[]byte("X-Content-Type-Options"), []byte("nosniff")},
		{[]byte("X-Frame-Options"), []byte("DENY")},
		// same-origin, not no-referrer: the CSRF origin check over HTTPS needs a Referer.
		{[]byte("Referrer-Policy"), []byte("same-origin")},
		{[]byte("Cross-Origin-Opener-Policy"), []byte("same-origin")},
		{[]byte("Cross-Origin-Resource-Policy"), []byte("same-origin")},
		{[]byte("Permissions-Policy"), []byte("camera=(), microphone=(), geolocation=(), interest-cohort=()")},
	}
	hstsHeader    = [2][]byte{[]byte("Strict-Transport-Security"), []byte("max-age=63072000; includeSubDomains")}
	noStoreHeader = [2][]byte{[]byte("Cache-Control"), []byte("no-store")}
)

// Route is one registered route and who may use it.
type Route struct {
	Method string
	Path   string
	Access Access
}

// Routes lists every route the app registered with its access rule, for
// the authorization matrix test.
func (a *App) Routes() []Route { return append([]Route(nil), a.routes...) }

func (a *App) handle(method, path string, acc Access, h fiber.Handler) {
	a.routes = append(a.routes, Route{Method: method, Path: path, Access: acc})
	a.fiber.Add(method, path, a.authorize(acc), h)
}
