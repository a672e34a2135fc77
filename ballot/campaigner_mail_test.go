package ballot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// TestCampaignerMails: each stage's mail names the petition, carries the
// links the campaigner needs, and only the closing and result mails,
// sent once every count is public, carry a number of signatures or votes.
func TestCampaignerMails(t *testing.T) {
	links := ballot.Links{Base: "https://x.test"}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	p := &ballot.Petition{ID: 7, Title: "End the CleanCo contract", Status: ballot.StatusSponsoring, SponsorsNeeded: 5,
		Threshold: 4822, SignatureCount: 4900, ClosesAt: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)}
	open := *p
	open.Status = ballot.StatusOpen
	met := open
	met.ThresholdMetAt = now
	b := &ballot.Ballot{ID: 3, Question: "Should the council end the contract?", OpensAt: now, ClosesAt: now.Add(14 * 24 * time.Hour),
		CodesIssued: 40, QuorumBasisPoints: 2500, Options: []ballot.BallotOption{{ID: 1, Label: "Yes"}, {ID: 2, Label: "No"}}}
	r := ballot.Result{Counts: map[int64]int{1: 9, 2: 3}, VotesCast: 12, Turnout: 3000, QuorumMet: true, YesShare: 7500, Recall: true}
	big := *b
	big.CodesIssued = 48210
	bigResult := ballot.Result{Counts: map[int64]int{1: 9012, 2: 3004}, VotesCast: 12016, Turnout: 2492, QuorumMet: false, Recall: false}
	mail := func(s, b string) [2]string { return [2]string{s, b} }
	for _, tc := range []struct {
		name  string
		mail  [2]string
		want  []string
		count bool // may carry a count
	}{
		{"sponsor link", mail(ballot.CampaignerConfirmedMail(p, links.Sponsor(7, "TOK"))),
			[]string{"Share your petition with sponsors: End the CleanCo contract", "It needs 5 sponsors", "\nhttps://x.test/petitions/7/sponsor?token=TOK\n"}, false},
		{"no sponsors needed", mail(ballot.CampaignerConfirmedMail(&ballot.Petition{Title: "T", Status: ballot.StatusModeration}, "unused")),
			[]string{"Your petition is waiting for the council's check: T"}, false},
		{"sponsors complete", mail(ballot.SponsorsCompleteMail(p)),
			[]string{"Your petition is waiting for the council's check", "has all the sponsors it needs"}, false},
		{"published", mail(ballot.PublishedMail(&open, now, links)),
			[]string{"Your petition is published", "threshold of 4,822 confirmed signatures", "Signing closes at 11:59pm on 31 January 2027.",
				"\nhttps://x.test/petitions/7\n", "\nhttps://x.test/petitions/7/qr.png\n", "\nhttps://x.test/petitions/7/poster\n"}, false},
		{"threshold", mail(ballot.CampaignerThresholdMail(&met, links)),
			[]string{"Your petition has met its threshold", "threshold of 4,822", "\nhttps://x.test/petitions/7\n"}, false},
		{"closed, met", mail(ballot.ClosedMail(&met, links)),
			[]string{"Signing has closed", "Final count: 4,900 confirmed signatures. It met its threshold of 4,822"}, true},
		{"closed, not met", mail(ballot.ClosedMail(&open, links)),
			[]string{"It did not meet its threshold of 4,822."}, true},
		{"ballot opened", mail(ballot.BallotOpenedMail(&met, b, now, links)),
			[]string{"A recall ballot is open", `"Should the council end the contract?"`, "Voting closes at", "\nhttps://x.test/ballots/3\n"}, false},
		{"ballot scheduled", mail(ballot.BallotOpenedMail(&met, b, now.Add(-time.Hour), links)),
			[]string{"Voting starts at 12:00pm on 1 March 2026 and closes at"}, false},
		{"result", mail(ballot.BallotResultMail(&met, b, r, links)),
			[]string{"Recall ballot result", "Yes: 9 votes", "No: 3 votes", "Turnout: 12 of 40 voters (30%), quorum of 25% reached.",
				"The outcome: the contract is to be recalled.", "\nhttps://x.test/ballots/3\n"}, true},
		{"result, large numbers", mail(ballot.BallotResultMail(&met, &big, bigResult, links)),
			[]string{"Yes: 9,012 votes", "No: 3,004 votes", "Turnout: 12,016 of 48,210 voters"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.mail[0] + "\n" + tc.mail[1]
			if !strings.Contains(tc.mail[1], "This is the council's petitions site, OurSay.") {
				t.Errorf("does not open with the council's wording: %q", tc.mail[1])
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q:\n%s", w, text)
				}
			}
			if !tc.count && strings.Contains(text, "4900") {
				t.Errorf("carries the count before it is public:\n%s", text)
			}
		})
	}
}
