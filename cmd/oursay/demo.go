package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
)

const demoActor = "demo"

// loadDemo fills an empty database with a demo council and prints the
// admin's and the moderator's sign-ins. A database that already has staff
// is left alone. The demo's mail links start with base, the site's own
// address, so they work.
func loadDemo(ctx context.Context, d *db.DB, srv *web.Server, codeKey []byte, base, dbPath string, stdout io.Writer) error {
	users := db.NewUserStore(d)
	n, err := users.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(stdout, "Demo: %s already has council accounts, so no demo data was added. Their passwords were printed when it was first loaded; "+
			"to sign in again, set a new one with: oursay admin reset-password --db %s --email admin@demo.oursay.test "+
			"(or start afresh: stop the server, then make demo-reset)\n", dbPath, dbPath)
		return nil
	}
	// Each account has its own password, so a moderator's does not make
	// anyone an admin.
	staff := []*consult.User{
		{Email: "admin@demo.oursay.test", Role: consult.RoleAdmin},
		{Email: "moderator@demo.oursay.test", Role: consult.RoleModerator},
	}
	passwords := make([]string, len(staff))
	for i, u := range staff {
		passwords[i] = rand.Text()[:16]
		u.PasswordHash = srv.HashPassword(passwords[i])
		if err := users.CreateUser(ctx, u, demoActor); err != nil {
			return err
		}
	}
	// Demo Borough Council's own settings, first, so every demo mail ends
	// with its footer; the server keeps them in memory, so it reads them again.
	if err := db.NewSettingsStore(d).SaveSettings(ctx, consult.DefaultSettings(), demoActor); err != nil {
		return fmt.Errorf("council settings: %w", err)
	}
	if err := srv.ReloadSettings(ctx); err != nil {
		return fmt.Errorf("council settings: %w", err)
	}
	contracts, err := loadDemoContracts(ctx, d)
	if err != nil {
		return fmt.Errorf("contracts: %w", err)
	}
	electorate, err := db.NewCouncilData(d).Electorate(ctx)
	if err != nil {
		return fmt.Errorf("electorate: %w", err)
	}
	if err := loadDemoPetitions(ctx, d, base, contracts, electorate); err != nil {
		return fmt.Errorf("petitions: %w", err)
	}
	if err := loadDemoBallot(ctx, d, codeKey, dbPath, stdout); err != nil {
		return fmt.Errorf("ballot: %w", err)
	}
	store := db.NewConsultStore(d)
	store.BaseURL = base
	if err := loadDemoAnsweredBallot(ctx, d, codeKey, contracts[0]); err != nil {
		return fmt.Errorf("answered ballot: %w", err)
	}
	if err := loadDemoReview(ctx, d, contracts[0]); err != nil {
		return fmt.Errorf("contract review: %w", err)
	}
	for _, dc := range demoConsultations(contracts[0].ID, contracts[3].ID) {
		if err := dc.load(ctx, store); err != nil {
			return fmt.Errorf("%s: %w", dc.c.Slug, err)
		}
	}
	fmt.Fprintln(stdout, "Demo council loaded. Sign in at /admin/signin:")
	for i, u := range staff {
		fmt.Fprintf(stdout, "  as %s with password %s\n", u.Email, passwords[i])
	}
	return nil
}

// demoPostcodes are some of the demo council's postcodes (testdata/postcodes.csv).
var demoPostcodes = []string{"AB1 2CD", "AB1 3EF", "AB2 4GH"}

// demoConsultation is one consultation and how far along its life to take it.
type demoConsultation struct {
	c         *consult.Consultation
	questions []*consult.Question
	responses int
	lean      demoLean
	close     bool
	outcome   *consult.Outcome
	decision  *consult.Decision
}

func (dc demoConsultation) load(ctx context.Context, s consult.Store) error {
	if err := s.CreateConsultation(ctx, dc.c, demoActor); err != nil {
		return err
	}
	for _, q := range dc.questions {
		if err := s.AddQuestion(ctx, dc.c.Slug, q, demoActor); err != nil {
			return err
		}
	}
	if err := s.Open(ctx, dc.c.Slug, demoActor); err != nil {
		return err
	}
	for i := 0; i < dc.responses; i++ {
		if err := s.AddResponse(ctx, dc.c.Slug, demoResponse(dc.questions, i, dc.responses, dc.lean)); err != nil {
			return err
		}
	}
	if !dc.close {
		return nil
	}
	if err := s.Close(ctx, dc.c.Slug, demoActor); err != nil {
		return err
	}
	if err := s.PublishOutcome(ctx, dc.c.Slug, *dc.outcome, demoActor); err != nil {
		return err
	}
	return s.RecordDecision(ctx, dc.c.Slug, *dc.decision, demoActor)
}

// demoLean is the share of a demo consultation's n responses, in percent,
// that pick the first option of the single-choice question ("The council,
// in house") and the last of the multiple-choice one ("Accountability"),
// so a published outcome can say what the results show. Zero: no lean.
type demoLean struct{ first, last int }

// demoResponse is response i of n: it answers every question, varying by i
// so tallies look real, and the first lean.first% and lean.last% of the
// responses pick the options lean names.
func demoResponse(qs []*consult.Question, i, n int, lean demoLean) *consult.Response {
	r := &consult.Response{Channel: consult.ChannelOnline, Answers: map[int64]consult.Answer{}}
	for _, q := range qs {
		switch q.Kind {
		case consult.KindSingle:
			o := (i * 7 / 3) % len(q.Options)
			if lean.first > 0 {
				o = 1 + i%(len(q.Options)-1) // the rest share what the lean leaves
				if i*100 < lean.first*n {
					o = 0
				}
			}
			r.Answers[q.ID] = consult.Answer{OptionIDs: []int64{q.Options[o].ID}}
		case consult.KindMultiple:
			o := i % len(q.Options)
			if lean.last > 0 {
				o = i % (len(q.Options) - 1)
				if i*100 < lean.last*n {
					o = len(q.Options) - 1
				}
			}
			r.Answers[q.ID] = consult.Answer{OptionIDs: []int64{q.Options[o].ID}}
		case consult.KindScale:
			r.Answers[q.ID] = consult.Answer{Scale: 1 + (i*i)%5}
		case consult.KindText:
			r.Answers[q.ID] = consult.Answer{Text: demoComments[i%len(demoComments)]}
		}
	}
	return r
}

var demoComments = []string{
	"Keep it in house: the staff know the parks.",
	"Please publish the contract and its performance figures.",
	"Opening hours on Sunday matter most to working families.",
}

func demoQuestions(topic string) []*consult.Question {
	return []*consult.Question{
		{Kind: consult.KindSingle, Prompt: "Who should run " + topic + "?", Required: true,
			Options: []consult.Option{{Label: "The council, in house"}, {Label: "An outside provider"}, {Label: "No preference"}}},
		{Kind: consult.KindMultiple, Prompt: "What matters most to you?", Hint: "Select all that apply.",
			Options: []consult.Option{{Label: "Cost"}, {Label: "Quality"}, {Label: "Local jobs"}, {Label: "Accountability"}}},
		{Kind: consult.KindScale, Prompt: "The service works well today.", Required: true},
		{Kind: consult.KindText, Prompt: "Anything else you want to tell us?"},
	}
}

// demoConsultations are the demo's three consultations; the closed one,
// about the waste contract that went out, links to it (waste).
func demoConsultations(waste, homeCare int64) []demoConsultation {
	week := 7 * 24 * time.Hour
	now := time.Now().UTC()
	return []demoConsultation{
		{c: &consult.Consultation{Slug: "parks-maintenance", Title: "Future of parks maintenance",
			Summary:  "The parks maintenance contract ends next year. Should the council bring it back in house or tender it again?",
			Audience: consult.AudienceAnyone, ClosesAt: now.Add(4 * week),
			Record: consult.Record{Service: "Parks and green spaces maintenance", Proposal: consult.ProposalOutsource,
				PublicInterestCase: "A new provider could extend summer opening of toilets and cafés at lower cost.",
				InHouseBid:         "The parks team has bid to run the service with 12 staff, including apprentices.",
				SocialValueWeight:  20}},
			questions: demoQuestions("parks maintenance"), responses: 12},
		{c: &consult.Consultation{Slug: "library-opening-hours", Title: "Library opening hours",
			Summary:  "We propose to change library opening hours. Results are shown as they come in.",
			Audience: consult.AudienceAnyone, LiveResults: true, ClosesAt: now.Add(2 * week),
			Record: consult.Record{Service: "Libraries", Proposal: consult.ProposalChangeService,
				InHouseBid: "Libraries stay in house; this is about hours only.", SocialValueWeight: 30}},
			questions: demoQuestions("the libraries"), responses: 25},
		{c: &consult.Consultation{Slug: "waste-collection", Title: "Waste collection contract",
			Summary:  "The waste collection contract was up for renewal. This consultation has closed.",
			Audience: consult.AudienceAnyone, ContractID: waste,
			Record: consult.Record{Service: "Household waste collection", Proposal: consult.ProposalOutsource,
				PublicInterestCase: "Savings of £1.2m a year were claimed for outsourcing.",
				NoInHouseReason:    "The depot was sold in 2015, so no in-house bid could be prepared in time.",
				SocialValueWeight:  15, AtRisk: consult.AtRiskTest{Contact: true},
				Exemption: consult.ExemptionClaim{Kind: consult.ExemptionGoodReason,
					Reason: "Assisted collections stay with the council's own team."}}},
			// 26 of 40 (65%) in house and 24 of 40 (60%) accountability, as YouSaid says.
			questions: demoQuestions("waste collection"), responses: 40, lean: demoLean{first: 65, last: 60}, close: true,
			outcome: &consult.Outcome{WeAsked: "Whether waste collection should be outsourced again.",
				YouSaid: "Most of you (65%) wanted the service back in house, and 60% put accountability first.",
				WeDid:   "We will build an in-house bid for the next contract, and publish monthly missed-bin figures."},
			decision: &consult.Decision{Proposal: consult.ProposalInHouse,
				Summary:           "The service returns in house when the contract ends.",
				InHouseComparison: "The in-house plan costs 3% more but scores higher on social value and accountability."}},
		// Held before the home care contract was let: its page links here.
		{c: &consult.Consultation{Slug: "home-care", Title: "Who should provide home care",
			Summary:  "The home care contract was re-let this year. This consultation asked who should provide it, and has closed.",
			Audience: consult.AudienceAnyone, ContractID: homeCare,
			Record: consult.Record{Service: "Home care for older people", Proposal: consult.ProposalOutsource,
				PublicInterestCase: "A community interest company could recruit and keep carers the council has struggled to.",
				InHouseBid:         "The council's reablement team bid to run the service.",
				SocialValueWeight:  20, AtRisk: consult.AtRiskTest{Contact: true, Rights: true},
				Exemption: consult.ExemptionClaim{Kind: consult.ExemptionGoodReason,
					Reason: "The provider is a not-for-profit community interest company bound by an asset lock."}}},
			questions: demoQuestions("home care"), responses: 20, close: true,
			outcome: &consult.Outcome{WeAsked: "Who should provide home care for older people from next year.",
				YouSaid: "You told us continuity of carers matters most, and many of you were open to a not-for-profit provider.",
				WeDid:   "We compared the in-house bid with a community interest company and let the contract with carer continuity as a KPI."},
			decision: &consult.Decision{Proposal: consult.ProposalOutsource,
				Summary:           "Home care is let to CareWell Community Interest Company for five years, with a break after two.",
				InHouseComparison: "The in-house bid cost 11% more and could not staff evening visits; CareWell scored higher on continuity."}},
	}
}
