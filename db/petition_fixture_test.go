package db_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/db/dbtest"
)

const testBase = "https://say.example"

// petitionEnv is a database with a contract, a postcode list and a store.
type petitionEnv struct {
	t        testing.TB
	d        *db.DB
	ps       *db.PetitionStore
	contract *ballot.Contract
}

func newPetitionEnv(tb testing.TB, threshold int) *petitionEnv {
	tb.Helper()
	ctx := context.Background()
	d := MustOpenDB(tb)
	c := &ballot.Contract{Title: "Waste collection", Service: "Waste collection", Provider: "CleanCo",
		ValuePence: 100_000_00, StartsOn: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC),
		EndsOn:       time.Date(2030, 3, 31, 0, 0, 0, 0, time.UTC),
		BreakClauses: []time.Time{time.Date(2029, 6, 1, 0, 0, 0, 0, time.UTC)}, NoInHouseBidReason: "No in-house team", Recall: ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: threshold, SigningDays: 42}}
	if err := db.NewContractStore(d).CreateContract(ctx, c, officer); err != nil {
		tb.Fatal(err)
	}
	if err := db.NewCouncilData(d).ImportPostcodes(ctx, []ballot.PostcodeEntry{
		{Postcode: "AB1 2CD", Ward: ballot.Ward{Name: "Riverside", Code: "E05000001"}},
		{Postcode: "AB2 4GH", Ward: ballot.Ward{Name: "Hillcrest", Code: "E05000002"}},
	}, officer); err != nil {
		tb.Fatal(err)
	}
	staff := &consult.User{Email: officer, Role: consult.RoleAdmin, PasswordHash: "x"}
	if err := db.NewUserStore(d).CreateUser(ctx, staff, "test"); err != nil {
		tb.Fatal(err)
	}
	ps := db.NewPetitionStore(d)
	ps.BaseURL = testBase
	return &petitionEnv{t: tb, d: d, ps: ps, contract: c}
}

var tokenRE = regexp.MustCompile(`(confirm|withdraw)\?token=([A-Z2-7]+)`)

// lastTokens reads the newest mail to addr and returns its confirm and
// withdraw tokens, as a person would from the email.
func (e *petitionEnv) lastTokens(addr string) (confirm, withdraw string) {
	e.t.Helper()
	var body string
	if err := e.d.Reader().QueryRow(`SELECT body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1`, addr).Scan(&body); err != nil {
		e.t.Fatalf("mail to %s: %v", addr, err)
	}
	for _, m := range tokenRE.FindAllStringSubmatch(body, -1) {
		if m[1] == "confirm" {
			confirm = m[2]
		} else {
			withdraw = m[2]
		}
	}
	return confirm, withdraw
}

func sig(name, email, postcode string) *ballot.Signature {
	return &ballot.Signature{Name: name, Email: email, Postcode: postcode, Resident: true}
}

// openPetition takes a petition through the whole lifecycle: created,
// campaigner confirmed, five sponsors signed and confirmed, published.
func (e *petitionEnv) openPetition(policy ballot.CountPolicy) *ballot.Petition {
	e.t.Helper()
	ctx := context.Background()
	p := &ballot.Petition{ContractID: e.contract.ID, Title: "End the CleanCo contract", Reasons: "Missed bins",
		CampaignerName: "Sam Campaigner", CampaignerEmail: "sam@example.org", CountPolicy: policy}
	dbtest.OpenPetition(e.t, e.ps, p, e.contract.Recall, testBase, officer, func(addr string) string {
		if addr != p.CampaignerEmail {
			tok, _ := e.lastTokens(addr)
			return tok
		}
		var body string
		if err := e.d.Reader().QueryRow(`SELECT body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1`, addr).Scan(&body); err != nil {
			e.t.Fatalf("campaigner mail: %v", err)
		}
		m := regexp.MustCompile(`token=([A-Z2-7]+)`).FindStringSubmatch(body)
		if m == nil {
			e.t.Fatalf("no campaigner token in %q", body)
		}
		return m[1]
	})
	got, err := e.ps.Petition(ctx, p.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return got
}

func (e *petitionEnv) petition(id int64) *ballot.Petition {
	e.t.Helper()
	p, err := e.ps.Petition(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// confirmedRows counts confirmed signature rows, to check the counter against.
func (e *petitionEnv) confirmedRows(id int64) int {
	e.t.Helper()
	return e.count(`SELECT COUNT(*) FROM signatures WHERE petition_id = ? AND status = 'confirmed'`, id)
}

// count runs a query that returns one number; any error fails the test.
func (e *petitionEnv) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.d.Reader().QueryRow(query, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}
