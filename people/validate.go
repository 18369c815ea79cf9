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

func validSecret(secret string, kind SecretKind) error {
	switch kind {
	case SecretPIN:
		if n := len(secret); n < 4 || n > 8 {
			return invalid("pin", "length")
		}
		for _, r := range secret {
			if r < '0' || r > '9' {
				return invalid("pin", "digits")
			}
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
