package mailer_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/db/dbtest"
	"github.com/oursay/oursay/web/mailer"
	"github.com/oursay/oursay/web/mailer/smtptest"
)

// mailClock is a clock the test moves while the mailer goroutine reads it.
type mailClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *mailClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *mailClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// mailDB opens a temp database and returns it with its outbox.
func mailDB(t *testing.T) (*db.DB, *db.Outbox) {
	t.Helper()
	d, _ := dbtest.Open(t)
	return d, db.NewOutbox(d)
}

// startMailer runs a mailer until the test ends. Its poll is an hour, so
// every send in these tests is started by Notify.
func startMailer(t *testing.T, ob consult.Outbox, cfg mailer.Config) *mailer.Mailer {
	t.Helper()
	if cfg.From == "" {
		cfg.From = "OurSay <oursay@council.test>"
	}
	cfg.Poll = time.Hour
	m, err := mailer.New(ob, cfg, quietLog)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return m
}

// quietLog keeps the mailer's routine lines out of test output.
var quietLog = slog.New(slog.DiscardHandler)

func enqueue(t *testing.T, d *db.DB, m consult.Mail) {
	t.Helper()
	if err := d.EnqueueMail(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

// waitForMail polls the outbox until its newest mail to the address to
// satisfies ok, and returns it.
func waitForMail(t *testing.T, ob *db.Outbox, to string, ok func(consult.Mail) bool) consult.Mail {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	var last consult.Mail
	for time.Now().Before(deadline) {
		ms, err := ob.RecentMail(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.To == to {
				if last = m; ok(m) {
					return m
				}
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("mail to %s never reached the expected state; last %+v", to, last)
	return last
}

func isSent(m consult.Mail) bool { return !m.SentAt.IsZero() }

func TestMailer_Delivers(t *testing.T) {
	d, ob := mailDB(t)
	srv := smtptest.Start(t)
	m := startMailer(t, ob, mailer.Config{Addr: srv.Addr})
	body := "Dear Ann,\n\nConfirm your signature:\nhttps://say.example/signatures/confirm?token=abc=def\n\nCafé, £5.\n" +
		"A line longer than any mail line may be, so it must be folded and unfolded again: " + strings.Repeat("long words ", 12) + "end.\n" +
		".A line that starts with a dot.\n"
	enqueue(t, d, consult.Mail{To: "ann@example.org", Subject: "Confirm your signature: Café closure", Body: body})
	m.Notify()

	got := srv.Wait(t, "ann@example.org", 5*time.Second)
	if got.Subject != "Confirm your signature: Café closure" {
		t.Errorf("subject = %q", got.Subject)
	}
	// Every queued mail ends with the council's footer (db's enqueueMail).
	if want := body + consult.DefaultSettings().MailFooter(); got.Body != want {
		t.Errorf("body = %q, want %q", got.Body, want)
	}
	if from := got.Header.Get("From"); from != `"OurSay" <oursay@council.test>` {
		t.Errorf("From = %q", from)
	}
	if ct := got.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" {
		t.Errorf("Content-Type = %q, want plain text", ct)
	}
	if id := got.Header.Get("Message-ID"); !strings.HasPrefix(id, "<oursay.") || !strings.HasSuffix(id, "@council.test>") {
		t.Errorf("Message-ID = %q, want one made from the outbox row", id)
	}
	if got.Header.Get("Auto-Submitted") != "auto-generated" || got.Header.Get("Date") == "" {
		t.Errorf("headers %v: want Auto-Submitted and Date", got.Header)
	}
	if sent := waitForMail(t, ob, "ann@example.org", isSent); sent.Attempts != 1 {
		t.Errorf("attempts = %d, want 1", sent.Attempts)
	}
	if n := len(srv.Mails()); n != 1 {
		t.Errorf("%d mails delivered, want 1", n)
	}
}

func TestMailer_ServerDown(t *testing.T) {
	d, ob := mailDB(t)
	// A port that was just free: nothing listens there until the test
	// starts a server on it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	clock := &mailClock{now: time.Now().UTC()}
	d.Now = clock.Now
	m := startMailer(t, ob, mailer.Config{Addr: addr, Timeout: 2 * time.Second, Now: clock.Now})
	enqueue(t, d, consult.Mail{To: "bob@example.org", Subject: "Confirm", Body: "Open this link\n"})
	m.Notify()

	failed := waitForMail(t, ob, "bob@example.org", func(m consult.Mail) bool { return m.Attempts == 1 })
	if failed.LastError == "" || isSent(failed) {
		t.Fatalf("got error %q sent %v, want a recorded failure", failed.LastError, failed.SentAt)
	}
	if wait := failed.SendAfter.Sub(clock.Now()); wait < 20*time.Second || wait > 30*time.Second {
		t.Errorf("retry in %v, want about 30 s (less jitter)", wait)
	}

	// Not due yet: nothing is sent early. A mail queued now is due at once;
	// once it has arrived the mailer has passed over bob's.
	srv := smtptest.Start(t, smtptest.WithAddr(addr))
	enqueue(t, d, consult.Mail{To: "marker@example.org", Subject: "Later", Body: "Due now\n"})
	m.Notify()
	srv.Wait(t, "marker@example.org", 5*time.Second)
	if n := len(srv.Mails()); n != 1 {
		t.Fatalf("%d mails sent, want only the one due: bob's went before its retry time", n)
	}
	clock.Add(time.Minute)
	m.Notify()
	if got := srv.Wait(t, "bob@example.org", 5*time.Second); got.Body != "Open this link\n"+consult.DefaultSettings().MailFooter() {
		t.Errorf("body = %q", got.Body)
	}
	if sent := waitForMail(t, ob, "bob@example.org", isSent); sent.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", sent.Attempts)
	}
}

// TestMailer_SlowServer shows that a stuck mail server holds up only the
// worker: queueing mail, which requests do, stays instant, and the stuck
// send times out into a retry with nothing lost.
func TestMailer_SlowServer(t *testing.T) {
	d, ob := mailDB(t)
	srv := smtptest.Start(t, smtptest.WithDataDelay(10*time.Second))
	m := startMailer(t, ob, mailer.Config{Addr: srv.Addr, Timeout: 500 * time.Millisecond})
	enqueue(t, d, consult.Mail{To: "slow@example.org", Subject: "One", Body: "1\n"})
	m.Notify()
	for deadline := time.Now().Add(5 * time.Second); srv.DataStarted() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the mailer never reached DATA")
		}
	}

	start := time.Now()
	enqueue(t, d, consult.Mail{To: "next@example.org", Subject: "Two", Body: "2\n"})
	if took := time.Since(start); took > 200*time.Millisecond {
		t.Errorf("enqueue took %v while the mailer was stuck, want it immediate", took)
	}

	failed := waitForMail(t, ob, "slow@example.org", func(m consult.Mail) bool { return m.Attempts == 1 })
	if isSent(failed) || failed.LastError == "" {
		t.Errorf("got sent %v error %q, want a timed-out attempt to retry", failed.SentAt, failed.LastError)
	}
	if ms, err := ob.RecentMail(context.Background(), 10); err != nil || len(ms) != 2 {
		t.Errorf("%d mails in the outbox, want both", len(ms))
	}
}

// TestMailer_Stops shows that shutdown is not held up by a stuck server,
// and that the cut-off mail stays due for the next start.
func TestMailer_Stops(t *testing.T) {
	d, ob := mailDB(t)
	srv := smtptest.Start(t, smtptest.WithDataDelay(30*time.Second))
	m, err := mailer.New(ob, mailer.Config{Addr: srv.Addr, From: "oursay@council.test", Timeout: 30 * time.Second, Poll: time.Hour}, quietLog)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	enqueue(t, d, consult.Mail{To: "stuck@example.org", Subject: "s", Body: "b\n"})
	m.Notify()
	for deadline := time.Now().Add(5 * time.Second); srv.DataStarted() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the mailer never reached DATA")
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return within 2 s of its context ending")
	}
	due, err := ob.DueMail(context.Background(), time.Now().UTC(), 10)
	if err != nil || len(due) != 1 || due[0].Attempts != 0 {
		t.Errorf("got %+v, %v; want the mail still due and not counted as failed", due, err)
	}
}

func TestNew_Config(t *testing.T) {
	_, ob := mailDB(t)
	for name, cfg := range map[string]mailer.Config{
		"NoPort":  {Addr: "localhost", From: "a@b.test"},
		"BadFrom": {Addr: "127.0.0.1:25", From: "not an address"},
		"BadTLS":  {Addr: "127.0.0.1:25", From: "a@b.test", TLS: "sometimes"},
	} {
		if _, err := mailer.New(ob, cfg, nil); err == nil {
			t.Errorf("%s: got no error", name)
		}
	}
	if _, err := mailer.New(ob, mailer.Config{Addr: "127.0.0.1:25", From: "a@b.test", TLS: mailer.TLSNone}, nil); err != nil {
		t.Errorf("valid config: %v", err)
	}
}

// TestMailer_ManyOnce sends more mail than several batches over several
// connections while more is being queued, and checks each mail arrives
// exactly once and is marked sent: the pipeline never hands out a mail
// that is still in flight.
func TestMailer_ManyOnce(t *testing.T) {
	d, ob := mailDB(t)
	srv := smtptest.Start(t)
	m := startMailer(t, ob, mailer.Config{Addr: srv.Addr, Batch: 16, Conns: 4})
	const n = 300
	for i := range n {
		enqueue(t, d, consult.Mail{To: fmt.Sprintf("r%d@example.org", i), Subject: "s", Body: "b\n"})
		if i%7 == 0 {
			m.Notify()
		}
	}
	m.Notify()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		due, err := ob.DueMail(context.Background(), time.Now().UTC().Add(time.Minute), n)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d mails still unsent after 10 s", len(due))
		}
	}
	seen := map[string]int{}
	for _, ml := range srv.Mails() {
		seen[strings.Join(ml.To, ",")]++
	}
	if len(seen) != n {
		t.Errorf("%d recipients got mail, want %d", len(seen), n)
	}
	for to, k := range seen {
		if k != 1 {
			t.Errorf("%s got %d copies, want 1", to, k)
		}
	}
}
