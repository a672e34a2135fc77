package main

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// TestServe_SendsMail runs `oursay serve --smtp-addr` against an SMTP
// server in the test process: mail queued in the database arrives, and
// the server stops cleanly when its context ends.
func TestServe_SendsMail(t *testing.T) {
	rcpts := make(chan string, 1)
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &rcptSession{rcpts: rcpts}, nil }))
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "oursay.db")
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.EnqueueMail(ctx, consult.Mail{To: "ann@example.org", Subject: "Hello", Body: "Hi\n"}); err != nil {
		t.Fatal(err)
	}

	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	args := []string{"--addr", "127.0.0.1:0", "--db", path, "--smtp-addr", ln.Addr().String(), "--mail-from", "oursay@council.test"}
	go func() { errc <- serve(sctx, args, io.Discard, io.Discard) }()
	select {
	case to := <-rcpts:
		if to != "ann@example.org" {
			t.Errorf("delivered to %q", to)
		}
	case err := <-errc:
		t.Fatalf("serve ended early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no mail delivered within 10 s")
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

// rcptSession reports each accepted mail's first recipient.
type rcptSession struct {
	rcpts chan<- string
	to    string
}

func (s *rcptSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *rcptSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.to == "" {
		s.to = to
	}
	return nil
}
func (s *rcptSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.rcpts <- s.to
	return nil
}
func (s *rcptSession) Reset()        {}
func (s *rcptSession) Logout() error { return nil }
