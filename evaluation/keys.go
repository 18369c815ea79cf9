package evaluation

import "fritidsjob/people"

// Buckets of the importer: the youths an import created, by the
// programme's own external IDs, and the job spells it imported.
const (
	bucketExternal       = "eval_external_ids"  // external_id -> externalRef
	bucketImportedSpells = "eval_import_spells" // Key(area, youth, start, n) -> importedSpell
)

// externalRef is the youth an external ID names.
type externalRef struct {
	Youth uint64 `json:"youth"`
	Area  uint64 `json:"area"`
}

// importedSpell is an imported job spell as stored.
type importedSpell struct {
	YouthID  uint64       `json:"youth"`
	Start    people.Date  `json:"start"`
	End      *people.Date `json:"end,omitempty"`
	Industry string       `json:"industry,omitempty"`
}

// sameSpell reports whether two imported spells are the same.
func sameSpell(a, b importedSpell) bool {
	return a.YouthID == b.YouthID && a.Start == b.Start && a.Industry == b.Industry &&
		(a.End == nil) == (b.End == nil) && (a.End == nil || *a.End == *b.End)
}
