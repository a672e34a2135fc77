package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestConsultationTaskList: "About the consultation" creates a draft with
// its record not started; each section page saves only its own fields and
// shows only its own errors; the statuses follow; check and publish opens
// only once every section is complete.
func TestConsultationTaskList(t *testing.T) {
	e := newEnv(t)
	res, body := e.get(e.admin, "/admin/consultations/new")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "About the consultation") || strings.Contains(body, `name="service"`) {
		t.Fatalf("new: got %d, want the About section alone", res.StatusCode)
	}
	res, body = e.postBody(e.admin, "/admin/consultations", url.Values{"section": {"about"}, "title": {""}, "summary": {"x"}})
	if got := errorSummary(t, body); res.StatusCode != http.StatusUnprocessableEntity || got["title"] != "Enter a title" || got["service"] != "" || got["at_risk_contact"] != "" {
		t.Errorf("about without a title: %d %v", res.StatusCode, got)
	}
	res = e.post(e.admin, "/admin/consultations", url.Values{"section": {"about"}, "title": {"Bins"}, "slug": {"bins"}, "summary": {"Who collects the bins"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/consultations/bins/tasks" {
		t.Fatalf("about: got %d to %s", res.StatusCode, res.Header.Get("Location"))
	}
	status := func(section string) string {
		_, page := e.get(e.admin, "/admin/consultations/bins/tasks")
		i := strings.Index(page, `id="task-`+section+`-status">`)
		if i < 0 {
			t.Fatalf("no status for %s", section)
		}
		rest := page[i:]
		return rest[strings.Index(rest, ">")+1 : strings.Index(rest, "</div>")]
	}
	if s := status("about"); s != "Completed" {
		t.Errorf("about: %q", s)
	}
	if s := status("record"); !strings.Contains(s, "Incomplete") {
		t.Errorf("record: %q", s)
	}
	if s := status("publish"); s != "Cannot start yet" {
		t.Errorf("publish: %q", s)
	}
	_, page := e.get(e.admin, "/admin/consultations/bins/section/record")
	if strings.Contains(page, `name="proposal" type="radio" value="in_house" checked`) || strings.Contains(page, `name="at_risk_contact" type="radio" value="no" checked`) {
		t.Error("a record not started should have no answer chosen")
	}
	res, body = e.postBody(e.admin, "/admin/consultations/bins/section/record", url.Values{"service": {"Bins"}})
	if got := errorSummary(t, body); res.StatusCode != http.StatusUnprocessableEntity || got["proposal"] == "" || got["title"] != "" || got["audience"] != "" {
		t.Errorf("record half done: %d %v", res.StatusCode, got)
	}
	// The record page asks "Was there an in-house bid?" and "Is an
	// exemption claimed?", each revealing its details.
	res, body = e.postBody(e.admin, "/admin/consultations/bins/section/record", url.Values{"reveals": {"yes"}, "service": {"Bins"},
		"proposal": {"in_house"}, "social_value_weight": {"20"}, "at_risk_contact": {"no"}, "rights_threat": {"no"}, "in_house_bid": {""}, "no_in_house_reason": {""},
		"exemption": {""}, "exemption_reason": {""}})
	if got := errorSummary(t, body); got["has_in_house_bid"] != "Say whether there was an in-house bid" || got["in_house_bid"] != "" ||
		got["exemption_claimed"] != "Say whether an exemption is claimed" {
		t.Errorf("questions unanswered: %v", got)
	}
	for _, want := range []string{`data-reveal="conditional-has_in_house_bid"`, `class="govuk-radios__conditional govuk-radios__conditional--hidden" id="conditional-has_in_house_bid-1"`,
		`data-module="govuk-character-count" data-maxlength="10000"`, "You can enter up to 10,000 characters"} {
		if !strings.Contains(body, want) {
			t.Errorf("record page lacks %s", want)
		}
	}
	record := url.Values{"service": {"Bins"}, "proposal": {"in_house"}, "in_house_bid": {"The waste team"}, "social_value_weight": {"20"},
		"at_risk_contact": {"no"}, "rights_threat": {"no"}, "exemption": {""}}
	if res := e.post(e.admin, "/admin/consultations/bins/section/record", record); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d", res.StatusCode)
	}
	audience := url.Values{"audience": {"residents"}, "closes_on-day": {"31"}, "closes_on-month": {"2"}, "closes_on-year": {"2099"}}
	if res, body := e.postBody(e.admin, "/admin/consultations/bins/section/audience", audience); res.StatusCode != http.StatusUnprocessableEntity ||
		errorSummary(t, body)["closes_on"] != "Closing date must be a real date" {
		t.Errorf("audience with 31 February: %d", res.StatusCode)
	}
	audience.Set("closes_on-day", "28")
	if res := e.post(e.admin, "/admin/consultations/bins/section/audience", audience); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("audience: %d", res.StatusCode)
	}
	if s := status("record") + status("audience"); s != "CompletedCompleted" {
		t.Errorf("record and audience: %q", s)
	}
	_, check := e.get(e.admin, "/admin/consultations/bins/check")
	if !strings.Contains(check, `id="not-ready"`) {
		t.Error("check answers without questions should not offer to publish")
	}
	if res := e.post(e.admin, "/admin/consultations/bins/questions", url.Values{"kind": {"text"}, "prompt": {"Anything else?"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("question: %d", res.StatusCode)
	}
	if s := status("publish"); !strings.Contains(s, "Incomplete") {
		t.Errorf("publish once the rest is done: %q", s)
	}
	_, check = e.get(e.admin, "/admin/consultations/bins/check")
	for _, want := range []string{"Who collects the bins", "The waste team", "Anything else?", "Residents only", `action="/admin/consultations/bins/open"`} {
		if !strings.Contains(check, want) {
			t.Errorf("check answers lacks %s", want)
		}
	}
	// The About section, saved again, keeps the record and the web address.
	if res := e.post(e.admin, "/admin/consultations/bins/section/about", url.Values{"title": {"Bin collection"}, "summary": {"Who collects the bins"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("about again: %d", res.StatusCode)
	}
	_, check = e.get(e.admin, "/admin/consultations/bins/check")
	if !strings.Contains(check, "Bin collection") || !strings.Contains(check, "The waste team") || !strings.Contains(check, "/consultations/bins<") {
		t.Error("saving About lost another section or moved the web address")
	}
	if res := e.post(e.admin, "/admin/consultations/bins/open", confirmed(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("open: %d", res.StatusCode)
	}
	if res, _ := e.get(e.admin, "/admin/consultations/bins/section/about"); res.StatusCode != http.StatusConflict {
		t.Errorf("a section of an open consultation: got %d, want 409", res.StatusCode)
	}
}
