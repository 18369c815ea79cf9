// Package cv will build a youth's CV from their profile and verified work,
// render it as a PDF with verification codes, and export JSON Resume.
package cv
