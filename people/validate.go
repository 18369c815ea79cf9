package people

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// commonPasswords are refused outright; a short list of what Danish users
// pick most often (the full breached list belongs in a later check).
var commonPasswords = []string{
	"12345678", "123456789", "1234567890", "password", "password1", "qwerty123", "adgangskode",
	"kodeord1", "kodeord123", "sommer2026", "vinter2026", "fritidsjob", "11111111", "abc12345",
	"iloveyou", "qwertyui", "danmark1", "passw0rd",
}

func normUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validUsername(u string) error {
	if n := len(u); n < 3 || n > 32 {
		return invalid("username", "length")
	}
	for _, r := range u {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return invalid("username", "chars")
		}
	}
	return nil
}

// PINLength is the length of every new or reset youth PIN. Older 4-digit
// PINs keep working until their next reset.
const PINLength = 6

// validSecret checks a new password or PIN. A PIN must have PINLength
// digits and not be trivial (see trivialPIN); birth, when known, is the
// youth's birth date, which a PIN may not spell.
func validSecret(secret string, kind SecretKind, birth Date) error {
	switch kind {
	case SecretPIN:
		if len(secret) != PINLength {
			return invalid("pin", "length")
		}
		for _, r := range secret {
			if r < '0' || r > '9' {
				return invalid("pin", "digits")
			}
		}
		if trivialPIN(secret, birth) {
			return invalid("pin", "trivial")
		}
		return nil
	case SecretPassword:
		if n := utf8.RuneCountInString(secret); n < 10 || n > 128 {
			return invalid("password", "length")
		}
		if slices.Contains(commonPasswords, strings.ToLower(secret)) {
			return invalid("password", "common")
		}
		return nil
	default:
		return invalid("secret_kind", "unknown")
	}
}

// commonPINs are 6-digit PINs that people choose far more often than
// chance (keyboard shapes, mirrored runs, a few favourites).
var commonPINs = []string{"112233", "123321", "789456", "159753", "147258", "258369", "369258", "147852",
	"963852", "753951", "102030", "010203", "696969", "520520", "100100", "200000", "112211", "456123", "321654"}

// trivialPIN reports whether pin is one a guesser tries first: one digit
// repeated, a run up or down (123456, 987654, 901234), a repeated pair or
// triple (121212, 123123), a common PIN, or the birth date as DDMMYY,
// YYMMDD or MMDDYY.
func trivialPIN(pin string, birth Date) bool {
	if slices.Contains(commonPINs, pin) {
		return true
	}
	up, down := true, true
	for i := 1; i < len(pin); i++ {
		d := (int(pin[i]) - int(pin[i-1]) + 10) % 10
		up = up && d == 1
		down = down && d == 9
	}
	if up || down {
		return true
	}
	for _, period := range []int{1, 2, 3} {
		if len(pin)%period == 0 && strings.Repeat(pin[:period], len(pin)/period) == pin {
			return true
		}
	}
	if !birth.IsZero() {
		dd, mm, yy := twoDigits(birth.Day), twoDigits(int(birth.Month)), twoDigits(birth.Year%100)
		for _, form := range []string{dd + mm + yy, yy + mm + dd, mm + dd + yy} {
			if pin == form {
				return true
			}
		}
	}
	return false
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10%10), byte('0' + n%10)}) }

// cleanText trims s and refuses empty or over-long values and control
// characters.
func cleanText(field, s string, max int) (string, error) {
	s, code := CleanText(s, max, true, false)
	if code != "" {
		return "", invalid(field, code)
	}
	return s, nil
}

// CleanText trims free text typed by a person and checks it: not empty
// when required, valid UTF-8 of at most max characters, no control
// characters (newlines and tabs only when multiline). It returns the
// trimmed text, or a reason code ("required", "length", "chars") for the
// caller's own validation error; every domain package checks text this way.
func CleanText(s string, max int, required, multiline bool) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" && required {
		return "", "required"
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return "", "length"
	}
	for _, r := range s {
		if r == 0x7f || (r < 0x20 && !(multiline && (r == '\n' || r == '\r' || r == '\t'))) {
			return "", "chars"
		}
	}
	return s, ""
}

func validLang(l string) bool { return l == "" || l == "da" || l == "en" }
