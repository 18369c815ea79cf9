package evaluation

import (
	"bytes"
	"regexp"
	"testing"

	"fritidsjob/internal/testkit"
)

func TestPseudonymStableAndKeyed(t *testing.T) {
	k1 := bytes.Repeat([]byte{1}, 32)
	k2 := bytes.Repeat([]byte{2}, 32)
	p1, _ := NewPseudonymizer(k1)
	p1b, _ := NewPseudonymizer(append([]byte(nil), k1...))
	p2, _ := NewPseudonymizer(k2)
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	seen := map[string]bool{}
	for _, id := range []uint64{1, 2, 3, 42, 1 << 40} {
		a, b, c := p1.ID(id), p1b.ID(id), p2.ID(id)
		if a != b {
			t.Errorf("id %d: same key gave %s and %s", id, a, b)
		}
		if a == c {
			t.Errorf("id %d: other key gave the same pseudonym %s", id, a)
		}
		if !hex32.MatchString(a) {
			t.Errorf("id %d: pseudonym %q is not 32 hex digits", id, a)
		}
		if seen[a] {
			t.Errorf("id %d: pseudonym %s collides", id, a)
		}
		seen[a] = true
	}
	if p1.Fingerprint() == p2.Fingerprint() || p1.Fingerprint() != p1b.Fingerprint() {
		t.Error("fingerprints do not follow the key")
	}
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"0000000000001ffffffffffffffffff", 1},
		{"fffffffffffff000000000000000000", 1<<52 - 1},
		{"xyz", -1},
		{"g000000000000000", -1},
	} {
		if got := NumericID(tc.in); got != tc.want {
			t.Errorf("NumericID(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
	if n := NumericID(p1.ID(42)); n < 0 || n >= 1<<52 || float64(n) != float64(int64(float64(n))) {
		t.Errorf("NumericID of a pseudonym: %d", n)
	}
	if _, err := NewPseudonymizer(k1[:31]); err == nil {
		t.Error("a 31-byte key was accepted")
	}
}

func TestKeyStoreKeepsAndRotates(t *testing.T) {
	e := newEnv(t)
	a, err := e.keys.Current()
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.keys.Current()
	if err != nil {
		t.Fatal(err)
	}
	if a.ID(7) != b.ID(7) {
		t.Fatal("the key changed between calls")
	}
	// A new key store on the same file with the same secret (a restart).
	again, err := NewKeyStore(e.db, testkit.Secret(), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := again.Current()
	if err != nil || c.ID(7) != a.ID(7) {
		t.Fatalf("after restart: %v, pseudonym changed=%v", err, c == nil || c.ID(7) != a.ID(7))
	}
	// Another installation secret cannot open the key.
	other, _ := NewKeyStore(e.db, bytes.Repeat([]byte{9}, 32), nil)
	if _, err := other.Current(); err == nil {
		t.Error("another secret opened the export key")
	}
	r, err := e.keys.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	d, _ := e.keys.Current()
	if r.ID(7) == a.ID(7) || d.ID(7) != r.ID(7) {
		t.Error("rotation did not replace the key")
	}
}
