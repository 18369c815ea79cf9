package employers

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"fritidsjob/people"
)

// TestFreeTextSealed: case notes, employer feedback and the reasons for
// pipeline moves never reach the data file in clear text, read back
// opened, and read as empty once the youth is erased (crypto-shredding).
func TestFreeTextSealed(t *testing.T) {
	e := newEnv(t, nil)
	contact := e.user(people.RoleEmployer)
	emp := e.employer("Brugsen", "2132436", Contact{Name: "Anna", UserID: contact})
	y := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	const whyCanary, noteCanary, fbCanary = "KANARIE-hvorfor-7f3a", "KANARIE-note-91bc", "KANARIE-feedback-c04d"
	if _, err := e.svc.Move(e.area.ID, y, StageOutreach, 1, whyCanary, MoveOptions{}); err != nil {
		t.Fatal(err)
	}
	follow := date("2026-11-02")
	if _, err := e.svc.AddNote(e.area.ID, y, 1, noteCanary, &follow); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ShareYouth(e.area.ID, emp.ID, y, 1, e.clk.Now(), false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddFeedback(e.area.ID, contact, NewFeedback{EmployerID: emp.ID, YouthID: y, Kind: FeedbackInterview, Text: fbCanary}); err != nil {
		t.Fatal(err)
	}
	read := func() (why, note, due, fb string) {
		t.Helper()
		p, err := e.svc.Pipeline(e.area.ID, y)
		if err != nil {
			t.Fatal(err)
		}
		notes, err := e.svc.Notes(e.area.ID, y)
		if err != nil || len(notes) != 1 {
			t.Fatalf("notes: %v, %v", notes, err)
		}
		dues, err := e.svc.DueFollowUps(e.area.ID, date("2026-11-02"))
		if err != nil || len(dues) != 1 {
			t.Fatalf("due: %v, %v", dues, err)
		}
		fbs, err := e.svc.FeedbackFor(e.area.ID, emp.ID, y)
		if err != nil || len(fbs) != 1 {
			t.Fatalf("feedback: %v, %v", fbs, err)
		}
		return p.Steps[0].Why, notes[0].Text, dues[0].Text, fbs[0].Text
	}
	if why, note, due, fb := read(); why != whyCanary || note != noteCanary || due != noteCanary || fb != fbCanary {
		t.Fatalf("read back %q %q %q %q", why, note, due, fb)
	}
	// The youth's own download has all of it, and nothing of another youth.
	other := e.youth(15, people.SchoolFinished9, people.GenderMale)
	if _, err := e.svc.AddNote(e.area.ID, other, 1, "om en anden", nil); err != nil {
		t.Fatal(err)
	}
	d, err := e.svc.YouthData(e.area.ID, y)
	if err != nil || d.Pipeline == nil || d.Pipeline.Steps[0].Why != whyCanary || len(d.Notes) != 1 || d.Notes[0].Text != noteCanary ||
		len(d.Shares) != 1 || len(d.Feedback) != 1 || d.Feedback[0].Text != fbCanary {
		t.Fatalf("youth data: %+v, %v", d, err)
	}
	raw, err := os.ReadFile(e.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{whyCanary, noteCanary, fbCanary} {
		if bytes.Contains(raw, []byte(c)) {
			t.Errorf("%s is in the data file in clear text", c)
		}
	}
	if err := e.ppl.EraseYouth(e.area.ID, y, 1); err != nil {
		t.Fatal(err)
	}
	if why, note, due, fb := read(); why != "" || note != "" || due != "" || fb != "" {
		t.Fatalf("after erasure read %q %q %q %q", why, note, due, fb)
	}
	// An erased youth is no longer anyone's candidate.
	if cs, err := e.svc.SharedCandidates(e.area.ID, emp.ID); err != nil || len(cs) != 0 {
		t.Fatalf("candidates after erasure: %+v, %v", cs, err)
	}
	if _, err := e.svc.CandidateFor(e.area.ID, emp.ID, y, contact); !errors.Is(err, ErrNotShared) {
		t.Fatalf("candidate after erasure: %v", err)
	}
	// Nothing new is written about an erased youth.
	if _, err := e.svc.AddNote(e.area.ID, y, 1, "ny note", nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("note after erasure: %v", err)
	}
	if _, err := e.svc.AddFeedback(e.area.ID, contact, NewFeedback{EmployerID: emp.ID, YouthID: y, Kind: FeedbackFollowUp, Text: "x"}); !errors.Is(err, ErrNotShared) {
		t.Fatalf("feedback after erasure: %v", err)
	}
	if _, err := e.svc.Move(e.area.ID, y, StageGuidance, 1, "x", MoveOptions{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("move after erasure: %v", err)
	}
	if _, err := e.svc.ShareYouth(e.area.ID, emp.ID, y, 1, e.clk.Now(), false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("share after erasure: %v", err)
	}
	e.check()
}

// TestPruneNotes: case notes past retention are deleted (dry run first),
// except a note whose follow-up is still pending; newer notes stay.
func TestPruneNotes(t *testing.T) {
	e := newEnv(t, nil)
	y := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	start := e.clk.Now()
	e.clk.Set(start.AddDate(-3, 0, 0))
	if _, err := e.svc.AddNote(e.area.ID, y, 1, "gammel", nil); err != nil {
		t.Fatal(err)
	}
	pending := date("2026-12-24")
	if _, err := e.svc.AddNote(e.area.ID, y, 1, "gammel med opfølgning", &pending); err != nil {
		t.Fatal(err)
	}
	e.clk.Set(start)
	if _, err := e.svc.AddNote(e.area.ID, y, 1, "ny", nil); err != nil {
		t.Fatal(err)
	}
	cut := start.AddDate(-2, 0, 0)
	if n, err := e.svc.NotesOlderThan(cut); err != nil || n != 1 {
		t.Fatalf("dry run: %d, %v", n, err)
	}
	if n, err := e.svc.PruneNotes(cut); err != nil || n != 1 {
		t.Fatalf("prune: %d, %v", n, err)
	}
	notes, err := e.svc.Notes(e.area.ID, y)
	if err != nil || len(notes) != 2 || notes[0].Text != "gammel med opfølgning" || notes[1].Text != "ny" {
		t.Fatalf("kept notes: %+v, %v", notes, err)
	}
}
