package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
)

// The demo council's postcode list and electorate: copies of the files in
// testdata/ (a test keeps them equal), read by the same parser as an upload.
var (
	//go:embed demodata/postcodes.csv
	demoPostcodesCSV []byte
	//go:embed demodata/electorate.csv
	demoElectorateCSV []byte
)

// loadDemoContracts imports the demo postcode list and electorate figure,
// then adds four contracts: household waste collection (recall at 10% of
// the electorate, one KPI rated Inadequate), leisure centres (recall at a
// fixed count), street lighting (no break clause, so no petition) and home
// care (let after a consultation, starting soon). It returns them in that
// order.
func loadDemoContracts(ctx context.Context, d *db.DB) ([]*ballot.Contract, error) {
	council := db.NewCouncilData(d)
	entries, err := web.ParsePostcodeCSV(bytes.NewReader(demoPostcodesCSV))
	if err != nil {
		return nil, fmt.Errorf("demo postcodes: %w", err)
	}
	if err := council.ImportPostcodes(ctx, entries, demoActor); err != nil {
		return nil, err
	}
	e, err := web.ParseElectorateCSV(bytes.NewReader(demoElectorateCSV))
	if err != nil {
		return nil, fmt.Errorf("demo electorate: %w", err)
	}
	if today := demoDay(0, 0, 0); e.AsOf.After(today) {
		e.AsOf = today // a clock behind the sample's date must not fail the demo
	}
	if err := council.SetElectorate(ctx, e, demoActor); err != nil {
		return nil, err
	}
	store := db.NewContractStore(d)
	contracts := demoContracts()
	for _, c := range contracts {
		if err := store.CreateContract(ctx, c, demoActor); err != nil {
			return nil, fmt.Errorf("%s: %w", c.Title, err)
		}
	}
	return contracts, nil
}

// demoDay is today (midnight UTC) moved by years, months and days, so the
// demo's break clauses stay ahead of whoever runs it.
func demoDay(years, months, days int) time.Time {
	y, m, dd := time.Now().UTC().Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).AddDate(years, months, days)
}

func demoContracts() []*ballot.Contract {
	return []*ballot.Contract{
		{
			Title: "Household waste and recycling collection", Service: "Household waste collection",
			Provider: "CleanCo Services Ltd",
			Description: "Weekly collection of household waste, fortnightly recycling and garden waste, " +
				"and assisted collections for residents who need them.",
			ValuePence: 18_450_000_00, StartsOn: demoDay(-3, 0, 0), EndsOn: demoDay(4, 0, -1),
			BreakClauses:       []time.Time{demoDay(-1, 0, 0), demoDay(0, 5, 0), demoDay(2, 0, 0)},
			InHouseBid:         false,
			NoInHouseBidReason: "The council's own waste team was transferred to the provider in 2016 and no longer exists to bid.",
			Reference:          "ENV-2023-014", Department: "Environment and Streets",
			SupplierScheme: ballot.SchemeCompaniesHouse, SupplierID: "04567891", SME: ballot.No, VCSE: ballot.No,
			Route: ballot.RouteRestricted, ReviewOn: demoDay(2, 6, 0), SocialValueBP: 1000,
			SocialValueCommitments: "Twelve apprenticeships a year and the London Living Wage for every collection crew.",
			FOIClause:              ballot.Yes, AtRiskContact: ballot.Yes, RightsThreat: ballot.No,
			KPIs: []ballot.KPI{
				{Name: "Missed bins per 100,000 collections", Target: "≤ 50", Actual: "72", Period: "2026-Q2", Rating: ballot.RatingInadequate},
				{Name: "Household waste recycled or composted", Target: "≥ 50%", Actual: "47%", Period: "2026-Q2", Rating: ballot.RatingApproachingTarget},
				{Name: "Assisted collections made on the scheduled day", Target: "≥ 99%", Actual: "99.4%", Period: "2026-Q2", Rating: ballot.RatingGood},
			},
			Recall: ballot.RecallRule{Kind: ballot.RuleShare, ShareBasisPoints: 1000, SigningDays: ballot.DefaultSigningDays},
		},
		{
			Title: "Leisure centres management", Service: "Leisure centres",
			Provider: "ActiveLife Leisure Trust",
			Description: "Management of the council's three leisure centres and the outdoor pool, " +
				"including concessionary prices for residents on low incomes.",
			ValuePence: 6_200_000_00, StartsOn: demoDay(-2, 0, 0), EndsOn: demoDay(3, 0, -1),
			BreakClauses: []time.Time{demoDay(1, 0, 0)},
			InHouseBid:   true,
			Reference:    "CUL-2024-003", Department: "Culture and Leisure",
			SupplierScheme: ballot.SchemeMutuals, SupplierID: "31234R", SME: ballot.Yes, VCSE: ballot.Yes,
			Route: ballot.RouteCompetitiveDialogue, SocialValueBP: 1500,
			SocialValueCommitments: "Free swimming for under-16s in the holidays and a disability access officer at each centre.",
			FOIClause:              ballot.No, AtRiskContact: ballot.No, RightsThreat: ballot.No,
			KPIs: []ballot.KPI{
				{Name: "Visits per year", Target: "≥ 900,000", Actual: "812,000", Period: "2025", Rating: ballot.RatingRequiresImprovement},
				{Name: "Hours open each week, average across centres", Target: "≥ 98", Actual: "98", Period: "2025", Rating: ballot.RatingGood},
			},
			Recall: ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 250, SigningDays: 56},
		},
		// No break clause: a recall petition is refused, and its page says why.
		{
			Title: "Street lighting maintenance", Service: "Street lighting",
			Provider:    "BrightWay Highways Ltd",
			Description: "Repair and replacement of the borough's 14,000 street lights, with a 24-hour fault line.",
			ValuePence:  3_100_000_00, StartsOn: demoDay(-1, 0, 0), EndsOn: demoDay(6, 0, -1),
			NoInHouseBidReason: "The council's lighting engineers retired and were not replaced; no in-house bid could be staffed.",
			Reference:          "HWY-2025-007", Department: "Highways",
			SupplierScheme: ballot.SchemeCompaniesHouse, SupplierID: "SC345678", SME: ballot.Yes, VCSE: ballot.No,
			Route: ballot.RouteOpen, ReviewOn: demoDay(3, 0, 0), FOIClause: ballot.No,
			AtRiskContact: ballot.No, RightsThreat: ballot.No,
			KPIs: []ballot.KPI{
				{Name: "Faults fixed within 5 working days", Target: "≥ 95%", Actual: "91%", Period: "2026-Q2", Rating: ballot.RatingApproachingTarget},
			},
			Recall: ballot.RecallRule{Kind: ballot.RuleShare, ShareBasisPoints: 1000, SigningDays: ballot.DefaultSigningDays},
		},
		// Let after a public consultation (the home-care consultation links
		// to it); it starts in two months.
		{
			Title: "Home care for older people", Service: "Home care",
			Provider:    "CareWell Community Interest Company",
			Description: "Visits at home for older people who need help with washing, dressing, meals and medicines.",
			ValuePence:  9_800_000_00, StartsOn: demoDay(0, 2, 0), EndsOn: demoDay(5, 2, -1),
			BreakClauses: []time.Time{demoDay(2, 2, 0)}, InHouseBid: true,
			Reference: "ASC-2026-021", Department: "Adult Social Care",
			SupplierScheme: ballot.SchemeCompaniesHouse, SupplierID: "09876543", SME: ballot.Yes, VCSE: ballot.Yes,
			Route: ballot.RouteCompetitiveFlexible, ReviewOn: demoDay(1, 2, 0), SocialValueBP: 2000,
			SocialValueCommitments: "Carers paid the Real Living Wage for travel time, and a local recruitment academy.",
			FOIClause:              ballot.Yes, AtRiskContact: ballot.Yes, RightsThreat: ballot.Yes,
			KPIs: []ballot.KPI{
				{Name: "Visits made within 15 minutes of the planned time", Target: "≥ 95%"},
				{Name: "People who know their carer by name", Target: "≥ 90%"},
				{Name: "Safeguarding referrals acknowledged the same day", Target: "100%"},
			},
			Recall: ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 500, SigningDays: 56},
		},
	}
}

// loadDemoReview opens the review at the waste contract's next break
// clause, five months away, and saves it as a draft in progress: the
// at-risk test is met (assisted collections reach disabled and older
// residents) and no exemption is claimed, so the only route allowed is in
// house, which the draft proposes.
func loadDemoReview(ctx context.Context, d *db.DB, waste *ballot.Contract) error {
	now := time.Now()
	r := &ballot.ContractReview{ContractID: waste.ID, Point: ballot.EndPoint{Kind: ballot.PointBreak, On: waste.NextBreak(now)}}
	store := db.NewReviewStore(d)
	if err := store.OpenReview(ctx, r, demoActor); err != nil {
		return err
	}
	r.AtRisk = consult.AtRiskTest{Contact: true}
	r.PublicInterestCase = "Missed bins have been rated Inadequate for a year, and assisted collections for 2,300 disabled and " +
		"older residents are a lifeline that the council should run itself."
	r.InHouse = ballot.Appraisal{CostPence: 17_900_000_00,
		Quality:   "A council team could restore the missed-bin target within a year, with the assisted collections run by the same crews.",
		Workforce: "About 140 collection staff would transfer to the council under TUPE; two depot managers would be recruited.",
		Risk:      "Buying or leasing 38 vehicles before the break date; mitigated by taking over the provider's lease."}
	r.Route = ballot.RouteInHouse
	return store.SaveReview(ctx, r, demoActor)
}
