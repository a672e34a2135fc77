package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/db/dbtest"
)

// TestStartClosings: serve's sweep mails the campaigner of a petition
// whose signing has closed as soon as it starts, and stops when its
// context ends (db's TestCampaignerMail_EachStageOnce checks "once").
func TestStartClosings(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rule := ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 50, SigningDays: 42}
	c := &ballot.Contract{Title: "Waste", Service: "Waste", Provider: "CleanCo", ValuePence: 1,
		StartsOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), BreakClauses: []time.Time{time.Date(2029, 6, 1, 0, 0, 0, 0, time.UTC)}, NoInHouseBidReason: "No in-house team", Recall: rule}
	if err := db.NewContractStore(d).CreateContract(ctx, c, "test"); err != nil {
		t.Fatal(err)
	}
	if err := db.NewCouncilData(d).ImportPostcodes(ctx, []ballot.PostcodeEntry{{Postcode: "AB1 2CD", Ward: ballot.Ward{Name: "Riverside", Code: "E05000001"}}}, "test"); err != nil {
		t.Fatal(err)
	}
	ps := db.NewPetitionStore(d)
	p := &ballot.Petition{ContractID: c.ID, Title: "End the CleanCo contract", Reasons: "Missed bins",
		CampaignerName: "Sam", CampaignerEmail: "sam@example.org", CountPolicy: ballot.CountLive}
	tokenRE := regexp.MustCompile(`token=([A-Z2-7]+)`)
	ob := db.NewOutbox(d)
	dbtest.OpenPetition(t, ps, p, rule, "http://x.test", "officer@council.test", func(addr string) string {
		ms, err := ob.RecentMail(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.To == addr {
				return tokenRE.FindStringSubmatch(m.Body)[1]
			}
		}
		t.Fatalf("no mail to %s", addr)
		return ""
	})
	d.Now = func() time.Time { return time.Now().UTC().Add(43 * 24 * time.Hour) }
	closed := func() (n int) {
		ms, err := ob.RecentMail(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.To == "sam@example.org" && m.Subject == "Signing has closed: End the CleanCo contract" {
				n++
			}
		}
		return n
	}
	sctx, stop := context.WithCancel(ctx)
	wait := startClosings(sctx, d, "http://x.test", slog.New(slog.DiscardHandler))
	for deadline := time.Now().Add(10 * time.Second); closed() == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	wait()
	if n := closed(); n != 1 {
		t.Fatalf("closing mails: %d, want 1", n)
	}
}
