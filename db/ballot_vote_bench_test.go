package db_test

import "testing"

// BenchmarkBallotStore_VoteParallel votes through the store, as the HTTP
// handler does, from 32×GOMAXPROCS goroutines that each vote again as soon
// as their last vote is acknowledged, on a ballot of 100,000 codes: the
// group-commit writer and its commits without HTTP around them.
func BenchmarkBallotStore_VoteParallel(b *testing.B) {
	e := newBallotEnv(b)
	bl, codes := e.open(100_000)
	closedLoop(b, e.d, "votes/s", len(codes), func(i int) {
		if _, err := e.vote(bl, codes[i], i%len(bl.Options)); err != nil {
			b.Error(err)
		}
	})
}
