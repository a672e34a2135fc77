package ballot_test

import (
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// TestPetition_PublicState: a sealed petition is not said to have met its
// threshold until signing closes; a live one is at once.
func TestPetition_PublicState(t *testing.T) {
	closes := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	met := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	before, after := closes.Add(-time.Second), closes
	p := func(st ballot.Status, policy ballot.CountPolicy, metAt time.Time) *ballot.Petition {
		return &ballot.Petition{Status: st, CountPolicy: policy, ClosesAt: closes, ThresholdMetAt: metAt}
	}
	tests := []struct {
		name string
		p    *ballot.Petition
		now  time.Time
		want ballot.Status
	}{
		{"LiveMetWhileOpen", p(ballot.StatusOpen, ballot.CountLive, met), before, "threshold_met"},
		{"SealedMetWhileOpen", p(ballot.StatusOpen, ballot.CountSealed, met), before, "open"},
		{"SealedMetAfterClose", p(ballot.StatusOpen, ballot.CountSealed, met), after, "threshold_met"},
		{"SealedNotMetAfterClose", p(ballot.StatusOpen, ballot.CountSealed, time.Time{}), after, "closed"},
		{"SealedNotMetWhileOpen", p(ballot.StatusOpen, ballot.CountSealed, time.Time{}), before, "open"},
		{"SealedRejected", p(ballot.StatusRejected, ballot.CountSealed, time.Time{}), before, "rejected"},
		{"SealedInModeration", p(ballot.StatusModeration, ballot.CountSealed, time.Time{}), before, "moderation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.PublicState(tt.now); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
