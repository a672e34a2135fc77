package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
)

// summaryItemRE finds the links of the page's error summary.
var summaryItemRE = regexp.MustCompile(`<li><a href="#([^"]+)">([^<]*)</a></li>`)

// dateBoxRE is the suffix of a box of a date input.
var dateBoxRE = regexp.MustCompile(`-(day|month|year)$`)

// errorSummary returns the field → message pairs of the page's error summary.
func errorSummary(t *testing.T, body string) map[string]string {
	t.Helper()
	start := strings.Index(body, `govuk-error-summary__list`)
	if start < 0 {
		t.Fatal("the page has no error summary")
	}
	end := strings.Index(body[start:], `</ul>`)
	if end < 0 {
		t.Fatal("the error summary is not closed")
	}
	got := map[string]string{}
	for _, m := range summaryItemRE.FindAllStringSubmatch(body[start:start+end], -1) {
		// A date input's link goes to its first wrong box: name-day, name-month or name-year.
		field := dateBoxRE.ReplaceAllString(m[1], "")
		got[field] = html.UnescapeString(m[2])
	}
	return got
}

// TestForms_AllErrorsAtOnce posts each main form with every field blank or
// unreadable and checks that one answer names every field, in the domain's
// words (or, for what could not be read, the form's), and nothing else.
func TestForms_AllErrorsAtOnce(t *testing.T) {
	e := newPetitionEnv(t, 100)
	ctx := context.Background()
	draft := &consult.Consultation{Slug: "draft-parks", Title: "Parks", Summary: "About the parks", Audience: consult.AudienceAnyone,
		Record: consult.Record{Service: "Parks", Proposal: consult.ProposalInHouse, InHouseBid: "The parks team", SocialValueWeight: 20}}
	must(t, e.store.CreateConsultation(ctx, draft, "test"))
	open := e.openConsultation("open-parks")
	q := func(i int) string { return open.Questions[i].Field() }
	petition := itoa(e.openInStore())
	long := func(n int) string { return strings.Repeat("x", n) }
	emailFormat := "Enter an email address in the correct format, like name@example.com"

	cases := []struct {
		name   string
		client *http.Client
		path   string
		form   url.Values
		want   map[string]string
	}{
		{"ConsultationCreate", e.admin, "/admin/consultations", url.Values{
			"title": {long(201)}, "slug": {"Bad Slug!"}, "summary": {""}, "service": {""}, "proposal": {"privatise"},
			"social_value_weight": {"lots"}, "at_risk_contact": {""}, "rights_threat": {"maybe"}, "exemption": {"bogus"}, "audience": {""},
			"opens_on": {"soon"}, "closes_on-day": {""}, "closes_on-month": {"12"}, "closes_on-year": {"2026"},
		}, map[string]string{
			"title":               "Title must be 200 characters or fewer",
			"slug":                "Web address name must use only lower-case letters, numbers and single hyphens, up to 80 characters",
			"summary":             "Enter a summary",
			"service":             "Enter the service",
			"proposal":            "Choose what is proposed",
			"in_house_bid":        "Describe the in-house bid, or give the reason there is none",
			"social_value_weight": "Enter the social value weighting as a whole number, like 20",
			"at_risk_contact":     "Say whether the service involves significant contact with at-risk groups",
			"rights_threat":       "Say whether the service threatens people's rights",
			"exemption":           "Choose an exemption from the list",
			"audience":            "Choose who can respond",
			"opens_on":            "Opening date must be a real date",
			"closes_on":           "Closing date must include a day",
		}},
		{"QuestionAdd", e.admin, "/admin/consultations/draft-parks/questions", url.Values{
			"kind": {""}, "prompt": {""}, "hint": {long(1001)},
		}, map[string]string{
			"kind":   "Choose the kind of question",
			"prompt": "Enter the question",
			"hint":   "Hint must be 1,000 characters or fewer",
		}},
		{"PetitionCreate", e.anon, "/petitions", url.Values{
			"contract": {"abc"}, "title": {""}, "reasons": {long(5001)}, "name": {""}, "email": {"nope"}, "count_policy": {"secret"},
		}, map[string]string{
			"contract":     "Select the contract this petition is about",
			"title":        "Enter what the petition asks for",
			"reasons":      "Reasons must be 5,000 characters or fewer",
			"name":         "Enter your name",
			"email":        emailFormat,
			"count_policy": "Choose whether the count is shown while signing is open",
		}},
		{"Sign", e.anon, "/petitions/" + petition + "/signatures", url.Values{
			"name": {""}, "email": {""}, "postcode": {"ZZ9"},
		}, map[string]string{
			"name":     "Enter your full name",
			"email":    "Enter an email address",
			"postcode": "Enter a real UK postcode, like SW1A 1AA",
			"resident": "Confirm that you live in the council's area",
		}},
		{"Contract", e.admin, "/admin/contracts/new", url.Values{
			"title": {""}, "service": {""}, "provider": {""}, "description": {long(10001)}, "value": {""},
			"starts_on": {"1/4/2024"}, "ends_on": {""}, "break_clauses": {"soon"}, "in_house_bid": {""},
			"kpis": {"Only a name"}, "recall_kind": {""}, "signing_days": {""},
		}, map[string]string{
			"title":         "Enter the contract's title",
			"service":       "Enter the service",
			"provider":      "Enter the provider's name",
			"description":   "Description must be 10,000 characters or fewer",
			"value":         "Enter the contract's value in pounds, like 1,250,000.50",
			"starts_on":     "Start date must be a real date",
			"ends_on":       "Enter the end date",
			"break_clauses": "Break clause 1: enter the date as year-month-day, like 2028-04-01",
			"in_house_bid":  "Say whether an in-house bid was made",
			"kpis":          "KPI line 1: give at least a name and a target, like Missed bins | ≤ 50",
			"recall_kind":   "Choose how the recall threshold is set",
			"signing_days":  "Enter the signing window in days, like 42",
		}},
		{"Respond", e.anon, "/consultations/open-parks/responses", url.Values{
			q(0): {"abc"}, q(1): {"999999"}, q(2): {"9"}, q(3): {long(5001)}, "email": {"nope"}, "postcode": {"ZZ9"},
		}, map[string]string{
			q(0):       "Select options from the list",
			q(1):       "Select only options from the list, each once",
			q(2):       "Choose a point from strongly disagree to strongly agree",
			q(3):       "Your answer must be 5,000 characters or fewer",
			"email":    emailFormat,
			"postcode": "Enter a real UK postcode, like SW1A 1AA",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.postBody(tc.client, tc.path, tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422", res.StatusCode)
			}
			if got := errorSummary(t, body); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("error summary:\n got %v\nwant %v", got, tc.want)
			}
		})
	}

	jsonCases := []struct {
		name, path, body string
		want             map[string]string
	}{
		{"SignAPI", "/api/petitions/" + petition + "/signatures",
			`{"name": " ", "email": "nope", "postcode": "", "resident": false}`, map[string]string{
				"name":     "Enter your full name",
				"email":    emailFormat,
				"postcode": "Enter a real UK postcode, like SW1A 1AA",
				"resident": "Confirm that you live in the council's area",
			}},
		{"RespondAPI", "/api/consultations/open-parks/responses",
			`{"answers": {"` + itoa(open.Questions[0].ID) + `": "one", "` + itoa(open.Questions[2].ID) + `": 9}, "email": "nope", "postcode": "ZZ9"}`,
			map[string]string{
				q(0):       "Give one option id as a number",
				q(2):       "Give a whole number from 1 (strongly disagree) to 5 (strongly agree)",
				"email":    emailFormat,
				"postcode": "Enter a real UK postcode, like SW1A 1AA",
			}},
	}
	for _, tc := range jsonCases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.postJSON(e.anon, tc.path, tc.body)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422: %s", res.StatusCode, body)
			}
			var got struct {
				Fields map[string]string `json:"fields"`
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Fields, tc.want) {
				t.Errorf("fields:\n got %v\nwant %v", got.Fields, tc.want)
			}
		})
	}
}

// TestConsultationForm_ClosingBeforeOpening: the domain's date message is
// keyed by the form's field, so the summary links to the box and the box
// shows it.
func TestConsultationForm_ClosingBeforeOpening(t *testing.T) {
	e := newEnv(t)
	form := url.Values{"title": {"Parks"}, "summary": {"About the parks"}, "service": {"Parks"}, "proposal": {"in_house"},
		"in_house_bid": {"The parks team"}, "social_value_weight": {"20"}, "at_risk_contact": {"no"}, "rights_threat": {"no"}, "audience": {"anyone"},
		"opens_on": {"2026-05-01"}, "closes_on": {"2026-04-01"}}
	res, body := e.postBody(e.admin, "/admin/consultations", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("got %d, want 422", res.StatusCode)
	}
	want := map[string]string{"closes_on": "Closing date must be after the opening date"}
	if got := errorSummary(t, body); !reflect.DeepEqual(got, want) {
		t.Errorf("error summary: got %v, want %v", got, want)
	}
	if !strings.Contains(body, `id="closes_on-error"`) {
		t.Error("the closing date box does not show its message")
	}
}
