package consult_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
)

// t0 is a fixed "now"; tests place opening and closing dates around it.
var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// validRecord returns an outsourcing record that passes validation.
func validRecord() consult.Record {
	return consult.Record{
		Service:            "Parks maintenance",
		Proposal:           consult.ProposalOutsource,
		PublicInterestCase: "Lower cost with the same standard of care",
		InHouseBid:         "The parks team bid £1.2m a year",
		SocialValueWeight:  20,
	}
}

// validDraft returns a draft consultation that CanOpen accepts.
func validDraft() *consult.Consultation {
	return &consult.Consultation{
		Slug:     "parks-maintenance",
		Title:    "Parks maintenance",
		Summary:  "Who should look after our parks?",
		Record:   validRecord(),
		Audience: consult.AudienceAnyone,
		Status:   consult.StatusDraft,
		Questions: []consult.Question{
			{ID: 1, Kind: consult.KindScale, Prompt: "Parks should stay in house", Required: true},
		},
	}
}

// fields returns the field messages of a *ValidationError, nil for a nil
// error, and fails the test for any other error.
func fields(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *consult.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %T (%v), want *consult.ValidationError", err, err)
	}
	return ve.Fields
}

// wantFields checks that exactly the fields in want carry a message.
func wantFields(t *testing.T, err error, want ...string) {
	t.Helper()
	got := fields(t, err)
	if len(got) != len(want) {
		t.Fatalf("got fields %v, want %v", got, want)
	}
	for _, f := range want {
		if _, ok := got[f]; !ok {
			t.Fatalf("got fields %v, want %v", got, want)
		}
	}
}

func TestConsultation_State(t *testing.T) {
	tests := []struct {
		name             string
		status           consult.Status
		opens, closes    time.Time
		live             bool
		want             consult.Status
		accepts, results bool
	}{
		{"Draft", consult.StatusDraft, time.Time{}, time.Time{}, true, consult.StatusDraft, false, false},
		{"OpenNoDates", consult.StatusOpen, time.Time{}, time.Time{}, false, consult.StatusOpen, true, false},
		{"OpenLiveResults", consult.StatusOpen, time.Time{}, time.Time{}, true, consult.StatusOpen, true, true},
		{"OpenWithinDates", consult.StatusOpen, t0.Add(-time.Hour), t0.Add(time.Hour), false, consult.StatusOpen, true, false},
		{"ScheduledOpensAhead", consult.StatusOpen, t0.Add(time.Nanosecond), time.Time{}, true, consult.StatusScheduled, false, false},
		{"OpensExactlyNow", consult.StatusOpen, t0, time.Time{}, false, consult.StatusOpen, true, false},
		{"ClosesJustAhead", consult.StatusOpen, time.Time{}, t0.Add(time.Nanosecond), false, consult.StatusOpen, true, false},
		{"ClosesExactlyNow", consult.StatusOpen, time.Time{}, t0, false, consult.StatusClosed, false, true},
		{"OpenPastClosesAt", consult.StatusOpen, t0.Add(-2 * time.Hour), t0.Add(-time.Hour), false, consult.StatusClosed, false, true},
		{"Closed", consult.StatusClosed, time.Time{}, time.Time{}, false, consult.StatusClosed, false, true},
		{"ClosedBeforeClosesAt", consult.StatusClosed, time.Time{}, t0.Add(time.Hour), false, consult.StatusClosed, false, true},
		{"Outcome", consult.StatusOutcome, time.Time{}, time.Time{}, false, consult.StatusOutcome, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &consult.Consultation{Status: tt.status, OpensAt: tt.opens, ClosesAt: tt.closes, LiveResults: tt.live}
			if got := c.State(t0); got != tt.want {
				t.Errorf("State: got %v, want %v", got, tt.want)
			}
			if got := c.AcceptsResponses(t0); got != tt.accepts {
				t.Errorf("AcceptsResponses: got %v, want %v", got, tt.accepts)
			}
			if got := c.ResultsPublic(t0); got != tt.results {
				t.Errorf("ResultsPublic: got %v, want %v", got, tt.results)
			}
		})
	}
}

func TestConsultation_CanOpen(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		if err := validDraft().CanOpen(); err != nil {
			t.Fatalf("got %v, want nil", err)
		}
	})
	t.Run("NoQuestions", func(t *testing.T) {
		c := validDraft()
		c.Questions = nil
		wantFields(t, c.CanOpen(), "questions")
	})
	t.Run("InvalidRecord", func(t *testing.T) {
		c := validDraft()
		c.Record.Service = ""
		wantFields(t, c.CanOpen(), "service")
	})
	t.Run("InvalidFields", func(t *testing.T) {
		c := validDraft()
		c.Slug, c.Title, c.Audience = "Not A Slug", " ", "everyone"
		wantFields(t, c.CanOpen(), "slug", "title", "audience")
	})
	t.Run("ClosesBeforeOpens", func(t *testing.T) {
		c := validDraft()
		c.OpensAt, c.ClosesAt = t0, t0
		wantFields(t, c.CanOpen(), "closes_on")
	})
	for _, s := range []consult.Status{consult.StatusOpen, consult.StatusClosed, consult.StatusOutcome} {
		t.Run("ErrBadTransition/"+string(s), func(t *testing.T) {
			c := validDraft()
			c.Status = s
			if err := c.CanOpen(); !errors.Is(err, consult.ErrBadTransition) {
				t.Fatalf("got %v, want %v", err, consult.ErrBadTransition)
			}
		})
	}
}

func TestConsultation_CanClose(t *testing.T) {
	tests := []struct {
		status  consult.Status
		opensAt time.Time
		want    error
	}{
		{consult.StatusOpen, time.Time{}, nil},
		{consult.StatusOpen, t0.Add(time.Hour), nil}, // scheduled: may be called off
		{consult.StatusDraft, time.Time{}, consult.ErrBadTransition},
		{consult.StatusClosed, time.Time{}, consult.ErrBadTransition},
		{consult.StatusOutcome, time.Time{}, consult.ErrBadTransition},
	}
	for _, tt := range tests {
		c := &consult.Consultation{Status: tt.status, OpensAt: tt.opensAt}
		t.Run(string(c.State(t0)), func(t *testing.T) {
			if err := c.CanClose(); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestConsultation_CanPublishOutcome(t *testing.T) {
	full := consult.Outcome{WeAsked: "Who should run the parks", YouSaid: "Keep them in house", WeDid: "We kept them in house"}
	closed := &consult.Consultation{Status: consult.StatusClosed}

	t.Run("OK", func(t *testing.T) {
		if err := closed.CanPublishOutcome(t0, full); err != nil {
			t.Fatalf("got %v, want nil", err)
		}
	})
	t.Run("ClosedByDate", func(t *testing.T) {
		c := &consult.Consultation{Status: consult.StatusOpen, ClosesAt: t0.Add(-time.Minute)}
		if err := c.CanPublishOutcome(t0, full); err != nil {
			t.Fatalf("got %v, want nil", err)
		}
	})
	for _, c := range []*consult.Consultation{
		{Status: consult.StatusDraft},
		{Status: consult.StatusOpen},
		{Status: consult.StatusOpen, OpensAt: t0.Add(time.Hour)},
		{Status: consult.StatusOutcome},
	} {
		t.Run("ErrBadTransition/"+string(c.State(t0)), func(t *testing.T) {
			if err := c.CanPublishOutcome(t0, full); !errors.Is(err, consult.ErrBadTransition) {
				t.Fatalf("got %v, want %v", err, consult.ErrBadTransition)
			}
		})
	}
	missing := []struct {
		field string
		clear func(*consult.Outcome)
	}{
		{"we_asked", func(o *consult.Outcome) { o.WeAsked = "" }},
		{"you_said", func(o *consult.Outcome) { o.YouSaid = " \n\t" }},
		{"we_did", func(o *consult.Outcome) { o.WeDid = "" }},
	}
	for _, m := range missing {
		t.Run("Missing/"+m.field, func(t *testing.T) {
			o := full
			m.clear(&o)
			wantFields(t, closed.CanPublishOutcome(t0, o), m.field)
		})
	}
	t.Run("TooLong", func(t *testing.T) {
		o := full
		o.WeDid = strings.Repeat("é", 5001)
		wantFields(t, closed.CanPublishOutcome(t0, o), "we_did")
		o.WeDid = strings.Repeat("é", 5000)
		if err := closed.CanPublishOutcome(t0, o); err != nil {
			t.Fatalf("5,000 characters: got %v, want nil", err)
		}
	})
}

func TestConsultation_CanRecordDecision(t *testing.T) {
	outcome := &consult.Outcome{WeAsked: "a", YouSaid: "b", WeDid: "c", PublishedAt: t0}
	outsource := consult.Decision{Proposal: consult.ProposalOutsource, Summary: "Outsourced", InHouseComparison: "y"}
	// atRisk is a consultation with its outcome published and the at-risk answers given.
	atRisk := func(test consult.AtRiskTest, e consult.ExemptionClaim) *consult.Consultation {
		return &consult.Consultation{Status: consult.StatusOutcome, Outcome: outcome,
			Record: consult.Record{AtRisk: test, Exemption: e}}
	}
	decision := consult.Decision{
		Proposal:          consult.ProposalInHouse,
		Summary:           "Parks stay with the council",
		InHouseComparison: "The in-house bid was 8% cheaper over five years",
	}
	tests := []struct {
		name string
		c    *consult.Consultation
		d    consult.Decision
		err  error    // sentinel wanted, if any
		want []string // field messages wanted, if a *ValidationError
	}{
		{name: "Draft", c: &consult.Consultation{Status: consult.StatusDraft}, d: decision, err: consult.ErrDecisionGate},
		{name: "StillOpen", c: &consult.Consultation{Status: consult.StatusOpen}, d: decision, err: consult.ErrDecisionGate},
		{name: "ClosedWithoutOutcome", c: &consult.Consultation{Status: consult.StatusClosed}, d: decision, err: consult.ErrDecisionGate},
		{name: "ClosedOutcomeNotPublished", c: &consult.Consultation{Status: consult.StatusClosed, Outcome: outcome}, d: decision, err: consult.ErrDecisionGate},
		{name: "OutcomeStatusWithoutOutcome", c: &consult.Consultation{Status: consult.StatusOutcome}, d: decision, err: consult.ErrDecisionGate},
		{name: "SecondDecision", c: &consult.Consultation{Status: consult.StatusOutcome, Outcome: outcome, Decision: &decision}, d: decision, err: consult.ErrBadTransition},
		{name: "NoInHouseComparison", c: &consult.Consultation{Status: consult.StatusOutcome, Outcome: outcome},
			d: consult.Decision{Proposal: consult.ProposalOutsource, Summary: "Outsourced", InHouseComparison: "  "}, want: []string{"in_house_comparison"}},
		{name: "UnknownProposal", c: &consult.Consultation{Status: consult.StatusOutcome, Outcome: outcome},
			d: consult.Decision{Proposal: "privatise", Summary: "x", InHouseComparison: "y"}, want: []string{"decision"}},
		{name: "NoSummary", c: &consult.Consultation{Status: consult.StatusOutcome, Outcome: outcome},
			d: consult.Decision{Proposal: consult.ProposalOutsource, InHouseComparison: "y"}, want: []string{"summary"}},
		{name: "OK", c: &consult.Consultation{Status: consult.StatusOutcome, Outcome: outcome}, d: decision},
		{name: "AtRiskOutsourceNoExemption", c: atRisk(consult.AtRiskTest{Rights: true}, consult.ExemptionClaim{}),
			d: outsource, want: []string{"decision"}},
		{name: "AtRiskSellAssetNoExemption", c: atRisk(consult.AtRiskTest{Contact: true}, consult.ExemptionClaim{}),
			d: consult.Decision{Proposal: consult.ProposalSellAsset, Summary: "Sold", InHouseComparison: "y"}, want: []string{"decision"}},
		{name: "AtRiskOutsourceExemptionWithoutEvidence", c: atRisk(consult.AtRiskTest{Contact: true}, consult.ExemptionClaim{Kind: consult.ExemptionPublicPublic}),
			d: outsource, want: []string{"decision"}},
		{name: "AtRiskInHouse", c: atRisk(consult.AtRiskTest{Contact: true, Rights: true}, consult.ExemptionClaim{}), d: decision},
		{name: "AtRiskOutsourceExempt", c: atRisk(consult.AtRiskTest{Contact: true},
			consult.ExemptionClaim{Kind: consult.ExemptionPublicPublic, OtherBody: "Northshire County Council"}), d: outsource},
		{name: "NotAtRiskOutsource", c: atRisk(consult.AtRiskTest{}, consult.ExemptionClaim{}), d: outsource},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.CanRecordDecision(tt.d)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("got %v, want %v", err, tt.err)
				}
				return
			}
			wantFields(t, err, tt.want...)
		})
	}
}

func TestConsultation_Question(t *testing.T) {
	c := validDraft()
	c.Questions = append(c.Questions, consult.Question{ID: 7, Kind: consult.KindText, Prompt: "Anything else?"})
	if q := c.Question(7); q == nil || q.Prompt != "Anything else?" {
		t.Fatalf("got %v, want question 7", q)
	}
	if q := c.Question(8); q != nil {
		t.Fatalf("got %v, want nil", q)
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Parks Maintenance", "parks-maintenance"},
		{"  Parks & Open Spaces: 2025!  ", "parks-open-spaces-2025"},
		{"--Libraries--", "libraries"},
		{"Café opening hours", "caf-opening-hours"},
		{"!!!", ""},
		{strings.Repeat("ab ", 60), strings.TrimSuffix(strings.Repeat("ab-", 27), "-")},
		{"Zoo 2029 plan z9 a0", "zoo-2029-plan-z9-a0"},
		{strings.Repeat("a", 81), strings.Repeat("a", 80)},
		{"! " + strings.Repeat("a", 80), strings.Repeat("a", 80)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := consult.Slugify(tt.in)
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			if got == "" {
				return
			}
			// Whatever Slugify makes must pass the slug rule officers are held to.
			c := validDraft()
			c.Slug = got
			if err := c.Validate(); err != nil {
				t.Fatalf("Validate(%q): got %v, want nil", got, err)
			}
		})
	}
}
