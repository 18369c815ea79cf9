package ui

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/people"
	"fritidsjob/points"
)

// youthPoints is the youth's points page: balance, history, the rewards
// their points can buy and their requests.
func (a *App) youthPoints(c *fiber.Ctx) error {
	return a.renderYouthPoints(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
}

func (a *App) renderYouthPoints(c *fiber.Ctx, status int, b basePage) error {
	area, u := currentArea(c), currentUser(c)
	bal, err := a.points.Balance(area.ID, u.ID)
	if err != nil {
		return err
	}
	hist, err := a.points.History(area.ID, points.YouthAccount(u.ID), 50)
	if err != nil {
		return err
	}
	rewards, err := a.points.Rewards(area.ID)
	if err != nil {
		return err
	}
	var open []points.Reward
	for _, r := range rewards {
		if r.Status == points.RewardOpen && !r.Funded {
			open = append(open, r)
		}
	}
	reds, err := a.points.YouthRedemptions(area.ID, u.ID)
	if err != nil {
		return err
	}
	titles := map[uint64]string{}
	for _, r := range rewards {
		titles[r.ID] = r.Title
	}
	// The places the youth asked for or got: no second request button.
	requested := map[uint64]bool{}
	for _, r := range reds {
		if r.Status == points.StatusRequested || r.Status == points.StatusConfirmed {
			requested[r.RewardID] = true
		}
	}
	return a.render(c, status, &pointsPage{basePage: b, Balance: bal, History: hist, Rewards: open,
		Redemptions: reds, Titles: titles, Requested: requested})
}

func rewardParam(c *fiber.Ctx, name string) (uint64, error) {
	id, ok := parseID(c.Params(name))
	if !ok {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

// requestKey makes a form post idempotent: the form carries a random key,
// so a double click or a resent form books one place.
func requestKey(c *fiber.Ctx) string {
	k := c.FormValue("key")
	if len(k) < 16 || len(k) > 64 {
		return ""
	}
	return k
}

func (a *App) requestReward(c *fiber.Ctx) error {
	id, err := rewardParam(c, "reward")
	if err != nil {
		return err
	}
	key := requestKey(c)
	if key == "" {
		return fieldError("key", "format")
	}
	if _, err := a.points.Request(currentArea(c).ID, id, currentUser(c).ID, key); err != nil {
		return a.refused(c, onPage(err), a.renderYouthPoints)
	}
	return c.Redirect(areaURL(c, "/points?done=requested"), fiber.StatusSeeOther)
}

func (a *App) pledgeReward(c *fiber.Ctx) error {
	id, err := rewardParam(c, "reward")
	if err != nil {
		return err
	}
	key := requestKey(c)
	if key == "" {
		return fieldError("key", "format")
	}
	n, err := parseIntField("pledge", c.FormValue("points"), 1, 1_000_000)
	if err != nil {
		return a.refused(c, onPage(err), a.renderYouthPoints)
	}
	if _, err := a.points.Pledge(currentArea(c).ID, id, currentUser(c).ID, int64(n), key); err != nil {
		return a.refused(c, onPage(err), a.renderYouthPoints)
	}
	return c.Redirect(areaURL(c, "/points?done=pledged"), fiber.StatusSeeOther)
}

func (a *App) cancelRedemption(c *fiber.Ctx) error {
	id, err := rewardParam(c, "redemption")
	if err != nil {
		return err
	}
	if _, err := a.points.Cancel(currentArea(c).ID, id, currentUser(c).ID); err != nil {
		return a.refused(c, onPage(err), a.renderYouthPoints)
	}
	return c.Redirect(areaURL(c, "/points?done=redemption_cancelled"), fiber.StatusSeeOther)
}

// rewardRow is a reward with its requests, for the coordinator.
type rewardRow struct {
	Reward      points.Reward
	Redemptions []points.Redemption
}

func (a *App) manageRewards(c *fiber.Ctx) error {
	return a.renderRewards(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
}

func (a *App) renderRewards(c *fiber.Ctx, status int, b basePage) error {
	area := currentArea(c)
	rewards, err := a.points.Rewards(area.ID)
	if err != nil {
		return err
	}
	reds, err := a.points.Redemptions(area.ID, "")
	if err != nil {
		return err
	}
	youths, err := a.youthNames(area.ID)
	if err != nil {
		return err
	}
	rows := make([]rewardRow, 0, len(rewards))
	for _, r := range rewards {
		row := rewardRow{Reward: r}
		for _, d := range reds {
			if d.RewardID == r.ID {
				row.Redemptions = append(row.Redemptions, d)
			}
		}
		rows = append(rows, row)
	}
	return a.render(c, status, &rewardsPage{basePage: b, Rows: rows, Names: youths})
}

func (a *App) youthNames(area uint64) (map[uint64]string, error) {
	ys, _, err := a.people.YouthsInArea(area)
	if err != nil {
		return nil, err
	}
	m := make(map[uint64]string, len(ys))
	for _, y := range ys {
		m[y.User.ID] = y.User.DisplayName
	}
	return m, nil
}

var rewardFormFields = []string{"title", "description", "price", "places", "date", "pot"}

func (a *App) createReward(c *fiber.Ctx) error {
	price, err := parseIntField("price", c.FormValue("price"), 1, 1_000_000)
	if err != nil {
		return a.refused(c, err, a.renderRewards, rewardFormFields...)
	}
	places, err := parseIntField("places", c.FormValue("places"), 1, 1000)
	if err != nil {
		return a.refused(c, err, a.renderRewards, rewardFormFields...)
	}
	date, err := people.ParseDate(c.FormValue("date"))
	if err != nil {
		return a.refused(c, fieldError("date", "format"), a.renderRewards, rewardFormFields...)
	}
	_, err = a.points.CreateReward(currentArea(c).ID, points.Reward{
		Title: c.FormValue("title"), Description: c.FormValue("description"), PricePoints: int64(price),
		Places: places, Date: date, Pot: c.FormValue("pot") == "on",
	})
	if err != nil {
		return a.refused(c, onPage(err), a.renderRewards, rewardFormFields...)
	}
	return c.Redirect(areaURL(c, "/rewards?done=reward_created"), fiber.StatusSeeOther)
}

// rewardAction runs a coordinator's decision and returns to the rewards page.
func (a *App) rewardAction(param, done string, do func(area, id, by uint64, c *fiber.Ctx) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := rewardParam(c, param)
		if err != nil {
			return err
		}
		if err := do(currentArea(c).ID, id, currentUser(c).ID, c); err != nil {
			return a.refused(c, onPage(err), a.renderRewards)
		}
		return c.Redirect(areaURL(c, "/rewards?done="+done), fiber.StatusSeeOther)
	}
}

func (a *App) confirmRedemption(area, id, by uint64, _ *fiber.Ctx) error {
	_, err := a.points.Confirm(area, id, by)
	return err
}

func (a *App) refuseRedemption(area, id, by uint64, c *fiber.Ctx) error {
	_, err := a.points.Refuse(area, id, by, c.FormValue("reason"))
	return err
}

func (a *App) confirmPot(area, id, by uint64, _ *fiber.Ctx) error {
	_, err := a.points.ConfirmPot(area, id, by)
	return err
}

func (a *App) cancelReward(area, id, by uint64, _ *fiber.Ctx) error {
	_, err := a.points.CancelReward(area, id, by)
	return err
}

func (a *App) closeReward(area, id, _ uint64, _ *fiber.Ctx) error {
	_, err := a.points.CloseReward(area, id)
	return err
}

// budget shows what the area has paid out per month, with the payroll
// files for download.
func (a *App) budget(c *fiber.Ctx) error {
	use, err := a.points.BudgetUse(currentArea(c).ID)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, &budgetPage{Months: use})
}

// payrollCSV streams one month's payroll for the housing organisation.
func (a *App) payrollCSV(c *fiber.Ctx) error {
	month := c.Query("month") // YYYY-MM
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return fieldError("month", "format")
	}
	area := currentArea(c)
	if err := a.audit(c, people.AccessExport, "payroll", 0, "month="+month); err != nil {
		return err
	}
	rows, err := a.points.Payroll(area.ID, t.Month(), t.Year())
	if err != nil {
		return err
	}
	names, err := a.youthNames(area.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := points.WritePayrollCSV(&buf, rows, func(id uint64) string { return names[id] }); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="loen-`+slug(area.Name)+"-"+month+`.csv"`)
	return c.Send(buf.Bytes())
}

// slug keeps letters and digits for a file name.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'æ':
			b.WriteString("ae")
		case r == 'ø':
			b.WriteString("oe")
		case r == 'å':
			b.WriteString("aa")
		default:
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

func monthParam(y int, m time.Month) string { return strconv.Itoa(y) + "-" + twoDigits(int(m)) }

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
