package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// TestStartReviews: serve's sweep opens a draft review for an end point
// within the council's lead time as soon as it starts, and one further
// off only once the lead time is set longer.
func TestStartReviews(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c := &ballot.Contract{Title: "Waste", Service: "Waste", Provider: "CleanCo", ValuePence: 1,
		StartsOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC),
		BreakClauses: []time.Time{time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)}, NoInHouseBidReason: "No in-house team",
		Recall: ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 50, SigningDays: 42}}
	if err := db.NewContractStore(d).CreateContract(ctx, c, "test"); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		rs, err := db.NewReviewStore(d).Reviews(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	sctx, stop := context.WithCancel(ctx)
	wait := startReviews(sctx, d, func() time.Time { return now }, slog.New(slog.DiscardHandler))
	deadline := time.Now().Add(5 * time.Second)
	for count() != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	wait()
	if got := count(); got != 1 {
		t.Fatalf("default 9 months: got %d reviews, want 1 (the break in 8 months)", got)
	}
	st := consult.DefaultSettings()
	st.Reviews.LeadMonths = 19
	if err := db.NewSettingsStore(d).SaveSettings(ctx, st, "test"); err != nil {
		t.Fatal(err)
	}
	if n, err := sweepReviews(ctx, d, now); err != nil || n != 1 || count() != 2 {
		t.Fatalf("19 months: opened %d, %v; want the end in 19 months too", n, err)
	}
}
