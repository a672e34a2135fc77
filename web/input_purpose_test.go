package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

var (
	inputTagRE  = regexp.MustCompile(`<input\b[^>]*>`)
	inputAttrRE = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)
	// personalFieldRE finds a personal-data or code input in a template's source.
	personalFieldRE = regexp.MustCompile(`field \. "(name|email|postcode|code)"|name="(name|email|postcode|code|receipt)"`)
)

// inputRule is what an input of one name must carry (WCAG 2.2 SC 1.3.5, and
// no spelling correction or capitals on values that must be typed exactly).
type inputRule struct {
	autocomplete string // "" for no rule
	typ          string // "" for no rule
	literal      bool   // spellcheck="false" and autocapitalize none/off
}

var inputRules = map[string]inputRule{
	"name":     {autocomplete: "name"},
	"email":    {autocomplete: "email", typ: "email", literal: true},
	"postcode": {autocomplete: "postal-code"},
	"code":     {literal: true},
	"receipt":  {literal: true},
}

// TestInputPurpose renders every page with a form the public and staff
// use, and fails when a name, email or postcode input does not identify
// its purpose, or an email or code input lets the browser correct it.
// Forms where an officer types a resident's details from paper must say
// autocomplete="off" instead, so the officer's own are not offered.
func TestInputPurpose(t *testing.T) {
	e := newBallotEnv(t)
	ctx := context.Background()
	for _, a := range []consult.Audience{consult.AudienceAnyone, consult.AudienceResidents, consult.AudienceCode} {
		slug := "purpose-" + string(a)
		c := &consult.Consultation{Slug: slug, Title: "Parks " + slug, Summary: "About the parks", Audience: a,
			Record: consult.Record{Service: "Parks", Proposal: consult.ProposalOutsource, PublicInterestCase: "Cheaper",
				InHouseBid: "The parks team bid", SocialValueWeight: 20}}
		must(t, e.store.CreateConsultation(ctx, c, "test"))
		must(t, e.store.AddQuestion(ctx, slug, &consult.Question{Kind: consult.KindScale, Prompt: "It works well"}, "test"))
		must(t, e.store.Open(ctx, slug, "test"))
	}
	doc, codes := e.openBallot(1)
	// The check step shows the code it will cast; it needs a vote waiting.
	checker := e.client()
	if res, _ := e.postBody(checker, fmt.Sprintf("/ballots/%d/votes", doc.ID), url.Values{"code": {codes[0]}, "option": {itoa(doc.Options[0].ID)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ballot form: got %d, want 303 to the check step", res.StatusCode)
	}
	p, b := fmt.Sprintf("/petitions/%d", e.petition.ID), fmt.Sprintf("/ballots/%d", doc.ID)
	rq := fmt.Sprintf("/requests/%d", e.receivedRequest(e.contract.ID, true).ID)
	// A published review with a good-reason exemption, open to objections.
	review := &ballot.ContractReview{ContractID: e.contract.ID, Point: ballot.EndPoint{Kind: ballot.PointEnd, On: e.contract.EndsOn}}
	must(t, e.st.Reviews.OpenReview(ctx, review, "test"))
	review.AtRisk, review.Route, review.PublicInterestCase = consult.AtRiskTest{Contact: true}, ballot.RouteReLet, "Case"
	review.Exemption = consult.ExemptionClaim{Kind: consult.ExemptionGoodReason, Reason: "Stated"}
	review.InHouse = ballot.Appraisal{CostPence: 1, Quality: "q", Workforce: "w", Risk: "r"}
	must(t, e.st.Reviews.SaveReview(ctx, review, "test"))
	if _, err := e.st.Reviews.PublishReview(ctx, review.ID, 28, "test"); err != nil {
		t.Fatal(err)
	}
	pages := []struct {
		path, template string
		staff          bool
		paperEntry     bool // an officer types someone else's details
	}{
		{"/consultations/purpose-anyone", "consultation", false, false},
		{"/consultations/purpose-residents", "consultation", false, false},
		{"/consultations/purpose-code", "consultation", false, false},
		{"/petitions/new", "petition_new", false, false},
		{fmt.Sprintf("/contracts/%d/requests/new", e.contract.ID), "request_new", false, false},
		{rq, "request", false, false},
		{fmt.Sprintf("/contracts/%d/reviews/%d", e.contract.ID, review.ID), "review", false, false},
		{p, "petition", false, false},
		{"/vote", "vote_code", false, false},
		{b, "ballot", false, false},
		{b + "/check", "vote_check", false, false},
		{"/admin/signin", "signin", false, false},
		{"/admin/forgot-password", "forgot_password", false, false},
		{"/admin/staff/new", "admin_staff_new", true, true}, // a colleague's address, not the officer's own
		{"/admin/people", "admin_people", true, true},       // a resident's address, not the officer's own
		{"/admin/consultations/purpose-residents/paper", "admin_paper", true, true},
		{fmt.Sprintf("/admin/petitions/%d", e.petition.ID), "admin_petition", true, true},
		{b + "/receipts", "ballot_receipts", false, false}, // last: the ballot is closed for it
	}
	covered, seen := map[string]bool{}, map[string]bool{}
	for _, pg := range pages {
		client := e.anon
		switch {
		case pg.staff:
			client = e.admin
		case pg.template == "vote_check":
			client = checker
		}
		if pg.template == "ballot_receipts" {
			if res := e.post(e.admin, "/admin"+b+"/close", confirmed(nil)); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("close ballot: got %d, want 303", res.StatusCode)
			}
		}
		res, body := e.get(client, pg.path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: got %d, want 200", pg.path, res.StatusCode)
		}
		covered[pg.template] = true
		for _, tag := range inputTagRE.FindAllString(body, -1) {
			attrs := map[string]string{}
			for _, m := range inputAttrRE.FindAllStringSubmatch(tag, -1) {
				attrs[m[1]] = m[2]
			}
			rule, ok := inputRules[attrs["name"]]
			if !ok || attrs["type"] == "hidden" { // nothing typed, nothing to autofill
				continue
			}
			seen[attrs["name"]] = true
			checkInput(t, pg.path, tag, attrs, rule, pg.paperEntry)
		}
	}
	for name := range inputRules {
		if !seen[name] {
			t.Errorf("no page rendered an input named %q: the check did not run for it", name)
		}
	}
	for _, tmpl := range templatesWithPersonalFields(t) {
		if !covered[tmpl] {
			t.Errorf("template %s has a personal-data or code input but no page of it is checked here", tmpl)
		}
	}
}

func checkInput(t *testing.T, path, tag string, attrs map[string]string, rule inputRule, paperEntry bool) {
	t.Helper()
	want := rule.autocomplete
	if paperEntry && want != "" {
		want = "off"
	}
	if want != "" && attrs["autocomplete"] != want {
		t.Errorf("GET %s: %s: autocomplete %q, want %q", path, tag, attrs["autocomplete"], want)
	}
	if rule.typ != "" && attrs["type"] != rule.typ {
		t.Errorf("GET %s: %s: type %q, want %q", path, tag, attrs["type"], rule.typ)
	}
	if rule.literal {
		if attrs["spellcheck"] != "false" {
			t.Errorf("GET %s: %s: spellcheck %q, want \"false\"", path, tag, attrs["spellcheck"])
		}
		if ac := attrs["autocapitalize"]; ac != "none" && ac != "off" {
			t.Errorf("GET %s: %s: autocapitalize %q, want \"none\"", path, tag, ac)
		}
	}
}

// templatesWithPersonalFields names the page templates whose source has
// an input of one of inputRules' names, so a new form cannot escape the check.
func templatesWithPersonalFields(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("templates/pages/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("page templates: %v (%d found)", err, len(files))
	}
	var out []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if personalFieldRE.Match(src) {
			out = append(out, strings.TrimSuffix(filepath.Base(f), ".html"))
		}
	}
	sort.Strings(out)
	return out
}
