package rules

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"fritidsjob/people"
)

//go:embed ruleset-*.json
var embedded embed.FS

// Rule kinds, as named in the JSON.
const (
	kindShiftValid = "shift_valid" // limit.minutes: longest shift
	kindOverlap    = "overlap"     // no limit
	kindTask       = "task"        // flag: a Task field that is refused
	kindMaxDay     = "max_day"     // scope, limit.minutes: working time per day
	kindMaxWeek    = "max_week"    // scope, limit.minutes: working time per ISO week
	kindWindow     = "window"      // limit.from, limit.to: wall-clock window
	kindRest       = "rest"        // limit.minutes: rest between working days
	kindDaysOff    = "days_off"    // limit.days consecutive free days in every limit.period_days
	kindBreak      = "break"       // limit.minutes break when longer than limit.after_minutes
)

// Task flags a task rule can refuse.
const (
	flagWage     = "wage"
	flagMachines = "machines"
	flagLifting  = "lifting12kg"
	flagAlone    = "works_alone"
)

// Scopes of max_day and max_week rules: which days or weeks they count.
const (
	scopeSchool = "school"
	scopeFree   = "free"
	scopeAny    = "any"
)

// requiredLangs are the languages every message must have.
var requiredLangs = []string{"da", "en"}

// fileSet is a rule-set file as stored.
type fileSet struct {
	Version   string           `json:"version"`
	ValidFrom people.Date      `json:"valid_from"`
	Units     map[string]units `json:"units"`
	Rules     []fileRule       `json:"rules"`
}

// units are the words for durations in one language.
type units struct {
	Hour    string `json:"hour"`
	Hours   string `json:"hours"`
	Minute  string `json:"minute"`
	Minutes string `json:"minutes"`
	And     string `json:"and"`
}

// fileRule is one rule as stored.
type fileRule struct {
	ID        string            `json:"id"`
	Bands     []Band            `json:"bands"`
	Kind      string            `json:"kind"`
	Scope     string            `json:"scope,omitempty"`
	Flag      string            `json:"flag,omitempty"`
	Limit     limit             `json:"limit"`
	ValidFrom people.Date       `json:"valid_from"`
	Source    string            `json:"source"`
	Note      string            `json:"note"`
	Message   map[string]string `json:"message"`
}

// limit holds a rule's limit values; which are used depends on the kind.
type limit struct {
	Minutes      int    `json:"minutes,omitempty"`
	AfterMinutes int    `json:"after_minutes,omitempty"`
	From         string `json:"from,omitempty"` // "HH:MM"
	To           string `json:"to,omitempty"`   // "HH:MM"
	Days         int    `json:"days,omitempty"`
	PeriodDays   int    `json:"period_days,omitempty"`
	Kg           int    `json:"kg,omitempty"`
}

// ruleSet is a loaded, validated rule set.
type ruleSet struct {
	version   string
	validFrom people.Date
	rules     []*rule
}

// rule is a loaded rule with its messages already filled in.
type rule struct {
	fileRule
	msg            map[string]string
	fromH, fromM   int
	toH, toM       int
	limitDur       time.Duration
	afterDur       time.Duration
	limitText      string
	appliesToBands map[Band]bool
}

// Engine checks shifts against the loaded rule sets. It is immutable and
// safe for concurrent use.
type Engine struct {
	sets []*ruleSet // by valid_from, earliest first
}

// RuleInfo describes one rule for a page that lists the rules.
type RuleInfo struct {
	ID        string
	Kind      string
	Bands     []Band
	Limit     string // language-neutral, e.g. "2h", "06:00-20:00", "2/7d", "12kg"
	Source    string
	Note      string // English; says where the stricter reading was chosen
	ValidFrom people.Date
	Message   map[string]string // lang -> the rule as the user sees it
}

var loadDefault = sync.OnceValues(func() (*Engine, error) { return Load(embedded) })

// Default returns the engine for the embedded rule sets.
func Default() (*Engine, error) { return loadDefault() }

// Load reads every ruleset-*.json file at the root of fsys. Each file is one
// rule set; no two may share a version or a valid_from date.
func Load(fsys fs.FS) (*Engine, error) {
	names, err := fs.Glob(fsys, "ruleset-*.json")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("rules: no ruleset-*.json files")
	}
	e := &Engine{}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		s, err := parseSet(b)
		if err != nil {
			return nil, fmt.Errorf("rules: %s: %w", path.Base(name), err)
		}
		for _, o := range e.sets {
			if o.version == s.version || o.validFrom == s.validFrom {
				return nil, fmt.Errorf("rules: %s: version or valid_from repeats rule set %s", name, o.version)
			}
		}
		e.sets = append(e.sets, s)
	}
	slices.SortFunc(e.sets, func(a, b *ruleSet) int { return civil(a.validFrom).Compare(civil(b.validFrom)) })
	return e, nil
}

// parseSet reads one rule-set file: its header, its units for every
// required language and its rules, exactly one of them shift_valid.
func parseSet(b []byte) (*ruleSet, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f fileSet
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	if f.Version == "" || f.ValidFrom.IsZero() {
		return nil, errors.New("version and valid_from are required")
	}
	langs := requiredLangs
	if err := checkUnits(f.Units, langs); err != nil {
		return nil, err
	}
	s := &ruleSet{version: f.Version, validFrom: f.ValidFrom}
	ids := map[string]bool{}
	valid := 0
	for _, fr := range f.Rules {
		r, err := parseRule(fr, f.Units, langs)
		if err != nil {
			return nil, fmt.Errorf("rule %q: %w", fr.ID, err)
		}
		if ids[r.ID] {
			return nil, fmt.Errorf("rule %q repeats", r.ID)
		}
		ids[r.ID] = true
		if r.Kind == kindShiftValid {
			valid++
			if len(r.appliesToBands) != len(Bands) || r.ValidFrom != f.ValidFrom {
				return nil, fmt.Errorf("rule %q must cover every band from the set's valid_from", r.ID)
			}
		}
		s.rules = append(s.rules, r)
	}
	if valid != 1 {
		return nil, fmt.Errorf("want exactly one %s rule, have %d", kindShiftValid, valid)
	}
	return s, nil
}

// checkUnits needs units for every language of langs, each with every
// word.
func checkUnits(us map[string]units, langs []string) error {
	for _, l := range langs {
		if _, ok := us[l]; !ok {
			return fmt.Errorf("units for %q missing", l)
		}
	}
	for l, u := range us {
		if u.Hour == "" || u.Hours == "" || u.Minute == "" || u.Minutes == "" || u.And == "" {
			return fmt.Errorf("units for %q incomplete", l)
		}
	}
	return nil
}

// parseRule checks one stored rule and loads it: its bands, its kind's
// limit and its messages with the placeholders filled in for each
// language's units.
func parseRule(fr fileRule, us map[string]units, langs []string) (*rule, error) {
	r := &rule{fileRule: fr, appliesToBands: map[Band]bool{}}
	if err := checkRuleHeader(fr); err != nil {
		return nil, err
	}
	for _, b := range fr.Bands {
		if !b.Valid() {
			return nil, fmt.Errorf("unknown band %q", b)
		}
		r.appliesToBands[b] = true
	}
	l := fr.Limit
	r.limitDur = time.Duration(l.Minutes) * time.Minute
	r.afterDur = time.Duration(l.AfterMinutes) * time.Minute
	parseLimit, ok := limitParsers[fr.Kind]
	if !ok {
		return nil, fmt.Errorf("unknown kind %q", fr.Kind)
	}
	vars := placeholders{}
	if err := parseLimit(r, vars); err != nil {
		return nil, err
	}
	if err := r.fillMessages(us, langs, vars); err != nil {
		return nil, err
	}
	return r, nil
}

// checkRuleHeader refuses a rule without an id, bands, a valid_from, an
// https:// source or a note.
func checkRuleHeader(fr fileRule) error {
	switch {
	case fr.ID == "":
		return errors.New("id missing")
	case len(fr.Bands) == 0:
		return errors.New("bands missing")
	case fr.ValidFrom.IsZero():
		return errors.New("valid_from missing")
	case !strings.HasPrefix(fr.Source, "https://"):
		return errors.New("source must be an https:// URL")
	case strings.TrimSpace(fr.Note) == "":
		return errors.New("note missing")
	}
	return nil
}

// placeholders maps a message placeholder ("limit", "from", …) to its
// text in one language's units.
type placeholders map[string]func(units) string

// durVar is the placeholder text of duration d.
func durVar(d time.Duration) func(units) string {
	return func(u units) string { return formatDuration(d, u) }
}

// limitParsers checks each kind's limit, sets the rule's limit text and
// the placeholders its messages may use.
var limitParsers = map[string]func(r *rule, vars placeholders) error{
	kindShiftValid: parseMinutesLimit,
	kindRest:       parseMinutesLimit,
	kindMaxDay:     parseScopedLimit,
	kindMaxWeek:    parseScopedLimit,
	kindOverlap:    func(*rule, placeholders) error { return nil },
	kindTask:       parseTaskLimit,
	kindWindow:     parseWindowLimit,
	kindDaysOff:    parseDaysOffLimit,
	kindBreak:      parseBreakLimit,
}

// parseMinutesLimit needs a positive limit.minutes, shown as {limit}.
func parseMinutesLimit(r *rule, vars placeholders) error {
	if r.Limit.Minutes <= 0 {
		return errors.New("limit.minutes must be positive")
	}
	vars["limit"] = durVar(r.limitDur)
	r.limitText = compactDuration(r.limitDur)
	return nil
}

// parseScopedLimit is parseMinutesLimit with a known scope.
func parseScopedLimit(r *rule, vars placeholders) error {
	if err := parseMinutesLimit(r, vars); err != nil {
		return err
	}
	if fr := r.fileRule; fr.Scope != scopeSchool && fr.Scope != scopeFree && fr.Scope != scopeAny {
		return fmt.Errorf("unknown scope %q", fr.Scope)
	}
	return nil
}

// parseTaskLimit needs a known task flag; a weight limit is shown as
// {limit}.
func parseTaskLimit(r *rule, vars placeholders) error {
	fr, l := r.fileRule, r.Limit
	if fr.Flag != flagWage && fr.Flag != flagMachines && fr.Flag != flagLifting && fr.Flag != flagAlone {
		return fmt.Errorf("unknown task flag %q", fr.Flag)
	}
	if l.Kg > 0 {
		kg := strconv.Itoa(l.Kg) + " kg"
		vars["limit"] = func(units) string { return kg }
		r.limitText = strconv.Itoa(l.Kg) + "kg"
	}
	return nil
}

// parseWindowLimit needs limit.from before limit.to, shown as {from} and
// {to}.
func parseWindowLimit(r *rule, vars placeholders) error {
	l := r.Limit
	var err1, err2 error
	r.fromH, r.fromM, err1 = parseClock(l.From)
	r.toH, r.toM, err2 = parseClock(l.To)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if r.fromH*60+r.fromM >= r.toH*60+r.toM {
		return errors.New("limit.from must be before limit.to")
	}
	vars["from"] = func(units) string { return l.From }
	vars["to"] = func(units) string { return l.To }
	r.limitText = l.From + "-" + l.To
	return nil
}

// parseDaysOffLimit needs 0 < limit.days < limit.period_days, shown as
// {days} and {period}.
func parseDaysOffLimit(r *rule, vars placeholders) error {
	l := r.Limit
	if l.Days <= 0 || l.PeriodDays <= l.Days {
		return errors.New("need 0 < limit.days < limit.period_days")
	}
	vars["days"] = func(units) string { return strconv.Itoa(l.Days) }
	vars["period"] = func(units) string { return strconv.Itoa(l.PeriodDays) }
	r.limitText = fmt.Sprintf("%d/%dd", l.Days, l.PeriodDays)
	return nil
}

// parseBreakLimit needs positive limit.minutes and limit.after_minutes,
// shown as {limit} and {after}.
func parseBreakLimit(r *rule, vars placeholders) error {
	l := r.Limit
	if l.Minutes <= 0 || l.AfterMinutes <= 0 {
		return errors.New("limit.minutes and limit.after_minutes must be positive")
	}
	vars["limit"] = durVar(r.limitDur)
	vars["after"] = durVar(r.afterDur)
	r.limitText = compactDuration(r.limitDur) + ">" + compactDuration(r.afterDur)
	return nil
}

// fillMessages needs a message in every required language and units for
// every message's language, and fills in the placeholders; a placeholder
// left over is refused.
func (r *rule) fillMessages(us map[string]units, langs []string, vars placeholders) error {
	fr := r.fileRule
	for _, lang := range langs {
		if strings.TrimSpace(fr.Message[lang]) == "" {
			return fmt.Errorf("message in %q missing", lang)
		}
	}
	r.msg = map[string]string{}
	for lang, tmpl := range fr.Message {
		u, ok := us[lang]
		if !ok {
			return fmt.Errorf("no units for message language %q", lang)
		}
		text := tmpl
		for name, f := range vars {
			text = strings.ReplaceAll(text, "{"+name+"}", f(u))
		}
		if i := strings.IndexByte(text, '{'); i >= 0 {
			return fmt.Errorf("message in %q: unknown placeholder at %q", lang, text[i:])
		}
		r.msg[lang] = text
	}
	return nil
}

func parseClock(s string) (h, m int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, fmt.Errorf("clock %q: %w", s, err)
	}
	return t.Hour(), t.Minute(), nil
}

// set is the rule set valid on day and the date rules are filtered by:
// the latest set that starts on or before day, or for earlier days the
// first set as on its first day.
func (e *Engine) set(day people.Date) (*ruleSet, people.Date) {
	for i := len(e.sets) - 1; i >= 0; i-- {
		if !day.Before(e.sets[i].validFrom) {
			return e.sets[i], day
		}
	}
	return e.sets[0], e.sets[0].validFrom
}

// Version is the version of the rule set valid on day on. Days before the
// first rule set use the first one.
func (e *Engine) Version(on people.Date) string {
	s, _ := e.set(on)
	return s.version
}

// Rules lists the rules in force on day on, in rule-set order, with their
// messages filled in.
func (e *Engine) Rules(on people.Date) []RuleInfo {
	s, eff := e.set(on)
	var out []RuleInfo
	for _, r := range s.rules {
		if eff.Before(r.ValidFrom) {
			continue
		}
		out = append(out, RuleInfo{
			ID: r.ID, Kind: r.Kind, Bands: slices.Clone(r.Bands), Limit: r.limitText,
			Source: r.Source, Note: r.Note, ValidFrom: r.ValidFrom, Message: maps.Clone(r.msg),
		})
	}
	return out
}

// formatDuration writes d, rounded down to whole minutes, in the language
// of u: "2 timer og 30 minutter", "1 hour", "30 minutes".
func formatDuration(d time.Duration, u units) string {
	mins := int64(d / time.Minute)
	h, m := mins/60, mins%60
	unit := func(n int64, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.FormatInt(n, 10) + " " + many
	}
	switch {
	case h > 0 && m > 0:
		return unit(h, u.Hour, u.Hours) + " " + u.And + " " + unit(m, u.Minute, u.Minutes)
	case h > 0:
		return unit(h, u.Hour, u.Hours)
	default:
		return unit(m, u.Minute, u.Minutes)
	}
}

// compactDuration is d as "2h", "4h30m" or "30m".
func compactDuration(d time.Duration) string {
	mins := int64(d / time.Minute)
	h, m := mins/60, mins%60
	switch {
	case h > 0 && m > 0:
		return fmt.Sprintf("%dh%dm", h, m)
	case h > 0:
		return fmt.Sprintf("%dh", h)
	default:
		return fmt.Sprintf("%dm", m)
	}
}
