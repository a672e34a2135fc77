package db_test

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// BenchmarkBallotStore_VoteParallel votes through the store, as the HTTP
// handler does, from 32×GOMAXPROCS goroutines that each vote again as soon
// as their last vote is acknowledged, on a ballot of 100,000 codes: the
// group-commit writer and its commits without HTTP around them.
func BenchmarkBallotStore_VoteParallel(b *testing.B) {
	e := newBallotEnv(b)
	bl, codes := e.open(100_000)
	ops := make(chan int)
	var wg sync.WaitGroup
	for range benchParallelism * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range ops {
				if _, err := e.vote(bl, codes[i%len(codes)], i%len(bl.Options)); err != nil {
					b.Error(err)
				}
			}
		})
	}
	start, n := time.Now(), 0
	for b.Loop() {
		if n == len(codes) {
			b.Fatal("out of codes: run with a smaller -benchtime")
		}
		ops <- n
		n++
	}
	close(ops)
	wg.Wait()
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "votes/s")
	b.ReportMetric(0, "ns/op")
	batches, requests := e.d.GroupStats()
	b.ReportMetric(float64(requests)/float64(max(batches, 1)), "reqs/batch")
}
