package db_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// newContract returns a valid waste contract with two break clauses (given
// out of order) and three KPI rows, one of them for a second period.
func newContract(title string) *ballot.Contract {
	return &ballot.Contract{
		Title: title, Service: "Household waste collection", Provider: "CleanCo Services Ltd",
		Description: "Weekly collection of household waste and recycling.",
		ValuePence:  125000050, StartsOn: day(2024, 4, 1), EndsOn: day(2031, 3, 31),
		BreakClauses: []time.Time{day(2029, 4, 1), day(2027, 4, 1)},
		InHouseBid:   true,
		Reference:    "WAS-2024-001", Department: "Environment and Streets",
		SupplierScheme: ballot.SchemeCompaniesHouse, SupplierID: "01234567", SME: ballot.No, VCSE: ballot.No,
		Route: ballot.RouteOpen, ReviewOn: day(2028, 10, 1), SocialValueBP: 1000,
		SocialValueCommitments: "Twenty apprenticeships", FOIClause: ballot.Yes,
		AtRiskContact: ballot.Yes, RightsThreat: ballot.No, IrrecoverableVATPence: 12_00,
		KPIs: []ballot.KPI{
			{Name: "Missed bins per 100,000", Target: "≤ 50", Actual: "72", Period: "2026-Q2", Rating: ballot.RatingInadequate},
			{Name: "Recycling rate", Target: "≥ 50%", Actual: "48%", Period: "2026-Q2", Rating: ballot.RatingApproachingTarget},
			{Name: "Missed bins per 100,000", Target: "≤ 50", Period: "2026-Q3"},
		},
		Recall: ballot.RecallRule{Kind: ballot.RuleShare, ShareBasisPoints: 1000, SigningDays: 42},
	}
}

func auditActions(t *testing.T, d *db.DB) []string {
	t.Helper()
	es, err := db.NewAuditLog(d).AuditEntries(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(es) - 1; i >= 0; i-- {
		out = append(out, es[i].Action+" "+es[i].Subject)
	}
	return out
}

func TestContractStore_CreateContract(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		d := MustOpenDB(t)
		fixedClock(d, t0)
		s := db.NewContractStore(d)
		c := newContract("Waste collection")
		if err := s.CreateContract(ctx, c, officer); err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.KPIs[0].ID == 0 || !c.CreatedAt.Equal(t0) {
			t.Fatalf("ids and times not set: id %d, kpi id %d, created %v", c.ID, c.KPIs[0].ID, c.CreatedAt)
		}
		got, err := s.Contract(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *c
		want.BreakClauses = []time.Time{day(2027, 4, 1), day(2029, 4, 1)} // date order
		if !reflect.DeepEqual(got, &want) {
			t.Errorf("read back\n got %+v\nwant %+v", got, &want)
		}
		if got := auditActions(t, d); !reflect.DeepEqual(got, []string{"contract.create contract:1"}) {
			t.Errorf("audit = %v, want one contract.create", got)
		}
	})

	t.Run("ValidationSavesNothing", func(t *testing.T) {
		d := MustOpenDB(t)
		s := db.NewContractStore(d)
		c := newContract("")
		c.EndsOn = c.StartsOn
		err := s.CreateContract(ctx, c, officer)
		var ve *ballot.ValidationError
		if !errors.As(err, &ve) || ve.Fields["title"] == "" || ve.Fields["ends_on"] == "" {
			t.Fatalf("got %v, want a ValidationError on title and ends_on", err)
		}
		if list, err := s.Contracts(ctx); err != nil || len(list) != 0 {
			t.Errorf("got %d contracts, %v; want none saved", len(list), err)
		}
		if got := auditActions(t, d); len(got) != 0 {
			t.Errorf("audit = %v, want nothing", got)
		}
	})
}

func TestContractStore_UpdateContract(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	now := fixedClock(d, t0)
	s := db.NewContractStore(d)
	c := newContract("Waste collection")
	if err := s.CreateContract(ctx, c, officer); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		*now = t0.Add(time.Hour)
		c.Provider = "GreenBin Ltd"
		c.BreakClauses = []time.Time{day(2028, 1, 1)}
		c.KPIs = c.KPIs[:1]
		c.KPIs[0].Actual = "40"
		c.KPIs[0].Rating = ballot.RatingGood
		c.Recall = ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 5000, SigningDays: 30}
		if err := s.UpdateContract(ctx, c, officer); err != nil {
			t.Fatal(err)
		}
		got, err := s.Contract(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Provider != "GreenBin Ltd" || len(got.BreakClauses) != 1 || !got.BreakClauses[0].Equal(day(2028, 1, 1)) {
			t.Errorf("got provider %q breaks %v, want GreenBin Ltd and 2028-01-01 only", got.Provider, got.BreakClauses)
		}
		if len(got.KPIs) != 1 || got.KPIs[0].Actual != "40" || got.KPIs[0].Rating != ballot.RatingGood {
			t.Errorf("got KPIs %+v, want the one updated row", got.KPIs)
		}
		if got.Recall != c.Recall || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(*now) {
			t.Errorf("got recall %+v created %v updated %v", got.Recall, got.CreatedAt, got.UpdatedAt)
		}
		var rows int
		mustScan(t, d.Reader().QueryRow(`SELECT COUNT(*) FROM contract_kpis`), &rows)
		if rows != 1 {
			t.Errorf("contract_kpis rows = %d, want 1: old KPIs must be replaced", rows)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		other := newContract("Nothing")
		other.ID = 999
		if err := s.UpdateContract(ctx, other, officer); !errors.Is(err, ballot.ErrNotFound) {
			t.Errorf("got %v, want ballot.ErrNotFound", err)
		}
	})

	t.Run("ValidationChangesNothing", func(t *testing.T) {
		bad := *c
		bad.KPIs = []ballot.KPI{{Name: "No target"}}
		var ve *ballot.ValidationError
		if err := s.UpdateContract(ctx, &bad, officer); !errors.As(err, &ve) || ve.Fields["kpis"] == "" {
			t.Fatalf("got %v, want a ValidationError on kpis", err)
		}
		got, err := s.Contract(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.KPIs) != 1 || got.KPIs[0].Name != c.KPIs[0].Name {
			t.Errorf("KPIs changed by a refused update: %+v", got.KPIs)
		}
	})

	if got := auditActions(t, d); !reflect.DeepEqual(got, []string{"contract.create contract:1", "contract.update contract:1"}) {
		t.Errorf("audit = %v", got)
	}
}

func TestContractStore_Contracts(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	s := db.NewContractStore(d)
	for _, title := range []string{"waste collection", "Leisure centres", "Street lighting"} {
		if err := s.CreateContract(ctx, newContract(title), officer); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.Contracts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, c := range list {
		titles = append(titles, c.Title)
		if len(c.KPIs) != 3 || len(c.BreakClauses) != 2 {
			t.Errorf("%s: %d KPIs, %d breaks; want 3 and 2", c.Title, len(c.KPIs), len(c.BreakClauses))
		}
	}
	if want := []string{"Leisure centres", "Street lighting", "waste collection"}; !reflect.DeepEqual(titles, want) {
		t.Errorf("got %v, want %v (by title, ignoring case)", titles, want)
	}
	if _, err := s.Contract(ctx, 404); !errors.Is(err, ballot.ErrNotFound) {
		t.Errorf("Contract(404) = %v, want ballot.ErrNotFound", err)
	}
}

// TestContractStore_ContractCache shows that a contract kept in memory is
// never stale after a change and never shared with a caller who edits it.
func TestContractStore_ContractCache(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	s := db.NewContractStore(d)
	c := newContract("Waste collection")
	if err := s.CreateContract(ctx, c, "officer"); err != nil {
		t.Fatal(err)
	}
	first, err := s.Contract(ctx, c.ID) // read, and kept
	if err != nil {
		t.Fatal(err)
	}
	first.Title = "edited by a caller"
	first.KPIs[0].Name = "edited by a caller"
	again, err := s.Contract(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Title != "Waste collection" || again.KPIs[0].Name == "edited by a caller" {
		t.Fatalf("second read = %q / %q: a caller's edit leaked into the kept copy", again.Title, again.KPIs[0].Name)
	}
	again.Provider, again.KPIs = "New Provider Ltd", again.KPIs[:1]
	if err := s.UpdateContract(ctx, again, "officer"); err != nil {
		t.Fatal(err)
	}
	after, err := s.Contract(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Provider != "New Provider Ltd" || len(after.KPIs) != 1 {
		t.Fatalf("after the update: provider %q, %d KPIs; want the update", after.Provider, len(after.KPIs))
	}
	if _, err := s.Contract(ctx, c.ID+100); !errors.Is(err, ballot.ErrNotFound) {
		t.Fatalf("unknown contract: %v, want ErrNotFound", err)
	}
}

// TestContractStore_RatingOther: the Procurement Act's fifth rating,
// "other", is stored and read back (0052 widened the CHECK).
func TestContractStore_RatingOther(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	s := db.NewContractStore(d)
	c := newContract("Waste collection")
	c.KPIs = append(c.KPIs, ballot.KPI{Name: "Resident satisfaction", Target: "≥ 80%", Actual: "survey delayed", Period: "2026", Rating: ballot.RatingOther})
	if err := s.CreateContract(ctx, c, officer); err != nil {
		t.Fatal(err)
	}
	got, err := s.Contract(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if k := got.KPIs[len(got.KPIs)-1]; k.Rating != ballot.RatingOther || k.Rating.Label() != "Other" {
		t.Errorf("last KPI rated %q (%s), want other", k.Rating, k.Rating.Label())
	}
}
