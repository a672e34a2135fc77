package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oursay/oursay/db"
)

// registerForm is contractForm with every register field filled in.
func registerForm() url.Values {
	f := contractForm()
	for k, v := range map[string]string{
		"reference": "WAS-2024-001", "department": "Environment and Streets", "supplier_scheme": "GB-COH",
		"supplier_id": "sc 123456", "sme": "no", "vcse": "yes", "route": "competitive_flexible", "review_on": "2028-10-01",
		"irrecoverable_vat": "12,500", "social_value_weighting": "10", "social_value_commitments": "Twenty local apprenticeships",
		"foi_clause": "yes", "at_risk": "yes", "rights_threat": "no", "in_house_bid": "no",
		"no_in_house_reason": "The in-house team was disbanded in 2019", "value": "6,000,000",
	} {
		f.Set(k, v)
	}
	return f
}

// TestContractRegister_FormPageAndJSON: every register field the admin
// form takes is saved, shown on the public page and given in JSON; the
// edit form reads back what it wrote; a contract over £5m with fewer than
// 3 different KPIs is flagged.
func TestContractRegister_FormPageAndJSON(t *testing.T) {
	e := newEnv(t)
	if res := e.post(e.admin, "/admin/contracts/new", registerForm()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: got %d", res.StatusCode)
	}
	_, page := e.get(e.anon, "/contracts/1")
	for _, want := range []string{"WAS-2024-001", "Environment and Streets", "Companies House SC123456", "Competitive flexible procedure",
		"1 October 2028", "£12,500", "Weighted 10% in the award", "Twenty local apprenticeships",
		"subjects the provider to the Freedom of Information Act", "No in-house bid was made: The in-house team was disbanded in 2019",
		`Significant contact with at-risk groups</dt><dd class="govuk-summary-list__value">Yes`,
		`threaten people's rights</dt><dd class="govuk-summary-list__value">No`,
		`<dt class="govuk-summary-list__key">VCSE</dt><dd class="govuk-summary-list__value">Yes`} {
		if !strings.Contains(page, want) {
			t.Errorf("contract page lacks %q", want)
		}
	}
	// Three KPI lines but two different KPIs would be flagged; these are three.
	if strings.Contains(page, `id="too-few-kpis"`) {
		t.Errorf("flagged with 3 KPIs")
	}
	_, js := e.get(e.anon, "/api/contracts/1")
	c := compactJSON(t, js)
	for _, want := range []string{`"reference":"WAS-2024-001"`, `"supplier_scheme":"GB-COH","supplier_id":"SC123456","sme":false,"vcse":true`,
		`"procurement_route":"competitive_flexible","review_on":"2028-10-01","social_value_weighting_basis_points":1000`,
		`"foi_clause":true,"at_risk_contact":true,"rights_threat":false,"irrecoverable_vat_pence":1250000,"kpi_count":3,"too_few_kpis":false`,
		`"no_in_house_bid_reason":"The in-house team was disbanded in 2019"`} {
		if !strings.Contains(c, want) {
			t.Errorf("contract JSON lacks %s", want)
		}
	}
	_, edit := e.get(e.admin, "/admin/contracts/1/edit")
	for _, want := range []string{`value="SC123456"`, `name="review_on-year" type="text" inputmode="numeric" autocomplete="off" value="2028"`, `value="12500"`, `value="10"`, "The in-house team was disbanded in 2019</textarea>",
		`<option value="competitive_flexible" selected>`} {
		if !strings.Contains(edit, want) {
			t.Errorf("edit form lacks %s", want)
		}
	}

	f := registerForm()
	f.Set("kpis", "Missed bins | ≤ 50 | 72 | 2026-Q2\r\nMissed bins | ≤ 50 | 60 | 2026-Q3 | other\r\nRecycling | ≥ 50%")
	if res := e.post(e.admin, "/admin/contracts/1/edit", f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: got %d", res.StatusCode)
	}
	_, page = e.get(e.anon, "/contracts/1")
	if !strings.Contains(page, `id="too-few-kpis"`) || !strings.Contains(page, "has only 2 key performance indicators") {
		t.Errorf("£6m contract with 2 KPIs not flagged")
	}
	if !strings.Contains(page, `">Other</strong>`) {
		t.Errorf("the Procurement Act's rating Other is not shown")
	}
	if _, js := e.get(e.anon, "/api/contracts/1"); !strings.Contains(compactJSON(t, js), `"kpi_count":2,"too_few_kpis":true`) {
		t.Errorf("JSON does not flag 2 KPIs")
	}
}

// TestContractRegister_Contradictions: each contradiction is refused with
// a message on its field, and nothing is saved.
func TestContractRegister_Contradictions(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		set         map[string]string
		field, says string
	}{
		{map[string]string{"review_on": "2031-04-01"}, "review_on", "The review date must be on or before the end date, 31 March 2031"},
		{map[string]string{"review_on": "2024-03-31"}, "review_on", "on or after the start date"},
		{map[string]string{"review_on": "next year"}, "review_on", "Review date must be a real date"},
		{map[string]string{"no_in_house_reason": ""}, "no_in_house_reason", "Give the reason there was no in-house bid"},
		{map[string]string{"in_house_bid": "yes"}, "no_in_house_reason", "Leave the reason empty: an in-house bid was made"},
		{map[string]string{"supplier_id": "123"}, "supplier_id", "Enter the Companies House number as 8 characters"},
		{map[string]string{"supplier_scheme": ""}, "supplier_scheme", "Choose where the supplier is registered"},
		{map[string]string{"social_value_commitments": ""}, "social_value_commitments", "Enter the provider&#39;s social value commitments"},
		{map[string]string{"social_value_weighting": "ten"}, "social_value_weighting", "Enter the social value weighting as a percentage"},
		{map[string]string{"irrecoverable_vat": "lots"}, "irrecoverable_vat", "Enter the irrecoverable VAT in pounds"},
		{map[string]string{"route": "auction"}, "route", "Choose the procurement route from the list"},
		{map[string]string{"at_risk": "maybe"}, "at_risk", "Choose yes or no"},
	}
	for _, tc := range cases {
		f := registerForm()
		for k, v := range tc.set {
			f.Set(k, v)
		}
		res, body := e.postBody(e.admin, "/admin/contracts/new", f)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.says) || !strings.Contains(body, `id="`+tc.field+`-error"`) {
			t.Errorf("%v: got %d without %q on %s", tc.set, res.StatusCode, tc.says, tc.field)
		}
		if !strings.Contains(body, "govuk-error-summary") {
			t.Errorf("%v: no error summary", tc.set)
		}
	}
	if list, err := db.NewContractStore(e.db).Contracts(context.Background()); err != nil || len(list) != 0 {
		t.Errorf("refused forms saved %d contracts (%v)", len(list), err)
	}
}
