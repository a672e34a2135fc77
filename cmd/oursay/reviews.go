package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

// reviewsEvery is how often serve opens the contract reviews that have
// come within their lead time: end points are days, so an hour is soon
// enough, and a changed lead time takes effect within it.
const reviewsEvery = time.Hour

// sweepReviews opens a draft review for every end point within the
// council's lead time (consult.ReviewTimes) that has none.
func sweepReviews(ctx context.Context, d *db.DB, now time.Time) (int, error) {
	st, err := db.NewSettingsStore(d).Settings(ctx)
	if err != nil {
		return 0, err
	}
	lead := st.Reviews.LeadMonths
	if lead <= 0 {
		lead = ballot.DefaultLeadMonths
	}
	return db.NewReviewStore(d).OpenDueReviews(ctx, now, lead)
}

// startReviews runs sweepReviews at start and then every reviewsEvery,
// until ctx ends; the returned function waits for it to stop.
func startReviews(ctx context.Context, d *db.DB, now func() time.Time, log *slog.Logger) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(reviewsEvery)
		defer t.Stop()
		for {
			if n, err := sweepReviews(ctx, d, now()); err != nil && ctx.Err() == nil {
				log.Error("open contract reviews", "err", err)
			} else if n > 0 {
				log.Info("opened contract reviews", "reviews", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { <-done }
}
