package notify

import (
	"crypto/sha256"
	"fmt"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

// ConsentLinkPath is the path of a guardian's consent link in the app;
// the text of the message puts the app's public address before it.
func ConsentLinkPath(token string) string { return "/consent/" + token }

// ConsentLinkCreated sends the consent link a coordinator made to the
// youth's guardian by SMS (a guardian message: it lands in no inbox). It
// is people.Options.OnConsentLink, so it runs in the transaction that
// creates the link. The message holds the link's path (the token is the
// guardian's key to the consent page until it expires or is used), the
// guardian's name when the profile knows it, and the expiry date.
func ConsentLinkCreated(tx store.Tx, l people.ConsentLinkRecord, token string) error {
	p := map[string]string{"link": ConsentLinkPath(token), "expires": l.Expires.UTC().Format(time.RFC3339)}
	if l.GuardianName != "" {
		p["guardian"] = l.GuardianName
	}
	return Enqueue(tx, Message{UserID: l.YouthID, AreaID: l.AreaID, Kind: KindConsentLink, Params: p,
		Guardian: true, Created: l.Created,
		Key: fmt.Sprintf("%s:youth:%d:link:%x", KindConsentLink, l.YouthID, sha256.Sum256([]byte(token)))})
}
