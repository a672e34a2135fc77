package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/db/dbtest"
	"github.com/oursay/oursay/web"
)

// irreversible is every action that cannot be undone: each must ask first
// (the list). TestConfirm_EveryIrreversibleAction keeps it and the
// server's confirmSteps the same.
var irreversible = []string{
	"POST /admin/consultations/{slug}/open",
	"POST /admin/consultations/{slug}/close",
	"POST /admin/consultations/{slug}/outcome",
	"POST /admin/consultations/{slug}/decision",
	"POST /admin/consultations/{slug}/outcome/revise",
	"POST /admin/consultations/{slug}/decision/revise",
	"POST /admin/consultations/{slug}/questions/{id}/delete",
	"POST /admin/consultations/{slug}/codes",
	"POST /admin/consultations/{slug}/themes/{id}/delete",
	"POST /admin/consultations/{slug}/closing-date",
	"POST /admin/consultations/{slug}/wording",
	"POST /admin/petitions/{id}/publish",
	"POST /admin/petitions/{id}/reject",
	"POST /admin/petitions/{id}/invalidate",
	"POST /admin/ballots/{id}/codes",
	"POST /admin/ballots/{id}/open",
	"POST /admin/ballots/{id}/close",
	"POST /admin/people/erase",
	"POST /admin/contracts/{id}/documents/{doc}/remove",
	"POST /admin/requests/{id}/publish",
	"POST /admin/requests/{id}/reject",
	"POST /admin/requests/{id}/answer",
	"POST /admin/requests/{id}/refuse",
	"POST /admin/ballots/{id}/response",
	"POST /admin/contracts/{id}/reviews/{rid}/publish",
}

var confirmButtonRE = regexp.MustCompile(`<button type="submit" name="confirm" value="yes"`)

// TestConfirm_EveryIrreversibleAction posts each irreversible action as
// its form sends it, valid and at a stage where it would succeed: the
// answer is a confirmation page (warning text, what will happen, who will
// be told, the same fields carried) and nothing is changed or audited.
// Sent again with confirm=yes, as that page sends it, each acts.
func TestConfirm_EveryIrreversibleAction(t *testing.T) {
	inServer := web.ConfirmRoutes()
	table := web.RouteTable()
	for _, p := range irreversible {
		if !inServer[p] {
			t.Errorf("%s does not ask for confirmation", p)
		}
		delete(inServer, p)
		if table[p] == "" {
			t.Errorf("%s is not in the route table", p)
		}
	}
	for p := range inServer {
		t.Errorf("%s asks for confirmation but is not in the list of irreversible actions", p)
	}

	e := newBallotEnv(t)
	ctx := context.Background()
	// Consultations at each stage.
	other := e.openConsultation("other")
	must(t, e.store.CreateConsultation(ctx, &consult.Consultation{Slug: "fresh", Title: "Libraries", Summary: "About libraries",
		Audience: consult.AudienceCode, Record: other.Record}, "test"))
	for _, prompt := range []string{"Which library do you use?", "How often?"} {
		must(t, e.store.AddQuestion(ctx, "fresh", &consult.Question{Kind: consult.KindText, Prompt: prompt}, "test"))
	}
	fresh, err := e.store.Consultation(ctx, "fresh")
	must(t, err)
	theme := &consult.Theme{Name: "Opening hours"}
	must(t, e.store.CreateTheme(ctx, "other", theme, "test"))
	e.openConsultation("closing")
	e.openConsultation("decided")
	must(t, e.store.Close(ctx, "decided", "test"))
	must(t, e.store.PublishOutcome(ctx, "decided", consult.Outcome{WeAsked: "a", YouSaid: "b", WeDid: "c"}, "test"))
	// A petition awaiting moderation, another to reject, and the open one.
	queued := func() string {
		p := &ballot.Petition{ContractID: e.contract.ID, Title: "Bring bins back in house", Reasons: "Missed bins",
			CampaignerName: "Ali", CampaignerEmail: "ali@example.org", CountPolicy: ballot.CountLive}
		dbtest.SponsorPetition(t, e.st.Petitions, p, testBase, e.outboxToken)
		return itoa(p.ID)
	}
	toPublish, toReject, open := queued(), queued(), itoa(e.petition.ID)
	b := itoa(e.createBallot())
	e.codes(mustInt(b), 2)
	doc := &ballot.Document{ContractID: e.contract.ID, Kind: ballot.DocSummary, Title: "Summary", Dated: e.contract.StartsOn,
		Filename: "summary.pdf", ContentType: ballot.TypePDF, Data: testPDF}
	must(t, db.NewDocumentStore(e.db).AddDocument(ctx, doc, 1<<20, "test"))
	// Information requests awaiting moderation and awaiting an answer.
	received := func(publish bool) string { return itoa(e.receivedRequest(e.contract.ID, publish).ID) }
	reqPublish, reqReject, reqAnswer, reqRefuse := received(false), received(false), received(true), received(true)
	// A contract review, saved and ready to publish.
	review := &ballot.ContractReview{ContractID: e.contract.ID, Point: ballot.EndPoint{Kind: ballot.PointEnd, On: e.contract.EndsOn}}
	must(t, e.st.Reviews.OpenReview(ctx, review, "test"))
	review.PublicInterestCase, review.Route = "Kept in house", ballot.RouteInHouse
	review.InHouse = ballot.Appraisal{CostPence: 100, Quality: "q", Workforce: "w", Risk: "r"}
	must(t, e.st.Reviews.SaveReview(ctx, review, "test"))

	cases := []struct {
		path string
		form url.Values
		says string // on the confirmation page
	}{
		{"/admin/consultations/fresh/questions/" + itoa(fresh.Questions[1].ID) + "/delete", nil, "‘How often?’ is removed"},
		{"/admin/consultations/fresh/codes", url.Values{"count": {"3"}}, "3 new codes are added"},
		{"/admin/consultations/other/themes/" + itoa(theme.ID) + "/delete", nil, "removed from the 0 answers tagged with it"},
		{"/admin/consultations/fresh/open", nil, "People can respond at once"},
		{"/admin/consultations/closing/closing-date", url.Values{"closes_on": {time.Now().AddDate(0, 1, 0).Format("2006-01-02")}}, "Closing date changed from none to"},
		{"/admin/consultations/closing/wording", url.Values{"title": {"Parks, corrected"}, "summary": {"About the parks"}}, "The title changes"},
		{"/admin/consultations/closing/close", nil, "No more responses are accepted"},
		{"/admin/consultations/closing/outcome", url.Values{"we_asked": {"Who should run the parks"}, "you_said": {"Keep them"}, "we_did": {"Kept them"}}, "Keep them"},
		{"/admin/consultations/decided/decision", url.Values{"decision": {"in_house"}, "summary": {"Kept in house"}, "in_house_comparison": {"Cheaper"}}, "Kept in house"},
		{"/admin/consultations/decided/outcome/revise", url.Values{"we_asked": {"a"}, "you_said": {"b, recounted"}, "we_did": {"c"}, "revision_note": {"Count corrected"}}, "Count corrected"},
		{"/admin/consultations/decided/decision/revise", url.Values{"decision": {"in_house"}, "summary": {"Kept in house to 2031"}, "in_house_comparison": {"Cheaper"}, "revision_note": {"End year added"}}, "End year added"},
		{"/admin/petitions/" + toPublish + "/publish", nil, "opens for signatures"},
		{"/admin/petitions/" + toReject + "/reject", url.Values{"reason": {"Not about a council contract"}}, "The campaigner (ali@example.org) is emailed"},
		{"/admin/petitions/" + open + "/invalidate", url.Values{"domain": {"example.org"}, "reason": {"Bulk sign-ups"}}, "addresses at example.org"},
		{"/admin/ballots/" + b + "/codes", url.Values{"count": {"5"}}, "making 7 in all"},
		{"/admin/ballots/" + b + "/open", nil, "with 7 voter codes"},
		{"/admin/ballots/" + b + "/close", nil, "the list of receipts become public"},
		{"/admin/people/erase", url.Values{"email": {"sponsor0@example.org"}, "reason": {"SAR-1"}}, "Every mail to this address is deleted"},
		{fmt.Sprintf("/admin/contracts/%d/documents/%d/remove", e.contract.ID, doc.ID), url.Values{"reason": {"Uploaded by mistake"}}, "the file is deleted"},
		{"/admin/requests/" + reqPublish + "/publish", nil, "is published at /requests/" + reqPublish},
		{"/admin/requests/" + reqReject + "/reject", url.Values{"reason": {"Not about this contract"}}, "The asker is emailed the reason"},
		{"/admin/requests/" + reqAnswer + "/answer", url.Values{"answer": {"1,204 bins"}}, "1,204 bins"},
		{"/admin/requests/" + reqRefuse + "/refuse", url.Values{"exemption": {"s43"}, "explanation": {"Sensitive prices"}}, "Section 43: commercial interests"},
		{"/admin/ballots/" + b + "/response", url.Values{"exercised": {"no"}, "reason": {"Re-letting would cost more"}}, "Re-letting would cost more"},
		{fmt.Sprintf("/admin/contracts/%d/reviews/%d/publish", e.contract.ID, review.ID), nil, "The review is published at"},
	}
	tables := []string{"audit_log", "outbox", "questions", "voter_codes", "consultation_codes", "signatures"}
	for _, tc := range cases {
		before := e.rowCounts(tables)
		res, body := e.postBody(e.admin, tc.path, tc.form)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `class="govuk-warning-text"`) ||
			!confirmButtonRE.MatchString(body) || !strings.Contains(body, "Who will be told") || !strings.Contains(body, tc.says) {
			t.Errorf("%s: got %d without the confirmation page saying %q", tc.path, res.StatusCode, tc.says)
		}
		if !strings.Contains(body, `action="`+tc.path+`"`) {
			t.Errorf("%s: the confirmation page does not post back to the action", tc.path)
		}
		for k, vs := range tc.form {
			if want := fmt.Sprintf(`<input type="hidden" name="%s" value="%s">`, k, vs[0]); !strings.Contains(body, want) {
				t.Errorf("%s: %s is not carried to the confirmation", tc.path, k)
			}
		}
		if after := e.rowCounts(tables); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("%s: unconfirmed post changed %v: %v to %v", tc.path, tables, before, after)
		}
		res, _ = e.postBody(e.admin, tc.path, confirmed(tc.form))
		if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusOK {
			t.Errorf("%s confirmed: got %d", tc.path, res.StatusCode)
		}
		if after := e.rowCounts(tables); after[0] <= before[0] {
			t.Errorf("%s confirmed: nothing audited, so nothing done", tc.path)
		}
	}
	// A form that would be refused anyway shows its errors, not the page.
	res, body := e.postBody(e.admin, "/admin/consultations/other/outcome", url.Values{"we_asked": {""}})
	if res.StatusCode == http.StatusOK || strings.Contains(body, "govuk-warning-text") || !strings.Contains(body, "Enter what you asked") {
		t.Errorf("empty outcome: got %d, want its errors", res.StatusCode)
	}
	// "Go back and change it" returns to the form with what was typed.
	res, body = e.postBody(e.admin, "/admin/consultations/other/outcome",
		url.Values{"confirm": {"change"}, "we_asked": {"Asked"}, "you_said": {"Said it"}, "we_did": {"Did"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Said it</textarea>") || strings.Contains(body, "govuk-warning-text") {
		t.Errorf("change: got %d without the outcome form as typed", res.StatusCode)
	}
}

func mustInt(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}
