// Package testkit holds the fixtures that tests in every package share: a
// settable clock, a real bbolt store in the test's temporary directory, the
// test installation secret and cheap password-hash settings. It is imported
// only by _test.go files, so none of it reaches the binary.
//
// testkit imports no domain package, on purpose: package people's own tests
// (package people, not people_test) use it too, and a testkit that imported
// people would make that an import cycle. So the hash settings are a plain
// struct with people.HashParams's fields, converted where used
// (people.HashParams(testkit.CheapHash)); the compiler refuses the
// conversion if the two ever differ. Builders that need domain types (a
// people service, a youth's NewUser, Copenhagen times) live in the
// sub-package peoplekit, for the tests of every package except people and
// the packages people imports.
package testkit

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fritidsjob/store/bolt"
)

// Clock is a settable clock for tests; its Now is what services take as
// their time source. It is safe for concurrent use. The zero Clock reads
// the zero time.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock that reads t until it is moved.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock by d (backwards when d is negative).
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Store opens a fresh bbolt store in a file under t.TempDir(), with
// default options, and closes it when the test ends; it fails the test
// when the file cannot be opened or closed.
func Store(t testing.TB) *bolt.DB {
	t.Helper()
	return StoreWith(t, bolt.Options{})
}

// StoreWith is Store with options, such as NoSync for throwaway data.
func StoreWith(t testing.TB, o bolt.Options) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "test.db"), o)
	if err != nil {
		t.Fatalf("open test store: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil { // a second Close (the test closed it) returns nil
			t.Errorf("close test store: %v", err)
		}
	})
	return db
}

// Secret returns the installation secret tests use (39 bytes, over the 32
// that people, evaluation and ui require), as a new slice each time so no
// test can change another's.
func Secret() []byte { return []byte("test-secret-0123456789abcdef-0123456789") }

// HashParams mirrors people.HashParams field for field, so that
// people.HashParams(CheapHash) converts without testkit importing people.
type HashParams struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// CheapHash are argon2id settings that keep tests fast: argon2's minimum
// memory, one pass, one thread. people's TestDefaultHashParams checks the
// real ones.
var CheapHash = HashParams{MemoryKiB: 8, Time: 1, Threads: 1}
