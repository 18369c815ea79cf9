// Package rules encodes Arbejdstilsynet's rules for workers under 18 as
// versioned rules-as-data and checks a proposed work shift against them.
//
// The rules live in embedded JSON files (ruleset-YYYY-MM-DD.json), each a
// rule set valid from a date; every rule carries its band(s), limit, source
// URL, a note on how it is read (the stricter reading where the law is
// unclear) and its user messages in Danish and English. A check uses the
// rule set valid on the shift's Copenhagen date and records its version.
//
// The package is pure: no storage, no clock; times come in as arguments and
// are read in people.Copenhagen.
package rules
