package ui

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs"
	"fritidsjob/people"
)

// taskForm is a valid task form for Saturday 28 November 2026 10–12.
func taskForm(mod func(url.Values)) url.Values {
	v := url.Values{"title": {"Oprydning i fælleshuset"}, "description": {"Borde og stole på plads"},
		"category": {"tidying"}, "commissioner": {"caretakers"}, "place": {"Fælleshuset"},
		"day": {"2026-11-28"}, "from": {"10:00"}, "to": {"12:00"}, "slots": {"2"}, "min_age": {"10"}, "max_age": {"17"},
		"supervisor": {"Bjarne Ærø"}, "pay": {"points"}, "points": {"50"}, "repeat": {"1"}, "publish": {"on"}}
	if mod != nil {
		mod(v)
	}
	return v
}

var idRe = regexp.MustCompile(`/tasks/(\d+)/claim`)

// TestTaskFlow: a coordinator posts a task, a youth claims it and records
// hours, the coordinator approves, the youth sees the points; the queue
// refuses to pay twice.
func TestTaskFlow(t *testing.T) {
	f := newFixture(t)
	coord := f.loggedIn("coordA")
	resp, body := coord.post(areaPath(f.areaA, "/manage/tasks/new"), areaPath(f.areaA, "/manage/tasks"), taskForm(nil))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create task: %d\n%s", resp.StatusCode, body)
	}
	youth := f.loggedIn("youthA")
	_, body = youth.get(areaPath(f.areaA, "/tasks"))
	m := idRe.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "Oprydning i fælleshuset") || !strings.Contains(body, f.msg("day.6")+" 28-11-2026 10:00–12:00") {
		t.Fatalf("youth does not see the task with its Danish date\n%s", body)
	}
	taskID := m[1]
	resp, _ = youth.post(areaPath(f.areaA, "/tasks"), areaPath(f.areaA, "/tasks/"+taskID+"/claim"), nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "done=claimed") {
		t.Fatalf("claim: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body = youth.get(resp.Header.Get("Location")); !strings.Contains(body, f.msg("done.claimed")) {
		t.Fatal("no confirmation after claim")
	}
	// Claiming twice is refused with a Danish reason.
	if resp, body := youth.post(areaPath(f.areaA, "/tasks"), areaPath(f.areaA, "/tasks/"+taskID+"/claim"), nil); resp.StatusCode != 409 || !strings.Contains(body, f.msg("err.jobs.already_claimed")) {
		t.Fatalf("double claim: %d", resp.StatusCode)
	}
	// After the task, the youth enters the hours.
	f.clock.Add(4 * 24 * time.Hour)
	youth.login("youthA") // four days later: the sessions have gone idle
	coord.login("coordA")
	hours := url.Values{"day": {"2026-11-28"}, "from": {"10:00"}, "to": {"12:00"}, "break": {"0"}}
	if resp, body := youth.post(areaPath(f.areaA, "/tasks"), areaPath(f.areaA, "/tasks/"+taskID+"/hours"), hours); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("hours: %d\n%s", resp.StatusCode, body)
	}
	_, body = coord.get(areaPath(f.areaA, "/approvals"))
	em := regexp.MustCompile(`name="entry" value="(\d+)"`).FindStringSubmatch(body)
	if em == nil || !strings.Contains(body, f.users["youtha"].DisplayName) {
		t.Fatalf("approval queue lacks the entry\n%s", body)
	}
	other := f.loggedIn("coordA") // a second coordinator with the same queue open
	otherToken := other.token(areaPath(f.areaA, "/approvals"))
	resp, _ = coord.post(areaPath(f.areaA, "/approvals"), areaPath(f.areaA, "/approvals"), url.Values{"entry": {em[1]}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", resp.StatusCode)
	}
	resp, body = other.do("POST", areaPath(f.areaA, "/approvals"), url.Values{"_csrf": {otherToken}, "entry": {em[1]}})
	if resp.StatusCode != 409 || !strings.Contains(body, f.msg("err.jobs.already_decided")) {
		t.Fatalf("second approval: %d", resp.StatusCode)
	}
	_, body = youth.get(areaPath(f.areaA, "/points"))
	if !regexp.MustCompile(`id="balance-points">50<`).MatchString(body) {
		t.Fatalf("youth does not see 50 points\n%s", body)
	}
	b, _ := f.points.Balance(f.areaA.ID, f.users["youtha"].ID)
	if b.Points != 50 {
		t.Fatalf("ledger balance %d", b.Points)
	}
	// The same hours sent again, by the youth or the coordinator, are the
	// approved entry: nothing new to approve, and the page says so.
	resp, _ = youth.post(areaPath(f.areaA, "/tasks"), areaPath(f.areaA, "/tasks/"+taskID+"/hours"), hours)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "done=hours_already_approved") {
		t.Fatalf("the youth's approved hours again: %d %s", resp.StatusCode, loc)
	}
	staffHours := areaPath(f.areaA, "/manage/tasks/"+taskID+"/youths/"+itoa(int(f.users["youtha"].ID))+"/hours")
	resp, _ = coord.post(areaPath(f.areaA, "/manage/tasks/"+taskID), staffHours, hours)
	if _, body = coord.get(resp.Header.Get("Location")); !strings.Contains(body, f.msg("done.hours_already_approved")) {
		t.Fatalf("the coordinator's approved hours again: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if _, body = coord.get(areaPath(f.areaA, "/approvals")); strings.Contains(body, `name="entry"`) {
		t.Fatal("hours sent again made new work to approve")
	}
}

func TestTaskFormBadInput(t *testing.T) {
	f := newFixture(t)
	coord := f.loggedIn("coordA")
	cases := []struct {
		mod func(url.Values)
		key string // of the message the page shows
	}{
		{func(v url.Values) { v.Set("to", "09:00") }, "invalid.end.before_start"},
		{func(v url.Values) { v.Set("day", "2026-02-30") }, "invalid.start.format"},
		{func(v url.Values) { v.Set("slots", "-3") }, "invalid.slots.range"},
		{func(v url.Values) { v.Set("pay", "wage"); v.Set("rate", "abc") }, "invalid.rate.format"},
		{func(v url.Values) { v.Set("title", " ") }, "invalid.title.required"},
		{func(v url.Values) { v.Set("min_age", "16"); v.Set("max_age", "12") }, "invalid.age.range"},
		{func(v url.Values) { v.Set("category", "party") }, "invalid.category.unknown"},
	}
	for _, c := range cases {
		resp, body := coord.post(areaPath(f.areaA, "/manage/tasks/new"), areaPath(f.areaA, "/manage/tasks"), taskForm(c.mod))
		if resp.StatusCode != 400 || !strings.Contains(body, f.msg(c.key)) || !strings.Contains(body, `value="Fælleshuset"`) {
			t.Errorf("want 400 with %s and kept input, got %d", c.key, resp.StatusCode)
		}
	}
	if ts, _ := f.jobs.Tasks(f.areaA.ID); len(ts) != 0 {
		t.Fatalf("%d tasks stored from bad input", len(ts))
	}
}

// TestRuleRefusalInDanish: a youth under 13 posting a claim on a wage task
// (the page offers no button, but a crafted post) gets the rule's own
// Danish words and no claim.
func TestRuleRefusalInDanish(t *testing.T) {
	f := newFixture(t)
	n := peoplekit.Youth(f.areaA.ID, "aya", people.Date{Year: 2015, Month: 3, Day: 1})
	n.DisplayName, n.Secret, n.Youth.Gender = "Aya Nørgaard", "735142", people.GenderFemale
	child := peoplekit.Create(t, f.ppl, n)
	ts, err := f.jobs.CreateTask(f.areaA.ID, 1, jobs.NewTask{Title: "Maling", Place: "Blok 2", Supervisor: "Bjarne",
		Category: jobs.CatOutdoor, Commissioner: jobs.ByCaretakers, Start: time.Date(2026, 11, 28, 10, 0, 0, 0, people.Copenhagen),
		End: time.Date(2026, 11, 28, 12, 0, 0, 0, people.Copenhagen), Slots: 2, MinAge: 10, MaxAge: 17, Pay: jobs.PayWage, RateOre: 6000, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	c := f.client()
	resp, _ := c.post("/login", "/login", url.Values{"username": {"aya"}, "secret": {"735142"}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatal("login")
	}
	_, page := c.get(areaPath(f.areaA, "/tasks"))
	if strings.Contains(page, "/tasks/"+itoa(int(ts[0].ID))+"/claim") {
		t.Fatal("the page offers a wage task to an 11-year-old")
	}
	var want string
	for _, r := range f.jobs.Rules().Rules(people.Date{Year: 2026, Month: 11, Day: 25}) {
		if r.ID == "task.wage" {
			want = r.Message["da"]
		}
	}
	if want == "" || !strings.Contains(page, want) {
		t.Fatalf("the folded list does not explain the refusal with %q", want)
	}
	resp, body := c.post(areaPath(f.areaA, "/tasks"), areaPath(f.areaA, "/tasks/"+itoa(int(ts[0].ID))+"/claim"), nil)
	if resp.StatusCode != 409 || !strings.Contains(body, want) {
		t.Fatalf("claim: %d, want 409 with %q", resp.StatusCode, want)
	}
	if my, _ := f.jobs.YouthClaims(f.areaA.ID, child.ID); len(my) != 0 {
		t.Fatal("refused claim was stored")
	}
}

func TestPayrollCSV(t *testing.T) {
	f := newFixture(t)
	ts, err := f.jobs.CreateTask(f.areaA.ID, 1, jobs.NewTask{Title: "Maling", Place: "Blok 2", Supervisor: "Bjarne",
		Category: jobs.CatOutdoor, Commissioner: jobs.ByCaretakers, Start: time.Date(2026, 11, 28, 10, 0, 0, 0, people.Copenhagen),
		End: time.Date(2026, 11, 28, 11, 30, 0, 0, people.Copenhagen), Slots: 2, MinAge: 10, MaxAge: 17, Pay: jobs.PayWage, RateOre: 6000, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	y := f.users["youtha"].ID
	if _, err := f.jobs.Claim(f.areaA.ID, ts[0].ID, y); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(4 * 24 * time.Hour)
	w, err := f.jobs.RecordHours(f.areaA.ID, ts[0].ID, y, y, ts[0].Start, ts[0].End, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.jobs.Approve(f.areaA.ID, 1, w.ID); err != nil {
		t.Fatal(err)
	}
	coord := f.loggedIn("coordA")
	if _, body := coord.get(areaPath(f.areaA, "/budget")); !strings.Contains(body, "payroll.csv?month=2026-11") || !strings.Contains(body, "90,00 kr.") {
		t.Fatalf("budget page lacks the month's wages or the payroll link\n%s", body)
	}
	resp, body := coord.get(areaPath(f.areaA, "/payroll.csv?month=2026-11"))
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("payroll: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("CSV: %d rows, %v\n%s", len(rows), err, body)
	}
	line := strings.Join(rows[1], ";")
	if !strings.Contains(line, f.users["youtha"].DisplayName) || !strings.Contains(line, "90,00") || !strings.Contains(line, "11,25") {
		t.Fatalf("payroll row %q: want name, 90,00 gross and 11,25 holiday pay", line)
	}
	if resp, _ := coord.get(areaPath(f.areaA, "/payroll.csv?month=nov")); resp.StatusCode != 400 {
		t.Fatalf("bad month: %d", resp.StatusCode)
	}
	if resp, _ := f.loggedIn("coordB").get(areaPath(f.areaA, "/payroll.csv?month=2026-11")); resp.StatusCode != 403 {
		t.Fatalf("another area's coordinator: %d", resp.StatusCode)
	}
}

func TestRewardRequestOnce(t *testing.T) {
	f := newFixture(t)
	coord := f.loggedIn("coordA")
	resp, body := coord.post(areaPath(f.areaA, "/rewards"), areaPath(f.areaA, "/rewards"), url.Values{
		"title": {"Biograftur"}, "price": {"30"}, "places": {"4"}, "date": {"2026-12-20"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create reward: %d\n%s", resp.StatusCode, body)
	}
	youth := f.loggedIn("youthA")
	_, page := youth.get(areaPath(f.areaA, "/points"))
	rm := regexp.MustCompile(`id="reward-(\d+)"`).FindStringSubmatch(page)
	if rm == nil {
		t.Fatalf("no reward on the youth's page\n%s", page)
	}
	reward := rm[1]
	// No points yet: the page says how many are missing instead of a button,
	// and a request sent anyway is refused, in Danish.
	if !strings.Contains(page, `id="short-`+reward+`"`) || !strings.Contains(page, f.msg("rewards.points_missing", "30")) || strings.Contains(page, `id="request-`+reward+`"`) {
		t.Fatalf("without points: want the missing points and no request button\n%s", page)
	}
	request := areaPath(f.areaA, "/rewards/"+reward+"/request")
	token := youth.token(areaPath(f.areaA, "/points"))
	resp, body = youth.do("POST", request, url.Values{"_csrf": {token}, "key": {"request-key-0000-0000"}})
	if resp.StatusCode != 409 || !strings.Contains(body, f.msg("err.points.insufficient_funds")) {
		t.Fatalf("request without points: %d", resp.StatusCode)
	}
	if _, _, err := f.points.Post(pointsAward(f.areaA.ID, f.users["youtha"].ID, 40)); err != nil {
		t.Fatal(err)
	}
	_, page = youth.get(areaPath(f.areaA, "/points"))
	m := regexp.MustCompile(`action="([^"]+/request)">\s*<input type="hidden" name="_csrf" value="([^"]+)"><input type="hidden" name="key" value="([^"]+)">`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no request form with enough points\n%s", page)
	}
	// The same form sent twice (double click) books one place.
	for i := 0; i < 2; i++ {
		if resp, _ := youth.do("POST", m[1], url.Values{"_csrf": {m[2]}, "key": {m[3]}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("request %d: %d", i, resp.StatusCode)
		}
	}
	b, _ := f.points.Balance(f.areaA.ID, f.users["youtha"].ID)
	if b.Points != 10 || b.Reserved != 30 {
		t.Fatalf("balance %+v, want 10 free and 30 reserved", b)
	}
	// Requested: the page says so instead of offering the button again.
	if _, page = youth.get(areaPath(f.areaA, "/points")); !strings.Contains(page, `id="requested-`+reward+`"`) || strings.Contains(page, `id="request-`+reward+`"`) {
		t.Fatalf("after the request: want the request shown and no second button\n%s", page)
	}
}

// TestRewardFullAndPotWithoutPoints: a reward with every place taken says
// so instead of offering a request; a pot offers no pledge form to a youth
// without free points.
func TestRewardFullAndPotWithoutPoints(t *testing.T) {
	f := newFixture(t)
	coord := f.loggedIn("coordA")
	for _, v := range []url.Values{
		{"title": {"Biograftur"}, "price": {"10"}, "places": {"1"}, "date": {"2026-12-20"}},
		{"title": {"Sommerland"}, "price": {"500"}, "places": {"20"}, "date": {"2027-06-20"}, "pot": {"on"}},
	} {
		if resp, body := coord.post(areaPath(f.areaA, "/rewards"), areaPath(f.areaA, "/rewards"), v); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create reward: %d\n%s", resp.StatusCode, body)
		}
	}
	rewards, err := f.points.Rewards(f.areaA.ID)
	if err != nil || len(rewards) != 2 {
		t.Fatalf("rewards: %v, %v", rewards, err)
	}
	cinema, pot := itoa(int(rewards[0].ID)), itoa(int(rewards[1].ID))
	if !rewards[1].Pot {
		cinema, pot = pot, cinema
	}
	n := peoplekit.Youth(f.areaA.ID, "youthA2", people.Date{Year: 2010, Month: 3, Day: 9})
	n.DisplayName, n.Youth.School = "Anden Ung", people.SchoolFinished9
	second := peoplekit.Create(t, f.ppl, n)
	for _, id := range []uint64{f.users["youtha"].ID, second.ID} {
		award := pointsAward(f.areaA.ID, id, 20)
		award.Key += "-" + itoa(int(id))
		if _, _, err := f.points.Post(award); err != nil {
			t.Fatal(err)
		}
	}
	first := f.loggedIn("youthA")
	token := first.token(areaPath(f.areaA, "/points"))
	if resp, _ := first.do("POST", areaPath(f.areaA, "/rewards/"+cinema+"/request"), url.Values{"_csrf": {token}, "key": {"request-key-0000-0001"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("request: %d", resp.StatusCode)
	}
	if resp, _ := first.do("POST", areaPath(f.areaA, "/rewards/"+pot+"/pledge"), url.Values{"_csrf": {token}, "key": {"pledge-key-0000-0002"}, "points": {"10"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pledge: %d", resp.StatusCode)
	}
	_, page := f.loggedIn("youthA2").get(areaPath(f.areaA, "/points"))
	for text, want := range map[string]bool{`id="full-` + cinema + `"`: true, f.msg("rewards.full"): true, `id="request-` + cinema + `"`: false,
		`id="pledge-` + pot + `"`: true, `max="20"`: true} {
		if strings.Contains(page, text) != want {
			t.Errorf("another youth with 20 points: %q shown %v, want %v", text, !want, want)
		}
	}
	_, page = first.get(areaPath(f.areaA, "/points")) // 0 free points left
	if !strings.Contains(page, `id="no-points-`+pot+`"`) || strings.Contains(page, `id="pledge-`+pot+`"`) {
		t.Errorf("a youth without free points: want no pledge form\n%s", page)
	}
}

// TestManageTasksHidesOldFinished: closed and cancelled tasks that ended
// more than 8 weeks ago leave the task management page (with a count and
// a link to all); open ones stay however old, and ?all=1 shows everything.
func TestManageTasksHidesOldFinished(t *testing.T) {
	f := newFixture(t)
	old := f.openTask("Gammel oprydning") // 28 November 2026
	f.openTask("Glemt opgave")            // the same day, never closed
	day := time.Date(2027, 1, 20, 10, 0, 0, 0, people.Copenhagen)
	ts, err := f.jobs.CreateTask(f.areaA.ID, f.users["coorda"].ID, jobs.NewTask{Title: "Nylig oprydning", Place: "Fælleshuset",
		Supervisor: "Bjarne", Category: jobs.CatTidying, Commissioner: jobs.ByStaff, Start: day, End: day.Add(time.Hour),
		Slots: 3, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 40, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(time.Date(2027, 2, 10, 12, 0, 0, 0, time.UTC).Sub(f.clock.Now())) // 11 and 3 weeks after they ended
	for _, id := range []uint64{old.ID, ts[0].ID} {
		if _, err := f.jobs.SetStatus(f.areaA.ID, id, jobs.StatusClosed); err != nil {
			t.Fatal(err)
		}
	}
	coord := f.loggedIn("coordA")
	page := areaPath(f.areaA, "/manage/tasks")
	_, body := coord.get(page)
	for text, want := range map[string]bool{"Gammel oprydning": false, "Nylig oprydning": true, "Glemt opgave": true,
		`id="older-hidden"`: true, "1 afsluttet eller aflyst": true} {
		if strings.Contains(body, text) != want {
			t.Errorf("default view: %q shown %v, want %v", text, !want, want)
		}
	}
	if _, body := coord.get(page + "?all=1"); !strings.Contains(body, "Gammel oprydning") || strings.Contains(body, `id="older-hidden"`) {
		t.Fatal("?all=1 must show every task and no hint")
	}
}

// TestIrreversibleActionsAskFirst: cancelling a task or a reward, taking
// a youth's place, running the retention deletions now and rotating the
// export key cannot be undone, so each takes two taps: the button sits in a closed <details>
// behind a warning that says what will happen.
func TestIrreversibleActionsAskFirst(t *testing.T) {
	f := newFixture(t)
	task := f.openTask("Rydde fælleshuset")
	if _, err := f.jobs.Claim(f.areaA.ID, task.ID, f.users["youtha"].ID); err != nil {
		t.Fatal(err)
	}
	coord := f.loggedIn("coordA")
	if resp, body := coord.post(areaPath(f.areaA, "/rewards"), areaPath(f.areaA, "/rewards"), url.Values{
		"title": {"Biograftur"}, "price": {"30"}, "places": {"4"}, "date": {"2026-12-20"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create reward: %d\n%s", resp.StatusCode, body)
	}
	behindWarning := regexp.MustCompile(`(?s)<details class="confirm"[^>]*><summary>([^<]+)</summary>\s*<p>([^<]+)</p>.*?<button[^>]*>([^<]+)</button>`)
	_, taskPage := coord.get(areaPath(f.areaA, "/manage/tasks/"+itoa(int(task.ID))))
	i := strings.Index(taskPage, `<details class="confirm" id="confirm-remove-`)
	if i < 0 {
		t.Fatal("no confirm before taking a youth's place")
	}
	removal := taskPage[i:]
	_, rewardsPage := coord.get(areaPath(f.areaA, "/rewards"))
	adm := f.loggedIn("admin")
	_, retentionPage := adm.get("/admin/retention")
	_, evalPage := adm.get("/admin/evaluation")
	for name, c := range map[string]struct{ page, warning, button string }{
		"task":          {taskPage, "manage.cancel_task_warning", "manage.cancel_task_yes"},
		"youth's place": {removal, "manage.remove_youth_warning", "manage.remove_youth_yes"},
		"reward":        {rewardsPage, "rewards.cancel_warning", "rewards.cancel_yes"},
		"retention":     {retentionPage, "retention.run_warning", "retention.run_yes"},
		"key rotation":  {evalPage, "evalx.key.rotate_warning", "evalx.key.rotate_yes"},
	} {
		c.warning, c.button = f.msg(c.warning), f.msg(c.button)
		m := behindWarning.FindStringSubmatch(c.page)
		if m == nil || !strings.Contains(m[2], c.warning) || m[3] != c.button {
			t.Errorf("%s: the cancel button is not behind a warning (%q)", name, m)
		}
		if strings.Count(c.page, c.button) != 1 {
			t.Errorf("%s: %q appears %d times", name, c.button, strings.Count(c.page, c.button))
		}
	}
}
