package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestRespond_RepeatLooksFresh: whether an email address has already
// answered a consultation is not told apart from a first response, on the
// page or in JSON. With an email the answer is "check your email": the
// receipt goes by mail, and a repeat saves nothing and mails "you have
// already responded" instead. Without an email no duplicate check applies
// and the receipt is shown, as before.
func TestRespond_RepeatLooksFresh(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("parks")
	mailTo := func(addr string) []string {
		t.Helper()
		rows, err := e.db.Reader().Query(`SELECT body FROM outbox WHERE to_addr = ? ORDER BY id`, addr)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var b string
			must(t, rows.Scan(&b))
			out = append(out, b)
		}
		must(t, rows.Err())
		return out
	}

	// The HTML form, twice with one address (typed differently).
	thanks := func(email string) (int, string) {
		t.Helper()
		f := validForm(c)
		f.Set("email", email)
		cl := e.client()
		res, _ := e.postBody(cl, "/consultations/parks/responses", f)
		if res.StatusCode != http.StatusSeeOther {
			return res.StatusCode, ""
		}
		res, body := e.get(cl, res.Header.Get("Location"))
		return res.StatusCode, body
	}
	s1, first := thanks("Ann@Example.org")
	s2, again := thanks("ann@example.org ")
	if s1 != 200 || s2 != 200 {
		t.Fatalf("thanks pages: got %d and %d, want 200 twice", s1, s2)
	}
	if first != again {
		t.Errorf("the page after a repeat differs from the page after a first response:\n%s\n---\n%s", first, again)
	}
	if !strings.Contains(first, "Check your email") || strings.Contains(first, "Your receipt code") {
		t.Errorf("with an email the page should say to check it and show no receipt:\n%s", first)
	}
	if n := e.responseCount("parks"); n != 1 {
		t.Errorf("responses saved: %d, want 1", n)
	}
	var receipt string
	must(t, e.db.Reader().QueryRow(`SELECT receipt FROM responses WHERE email = 'ann@example.org'`).Scan(&receipt))
	if strings.Contains(first, receipt) {
		t.Errorf("the page shows the receipt %s that only the mail should carry", receipt)
	}
	if m := mailTo("ann@example.org"); len(m) != 2 || !strings.Contains(m[0], "Your receipt code is "+receipt) ||
		!strings.Contains(m[1], "already responded") || strings.Contains(m[1], "receipt code is") {
		t.Errorf("mails to ann: want the receipt, then 'already responded'; got %q", m)
	}

	// The JSON API, twice with one address.
	body := `{"answers":{"` + itoa(c.Questions[0].ID) + `":` + itoa(c.Questions[0].Options[0].ID) +
		`,"` + itoa(c.Questions[2].ID) + `":4},"email":"bo@example.org"}`
	res1, out1 := e.postJSON(e.anon, "/api/consultations/parks/responses", body)
	res2, out2 := e.postJSON(e.anon, "/api/consultations/parks/responses", body)
	if res1.StatusCode != http.StatusCreated || res2.StatusCode != http.StatusCreated || out1 != out2 {
		t.Errorf("JSON: got %d %s then %d %s, want the same 201 body twice", res1.StatusCode, out1, res2.StatusCode, out2)
	}
	if strings.Contains(out1, `"receipt"`) || !strings.Contains(out1, "Check your email") {
		t.Errorf("JSON with an email: got %s, want no receipt and 'Check your email'", out1)
	}
	if n := e.responseCount("parks"); n != 2 {
		t.Errorf("responses saved: %d, want 2", n)
	}
	if m := mailTo("bo@example.org"); len(m) != 2 || !strings.Contains(m[1], "already responded") {
		t.Errorf("mails to bo: got %q", m)
	}

	// Without an email: the receipt is shown, and each response counts.
	_, noEmail := thanks("")
	if !regexp.MustCompile(`Your receipt code<br><strong>[A-Z0-9-]{6,}</strong>`).MatchString(noEmail) {
		t.Errorf("without an email the page should show the receipt:\n%s", noEmail)
	}
	res, out := e.postJSON(e.anon, "/api/consultations/parks/responses", strings.Replace(body, `,"email":"bo@example.org"`, "", 1))
	if res.StatusCode != http.StatusCreated || !regexp.MustCompile(`"receipt":\s*"[A-Z0-9-]{6,}"`).MatchString(out) {
		t.Errorf("JSON without an email: got %d %s, want 201 with the receipt", res.StatusCode, out)
	}
	if n := e.responseCount("parks"); n != 4 {
		t.Errorf("responses saved: %d, want 4", n)
	}
}
