package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web/live"
)

// loadTestDemo loads the demo as serve does with --base-url base.
func loadTestDemo(t *testing.T, base string) *db.DB {
	t.Helper()
	d, _ := loadTestDemoOutput(t, base)
	return d
}

// loadTestDemoOutput is loadTestDemo, also returning what loading printed.
func loadTestDemoOutput(t *testing.T, base string) (*db.DB, string) {
	t.Helper()
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "demo.db")
	d, err := db.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	key, _, err := loadCodeKey(dbPath + ".key")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newServer(d, base, "127.0.0.1:8080", key, slog.New(slog.DiscardHandler), live.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := loadDemo(ctx, d, srv, key, base, dbPath, &out); err != nil {
		t.Fatal(err)
	}
	return d, out.String()
}

// TestLoadDemo_OutcomeAgreesWithResults: the waste consultation's outcome
// says most wanted the service in house and 60% put accountability first,
// and its published tally shows exactly that (it once showed 33% in house).
func TestLoadDemo_OutcomeAgreesWithResults(t *testing.T) {
	d := loadTestDemo(t, "http://127.0.0.1:8080")
	ctx := context.Background()
	store := db.NewConsultStore(d)
	c, err := store.Consultation(ctx, "waste-collection")
	if err != nil {
		t.Fatal(err)
	}
	tally, err := store.Tally(ctx, "waste-collection")
	if err != nil {
		t.Fatal(err)
	}
	if c.Outcome == nil || !strings.Contains(c.Outcome.YouSaid, "Most of you (65%) wanted the service back in house") ||
		!strings.Contains(c.Outcome.YouSaid, "60% put accountability first") {
		t.Fatalf("outcome: %+v", c.Outcome)
	}
	count := func(kind consult.Kind, label string) int {
		t.Helper()
		for _, q := range c.Questions {
			for _, o := range q.Options {
				if q.Kind == kind && o.Label == label {
					return tally.Questions[q.ID].Counts[o.ID]
				}
			}
		}
		t.Fatalf("no %s option %q", kind, label)
		return 0
	}
	// 65% and 60% of 40 responses.
	if got := count(consult.KindSingle, "The council, in house"); tally.ResponseCount != 40 || got != 26 {
		t.Errorf("in house: got %d of %d, want 26 of 40", got, tally.ResponseCount)
	}
	if got := count(consult.KindMultiple, "Accountability"); got != 24 {
		t.Errorf("accountability: got %d of 40, want 24", got)
	}
}

// TestLoadDemo_MailLinksUseBaseURL: every link in the demo's mail starts
// with the site's address, so a person following one lands on the demo.
func TestLoadDemo_MailLinksUseBaseURL(t *testing.T) {
	const base = "http://127.0.0.1:9137"
	d := loadTestDemo(t, base)
	rows, err := d.Reader().Query(`SELECT body FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	links := 0
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			t.Fatal(err)
		}
		for _, u := range regexp.MustCompile(`https?://\S+`).FindAllString(body, -1) {
			links++
			if !strings.HasPrefix(u, base+"/") {
				t.Errorf("demo mail links to %s, not to %s", u, base)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if links < 10 {
		t.Fatalf("%d links in the demo's mail; want the campaigners', sponsors' and signers' links", links)
	}
}

// TestServeDemo_MailBase: serve --demo puts --base-url in the demo's mail
// links, and without it the address serve listens on.
func TestServeDemo_MailBase(t *testing.T) {
	for _, c := range []struct {
		name  string
		flags []string
		want  string
	}{
		{"BaseURL", []string{"--base-url", "https://oursay.example.org"}, "https://oursay.example.org/"},
		{"Addr", nil, "http://127.0.0.1:0/"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dbPath := filepath.Join(t.TempDir(), "demo.db")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			loaded := &signalWriter{want: "Demo council loaded", seen: make(chan struct{})}
			var errOut bytes.Buffer
			args := append([]string{"serve", "--demo", "--db", dbPath, "--addr", "127.0.0.1:0"}, c.flags...)
			done := make(chan error, 1)
			go func() { done <- run(ctx, args, strings.NewReader(""), loaded, &errOut) }()
			select {
			case <-loaded.seen:
			case err := <-done:
				t.Fatalf("serve stopped before loading the demo: %v\n%s", err, errOut.String())
			case <-time.After(60 * time.Second):
				t.Fatal("serve did not load the demo within 60s")
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("serve: %v", err)
			}
			d, err := db.Open(context.Background(), dbPath)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var n, good int
			err = d.Reader().QueryRow(`SELECT COUNT(*), COALESCE(SUM(instr(body, ?) > 0), 0) FROM outbox WHERE body LIKE '%http%'`, c.want).Scan(&n, &good)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 || good != n {
				t.Errorf("%d of %d demo mails with links link to %s", good, n, c.want)
			}
		})
	}
}

// signalWriter closes seen once what is written to it contains want.
type signalWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.want)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
	}
	return len(p), nil
}

// TestLoadDemo_CouncilSettings: the demo saves Demo Borough Council's
// settings, audited, and every demo mail ends with its footer.
func TestLoadDemo_CouncilSettings(t *testing.T) {
	d := loadTestDemo(t, "http://127.0.0.1:8080")
	var name, actor string
	if err := d.Reader().QueryRow(`SELECT council_name FROM council_settings`).Scan(&name); err != nil || name != "Demo Borough Council" {
		t.Fatalf("stored council %q, %v; want Demo Borough Council", name, err)
	}
	if err := d.Reader().QueryRow(`SELECT actor FROM audit_log WHERE action = 'council.settings_change'`).Scan(&actor); err != nil || actor != demoActor {
		t.Errorf("settings audit by %q, %v; want one entry by the demo", actor, err)
	}
	footer := consult.DefaultSettings().MailFooter()
	var mails, footed int
	if err := d.Reader().QueryRow(`SELECT COUNT(*), COALESCE(SUM(body LIKE '%' || ?), 0) FROM outbox`, footer).Scan(&mails, &footed); err != nil {
		t.Fatal(err)
	}
	if mails == 0 || footed != mails {
		t.Errorf("%d of %d demo mails end with the council's footer, want all", footed, mails)
	}
}

// TestLoadDemo_ReviewInProgress: the waste contract, approaching its next
// break, has a review in progress with the at-risk test met, proposing the
// only route the rule allows.
func TestLoadDemo_ReviewInProgress(t *testing.T) {
	d := loadTestDemo(t, "http://127.0.0.1:8080")
	rs, err := db.NewReviewStore(d).Reviews(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("got %v, %v; want one review", rs, err)
	}
	r := rs[0]
	if r.Status != ballot.ReviewDraft || r.SavedAt.IsZero() || !r.AtRisk.Met() || !r.InHouseTestApplies() ||
		r.Route != ballot.RouteInHouse || r.Point.Kind != ballot.PointBreak || r.Point.On.After(time.Now().AddDate(0, 9, 0)) {
		t.Fatalf("got %+v", r)
	}
}
