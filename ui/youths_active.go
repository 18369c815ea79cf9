package ui

import "fritidsjob/people"

// activeYouths keeps the youths who can log in, plus those keep says to
// keep (e.g. youths already in the pipeline) and the erased (shown as such),
// and counts the others: youths
// imported from the programme's history, who belong in the evaluation but
// would drown the coordinator's working lists.
func activeYouths(ys []people.YouthView, keep func(people.YouthView) bool) (active []people.YouthView, historical int) {
	active = make([]people.YouthView, 0, len(ys))
	for _, y := range ys {
		if y.User.CanLogIn() || !y.User.Erased.IsZero() || (keep != nil && keep(y)) {
			active = append(active, y)
		} else {
			historical++
		}
	}
	return active, historical
}
