package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// goodReview is a review form an officer fills in for re-letting a
// service that meets the at-risk test under a good-reason exemption.
func goodReview() url.Values {
	return url.Values{
		"at_risk_contact": {"yes"}, "rights_threat": {"no"},
		"exemption": {"good_reason"}, "exemption_reason": {"No council team has run night-time care since 2015"},
		"public_interest_case": {"Continuity of care for 400 people"}, "in_house_cost": {"1,200,000"},
		"in_house_quality": {"As now"}, "in_house_workforce": {"80 carers transfer"}, "in_house_risk": {"Recruiting managers"},
		"route": {"re_let"},
	}
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// TestContractReviews_DraftAndPublish: an admin opens a review at a
// termination, is refused a route the at-risk rule forbids and a
// below-threshold exemption over its threshold (saving nothing), saves a
// good draft and publishes it once confirmed; the public then see it on
// its page, on the contract page and in the contract's JSON.
func TestContractReviews_DraftAndPublish(t *testing.T) {
	e := newEnv(t)
	c := e.addContract(leisureContract())
	cid := itoa(c.ID)
	base := "/admin/contracts/" + cid + "/reviews"
	if res, _ := e.get(e.mod, base); res.StatusCode != http.StatusOK {
		t.Fatalf("moderator list: got %d, want 200", res.StatusCode)
	}
	res, body := e.postBody(e.admin, base, url.Values{"point": {"termination"}, "point_on": {"next week"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter the date as year-month-day") {
		t.Fatalf("bad date: got %d", res.StatusCode)
	}
	res = e.post(e.admin, base, url.Values{"point": {"termination"}, "point_on": {today().AddDate(0, 3, 0).Format("2006-01-02")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("open: got %d, want 303", res.StatusCode)
	}
	edit := res.Header.Get("Location")
	rid := edit[strings.LastIndex(edit, "/")+1:]
	public := "/contracts/" + cid + "/reviews/" + rid
	if res, _ := e.get(e.anon, public); res.StatusCode != http.StatusNotFound {
		t.Fatalf("draft's public page: got %d, want 404", res.StatusCode)
	}

	refused := []struct {
		name  string
		form  url.Values
		field string
		says  string
	}{
		{"RouteForbidden", with(goodReview(), "exemption", ""), "route", consult.InHouseOnlyMessage},
		{"AboveThreshold", with(goodReview(), "exemption", "below_threshold", "exemption_value", "300,000", "exemption_threshold", "214,904"),
			"exemption_value", "The value, £300,000, is not below the threshold of £214,904"},
		{"InHouseWithExemption", with(goodReview(), "route", "in_house"), "exemption", "Choose no exemption"},
		{"NoLimbAnswered", with(goodReview(), "rights_threat", ""), "rights_threat", "Say whether the service threatens people's rights"},
		{"BadCost", with(goodReview(), "in_house_cost", "lots"), "in_house_cost", "Enter the in-house option's cost in pounds"},
	}
	for _, tc := range refused {
		res, body := e.postBody(e.admin, edit, tc.form)
		body = html.UnescapeString(body)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.says) ||
			!strings.Contains(body, `href="#`+tc.field+`"`) {
			t.Errorf("%s: got %d without %q linked to %s", tc.name, res.StatusCode, tc.says, tc.field)
		}
	}
	r, err := e.st.Reviews.Review(context.Background(), mustInt(rid))
	if err != nil || !r.SavedAt.IsZero() {
		t.Fatalf("refused forms saved: %+v, %v", r, err)
	}

	if res := e.post(e.admin, edit, goodReview()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: got %d, want 303", res.StatusCode)
	}
	res, body = e.postBody(e.admin, edit+"/publish", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Publish this review?") {
		t.Fatalf("publish unconfirmed: got %d without the confirmation page", res.StatusCode)
	}
	if res := e.post(e.admin, edit+"/publish", confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: got %d, want 303", res.StatusCode)
	}
	res, body = e.get(e.anon, public)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Re-let the contract") ||
		!strings.Contains(body, "You can challenge it until the end of") || !strings.Contains(body, "/petitions/new?contract="+cid) {
		t.Fatalf("public page: got %d without the route and the challenge", res.StatusCode)
	}
	if _, body := e.get(e.anon, "/contracts/"+cid); !strings.Contains(body, `href="`+public+`"`) {
		t.Error("contract page does not link the published review")
	}
	_, doc := e.getJSON("/api/contracts/" + cid)
	reviews, _ := doc["reviews"].([]any)
	if len(reviews) != 1 {
		t.Fatalf("JSON reviews: got %v", doc["reviews"])
	}
	rv := reviews[0].(map[string]any)
	at, _ := rv["at_risk"].(map[string]any)
	if rv["status"] != "published" || rv["end_point"] != "termination" || rv["proposed_route"] != "re_let" ||
		at["at_risk_test_met"] != true || at["in_house_only"] != false || rv["challenge_ends_at"] == nil {
		t.Fatalf("JSON review: got %v", rv)
	}
	if res := e.post(e.admin, edit, goodReview()); res.StatusCode == http.StatusSeeOther {
		t.Fatal("a published review was changed")
	}
	if got := e.auditActions(); !strings.Contains(got, "contract.review_publish admin@") {
		t.Fatalf("audit: %s", got)
	}

	// During the challenge window, a resident objects with a confirmed email.
	res, body = e.postBody(e.anon, public+"/objections", url.Values{"name": {""}, "email": {"sam@"}, "reason": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter your full name") ||
		!strings.Contains(body, "Enter why you object to the exemption") {
		t.Fatalf("bad objection: got %d", res.StatusCode)
	}
	res = e.post(e.anon, public+"/objections", url.Values{"name": {"Sam Jones"}, "email": {"sam@example.org"},
		"reason": {"The council ran night care until 2015 and could again"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/reviews/objections/sent" {
		t.Fatalf("objection: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := e.get(e.anon, public); !strings.Contains(body, "No confirmed objections yet") {
		t.Error("an unconfirmed objection is counted")
	}
	link := e.mailLink("sam@example.org", "/reviews/objections/confirm")
	if res, body := e.get(e.anon, link.RequestURI()); res.StatusCode != http.StatusOK || !strings.Contains(body, "Confirm my objection") {
		t.Fatalf("confirm page: got %d", res.StatusCode)
	}
	if res, body := e.postBody(e.anon, "/reviews/objections/confirm", url.Values{"token": {link.Query().Get("token")}}); res.StatusCode != http.StatusOK ||
		!strings.Contains(body, "Objection received") {
		t.Fatalf("confirm: got %d", res.StatusCode)
	}
	if _, body := e.get(e.anon, public); !strings.Contains(body, "1 confirmed objection so far") {
		t.Error("the confirmed objection is not counted on the review page")
	}
	// Staff read each confirmed objection, with who sent it; the public
	// page shows neither the name nor the email.
	if _, body := e.get(e.mod, edit); !strings.Contains(body, `id="objections"`) || !strings.Contains(body, "Sam Jones") ||
		!strings.Contains(body, "sam@example.org") || !strings.Contains(body, "1 confirmed.") {
		t.Error("the staff review page does not list the confirmed objection")
	}
	if _, body := e.get(e.anon, public); strings.Contains(body, "sam@example.org") || strings.Contains(body, "Sam Jones") {
		t.Error("the public review page shows the objector")
	}

	// Re-letting leads into a consultation, prefilled from the review.
	if _, body := e.get(e.admin, edit); !strings.Contains(body, `action="`+edit+`/consultation"`) {
		t.Fatal("the published review offers no consultation")
	}
	res = e.post(e.admin, edit+"/consultation", nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/edit") {
		t.Fatalf("start consultation: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	slug := strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/admin/consultations/"), "/edit")
	cons, err := e.store.Consultation(context.Background(), slug)
	if err != nil || cons.ContractID != c.ID || cons.Status != consult.StatusDraft || !cons.Record.AtRisk.Contact ||
		cons.Record.Exemption.Kind != consult.ExemptionGoodReason || cons.Record.PublicInterestCase != "Continuity of care for 400 people" {
		t.Fatalf("prefilled consultation: %+v, %v", cons, err)
	}
	if res, body := e.get(e.admin, res.Header.Get("Location")); res.StatusCode != http.StatusOK ||
		!strings.Contains(body, "No council team has run night-time care since 2015") {
		t.Fatalf("its form: got %d without the exemption's statement", res.StatusCode)
	}
	if res := e.post(e.admin, edit+"/consultation", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second start: got %d, want 303 to the one already started", res.StatusCode)
	}
}

// TestContracts_Pipeline: the pipeline lists each contract's next end
// point within 18 months, soonest first, with its review's status, as a
// page linked from /contracts and as JSON; a contract further off is left out.
func TestContracts_Pipeline(t *testing.T) {
	e := newEnv(t)
	now := today()
	soon := leisureContract() // break in 2 years, ends in 4: not in the pipeline
	soon.Title, soon.BreakClauses = "Leisure centres", nil
	soon.EndsOn = now.AddDate(0, 6, 0)
	e.addContract(soon)
	later := leisureContract()
	later.Title, later.ReviewOn = "Libraries", now.AddDate(0, 2, 0)
	e.addContract(later)
	far := leisureContract()
	far.Title = "Street lighting"
	e.addContract(far)
	must(t, e.st.Reviews.OpenReview(context.Background(), &ballot.ContractReview{ContractID: soon.ID,
		Point: ballot.EndPoint{Kind: ballot.PointEnd, On: soon.EndsOn}}, "test"))

	if _, body := e.get(e.anon, "/contracts"); !strings.Contains(body, `href="/contracts/pipeline"`) {
		t.Error("/contracts does not link the pipeline")
	}
	res, body := e.get(e.anon, "/contracts/pipeline")
	if res.StatusCode != http.StatusOK || strings.Contains(body, "Street lighting") {
		t.Fatalf("page: got %d, or it lists a contract more than 18 months from an end point", res.StatusCode)
	}
	if i, j := strings.Index(body, "Libraries"), strings.Index(body, "Leisure centres"); i < 0 || j < 0 || i > j {
		t.Fatal("page: want Libraries (review date in 2 months) before Leisure centres (ends in 6)")
	}
	_, doc := e.getJSON("/api/contracts/pipeline")
	list, _ := doc["pipeline"].([]any)
	if len(list) != 2 {
		t.Fatalf("JSON: got %v", doc)
	}
	first, second := list[0].(map[string]any), list[1].(map[string]any)
	if first["title"] != "Libraries" || first["end_point"] != "review" || first["review_status"] != "not_started" ||
		second["end_point"] != "end" || second["review_status"] != "draft" {
		t.Fatalf("JSON: got %v", list)
	}
}

// TestDecisionGate_AtRiskRule: a consultation about a service that meets
// the at-risk test with no exemption may not record a decision to
// outsource it; the form says why, naming the decision, before asking to
// confirm, and nothing is recorded. Bringing it in house is recorded.
func TestDecisionGate_AtRiskRule(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := &consult.Consultation{Slug: "care", Title: "Home care", Summary: "About home care", Audience: consult.AudienceAnyone,
		Record: consult.Record{Service: "Home care", Proposal: consult.ProposalChangeService, InHouseBid: "The care team bid",
			SocialValueWeight: 20, AtRisk: consult.AtRiskTest{Rights: true}}}
	must(t, e.store.CreateConsultation(ctx, c, "test"))
	must(t, e.store.AddQuestion(ctx, "care", &consult.Question{Kind: consult.KindText, Prompt: "Anything?"}, "test"))
	must(t, e.store.Open(ctx, "care", "test"))
	must(t, e.store.Close(ctx, "care", "test"))
	must(t, e.store.PublishOutcome(ctx, "care", consult.Outcome{WeAsked: "a", YouSaid: "b", WeDid: "c"}, "test"))
	outsource := url.Values{"decision": {"outsource"}, "summary": {"Let to CareWell"}, "in_house_comparison": {"Dearer in house"}}
	for _, form := range []url.Values{outsource, confirmed(outsource)} {
		res, body := e.postBody(e.admin, "/admin/consultations/care/decision", form)
		body = html.UnescapeString(body)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, consult.InHouseOnlyMessage) ||
			!strings.Contains(body, `href="#decision"`) || strings.Contains(body, "govuk-warning-text") {
			t.Fatalf("outsourcing an at-risk service: got %d without the rule named on the decision", res.StatusCode)
		}
	}
	if got, _ := e.store.Consultation(ctx, "care"); got.Decision != nil {
		t.Fatal("a refused decision was recorded")
	}
	inHouse := url.Values{"decision": {"in_house"}, "summary": {"Kept in house"}, "in_house_comparison": {"Cheaper"}}
	if res := e.post(e.admin, "/admin/consultations/care/decision", confirmed(inHouse)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("in house: got %d, want 303", res.StatusCode)
	}
}

// TestScorecard_AtRiskReview: once the council publishes its review at a
// contract's last end point, the scorecard ticks the at-risk review and
// links to the review.
func TestScorecard_AtRiskReview(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := leisureContract()
	passed := today().AddDate(0, -1, 0)
	c.BreakClauses = append(c.BreakClauses, passed)
	e.addContract(c)
	atRisk := func() string {
		for _, k := range e.scorecard().Contracts {
			for _, s := range k.Scores {
				if k.ID == c.ID && s.Code == "at_risk_review" {
					return s.Status + " " + s.RecordURL
				}
			}
		}
		return ""
	}
	if got := atRisk(); !strings.HasPrefix(got, "not_yet_recorded ") {
		t.Fatalf("before a review: %q", got)
	}
	rv := &ballot.ContractReview{ContractID: c.ID, Point: ballot.EndPoint{Kind: ballot.PointBreak, On: passed},
		PublicInterestCase: "Case", Route: ballot.RouteInHouse,
		InHouse: ballot.Appraisal{CostPence: 1, Quality: "q", Workforce: "w", Risk: "r"}}
	must(t, e.st.Reviews.OpenReview(ctx, rv, "test"))
	must(t, e.st.Reviews.SaveReview(ctx, rv, "test"))
	if got := atRisk(); !strings.HasPrefix(got, "not_yet_recorded ") {
		t.Fatalf("a draft review: %q", got)
	}
	if _, err := e.st.Reviews.PublishReview(ctx, rv.ID, 28, "test"); err != nil {
		t.Fatal(err)
	}
	if got, want := atRisk(), "met "+testBase+"/contracts/"+itoa(c.ID)+"/reviews/"+itoa(rv.ID); got != want {
		t.Fatalf("published: got %q, want %q", got, want)
	}
}
