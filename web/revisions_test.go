package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
)

// TestReviseOutcomeAndDecision: staff revise a published outcome and a
// recorded decision, each with a required public note; the public page
// shows the current version, "Revised on …: note" and the earlier
// versions; the JSON lists the revisions; nothing can be revised before it
// is published.
func TestReviseOutcomeAndDecision(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.openConsultation("parks")
	base := "/admin/consultations/parks"
	if res, _ := e.get(e.admin, base+"/outcome/revise"); res.StatusCode != http.StatusConflict {
		t.Errorf("revise an outcome not published: got %d, want 409", res.StatusCode)
	}
	must(t, e.store.Close(ctx, "parks", "test"))
	must(t, e.store.PublishOutcome(ctx, "parks", consult.Outcome{WeAsked: "Who runs the parks", YouSaid: "412 said keep them", WeDid: "Kept them"}, "test"))

	res, form := e.get(e.admin, base+"/outcome/revise")
	if res.StatusCode != http.StatusOK || !strings.Contains(form, "412 said keep them</textarea>") || !strings.Contains(form, `id="revision_note"`) {
		t.Fatalf("revise form: got %d without the current outcome and a note", res.StatusCode)
	}
	if _, manage := e.get(e.admin, base); !strings.Contains(manage, `href="`+base+`/outcome/revise"`) {
		t.Error("the manage page does not link to revising the outcome")
	}
	revised := url.Values{"we_asked": {"Who runs the parks"}, "you_said": {"421 said keep them"}, "we_did": {"Kept them"}}
	res, body := e.postBody(e.admin, base+"/outcome/revise", confirmed(revised))
	if res.StatusCode != http.StatusUnprocessableEntity || errorSummary(t, body)["revision_note"] == "" {
		t.Errorf("no note: got %d, want 422 naming the note", res.StatusCode)
	}
	revised.Set("revision_note", "The count was corrected from 412 to 421.")
	if res := e.post(e.admin, base+"/outcome/revise", revised); res.StatusCode != http.StatusOK {
		t.Errorf("unconfirmed: got %d, want the confirmation page", res.StatusCode)
	}
	if res := e.post(e.admin, base+"/outcome/revise", confirmed(revised)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revise: got %d", res.StatusCode)
	}
	if res, body := e.postBody(e.admin, base+"/outcome/revise", confirmed(revised)); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "it is the same as the published one") {
		t.Errorf("the same again: got %d", res.StatusCode)
	}
	must(t, e.store.RecordDecision(ctx, "parks", consult.Decision{Proposal: consult.ProposalInHouse, Summary: "Kept in house", InHouseComparison: "Cheaper"}, "test"))
	dec := url.Values{"decision": {"in_house"}, "summary": {"Kept in house to 2031"}, "in_house_comparison": {"Cheaper"}, "revision_note": {"End year added."}}
	if res := e.post(e.admin, base+"/decision/revise", confirmed(dec)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revise the decision: got %d", res.StatusCode)
	}

	_, page := e.get(e.anon, "/consultations/parks")
	for _, want := range []string{"421 said keep them", `id="outcome-revised">Revised on `, ": The count was corrected from 412 to 421.",
		"Earlier versions of the outcome", "<strong>You said:</strong> 412 said keep them", "Kept in house to 2031",
		`id="decision-revised">Revised on `, "<strong>Summary:</strong> Kept in house</p>"} {
		if !strings.Contains(page, want) {
			t.Errorf("public page lacks %s", want)
		}
	}
	_, body = e.get(e.anon, "/api/consultations/parks")
	var doc struct {
		Outcome struct {
			YouSaid   string `json:"you_said"`
			Revisions []struct {
				Note     string `json:"note"`
				Previous struct {
					YouSaid string `json:"you_said"`
				} `json:"previous"`
			} `json:"revisions"`
		} `json:"outcome"`
		Decision struct {
			Revisions []struct {
				Note string `json:"note"`
			} `json:"revisions"`
		} `json:"decision"`
	}
	must(t, json.Unmarshal([]byte(body), &doc))
	if o := doc.Outcome; o.YouSaid != "421 said keep them" || len(o.Revisions) != 1 || o.Revisions[0].Previous.YouSaid != "412 said keep them" ||
		o.Revisions[0].Note != "The count was corrected from 412 to 421." || len(doc.Decision.Revisions) != 1 {
		t.Errorf("JSON: %+v", doc)
	}
	if _, audit := e.get(e.admin, "/admin/audit"); !strings.Contains(audit, "Revised an outcome") || !strings.Contains(audit, "Revised a decision") {
		t.Error("the audit log does not show the revisions")
	}
}
