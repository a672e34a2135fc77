package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web"
)

// xssPayloads are typed into free-text fields; none may come back raw.
var xssPayloads = []string{
	`<script>alert("x")</script>`,
	`"><img src=x onerror=alert(1)>`,
	`javascript:alert(1)//<svg onload=alert(1)>`,
}

// TestXSS_EscapedEverywhere types each payload into every free-text field of
// the consultation and petition journeys, then reads every page that shows
// them: the raw markup must never come back.
func TestXSS_EscapedEverywhere(t *testing.T) {
	for i, payload := range xssPayloads {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			e := newPetitionEnv(t, 10)
			slug := fmt.Sprintf("xss-%d", i)
			form := url.Values{"title": {"T " + payload}, "slug": {slug}, "summary": {payload}, "service": {payload},
				"proposal": {"outsource"}, "public_interest_case": {payload}, "in_house_bid": {payload},
				"social_value_weight": {"10"}, "at_risk_contact": {"no"}, "rights_threat": {"no"}, "audience": {"anyone"}}
			if res, body := e.postBody(e.admin, "/admin/consultations", form); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("create: got %d %.300s", res.StatusCode, body)
			}
			base := "/admin/consultations/" + slug
			for _, q := range []url.Values{
				{"kind": {"single"}, "prompt": {payload}, "hint": {payload}, "options": {payload + "\nOther"}, "required": {"yes"}},
				{"kind": {"text"}, "prompt": {"Say " + payload}},
			} {
				if res := e.post(e.admin, base+"/questions", q); res.StatusCode != http.StatusSeeOther {
					t.Fatalf("question: got %d", res.StatusCode)
				}
			}
			e.post(e.admin, base+"/open", confirmed(nil))
			c, err := e.store.Consultation(context.Background(), slug)
			if err != nil {
				t.Fatal(err)
			}
			answer := url.Values{c.Questions[0].Field(): {itoa(c.Questions[0].Options[0].ID)}, c.Questions[1].Field(): {"=" + payload}}
			if res := e.post(e.anon, "/consultations/"+slug+"/responses", answer); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("respond: got %d", res.StatusCode)
			}
			// A theme named with the payload, on that answer, shows on the outcome.
			if res := e.post(e.admin, base+"/themes", url.Values{"theme_name": {payload}}); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("theme: got %d", res.StatusCode)
			}
			themes, _ := e.store.Themes(context.Background(), slug)
			answers, _ := e.store.TextAnswers(context.Background(), slug, consult.AnswerQuery{QuestionID: c.Questions[1].ID, Limit: 1})
			rid := itoa(answers.Answers[0].ResponseID)
			e.post(e.admin, base+"/answers", url.Values{"question": {itoa(c.Questions[1].ID)}, "answer": {rid}, "theme-" + rid: {itoa(themes[0].ID)}})
			bad := url.Values{c.Questions[1].Field(): {payload}, "email": {payload}}
			_, refused := e.postBody(e.anon, "/consultations/"+slug+"/responses", bad)
			e.post(e.admin, base+"/close", confirmed(nil))
			e.post(e.admin, base+"/outcome", confirmed(url.Values{"we_asked": {payload}, "you_said": {payload}, "we_did": {payload}}))
			e.post(e.admin, base+"/decision", confirmed(url.Values{"decision": {"in_house"}, "summary": {payload}, "in_house_comparison": {payload}}))
			pet := url.Values{"contract": {fmt.Sprint(e.contract.ID)}, "title": {payload}, "reasons": {payload}, "name": {payload},
				"email": {"sam@example.org"}, "count_policy": {"live"}}
			_, petPage := e.postBody(e.anon, "/petitions", pet)

			pages := map[string]string{"refused response": refused, "petition created": petPage}
			for _, p := range []string{"/", "/consultations", "/consultations/" + slug, base, "/admin/", "/admin/audit", base + "/answers", base + "/themes",
				"/admin/petitions", "/admin/petitions/1", "/admin/outbox", "/api/consultations/" + slug} {
				cl := e.anon
				if strings.HasPrefix(p, "/admin") {
					cl = e.admin
				}
				res, body := e.get(cl, p)
				if res.StatusCode != 200 {
					t.Errorf("GET %s: got %d", p, res.StatusCode)
				}
				pages[p] = body
			}
			if esc := html.EscapeString(payload); !strings.Contains(pages["/consultations/"+slug], esc) || !strings.Contains(pages[base], esc) {
				t.Errorf("the payload is not shown (escaped) at all, so this test proves nothing")
			}
			for name, body := range pages {
				if strings.Contains(body, payload) && !strings.HasPrefix(name, "/api/") {
					t.Errorf("%s: payload %q appears unescaped", name, payload)
				}
				if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || strings.Contains(body, "<svg onload") {
					t.Errorf("%s: live markup from the payload", name)
				}
			}
			_, csvBody := e.get(e.admin, base+"/responses.csv")
			rows, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
			if err != nil || len(rows) != 2 {
				t.Fatalf("csv: %v, %d rows", err, len(rows))
			}
			if got := rows[1][6+len(c.Questions)-1]; got != "'="+payload {
				t.Errorf("csv cell: got %q, want it neutralised with a leading quote", got)
			}
		})
	}
}

func TestCSVCellsNeutralised(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("csvx")
	for i, v := range []string{"=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "plain"} {
		f := validForm(c)
		f.Set(c.Questions[3].Field(), v)
		f.Set("email", fmt.Sprintf("p%d@example.org", i))
		if res := e.post(e.anon, "/consultations/csvx/responses", f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("respond %q: got %d", v, res.StatusCode)
		}
	}
	_, body := e.get(e.admin, "/admin/consultations/csvx/responses.csv")
	rows, _ := csv.NewReader(strings.NewReader(body)).ReadAll()
	for _, r := range rows[1:] {
		cell := r[slices.Index(rows[0], "Anything else?")]
		if cell != "plain" && !strings.HasPrefix(cell, "'") {
			t.Errorf("cell %q not neutralised", cell)
		}
	}
}

func TestHeadersOnEveryPage(t *testing.T) {
	e := newPetitionEnv(t, 10)
	e.openConsultation("hdr")
	paths := []string{"/", "/consultations", "/consultations/hdr", "/petitions", "/petitions/new", "/contracts",
		"/accessibility", "/admin/signin", "/api/consultations", "/api/petitions", "/nope", "/healthz",
		"/static/js/app.js", "/accountability", "/api/accountability"}
	for _, p := range paths {
		res, _ := e.get(e.anon, p)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: nosniff %q, referrer %q", p, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
		}
	}
}

// TestStaticCannotEscape: /static/ serves the files under web/static, as
// they are, and nothing else: no directory listing, and no path that climbs
// out (web/server.go is on disk beside static/ when tests run), however the
// dots and slashes are written. Redirects are followed to the end.
func TestStaticCannotEscape(t *testing.T) {
	e := newEnv(t)
	follow := &http.Client{}
	want, err := os.ReadFile("static/js/live.js")
	if err != nil {
		t.Fatal(err)
	}
	if res, body := e.get(follow, "/static/js/live.js"); res.StatusCode != http.StatusOK || body != string(want) {
		t.Errorf("/static/js/live.js: got %d, %d bytes; want 200 and the file's %d bytes", res.StatusCode, len(body), len(want))
	}
	for _, p := range []string{"/static", "/static/", "/static/js/", "/static/print/"} {
		if res, body := e.get(follow, p); res.StatusCode != http.StatusNotFound || strings.Contains(body, "live.js") {
			t.Errorf("%s: got %d; want 404 and no listing", p, res.StatusCode)
		}
	}
	for _, p := range []string{"/static/../server.go", "/static/%2e%2e/server.go", "/static/..%2fserver.go",
		"/static/%2e%2e%2fserver.go", "/static/js/..%2f..%2fserver.go", "/static/..%5cserver.go", "/static//../../go.mod",
		"/static/js/%2e%2e/%2e%2e/templates/base.html", "/static/templates/base.html", "/static/%2fetc%2fpasswd"} {
		res, body := e.get(follow, p)
		if res.StatusCode < 400 || strings.Contains(body, "package web") || strings.Contains(body, "{{define") {
			t.Errorf("%s: got %d (%d bytes); want an error status and nothing from outside static", p, res.StatusCode, len(body))
		}
	}
}

func TestSessionCookieFlags(t *testing.T) {
	e := newEnv(t)
	res := e.post(e.client(), "/admin/signin", url.Values{"email": {"admin@council.test"}, "password": {testPassword}})
	var found bool
	for _, ck := range res.Cookies() {
		if ck.Name == "oursay_session" {
			found = true
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
				t.Errorf("cookie flags: HttpOnly %v SameSite %v Path %q", ck.HttpOnly, ck.SameSite, ck.Path)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie at sign-in")
	}
}

// TestCrossSite_EveryStateChangingRoute posts from another site to every
// POST route in the route table (so a new route is covered the day it is
// added), as a signed-in admin: each is refused
// with 403 and nothing in the database changes.
func TestCrossSite_EveryStateChangingRoute(t *testing.T) {
	e := newPetitionEnv(t, 10)
	id := e.openInStore()
	c := e.openConsultation("xsite")
	routes := tableRoutes(t, regexp.MustCompile(`^(POST|PUT|PATCH|DELETE) `))
	for _, must := range []string{"POST /petitions/{id}/signatures", "POST /admin/contracts/new", "POST /admin/council",
		"POST /ballots/{id}/votes", "POST /admin/ballots/{id}/open", "POST /consultations/{slug}/responses", "POST /admin/signin"} {
		if !routes[must] {
			t.Fatalf("%s not in the route table: the pattern is out of date", must)
		}
	}
	tables := []string{"audit_log", "responses", "signatures", "petitions", "contracts", "ballots", "blocked_domains", "outbox"}
	before := e.rowCounts(tables)
	values := map[string]string{"slug": "xsite", "id": itoa(id), "sid": "1"}
	form := validForm(c)
	form.Set("name", "Cross Site")
	for pattern := range routes {
		method, path := fillPattern(pattern, values)
		for _, hdr := range [][]string{
			{"Origin", "https://evil.example"},
			{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"},
		} {
			res, _ := e.do(e.admin, method, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), hdr...)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s with %v: got %d, want 403", method, path, hdr, res.StatusCode)
			}
		}
	}
	if after := e.rowCounts(tables); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("rows changed: before %v, after %v", before, after)
	}
}

func (e *testEnv) rowCounts(tables []string) []int {
	e.t.Helper()
	out := make([]int, len(tables))
	for i, tb := range tables {
		if err := e.db.Reader().QueryRow(`SELECT COUNT(*) FROM ` + tb).Scan(&out[i]); err != nil {
			e.t.Fatal(err)
		}
	}
	return out
}

// TestSessionCookie_HostPrefixOverHTTPS: served at an https address, the
// session cookie is __Host- prefixed (so no subdomain can set or shadow
// it), Secure, HttpOnly, SameSite=Lax, with Path=/ and no Domain.
func TestSessionCookie_HostPrefixOverHTTPS(t *testing.T) {
	e := newEnvWith(t, func(c *web.Config) { c.BaseURL = "https://oursay.example" })
	res := e.post(e.client(), "/admin/signin", url.Values{"email": {"admin@council.test"}, "password": {testPassword}})
	var found bool
	for _, ck := range res.Cookies() {
		if ck.Name == "oursay_session" {
			t.Errorf("a plain session cookie over https")
		}
		if ck.Name == "__Host-oursay_session" {
			found = true
			if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Domain != "" {
				t.Errorf("cookie: Secure %v HttpOnly %v SameSite %v Path %q Domain %q", ck.Secure, ck.HttpOnly, ck.SameSite, ck.Path, ck.Domain)
			}
		}
	}
	if !found {
		t.Fatalf("no __Host- session cookie at sign-in: %v", res.Header.Values("Set-Cookie"))
	}
}
