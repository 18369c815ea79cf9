package sms

import (
	"strings"
	"unicode/utf16"
)

// gsmBasic is the GSM 03.38 default alphabet (one septet each), without
// the escape code; gsmExt is its extension table, reached through the
// escape, so each of those costs two septets.
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExt = "\f^{}\\[~]|€"
)

// Segment sizes: one SMS holds 160 GSM-7 septets or 70 UCS-2 units; a
// message of several parts loses room to the concatenation header.
const (
	gsmSingle, gsmPart   = 160, 153
	ucs2Single, ucs2Part = 70, 67
)

// septets returns how many GSM-7 septets s takes, and false when s has a
// character outside GSM-7 (then it must be sent as UCS-2).
func septets(s string) (int, bool) {
	n := 0
	for _, r := range s {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			n++
		case strings.ContainsRune(gsmExt, r):
			n += 2
		default:
			return 0, false
		}
	}
	return n, true
}

// IsGSM7 reports whether s can be sent in the GSM-7 alphabet (æøåÆØÅ can).
func IsGSM7(s string) bool {
	_, ok := septets(s)
	return ok
}

// Length returns the units text s takes and whether they are GSM-7
// septets (an extension character counts two) or, when s is not GSM-7,
// UTF-16 units of UCS-2.
func Length(s string) (units int, gsm7 bool) {
	if n, ok := septets(s); ok {
		return n, true
	}
	return len(utf16.Encode([]rune(s))), false
}

// Segments returns how many SMS parts s takes: 160 septets in one part
// or 153 per part beyond that for GSM-7, 70 or 67 units for UCS-2. An
// empty text takes one.
func Segments(s string) int {
	n, gsm := Length(s)
	single, part := ucs2Single, ucs2Part
	if gsm {
		single, part = gsmSingle, gsmPart
	}
	if n <= single {
		return 1
	}
	return (n + part - 1) / part
}

// Compose returns the SMS text of body followed by link: as it is when it
// fits one segment, else with body cut at a word and ended with an
// ellipsis so that it does ("..." in a GSM-7 text, where "…" would force
// UCS-2; "…" in a UCS-2 one). When not even the link and one word fit,
// the whole text goes in several segments.
func Compose(body, link string) string {
	body = strings.TrimSpace(body)
	join := func(b string) string {
		if link == "" {
			return b
		}
		if b == "" {
			return link
		}
		return b + "\n" + link
	}
	full := join(body)
	if Segments(full) == 1 {
		return full
	}
	ellipsis := "…"
	if IsGSM7(full) {
		ellipsis = "..."
	}
	words := strings.Fields(body)
	for k := len(words) - 1; k >= 1; k-- {
		cut := join(strings.Join(words[:k], " ") + ellipsis)
		if Segments(cut) == 1 {
			return cut
		}
	}
	return full
}
