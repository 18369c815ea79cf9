package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs"
	"fritidsjob/people"
)

// areaYouth adds a youth (15, PIN 2468) to area A.
func (f *fixture) areaYouth(username, name string) people.User {
	f.t.Helper()
	n := peoplekit.Youth(f.areaA.ID, username, people.Date{Year: 2011, Month: 5, Day: 9})
	n.DisplayName, n.Youth.Gender = name, people.GenderMale
	return peoplekit.Create(f.t, f.ppl, n)
}

// postedTask posts a published two-slot points task in area A on Saturday
// 28 November 2026 10–11, created by username.
func (f *fixture) postedTask(username, title string) jobs.Task {
	f.t.Helper()
	day := time.Date(2026, 11, 28, 10, 0, 0, 0, people.Copenhagen)
	ts, err := f.jobs.CreateTask(f.areaA.ID, f.users[strings.ToLower(username)].ID, jobs.NewTask{Title: title, Place: "Gården",
		Supervisor: "Bjarne", Category: jobs.CatOutdoor, Commissioner: jobs.ByCaretakers, Start: day, End: day.Add(time.Hour),
		Slots: 2, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 40, Publish: true})
	if err != nil {
		f.t.Fatal(err)
	}
	return ts[0]
}

// onTaskFixture is a task ownerA posted with youthA claimed, Mads on the
// waitlist, Nour whose place a coordinator took after her work was
// recorded, and Zainab, a youth of the area on no task at all. The clock
// is after the task.
type onTaskFixture struct {
	*fixture
	task                     jobs.Task
	youthA, mads, nour, zain people.User
}

func newOnTaskFixture(t *testing.T) onTaskFixture {
	t.Helper()
	f := newFixture(t)
	o := onTaskFixture{fixture: f, youthA: f.users["youtha"],
		mads: f.areaYouth("youthA2", "Mads Kjærgaard"), nour: f.areaYouth("youthA3", "Nour Haddad"),
		zain: f.areaYouth("youthA4", "Zainab Østergaard")}
	o.task = f.postedTask("ownerA", "Feje gården")
	for _, y := range []people.User{o.youthA, o.nour, o.mads} { // two slots: Mads waits
		if _, err := f.jobs.Claim(f.areaA.ID, o.task.ID, y.ID); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Add(4 * 24 * time.Hour)
	if _, err := f.jobs.RecordHours(f.areaA.ID, o.task.ID, o.nour.ID, o.nour.ID, o.task.Start, o.task.End, 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.jobs.Cancel(f.areaA.ID, o.task.ID, o.nour.ID, true); err != nil {
		t.Fatal(err)
	}
	return o
}

func (o onTaskFixture) taskPath() string {
	return areaPath(o.areaA, "/manage/tasks/"+itoa(int(o.task.ID)))
}

// TestTaskOwnerSeesOnlyTheYouthsOnTheTask: on their own task's page a task
// owner sees the youths with a place, a waitlist spot or recorded work on
// it, and nobody else of the area: not who else may take it and why not.
// A coordinator still sees every youth with the reason.
func TestTaskOwnerSeesOnlyTheYouthsOnTheTask(t *testing.T) {
	o := newOnTaskFixture(t)
	resp, body := o.loggedIn("ownerA").get(o.taskPath())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("task owner on own task: %d\n%s", resp.StatusCode, body)
	}
	for _, y := range []people.User{o.youthA, o.mads, o.nour} {
		if !strings.Contains(body, `id="youth-`+itoa(int(y.ID))+`"`) {
			t.Errorf("task owner: %s (on the task) is not listed", y.DisplayName)
		}
	}
	if strings.Contains(body, o.zain.DisplayName) || strings.Contains(body, "youth-"+itoa(int(o.zain.ID))) ||
		strings.Contains(body, `id="candidate-`) {
		t.Errorf("task owner sees %s, who is on no task, or the candidate list", o.zain.DisplayName)
	}

	if !strings.Contains(body, `id="place-ended-`+itoa(int(o.nour.ID))+`"`) {
		t.Errorf("task owner: %s is not shown as having lost her place", o.nour.DisplayName)
	}

	_, body = o.loggedIn("coordA").get(o.taskPath())
	for _, y := range []people.User{o.youthA, o.mads, o.nour} {
		if !strings.Contains(body, `id="youth-`+itoa(int(y.ID))+`"`) || strings.Contains(body, `id="candidate-`+itoa(int(y.ID))+`"`) {
			t.Errorf("coordinator: %s (on the task) is not listed once, as on the task", y.DisplayName)
		}
	}
	if !strings.Contains(body, `id="candidate-`+itoa(int(o.zain.ID))+`"`) {
		t.Errorf("coordinator: %s is not among who may take the (still open) task", o.zain.DisplayName)
	}
}

// TestCoordinatorSeesWhoMayTakeATask: before a task starts the
// coordinator's page lists every current youth of the area not on it,
// with whether they may take it; the task owner's does not.
func TestCoordinatorSeesWhoMayTakeATask(t *testing.T) {
	f := newFixture(t)
	other := f.areaYouth("youthA2", "Zainab Østergaard")
	task := f.postedTask("ownerA", "Feje gården")
	if _, err := f.jobs.Claim(f.areaA.ID, task.ID, f.users["youtha"].ID); err != nil {
		t.Fatal(err)
	}
	path := areaPath(f.areaA, "/manage/tasks/"+itoa(int(task.ID)))
	if _, body := f.loggedIn("coordA").get(path); !strings.Contains(body, other.DisplayName) {
		t.Errorf("coordinator does not see %s among who may take the task", other.DisplayName)
	}
	if _, body := f.loggedIn("ownerA").get(path); strings.Contains(body, other.DisplayName) ||
		!strings.Contains(body, `id="youth-`+itoa(int(f.users["youtha"].ID))+`"`) {
		t.Errorf("task owner: want only youthA, not %s", other.DisplayName)
	}
}

// TestTaskOwnerManagesOnlyOwnTasks: a task owner manages the tasks they
// posted. Another's task is neither listed nor opened, and no action on it
// is taken (403); a coordinator manages every task of the area.
func TestTaskOwnerManagesOnlyOwnTasks(t *testing.T) {
	f := newFixture(t)
	mine := f.postedTask("ownerA", "Feje gården")
	theirs := f.postedTask("coordA", "Rydde kælderen")
	youth := f.users["youtha"]
	if _, err := f.jobs.Claim(f.areaA.ID, theirs.ID, youth.ID); err != nil {
		t.Fatal(err)
	}
	owner := f.loggedIn("ownerA")
	list := areaPath(f.areaA, "/manage/tasks")
	_, body := owner.get(list)
	if !strings.Contains(body, "/manage/tasks/"+itoa(int(mine.ID))+`"`) || strings.Contains(body, "/manage/tasks/"+itoa(int(theirs.ID))+`"`) ||
		strings.Contains(body, theirs.Title) {
		t.Errorf("task owner's list: want own task only")
	}
	if resp, _ := owner.get(areaPath(f.areaA, "/manage/tasks/"+itoa(int(mine.ID)))); resp.StatusCode != http.StatusOK {
		t.Errorf("own task: %d", resp.StatusCode)
	}
	theirsPath := areaPath(f.areaA, "/manage/tasks/"+itoa(int(theirs.ID)))
	if resp, body := owner.get(theirsPath); resp.StatusCode != http.StatusForbidden || strings.Contains(body, youth.DisplayName) {
		t.Errorf("another's task: %d, want 403 without the youth's name", resp.StatusCode)
	}
	f.clock.Add(4 * 24 * time.Hour)
	owner.login("ownerA")
	for action, form := range map[string]url.Values{
		"/status": {"to": {"closed"}},
		"/youths/" + itoa(int(youth.ID)) + "/hours":   {"day": {"2026-11-28"}, "from": {"10:00"}, "to": {"11:00"}, "break": {"0"}},
		"/youths/" + itoa(int(youth.ID)) + "/checkin": nil,
	} {
		if resp, _ := owner.post(list, theirsPath+action, form); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s on another's task: %d, want 403", action, resp.StatusCode)
		}
	}
	if got, err := f.jobs.Task(f.areaA.ID, theirs.ID); err != nil || got.Status != jobs.StatusOpen {
		t.Errorf("another's task after the refused actions: %v %v", got.Status, err)
	}
	if es, err := f.jobs.YouthEntries(f.areaA.ID, youth.ID); err != nil || len(es) != 0 {
		t.Errorf("hours were recorded on another's task: %v %v", es, err)
	}
	coord := f.loggedIn("coordA")
	if _, body := coord.get(list); !strings.Contains(body, mine.Title) || !strings.Contains(body, theirs.Title) {
		t.Error("coordinator's list lacks a task")
	}
	if resp, _ := coord.get(areaPath(f.areaA, "/manage/tasks/"+itoa(int(mine.ID)))); resp.StatusCode != http.StatusOK {
		t.Errorf("coordinator on the task owner's task: %d", resp.StatusCode)
	}
}

// TestTaskPageReadIsLoggedPerYouth: opening a task page writes one
// access-log entry for each youth it shows, so each of them sees on
// "Hvem har set mine oplysninger?" that a task owner or a coordinator saw
// them; a youth the page does not show sees nothing.
func TestTaskPageReadIsLoggedPerYouth(t *testing.T) {
	o := newOnTaskFixture(t)
	accessPage := func(username string) string {
		t.Helper()
		resp, body := o.loggedIn(username).get(areaPath(o.areaA, "/me/access"))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s's access page: %d", username, resp.StatusCode)
		}
		return body
	}
	ownerRole, coordRole := o.app.msg.T("da", "arole.task_owner"), o.app.msg.T("da", "arole.coordinator")
	o.loggedIn("ownerA").get(o.taskPath())
	for username, y := range map[string]people.User{"youthA": o.youthA, "youthA2": o.mads, "youthA3": o.nour} {
		if body := accessPage(username); !strings.Contains(body, ownerRole) {
			t.Errorf("%s was shown to the task owner, but their access page does not say so", y.DisplayName)
		}
		es, err := o.ppl.AccessAbout(o.areaA.ID, y.ID)
		if err != nil || len(es) != 1 || es[0].ActorID != o.users["ownera"].ID || es[0].Action != people.AccessRead ||
			es[0].What != "task_participant" || es[0].Detail != "task="+itoa(int(o.task.ID)) {
			t.Errorf("%s: want one read by the task owner, got %+v %v", y.DisplayName, es, err)
		}
	}
	if body := accessPage("youthA4"); strings.Contains(body, ownerRole) || !strings.Contains(body, `class="empty"`) {
		t.Errorf("%s is on no task, yet the task owner's look is on her access page", o.zain.DisplayName)
	}

	// Before a task starts, a coordinator also sees who may take it:
	// every one of them is logged too.
	o.clock.Add(-4 * 24 * time.Hour)
	later := o.postedTask("coordA", "Rydde kælderen")
	o.loggedIn("coordA").get(areaPath(o.areaA, "/manage/tasks/"+itoa(int(later.ID))))
	for _, username := range []string{"youthA", "youthA4"} {
		if body := accessPage(username); !strings.Contains(body, coordRole) {
			t.Errorf("%s was listed to the coordinator, but their access page does not say so", username)
		}
	}
	if es, err := o.ppl.AccessAbout(o.areaA.ID, o.zain.ID); err != nil || len(es) != 1 || es[0].What != "task_candidate" {
		t.Errorf("%s: want one entry, as one who may take the task: %+v %v", o.zain.DisplayName, es, err)
	}
	if es, err := o.ppl.AccessAbout(o.areaB.ID, o.users["youthb"].ID); err != nil || len(es) != 0 {
		t.Errorf("a youth of another area was logged: %+v %v", es, err)
	}
}

// TestApprovalQueueReadIsLoggedPerYouth: the approval queue shows the
// youths whose work waits; each of them sees that a coordinator saw it, a
// youth with nothing waiting does not.
func TestApprovalQueueReadIsLoggedPerYouth(t *testing.T) {
	o := newOnTaskFixture(t) // Nour's work waits for approval
	o.loggedIn("coordA").get(areaPath(o.areaA, "/approvals"))
	es, err := o.ppl.AccessAbout(o.areaA.ID, o.nour.ID)
	if err != nil || len(es) != 1 || es[0].What != "approval_queue" || es[0].ActorID != o.users["coorda"].ID {
		t.Errorf("%s's work was in the queue: want one entry, got %+v %v", o.nour.DisplayName, es, err)
	}
	_, page := o.loggedIn("youthA3").get(areaPath(o.areaA, "/me/access"))
	if !strings.Contains(page, o.app.msg.T("da", "awhat.approval_queue")) {
		t.Errorf("%s's access page does not show the coordinator's look at the queue", o.nour.DisplayName)
	}
	for _, y := range []people.User{o.youthA, o.mads, o.zain} {
		if es, err := o.ppl.AccessAbout(o.areaA.ID, y.ID); err != nil || len(es) != 0 {
			t.Errorf("%s has nothing in the queue, yet was logged: %+v %v", y.DisplayName, es, err)
		}
	}
}
