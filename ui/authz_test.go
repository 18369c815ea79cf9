package ui

import (
	"net/url"
	"sort"
	"strings"
	"testing"
)

// principals that call every route: anonymous, each role in area A, a
// coordinator of area B (another area) and the installation admin.
var principals = []string{"anon", "youthA", "guardA", "ownerA", "coordA", "evalA", "emplA", "coordB", "admin"}

// expectedAccess is the explicit access table: who may use each route
// (with area A and area A's youth in the URL). A route missing here fails
// TestAuthorizationMatrix, so every new route must be decided on.
var expectedAccess = map[string][]string{
	"GET /login":                     {"*"},
	"POST /login":                    {"*"},
	"POST /lang":                     {"*"},
	"POST /logout":                   {"youthA", "guardA", "ownerA", "coordA", "evalA", "emplA", "coordB", "admin"},
	"GET /":                          {"youthA", "guardA", "ownerA", "coordA", "evalA", "emplA", "coordB", "admin"},
	"GET /admin":                     {"admin"},
	"POST /admin/areas":              {"admin"},
	"POST /admin/users":              {"admin"},
	"GET /a/:area/youths":            {"coordA"},
	"GET /a/:area/youths/new":        {"coordA"},
	"POST /a/:area/youths":           {"coordA"},
	"GET /a/:area/youths/:user<int>": {"coordA"},

	"GET /a/:area/tasks":                                {"youthA"},
	"POST /a/:area/tasks/:task<int>/claim":              {"youthA"},
	"POST /a/:area/tasks/:task<int>/cancel":             {"youthA"},
	"POST /a/:area/tasks/:task<int>/checkin":            {"youthA"},
	"POST /a/:area/tasks/:task<int>/checkout":           {"youthA"},
	"POST /a/:area/tasks/:task<int>/hours":              {"youthA"},
	"GET /a/:area/points":                               {"youthA"},
	"POST /a/:area/rewards/:reward<int>/request":        {"youthA"},
	"POST /a/:area/rewards/:reward<int>/pledge":         {"youthA"},
	"POST /a/:area/redemptions/:redemption<int>/cancel": {"youthA"},

	"GET /a/:area/manage/tasks":                                        {"coordA", "ownerA"},
	"GET /a/:area/manage/tasks/new":                                    {"coordA", "ownerA"},
	"POST /a/:area/manage/tasks":                                       {"coordA", "ownerA"},
	"GET /a/:area/manage/tasks/:task<int>":                             {"coordA", "ownerA"},
	"POST /a/:area/manage/tasks/:task<int>/status":                     {"coordA", "ownerA"},
	"POST /a/:area/manage/tasks/:task<int>/youths/:user<int>/checkin":  {"coordA", "ownerA"},
	"POST /a/:area/manage/tasks/:task<int>/youths/:user<int>/checkout": {"coordA", "ownerA"},
	"POST /a/:area/manage/tasks/:task<int>/youths/:user<int>/hours":    {"coordA", "ownerA"},
	"POST /a/:area/manage/tasks/:task<int>/youths/:user<int>/cancel":   {"coordA"},
	"POST /a/:area/manage/tasks/:task<int>/approve-all":                {"coordA"},
	"GET /a/:area/approvals":                                           {"coordA"},
	"POST /a/:area/approvals":                                          {"coordA"},
	"POST /a/:area/approvals/:entry<int>/reject":                       {"coordA"},
	"GET /a/:area/rewards":                                             {"coordA"},
	"POST /a/:area/rewards":                                            {"coordA"},
	"POST /a/:area/redemptions/:redemption<int>/confirm":               {"coordA"},
	"POST /a/:area/redemptions/:redemption<int>/refuse":                {"coordA"},
	"POST /a/:area/rewards/:reward<int>/pot/confirm":                   {"coordA"},
	"POST /a/:area/rewards/:reward<int>/close":                         {"coordA"},
	"POST /a/:area/rewards/:reward<int>/cancel":                        {"coordA"},
	"GET /a/:area/budget":                                              {"coordA"},
	"GET /a/:area/payroll.csv":                                         {"coordA"},
	"GET /a/:area/calendar":                                            {"coordA"},
	"POST /a/:area/calendar/add":                                       {"coordA"},
	"POST /a/:area/calendar/remove":                                    {"coordA"},
	"GET /a/:area/cv":                                                  {"youthA"},
	"POST /a/:area/cv":                                                 {"youthA"},
	"GET /a/:area/cv/preview":                                          {"youthA"},
	"GET /a/:area/cv.pdf":                                              {"youthA"},
	"GET /a/:area/cv.json":                                             {"youthA"},
	"POST /a/:area/cv/codes/:code<int>/revoke":                         {"youthA"},
	"GET /a/:area/youths/:user<int>/cv":                                {"coordA"},
	"POST /a/:area/youths/:user<int>/cv":                               {"coordA"},
	"GET /a/:area/youths/:user<int>/cv/preview":                        {"coordA"},
	"GET /a/:area/youths/:user<int>/cv.pdf":                            {"coordA"},
	"POST /a/:area/youths/:user<int>/cv/codes/:code<int>/revoke":       {"coordA"},
	"POST /a/:area/youths/:user<int>/courses":                          {"coordA"},
	"GET /v":       {"*"},
	"GET /v/:code": {"*"},
	"POST /a/:area/youths/:user<int>/consent/:action":    {"coordA"},
	"GET /consent/:token":                                {"*"},
	"POST /consent/:token":                               {"*"},
	"GET /a/:area/me/data.zip":                           {"youthA"},
	"GET /admin/retention":                               {"admin"},
	"POST /admin/retention":                              {"admin"},
	"POST /a/:area/youths/:user<int>/erase":              {"coordA"},
	"GET /admin/areas/:area<int>/cpr":                    {"admin"},
	"POST /admin/areas/:area<int>/youths/:user<int>/cpr": {"admin"},
	"GET /admin/areas/:area<int>/payroll-cpr.csv":        {"admin"},
	"GET /a/:area/children/:user<int>/access":            {}, // only a linked guardian of a child under 13: nobody in the matrix
	"GET /a/:area/children/:user<int>/data.zip":          {},
	"POST /a/:area/youths/:user<int>/guardian":           {"coordA"},
	"POST /a/:area/youths/:user<int>/pin":                {"coordA"},
	"POST /a/:area/youths/:user<int>/unlock":             {"coordA"},
	"POST /a/:area/youths/:user<int>/contact":            {"coordA"},
	"GET /a/:area/employers":                             {"coordA"},
	"POST /a/:area/employers":                            {"coordA"},
	"GET /admin/access":                                  {"admin"},
	"GET /a/:area/me/access":                             {"youthA"},
	"GET /a/:area/rules":                                 {"youthA", "guardA", "ownerA", "coordA", "evalA", "emplA"},

	// Employer bridging: coordinators of the area; the portal for the
	// area's employer contacts (which employer's data they reach is
	// decided per employer: TestEmployerPortalIsolation).
	"GET /a/:area/employers/:employer<int>":                                        {"coordA"},
	"POST /a/:area/employers/:employer<int>":                                       {"coordA"},
	"POST /a/:area/employers/:employer<int>/contacts":                              {"coordA"},
	"POST /a/:area/employers/:employer<int>/contacts/:index<int>":                  {"coordA"},
	"POST /a/:area/employers/:employer<int>/contacts/:index<int>/remove":           {"coordA"},
	"POST /a/:area/employers/:employer<int>/openings":                              {"coordA"},
	"POST /a/:area/employers/:employer<int>/shares":                                {"coordA"},
	"POST /a/:area/employers/:employer<int>/shares/:user<int>/remove":              {"coordA"},
	"GET /a/:area/openings/:opening<int>":                                          {"coordA"},
	"POST /a/:area/openings/:opening<int>/close":                                   {"coordA"},
	"GET /a/:area/pipeline":                                                        {"coordA"},
	"GET /a/:area/youths/:user<int>/pipeline":                                      {"coordA"},
	"POST /a/:area/youths/:user<int>/pipeline":                                     {"coordA"},
	"POST /a/:area/youths/:user<int>/activities":                                   {"coordA"},
	"POST /a/:area/youths/:user<int>/notes":                                        {"coordA"},
	"POST /a/:area/notes/:note<int>/done":                                          {"coordA"},
	"GET /a/:area/funnel":                                                          {"coordA"},
	"GET /a/:area/portal":                                                          {"emplA"},
	"GET /a/:area/portal/employers/:employer<int>/candidates/:user<int>":           {"emplA"},
	"POST /a/:area/portal/employers/:employer<int>/candidates/:user<int>/feedback": {"emplA"},
	"GET /eval":                         {"evalA"},
	"GET /eval/export.zip":              {"evalA"},
	"GET /eval/chart.svg":               {"evalA"},
	"GET /eval/chart.png":               {"evalA"},
	"GET /admin/evaluation":             {"admin"},
	"POST /admin/evaluation/import":     {"admin"},
	"GET /admin/evaluation/dst.csv":     {"admin"},
	"POST /admin/evaluation/rotate-key": {"admin"},

	// User management: admins only; the own account page: everyone logged in.
	"GET /admin/users":                                   {"admin"},
	"GET /admin/users/:user<int>":                        {"admin"},
	"POST /admin/users/:user<int>/roles/add":             {"admin"},
	"POST /admin/users/:user<int>/roles/remove":          {"admin"},
	"POST /admin/users/:user<int>/admin":                 {"admin"},
	"POST /admin/users/:user<int>/disable":               {"admin"},
	"POST /admin/users/:user<int>/enable":                {"admin"},
	"POST /admin/users/:user<int>/unlock":                {"admin"},
	"POST /admin/users/:user<int>/reset-totp":            {"admin"},
	"POST /admin/users/:user<int>/end-sessions":          {"admin"},
	"POST /admin/users/:user<int>/guardian-links/remove": {"admin"},
	"POST /admin/users/:user<int>/reset-secret":          {"admin"},
	"GET /inbox":                      {"youthA", "guardA", "ownerA", "coordA", "evalA", "emplA", "coordB", "admin"},
	"POST /inbox/read":                {"youthA", "guardA", "ownerA", "coordA", "evalA", "emplA", "coordB", "admin"},
	"GET /account":                    {"youthA", "guardA", "ownerA", "coordA", "evalA", "emplA", "coordB", "admin"},
	"POST /account/end-sessions":      {"youthA", "guardA", "ownerA", "coordA", "evalA", "emplA", "coordB", "admin"},
	"POST /account/contact":           {"youthA", "guardA", "ownerA", "coordA", "evalA", "emplA", "coordB", "admin"},
	"GET /admin/outbox":               {"admin"},
	"POST /admin/outbox/retry":        {"admin"},
	"POST /admin/outbox/retry-failed": {"admin"},
	// A youth's calendar feed: their own page, and the feed behind its token.
	"GET /a/:area/me/calendar":       {"youthA"},
	"POST /a/:area/me/calendar/new":  {"youthA"},
	"POST /a/:area/me/calendar/stop": {"youthA"},
	"GET /cal/:token":                {"*"},
	// The SMS texts' short link to the inbox (whoever is not logged in is
	// sent on to the login).
	"GET /b": {"*"},
	// The SMS gateway's webhook: no login admits it, only GatewayAPI's
	// signature (see TestSMSWebhook).
	"POST /sms/incoming": {},
}

func TestAuthorizationMatrix(t *testing.T) {
	f := newFixture(t)
	youth := f.users["youtha"]
	seen := map[string]bool{}
	routes := f.app.Routes()
	sort.Slice(routes, func(i, j int) bool { return routes[i].Path < routes[j].Path })
	for _, r := range routes {
		key := r.Method + " " + r.Path
		seen[key] = true
		allowed, ok := expectedAccess[key]
		if !ok {
			t.Errorf("route %s has no entry in expectedAccess: decide who may use it", key)
			continue
		}
		path := strings.NewReplacer(":area<int>", itoa(int(f.areaA.ID)), ":area", itoa(int(f.areaA.ID)), ":user<int>", itoa(int(youth.ID)),
			":task<int>", "1", ":entry<int>", "1", ":reward<int>", "1", ":redemption<int>", "1", ":code<int>", "1", ":employer<int>", "1", ":opening<int>", "1", ":note<int>", "1", ":index<int>", "0", ":code", "AAAA-BBBB-CCCC-DDDD", ":action", "paper", ":token", "no-such-token-0123456789").Replace(r.Path)
		for _, p := range principals {
			want := contains(allowed, "*") || contains(allowed, p)
			c := f.client()
			if p != "anon" {
				c.login(p)
			}
			var status int
			var body, loc string
			if r.Method == "GET" {
				resp, b := c.get(path)
				status, body, loc = resp.StatusCode, b, resp.Header.Get("Location")
			} else {
				page := "/"
				if p == "anon" {
					page = "/login"
				}
				form := url.Values{"_csrf": {c.token(page)}}
				resp, b := c.do(r.Method, path, form)
				status, body, loc = resp.StatusCode, b, resp.Header.Get("Location")
			}
			denied := status == 403 || strings.HasPrefix(loc, "/login?") ||
				(status == 401 && strings.Contains(body, f.msg("err.login_required")))
			if denied == want {
				t.Errorf("%s as %s: status %d (location %q), want allowed=%v", key, p, status, loc, want)
			}
			if status >= 500 {
				t.Errorf("%s as %s: server error %d", key, p, status)
			}
		}
	}
	for key := range expectedAccess {
		if !seen[key] {
			t.Errorf("expectedAccess lists %s, which is not registered", key)
		}
	}
}
