package web_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/cmd/wire"
	"github.com/oursay/oursay/db"
)

// syncBuffer is a log destination the handlers may write from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestBallot_CodesNeverLogged walks every way a code reaches the server —
// the letter's link, the form, the JSON, wrong and used codes, a store
// failure — with the log at debug level, and fails if the log holds a code.
func TestBallot_CodesNeverLogged(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "log.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	var logs syncBuffer
	app, err := wire.New(d, wire.Options{BaseURL: testBase, CodeKey: testCodeKey,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Live.Shutdown(context.Background()) })
	bs := app.Stores.Ballots
	ts := httptest.NewServer(app.Web.Handler())
	t.Cleanup(ts.Close)
	c := wasteContract()
	must(t, db.NewContractStore(d).CreateContract(ctx, c, "test"))
	b := &ballot.Ballot{ContractID: c.ID, Question: "End it?", OpensAt: time.Now().Add(-time.Hour), ClosesAt: time.Now().Add(time.Hour)}
	must(t, bs.CreateBallot(ctx, b, "test"))
	codes, hashes := ballot.GenerateCodes(testCodeKey, b.ID, 3)
	must(t, bs.AddCodes(ctx, b.ID, hashes, "test"))
	must(t, bs.Open(ctx, b.ID, "test"))
	wrong := ballot.NewCode()

	// A browser's cookies, so the code a link hands to /vote is tried there.
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	get := func(path string) {
		res, err := client.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	post := func(path, ctype, body string) {
		req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Origin", ts.URL)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	for _, code := range []string{dashed(codes[0]), codes[1], wrong} {
		get("/vote?code=" + url.QueryEscape(code))
		for _, step := range []string{"", "yes"} { // the check step, then Cast your vote
			post(fmt.Sprintf("/ballots/%d/votes", b.ID), "application/x-www-form-urlencoded", url.Values{"code": {code}, "option": {fmt.Sprint(b.Options[0].ID)}, "cast": {step}}.Encode())
		}
		post(fmt.Sprintf("/api/ballots/%d/votes", b.ID), "application/json", `{"code":"`+code+`","option":"No"}`)
	}
	d.Close() // every store call now fails: the 500s are logged with their error
	get("/vote?code=" + codes[2])
	post(fmt.Sprintf("/api/ballots/%d/votes", b.ID), "application/json", `{"code":"`+codes[2]+`","option":"No"}`)

	out := logs.String()
	if !strings.Contains(out, "/vote") || !strings.Contains(out, "status=500") {
		t.Fatalf("the requests were not logged at all, so this test proves nothing:\n%s", out)
	}
	for _, code := range append(codes, wrong) {
		if strings.Contains(out, code) || strings.Contains(out, dashed(code)) || strings.Contains(out, code[:8]) {
			t.Errorf("the log holds code %s:\n%s", code, out)
		}
	}
}
