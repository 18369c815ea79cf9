package jobs

// CanTake reports whether the youth may take the offered task now: they
// hold no claim on it yet, no young-worker rule refuses it, they are
// within the task's ages and no guardian's consent is missing. Whatever
// it returns false for without a claim, the offer says why (Refusal,
// TooOld, TooYoung or NeedsConsent).
func (o Offer) CanTake() bool {
	return o.Claim == nil && o.Refusal == nil && !o.TooOld && !o.TooYoung && !o.NeedsConsent
}
