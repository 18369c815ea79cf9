// Package evaluation will build pseudonymised cohorts and the person-year
// panel, write the export with its codebook, and estimate the event-study
// chart.
package evaluation
