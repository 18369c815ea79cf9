package jobs

import "testing"

func TestOfferCanTake(t *testing.T) {
	tests := []struct {
		name string
		o    Offer
		want bool
	}{
		{"free", Offer{}, true},
		{"claimed", Offer{Claim: &Claim{}}, false},
		{"refused by a rule", Offer{Refusal: &RuleError{}}, false},
		{"too old", Offer{TooOld: true}, false},
		{"too young", Offer{TooYoung: true}, false},
		{"waits for consent", Offer{NeedsConsent: true}, false},
	}
	for _, tt := range tests {
		if got := tt.o.CanTake(); got != tt.want {
			t.Errorf("%s: CanTake() = %v, want %v", tt.name, got, tt.want)
		}
	}
}
