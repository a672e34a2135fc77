package ballot_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

func TestPetition_State(t *testing.T) {
	closes := time.Date(2026, 6, 12, 0, 0, 0, 0, time.UTC)
	met := closes.Add(-72 * time.Hour)
	before, at := closes.Add(-time.Nanosecond), closes
	for _, tc := range []struct {
		name   string
		status ballot.Status
		met    time.Time
		closes time.Time
		now    time.Time
		want   ballot.Status
	}{
		{"open", ballot.StatusOpen, time.Time{}, closes, before, ballot.StatusOpen},
		{"closed at the moment it closes", ballot.StatusOpen, time.Time{}, closes, at, ballot.StatusClosed},
		{"met while open", ballot.StatusOpen, met, closes, before, ballot.StatusThresholdMet},
		{"met and closed", ballot.StatusOpen, met, closes, at, ballot.StatusThresholdMet},
		{"no closing time yet", ballot.StatusOpen, time.Time{}, time.Time{}, at, ballot.StatusOpen},
		{"moderation", ballot.StatusModeration, time.Time{}, closes, at, ballot.StatusModeration},
		{"rejected", ballot.StatusRejected, met, closes, at, ballot.StatusRejected},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &ballot.Petition{Status: tc.status, ThresholdMetAt: tc.met, ClosesAt: tc.closes}
			if got := p.State(tc.now); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestPetition_AcceptsAndCountPublic(t *testing.T) {
	closes := time.Date(2026, 6, 12, 0, 0, 0, 0, time.UTC)
	before, at := closes.Add(-time.Nanosecond), closes
	for _, tc := range []struct {
		name       string
		status     ballot.Status
		policy     ballot.CountPolicy
		now        time.Time
		signs      bool
		countShown bool
	}{
		{"live, open", ballot.StatusOpen, ballot.CountLive, before, true, true},
		{"live, closed", ballot.StatusOpen, ballot.CountLive, at, false, true},
		{"sealed, open", ballot.StatusOpen, ballot.CountSealed, before, true, false},
		{"sealed, at close", ballot.StatusOpen, ballot.CountSealed, at, false, true},
		{"sealed, in moderation after the date", ballot.StatusModeration, ballot.CountSealed, at, false, false},
		{"sealed, rejected", ballot.StatusRejected, ballot.CountSealed, before, false, true},
		{"sealed, sponsoring", ballot.StatusSponsoring, ballot.CountSealed, before, false, false},
		{"live, sponsoring", ballot.StatusSponsoring, ballot.CountLive, before, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &ballot.Petition{Status: tc.status, CountPolicy: tc.policy, ClosesAt: closes}
			if got := p.AcceptsSignatures(tc.now); got != tc.signs {
				t.Errorf("AcceptsSignatures = %v, want %v", got, tc.signs)
			}
			if got := p.CountPublic(tc.now); got != tc.countShown {
				t.Errorf("CountPublic = %v, want %v", got, tc.countShown)
			}
		})
	}
}

func TestPetition_AcceptsSponsorsAndCanModerate(t *testing.T) {
	for _, s := range []ballot.Status{ballot.StatusUnconfirmed, ballot.StatusSponsoring, ballot.StatusModeration, ballot.StatusOpen, ballot.StatusRejected} {
		p := &ballot.Petition{Status: s}
		if got := p.AcceptsSponsors(); got != (s == ballot.StatusSponsoring) {
			t.Errorf("%s: AcceptsSponsors = %v", s, got)
		}
		err := p.CanModerate()
		if s == ballot.StatusModeration && err != nil || s != ballot.StatusModeration && !errors.Is(err, ballot.ErrBadTransition) {
			t.Errorf("%s: CanModerate = %v", s, err)
		}
	}
}

// Milestones are worked by hand: a milestone m is reached once
// count × 100 ≥ threshold × m.
func TestMilestoneFor(t *testing.T) {
	for _, tc := range []struct{ count, threshold, want int }{
		{0, 4822, 0},
		{1205, 4822, 0},  // 24.99%
		{1206, 4822, 25}, // 25.01%
		{2410, 4822, 25}, // 49.98%
		{2411, 4822, 50}, // exactly 50%
		{3616, 4822, 50}, // 74.99%
		{3617, 4822, 75},
		{4821, 4822, 75},
		{4822, 4822, 100},
		{9000, 4822, 100},
		{25, 100, 25},
		{24, 100, 0},
		{5, 0, 0},
		{5, -1, 0},
	} {
		if got := ballot.MilestoneFor(tc.count, tc.threshold); got != tc.want {
			t.Errorf("MilestoneFor(%d, %d) = %d, want %d", tc.count, tc.threshold, got, tc.want)
		}
	}
}

func TestPetition_Validate(t *testing.T) {
	ok := func() *ballot.Petition {
		return &ballot.Petition{ContractID: 1, Title: "End the contract", Reasons: "Missed bins",
			CampaignerName: "Jo Bloggs", CampaignerEmail: "jo@example.org", CountPolicy: ballot.CountLive}
	}
	for _, tc := range []struct {
		name   string
		spoil  func(*ballot.Petition)
		fields []string
	}{
		{"OK", func(p *ballot.Petition) {}, nil},
		{"Sealed", func(p *ballot.Petition) { p.CountPolicy = ballot.CountSealed }, nil},
		{"Title150", func(p *ballot.Petition) { p.Title = strings.Repeat("é", 150) }, nil},
		{"Title151", func(p *ballot.Petition) { p.Title = strings.Repeat("é", 151) }, []string{"title"}},
		{"NoTitle", func(p *ballot.Petition) { p.Title = "\t" }, []string{"title"}},
		{"NoReasons", func(p *ballot.Petition) { p.Reasons = "" }, []string{"reasons"}},
		{"Reasons5001", func(p *ballot.Petition) { p.Reasons = strings.Repeat("x", 5001) }, []string{"reasons"}},
		{"NoName", func(p *ballot.Petition) { p.CampaignerName = "" }, []string{"name"}},
		{"NoContract", func(p *ballot.Petition) { p.ContractID = 0 }, []string{"contract"}},
		{"BadEmail", func(p *ballot.Petition) { p.CampaignerEmail = "jo" }, []string{"email"}},
		{"NoPolicy", func(p *ballot.Petition) { p.CountPolicy = "" }, []string{"count_policy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ok()
			tc.spoil(p)
			wantFields(t, p.Validate(), tc.fields...)
		})
	}
}

func TestValidateRejection(t *testing.T) {
	wantFields(t, ballot.ValidateRejection("Not about a council contract"))
	wantFields(t, ballot.ValidateRejection(strings.Repeat("é", 2000)))
	wantFields(t, ballot.ValidateRejection(" "), "reason")
	wantFields(t, ballot.ValidateRejection(strings.Repeat("é", 2001)), "reason")
	var ve *ballot.ValidationError
	if errors.As(ballot.ValidateRejection(strings.Repeat("x", 2001)), &ve) && ve.Fields["reason"] != "Reason must be 2,000 characters or fewer" {
		t.Errorf("got %q", ve.Fields["reason"])
	}
}

func TestEmailLooksValid(t *testing.T) {
	long := strings.Repeat("a", 242) + "@example.org" // 254 characters
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"jo@example.org", true},
		{"  jo@example.org  ", true},
		{"a@b.co", true},
		{long, true},
		{"a" + long, false},
		{"a@b.c", true},
		{"ab@.c", false}, // fewer than 3 characters after the @
		{"a@bc.", true},
		{"@example.org", false},
		{"jo@example", false},
		{"jo.bloggs@localhost", false},
		{"jo", false},
		{"", false},
		{"jo bloggs@example.org", false},
		{"jo@example.org>", false},
		{"<jo@example.org", false},
		{"jo,al@example.org", false},
		{"jo;al@example.org", false},
		{`"jo"@example.org`, false},
		{"jo\t@example.org", false},
	} {
		if got := ballot.EmailLooksValid(tc.s); got != tc.want {
			t.Errorf("EmailLooksValid(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
