package ui

import (
	"strconv"
	"strings"
	"time"

	"fritidsjob/fault"
	"fritidsjob/people"
)

// fieldError is a form value that could not be read: invalid input on
// field, translated as "invalid.<field>.<code>" like a domain validation
// error.
func fieldError(field, code string) error { return fault.InvalidField(field, code) }

// parseKroner reads an amount in kroner as typed by a Dane ("62,50",
// "62.5", "62") into øre. Thousand separators are not accepted: "1.234"
// would be ambiguous.
func parseKroner(field, s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "kr."))
	s = strings.TrimSpace(strings.TrimSuffix(s, "kr"))
	if s == "" {
		return 0, fieldError(field, "required")
	}
	whole, frac, hasFrac := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if whole == "" || len(whole) > 7 || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return 0, fieldError(field, "format")
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, fieldError(field, "format")
		}
	}
	kr, _ := strconv.ParseInt(whole, 10, 64)
	var ore int64
	if hasFrac {
		ore, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			ore *= 10
		}
	}
	return kr*100 + ore, nil
}

// parseIntField reads a whole number between lo and hi.
func parseIntField(field, s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fieldError(field, "format")
	}
	if n < lo || n > hi {
		return 0, fieldError(field, "range")
	}
	return n, nil
}

// parseDayTime reads a date ("2026-11-27") and a clock time ("15:00") as
// Copenhagen local time, the way a date and a time input send them.
func parseDayTime(field, day, clock string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(day)+" "+strings.TrimSpace(clock), people.Copenhagen)
	if err != nil {
		return time.Time{}, fieldError(field, "format")
	}
	// A clock time that does not exist (the spring-forward hour) moves; refuse it.
	if t.Format("15:04") != strings.TrimSpace(clock) {
		return time.Time{}, fieldError(field, "format")
	}
	return t, nil
}

// parseID reads a positive ID from a URL or form value.
func parseID(s string) (uint64, bool) {
	id, err := strconv.ParseUint(s, 10, 64)
	return id, err == nil && id > 0
}
