package store_test

import (
	"bytes"
	"testing"

	"fritidsjob/store"
)

// The contract suite (store/storetest) covers key ordering; these cover the
// edges of the key helpers themselves.

func TestKeyLayout(t *testing.T) {
	got := store.Key(uint64(258), "ab", []byte{0xff})
	want := []byte{0, 0, 0, 0, 0, 0, 1, 2, 'a', 'b', 0, 0xff}
	if !bytes.Equal(got, want) {
		t.Errorf("Key = %x, want %x", got, want)
	}
	if got := store.ID(258); !bytes.Equal(got, want[:8]) {
		t.Errorf("ID(258) = %x, want %x", got, want[:8])
	}
}

func TestParseID(t *testing.T) {
	k := store.Key("area", uint64(42), uint64(7))
	for _, c := range []struct {
		off     int
		want    uint64
		wantErr bool
	}{{5, 42, false}, {13, 7, false}, {14, 0, true}, {-1, 0, true}, {len(k), 0, true}} {
		got, err := store.ParseID(k, c.off)
		if (err != nil) != c.wantErr || got != c.want {
			t.Errorf("ParseID(%x, %d) = %d, %v; want %d, err=%v", k, c.off, got, err, c.want, c.wantErr)
		}
	}
}

func TestKeyUnsupportedPartPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Key(int) did not panic")
		}
	}()
	store.Key(1) // int, not uint64
}
