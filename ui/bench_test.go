package ui

import (
	"net/http/httptest"
	"testing"
	"time"

	"fritidsjob/jobs"
	"fritidsjob/people"
	"fritidsjob/store"
)

// BenchmarkYouthTaskList serves a youth's task page through the app, with
// 15 open tasks in the area. Nothing is written between views, so it is
// sent from the page cache. BenchmarkYouthTaskListFresh writes between
// views (untimed), so every view reads the session and user, builds the
// offers with rule checks, claims and entries, and renders the template.
func BenchmarkYouthTaskList(b *testing.B)      { benchYouthTaskList(b, false) }
func BenchmarkYouthTaskListFresh(b *testing.B) { benchYouthTaskList(b, true) }

func benchYouthTaskList(b *testing.B, fresh bool) {
	f := newFixture(b)
	for i := 0; i < 15; i++ {
		day := time.Date(2026, 11, 28, 10, 0, 0, 0, people.Copenhagen).AddDate(0, 0, 7*(i%5))
		if _, err := f.jobs.CreateTask(f.areaA.ID, 1, jobs.NewTask{Title: "Opgave", Place: "Fælleshuset", Supervisor: "Bjarne",
			Category: jobs.CatTidying, Commissioner: jobs.ByStaff, Start: day.Add(time.Duration(i%3) * time.Hour),
			End: day.Add(time.Duration(i%3)*time.Hour + time.Hour), Slots: 3, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 40, Publish: true}); err != nil {
			b.Fatal(err)
		}
	}
	c := f.loggedIn("youthA")
	path := areaPath(f.areaA, "/tasks")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if fresh {
			b.StopTimer()
			if err := f.db.Update(func(tx store.Tx) error { return tx.Put("bench", []byte("k"), []byte{byte(i)}) }); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		req := httptest.NewRequest("GET", path, nil)
		for k, v := range c.cookies {
			req.Header.Add("Cookie", k+"="+v)
		}
		resp, err := f.app.Fiber().Test(req, -1)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("%v %v", resp.StatusCode, err)
		}
		resp.Body.Close()
	}
}
