package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web"
)

// settingsValues is a whole valid settings form.
func settingsValues() url.Values {
	return url.Values{
		"council_name": {"Elsewhere District Council"}, "service_name": {"Have Your Say"},
		"contact_email": {"haveyoursay@elsewhere.gov.uk"}, "contact_phone": {"020 7946 0000"},
		"postal_address": {"Civic Centre\nElsewhere\nEL1 2SE"}, "dpo_contact": {"dpo@elsewhere.gov.uk"},
		"a11y_status": {"partially"}, "a11y_issues": {"Posters are untagged PDFs."},
		"a11y_prepared": {"2026-10-01"}, "a11y_reviewed": {"2026-11-15"},
		"signer_months": {"9"}, "respondent_months": {"12"}, "mail_days": {"14"},
		"ocds_publisher": {"Elsewhere District Council"}, "ocid_prefix": {"ocds-else42"},
		"paper_phone": {"020 7946 0001"}, "paper_address": {"Freepost ELSEWHERE"},
		"phase_banner": {"Alpha"}, "feedback_url": {"https://elsewhere.gov.uk/feedback"},
		"review_lead_months": {"12"}, "challenge_days": {"30"},
	}
}

func TestCouncilSettings_Save(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	t.Run("Access", func(t *testing.T) {
		if res, _ := e.get(e.mod, "/admin/council/settings"); res.StatusCode != http.StatusForbidden {
			t.Errorf("moderator GET: got %d, want 403", res.StatusCode)
		}
		if res := e.post(e.mod, "/admin/council/settings", settingsValues()); res.StatusCode != http.StatusForbidden {
			t.Errorf("moderator POST: got %d, want 403", res.StatusCode)
		}
		res, body := e.get(e.admin, "/admin/council/settings")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `value="Demo Borough Council"`) {
			t.Errorf("admin GET: got %d, want 200 with the current council name", res.StatusCode)
		}
		if _, home := e.get(e.admin, "/admin/"); !strings.Contains(home, `href="/admin/council/settings"`) {
			t.Error("the admin home does not link to the council settings")
		}
	})
	for _, tc := range []struct {
		field, value, want string
	}{
		{"contact_email", "council-at-elsewhere", "Enter the council's contact email address in the correct format"},
		{"contact_phone", "12345", "Enter a UK phone number"},
		{"paper_phone", "", "Enter the phone number to ask for a paper form"},
		{"ocid_prefix", "ocds_else", "ocds- followed by letters and digits"},
		{"council_name", "", "Enter the council's name"},
		{"signer_months", "six", "Enter how many months to keep signers' details as a whole number"},
		{"mail_days", "0", "Enter how many days to keep sent mail, from 1 to 365"},
		{"a11y_reviewed", "2026-09-01", "same as or after the date prepared"},
		{"a11y_prepared", "1 October", "Date the statement was prepared must be a real date"},
		{"feedback_url", "", "Enter a feedback link for the phase banner"},
		{"review_lead_months", "", "Enter the lead time for contract reviews as a whole number of months, like 9"},
		{"challenge_days", "3", "Enter the challenge window as a whole number of days from 7 to 90"},
	} {
		t.Run("Refused/"+tc.field, func(t *testing.T) {
			form := settingsValues()
			form.Set(tc.field, tc.value)
			res, body := e.postBody(e.admin, "/admin/council/settings", form)
			body = html.UnescapeString(body)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422", res.StatusCode)
			}
			for _, want := range []string{"There is a problem", `href="#` + tc.field + `"`, `id="` + tc.field + `-error"`, tc.want} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if !strings.Contains(body, "Elsewhere District Council") && tc.field != "council_name" {
				t.Error("the refused form lost what was typed")
			}
			if got, _ := e.st.Settings.Settings(ctx); got.CouncilName != "Demo Borough Council" {
				t.Errorf("council name %q saved from a refused form", got.CouncilName)
			}
			if _, home := e.get(e.anon, "/"); strings.Contains(home, "Elsewhere") {
				t.Error("a refused form changed the header")
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		res := e.post(e.admin, "/admin/council/settings", settingsValues())
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/council/settings" {
			t.Fatalf("got %d to %q, want 303 back to the settings", res.StatusCode, res.Header.Get("Location"))
		}
		got, err := e.st.Settings.Settings(ctx)
		if err != nil || got.CouncilName != "Elsewhere District Council" || got.Retention.SignerMonths != 9 || got.OCIDPrefix != "ocds-else42" ||
			got.Reviews != (consult.ReviewTimes{LeadMonths: 12, ChallengeDays: 30}) {
			t.Fatalf("saved %+v, %v", got, err)
		}
		entries, _ := e.st.Audit.AuditEntries(ctx, 5)
		if len(entries) == 0 || entries[0].Action != "council.settings_change" || entries[0].Actor != "admin@council.test" ||
			!strings.HasPrefix(entries[0].Detail, "Changed the council settings: council name, service name") {
			t.Errorf("latest audit entry %+v, want the settings change by the admin", entries[0])
		}
		// The pages take the new settings at once, without a restart.
		_, home := e.get(e.anon, "/")
		for _, want := range []string{"<title>Have your say on council services – Have Your Say – Elsewhere District Council</title>",
			`govuk-generic-header__homepage-link">Elsewhere District Council<`, `govuk-service-navigation__link">Have Your Say<`,
			"Alpha", `href="https://elsewhere.gov.uk/feedback"`} {
			if !strings.Contains(home, want) {
				t.Errorf("home page lacks %q", want)
			}
		}
		_, privacy := e.get(e.anon, "/privacy")
		for _, want := range []string{"Elsewhere District Council is the data controller", "dpo@elsewhere.gov.uk",
			"9 months after the petition closes", "12 months after the consultation", "14 days after they were sent", "ico.org.uk"} {
			if !strings.Contains(privacy, want) {
				t.Errorf("privacy notice lacks %q", want)
			}
		}
		_, a11y := e.get(e.anon, "/accessibility")
		for _, want := range []string{"This service is partially compliant with", "Posters are untagged PDFs.",
			"prepared on 1 October 2026", "last reviewed on 15 November 2026", "020 7946 0001", "Equality Advisory and Support Service"} {
			if !strings.Contains(a11y, want) {
				t.Errorf("accessibility statement lacks %q", want)
			}
		}
		var api map[string]string
		_, body := e.get(e.anon, "/api/council")
		if err := json.Unmarshal([]byte(body), &api); err != nil || api["council_name"] != "Elsewhere District Council" ||
			api["ocid_prefix"] != "ocds-else42" || api["dpo_contact"] != "" {
			t.Errorf("/api/council = %s, %v; want the public part of the new settings", body, err)
		}
	})
}

// TestLegalPages_FooterLinks follows every link in the footer: each
// answers 200 with a page of its own.
func TestLegalPages_FooterLinks(t *testing.T) {
	e := newEnv(t)
	_, home := e.get(e.anon, "/")
	footer := home[strings.Index(home, `<footer`):]
	links := regexp.MustCompile(`href="(/[^"]*)"`).FindAllStringSubmatch(footer, -1)
	want := map[string]bool{"/privacy": false, "/cookies": false, "/accessibility": false, "/contact": false, "/open-data": false,
		"/accountability": false}
	for _, l := range links {
		res, body := e.get(e.anon, l[1])
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Demo Borough Council") {
			t.Errorf("GET %s: got %d, want 200 naming the council", l[1], res.StatusCode)
		}
		if _, ok := want[l[1]]; ok {
			want[l[1]] = true
		}
	}
	for p, seen := range want {
		if !seen {
			t.Errorf("the footer does not link to %s", p)
		}
	}
	_, cookies := e.get(e.anon, "/cookies")
	for _, want := range []string{"oursay_session", "2 hours without use", "12 hours", "oursay_vote", "30 minutes", "do not use analytics"} {
		if !strings.Contains(cookies, want) {
			t.Errorf("cookies page lacks %q", want)
		}
	}
	_, contact := e.get(e.anon, "/contact")
	d := consult.DefaultSettings()
	for _, want := range []string{d.ContactEmail, d.ContactPhone, d.Paper.Phone} {
		if !strings.Contains(contact, want) {
			t.Errorf("contact page lacks %q", want)
		}
	}
}

// TestOpenData_LinksAreRoutes: every address the open data page lists is
// served, and the page links each that needs no id.
func TestOpenData_LinksAreRoutes(t *testing.T) {
	e := newEnv(t)
	routes := web.RouteTable()
	_, page := e.get(e.anon, "/open-data")
	for _, p := range web.OpenDataPaths() {
		if routes["GET "+p] != "anyone" {
			t.Errorf("open data lists %s, which is not a public GET route", p)
		}
		if !strings.Contains(p, "{") {
			if !strings.Contains(page, `href="`+p+`"`) {
				t.Errorf("open data page does not link %s", p)
			}
			if res, _ := e.get(e.anon, p); res.StatusCode != http.StatusOK {
				t.Errorf("GET %s: got %d, want 200", p, res.StatusCode)
			}
		}
	}
}
