package db_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oursay/oursay/db"
)

// benchParallelism times GOMAXPROCS is the number of concurrent writers, as
// a burst of HTTP requests would give.
const benchParallelism = 32

// closedLoop runs op(0), op(1), … from benchParallelism×GOMAXPROCS
// goroutines, each starting its next op as soon as its last one returns,
// as many HTTP clients waiting for their answers would, until b.Loop ends
// (or limit ops, if limit > 0, fails the benchmark). It reports the rate as
// unit and d's group-commit requests per batch.
func closedLoop(b *testing.B, d *db.DB, unit string, limit int, op func(i int)) {
	ops := make(chan int)
	var wg sync.WaitGroup
	for range benchParallelism * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range ops {
				op(i)
			}
		})
	}
	start, n := time.Now(), 0
	for b.Loop() { // each iteration waits for a worker to be free
		if limit > 0 && n == limit {
			close(ops)
			wg.Wait()
			b.Fatalf("ran out after %d ops: run with a smaller -benchtime", n)
		}
		ops <- n
		n++
	}
	close(ops)
	wg.Wait()
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), unit)
	b.ReportMetric(0, "ns/op")
	batches, requests := d.GroupStats()
	b.ReportMetric(float64(requests)/float64(max(batches, 1)), "reqs/batch")
}

// BenchmarkGroup_Parallel inserts one row per Group call from many goroutines,
// at several lingers. Compare BenchmarkTx_Parallel: one transaction per call.
func BenchmarkGroup_Parallel(b *testing.B) {
	for _, linger := range []time.Duration{0, 100 * time.Microsecond, time.Millisecond} {
		b.Run(fmt.Sprintf("linger=%v", linger), func(b *testing.B) {
			d := MustOpenDB(b)
			mustScratch(b, d)
			db.SetGroupLimits(d, 512, linger)
			var n atomic.Int64
			b.SetParallelism(benchParallelism)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := d.Group(context.Background(), insertN(int(n.Add(1)))); err != nil {
						b.Error(err)
						return
					}
				}
			})
			batches, requests := d.GroupStats()
			b.ReportMetric(float64(requests)/float64(max(batches, 1)), "reqs/batch")
		})
	}
}

// BenchmarkTx_Parallel is the baseline: the same inserts, each in its own
// transaction on the writer pool.
func BenchmarkTx_Parallel(b *testing.B) {
	d := MustOpenDB(b)
	mustScratch(b, d)
	var n atomic.Int64
	b.SetParallelism(benchParallelism)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := plainInsert(context.Background(), d, int(n.Add(1))); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkGroup_Serial is one caller at a time: the cost of a lone request
// against BenchmarkTx_Serial.
func BenchmarkGroup_Serial(b *testing.B) {
	d := MustOpenDB(b)
	mustScratch(b, d)
	for i := 0; b.Loop(); i++ {
		if err := d.Group(context.Background(), insertN(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTx_Serial is one caller at a time, one transaction per call.
func BenchmarkTx_Serial(b *testing.B) {
	d := MustOpenDB(b)
	mustScratch(b, d)
	for i := 0; b.Loop(); i++ {
		if err := plainInsert(context.Background(), d, i); err != nil {
			b.Fatal(err)
		}
	}
}
