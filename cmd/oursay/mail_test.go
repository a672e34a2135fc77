package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/db/dbtest"
	"github.com/oursay/oursay/web/mailer"
	"github.com/oursay/oursay/web/mailer/smtptest"
)

// TestServe_SendsMail runs `oursay serve --smtp-addr` against an SMTP
// server in the test process: mail queued in the database arrives, and
// the server stops cleanly when its context ends.
func TestServe_SendsMail(t *testing.T) {
	srv := smtptest.Start(t)
	ctx := context.Background()
	d, path := dbtest.Open(t)
	if err := d.EnqueueMail(ctx, consult.Mail{To: "ann@example.org", Subject: "Hello", Body: "Hi\n"}); err != nil {
		t.Fatal(err)
	}

	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	args := []string{"--addr", "127.0.0.1:0", "--db", path, "--smtp-addr", srv.Addr, "--mail-from", "oursay@council.test"}
	go func() { errc <- serve(sctx, args, io.Discard, io.Discard) }()
	for deadline := time.Now().Add(10 * time.Second); len(srv.Mails()) == 0; {
		select {
		case err := <-errc:
			t.Fatalf("serve ended early: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("no mail delivered within 10 s")
		}
	}
	if to := srv.Mails()[0].To; len(to) != 1 || to[0] != "ann@example.org" {
		t.Errorf("delivered to %q", to)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestServe_BadMailConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "oursay.db")
	args := []string{"--addr", "127.0.0.1:0", "--db", path, "--smtp-addr", "127.0.0.1:25", "--smtp-tls", "sometimes"}
	err := serve(context.Background(), args, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "sometimes") {
		t.Errorf("got %v, want an error naming the bad --smtp-tls", err)
	}
}

// TestStartMailer_SendsOnCommit: mail goes out as soon as the change that
// queued it commits, not at the next poll (an hour here). The first mail
// holds one of two connections in DATA, so the mailer has no other reason
// to read the outbox again (a finished send or the timeout) until long
// after the second must have gone.
func TestStartMailer_SendsOnCommit(t *testing.T) {
	ctx := context.Background()
	srv := smtptest.Start(t, smtptest.WithDataDelay(time.Minute))
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "oursay.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.EnqueueMail(ctx, consult.Mail{To: "first@example.org", Subject: "s", Body: "b\n"}); err != nil {
		t.Fatal(err)
	}
	mctx, cancel := context.WithCancel(ctx)
	wait, err := startMailer(mctx, d, mailer.Config{Addr: srv.Addr, From: "oursay@council.test", TLS: mailer.TLSNone,
		Conns: 2, Poll: time.Hour, Timeout: time.Minute}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer wait()
	defer cancel()
	waitData := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); srv.DataStarted() < n; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d mails reached DATA within 5 s, want %d", srv.DataStarted(), n)
			}
		}
	}
	waitData(1) // the first read has happened, and found the first mail
	if err := d.EnqueueMail(ctx, consult.Mail{To: "second@example.org", Subject: "s", Body: "b\n"}); err != nil {
		t.Fatal(err)
	}
	waitData(2)
}
