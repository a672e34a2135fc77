package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alexedwards/scs/sqlite3store"

	"github.com/oursay/oursay/cmd/wire"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
	"github.com/oursay/oursay/web/mailer/smtptest"
)

const testPassword = "correct horse battery staple"

// testEnv is a real server on a temp SQLite file, with an admin and a moderator.
type testEnv struct {
	t      *testing.T
	srv    *httptest.Server
	db     *db.DB
	st     *db.Stores // the server's own stores
	store  *db.ConsultStore
	admin  *http.Client
	mod    *http.Client
	anon   *http.Client
	closed bool
}

func newEnv(t *testing.T) *testEnv {
	t.Helper()
	return newEnvWith(t, nil)
}

// newEnvWith is newEnv with a chance to change the server's config first
// (rate limits, the bot checks, the base URL).
func newEnvWith(t *testing.T, configure func(*web.Config)) *testEnv {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	// Assembled as serve assembles it, so the signers' links are signed.
	opts := wire.Options{BaseURL: testBase, CodeKey: testCodeKey, Logger: slog.New(slog.DiscardHandler),
		Sessions: sqlite3store.NewWithCleanupInterval(d.Writer(), 0)}
	if configure != nil {
		opts.Configure = append(opts.Configure, configure)
	}
	app, err := wire.New(d, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Live.Shutdown(context.Background()) })
	s := app.Web
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	e := &testEnv{t: t, srv: ts, db: d, st: app.Stores, store: app.Stores.Consult}
	users := db.NewUserStore(d)
	for _, u := range []*consult.User{
		{Email: "admin@council.test", Role: consult.RoleAdmin},
		{Email: "mod@council.test", Role: consult.RoleModerator},
	} {
		u.PasswordHash = web.HashPassword(testPassword)
		if err := users.CreateUser(ctx, u, "test"); err != nil {
			t.Fatal(err)
		}
	}
	e.anon = e.client()
	e.admin = e.signedIn("admin@council.test")
	e.mod = e.signedIn("mod@council.test")
	return e
}

// testCodeKey keys voter code hashes, as the key file does in production.
var testCodeKey = []byte("web test code key, 32 bytes!!!!!")

// testBase is the site address the test server puts in the links it mails.
const testBase = "http://oursay.test"

// client returns a browser-like client that keeps cookies and does not
// follow redirects, so tests see each 303.
func (e *testEnv) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (e *testEnv) signedIn(email string) *http.Client {
	e.t.Helper()
	c := e.client()
	res := e.post(c, "/admin/signin", url.Values{"email": {email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in %s: got %d, want 303", email, res.StatusCode)
	}
	return c
}

// do sends a request with a same-origin Origin header, as a browser would
// for a form on this site, and returns the response with its body read.
func (e *testEnv) do(c *http.Client, method, path, contentType string, body io.Reader, hdr ...string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if method == http.MethodPost {
		req.Header.Set("Origin", e.srv.URL)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return res, string(b)
}

func (e *testEnv) get(c *http.Client, path string) (*http.Response, string) {
	return e.do(c, http.MethodGet, path, "", nil)
}

func (e *testEnv) post(c *http.Client, path string, form url.Values) *http.Response {
	res, _ := e.postBody(c, path, form)
	return res
}

func (e *testEnv) postBody(c *http.Client, path string, form url.Values) (*http.Response, string) {
	return e.do(c, http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

func (e *testEnv) postJSON(c *http.Client, path, body string) (*http.Response, string) {
	return e.do(c, http.MethodPost, path, "application/json", strings.NewReader(body))
}

// openConsultation makes an open consultation with one question of each kind.
func (e *testEnv) openConsultation(slug string) *consult.Consultation {
	e.t.Helper()
	ctx := context.Background()
	c := &consult.Consultation{Slug: slug, Title: "Parks " + slug, Summary: "About the parks", Audience: consult.AudienceAnyone,
		Record: consult.Record{Service: "Parks", Proposal: consult.ProposalOutsource, PublicInterestCase: "Cheaper",
			InHouseBid: "The parks team bid", SocialValueWeight: 20}}
	if err := e.store.CreateConsultation(ctx, c, "test"); err != nil {
		e.t.Fatal(err)
	}
	for _, q := range []*consult.Question{
		{Kind: consult.KindSingle, Prompt: "Who should run it?", Required: true, Options: []consult.Option{{Label: "Council"}, {Label: "Provider"}}},
		{Kind: consult.KindMultiple, Prompt: "What matters?", Options: []consult.Option{{Label: "Cost"}, {Label: "Quality"}, {Label: "Jobs"}}},
		{Kind: consult.KindScale, Prompt: "It works well", Required: true},
		{Kind: consult.KindText, Prompt: "Anything else?"},
	} {
		if err := e.store.AddQuestion(ctx, slug, q, "test"); err != nil {
			e.t.Fatal(err)
		}
	}
	if err := e.store.Open(ctx, slug, "test"); err != nil {
		e.t.Fatal(err)
	}
	got, err := e.store.Consultation(ctx, slug)
	if err != nil {
		e.t.Fatal(err)
	}
	return got
}

func (e *testEnv) responseCount(slug string) int {
	e.t.Helper()
	var n int
	if err := e.db.Reader().QueryRow(`SELECT COUNT(*) FROM responses r JOIN consultations c ON c.id = r.consultation_id WHERE c.slug = ?`, slug).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// validForm answers every question of c.
func validForm(c *consult.Consultation) url.Values {
	f := url.Values{}
	for _, q := range c.Questions {
		switch q.Kind {
		case consult.KindSingle, consult.KindMultiple:
			f.Set(q.Field(), itoa(q.Options[0].ID))
		case consult.KindScale:
			f.Set(q.Field(), "4")
		case consult.KindText:
			f.Set(q.Field(), "Keep it local")
		}
	}
	return f
}

// confirmed is form as the confirmation page sends it again: with
// confirm=yes, without which an irreversible action only asks.
func confirmed(form url.Values) url.Values {
	f := url.Values{"confirm": {"yes"}}
	for k, vs := range form {
		f[k] = vs
	}
	return f
}

// mailLink is the first link matching pattern (smtptest.Link) in the
// newest mail to addr in the outbox, as the person would read it.
func (e *testEnv) mailLink(addr, pattern string) *url.URL {
	e.t.Helper()
	var body string
	if err := e.db.Reader().QueryRow(`SELECT body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1`, addr).Scan(&body); err != nil {
		e.t.Fatalf("mail to %s: %v", addr, err)
	}
	link, err := smtptest.Link(body, pattern)
	if err != nil {
		e.t.Fatalf("mail to %s: %v", addr, err)
	}
	return link
}
