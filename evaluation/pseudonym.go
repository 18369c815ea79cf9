package evaluation

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"fritidsjob/store"
)

// Pseudonymizer turns internal youth IDs into the pseudonymous IDs of the
// evaluator files: HMAC-SHA256 keyed with the export key. The same ID and
// key always give the same pseudonym; another key gives unrelated ones.
type Pseudonymizer struct {
	key []byte
}

// NewPseudonymizer returns a Pseudonymizer for key (at least 32 bytes).
func NewPseudonymizer(key []byte) (*Pseudonymizer, error) {
	if len(key) < 32 {
		return nil, errors.New("evaluation: export key must be at least 32 bytes")
	}
	return &Pseudonymizer{key: append([]byte(nil), key...)}, nil
}

// ID is youth's pseudonym: 32 lowercase hex digits (128 bits of the HMAC).
func (p *Pseudonymizer) ID(youth uint64) string {
	var buf [64]byte
	return string(p.appendID(buf[:0], youth))
}

func (p *Pseudonymizer) appendID(dst []byte, youth uint64) []byte {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte("fritidsjob youth v1\x00"))
	m.Write(store.ID(youth))
	var sum [sha256.Size]byte
	return hex.AppendEncode(dst, m.Sum(sum[:0])[:16])
}

// NumericID is a pseudonym as a number: its first 13 hex digits (52
// bits), exact in a double, for tools that need a numeric panel ID (R
// did's idname, Stata's csdid ivar). Two youths share one with
// probability about n²/2⁵³ (10⁻⁶ for 100,000 youths). It returns -1 for
// a string that is not a pseudonym.
func NumericID(pseudonym string) int64 {
	if len(pseudonym) < 13 {
		return -1
	}
	n, err := strconv.ParseUint(pseudonym[:13], 16, 64)
	if err != nil {
		return -1
	}
	return int64(n)
}

// Fingerprint names the key without revealing it (16 hex digits), so an
// export can say which key made its pseudonyms.
func (p *Pseudonymizer) Fingerprint() string {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte("fritidsjob export key fingerprint"))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

const (
	bucketKey  = "eval_export_key" // "current" -> storedKey
	keyCurrent = "current"
)

type storedKey struct {
	Wrapped []byte    `json:"wrapped"` // nonce || AES-GCM(kek, key)
	Created time.Time `json:"created"`
}

// KeyStore keeps the export key in the store, sealed under a key derived
// from the installation secret. Only administrators rotate it.
type KeyStore struct {
	db  store.DB
	kek cipher.AEAD
	now func() time.Time
}

// NewKeyStore returns the key store on db; secret is the installation
// secret (at least 32 bytes); now is the clock (time.Now when nil).
func NewKeyStore(db store.DB, secret []byte, now func() time.Time) (*KeyStore, error) {
	if len(secret) < 32 {
		return nil, errors.New("evaluation: the installation secret must be at least 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("fritidsjob export-key wrapping v1"))
	b, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("evaluation: key cipher: %w", err)
	}
	aead, err := cipher.NewGCM(b)
	if err != nil {
		return nil, fmt.Errorf("evaluation: key cipher: %w", err)
	}
	return &KeyStore{db: db, kek: aead, now: now}, nil
}

// Current returns the Pseudonymizer of the current export key, making the
// key on first use.
func (k *KeyStore) Current() (*Pseudonymizer, error) {
	var raw []byte
	err := k.db.View(func(tx store.Tx) error {
		var err error
		raw, err = k.read(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return k.write(false)
	}
	return NewPseudonymizer(raw)
}

// Rotate replaces the export key with a new random one. Exports made after
// it cannot be joined with earlier ones by pseudonym.
func (k *KeyStore) Rotate() (*Pseudonymizer, error) { return k.write(true) }

func (k *KeyStore) read(tx store.Tx) ([]byte, error) {
	sk, ok, err := store.GetJSON[storedKey](tx, bucketKey, []byte(keyCurrent))
	if err != nil || !ok {
		return nil, err
	}
	ns := k.kek.NonceSize()
	if len(sk.Wrapped) < ns {
		return nil, errors.New("evaluation: corrupt export key")
	}
	raw, err := k.kek.Open(nil, sk.Wrapped[:ns], sk.Wrapped[ns:], []byte(bucketKey))
	if err != nil {
		return nil, fmt.Errorf("evaluation: export key does not open with this installation secret: %w", err)
	}
	return raw, nil
}

func (k *KeyStore) write(replace bool) (*Pseudonymizer, error) {
	fresh := make([]byte, 32)
	nonce := make([]byte, k.kek.NonceSize())
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	var key []byte
	err := k.db.Update(func(tx store.Tx) error {
		key = fresh
		if !replace { // another request may have made it meanwhile
			old, err := k.read(tx)
			if err != nil {
				return err
			}
			if old != nil {
				key = old
				return nil
			}
		}
		return store.PutJSON(tx, bucketKey, []byte(keyCurrent),
			storedKey{Wrapped: k.kek.Seal(append([]byte(nil), nonce...), nonce, fresh, []byte(bucketKey)), Created: k.now().UTC()})
	})
	if err != nil {
		return nil, fmt.Errorf("evaluation: store export key: %w", err)
	}
	return NewPseudonymizer(key)
}
