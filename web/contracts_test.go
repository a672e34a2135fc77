package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

// today is midnight UTC of the test's day: contract dates are days.
func today() time.Time {
	y, m, d := time.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// wasteContract is a running contract with a past, a next and a later
// break clause, KPIs rated Inadequate, Good and not yet, and a 10% rule.
func wasteContract() *ballot.Contract {
	now := today()
	return &ballot.Contract{
		Title: "Household waste collection", Service: "Waste and recycling", Provider: "CleanCo Services Ltd",
		Description: "Weekly collection.", ValuePence: 125000050,
		StartsOn: now.AddDate(-2, 0, 0), EndsOn: now.AddDate(3, 0, 0),
		BreakClauses: []time.Time{now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0), now.AddDate(2, 0, 0)},
		InHouseBid:   false,
		KPIs: []ballot.KPI{
			{Name: "Missed bins per 100,000", Target: "≤ 50", Actual: "72", Period: "2026-Q2", Rating: ballot.RatingInadequate},
			{Name: "Recycling rate", Target: "≥ 50%", Actual: "55%", Period: "2026-Q2", Rating: ballot.RatingGood},
			{Name: "Missed bins per 100,000", Target: "≤ 50", Period: "2026-Q3"},
		},
		NoInHouseBidReason: "No in-house team", Recall: ballot.RecallRule{Kind: ballot.RuleShare, ShareBasisPoints: 1000, SigningDays: 42},
	}
}

func leisureContract() *ballot.Contract {
	now := today()
	return &ballot.Contract{
		Title: "Leisure centres", Service: "Leisure centres management", Provider: "ActiveLife Trust",
		ValuePence: 800000000, StartsOn: now.AddDate(-1, 0, 0), EndsOn: now.AddDate(4, 0, 0), InHouseBid: true,
		BreakClauses: []time.Time{now.AddDate(2, 0, 0)},
		Recall:       ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 3500, SigningDays: 56},
	}
}

func (e *testEnv) addContract(c *ballot.Contract) *ballot.Contract {
	e.t.Helper()
	if err := db.NewContractStore(e.db).CreateContract(context.Background(), c, "test"); err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *testEnv) setElectorate(count int, asOf time.Time) {
	e.t.Helper()
	if err := db.NewCouncilData(e.db).SetElectorate(context.Background(), ballot.Electorate{Count: count, AsOf: asOf}, "test"); err != nil {
		e.t.Fatal(err)
	}
}

func TestContracts_PublicPages(t *testing.T) {
	e := newEnv(t)
	c := e.addContract(wasteContract())
	e.addContract(leisureContract())

	t.Run("NoElectorateYet", func(t *testing.T) {
		_, body := e.get(e.anon, "/contracts/1")
		if !strings.Contains(body, "has not yet recorded the size of the electorate") {
			t.Error("share rule without a snapshot should say the threshold cannot be worked out")
		}
	})

	e.setElectorate(48210, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))

	t.Run("List", func(t *testing.T) {
		res, body := e.get(e.anon, "/contracts")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("got %d", res.StatusCode)
		}
		for _, want := range []string{`href="/contracts/1"`, "Household waste collection", "£1,250,000.50", "£8,000,000", "ActiveLife Trust"} {
			if !strings.Contains(body, want) {
				t.Errorf("list lacks %q", want)
			}
		}
		if strings.Index(body, "Household waste") > strings.Index(body, "Leisure centres") {
			t.Error("list is not by title")
		}
	})

	t.Run("Contract", func(t *testing.T) {
		res, body := e.get(e.anon, "/contracts/1")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("got %d", res.StatusCode)
		}
		next := c.BreakClauses[1].Format("2 January 2006")
		for _, want := range []string{"CleanCo Services Ltd", "Waste and recycling", "£1,250,000.50",
			next + ` <strong class="govuk-tag govuk-tag--blue" id="next-break">Next break clause</strong>`,
			"No in-house bid was made", `govuk-tag--red">Inadequate</strong>`, `govuk-tag--green">Good</strong>`,
			"Not rated yet", "<strong>10% of the electorate</strong>", "within 42 days",
			"<strong>4,821 signatures</strong>, counted against the electoral register of 48,210 electors on 1 September 2026",
			`href="/api/contracts/1/ocds"`, `href="/petitions/new?contract=1"`} {
			if !strings.Contains(body, want) {
				t.Errorf("contract page lacks %q", want)
			}
		}
		if n := strings.Count(body, "Next break clause"); n != 1 {
			t.Errorf("%d break clauses highlighted, want exactly the next one", n)
		}
	})

	t.Run("FixedRule", func(t *testing.T) {
		_, body := e.get(e.anon, "/contracts/2")
		for _, want := range []string{"<strong>3,500 confirmed signatures</strong>", "within 56 days", "Yes, an in-house bid was made"} {
			if !strings.Contains(body, want) {
				t.Errorf("fixed-rule page lacks %q", want)
			}
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		for _, p := range []string{"/contracts/99", "/contracts/abc", "/contracts/0"} {
			if res, _ := e.get(e.anon, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: got %d, want 404", p, res.StatusCode)
			}
		}
	})
}

var (
	isoDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	utcTimeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$`)
)

// getJSON fetches path and decodes it keeping numbers exact.
func (e *testEnv) getJSON(path string) (int, map[string]any) {
	e.t.Helper()
	res, body := e.get(e.anon, path)
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		e.t.Fatalf("GET %s: %v in %s", path, err, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		e.t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	return res.StatusCode, doc
}

func TestContracts_API(t *testing.T) {
	e := newEnv(t)
	c := e.addContract(wasteContract())
	e.addContract(leisureContract())
	e.setElectorate(48210, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))

	status, doc := e.getJSON("/api/contracts/1")
	if status != http.StatusOK {
		t.Fatalf("got %d", status)
	}
	checks := map[string]any{
		"id": json.Number("1"), "title": "Household waste collection", "provider": "CleanCo Services Ltd",
		"value_pence": json.Number("125000050"), "currency": "GBP", "status": "active", "in_house_bid": false,
		"starts_on": c.StartsOn.Format("2006-01-02"), "next_break_clause": c.BreakClauses[1].Format("2006-01-02"),
	}
	for k, want := range checks {
		if doc[k] != want {
			t.Errorf("%s = %#v, want %#v", k, doc[k], want)
		}
	}
	for _, k := range []string{"starts_on", "ends_on"} {
		if s, _ := doc[k].(string); !isoDateRE.MatchString(s) {
			t.Errorf("%s = %v, want YYYY-MM-DD", k, doc[k])
		}
	}
	for _, k := range []string{"created_at", "updated_at"} {
		if s, _ := doc[k].(string); !utcTimeRE.MatchString(s) {
			t.Errorf("%s = %v, want RFC 3339 UTC", k, doc[k])
		}
	}
	if b, _ := doc["break_clauses"].([]any); len(b) != 3 || !isoDateRE.MatchString(b[0].(string)) {
		t.Errorf("break_clauses = %v", doc["break_clauses"])
	}
	kpis, _ := doc["kpis"].([]any)
	if len(kpis) != 3 || kpis[0].(map[string]any)["rating"] != "inadequate" || kpis[2].(map[string]any)["rating"] != nil {
		t.Errorf("kpis = %v, want 3 with ratings inadequate … null", kpis)
	}
	recall, _ := doc["recall"].(map[string]any)
	wantRecall := map[string]any{"kind": "share", "share_basis_points": json.Number("1000"), "fixed_count": nil,
		"signing_days": json.Number("42"), "threshold": json.Number("4821"), "description": "10% of the electorate"}
	for k, want := range wantRecall {
		if recall[k] != want {
			t.Errorf("recall.%s = %#v, want %#v", k, recall[k], want)
		}
	}
	if el, _ := recall["electorate"].(map[string]any); el["count"] != json.Number("48210") || el["as_of"] != "2026-09-01" {
		t.Errorf("recall.electorate = %v", recall["electorate"])
	}
	if u, _ := doc["ocds_url"].(string); !strings.HasSuffix(u, "/api/contracts/1/ocds") || !strings.HasPrefix(u, "http") {
		t.Errorf("ocds_url = %q, want an absolute URL", u)
	}

	_, list := e.getJSON("/api/contracts")
	if cs, _ := list["contracts"].([]any); len(cs) != 2 {
		t.Fatalf("contracts = %v, want 2", list["contracts"])
	} else if r := cs[1].(map[string]any)["recall"].(map[string]any); r["fixed_count"] != json.Number("3500") || r["threshold"] != json.Number("3500") || r["electorate"] != nil {
		t.Errorf("fixed rule recall = %v", r)
	}

	if status, doc := e.getJSON("/api/contracts/99"); status != http.StatusNotFound || doc["error"] == nil {
		t.Errorf("unknown contract: got %d %v, want 404 with error", status, doc)
	}
}
