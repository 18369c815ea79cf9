// Package jobs will hold the lommepenge tasks: posting, claiming slots with
// a waitlist, work entries and their approval, and the Danish young-worker
// rules as versioned data, checked before a task is claimed.
package jobs
