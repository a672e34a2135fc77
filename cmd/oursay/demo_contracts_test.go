package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

// TestDemoData_MatchesTestdata keeps the embedded copies equal to the
// sample files in testdata/, which go:embed cannot reach.
func TestDemoData_MatchesTestdata(t *testing.T) {
	for name, embedded := range map[string][]byte{"postcodes.csv": demoPostcodesCSV, "electorate.csv": demoElectorateCSV} {
		want, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(embedded, want) {
			t.Errorf("cmd/oursay/demodata/%s differs from testdata/%s: copy it again", name, name)
		}
	}
}

func TestLoadDemoContracts(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	got, err := loadDemoContracts(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0].ID == 0 || got[0].Provider != "CleanCo Services Ltd" {
		t.Fatalf("got %d contracts, first %+v", len(got), got[0])
	}
	council := db.NewCouncilData(d)
	e, err := council.Electorate(ctx)
	if err != nil || e.Count != 48210 {
		t.Fatalf("electorate %+v, %v; want 48210", e, err)
	}
	if n, _ := council.PostcodeCount(ctx); n != 20 {
		t.Errorf("%d postcodes, want 20", n)
	}
	for _, pc := range []string{"AB1 2CD", "AB1 3EF"} {
		if w, err := council.LookupPostcode(ctx, pc); err != nil || w != (ballot.Ward{Code: "E05000001", Name: "Riverside"}) {
			t.Errorf("%s: %+v, %v; want Riverside", pc, w, err)
		}
	}
	if w, _ := council.LookupPostcode(ctx, "AB2 4GH"); w.Name != "Hillcrest" {
		t.Errorf("AB2 4GH in %q, want Hillcrest", w.Name)
	}
	waste, leisure := got[0], got[1]
	if waste.Recall.Kind != ballot.RuleShare || waste.Recall.Threshold(e) != 4821 || waste.Recall.SigningDays != 42 {
		t.Errorf("waste recall %+v gives %d, want 10%% of 48,210 = 4,821 over 42 days", waste.Recall, waste.Recall.Threshold(e))
	}
	if leisure.Recall.Kind != ballot.RuleFixed || leisure.Recall.FixedCount < 1 {
		t.Errorf("leisure recall %+v, want a fixed count", leisure.Recall)
	}
	inadequate := false
	for _, k := range waste.KPIs {
		inadequate = inadequate || k.Rating == ballot.RatingInadequate
	}
	if len(waste.KPIs) != 3 || !inadequate {
		t.Errorf("waste KPIs %+v, want 3 with one Inadequate", waste.KPIs)
	}
	if next := waste.NextBreak(time.Now()); next.IsZero() {
		t.Error("the waste contract has no break clause ahead")
	}
	if why := got[2].PetitionRefusal(time.Now()); !strings.Contains(why, "no break clause") {
		t.Errorf("street lighting petition refusal %q, want no break clause", why)
	}
	for _, c := range got {
		if c.Reference == "" || c.SupplierID == "" || c.Route == "" {
			t.Errorf("%s: register fields missing", c.Title)
		}
	}
}
