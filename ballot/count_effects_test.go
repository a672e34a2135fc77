package ballot_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// TestPetition_Count: each count's effects, written out by hand.
func TestPetition_Count(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	closes := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	earlier := now.Add(-time.Hour)
	links := ballot.Links{Base: "https://x.test"}
	open := func(policy ballot.CountPolicy, count, milestone int, met time.Time) *ballot.Petition {
		return &ballot.Petition{ID: 7, Title: "Bring bins back", Status: ballot.StatusOpen, CountPolicy: policy,
			Threshold: 100, ClosesAt: closes, SignatureCount: count, Milestone: milestone, ThresholdMetAt: met}
	}
	sponsoring := func(have int) *ballot.Petition {
		return &ballot.Petition{ID: 7, Title: "Bring bins back", Status: ballot.StatusSponsoring, SponsorsNeeded: 2,
			SponsorCount: have, CountPolicy: ballot.CountLive}
	}
	type mail = wantNotice
	tests := []struct {
		name     string
		p        *ballot.Petition
		sponsor  bool
		delta    int
		want     ballot.Effects // without Mail
		wantMail []mail
		// wantCampaigner is the campaigner's mail; URL "" checks no link.
		wantCampaigner []mail
		wantCount      int
		wantState      ballot.Status
		wantMetAt      time.Time
	}{
		{name: "SponsorShort", p: sponsoring(0), sponsor: true, delta: 1,
			want: ballot.Effects{Signatures: 1, Sponsors: 1}, wantCount: 1, wantState: ballot.StatusSponsoring},
		{name: "SponsorsComplete", p: sponsoring(1), sponsor: true, delta: 1,
			want:           ballot.Effects{Signatures: 1, Sponsors: 1, Status: ballot.StatusModeration},
			wantMail:       []mail{{"Petition waiting for moderation: Bring bins back", "https://x.test/admin/petitions/7", time.Time{}}},
			wantCampaigner: []mail{{"Your petition is waiting for the council's check: Bring bins back", "", time.Time{}}},
			wantCount:      1, wantState: ballot.StatusModeration},
		{name: "SponsorWithdrawn", p: &ballot.Petition{ID: 7, Title: "Bring bins back", Status: ballot.StatusSponsoring,
			SponsorsNeeded: 2, SponsorCount: 1, SignatureCount: 1, CountPolicy: ballot.CountLive}, sponsor: true, delta: -1,
			want: ballot.Effects{Signatures: -1, Sponsors: -1}, wantCount: 0, wantState: ballot.StatusSponsoring},
		// A count that does not go up records nothing, even on a petition
		// whose count stands at its threshold unrecorded.
		{name: "NoChangeRecordsNothing", p: open(ballot.CountLive, 100, 75, time.Time{}), delta: 0,
			want: ballot.Effects{}, wantCount: 100, wantState: ballot.StatusOpen},
		{name: "BelowFirstMilestone", p: open(ballot.CountLive, 23, 0, time.Time{}), delta: 1,
			want: ballot.Effects{Signatures: 1}, wantCount: 24, wantState: ballot.StatusOpen},
		{name: "Milestone25", p: open(ballot.CountLive, 24, 0, time.Time{}), delta: 1,
			want: ballot.Effects{Signatures: 1, Milestone: 25,
				Audit: []ballot.AuditNote{{Action: "petition.milestone", Detail: "25% of the threshold of 100 reached"}}},
			wantCount: 25, wantState: ballot.StatusOpen},
		{name: "Milestone75", p: open(ballot.CountLive, 74, 50, time.Time{}), delta: 1,
			want: ballot.Effects{Signatures: 1, Milestone: 75,
				Audit: []ballot.AuditNote{{Action: "petition.milestone", Detail: "75% of the threshold of 100 reached"}}},
			wantCount: 75, wantState: ballot.StatusOpen},
		{name: "MilestoneAlreadyRecorded", p: open(ballot.CountLive, 30, 25, time.Time{}), delta: 1,
			want: ballot.Effects{Signatures: 1}, wantCount: 31, wantState: ballot.StatusOpen},
		{name: "ThresholdMetLive", p: open(ballot.CountLive, 99, 75, time.Time{}), delta: 1,
			want: ballot.Effects{Signatures: 1, Milestone: 100, ThresholdMet: true,
				Audit: []ballot.AuditNote{{Action: "petition.threshold_met", Detail: "threshold 100 met"}}},
			wantMail:       []mail{{"Recall threshold met: Bring bins back", "https://x.test/petitions/7", time.Time{}}},
			wantCampaigner: []mail{{"Your petition has met its threshold: Bring bins back", "https://x.test/petitions/7", time.Time{}}},
			wantCount:      100, wantState: ballot.StatusThresholdMet, wantMetAt: now},
		{name: "ThresholdMetSealedMailHeldUntilClose", p: open(ballot.CountSealed, 99, 75, time.Time{}), delta: 1,
			want: ballot.Effects{Signatures: 1, Milestone: 100, ThresholdMet: true,
				Audit: []ballot.AuditNote{{Action: "petition.threshold_met", Detail: "threshold 100 met"}}},
			wantMail:       []mail{{"Recall threshold met: Bring bins back", "https://x.test/petitions/7", closes}},
			wantCampaigner: []mail{{"Your petition has met its threshold: Bring bins back", "https://x.test/petitions/7", closes}},
			wantCount:      100, wantState: ballot.StatusThresholdMet, wantMetAt: now},
		{name: "ThresholdMetOnceOnly", p: open(ballot.CountLive, 99, 75, earlier), delta: 1,
			want: ballot.Effects{Signatures: 1, Milestone: 100}, wantCount: 100, wantState: ballot.StatusThresholdMet, wantMetAt: earlier},
		{name: "WithdrawKeepsMilestoneAndMoment", p: open(ballot.CountLive, 100, 100, earlier), delta: -1,
			want: ballot.Effects{Signatures: -1}, wantCount: 99, wantState: ballot.StatusThresholdMet, wantMetAt: earlier},
		{name: "InvalidateMany", p: open(ballot.CountLive, 60, 50, time.Time{}), delta: -40,
			want: ballot.Effects{Signatures: -40}, wantCount: 20, wantState: ballot.StatusOpen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.p.Count(now, tt.sponsor, tt.delta, links)
			mails, campaigner := got.Mail, got.Campaigner
			got.Mail, got.Campaigner = nil, nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("effects: got %+v, want %+v", got, tt.want)
			}
			checkNotices(t, "staff", mails, tt.wantMail)
			checkNotices(t, "campaigner", campaigner, tt.wantCampaigner)
			if tt.p.SignatureCount != tt.wantCount || tt.p.State(now) != tt.wantState || !tt.p.ThresholdMetAt.Equal(tt.wantMetAt) {
				t.Errorf("petition: got count %d, state %s, met %v; want %d, %s, %v",
					tt.p.SignatureCount, tt.p.State(now), tt.p.ThresholdMetAt, tt.wantCount, tt.wantState, tt.wantMetAt)
			}
		})
	}
}

// wantNotice is a mail expected: its subject, a link it carries ("" for
// none checked) and when it may go.
type wantNotice struct {
	Subject, URL string
	SendAfter    time.Time
}

// checkNotices compares mails with want by subject, hold and link.
func checkNotices(t *testing.T, to string, mails []ballot.Notice, want []wantNotice) {
	t.Helper()
	if len(mails) != len(want) {
		t.Fatalf("got %d mails to %s, want %d", len(mails), to, len(want))
	}
	for i, m := range mails {
		w := want[i]
		if m.Subject != w.Subject || !m.SendAfter.Equal(w.SendAfter) || w.URL != "" && !strings.Contains(m.Body, "\n"+w.URL+"\n") {
			t.Errorf("mail %d to %s: got %q held until %v, body %q; want %q held until %v linking %s",
				i, to, m.Subject, m.SendAfter, m.Body, w.Subject, w.SendAfter, w.URL)
		}
	}
}
