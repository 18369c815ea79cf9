package employers

// cvrWeights are the modulus-11 weights of a Danish CVR number.
var cvrWeights = [8]int{2, 7, 6, 5, 4, 3, 2, 1}

// ValidCVR checks a Danish CVR number: exactly 8 ASCII digits, not starting
// with 0, whose digits weighted 2,7,6,5,4,3,2,1 sum to a multiple of 11.
// It returns invalid input (a *fault.Error) with Field "cvr" and Code
// "format" or "checksum", or nil.
func ValidCVR(s string) error {
	if len(s) != 8 || s[0] == '0' {
		return invalid("cvr", "format")
	}
	sum := 0
	for i := 0; i < 8; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return invalid("cvr", "format")
		}
		sum += int(c-'0') * cvrWeights[i]
	}
	if sum%11 != 0 {
		return invalid("cvr", "checksum")
	}
	return nil
}
