// Package storetest is the engine-independent contract test suite for
// store.DB. Every engine runs the same suite from its own tests:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.DB {
//			db := openFreshDB(t)
//			t.Cleanup(func() { db.Close() })
//			return db
//		})
//	}
//
// The suite only uses the store package's API, so it holds for any engine.
// Transaction functions in the suite are retry-safe (an engine may run them
// more than once): they report problems by returning errors and only publish
// results after Update or Batch has returned nil.
package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"

	"fritidsjob/store"
)

// Run runs the contract suite. open must return a fresh, empty DB each time
// it is called and arrange for it to be closed (for example with t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) store.DB) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, db store.DB)
	}{
		{"Basic", testBasic},
		{"EmptyValue", testEmptyValue},
		{"BadKey", testBadKey},
		{"Ordering", testOrdering},
		{"PrefixScan", testPrefixScan},
		{"ScanStop", testScanStop},
		{"ScanAfter", testScanAfter},
		{"ReadYourWrites", testReadYourWrites},
		{"Rollback", testRollback},
		{"ReadOnly", testReadOnly},
		{"ValuesAreCopies", testValuesAreCopies},
		{"KeptValuesSurviveGrowth", testKeptValuesSurviveGrowth},
		{"ConcurrentIncrements", testConcurrentIncrements},
		{"NextID", testNextID},
		{"NextIDConcurrent", testNextIDConcurrent},
		{"JSON", testJSON},
		{"JSONNewerSchema", testJSONNewerSchema},
		{"Backup", testBackup},
		{"CheckIntegrity", testCheckIntegrity},
		{"Generation", testGeneration},
		{"QuietWrites", testQuietWrites},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// errBoom is a callback error the suite expects to get back unchanged.
var errBoom = errors.New("boom")

// ---- helpers ----

func update(t *testing.T, db store.DB, fn func(store.Tx) error) {
	t.Helper()
	if err := db.Update(fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, db store.DB, fn func(store.Tx) error) {
	t.Helper()
	if err := db.View(fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func put(t *testing.T, db store.DB, bucket string, key, val []byte) {
	t.Helper()
	update(t, db, func(tx store.Tx) error { return tx.Put(bucket, key, val) })
}

func get(t *testing.T, db store.DB, bucket string, key []byte) []byte {
	t.Helper()
	var v []byte
	view(t, db, func(tx store.Tx) error {
		var err error
		v, err = tx.Get(bucket, key)
		return err
	})
	return v
}

// wantValue fails unless bucket/key holds exactly want (nil meaning absent).
func wantValue(t *testing.T, db store.DB, bucket string, key, want []byte) {
	t.Helper()
	got := get(t, db, bucket, key)
	if want == nil {
		if got != nil {
			t.Errorf("Get(%q, %x) = %q, want absent (nil)", bucket, key, got)
		}
		return
	}
	if got == nil || !bytes.Equal(got, want) {
		t.Errorf("Get(%q, %x) = %q (nil=%v), want %q", bucket, key, got, got == nil, want)
	}
}

type kv struct{ k, v []byte }

func (p kv) String() string { return fmt.Sprintf("%x=%q", p.k, p.v) }

// scanTx collects every pair under prefix within tx.
func scanTx(tx store.Tx, bucket string, prefix []byte) ([]kv, error) {
	var out []kv
	err := tx.Scan(bucket, prefix, func(k, v []byte) error {
		out = append(out, kv{k, v})
		return nil
	})
	return out, err
}

func scan(t *testing.T, db store.DB, bucket string, prefix []byte) []kv {
	t.Helper()
	var out []kv
	view(t, db, func(tx store.Tx) error {
		var err error
		out, err = scanTx(tx, bucket, prefix)
		return err
	})
	return out
}

func keysOf(pairs []kv) [][]byte {
	ks := make([][]byte, len(pairs))
	for i, p := range pairs {
		ks[i] = p.k
	}
	return ks
}

func equalKeys(a, b [][]byte) bool {
	return slices.EqualFunc(a, b, bytes.Equal)
}

func wantKeys(t *testing.T, what string, got, want [][]byte) {
	t.Helper()
	if !equalKeys(got, want) {
		t.Errorf("%s: keys\n got  %x\n want %x", what, got, want)
	}
}

// counter reads an 8-byte counter (absent means 0).
func counter(tx store.Tx, bucket string, key []byte) (uint64, error) {
	b, err := tx.Get(bucket, key)
	if err != nil || b == nil {
		return 0, err
	}
	return store.ParseID(b, 0)
}

// ---- tests ----

// testBasic: absent keys and buckets read as nil, nil; put, get, overwrite,
// delete, and delete of absent keys and buckets.
func testBasic(t *testing.T, db store.DB) {
	k := []byte("k1")
	wantValue(t, db, "nobucket", k, nil)
	put(t, db, "b", []byte("other"), []byte("x")) // bucket now exists
	wantValue(t, db, "b", k, nil)

	put(t, db, "b", k, []byte("v1"))
	wantValue(t, db, "b", k, []byte("v1"))

	put(t, db, "b", k, []byte("v2, longer than before"))
	wantValue(t, db, "b", k, []byte("v2, longer than before"))
	put(t, db, "b", k, []byte("v3"))
	wantValue(t, db, "b", k, []byte("v3"))

	update(t, db, func(tx store.Tx) error { return tx.Delete("b", k) })
	wantValue(t, db, "b", k, nil)
	wantValue(t, db, "b", []byte("other"), []byte("x"))

	// Deleting absent keys (in an existing and a missing bucket) is fine.
	update(t, db, func(tx store.Tx) error {
		if err := tx.Delete("b", k); err != nil {
			return fmt.Errorf("delete absent key: %w", err)
		}
		if err := tx.Delete("nobucket", k); err != nil {
			return fmt.Errorf("delete in absent bucket: %w", err)
		}
		return nil
	})

	// Buckets are independent namespaces.
	put(t, db, "b2", []byte("other"), []byte("y"))
	wantValue(t, db, "b", []byte("other"), []byte("x"))
	wantValue(t, db, "b2", []byte("other"), []byte("y"))

	// Scanning an absent bucket yields nothing and no error.
	if got := scan(t, db, "nobucket", nil); len(got) != 0 {
		t.Errorf("scan of absent bucket = %v, want nothing", got)
	}
}

// testEmptyValue: a present key with an empty value reads as a non-nil empty
// slice, distinct from an absent key.
func testEmptyValue(t *testing.T, db store.DB) {
	for _, val := range [][]byte{nil, {}} {
		k := []byte(fmt.Sprintf("k-%v", val == nil))
		put(t, db, "b", k, val)
		got := get(t, db, "b", k)
		if got == nil || len(got) != 0 {
			t.Errorf("Put(%q, %#v) then Get = %#v, want non-nil empty slice", k, val, got)
		}
	}
	if got := scan(t, db, "b", nil); len(got) != 2 {
		t.Errorf("scan = %v, want 2 pairs", got)
	}
}

// testBadKey: an empty bucket name or key gives store.ErrBadKey.
func testBadKey(t *testing.T, db store.DB) {
	type op struct {
		name string
		fn   func(tx store.Tx) error
	}
	var ops []op
	for _, c := range []struct {
		bucket string
		key    []byte
	}{{"", []byte("k")}, {"b", nil}, {"b", []byte{}}, {"", nil}} {
		ops = append(ops,
			op{fmt.Sprintf("Get(%q,%#v)", c.bucket, c.key), func(tx store.Tx) error { _, err := tx.Get(c.bucket, c.key); return err }},
			op{fmt.Sprintf("Put(%q,%#v)", c.bucket, c.key), func(tx store.Tx) error { return tx.Put(c.bucket, c.key, []byte("v")) }},
			op{fmt.Sprintf("Delete(%q,%#v)", c.bucket, c.key), func(tx store.Tx) error { return tx.Delete(c.bucket, c.key) }},
		)
	}
	ops = append(ops,
		op{"Scan(\"\")", func(tx store.Tx) error {
			return tx.Scan("", nil, func(k, v []byte) error { return nil })
		}},
		op{"NextID(\"\")", func(tx store.Tx) error { _, err := tx.NextID(""); return err }},
	)
	for _, o := range ops {
		var got error
		update(t, db, func(tx store.Tx) error {
			got = o.fn(tx)
			return nil
		})
		if !errors.Is(got, store.ErrBadKey) {
			t.Errorf("%s = %v, want ErrBadKey", o.name, got)
		}
	}
	// Nothing was written.
	if got := scan(t, db, "b", nil); len(got) != 0 {
		t.Errorf("bucket b after bad-key calls = %v, want empty", got)
	}
}

// testOrdering: keys inserted in random order come back from Scan in
// ascending byte order, including IDs and composite keys built with
// store.Key and store.ID.
func testOrdering(t *testing.T, db store.DB) {
	cases := []struct {
		name string
		keys [][]byte // in expected order
	}{
		{"raw bytes", [][]byte{{0x00}, {0x00, 0x00}, {0x00, 0xff}, {0x01}, {0x01, 0x00}, {0x7f}, {0x80}, {0xff}, {0xff, 0xff}}},
		{"IDs", [][]byte{store.ID(0), store.ID(1), store.ID(2), store.ID(255), store.ID(256), store.ID(65535), store.ID(65536), store.ID(1 << 32), store.ID(1<<63 + 1), store.ID(^uint64(0))}},
		{"Key IDs", [][]byte{store.Key(uint64(1), uint64(9)), store.Key(uint64(2), uint64(1)), store.Key(uint64(255)), store.Key(uint64(256), uint64(0)), store.Key(uint64(65536))}},
		{"strings", [][]byte{store.Key("a"), store.Key("ab"), store.Key("ab", uint64(1)), store.Key("abc"), store.Key("abd"), store.Key("b")}},
		{"area then name", [][]byte{
			store.Key(uint64(1), "ab"), store.Key(uint64(1), "abc"), store.Key(uint64(1), "b"),
			store.Key(uint64(2), "a"), store.Key(uint64(256), "a"),
		}},
		{"danish", [][]byte{store.Key("Zebra"), store.Key("Ålborg"), store.Key("Ærø"), store.Key("Øster")}}, // UTF-8 byte order (Å < Æ < Ø), not Danish collation
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !slices.IsSortedFunc(c.keys, bytes.Compare) {
				t.Fatalf("test table not sorted: %x", c.keys)
			}
			bucket := "order-" + c.name
			shuffled := slices.Clone(c.keys)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			// Half in one transaction, the rest one by one.
			half := len(shuffled) / 2
			update(t, db, func(tx store.Tx) error {
				for _, k := range shuffled[:half] {
					if err := tx.Put(bucket, k, k); err != nil {
						return err
					}
				}
				return nil
			})
			for _, k := range shuffled[half:] {
				put(t, db, bucket, k, k)
			}
			got := scan(t, db, bucket, nil)
			wantKeys(t, "scan", keysOf(got), c.keys)
			for _, p := range got {
				if !bytes.Equal(p.k, p.v) {
					t.Errorf("key %x has value %x", p.k, p.v)
				}
			}
		})
	}
}

// testPrefixScan: a prefix scan yields exactly the keys with that prefix, in
// order, and nothing from neighbouring prefixes; an empty prefix scans all.
func testPrefixScan(t *testing.T, db store.DB) {
	all := [][]byte{
		{0x00}, {0x00, 0xff}, {0x00, 0xff, 0xff},
		{0x01}, {0x01, 0x00}, {0x01, 0x01}, {0x01, 0xff}, {0x01, 0xff, 0xff},
		{0x02}, {0x02, 0x00},
		{0xff}, {0xff, 0xff},
		store.Key(uint64(1), uint64(1)), store.Key(uint64(1), uint64(2)),
		store.Key(uint64(2), uint64(1)), store.Key(uint64(256), uint64(1)),
		store.Key("ab", uint64(1)), store.Key("abc", uint64(1)),
	}
	slices.SortFunc(all, bytes.Compare)
	update(t, db, func(tx store.Tx) error {
		for _, k := range all {
			if err := tx.Put("p", k, []byte("v")); err != nil {
				return err
			}
		}
		return nil
	})
	withPrefix := func(prefix []byte) [][]byte {
		var out [][]byte
		for _, k := range all {
			if bytes.HasPrefix(k, prefix) {
				out = append(out, k)
			}
		}
		return out
	}
	cases := []struct {
		name   string
		prefix []byte
		want   [][]byte
	}{
		{"nil prefix", nil, all},
		{"empty prefix", []byte{}, all},
		{"0x01", []byte{0x01}, [][]byte{{0x01}, {0x01, 0x00}, {0x01, 0x01}, {0x01, 0xff}, {0x01, 0xff, 0xff}}},
		{"0x00ff", []byte{0x00, 0xff}, [][]byte{{0x00, 0xff}, {0x00, 0xff, 0xff}}},
		{"0x01ff", []byte{0x01, 0xff}, [][]byte{{0x01, 0xff}, {0x01, 0xff, 0xff}}},
		{"0xff", []byte{0xff}, [][]byte{{0xff}, {0xff, 0xff}}},
		{"0xffff", []byte{0xff, 0xff}, [][]byte{{0xff, 0xff}}},
		{"no match between", []byte{0x01, 0x80}, [][]byte{}},
		{"no match after all", []byte{0xff, 0xff, 0xff}, [][]byte{}},
		{"longer than keys", []byte{0x02, 0x00, 0x00}, [][]byte{}},
		{"area 1", store.Key(uint64(1)), [][]byte{store.Key(uint64(1), uint64(1)), store.Key(uint64(1), uint64(2))}},
		{"area 2", store.Key(uint64(2)), [][]byte{store.Key(uint64(2), uint64(1))}},
		{"area 256", store.Key(uint64(256)), [][]byte{store.Key(uint64(256), uint64(1))}},
		{"area 3", store.Key(uint64(3)), [][]byte{}},
		{"string ab", store.Key("ab"), [][]byte{store.Key("ab", uint64(1))}},
		{"raw ab", []byte("ab"), [][]byte{store.Key("ab", uint64(1)), store.Key("abc", uint64(1))}},
	}
	for _, c := range cases {
		if want := withPrefix(c.prefix); !equalKeys(want, c.want) {
			t.Fatalf("%s: bad test table: want %x, prefix filter gives %x", c.name, c.want, want)
		}
		wantKeys(t, "prefix "+c.name, keysOf(scan(t, db, "p", c.prefix)), c.want)
	}
	// A prefix scan in another bucket sees nothing of "p".
	put(t, db, "q", []byte{0x01, 0x99}, []byte("q"))
	wantKeys(t, "other bucket", keysOf(scan(t, db, "q", []byte{0x01})), [][]byte{{0x01, 0x99}})
}

// testScanStop: ErrStop ends a scan early with a nil error; any other
// callback error ends it and is returned (possibly wrapped).
func testScanStop(t *testing.T, db store.DB) {
	update(t, db, func(tx store.Tx) error {
		for i := uint64(1); i <= 10; i++ {
			if err := tx.Put("s", store.ID(i), []byte("v")); err != nil {
				return err
			}
		}
		return nil
	})
	cases := []struct {
		name    string
		stopAt  int   // callback returns ret on this call (1-based)
		ret     error // returned by the callback at stopAt
		wantErr error // nil: Scan must return nil
	}{
		{"ErrStop first", 1, store.ErrStop, nil},
		{"ErrStop third", 3, store.ErrStop, nil},
		{"ErrStop last", 10, store.ErrStop, nil},
		{"other error first", 1, errBoom, errBoom},
		{"other error fourth", 4, errBoom, errBoom},
		{"wrapped other error", 2, fmt.Errorf("ctx: %w", errBoom), errBoom},
	}
	for _, c := range cases {
		var calls int
		var scanErr error
		view(t, db, func(tx store.Tx) error {
			calls = 0
			scanErr = tx.Scan("s", nil, func(k, v []byte) error {
				calls++
				if calls == c.stopAt {
					return c.ret
				}
				return nil
			})
			return nil
		})
		if c.wantErr == nil && scanErr != nil {
			t.Errorf("%s: Scan = %v, want nil", c.name, scanErr)
		}
		if c.wantErr != nil && !errors.Is(scanErr, c.wantErr) {
			t.Errorf("%s: Scan = %v, want %v", c.name, scanErr, c.wantErr)
		}
		if calls != c.stopAt {
			t.Errorf("%s: callback ran %d times, want %d", c.name, calls, c.stopAt)
		}
	}
	// A callback error returned from the transaction function comes back
	// from View too.
	err := db.View(func(tx store.Tx) error {
		return tx.Scan("s", nil, func(k, v []byte) error { return errBoom })
	})
	if !errors.Is(err, errBoom) {
		t.Errorf("View returning a Scan error = %v, want %v", err, errBoom)
	}
}

// testReadYourWrites: inside one Update, Get and Scan see the transaction's
// own puts and deletes.
// testScanAfter: ScanAfter yields the keys under prefix that sort after
// the cursor, in order, from the committed state and from the
// transaction's own writes alike; it is how lists page by keyset.
func testScanAfter(t *testing.T, db store.DB) {
	all := [][]byte{
		{0x00}, {0x00, 0xff}, {0x01}, {0x01, 0x00}, {0x01, 0x01}, {0x01, 0xff}, {0x01, 0xff, 0xff},
		{0x02}, {0xff}, {0xff, 0xff},
		[]byte("anna"), []byte("anne"), []byte("bo"), []byte("bob"),
	}
	slices.SortFunc(all, bytes.Compare)
	update(t, db, func(tx store.Tx) error {
		for _, k := range all {
			if err := tx.Put("sa", k, []byte("v")); err != nil {
				return err
			}
		}
		return nil
	})
	expect := func(keys [][]byte, prefix, after []byte) [][]byte {
		out := [][]byte{}
		for _, k := range keys {
			if bytes.HasPrefix(k, prefix) && bytes.Compare(k, after) > 0 {
				out = append(out, k)
			}
		}
		return out
	}
	collect := func(tx store.Tx, prefix, after []byte) ([][]byte, error) {
		out := [][]byte{}
		err := tx.ScanAfter("sa", prefix, after, func(k, _ []byte) error {
			out = append(out, k)
			return nil
		})
		return out, err
	}
	prefixes := [][]byte{nil, {0x01}, {0x01, 0xff}, []byte("an"), []byte("b"), {0x03}}
	afters := [][]byte{nil, {}, {0x00}, {0x01}, {0x01, 0x00, 0x00}, {0x01, 0xff}, {0x01, 0xff, 0xff, 0x00}, []byte("an"), []byte("anna"),
		[]byte("annb"), []byte("b"), []byte("bob"), []byte("zzz"), {0xff, 0xff, 0xff}}
	view(t, db, func(tx store.Tx) error {
		for _, p := range prefixes {
			for _, a := range afters {
				got, err := collect(tx, p, a)
				if err != nil {
					return err
				}
				wantKeys(t, fmt.Sprintf("ScanAfter(prefix %x, after %x)", p, a), got, expect(all, p, a))
			}
		}
		// ErrStop ends the walk without error: a page stops when it is full.
		n := 0
		if err := tx.ScanAfter("sa", nil, []byte{0x01}, func(_, _ []byte) error { n++; return store.ErrStop }); err != nil || n != 1 {
			t.Errorf("ScanAfter with ErrStop: %d calls, %v", n, err)
		}
		// A bucket that does not exist has nothing after anything.
		if err := tx.ScanAfter("sa-none", nil, []byte("a"), func(_, _ []byte) error { n++; return nil }); err != nil || n != 1 {
			t.Errorf("ScanAfter on a missing bucket: %d calls, %v", n, err)
		}
		return nil
	})
	// Inside a write transaction its own puts and deletes are seen.
	update(t, db, func(tx store.Tx) error {
		if err := tx.Put("sa", []byte("anja"), []byte("new")); err != nil {
			return err
		}
		if err := tx.Put("sa", []byte("annie"), []byte("new")); err != nil {
			return err
		}
		if err := tx.Delete("sa", []byte("anne")); err != nil {
			return err
		}
		got, err := collect(tx, []byte("an"), []byte("anja"))
		if err != nil {
			return err
		}
		if want := [][]byte{[]byte("anna"), []byte("annie")}; !equalKeys(got, want) {
			return fmt.Errorf("in tx: ScanAfter = %q, want %q", got, want)
		}
		return nil
	})
	if err := db.View(func(tx store.Tx) error { return tx.ScanAfter("", nil, nil, func(_, _ []byte) error { return nil }) }); !errors.Is(err, store.ErrBadKey) {
		t.Errorf("ScanAfter on an empty bucket name: %v, want ErrBadKey", err)
	}
}

func testReadYourWrites(t *testing.T, db store.DB) {
	put(t, db, "r", []byte("a"), []byte("old-a"))
	put(t, db, "r", []byte("c"), []byte("old-c"))
	put(t, db, "r", []byte("d"), []byte("old-d"))
	update(t, db, func(tx store.Tx) error {
		if err := tx.Put("r", []byte("b"), []byte("new-b")); err != nil {
			return err
		}
		if err := tx.Put("r", []byte("a"), []byte("new-a")); err != nil {
			return err
		}
		if err := tx.Delete("r", []byte("c")); err != nil {
			return err
		}
		if err := tx.Put("fresh", []byte("x"), []byte("new-x")); err != nil {
			return err
		}
		for _, c := range []struct {
			bucket, key string
			want        []byte
		}{{"r", "a", []byte("new-a")}, {"r", "b", []byte("new-b")}, {"r", "c", nil}, {"r", "d", []byte("old-d")}, {"fresh", "x", []byte("new-x")}} {
			got, err := tx.Get(c.bucket, []byte(c.key))
			if err != nil {
				return err
			}
			if (got == nil) != (c.want == nil) || !bytes.Equal(got, c.want) {
				return fmt.Errorf("in tx: Get(%s/%s) = %q, want %q", c.bucket, c.key, got, c.want)
			}
		}
		pairs, err := scanTx(tx, "r", nil)
		if err != nil {
			return err
		}
		if got, want := fmt.Sprint(pairs), fmt.Sprint([]kv{{[]byte("a"), []byte("new-a")}, {[]byte("b"), []byte("new-b")}, {[]byte("d"), []byte("old-d")}}); got != want {
			return fmt.Errorf("in tx: scan = %s, want %s", got, want)
		}
		// Re-put a deleted key in the same tx.
		if err := tx.Put("r", []byte("c"), []byte("again-c")); err != nil {
			return err
		}
		if got, err := tx.Get("r", []byte("c")); err != nil || string(got) != "again-c" {
			return fmt.Errorf("in tx: re-put deleted key: Get = %q, %v", got, err)
		}
		return nil
	})
	wantValue(t, db, "r", []byte("a"), []byte("new-a"))
	wantValue(t, db, "r", []byte("b"), []byte("new-b"))
	wantValue(t, db, "r", []byte("c"), []byte("again-c"))
	wantValue(t, db, "fresh", []byte("x"), []byte("new-x"))
}

// testRollback: an Update or Batch whose fn fails leaves no trace of its
// puts and deletes, and returns the error. NextID stays unique across the
// rollback (gaps are allowed).
func testRollback(t *testing.T, db store.DB) {
	put(t, db, "rb", []byte("keep"), []byte("orig"))
	put(t, db, "rb", []byte("del"), []byte("orig-del"))
	committed := map[uint64]bool{}
	update(t, db, func(tx store.Tx) error {
		clear(committed)
		for range 3 {
			id, err := tx.NextID("ids")
			if err != nil {
				return err
			}
			committed[id] = true
		}
		return nil
	})

	for _, run := range []struct {
		name string
		fn   func(func(store.Tx) error) error
	}{{"Update", db.Update}, {"Batch", db.Batch}} {
		err := run.fn(func(tx store.Tx) error {
			for _, step := range []error{
				tx.Put("rb", []byte("new"), []byte("x")),
				tx.Put("rb", []byte("keep"), []byte("changed")),
				tx.Delete("rb", []byte("del")),
				tx.Put("rb-newbucket", []byte("k"), []byte("v")),
			} {
				if step != nil {
					return step
				}
			}
			if _, err := tx.NextID("ids"); err != nil {
				return err
			}
			return fmt.Errorf("fail on purpose: %w", errBoom)
		})
		if !errors.Is(err, errBoom) {
			t.Errorf("%s returned %v, want %v", run.name, err, errBoom)
		}
		wantValue(t, db, "rb", []byte("new"), nil)
		wantValue(t, db, "rb", []byte("keep"), []byte("orig"))
		wantValue(t, db, "rb", []byte("del"), []byte("orig-del"))
		wantValue(t, db, "rb-newbucket", []byte("k"), nil)
		if got := scan(t, db, "rb", nil); len(got) != 2 {
			t.Errorf("after %s rollback: scan = %v, want 2 pairs", run.name, got)
		}
	}

	var next uint64
	update(t, db, func(tx store.Tx) error {
		var err error
		next, err = tx.NextID("ids")
		return err
	})
	if next == 0 || committed[next] {
		t.Errorf("NextID after rollback = %d, already committed %v", next, committed)
	}
}

// testReadOnly: writes inside View fail with store.ErrReadOnly and change
// nothing.
func testReadOnly(t *testing.T, db store.DB) {
	put(t, db, "ro", []byte("k"), []byte("v"))
	ops := []struct {
		name string
		fn   func(tx store.Tx) error
	}{
		{"Put existing bucket", func(tx store.Tx) error { return tx.Put("ro", []byte("k2"), []byte("x")) }},
		{"Put overwrite", func(tx store.Tx) error { return tx.Put("ro", []byte("k"), []byte("x")) }},
		{"Put new bucket", func(tx store.Tx) error { return tx.Put("ro-new", []byte("k"), []byte("x")) }},
		{"Delete existing", func(tx store.Tx) error { return tx.Delete("ro", []byte("k")) }},
		{"Delete absent", func(tx store.Tx) error { return tx.Delete("ro", []byte("nope")) }},
		{"NextID", func(tx store.Tx) error { _, err := tx.NextID("ro"); return err }},
		{"NextID new bucket", func(tx store.Tx) error { _, err := tx.NextID("ro-ids"); return err }},
	}
	for _, o := range ops {
		var got error
		view(t, db, func(tx store.Tx) error {
			got = o.fn(tx)
			return nil
		})
		if !errors.Is(got, store.ErrReadOnly) {
			t.Errorf("%s in View = %v, want ErrReadOnly", o.name, got)
		}
		// The error propagates out of View when returned.
		if err := db.View(o.fn); !errors.Is(err, store.ErrReadOnly) {
			t.Errorf("View returning %s error = %v, want ErrReadOnly", o.name, err)
		}
	}
	wantValue(t, db, "ro", []byte("k"), []byte("v"))
	wantValue(t, db, "ro", []byte("k2"), nil)
	wantValue(t, db, "ro-new", []byte("k"), nil)
	var id uint64
	update(t, db, func(tx store.Tx) error {
		var err error
		id, err = tx.NextID("ro-ids")
		return err
	})
	if id != 1 {
		t.Errorf("NextID after read-only attempts = %d, want 1", id)
	}
}

// testValuesAreCopies: slices returned by Get and passed to Scan callbacks
// belong to the caller, and the caller may reuse slices after Put returns.
func testValuesAreCopies(t *testing.T, db store.DB) {
	putCopies(t, db)
	getCopies(t, db)
	scanCopies(t, db)
}

// putCopies: mutating the slices passed to Put (before commit) changes
// nothing.
func putCopies(t *testing.T, db store.DB) {
	t.Helper()
	// A few KiB of other records first, so the bucket is not a trivially
	// small one that an engine might copy wholesale into each transaction.
	update(t, db, func(tx store.Tx) error {
		for i := range 40 {
			if err := tx.Put("c", []byte(fmt.Sprintf("filler-%02d", i)), bytes.Repeat([]byte{'f'}, 100)); err != nil {
				return err
			}
		}
		return nil
	})
	// Mutating the slices passed to Put (before commit) changes nothing.
	update(t, db, func(tx store.Tx) error {
		key := []byte("key1")
		val := []byte("value1")
		if err := tx.Put("c", key, val); err != nil {
			return err
		}
		copy(key, "XXXX")
		copy(val, "YYYYYY")
		// Reuse the same buffers for a second pair.
		copy(key, "key2")
		copy(val, "value2")
		if err := tx.Put("c", key, val); err != nil {
			return err
		}
		copy(key, "ZZZZ")
		copy(val, "ZZZZZZ")
		return nil
	})
	wantValue(t, db, "c", []byte("key1"), []byte("value1"))
	wantValue(t, db, "c", []byte("key2"), []byte("value2"))
	wantValue(t, db, "c", []byte("ZZZZ"), nil)
	wantValue(t, db, "c", []byte("XXXX"), nil)
}

// getCopies: mutating a value returned by Get, after the tx and inside
// it, changes nothing.
func getCopies(t *testing.T, db store.DB) {
	t.Helper()
	v := get(t, db, "c", []byte("key1"))
	for i := range v {
		v[i] = '!'
	}
	wantValue(t, db, "c", []byte("key1"), []byte("value1"))
	update(t, db, func(tx store.Tx) error {
		v, err := tx.Get("c", []byte("key1"))
		if err != nil {
			return err
		}
		for i := range v {
			v[i] = '?'
		}
		again, err := tx.Get("c", []byte("key1"))
		if err != nil {
			return err
		}
		if string(again) != "value1" {
			return fmt.Errorf("in tx: Get after mutating an earlier Get result = %q", again)
		}
		return nil
	})
	wantValue(t, db, "c", []byte("key1"), []byte("value1"))
}

// scanCopies: mutating keys and values inside Scan callbacks, in View and
// Update, changes nothing.
func scanCopies(t *testing.T, db store.DB) {
	t.Helper()
	before := scan(t, db, "c", nil)
	if len(before) != 42 {
		t.Fatalf("bucket c has %d pairs, want 42", len(before))
	}
	for _, run := range []struct {
		name string
		fn   func(func(store.Tx) error) error
	}{{"View", db.View}, {"Update", db.Update}} {
		err := run.fn(func(tx store.Tx) error {
			return tx.Scan("c", nil, func(k, v []byte) error {
				for i := range k {
					k[i] = 0
				}
				for i := range v {
					v[i] = 0
				}
				return nil
			})
		})
		if err != nil {
			t.Fatalf("%s: %v", run.name, err)
		}
		got := scan(t, db, "c", nil)
		if s, want := fmt.Sprint(got), fmt.Sprint(before); s != want {
			t.Errorf("after mutating Scan slices in %s: scan = %s, want %s", run.name, s, want)
		}
	}
}

// testKeptValuesSurviveGrowth: keys and values kept from Get and Scan after
// their transaction ended stay intact while the database grows a lot.
func testKeptValuesSurviveGrowth(t *testing.T, db store.DB) {
	const n = 50
	want, kept := keepValues(t, db, n)
	growDatabase(t, db)
	for _, p := range kept {
		w, ok := want[string(p.k)]
		if !ok {
			t.Errorf("kept key %x is not one that was written (corrupted?)", p.k)
			continue
		}
		if string(p.v) != w {
			t.Errorf("kept value for %x changed: %q", p.k, p.v)
		}
	}
	if got := len(scan(t, db, "grow", nil)); got != 2000-20*34 {
		t.Errorf("grow bucket has %d keys, want %d", got, 2000-20*34)
	}
}

// keepValues writes n values to bucket "keep" and returns them with the
// pairs kept from Get and Scan in View and Update transactions.
func keepValues(t *testing.T, db store.DB, n uint64) (map[string]string, []kv) {
	t.Helper()
	want := make(map[string]string, n)
	update(t, db, func(tx store.Tx) error {
		for i := uint64(0); i < n; i++ {
			k := store.ID(i)
			v := fmt.Sprintf("value %d %s", i, bytes.Repeat([]byte{'a' + byte(i%26)}, 100))
			want[string(k)] = v
			if err := tx.Put("keep", k, []byte(v)); err != nil {
				return err
			}
		}
		return nil
	})
	var kept []kv
	view(t, db, func(tx store.Tx) error {
		var err error
		kept, err = scanTx(tx, "keep", nil)
		if err != nil {
			return err
		}
		for i := uint64(0); i < n; i += 7 {
			v, err := tx.Get("keep", store.ID(i))
			if err != nil {
				return err
			}
			kept = append(kept, kv{store.ID(i), v})
		}
		return nil
	})
	// Kept from Update transactions too.
	update(t, db, func(tx store.Tx) error {
		pairs, err := scanTx(tx, "keep", store.ID(1)[:7])
		if err != nil {
			return err
		}
		kept = append(kept, pairs...)
		return nil
	})
	if len(kept) < int(n) {
		t.Fatalf("kept %d pairs, want at least %d", len(kept), n)
	}
	return want, kept
}

// growDatabase grows the database well past its initial size in bucket
// "grow".
func growDatabase(t *testing.T, db store.DB) {
	t.Helper()
	// Grow the database well past its initial size: 2,000 puts of 1 KiB,
	// then overwrite and delete part of them.
	big := bytes.Repeat([]byte("0123456789abcdef"), 64)
	for round := range 20 {
		update(t, db, func(tx store.Tx) error {
			for i := range 100 {
				if err := tx.Put("grow", store.Key(uint64(round), uint64(i)), big); err != nil {
					return err
				}
			}
			return nil
		})
	}
	update(t, db, func(tx store.Tx) error {
		for round := range 20 {
			for i := 0; i < 100; i += 3 {
				if err := tx.Delete("grow", store.Key(uint64(round), uint64(i))); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// testConcurrentIncrements: 100 goroutines each increment a counter in one
// read-modify-write transaction; none is lost, with Update and with Batch.
func testConcurrentIncrements(t *testing.T, db store.DB) {
	const goroutines = 100
	for _, run := range []struct {
		name string
		fn   func(func(store.Tx) error) error
	}{{"Update", db.Update}, {"Batch", db.Batch}} {
		t.Run(run.name, func(t *testing.T) {
			key := []byte("counter-" + run.name)
			var wg sync.WaitGroup
			errs := make(chan error, goroutines)
			for range goroutines {
				wg.Go(func() {
					err := run.fn(func(tx store.Tx) error {
						n, err := counter(tx, "inc", key)
						if err != nil {
							return err
						}
						return tx.Put("inc", key, store.ID(n+1))
					})
					if err != nil {
						errs <- err
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("%s: %v", run.name, err)
			}
			var n uint64
			view(t, db, func(tx store.Tx) error {
				var err error
				n, err = counter(tx, "inc", key)
				return err
			})
			if n != goroutines {
				t.Errorf("counter = %d, want %d", n, goroutines)
			}
		})
	}
}

// testNextID: sequences start at 1, count up, and are independent per
// bucket; a bucket's sequence is independent of its keys.
func testNextID(t *testing.T, db store.DB) {
	type step struct {
		bucket string
		want   uint64
	}
	steps := []step{{"a", 1}, {"a", 2}, {"b", 1}, {"a", 3}, {"c", 1}, {"b", 2}}
	var got []uint64
	update(t, db, func(tx store.Tx) error {
		got = got[:0] // fn may run more than once
		for _, s := range steps[:3] {
			id, err := tx.NextID(s.bucket)
			if err != nil {
				return err
			}
			got = append(got, id)
		}
		return nil
	})
	for _, s := range steps[3:] {
		var id uint64
		update(t, db, func(tx store.Tx) error {
			var err error
			id, err = tx.NextID(s.bucket)
			return err
		})
		got = append(got, id)
	}
	for i, s := range steps {
		if i >= len(got) || got[i] != s.want {
			t.Fatalf("NextID sequence = %v, want %v", got, steps)
		}
	}

	// Keys in a bucket do not disturb its sequence, and the sequence does not
	// show up as a key.
	put(t, db, "d", store.ID(1), []byte("x"))
	put(t, db, "d", store.ID(7), []byte("y"))
	var id uint64
	update(t, db, func(tx store.Tx) error {
		var err error
		id, err = tx.NextID("d")
		return err
	})
	if id != 1 {
		t.Errorf("NextID in a bucket with keys = %d, want 1", id)
	}
	if got := scan(t, db, "d", nil); len(got) != 2 {
		t.Errorf("bucket d = %v, want its 2 keys only", got)
	}
	if got := scan(t, db, "a", nil); len(got) != 0 {
		t.Errorf("bucket a (sequence only) = %v, want no keys", got)
	}
}

// takeIDs takes n IDs from bucket "seq" for goroutine g, alternating
// between one transaction per call and several calls in one transaction;
// odd goroutines use Batch.
func takeIDs(db store.DB, g, n int) ([]uint64, error) {
	var mine []uint64
	run := db.Update
	if g%2 == 1 {
		run = db.Batch
	}
	for len(mine) < n {
		calls := 1
		if len(mine)%3 == 0 && len(mine)+3 <= n {
			calls = 3
		}
		var got []uint64
		err := run(func(tx store.Tx) error {
			got = got[:0] // fn may run more than once
			for range calls {
				id, err := tx.NextID("seq")
				if err != nil {
					return err
				}
				got = append(got, id)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		mine = append(mine, got...)
	}
	return mine, nil
}

// testNextIDConcurrent: 100 goroutines × 10 NextID calls, via Update and
// Batch, yield 1,000 distinct IDs.
func testNextIDConcurrent(t *testing.T, db store.DB) {
	const goroutines, perG = 100, 10
	var (
		mu   sync.Mutex
		ids  = map[uint64]int{}
		errs []error
		wg   sync.WaitGroup
	)
	for g := range goroutines {
		wg.Go(func() {
			mine, err := takeIDs(db, g, perG)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			for _, id := range mine {
				ids[id]++
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	if len(errs) > 0 {
		return
	}
	if len(ids) != goroutines*perG {
		t.Errorf("got %d distinct IDs, want %d", len(ids), goroutines*perG)
	}
	for id, n := range ids {
		if id == 0 {
			t.Errorf("NextID returned 0")
		}
		if n > 1 {
			t.Errorf("ID %d handed out %d times", id, n)
		}
	}
	var next uint64
	update(t, db, func(tx store.Tx) error {
		var err error
		next, err = tx.NextID("seq")
		return err
	})
	if ids[next] > 0 {
		t.Errorf("NextID after the run = %d, already handed out", next)
	}
}

// place is a record with Danish text for the JSON tests.
type place struct {
	Name     string   `json:"name"`
	Address  string   `json:"address"`
	Tags     []string `json:"tags"`
	Capacity int      `json:"capacity"`
}

// placeV1 and placeV2 are two schema versions of one record.
type placeV1 struct {
	Name string `json:"name"`
}

func (placeV1) SchemaVersion() int { return 1 }

type placeV2 struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

func (placeV2) SchemaVersion() int { return 2 }

// testJSON: PutJSON/GetJSON round trip, absent records and ScanJSON order.
func testJSON(t *testing.T, db store.DB) {
	jsonRoundTrip(t, db)
	jsonScanOrder(t, db)
	jsonScanStops(t, db)
}

// jsonRoundTrip: PutJSON/GetJSON round trip and absent records.
func jsonRoundTrip(t *testing.T, db store.DB) {
	t.Helper()
	want := place{Name: "Blåbærparken æøå", Address: "Æblevej 7, 8000 Aarhus Ø", Tags: []string{"bål", "sø"}, Capacity: 42}
	update(t, db, func(tx store.Tx) error { return store.PutJSON(tx, "places", store.ID(1), want) })
	var (
		got    place
		ok     bool
		absent place
		absOK  bool
		noBuck bool
	)
	view(t, db, func(tx store.Tx) error {
		var err error
		if got, ok, err = store.GetJSON[place](tx, "places", store.ID(1)); err != nil {
			return err
		}
		if absent, absOK, err = store.GetJSON[place](tx, "places", store.ID(2)); err != nil {
			return err
		}
		if _, noBuck, err = store.GetJSON[place](tx, "noplaces", store.ID(1)); err != nil {
			return err
		}
		return nil
	})
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("GetJSON = %+v, %v, want %+v, true", got, ok, want)
	}
	if absOK || absent.Name != "" || noBuck {
		t.Errorf("GetJSON of absent record = %+v, %v (absent bucket ok=%v), want zero, false", absent, absOK, noBuck)
	}
}

// jsonScanOrder: ScanJSON returns records in key order, within the prefix.
func jsonScanOrder(t *testing.T, db store.DB) {
	t.Helper()
	var (
		scanned []place
		keys    [][]byte
	)
	names := []string{"Åen", "Børnehuset", "Æbletræet", "Østerled", "Skovly"}
	rng := rand.New(rand.NewPCG(3, 4))
	order := rng.Perm(len(names))
	update(t, db, func(tx store.Tx) error {
		for _, i := range order {
			if err := store.PutJSON(tx, "areas", store.Key(uint64(7), uint64(i+1)), place{Name: names[i]}); err != nil {
				return err
			}
		}
		// A neighbouring area that the prefix must exclude.
		return store.PutJSON(tx, "areas", store.Key(uint64(8), uint64(1)), place{Name: "other area"})
	})
	view(t, db, func(tx store.Tx) error {
		scanned, keys = nil, nil
		return store.ScanJSON(tx, "areas", store.Key(uint64(7)), func(k []byte, p place) error {
			keys = append(keys, k)
			scanned = append(scanned, p)
			return nil
		})
	})
	var gotNames []string
	for _, p := range scanned {
		gotNames = append(gotNames, p.Name)
	}
	if !slices.Equal(gotNames, names) {
		t.Errorf("ScanJSON names = %q, want %q", gotNames, names)
	}
	for i, k := range keys {
		if id, err := store.ParseID(k, 8); err != nil || id != uint64(i+1) {
			t.Errorf("ScanJSON key %d = %x (id %d, %v), want id %d", i, k, id, err, i+1)
		}
	}
}

// jsonScanStops: ScanJSON stops on ErrStop (run after jsonScanOrder).
func jsonScanStops(t *testing.T, db store.DB) {
	t.Helper()
	var n int
	view(t, db, func(tx store.Tx) error {
		n = 0
		return store.ScanJSON(tx, "areas", nil, func(k []byte, p place) error {
			n++
			if n == 2 {
				return store.ErrStop
			}
			return nil
		})
	})
	if n != 2 {
		t.Errorf("ScanJSON with ErrStop ran %d callbacks, want 2", n)
	}
}

// testJSONNewerSchema: a record written with a newer schema version than the
// reader's fails with store.ErrNewerSchema; older and equal versions read.
func testJSONNewerSchema(t *testing.T, db store.DB) {
	update(t, db, func(tx store.Tx) error {
		if err := store.PutJSON(tx, "v", []byte("new"), placeV2{Name: "Blåbærparken", Email: "a@b.dk"}); err != nil {
			return err
		}
		return store.PutJSON(tx, "v", []byte("old"), placeV1{Name: "Æblehaven"})
	})
	var (
		getErr, scanErr, oldErr, newErr error
		old                             placeV1
		upgraded                        placeV2
	)
	view(t, db, func(tx store.Tx) error {
		_, _, getErr = store.GetJSON[placeV1](tx, "v", []byte("new"))
		scanErr = store.ScanJSON(tx, "v", nil, func(k []byte, p placeV1) error { return nil })
		old, _, oldErr = store.GetJSON[placeV1](tx, "v", []byte("old"))
		upgraded, _, newErr = store.GetJSON[placeV2](tx, "v", []byte("old"))
		return nil
	})
	if !errors.Is(getErr, store.ErrNewerSchema) {
		t.Errorf("GetJSON of a v2 record as v1 = %v, want ErrNewerSchema", getErr)
	}
	if !errors.Is(scanErr, store.ErrNewerSchema) {
		t.Errorf("ScanJSON over a v2 record as v1 = %v, want ErrNewerSchema", scanErr)
	}
	if oldErr != nil || old.Name != "Æblehaven" {
		t.Errorf("GetJSON v1 as v1 = %+v, %v", old, oldErr)
	}
	if newErr != nil || upgraded.Name != "Æblehaven" {
		t.Errorf("GetJSON v1 as v2 = %+v, %v", upgraded, newErr)
	}
}

// countingWriter counts the bytes of a backup without keeping them.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// testBackup: when the DB is a store.Backuper, a hot backup taken while
// another goroutine keeps writing succeeds and is non-empty.
func testBackup(t *testing.T, db store.DB) {
	b, ok := db.(store.Backuper)
	if !ok {
		t.Skip("DB does not implement store.Backuper")
	}
	for i := range uint64(200) {
		put(t, db, "bk", store.ID(i), bytes.Repeat([]byte{byte(i)}, 256))
	}

	stop := make(chan struct{})
	started := make(chan struct{})
	var (
		wg        sync.WaitGroup
		startOnce sync.Once
		writeErr  error
	)
	signal := func() { startOnce.Do(func() { close(started) }) }
	wg.Go(func() {
		defer signal() // also when the writer fails before its first write
		for i := uint64(1000); ; i++ {
			err := db.Update(func(tx store.Tx) error {
				return tx.Put("bk", store.ID(i), bytes.Repeat([]byte{'w'}, 512))
			})
			if err != nil {
				writeErr = err
				return
			}
			signal()
			select {
			case <-stop:
				return
			default:
			}
		}
	})
	<-started
	var w countingWriter
	n, err := b.Backup(io.Writer(&w))
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("concurrent writer: %v", writeErr)
	}
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if n <= 0 || n != w.n {
		t.Errorf("Backup reported %d bytes, writer got %d; want equal and > 0", n, w.n)
	}
	// The DB keeps working after the backup.
	put(t, db, "bk", []byte("after"), []byte("ok"))
	wantValue(t, db, "bk", []byte("after"), []byte("ok"))
	wantValue(t, db, "bk", store.ID(5), bytes.Repeat([]byte{5}, 256))
}

// testCheckIntegrity: when the DB is a store.Checker, it reports no problem
// after a mix of operations.
func testCheckIntegrity(t *testing.T, db store.DB) {
	c, ok := db.(store.Checker)
	if !ok {
		t.Skip("DB does not implement store.Checker")
	}
	if err := c.CheckIntegrity(); err != nil {
		t.Fatalf("CheckIntegrity on an empty DB: %v", err)
	}
	big := bytes.Repeat([]byte("x"), 10_000) // larger than a page
	for round := range 5 {
		update(t, db, func(tx store.Tx) error {
			for i := range 200 {
				v := big[:(i*37)%len(big)+1]
				if err := tx.Put(fmt.Sprintf("chk%d", i%3), store.Key(uint64(round), uint64(i)), v); err != nil {
					return err
				}
			}
			_, err := tx.NextID("chk-ids")
			return err
		})
		update(t, db, func(tx store.Tx) error {
			for i := 0; i < 200; i += 2 {
				if err := tx.Delete(fmt.Sprintf("chk%d", i%3), store.Key(uint64(round), uint64(i))); err != nil {
					return err
				}
			}
			return nil
		})
		err := db.Update(func(tx store.Tx) error {
			if err := tx.Put("chk0", []byte("rolled back"), big); err != nil {
				return err
			}
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Fatalf("rollback: %v", err)
		}
	}
	if err := c.CheckIntegrity(); err != nil {
		t.Errorf("CheckIntegrity: %v", err)
	}
	// CheckIntegrity changes nothing.
	wantValue(t, db, "chk1", store.Key(uint64(0), uint64(1)), big[:38])
	wantValue(t, db, "chk0", []byte("rolled back"), nil)
}

// testGeneration: when the DB is a store.Generationer, every committed
// write (Update or Batch) raises the generation, and reads, rollbacks and
// failed writes leave it alone.
func testGeneration(t *testing.T, db store.DB) {
	g, ok := db.(store.Generationer)
	if !ok {
		t.Skip("DB does not implement store.Generationer")
	}
	gen := func() uint64 {
		t.Helper()
		n, err := g.Generation()
		if err != nil {
			t.Fatalf("Generation: %v", err)
		}
		return n
	}
	g0 := gen()
	put(t, db, "gen", []byte("a"), []byte("1"))
	g1 := gen()
	if g1 <= g0 {
		t.Fatalf("after a Put: generation %d, before %d; want it raised", g1, g0)
	}
	view(t, db, func(tx store.Tx) error { _, err := tx.Get("gen", []byte("a")); return err })
	err := db.Update(func(tx store.Tx) error {
		if err := tx.Put("gen", []byte("b"), []byte("2")); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("rollback: %v", err)
	}
	if g2 := gen(); g2 != g1 {
		t.Fatalf("after a read and a rollback: generation %d, want %d unchanged", g2, g1)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := db.Batch(func(tx store.Tx) error {
				return tx.Delete("gen", []byte{'a' + byte(i)})
			}); err != nil {
				t.Errorf("Batch: %v", err)
			}
		}()
	}
	wg.Wait()
	if g3 := gen(); g3 <= g1 {
		t.Fatalf("after Batch deletes: generation %d, before %d; want it raised", g3, g1)
	}
}

// testQuietWrites: when the DB is a store.Quieter, writes through Quiet()
// raise Generation but not the data generation; other writes raise both, also
// when they share a group commit with quiet ones; and a quiet write is as
// durable and visible as any other.
func testQuietWrites(t *testing.T, db store.DB) {
	q, ok := db.(store.Quieter)
	if !ok {
		t.Skip("DB does not implement store.Quieter")
	}
	gens := func() (uint64, uint64) {
		t.Helper()
		g, d, err := q.Generations()
		if err != nil {
			t.Fatal(err)
		}
		if g2, err := q.Generation(); err != nil || g2 != g {
			t.Fatalf("Generation %d (%v) after Generations gave %d", g2, err, g)
		}
		return g, d
	}
	quiet := q.Quiet()
	g0, d0 := gens()
	if err := quiet.Update(func(tx store.Tx) error { return tx.Put("quiet", []byte("s"), []byte("1")) }); err != nil {
		t.Fatal(err)
	}
	if err := quiet.Batch(func(tx store.Tx) error { return tx.Put("quiet", []byte("s"), []byte("2")) }); err != nil {
		t.Fatal(err)
	}
	g1, d1 := gens()
	if g1 <= g0 || d1 != d0 {
		t.Fatalf("quiet writes: generation %d → %d, data generation %d → %d; want only the first raised", g0, g1, d0, d1)
	}
	wantValue(t, db, "quiet", []byte("s"), []byte("2"))

	put(t, db, "loud", []byte("k"), []byte("v"))
	g2, d2 := gens()
	if g2 <= g1 || d2 <= d1 {
		t.Fatalf("a normal write: generation %d → %d, data generation %d → %d; want both raised", g1, g2, d1, d2)
	}

	// Quiet and normal members racing into shared commits: the data
	// generation must move, since a normal write is among them.
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := db
			if i%2 == 0 {
				h = quiet
			}
			if err := h.Batch(func(tx store.Tx) error { return tx.Put("mixed", []byte{byte(i)}, []byte("x")) }); err != nil {
				t.Errorf("Batch: %v", err)
			}
		}()
	}
	wg.Wait()
	if _, d3 := gens(); d3 <= d2 {
		t.Fatalf("after normal writes in shared commits the data generation stayed at %d", d2)
	}
	if err := quiet.Close(); err != nil {
		t.Fatalf("closing the quiet handle: %v", err)
	}
	put(t, db, "loud", []byte("after"), []byte("close")) // the DB itself stays open
}
