package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db/dbtest"
)

var taskRE = regexp.MustCompile(`(?s)<a class="govuk-link govuk-task-list__link" href="([^"]+)"[^>]*>([^<]+)</a>`)

// tasks returns the dashboard's task list as name → link.
func (e *testEnv) tasks(c *http.Client) map[string]string {
	e.t.Helper()
	res, body := e.get(c, "/admin/")
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("dashboard: got %d", res.StatusCode)
	}
	out := map[string]string{}
	for _, m := range taskRE.FindAllStringSubmatch(body, -1) {
		out[strings.ReplaceAll(m[2], "&#39;", "'")] = m[1]
	}
	return out
}

// TestDashboard_SaysWhatNeedsDoing: each kind of pending work appears as
// a task linked to where it is done; a moderator sees the petition work
// they may do, and each link opens for them.
func TestDashboard_SaysWhatNeedsDoing(t *testing.T) {
	e := newBallotEnv(t)
	ctx := context.Background()
	if got := e.tasks(e.admin); len(got) != 1 || got["Set up a recall ballot for ‘End the CleanCo contract’"] != "/admin/ballots/new" {
		t.Errorf("with only a petition over its threshold: tasks %v", got)
	}
	p := &ballot.Petition{ContractID: e.contract.ID, Title: "Bring bins back", Reasons: "Missed bins",
		CampaignerName: "Ali", CampaignerEmail: "ali@example.org", CountPolicy: ballot.CountLive}
	dbtest.SponsorPetition(t, e.st.Petitions, p, testBase, e.outboxToken)
	if _, err := e.db.Writer().Exec(`UPDATE signatures SET review_reason = 'sent too fast' WHERE id = (SELECT MIN(id) FROM signatures WHERE petition_id = ?)`, e.petition.ID); err != nil {
		t.Fatal(err)
	}
	b := e.createBallot()
	soon := e.openConsultation("soon")
	soon.Slug, soon.Title, soon.ClosesAt = "soon-2", "Libraries", time.Now().Add(3*24*time.Hour)
	soon.Questions = nil
	must(t, e.store.CreateConsultation(ctx, soon, "test"))
	must(t, e.store.AddQuestion(ctx, "soon-2", &consult.Question{Kind: consult.KindText, Prompt: "Anything?"}, "test"))
	must(t, e.store.Open(ctx, "soon-2", "test"))
	e.openConsultation("shut")
	must(t, e.store.Close(ctx, "shut", "test"))
	e.openConsultation("told")
	must(t, e.store.Close(ctx, "told", "test"))
	must(t, e.store.PublishOutcome(ctx, "told", consult.Outcome{WeAsked: "a", YouSaid: "b", WeDid: "c"}, "test"))
	if _, err := e.db.Writer().Exec(`UPDATE outbox SET last_error = 'relay refused', attempts = 3 WHERE id = (SELECT MIN(id) FROM outbox)`); err != nil {
		t.Fatal(err)
	}
	// A draft review at the contract's end, and a published one, which is no task.
	draft := &ballot.ContractReview{ContractID: e.contract.ID, Point: ballot.EndPoint{Kind: ballot.PointEnd, On: e.contract.EndsOn}}
	must(t, e.st.Reviews.OpenReview(ctx, draft, "test"))
	done := &ballot.ContractReview{ContractID: e.contract.ID, Point: ballot.EndPoint{Kind: ballot.PointTermination, On: e.contract.EndsOn}}
	must(t, e.st.Reviews.OpenReview(ctx, done, "test"))
	done.PublicInterestCase, done.Route = "Case", ballot.RouteInHouse
	done.InHouse = ballot.Appraisal{CostPence: 1, Quality: "q", Workforce: "w", Risk: "r"}
	must(t, e.st.Reviews.SaveReview(ctx, done, "test"))
	if _, err := e.st.Reviews.PublishReview(ctx, done.ID, 28, "test"); err != nil {
		t.Fatal(err)
	}
	pid, bid := itoa(p.ID), itoa(b)
	want := map[string]string{
		"Review ‘" + e.contract.Title + "’: contract ends " + e.contract.EndsOn.Format("2 January 2006"): "/admin/contracts/" + itoa(e.contract.ID) + "/reviews/" + itoa(draft.ID),
		"Moderate ‘Bring bins back’":                                          "/admin/petitions/" + pid,
		"Review held signatures on ‘End the CleanCo contract’":                "/admin/petitions/" + itoa(e.petition.ID) + "#review",
		"Open the ballot ‘Should the council end its contract with CleanCo?’": "/admin/ballots/" + bid,
		"Libraries": "/admin/consultations/soon-2",
		"Publish the outcome of ‘Parks shut’": "/admin/consultations/shut/outcome",
		"Record the decision on ‘Parks told’": "/admin/consultations/told/decision",
		"Mail is failing to send":             "/admin/outbox",
	}
	got := e.tasks(e.admin)
	for name, href := range want {
		if got[name] != href {
			t.Errorf("admin task %q: got link %q, want %q", name, got[name], href)
		}
	}
	if len(got) != len(want) {
		t.Errorf("admin tasks: got %v, want %v", got, want)
	}
	mod := e.tasks(e.mod)
	if len(mod) != 2 || mod["Moderate ‘Bring bins back’"] == "" || mod["Review held signatures on ‘End the CleanCo contract’"] == "" {
		t.Errorf("moderator tasks: got %v", mod)
	}
	for _, href := range mod {
		if res, _ := e.get(e.mod, href); res.StatusCode != http.StatusOK {
			t.Errorf("moderator GET %s: got %d", href, res.StatusCode)
		}
	}
	if _, body := e.get(e.admin, "/admin/"); !strings.Contains(body, `class="govuk-task-list"`) {
		t.Errorf("the dashboard has no GOV.UK task list")
	}
}
