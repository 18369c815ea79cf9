package ui

import (
	"github.com/gofiber/fiber/v2"

	"fritidsjob/people"
	"fritidsjob/points"
)

// homeSection is one block of the start page: one role in one area.
type homeSection struct {
	Role     people.Role
	Area     people.Area
	Me       *people.YouthView // the youth's own profile
	Band     string            // the youth's age band message key
	Youths   int               // coordinator: how many youths the area has
	Pending  int               // coordinator: work waiting for approval
	Due      int               // coordinator: case-note follow-ups due
	Locked   []people.User     // coordinator: youths locked out after too many wrong PINs
	Balance  points.Balances   // youth: points and kroner earned
	Claims   int               // youth: tasks with a place or a waitlist spot
	Free     int               // youth: open tasks the youth may take
	Stats    []statRow         // evaluator: youths by gender and age band
	Children []childView       // guardian: linked children
}

// statRow is one suppressed count for the evaluator's overview.
type statRow struct {
	GenderKey, BandKey string
	Count              string
}

// home is the start page: one section per role the user holds, so a
// coordinator who is also an evaluator sees both.
func (a *App) home(c *fiber.Ctx) error {
	return a.servePage(c, func() error { return a.buildHome(c) })
}

func (a *App) buildHome(c *fiber.Ctx) error {
	u := currentUser(c)
	today := people.DateOf(a.cfg.Now().In(people.Copenhagen))
	var sections []homeSection
	for _, m := range u.Memberships {
		area, err := a.people.Area(m.AreaID)
		if err != nil {
			return err
		}
		s := homeSection{Role: m.Role, Area: area}
		if err := a.fillHomeSection(&s, u.ID, today); err != nil {
			return err
		}
		sections = append(sections, s)
	}
	staff := u.Admin
	for _, m := range u.Memberships {
		staff = staff || m.Role != people.RoleYouth
	}
	return a.render(c, fiber.StatusOK, &homePage{Sections: sections, StaffAccount: staff})
}

// fillHomeSection fills s, a section of user's start page, for its role.
func (a *App) fillHomeSection(s *homeSection, user uint64, today people.Date) error {
	switch s.Role {
	case people.RoleYouth:
		return a.youthSection(s, user, today)
	case people.RoleCoordinator:
		return a.coordinatorSection(s, today)
	case people.RoleGuardian:
		kids, err := a.people.Children(s.Area.ID, user)
		if err != nil {
			return err
		}
		for _, k := range kids {
			s.Children = append(s.Children, childView{View: k, Young: k.Youth.BirthDate.AgeOn(today) < a.cfg.DigitalConsentAge})
		}
	case people.RoleEvaluator:
		ys, _, err := a.people.YouthsInArea(s.Area.ID)
		if err != nil {
			return err
		}
		s.Stats = youthStats(ys, today)
	}
	return nil
}

// youthSection is a youth's own: their profile and age band, balance, and
// how many tasks they hold and may still take.
func (a *App) youthSection(s *homeSection, youth uint64, today people.Date) error {
	v, err := a.people.Youth(s.Area.ID, youth)
	if err != nil {
		return err
	}
	s.Me = &v
	s.Band = ageBandKey(v.Youth, today)
	if s.Balance, err = a.points.Balance(s.Area.ID, youth); err != nil {
		return err
	}
	offers, err := a.jobs.Offers(s.Area.ID, youth)
	if err != nil {
		return err
	}
	for _, o := range offers {
		switch {
		case o.Claim != nil:
			s.Claims++
		case o.CanTake():
			s.Free++
		}
	}
	return nil
}

// coordinatorSection is a coordinator's: the area's current youths (and
// those locked out), work waiting for approval and follow-ups due.
func (a *App) coordinatorSection(s *homeSection, today people.Date) error {
	ys, _, err := a.people.YouthsInArea(s.Area.ID)
	if err != nil {
		return err
	}
	active, _ := activeYouths(ys, nil)
	s.Youths = len(active)
	for _, y := range active {
		if !y.User.Locked.IsZero() {
			s.Locked = append(s.Locked, y.User)
		}
	}
	q, err := a.jobs.Queue(s.Area.ID)
	if err != nil {
		return err
	}
	s.Pending = len(q)
	if a.employers != nil {
		due, err := a.employers.DueFollowUps(s.Area.ID, today)
		if err != nil {
			return err
		}
		s.Due = len(due)
	}
	return nil
}

// ageBandKey names the young-worker age band the rules put y in.
func ageBandKey(y people.Youth, on people.Date) string {
	age := y.BirthDate.AgeOn(on)
	switch {
	case age < 13:
		return "band.under13"
	case age < 15 || y.School == people.SchoolCompulsory:
		return "band.13to14"
	case age < 18:
		return "band.15to17"
	default:
		return "band.adult"
	}
}

// minCell is the smallest count shown as a number; smaller ones show as
// "<5" so no single child can be picked out of an aggregate.
const minCell = 5

func suppress(n int) string {
	if n > 0 && n < minCell {
		return "<5"
	}
	return itoa(n)
}

func youthStats(ys []people.YouthView, on people.Date) []statRow {
	genders := []people.Gender{people.GenderFemale, people.GenderMale, people.GenderOther, people.GenderUnknown}
	bands := []string{"band.under13", "band.13to14", "band.15to17", "band.adult"}
	counts := map[[2]string]int{}
	for _, y := range ys {
		counts[[2]string{string(y.Youth.Gender), ageBandKey(y.Youth, on)}]++
	}
	var rows []statRow
	for _, g := range genders {
		for _, b := range bands {
			if n := counts[[2]string{string(g), b}]; n > 0 {
				rows = append(rows, statRow{GenderKey: "gender." + string(g), BandKey: b, Count: suppress(n)})
			}
		}
	}
	return rows
}

// childView is a guardian's linked child and whether the guardian may still
// see their data (under the digital consent age).
type childView struct {
	View  people.YouthView
	Young bool
}
