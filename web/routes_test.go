package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestAdminRoutes_Access checks every /admin/ route: an anonymous client is
// sent to sign in (GET) or refused (POST), a moderator is refused where
// only admins may act, and an admin gets through.
func TestAdminRoutes_Access(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("access")
	qid := itoa(c.Questions[0].ID)
	routes := []struct {
		method, path string
		adminOnly    bool
	}{
		{"GET", "/admin/", false},
		{"GET", "/admin/consultations/new", true},
		{"POST", "/admin/consultations", true},
		{"GET", "/admin/consultations/access", false},
		{"GET", "/admin/consultations/access/edit", true},
		{"POST", "/admin/consultations/access/edit", true},
		{"POST", "/admin/consultations/access/questions", true},
		{"POST", "/admin/consultations/access/questions/" + qid + "/delete", true},
		{"POST", "/admin/consultations/access/open", true},
		{"POST", "/admin/consultations/access/close", true},
		{"GET", "/admin/consultations/access/outcome", true},
		{"POST", "/admin/consultations/access/outcome", true},
		{"GET", "/admin/consultations/access/decision", true},
		{"POST", "/admin/consultations/access/decision", true},
		{"GET", "/admin/consultations/access/responses.csv", true},
		{"GET", "/admin/consultations/access/paper", false},
		{"POST", "/admin/consultations/access/paper", false},
		{"GET", "/admin/audit", true},
	}
	for _, rt := range routes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			res, _ := e.do(e.anon, rt.method, rt.path, "application/x-www-form-urlencoded", strings.NewReader(""))
			if rt.method == "GET" {
				if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/signin") {
					t.Errorf("anonymous: got %d to %q, want 303 to /admin/signin", res.StatusCode, res.Header.Get("Location"))
				}
			} else if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous: got %d, want 401", res.StatusCode)
			}
			res, _ = e.do(e.mod, rt.method, rt.path, "application/x-www-form-urlencoded", strings.NewReader(""))
			if rt.adminOnly && res.StatusCode != http.StatusForbidden {
				t.Errorf("moderator: got %d, want 403", res.StatusCode)
			}
			if !rt.adminOnly && (res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized) {
				t.Errorf("moderator: got %d, want access", res.StatusCode)
			}
		})
	}
	// An admin reaches the read-only pages.
	for _, p := range []string{"/admin/", "/admin/consultations/new", "/admin/consultations/access", "/admin/audit", "/admin/consultations/access/responses.csv"} {
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
	for _, path := range []string{"/consultations/xorigin/responses", "/admin/signin", "/admin/consultations/xorigin/close", "/api/consultations/xorigin/responses"} {
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

func TestBodyLimit(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("big")
	f := validForm(c)
	f.Set(c.Questions[3].Field(), strings.Repeat("x", 2<<20))
	res, _ := e.postBody(e.anon, "/consultations/big/responses", f)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("HTML: got %d, want 413", res.StatusCode)
	}
	res, _ = e.postJSON(e.anon, "/api/consultations/big/responses", `{"answers":{"`+itoa(c.Questions[3].ID)+`":"`+strings.Repeat("x", 2<<20)+`"}}`)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("JSON: got %d, want 413", res.StatusCode)
	}
	if n := e.responseCount("big"); n != 0 {
		t.Errorf("saved: got %d, want 0", n)
	}
	_ = url.Values{}
}
