package bolt_test

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"fritidsjob/internal/testkit"
	"fritidsjob/store"
)

func reportOps(b *testing.B) {
	b.Helper()
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, "ops/s")
	}
}

var benchVal = []byte(`{"v":1,"d":{"name":"Blåbærparken","n":42}}`)

// BenchmarkUpdate: one small Put per durable Update, serially.
func BenchmarkUpdate(b *testing.B) {
	db := testkit.Store(b)
	var i uint64
	for b.Loop() {
		i++
		if err := db.Update(func(tx store.Tx) error { return tx.Put("bench", store.ID(i), benchVal) }); err != nil {
			b.Fatal(err)
		}
	}
	reportOps(b)
}

// BenchmarkBatchParallel: many goroutines each doing one small Put per
// Batch, so commits are shared.
func BenchmarkBatchParallel(b *testing.B) {
	db := testkit.Store(b)
	var next atomic.Uint64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := next.Add(1)
			if err := db.Batch(func(tx store.Tx) error { return tx.Put("bench", store.ID(id), benchVal) }); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportOps(b)
}

// BenchmarkRawFsync: append 64 bytes and fsync a plain file in the same
// kind of temp dir, the floor for one durable commit.
func BenchmarkRawFsync(b *testing.B) {
	f, err := os.OpenFile(filepath.Join(b.TempDir(), "raw"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64)
	for b.Loop() {
		if _, err := f.Write(buf); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
	reportOps(b)
}
