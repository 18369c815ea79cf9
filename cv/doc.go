// Package cv builds a youth's CV: their own profile text, education,
// languages, skills and interests, courses the programme recorded, and work
// experience grouped from the programme's verified records. It renders the
// CV as a PDF carrying a verification code and QR code (the layout is
// package cv/pdf: gofpdf with an embedded Unicode font), and exports JSON
// Resume. Verification codes open a public page that shows only the
// verified lines.
package cv
