package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

func TestAdminContracts_Access(t *testing.T) {
	e := newEnv(t)
	e.addContract(leisureContract())
	routes := []struct {
		method, path string
		modAllowed   bool
	}{
		{"GET", "/admin/contracts", true},
		{"GET", "/admin/contracts/new", false},
		{"POST", "/admin/contracts/new", false},
		{"GET", "/admin/contracts/1/edit", false},
		{"POST", "/admin/contracts/1/edit", false},
		{"GET", "/admin/council", false},
		{"POST", "/admin/council", false},
	}
	for _, rt := range routes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			res, _ := e.do(e.anon, rt.method, rt.path, "application/x-www-form-urlencoded", strings.NewReader(""))
			if rt.method == "GET" {
				if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/signin") {
					t.Errorf("anonymous: got %d to %q, want 303 to sign in", res.StatusCode, res.Header.Get("Location"))
				}
			} else if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous: got %d, want 401", res.StatusCode)
			}
			res, _ = e.do(e.mod, rt.method, rt.path, "application/x-www-form-urlencoded", strings.NewReader(""))
			if got, want := res.StatusCode == http.StatusForbidden, !rt.modAllowed; got != want {
				t.Errorf("moderator: got %d, want 403: %v", res.StatusCode, want)
			}
		})
	}
	for _, p := range []string{"/admin/contracts", "/admin/contracts/new", "/admin/contracts/1/edit", "/admin/council"} {
		if res, _ := e.get(e.admin, p); res.StatusCode != http.StatusOK {
			t.Errorf("admin GET %s: got %d, want 200", p, res.StatusCode)
		}
	}
	_, body := e.get(e.mod, "/admin/contracts")
	if strings.Contains(body, "/admin/contracts/new") || strings.Contains(body, "/edit") {
		t.Error("moderator's list offers admin-only links")
	}
	if list, err := db.NewContractStore(e.db).Contracts(context.Background()); err != nil || len(list) != 1 || list[0].Title != "Leisure centres" {
		t.Errorf("refused writes changed the register: %d contracts", len(list))
	}
	_, body = e.get(e.admin, "/admin/")
	for _, link := range []string{`href="/admin/contracts"`, `href="/admin/council"`} {
		if !strings.Contains(body, link) {
			t.Errorf("dashboard lacks %s", link)
		}
	}
}

func contractForm() url.Values {
	return url.Values{
		"title": {"Waste collection"}, "service": {"Household waste"}, "provider": {"CleanCo Services Ltd"},
		"value": {"£1,250,000.50"}, "starts_on": {"2024-04-01"}, "ends_on": {"2031-03-31"},
		"break_clauses": {"2029-04-01\r\n2027-04-01\r\n"}, "in_house_bid": {"yes"},
		"kpis": {"Missed bins per 100,000 | ≤ 50 | 72 | 2026-Q2 | Inadequate\r\n" +
			"Recycling rate | ≥ 50% | 48% | 2026-Q2 | approaching_target\r\n\r\n" +
			"Complaints answered in 10 days | 95%"},
		"recall_kind": {"share"}, "recall_share": {"7.5%"}, "recall_count": {""}, "signing_days": {"42"},
	}
}

func TestAdminContracts_CreateAndEdit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	store := db.NewContractStore(e.db)

	res := e.post(e.admin, "/admin/contracts/new", contractForm())
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/contracts" {
		t.Fatalf("create: got %d to %q, want 303", res.StatusCode, res.Header.Get("Location"))
	}
	c, err := store.Contract(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	if c.ValuePence != 125000050 || !c.StartsOn.Equal(day("2024-04-01")) || !c.InHouseBid ||
		len(c.BreakClauses) != 2 || !c.BreakClauses[0].Equal(day("2027-04-01")) {
		t.Errorf("saved %+v", c)
	}
	if len(c.KPIs) != 3 || c.KPIs[0].Rating != ballot.RatingInadequate || c.KPIs[1].Rating != ballot.RatingApproachingTarget ||
		c.KPIs[2] != (ballot.KPI{ID: c.KPIs[2].ID, Name: "Complaints answered in 10 days", Target: "95%"}) {
		t.Errorf("KPIs %+v", c.KPIs)
	}
	if c.Recall != (ballot.RecallRule{Kind: ballot.RuleShare, ShareBasisPoints: 750, SigningDays: 42}) {
		t.Errorf("recall %+v, want 7.5%% for 42 days", c.Recall)
	}

	_, body := e.get(e.admin, "/admin/contracts/1/edit")
	for _, want := range []string{`value="1250000.50"`, "Missed bins per 100,000 | ≤ 50 | 72 | 2026-Q2 | Inadequate",
		"Complaints answered in 10 days | 95%</textarea>", `value="7.5"`, `name="break_1-year" type="text" inputmode="numeric" autocomplete="off" value="2027"`,
		`name="break_2-year" type="text" inputmode="numeric" autocomplete="off" value="2029"`, `name="break_6-day"`, "One KPI per line (this works without JavaScript)"} {
		if !strings.Contains(body, want) {
			t.Errorf("edit form lacks %q", want)
		}
	}

	f := contractForm()
	f.Set("provider", "GreenBin Ltd")
	f.Set("recall_kind", "fixed")
	f.Set("recall_count", "5000")
	f.Set("kpis", "Missed bins per 100,000 | ≤ 50 | 40 | 2026-Q3 | good")
	if res := e.post(e.admin, "/admin/contracts/1/edit", f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: got %d, want 303", res.StatusCode)
	}
	c, err = store.Contract(ctx, 1)
	must(t, err)
	if c.Provider != "GreenBin Ltd" || c.Recall.Kind != ballot.RuleFixed || c.Recall.FixedCount != 5000 ||
		len(c.KPIs) != 1 || c.KPIs[0].Rating != ballot.RatingGood {
		t.Errorf("after edit %+v", c)
	}
	if res := e.post(e.admin, "/admin/contracts/9/edit", f); res.StatusCode != http.StatusNotFound {
		t.Errorf("edit unknown contract: got %d, want 404", res.StatusCode)
	}
	es, err := db.NewAuditLog(e.db).AuditEntries(ctx, 10)
	must(t, err)
	var actions []string
	for _, a := range es {
		if strings.HasPrefix(a.Action, "contract.") {
			actions = append(actions, a.Actor+" "+a.Action)
		}
	}
	if strings.Join(actions, ",") != "admin@council.test contract.update,admin@council.test contract.create" {
		t.Errorf("audit %v", actions)
	}
}

// TestAdminContracts_BreakClauseInputs: break clauses typed in the form's
// date inputs, blank ones skipped, are saved in date order; a date that is
// not real is refused by its number.
func TestAdminContracts_BreakClauseInputs(t *testing.T) {
	e := newEnv(t)
	f := contractForm()
	delete(f, "break_clauses")
	f.Set("break_2-day", "1")
	f.Set("break_2-month", "4")
	f.Set("break_2-year", "2029")
	f.Set("break_5-day", "1")
	f.Set("break_5-month", "4")
	f.Set("break_5-year", "2027")
	bad := url.Values{}
	for k, v := range f {
		bad[k] = v
	}
	bad.Set("break_3-day", "31")
	bad.Set("break_3-month", "2")
	bad.Set("break_3-year", "2028")
	res, body := e.postBody(e.admin, "/admin/contracts/new", bad)
	if got := errorSummary(t, body)["break_3"]; res.StatusCode != http.StatusUnprocessableEntity || got != "Break clause 3 must be a real date" {
		t.Fatalf("31 February: %d %q", res.StatusCode, got)
	}
	if res := e.post(e.admin, "/admin/contracts/new", f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	c, err := db.NewContractStore(e.db).Contract(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.BreakClauses) != 2 || c.BreakClauses[0].Format(time.DateOnly) != "2027-04-01" || c.BreakClauses[1].Format(time.DateOnly) != "2029-04-01" {
		t.Errorf("break clauses %v, want 2027-04-01 and 2029-04-01", c.BreakClauses)
	}
}

// TestAdminContracts_Termination: an admin records a termination from the
// contract form; the contract page and JSON show it, recall petitions are
// refused, and the termination review is open on the contract's reviews.
func TestAdminContracts_Termination(t *testing.T) {
	e := newEnv(t)
	c := e.addContract(wasteContract())
	form := runningContractForm()
	last := today().AddDate(0, 2, 0)
	form.Set("terminated_on-day", strconv.Itoa(last.Day()))
	form.Set("terminated_on-month", strconv.Itoa(int(last.Month())))
	form.Set("terminated_on-year", strconv.Itoa(last.Year()))
	res, body := e.postBody(e.admin, fmt.Sprintf("/admin/contracts/%d/edit", c.ID), form)
	if got := errorSummary(t, body)["termination_reason"]; res.StatusCode != http.StatusUnprocessableEntity || got != "Enter why the contract was terminated" {
		t.Fatalf("termination with no reason: %d %q", res.StatusCode, got)
	}
	form.Set("termination_reason", "Repeatedly missed collections")
	if res := e.post(e.admin, fmt.Sprintf("/admin/contracts/%d/edit", c.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record the termination: %d", res.StatusCode)
	}
	if _, page := e.get(e.anon, fmt.Sprintf("/contracts/%d", c.ID)); !strings.Contains(page, `id="terminated"`) ||
		!strings.Contains(page, "Repeatedly missed collections") || !strings.Contains(page, "was terminated") {
		t.Error("the contract page does not show the termination and why no petition can start")
	}
	if _, js := e.get(e.anon, fmt.Sprintf("/api/contracts/%d", c.ID)); !strings.Contains(js, `"terminated_on": "`+last.Format(time.DateOnly)+`"`) {
		t.Errorf("contract JSON lacks terminated_on: %s", js)
	}
	if _, page := e.get(e.admin, fmt.Sprintf("/admin/contracts/%d/reviews", c.ID)); !strings.Contains(page, "Termination") {
		t.Error("no termination review was opened")
	}
}

// runningContractForm is the contract form for a contract running today,
// with a break clause to come.
func runningContractForm() url.Values {
	f := contractForm()
	f.Set("starts_on", today().AddDate(-2, 0, 0).Format(time.DateOnly))
	f.Set("ends_on", today().AddDate(3, 0, 0).Format(time.DateOnly))
	f.Set("break_clauses", today().AddDate(1, 0, 0).Format(time.DateOnly))
	return f
}

func TestAdminContracts_BadForm(t *testing.T) {
	e := newEnv(t)
	cases := map[string]struct {
		change     url.Values
		field, msg string
	}{
		"no title":         {url.Values{"title": {""}}, "title", "Enter the contract&#39;s title"},
		"value":            {url.Values{"value": {"12,50"}}, "value", "Enter the contract&#39;s value in pounds"},
		"negative value":   {url.Values{"value": {"-5"}}, "value", "Enter the contract&#39;s value in pounds"},
		"start date":       {url.Values{"starts_on": {"1/4/2024"}}, "starts_on", "Start date must be a real date"},
		"end before start": {url.Values{"ends_on": {"2023-01-01"}}, "ends_on", "End date must be after the start date"},
		"break outside":    {url.Values{"break_clauses": {"2035-01-01"}}, "break_clauses", "Break clause dates must fall within the contract"},
		"break not a date": {url.Values{"break_clauses": {"2027-04-01\nsoon"}}, "break_clauses", "Break clause 2: enter the date"},
		"kpi rating":       {url.Values{"kpis": {"A | 1\nB | 2 | 3 | Q1 | Excellent"}}, "kpis", "KPI line 2: the rating must be"},
		"kpi no target":    {url.Values{"kpis": {"Only a name"}}, "kpis", "KPI line 1: give at least a name and a target"},
		"share zero":       {url.Values{"recall_share": {"0"}}, "recall_share", "Enter a share of the electorate from 0.01% to 100%"},
		"share words":      {url.Values{"recall_share": {"ten"}}, "recall_share", "as a percentage"},
		"fixed no count":   {url.Values{"recall_kind": {"fixed"}, "recall_count": {""}}, "recall_count", "Enter the number of signatures needed"},
		"no rule":          {url.Values{"recall_kind": {"other"}}, "recall_kind", "Choose how the recall threshold is set"},
		"window":           {url.Values{"signing_days": {"400"}}, "signing_days", "Signing window must be from 1 to 366 days"},
		"no in-house":      {url.Values{"in_house_bid": {""}}, "in_house_bid", "Say whether an in-house bid was made"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := contractForm()
			for k, v := range tc.change {
				f[k] = v
			}
			res, body := e.postBody(e.admin, "/admin/contracts/new", f)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422", res.StatusCode)
			}
			if !strings.Contains(body, `href="#`+tc.field+`"`) || !strings.Contains(body, `id="`+tc.field+`-error"`) && tc.field != "recall_kind" {
				t.Errorf("no summary link and inline message for %s", tc.field)
			}
			if !strings.Contains(body, tc.msg) {
				t.Errorf("body lacks %q", tc.msg)
			}
			if !strings.Contains(body, `value="CleanCo Services Ltd"`) {
				t.Error("the form did not keep what was typed")
			}
		})
	}
	if list, err := db.NewContractStore(e.db).Contracts(context.Background()); err != nil || len(list) != 0 {
		t.Errorf("%d contracts saved from refused forms, want 0", len(list))
	}
}

// upload posts a file to the council page as a browser's multipart form.
func (e *testEnv) upload(c *http.Client, content []byte) (*http.Response, string) {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	must(e.t, mw.WriteField("action", "postcodes"))
	fw, err := mw.CreateFormFile("postcodes", "postcodes.csv")
	must(e.t, err)
	_, err = fw.Write(content)
	must(e.t, err)
	must(e.t, mw.Close())
	return e.do(c, http.MethodPost, "/admin/council", mw.FormDataContentType(), &buf)
}

func TestAdminCouncil(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	council := db.NewCouncilData(e.db)
	count := func(t *testing.T) int {
		t.Helper()
		n, err := council.PostcodeCount(ctx)
		must(t, err)
		return n
	}

	t.Run("BadRowOnEmptyList", func(t *testing.T) {
		res, body := e.upload(e.admin, []byte("postcode,ward,ward_code\nAB1 2CD,Riverside,E05000001\nAB1,Riverside,E05000001\n"))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Line 3: &#34;AB1&#34; is not a UK postcode") ||
			!strings.Contains(body, `href="#postcodes"`) {
			t.Fatalf("got %d, want 422 naming line 3", res.StatusCode)
		}
		if n := count(t); n != 0 {
			t.Errorf("%d postcodes saved from a bad file, want 0", n)
		}
	})

	t.Run("Import", func(t *testing.T) {
		csv, err := os.ReadFile("../testdata/postcodes.csv")
		if err != nil {
			t.Fatal(err)
		}
		res, _ := e.upload(e.admin, csv)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("got %d, want 303", res.StatusCode)
		}
		if w, err := council.LookupPostcode(ctx, "AB2 4GH"); err != nil || w.Name != "Hillcrest" {
			t.Errorf("AB2 4GH: %+v, %v", w, err)
		}
		_, body := e.get(e.admin, "/admin/council")
		if !strings.Contains(body, "Postcode list replaced: 20 postcodes in 3 wards.") || !strings.Contains(body, `id="postcode-count">20<`) {
			t.Error("no confirmation or count after import")
		}
	})

	t.Run("BadRowKeepsList", func(t *testing.T) {
		res, body := e.upload(e.admin, []byte("postcode,ward,ward_code\nZZ1 1ZZ,Elsewhere,E0500000X\n"))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Line 2:") {
			t.Fatalf("got %d, want 422 naming line 2", res.StatusCode)
		}
		if n := count(t); n != 20 {
			t.Errorf("%d postcodes after a refused file, want the 20 kept", n)
		}
	})

	t.Run("TooLarge", func(t *testing.T) {
		big := append([]byte("postcode,ward,ward_code\n"), bytes.Repeat([]byte("AB1 2CD,Riverside,E05000001\n"), 40000)...)
		if res, _ := e.upload(e.admin, big); res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("got %d, want 413", res.StatusCode)
		}
		if n := count(t); n != 20 {
			t.Errorf("%d postcodes, want 20", n)
		}
	})

	t.Run("Electorate", func(t *testing.T) {
		future := time.Now().UTC().AddDate(0, 0, 2).Format("2006-01-02")
		for _, bad := range []struct{ count, asOf, msg string }{
			{"", "2026-01-01", "Enter the number of electors"},
			{"many", "2026-01-01", "Enter the number of electors"},
			{"0", "2026-01-01", "Enter the number of electors"},
			{"48210", "01/09/2026", "Date of the register count must be a real date"},
			{"48210", future, "cannot be in the future"},
		} {
			res, body := e.postBody(e.admin, "/admin/council", url.Values{"action": {"electorate"}, "count": {bad.count}, "as_of": {bad.asOf}})
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, bad.msg) {
				t.Errorf("%+v: got %d, want 422 with %q", bad, res.StatusCode, bad.msg)
			}
		}
		if _, err := council.Electorate(ctx); err == nil {
			t.Fatal("a refused figure was saved")
		}
		res := e.post(e.admin, "/admin/council", url.Values{"action": {"electorate"}, "count": {"48,210"}, "as_of": {"2026-09-01"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("got %d, want 303", res.StatusCode)
		}
		got, err := council.Electorate(ctx)
		if err != nil || got.Count != 48210 || got.AsOf.Format("2006-01-02") != "2026-09-01" {
			t.Errorf("got %+v, %v", got, err)
		}
	})
}
