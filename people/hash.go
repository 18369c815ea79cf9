package people

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// HashParams are argon2id cost parameters.
type HashParams struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultHashParams follow OWASP's argon2id minimum (m=19 MiB, t=2, p=1).
var DefaultHashParams = HashParams{MemoryKiB: 19456, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

var errBadHash = errors.New("malformed password hash")

// pepperedPrefix marks a hash of the secret's HMAC under the installation
// pepper ("p1$argon2id$..."); a hash without it is of the secret itself
// (written before peppering, still accepted until the next change).
const pepperedPrefix = "p1"

// pepper is the key that secrets are HMAC'ed with before argon2id, derived
// from the installation secret: a PIN hash in a stolen backup cannot be
// guessed offline (a 6-digit PIN falls in minutes) without the secret,
// which is kept apart from the backups.
func pepper(installation []byte) []byte {
	m := hmac.New(sha256.New, installation)
	m.Write([]byte("fritidsjob secret pepper v1"))
	return m.Sum(nil)
}

func peppered(secret string, pepper []byte) []byte {
	m := hmac.New(sha256.New, pepper)
	m.Write([]byte(secret))
	return m.Sum(nil)
}

// hashSecret returns an argon2id PHC string for secret with a fresh salt,
// peppered when pepper is not nil.
func hashSecret(secret string, p HashParams, pepper []byte) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	in, prefix := []byte(secret), ""
	if pepper != nil {
		in, prefix = peppered(secret, pepper), pepperedPrefix
	}
	key := argon2.IDKey(in, salt, p.Time, p.MemoryKiB, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("%s$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", prefix,
		argon2.Version, p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// isPeppered reports whether a stored hash was written with the pepper.
func isPeppered(phc string) bool { return strings.HasPrefix(phc, pepperedPrefix+"$") }

// parseHash reads a PHC string written by hashSecret.
func parseHash(phc string) (p HashParams, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || (parts[0] != "" && parts[0] != pepperedPrefix) || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, errBadHash
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, errBadHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) == 0 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// verifySecret reports whether secret matches the PHC string, in time that
// does not depend on where the two differ. A peppered hash needs pepper.
func verifySecret(phc, secret string, pepper []byte) (bool, error) {
	p, salt, key, err := parseHash(phc)
	if err != nil {
		return false, err
	}
	in := []byte(secret)
	if isPeppered(phc) {
		if pepper == nil {
			return false, errors.New("peppered hash without a pepper")
		}
		in = peppered(secret, pepper)
	}
	got := argon2.IDKey(in, salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}
