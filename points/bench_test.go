package points

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"fritidsjob/internal/testkit"
	"fritidsjob/store"
)

// BenchmarkPost posts one new transfer per durable Update, one writer: the
// cost of paying one approval on its own.
func BenchmarkPost(b *testing.B) {
	db := testkit.Store(b)
	b.ResetTimer()
	for i := range b.N {
		if err := db.Update(func(tx store.Tx) error {
			_, _, err := Post(tx, approval(1, i))
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "transfers/s")
}

// BenchmarkPostParallel64 posts b.N new transfers from 64 goroutines
// through db.Batch, which groups concurrent writers into shared commits.
func BenchmarkPostParallel64(b *testing.B) {
	db := testkit.Store(b)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for range 64 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				if err := db.Batch(func(tx store.Tx) error {
					_, _, err := Post(tx, approval(1, i))
					return err
				}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "transfers/s")
}

// BenchmarkPutBaseline is the baseline for BenchmarkPost: one 100-byte Put
// per durable Update on the same engine, so Post's own cost shows as the
// ratio between the two.
func BenchmarkPutBaseline(b *testing.B) {
	db := testkit.Store(b)
	val := make([]byte, 100)
	b.ResetTimer()
	for i := range b.N {
		if err := db.Update(func(tx store.Tx) error {
			return tx.Put("bench", []byte(fmt.Sprint(i)), val)
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}
