package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestAdminRoutes_NoStore: every staff page and export can show personal
// data (names, emails, addresses, answers), so every /admin/ route tells
// browsers and proxies to keep no copy, whatever it answers: to an admin,
// to a moderator refused, and to an anonymous client sent to sign in.
func TestAdminRoutes_NoStore(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("nostore")
	values := map[string]string{"slug": "nostore", "id": itoa(c.Questions[0].ID), "sid": "1"}
	patterns := []string{"GET /admin/signin", "POST /admin/signin", "POST /admin/signout"}
	for _, rt := range adminRoutes {
		patterns = append(patterns, rt.pattern)
	}
	for _, p := range patterns {
		method, path := fillPattern(p, values)
		for name, cl := range map[string]*http.Client{"admin": e.admin, "moderator": e.mod, "anonymous": e.client()} {
			if p == "POST /admin/signout" && name != "anonymous" {
				continue // it would sign the shared clients out
			}
			res, _ := e.do(cl, method, path, "application/x-www-form-urlencoded", strings.NewReader(""))
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("%s %s as %s: %d with Cache-Control %q, want no-store", method, path, name, res.StatusCode, cc)
			}
		}
	}
}
