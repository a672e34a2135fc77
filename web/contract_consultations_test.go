package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
)

// decidedConsultation creates a consultation about contract, runs it to its
// decision and returns it.
func (e *testEnv) decidedConsultation(slug string, contract int64) {
	e.t.Helper()
	ctx := context.Background()
	c := &consult.Consultation{Slug: slug, Title: "Who runs " + slug, Summary: "About " + slug, Audience: consult.AudienceAnyone,
		ContractID: contract, Record: consult.Record{Service: slug, Proposal: consult.ProposalOutsource, PublicInterestCase: "Cheaper",
			InHouseBid: "The council's team bid", SocialValueWeight: 10}}
	must(e.t, e.store.CreateConsultation(ctx, c, "test"))
	must(e.t, e.store.AddQuestion(ctx, slug, &consult.Question{Kind: consult.KindText, Prompt: "Anything else?"}, "test"))
	must(e.t, e.store.Open(ctx, slug, "test"))
	must(e.t, e.store.Close(ctx, slug, "test"))
	must(e.t, e.store.PublishOutcome(ctx, slug, consult.Outcome{WeAsked: "a", YouSaid: "b", WeDid: "c"}, "test"))
	must(e.t, e.store.RecordDecision(ctx, slug, consult.Decision{Proposal: consult.ProposalOutsource,
		Summary: "Let to the best bid after consultation", InHouseComparison: "Cost more in house"}, "test"))
}

// TestContract_ConsultedBefore: a contract let after a public consultation
// links to it and its decision, on its page and in JSON; a contract whose
// only consultation came after it started is marked "no public
// consultation before this contract", and lists that one as later.
func TestContract_ConsultedBefore(t *testing.T) {
	e := newEnv(t)
	let := wasteContract()
	let.Title, let.StartsOn, let.BreakClauses = "Street cleaning", today().AddDate(0, 2, 0), nil
	e.addContract(let)
	running := e.addContract(leisureContract())
	e.decidedConsultation("street-cleaning", let.ID)
	e.decidedConsultation("leisure-renewal", running.ID)

	_, page := e.get(e.anon, fmt.Sprintf("/contracts/%d", let.ID))
	prior := page[strings.Index(page, `id="consultations"`):strings.Index(page, `id="petitions"`)]
	if !strings.Contains(prior, `href="/consultations/street-cleaning"`) || !strings.Contains(prior, "Let to the best bid after consultation") ||
		strings.Contains(page, "No public consultation before this contract") {
		t.Errorf("contract let after a consultation: want the link and decision under the prior consultation")
	}
	_, js := e.get(e.anon, fmt.Sprintf("/api/contracts/%d", let.ID))
	if c := compactJSON(t, js); !strings.Contains(c, `"prior_consultations":[{"slug":"street-cleaning"`) ||
		!strings.Contains(c, `"consulted_before_letting":true`) || !strings.Contains(c, `"decision":{"proposal":"outsource"`) {
		t.Errorf("JSON lacks the prior consultation and its decision: %s", c)
	}

	_, page = e.get(e.anon, fmt.Sprintf("/contracts/%d", running.ID))
	if !strings.Contains(page, `id="no-prior-consultation"`) || !strings.Contains(page, "No public consultation before this contract") {
		t.Errorf("contract with no prior consultation is not marked")
	}
	if later := page[strings.Index(page, `id="later-consultations"`)+1:]; !strings.Contains(later, `href="/consultations/leisure-renewal"`) {
		t.Errorf("later consultation not listed")
	}
	_, js = e.get(e.anon, fmt.Sprintf("/api/contracts/%d", running.ID))
	if c := compactJSON(t, js); !strings.Contains(c, `"prior_consultations":[],"consulted_before_letting":false`) {
		t.Errorf("JSON does not say there was no prior consultation")
	}
}
