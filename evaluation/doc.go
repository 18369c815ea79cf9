// Package evaluation turns the participation records, the youths' profiles
// and their job spells into what an effect evaluation needs: a
// pseudonymised person file, a person-year panel ready for R's did,
// Stata's csdid and fixest::sunab, the events, a Frictionless Data Package
// describing every column, and the administrator's audited linkage file for
// Statistics Denmark. It also imports a programme's history from CSV.
//
// # Definitions
//
// A youth's programme start is the date of their first participation
// record whose type is one of the export's start types (all types by
// default). Youths registered but without such a record are the
// programme's own comparison pool (group "comparison", first_treat 0).
// A youth "has a leisure job" in a year when any job spell (from the
// employer pipeline or imported) overlaps that year; job_months counts
// the calendar months of the year that any spell overlaps. An open spell
// lasts until the day of the export.
//
// # Pseudonyms
//
// The ID in every evaluator file is HMAC-SHA256(export key, internal youth
// ID), hex, truncated to 128 bits. The export key is 32 random bytes made
// on first use and kept in the store, sealed (AES-256-GCM) under a key
// derived from the installation secret, which is not in the database file.
// Only administrators can rotate it; a rotation makes every later export
// use new pseudonyms, so files from before and after cannot be joined. Each
// export names the key's fingerprint so evaluators can tell.
//
// # Import
//
// Import reads CSV files (UTF-8, with or without BOM, or Windows-1252;
// comma or semicolon, sniffed from the header line; a header row is
// required; column order is free; dates as YYYY-MM-DD or DD-MM-YYYY). The
// kind of file follows from its columns:
//
//   - youths: external_id, birth_date, gender (female/male/other/unknown,
//     or pige/dreng/andet/ukendt, k/m; empty = unknown), area (the area's
//     name or number), registration_date;
//   - participation events: external_id, date, type (lommepenge_task,
//     guidance_session, cv_workshop, interview_training, placement,
//     retention_followup, reward_outing), hours (decimal with comma or
//     point, 0–24; may be empty);
//   - job spells: external_id, start, end (empty while the job lasts),
//     industry (optional, at most 60 characters).
//
// external_id is the programme's own key: 1–40 letters, digits, ".", "_"
// or "-", and never a CPR number. Every row is checked; when any row is
// bad nothing is imported and the first MaxRowErrors bad rows are
// reported with their line number, column and a reason code (the UI
// says it in the reader's language), with the count of all. Re-importing a file changes nothing: youths are known
// by external ID (an index bucket), events by their content, spells by
// youth and start date. A corrected file
// corrects: a youth's birth date, gender and registration day (never an
// erased youth's), a spell's end and industry, and for each youth, day
// and type it names, the events (earlier imported ones are withdrawn, see
// participation.Withdraw). Imported youths are ordinary youths without a
// login. See IMPORT.md.
package evaluation
