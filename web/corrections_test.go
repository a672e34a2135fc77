package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
)

// TestCorrections_ClosingDateAndWording: an admin moves an open
// consultation's closing date (never to the past) and corrects its title,
// each confirmed and audited; the public page and the JSON show both. Its
// questions cannot change, and the pages say so.
func TestCorrections_ClosingDateAndWording(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("parks")
	base := "/admin/consultations/parks"

	res, page := e.get(e.admin, base+"/corrections")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "questions and their options cannot change") {
		t.Fatalf("corrections page: got %d without saying questions are fixed", res.StatusCode)
	}
	if res := e.post(e.admin, base+"/closing-date", confirmed(url.Values{"closes_on": {"2020-01-01"}})); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a closing date in the past: got %d, want 422", res.StatusCode)
	}
	_, body := e.postBody(e.admin, base+"/closing-date", url.Values{"closes_on-day": {"31"}, "closes_on-month": {"2"}, "closes_on-year": {"2027"}})
	if !strings.Contains(body, `<a href="#closes_on-day">Closing date must be a real date`) {
		t.Errorf("an impossible date shows no error summary linking to its day")
	}
	if !strings.Contains(body, `id="closes_on-day" name="closes_on-day" type="text" inputmode="numeric" autocomplete="off" value="31"`) ||
		!strings.Contains(body, `govuk-input--width-2 govuk-input--error" id="closes_on-day"`) ||
		strings.Contains(body, `govuk-input--error" id="closes_on-month"`) {
		t.Errorf("an impossible day should highlight the day alone and keep what was typed")
	}
	day := time.Now().AddDate(0, 0, 20).In(consult.London)
	res = e.post(e.admin, base+"/closing-date", confirmed(url.Values{"closes_on": {day.Format("2006-01-02")}}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change the closing date: got %d", res.StatusCode)
	}
	res = e.post(e.admin, base+"/wording", confirmed(url.Values{"title": {"Parks and gardens"}, "summary": {"About the parks"}}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correct the wording: got %d", res.StatusCode)
	}
	_, body = e.postBody(e.admin, base+"/wording", confirmed(url.Values{"title": {"Parks and gardens"}, "summary": {"About the parks"}}))
	if !strings.Contains(body, "same as now") {
		t.Error("an unchanged correction is not refused")
	}

	_, page = e.get(e.anon, "/consultations/parks")
	newDate := "11:59pm on " + day.Format("2 January 2006")
	for _, want := range []string{
		"Closing date changed from none to " + newDate + " on " + time.Now().In(consult.London).Format("2 January 2006") + ".",
		"Title changed from ‘Parks parks’ to ‘Parks and gardens’ by admin@council.test.",
		"<h1 class=\"govuk-heading-xl\">Parks and gardens</h1>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("public page lacks %q", want)
		}
	}
	_, doc := e.getJSON("/api/consultations/parks")
	if got := fmt.Sprint(doc["corrections"]); !strings.Contains(got, "field:closes_at") || !strings.Contains(got, "new:Parks and gardens") {
		t.Errorf("JSON corrections: %s", got)
	}
	if a := e.auditActions(); !strings.Contains(a, "consultation.closing_date admin@council.test") || !strings.Contains(a, "consultation.wording admin@council.test") {
		t.Errorf("audit: %s", a)
	}

	// Where an officer would try to change the questions, they are told why not.
	res, _ = e.get(e.admin, base+"/edit")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base+"/corrections" {
		t.Errorf("edit an open consultation: got %d to %q, want the corrections page", res.StatusCode, res.Header.Get("Location"))
	}
	_, page = e.get(e.admin, base)
	if !strings.Contains(page, `id="questions-fixed"`) || strings.Contains(page, "/questions/"+itoa(c.Questions[0].ID)+"/edit") {
		t.Error("the manage page of an open consultation offers to edit questions or does not say they are fixed")
	}
	res, body = e.get(e.admin, base+"/questions/"+itoa(c.Questions[0].ID)+"/edit")
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "questions and options cannot change") {
		t.Errorf("edit a question of an open consultation: got %d", res.StatusCode)
	}
	res, body = e.postBody(e.admin, base+"/questions", url.Values{"kind": {"text"}, "prompt": {"Late question"}})
	if res.StatusCode < 400 || !strings.Contains(body, "questions and options cannot change") {
		t.Errorf("add a question when open: got %d without saying why not", res.StatusCode)
	}

	must(t, e.store.Close(context.Background(), "parks", "test"))
	if res, _ := e.get(e.admin, base+"/corrections"); res.StatusCode != http.StatusConflict {
		t.Errorf("corrections page of a closed consultation: got %d, want 409", res.StatusCode)
	}
}

// TestDraftQuestions_EditAndReorder: in a draft, a question can be edited
// (refused with its errors when wrong) and moved up and down.
func TestDraftQuestions_EditAndReorder(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	must(t, e.store.CreateConsultation(ctx, &consult.Consultation{Slug: "draft", Title: "Draft", Summary: "S", Audience: consult.AudienceAnyone,
		Record: consult.Record{Service: "Parks", Proposal: consult.ProposalOutsource, PublicInterestCase: "Cheaper", InHouseBid: "Bid", SocialValueWeight: 20}}, "test"))
	for _, p := range []string{"First?", "Second?", "Third?"} {
		must(t, e.store.AddQuestion(ctx, "draft", &consult.Question{Kind: consult.KindText, Prompt: p}, "test"))
	}
	c, _ := e.store.Consultation(ctx, "draft")
	base := "/admin/consultations/draft"
	edit := base + "/questions/" + itoa(c.Questions[1].ID) + "/edit"
	if _, page := e.get(e.admin, edit); !strings.Contains(page, `value="Second?"`) {
		t.Error("the edit form does not show the question as saved")
	}
	res, body := e.postBody(e.admin, edit, url.Values{"kind": {"single"}, "prompt": {"Second, better?"}, "options": {"Only one"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `<a href="#options">Give from 2 to 20 options`) {
		t.Errorf("one option: got %d without the error", res.StatusCode)
	}
	if res := e.post(e.admin, edit, url.Values{"kind": {"single"}, "prompt": {"Second, better?"}, "options": {"Yes\nNo"}, "required": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: got %d", res.StatusCode)
	}
	move := func(i int, dir string) int {
		return e.post(e.admin, base+"/questions/"+itoa(c.Questions[i].ID)+"/move", url.Values{"direction": {dir}}).StatusCode
	}
	if got := move(2, "up"); got != http.StatusSeeOther {
		t.Errorf("move up: got %d", got)
	}
	if got := move(0, "up"); got != http.StatusConflict {
		t.Errorf("move the first up: got %d, want 409", got)
	}
	got, _ := e.store.Consultation(ctx, "draft")
	var order []string
	for _, q := range got.Questions {
		order = append(order, q.Prompt)
	}
	if fmt.Sprint(order) != "[First? Third? Second, better?]" || len(got.Questions[2].Options) != 2 || !got.Questions[2].Required {
		t.Errorf("questions: %v, %+v", order, got.Questions[2])
	}
	_, page := e.get(e.admin, base)
	if !strings.Contains(page, "Move down<span class=\"govuk-visually-hidden\"> question 1</span>") || strings.Contains(page, "Move up<span class=\"govuk-visually-hidden\"> question 1</span>") {
		t.Error("the manage page does not offer the right moves")
	}
	if a := e.auditActions(); !strings.Contains(a, "question.edit admin@council.test") || !strings.Contains(a, "question.move admin@council.test") {
		t.Errorf("audit: %s", a)
	}
}
