package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db/dbtest"
)

// TestPreview_StaffSeeDraftsThePublicDoNot: a draft consultation, a
// petition awaiting moderation and a draft ballot are shown to staff at
// their public addresses under a "Preview: not published" banner, never
// cached; the public still gets 404.
func TestPreview_StaffSeeDraftsThePublicDoNot(t *testing.T) {
	e := newBallotEnv(t)
	ctx := context.Background()
	other := e.openConsultation("other")
	must(t, e.store.CreateConsultation(ctx, &consult.Consultation{Slug: "draft", Title: "Draft libraries", Summary: "About libraries",
		Audience: consult.AudienceAnyone, Record: other.Record}, "test"))
	p := &ballot.Petition{ContractID: e.contract.ID, Title: "Queued petition", Reasons: "Missed bins",
		CampaignerName: "Ali", CampaignerEmail: "ali@example.org", CountPolicy: ballot.CountLive}
	dbtest.SponsorPetition(t, e.st.Petitions, p, testBase, e.outboxToken)
	b := e.createBallot()
	for path, title := range map[string]string{
		"/consultations/draft":     "Draft libraries",
		"/petitions/" + itoa(p.ID): "Queued petition",
		"/ballots/" + itoa(b):      "Should the council end its contract with CleanCo?",
	} {
		if res, body := e.get(e.anon, path); res.StatusCode != http.StatusNotFound || strings.Contains(body, title) {
			t.Errorf("public GET %s: got %d, want 404 without the title", path, res.StatusCode)
		}
		for _, c := range []*http.Client{e.admin, e.mod} {
			res, body := e.get(c, path)
			if res.StatusCode != http.StatusOK || !strings.Contains(body, "Preview: not published") || !strings.Contains(body, title) {
				t.Errorf("staff GET %s: got %d without the preview banner and title", path, res.StatusCode)
			}
			if res.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("staff GET %s: Cache-Control %q, want no-store", path, res.Header.Get("Cache-Control"))
			}
		}
	}
	// Published pages carry no banner, for staff either.
	if _, body := e.get(e.admin, "/consultations/other"); strings.Contains(body, "Preview: not published") {
		t.Errorf("a published consultation shows the preview banner")
	}
}
