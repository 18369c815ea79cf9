package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fritidsjob/jobs"
	"fritidsjob/people"
)

// areaYouth adds a youth (15, PIN 2468) to area A.
func (f *fixture) areaYouth(username, name string) people.User {
	f.t.Helper()
	u, err := f.ppl.CreateUser(people.NewUser{Username: username, DisplayName: name, Secret: "2468",
		SecretKind: people.SecretPIN, Memberships: []people.Membership{{AreaID: f.areaA.ID, Role: people.RoleYouth}},
		Youth: &people.Youth{BirthDate: people.Date{Year: 2011, Month: 5, Day: 9}, Gender: people.GenderMale, School: people.SchoolCompulsory}})
	if err != nil {
		f.t.Fatal(err)
	}
	return u
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
		"/status":  {"to": {"closed"}},
		"/youths/" + itoa(int(youth.ID)) + "/hours": {"day": {"2026-11-28"}, "from": {"10:00"}, "to": {"11:00"}, "break": {"0"}},
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
