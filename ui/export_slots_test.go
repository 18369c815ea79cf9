package ui

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestExportSlots: one streamed export per user at a time; the slot frees
// when the stream ends, or by itself after the TTL.
func TestExportSlots(t *testing.T) {
	s := newExportSlots(time.Minute)
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	release, err := s.take(1, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.take(1, t0.Add(time.Second)); !errors.Is(err, errExportBusy) {
		t.Fatalf("second export of the same user: %v, want busy", err)
	}
	if r2, err := s.take(2, t0); err != nil {
		t.Fatalf("another user: %v", err)
	} else {
		r2()
	}
	release()
	release() // twice is harmless
	r3, err := s.take(1, t0.Add(2*time.Second))
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	if _, err := s.take(1, t0.Add(2*time.Second+time.Minute)); err != nil {
		t.Fatalf("after the TTL: %v", err)
	}
	r3() // the stale release does not free the newer slot
	if _, err := s.take(1, t0.Add(3*time.Second+time.Minute)); !errors.Is(err, errExportBusy) {
		t.Fatalf("a stale release freed the newer slot: %v", err)
	}
}

// TestExportBusyOverHTTP: while an evaluator's export runs, a second one
// is refused with 429 and a Danish reason, and nothing is logged for it;
// a finished export frees the slot.
func TestExportBusyOverHTTP(t *testing.T) {
	f := newFixture(t)
	ev := f.loggedIn("evalA")
	for i := 0; i < 2; i++ { // one after the other: each frees its slot
		if resp, _ := ev.get("/eval/export.zip"); resp.StatusCode != http.StatusOK {
			t.Fatalf("export %d: %d", i, resp.StatusCode)
		}
	}
	release, err := f.app.exports.take(f.users["evala"].ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	before, _ := f.ppl.AccessLog(100)
	resp, body := ev.get("/eval/export.zip")
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, f.msg("err.export_busy")) {
		t.Fatalf("export while one runs: %d", resp.StatusCode)
	}
	if after, _ := f.ppl.AccessLog(100); len(after) != len(before) {
		t.Errorf("a refused export was logged: %d → %d entries", len(before), len(after))
	}
}
