package web_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/oursay/oursay/web"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// adminRoutes is the access policy of every /admin/ route but sign-in and
// sign-out: staff (admins and moderators) or admins only.
// TestAdminRoutes_Complete keeps it whole.
var adminRoutes = []struct {
	pattern   string
	adminOnly bool
}{
	{"GET /admin/{$}", false},
	{"GET /admin/audit", true},
	{"GET /admin/outbox", true},
	{"GET /admin/consultations", false},
	{"GET /admin/consultations/new", true},
	{"POST /admin/consultations", true},
	{"GET /admin/consultations/{slug}", false},
	{"GET /admin/consultations/{slug}/edit", true},
	{"POST /admin/consultations/{slug}/edit", true},
	{"POST /admin/consultations/{slug}/questions", true},
	{"POST /admin/consultations/{slug}/questions/{id}/delete", true},
	{"GET /admin/consultations/{slug}/questions/{id}/edit", true},
	{"POST /admin/consultations/{slug}/questions/{id}/edit", true},
	{"POST /admin/consultations/{slug}/questions/{id}/move", true},
	{"GET /admin/consultations/{slug}/corrections", true},
	{"POST /admin/consultations/{slug}/closing-date", true},
	{"POST /admin/consultations/{slug}/wording", true},
	{"POST /admin/consultations/{slug}/open", true},
	{"POST /admin/consultations/{slug}/close", true},
	{"POST /admin/consultations/{slug}/codes", true},
	{"GET /admin/consultations/{slug}/outcome", true},
	{"POST /admin/consultations/{slug}/outcome", true},
	{"GET /admin/consultations/{slug}/decision", true},
	{"POST /admin/consultations/{slug}/decision", true},
	{"GET /admin/consultations/{slug}/tasks", true},
	{"GET /admin/consultations/{slug}/section/{section}", true},
	{"POST /admin/consultations/{slug}/section/{section}", true},
	{"GET /admin/consultations/{slug}/check", true},
	{"GET /admin/consultations/{slug}/outcome/revise", true},
	{"POST /admin/consultations/{slug}/outcome/revise", true},
	{"GET /admin/consultations/{slug}/decision/revise", true},
	{"POST /admin/consultations/{slug}/decision/revise", true},
	{"GET /admin/consultations/{slug}/responses.csv", true},
	{"GET /admin/consultations/{slug}/answers", false},
	{"POST /admin/consultations/{slug}/answers", false},
	{"GET /admin/consultations/{slug}/themes", true},
	{"POST /admin/consultations/{slug}/themes", true},
	{"POST /admin/consultations/{slug}/themes/{id}/rename", true},
	{"POST /admin/consultations/{slug}/themes/{id}/delete", true},
	{"GET /admin/consultations/{slug}/paper", false},
	{"POST /admin/consultations/{slug}/paper", false},
	{"GET /admin/consultations/{slug}/paper-forms.pdf", false},
	{"GET /admin/contracts", false},
	{"GET /admin/contracts/new", true},
	{"POST /admin/contracts/new", true},
	{"GET /admin/contracts/{id}/edit", true},
	{"POST /admin/contracts/{id}/edit", true},
	{"GET /admin/contracts/{id}/documents", true},
	{"POST /admin/contracts/{id}/documents", true},
	{"POST /admin/contracts/{id}/documents/{doc}/remove", true},
	{"GET /admin/contracts/{id}/reviews", false},
	{"POST /admin/contracts/{id}/reviews", true},
	{"GET /admin/contracts/{id}/reviews/{rid}", false},
	{"POST /admin/contracts/{id}/reviews/{rid}", true},
	{"POST /admin/contracts/{id}/reviews/{rid}/publish", true},
	{"POST /admin/contracts/{id}/reviews/{rid}/consultation", true},
	{"GET /admin/council", true},
	{"POST /admin/council", true},
	{"GET /admin/spending", true},
	{"POST /admin/spending", true},
	{"GET /admin/spending/imports/{id}", true},
	{"POST /admin/spending/imports/{id}/save", true},
	{"POST /admin/spending/imports/{id}/cancel", true},
	{"POST /admin/spending/payments/{id}/assign", true},
	{"GET /admin/council/settings", true},
	{"POST /admin/council/settings", true},
	{"GET /admin/petitions", false},
	{"GET /admin/petitions/{id}", false},
	{"GET /admin/petitions/{id}/activity", false},
	{"GET /admin/petitions/{id}/sheets.pdf", false},
	{"POST /admin/petitions/{id}/publish", false},
	{"POST /admin/petitions/{id}/reject", false},
	{"POST /admin/petitions/{id}/paper", false},
	{"POST /admin/petitions/{id}/signatures/{sid}/approve", false},
	{"POST /admin/petitions/{id}/signatures/{sid}/reject", false},
	{"POST /admin/petitions/{id}/invalidate", true},
	{"GET /admin/blocked-domains", true},
	{"POST /admin/blocked-domains", true},
	{"POST /admin/blocked-domains/remove", true},
	{"GET /admin/ballots", false},
	{"GET /admin/ballots/new", true},
	{"POST /admin/ballots", true},
	{"GET /admin/ballots/{id}", false},
	{"POST /admin/ballots/{id}/codes", true},
	{"POST /admin/ballots/{id}/open", true},
	{"POST /admin/ballots/{id}/close", true},
	{"POST /admin/ballots/{id}/response", true},
	{"GET /admin/session", false},
	{"GET /admin/resume", false},
	{"GET /admin/account", false},
	{"POST /admin/account/password", false},
	{"GET /admin/staff", true},
	{"GET /admin/staff/new", true},
	{"POST /admin/staff", true},
	{"POST /admin/staff/{id}/role", true},
	{"POST /admin/staff/{id}/disable", true},
	{"POST /admin/staff/{id}/enable", true},
	{"POST /admin/staff/{id}/unlock", true},
	{"GET /admin/people", true},
	{"POST /admin/people", true},
	{"POST /admin/people/export", true},
	{"POST /admin/people/erase", true},
	{"GET /admin/requests", false},
	{"GET /admin/requests/{id}", false},
	{"POST /admin/requests/{id}/publish", false},
	{"POST /admin/requests/{id}/reject", false},
	{"POST /admin/requests/{id}/answer", false},
	{"POST /admin/requests/{id}/refuse", false},
	{"POST /admin/requests/{id}/documents", false},
}

// publicAdminRoutes are the /admin/ routes anyone may use: signing in
// and out, and the forgotten-password and set-password pages, which a
// person without a session needs.
var publicAdminRoutes = []string{"GET /admin/signin", "POST /admin/signin", "POST /admin/signout",
	"GET /admin/forgot-password", "POST /admin/forgot-password", "GET /admin/set-password", "POST /admin/set-password"}

// fillPattern turns a route pattern into a method and a path to request.
func fillPattern(pattern string, values map[string]string) (string, string) {
	method, path, _ := strings.Cut(pattern, " ")
	path = strings.ReplaceAll(path, "{$}", "")
	for k, v := range values {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	return method, path
}

// tableRoutes returns the route table's patterns that match re, so a new
// route is covered the day it is added.
func tableRoutes(t *testing.T, re *regexp.Regexp) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for p := range web.RouteTable() {
		if re.MatchString(p) {
			out[p] = true
		}
	}
	return out
}

// TestAdminRoutes_Complete fails when a /admin/ route is added without a
// line in adminRoutes saying who may use it.
func TestAdminRoutes_Complete(t *testing.T) {
	inTable := map[string]bool{}
	for _, rt := range adminRoutes {
		inTable[rt.pattern] = true
	}
	table := web.RouteTable()
	found := tableRoutes(t, regexp.MustCompile(`^(GET|POST) /admin/`))
	for _, public := range publicAdminRoutes {
		if table[public] != "anyone" {
			t.Errorf("%s: got access %q, want anyone", public, table[public])
		}
		delete(found, public)
	}
	if len(found) < 40 {
		t.Fatalf("found only %d admin routes in the source: the pattern is out of date", len(found))
	}
	for p := range found {
		if !inTable[p] {
			t.Errorf("%s is not in adminRoutes", p)
		}
	}
	for _, rt := range adminRoutes {
		want := "staff"
		if rt.adminOnly {
			want = "admins"
		}
		if got := table[rt.pattern]; got != want && got != "" {
			t.Errorf("%s: the route table lets %q use it, want %q", rt.pattern, got, want)
		}
	}
	for p := range inTable {
		if !found[p] {
			t.Errorf("adminRoutes lists %s, which the source does not register", p)
		}
	}
}

// TestAdminRoutes_Access checks every /admin/ route: an anonymous client is
// sent to sign in (GET) or refused (POST), a moderator is refused where
// only admins may act, and an admin gets through.
func TestAdminRoutes_Access(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("access")
	values := map[string]string{"slug": "access", "id": itoa(c.Questions[0].ID), "sid": "1"}
	for _, rt := range adminRoutes {
		method, path := fillPattern(rt.pattern, values)
		t.Run(method+" "+path, func(t *testing.T) {
			res, _ := e.do(e.anon, method, path, "application/x-www-form-urlencoded", strings.NewReader(""))
			if method == "GET" {
				if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/signin") {
					t.Errorf("anonymous: got %d to %q, want 303 to /admin/signin", res.StatusCode, res.Header.Get("Location"))
				}
			} else if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous: got %d, want 401", res.StatusCode)
			}
			res, _ = e.do(e.mod, method, path, "application/x-www-form-urlencoded", strings.NewReader(""))
			if rt.adminOnly && res.StatusCode != http.StatusForbidden {
				t.Errorf("moderator: got %d, want 403", res.StatusCode)
			}
			if !rt.adminOnly && (res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized || res.StatusCode >= 500) {
				t.Errorf("moderator: got %d, want access", res.StatusCode)
			}
		})
	}
	// An admin reaches the read-only pages.
	for _, p := range []string{"/admin/", "/admin/consultations/new", "/admin/consultations/access", "/admin/audit",
		"/admin/consultations/access/responses.csv", "/admin/consultations/access/answers", "/admin/consultations/access/themes",
		"/admin/consultations/access/corrections", "/admin/blocked-domains", "/admin/petitions", "/admin/ballots", "/admin/contracts"} {
		if res, _ := e.get(e.admin, p); res.StatusCode != http.StatusOK {
			t.Errorf("admin GET %s: got %d, want 200", p, res.StatusCode)
		}
	}
}

func TestCrossOrigin(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("xorigin")
	form := validForm(c).Encode()
	cases := []struct {
		name string
		hdr  []string
	}{
		{"other origin", []string{"Origin", "https://evil.example"}},
		{"cross-site fetch", []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}},
	}
	for _, path := range []string{"/consultations/xorigin/responses", "/admin/signin", "/admin/consultations/xorigin/close", "/api/consultations/xorigin/responses",
		"/admin/consultations/xorigin/themes", "/admin/consultations/xorigin/answers"} {
		for _, tc := range cases {
			t.Run(tc.name+" "+path, func(t *testing.T) {
				res, _ := e.do(e.admin, http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form), tc.hdr...)
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("got %d, want 403", res.StatusCode)
				}
			})
		}
	}
	if n := e.responseCount("xorigin"); n != 0 {
		t.Errorf("responses saved by cross-origin posts: got %d, want 0", n)
	}
	if res := e.post(e.anon, "/consultations/xorigin/responses", validForm(c)); res.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin post: got %d, want 303", res.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	e.openConsultation("headers")
	for _, p := range []string{"/", "/consultations", "/consultations/headers", "/admin/signin", "/accessibility"} {
		res, body := e.get(e.anon, p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: got %d", p, res.StatusCode)
		}
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: CSP %q", p, csp)
		}
		for _, tag := range strings.Split(body, "<script")[1:] {
			if !strings.Contains(strings.SplitN(tag, ">", 2)[0], "src=") {
				t.Errorf("GET %s: inline script found", p)
			}
		}
		if !strings.Contains(body, `class="govuk-skip-link"`) || !strings.Contains(body, `href="/accessibility"`) {
			t.Errorf("GET %s: no skip link or accessibility link", p)
		}
	}
}

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	if res, body := e.get(e.anon, "/healthz"); res.StatusCode != 200 || body != "ok\n" {
		t.Errorf("got %d %q, want 200 ok", res.StatusCode, body)
	}
	e.db.Close()
	if res, _ := e.get(e.anon, "/healthz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("closed db: got %d, want 503", res.StatusCode)
	}
}

// TestBodyLimit: a request body of exactly 1 MiB is read and saved; one
// byte more is refused with 413 and nothing saved, for forms and JSON.
func TestBodyLimit(t *testing.T) {
	const limit = 1 << 20 // 1,048,576 bytes
	e := newEnv(t)
	c := e.openConsultation("big")
	form := validForm(c).Encode() + "&pad="
	answers := `{"answers":{"` + itoa(c.Questions[0].ID) + `":` + itoa(c.Questions[0].Options[0].ID) +
		`,"` + itoa(c.Questions[2].ID) + `":4}`
	send := func(kind string, size int) int {
		t.Helper()
		var res *http.Response
		if kind == "form" {
			body := form + strings.Repeat("x", size-len(form))
			res, _ = e.do(e.client(), "POST", "/consultations/big/responses", "application/x-www-form-urlencoded", strings.NewReader(body))
		} else {
			body := answers + strings.Repeat(" ", size-len(answers)-1) + "}"
			res, _ = e.do(e.client(), "POST", "/api/consultations/big/responses", "application/json", strings.NewReader(body))
		}
		return res.StatusCode
	}
	for i, kind := range []string{"form", "json"} {
		if got := send(kind, limit); got == http.StatusRequestEntityTooLarge || got >= 400 {
			t.Errorf("%s of exactly 1 MiB: got %d, want it saved", kind, got)
		}
		if got := send(kind, limit+1); got != http.StatusRequestEntityTooLarge {
			t.Errorf("%s of 1 MiB + 1: got %d, want 413", kind, got)
		}
		if n := e.responseCount("big"); n != i+1 {
			t.Errorf("after the %s requests: %d responses saved, want %d", kind, n, i+1)
		}
	}
}

func TestNotFoundPage(t *testing.T) {
	e := newEnv(t)
	res, body := e.get(e.anon, "/no-such-page")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, `<html lang="en"`) || !strings.Contains(body, "<title>Page not found") {
		t.Errorf("got %d %.200q", res.StatusCode, body)
	}
	res, body = e.get(e.anon, "/api/no-such-thing")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, `"error"`) {
		t.Errorf("api: got %d %q", res.StatusCode, body)
	}
}
