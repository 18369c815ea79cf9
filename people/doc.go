// Package people holds the installation's tenants and accounts: housing
// areas (each a boligsocial helhedsplan), users with role memberships per
// area, youth profiles, guardians, and authentication (argon2id hashes,
// throttled logins).
//
// Everything here is personal data about children or the adults around
// them; other packages reach it only through this package's Service.
package people
