package redis_test

import (
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"

	"fritidsjob/store"
	"fritidsjob/store/redis"
	"fritidsjob/store/redis/redistest"
	"fritidsjob/store/storetest"
)

// prefixes gives each contract subtest its own installation prefix on one
// server, which also shows that installations do not see each other.
var prefixes atomic.Int64

func openDB(t *testing.T, url string) *redis.DB {
	t.Helper()
	db, err := redis.Open(url, redis.Options{Prefix: fmt.Sprintf("test%d", prefixes.Add(1))})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestContract(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	storetest.Run(t, func(t *testing.T) store.DB { return openDB(t, srv.URL()) })
}

func TestMain(m *testing.M) {
	// The outage test makes go-redis log every failed dial; keep the test
	// output readable. (go-redis's logger is process-wide.)
	redis.SetLibraryLogger(slog.New(slog.DiscardHandler))
	os.Exit(m.Run())
}
