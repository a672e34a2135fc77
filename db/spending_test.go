package db_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

const spendCSV = "Body Name,Date,Transaction Number,Amount,Supplier Name\n" +
	"Demo Borough Council,05/01/2027,T1,12400.00,CleanCo Services Ltd\n" +
	"Demo Borough Council,19/01/2027,T2,-250.50,CLEANCO SERVICES LIMITED\n" +
	"Demo Borough Council,03/02/2027,T3,980.00,Unknown Supplies\n"

// TestSpendingStore: a staged file is saved once, matched to its contract
// by supplier name; importing an overlapping file adds only the new
// payment; an unmatched payment can be assigned; every step is audited.
func TestSpendingStore(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	c := newContract("Waste collection")
	if err := db.NewContractStore(d).CreateContract(ctx, c, officer); err != nil {
		t.Fatal(err)
	}
	parks := newContract("Parks")
	parks.Provider, parks.Reference, parks.SupplierScheme, parks.SupplierID = "Green Spaces CIC", "DBC-2024-002", ballot.SchemeCompaniesHouse, "07654321"
	if err := db.NewContractStore(d).CreateContract(ctx, parks, officer); err != nil {
		t.Fatal(err)
	}
	s := db.NewSpendingStore(d)
	targets, err := s.SpendTargets(ctx)
	if err != nil || len(targets) != 2 || targets[1] != (ballot.SpendTarget{ContractID: parks.ID, Reference: "DBC-2024-002", SupplierRegNo: "07654321", Supplier: "Green Spaces CIC"}) {
		t.Fatalf("spend targets %+v, %v", targets, err)
	}

	id, err := s.StageSpending(ctx, "january.csv", []byte(spendCSV), officer)
	if err != nil {
		t.Fatal(err)
	}
	if tot, _ := s.SpendTotals(ctx); tot.Payments != 0 {
		t.Fatalf("staging saved %d payments", tot.Payments)
	}
	im, err := s.SaveSpending(ctx, id, officer)
	if err != nil {
		t.Fatal(err)
	}
	if im.Lines != 3 || im.Added != 3 || im.Duplicates != 0 || im.Status != ballot.ImportSaved {
		t.Fatalf("saved import %+v", im)
	}
	if _, err := s.SaveSpending(ctx, id, officer); !errors.Is(err, ballot.ErrBadTransition) {
		t.Errorf("saving twice: %v, want ErrBadTransition", err)
	}
	spend, err := s.ContractSpend(ctx, c.ID)
	if err != nil || len(spend) != 2 || spend[0].AmountPence != 1240000 || spend[1].AmountPence != -25050 || spend[0].MatchedBy != ballot.MatchSupplier {
		t.Fatalf("contract spend %+v, %v; want the two CleanCo payments matched by supplier name", spend, err)
	}

	// February's file repeats T3 and adds T4.
	feb := "Body Name,Date,Transaction Number,Amount,Supplier Name\n" +
		"Demo Borough Council,03/02/2027,T3,980.00,Unknown Supplies\n" +
		"Demo Borough Council,10/02/2027,T4,5000,CleanCo Services Ltd\n"
	id2, _ := s.StageSpending(ctx, "february.csv", []byte(feb), officer)
	if n, err := s.SavedSpendKeys(ctx, keysOf(t, feb)); err != nil || n != 1 {
		t.Errorf("SavedSpendKeys = %d, %v; want 1 (T3)", n, err)
	}
	im2, err := s.SaveSpending(ctx, id2, officer)
	if err != nil || im2.Added != 1 || im2.Duplicates != 1 {
		t.Fatalf("overlapping import %+v, %v; want 1 added, 1 already saved", im2, err)
	}
	tot, err := s.SpendTotals(ctx)
	if err != nil || tot.Payments != 4 || tot.Unmatched != 1 || tot.TotalPence != 1240000-25050+98000+500000 {
		t.Fatalf("totals %+v, %v", tot, err)
	}

	un, n, err := s.UnmatchedSpend(ctx, 0, 50)
	if err != nil || n != 1 || len(un) != 1 || un[0].TransactionNumber != "T3" {
		t.Fatalf("unmatched %+v (%d), %v", un, n, err)
	}
	if err := s.AssignSpend(ctx, un[0].ID, 999, officer); !errors.Is(err, ballot.ErrNotFound) {
		t.Errorf("assigning to no contract: %v, want ErrNotFound", err)
	}
	if err := s.AssignSpend(ctx, un[0].ID, c.ID, officer); err != nil {
		t.Fatal(err)
	}
	if tot, _ := s.SpendTotals(ctx); tot.Unmatched != 0 {
		t.Errorf("%d unmatched after assigning", tot.Unmatched)
	}

	// A cancelled file saves nothing and cannot be saved after.
	id3, _ := s.StageSpending(ctx, "march.csv", []byte(strings.ReplaceAll(spendCSV, "T1", "T9")), officer)
	if err := s.CancelSpending(ctx, id3, officer); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveSpending(ctx, id3, officer); !errors.Is(err, ballot.ErrBadTransition) {
		t.Errorf("saving a cancelled import: %v", err)
	}
	if tot, _ := s.SpendTotals(ctx); tot.Payments != 4 {
		t.Errorf("%d payments after a cancelled import, want 4", tot.Payments)
	}
	ims, err := s.SpendImports(ctx)
	if err != nil || len(ims) != 3 || ims[0].Status != ballot.ImportCancelled {
		t.Errorf("imports %+v, %v", ims, err)
	}

	acts := auditActions(t, d)
	for _, want := range []string{"spending.import spend-import:1", "spending.import spend-import:2", "spending.assign contract:1"} {
		if !slices.Contains(acts, want) {
			t.Errorf("audit %q missing from %q", want, acts)
		}
	}
}

func keysOf(t *testing.T, csv string) []string {
	t.Helper()
	_, lines, err := ballot.ParseSpending(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, l := range lines {
		keys = append(keys, l.Key())
	}
	return keys
}
