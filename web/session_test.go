package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
)

// expire ends every session, as two idle hours would.
func (e *testEnv) expire() {
	e.t.Helper()
	if _, err := e.db.Writer().Exec(`DELETE FROM sessions`); err != nil {
		e.t.Fatal(err)
	}
}

// TestSession_ExpiredFormIsKept: a form sent after the session ended
// leads to the sign-in page (never a bare "Sign in to do that."), which
// says what happened; after signing in, the officer is shown what they
// typed and sends it, and it is saved.
func TestSession_ExpiredFormIsKept(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("other")
	must(t, e.store.CreateConsultation(context.Background(), &consult.Consultation{Slug: "kept", Title: "Libraries", Summary: "About libraries",
		Audience: consult.AudienceAnyone, Record: c.Record}, "test"))
	if res, _ := e.get(e.admin, "/admin/session"); res.StatusCode != http.StatusNoContent {
		t.Errorf("keep-alive: got %d, want 204", res.StatusCode)
	}
	e.expire()
	form := url.Values{"kind": {"text"}, "prompt": {"Which library do you use & why?"}, "hint": {""}}
	res, body := e.do(e.admin, http.MethodPost, "/admin/consultations/kept/questions", "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()), "Referer", e.srv.URL+"/admin/consultations/kept")
	if res.StatusCode != http.StatusUnauthorized || strings.Contains(body, "Sign in to do that") ||
		!strings.Contains(body, "You have been signed out") || !strings.Contains(body, "What you typed has been kept") ||
		!strings.Contains(body, `name="next" value="/admin/resume"`) {
		t.Fatalf("expired post: got %d %.300q", res.StatusCode, body)
	}
	res = e.post(e.admin, "/admin/signin", url.Values{"email": {"admin@council.test"}, "password": {testPassword}, "next": {"/admin/resume"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/admin/resume" {
		t.Fatalf("sign in: got %d to %q", res.StatusCode, loc)
	}
	res, body = e.get(e.admin, "/admin/resume")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `action="/admin/consultations/kept/questions"`) ||
		!strings.Contains(body, "Which library do you use &amp; why?") || !strings.Contains(body, `href="/admin/consultations/kept"`) {
		t.Fatalf("resume: got %d without the kept form", res.StatusCode)
	}
	// The page sends the same fields back.
	if res := e.post(e.admin, "/admin/consultations/kept/questions", form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sent again: got %d", res.StatusCode)
	}
	// Once shown, it is gone from the session.
	if res, _ := e.get(e.admin, "/admin/resume"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("resume again: got %d, want 303", res.StatusCode)
	}
}

// TestSession_PasswordsNotKept: a password is never kept across the
// sign-in, and the page says to type it again; confirm=yes is dropped, so
// an irreversible action asks again.
func TestSession_PasswordsNotKept(t *testing.T) {
	e := newEnv(t)
	e.expire()
	_, body := e.postBody(e.mod, "/admin/account/password", url.Values{"current_password": {"secret one"}, "password": {"secret two"}})
	if !strings.Contains(body, "Passwords are never kept") || strings.Contains(body, "secret") {
		t.Errorf("password form: the page does not say passwords are lost, or shows one")
	}
	var n int
	e.db.Reader().QueryRow(`SELECT COUNT(*) FROM sessions WHERE CAST(data AS TEXT) LIKE '%secret%'`).Scan(&n)
	if n != 0 {
		t.Errorf("a password was kept in the session")
	}
	e.openConsultation("again")
	_, body = e.postBody(e.admin, "/admin/consultations/again/close", confirmed(nil))
	if !strings.Contains(body, `name="next" value="/admin/consultations/again"`) {
		t.Errorf("close with nothing to keep: not sent back to the manage page")
	}
}
