package mailer_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web/mailer"
)

// scriptSMTP is a bare SMTP server that answers MAIL, RCPT and DATA only
// after it has read all three: a client that waited for each reply before
// the next command (no pipelining) would never get one. Recipients at
// refuse.example are refused with 550. It records each transaction.
type scriptSMTP struct {
	addr string
	mu   sync.Mutex
	log  []string // "ok to@x" / "refused to@x" / "rset"
}

func startScriptSMTP(t *testing.T) *scriptSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &scriptSMTP{addr: ln.Addr().String()}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *scriptSMTP) record(e string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, e)
}

func (s *scriptSMTP) entries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

func (s *scriptSMTP) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	say := func(lines ...string) {
		for _, l := range lines {
			w.WriteString(l + "\r\n")
		}
		w.Flush()
	}
	line := func() string {
		l, err := r.ReadString('\n')
		if err != nil {
			panic(err)
		}
		return strings.TrimRight(l, "\r\n")
	}
	defer func() { recover() }() // the client hung up
	say("220 script ESMTP")
	for {
		cmd := line()
		switch verb := strings.ToUpper(strings.Fields(cmd + " x")[0]); verb {
		case "EHLO":
			say("250-script", "250-PIPELINING", "250 8BITMIME")
		case "HELO", "NOOP":
			say("250 ok")
		case "RSET":
			s.record("rset")
			say("250 ok")
		case "QUIT":
			say("221 bye")
			return
		case "MAIL":
			rcpt, data := line(), line() // the pipelined group, before any reply
			if !strings.HasPrefix(rcpt, "RCPT TO:") || data != "DATA" {
				say("503 expected RCPT and DATA pipelined after MAIL")
				return
			}
			to := strings.Trim(strings.TrimPrefix(rcpt, "RCPT TO:"), "<>")
			if strings.HasSuffix(to, "@closing.example") {
				s.record("421 " + to)
				say("421 closing", "421 closing", "421 closing")
				return
			}
			if strings.HasSuffix(to, "@refuse.example") {
				s.record("refused " + to)
				say("250 ok", "550 no such user", "554 no valid recipients")
				continue
			}
			say("250 ok", "250 ok", "354 go ahead")
			for line() != "." {
			}
			s.record("ok " + to)
			say("250 queued")
			if strings.HasSuffix(to, "@hangup.example") {
				return // as a relay drops a connection left idle too long
			}
		default:
			say("502 unknown")
		}
	}
}

// TestMailer_Pipelined sends over a server that answers only pipelined
// clients: good mail goes out, a refused recipient is recorded as a
// permanent failure (retried in an hour, not 30 s) and the same connection
// carries on after a reset.
func TestMailer_Pipelined(t *testing.T) {
	d, ob := mailDB(t)
	srv := startScriptSMTP(t)
	clock := &mailClock{now: time.Now().UTC()}
	d.Now = clock.Now
	m := startMailer(t, ob, mailer.Config{Addr: srv.addr, TLS: mailer.TLSNone, Conns: 1, Timeout: 5 * time.Second, Now: clock.Now})
	for _, to := range []string{"ann@example.org", "nobody@refuse.example", "bob@example.org"} {
		enqueue(t, d, consult.Mail{To: to, Subject: "Confirm", Body: "Open this link\n"})
	}
	m.Notify()
	waitForMail(t, ob, "bob@example.org", isSent)
	waitForMail(t, ob, "ann@example.org", isSent)
	refused := waitForMail(t, ob, "nobody@refuse.example", func(m consult.Mail) bool { return m.Attempts == 1 })
	if isSent(refused) || !strings.Contains(refused.LastError, "550") {
		t.Errorf("refused mail: sent %v, error %q; want unsent with the 550", refused.SentAt, refused.LastError)
	}
	if wait := refused.SendAfter.Sub(clock.Now()); wait < 45*time.Minute {
		t.Errorf("refused mail retries in %v, want about an hour (a 5xx is permanent)", wait)
	}
	got := fmt.Sprint(srv.entries())
	for _, want := range []string{"ok ann@example.org", "refused nobody@refuse.example", "rset", "ok bob@example.org"} {
		if !strings.Contains(got, want) {
			t.Errorf("server saw %s, missing %q", got, want)
		}
	}
	if due, err := ob.DueMail(context.Background(), clock.Now(), 10); err != nil || len(due) != 0 {
		t.Errorf("%d mails still due now", len(due))
	}
}

// TestMailer_DeadConnections: a kept connection the relay has since closed
// costs the next mail nothing (it goes at once on a fresh connection), and
// a 421 ends the connection but not the mail after it.
func TestMailer_DeadConnections(t *testing.T) {
	d, ob := mailDB(t)
	srv := startScriptSMTP(t)
	m := startMailer(t, ob, mailer.Config{Addr: srv.addr, TLS: mailer.TLSNone, Conns: 1, Timeout: 5 * time.Second})
	for _, to := range []string{"a@hangup.example", "b@example.org", "c@closing.example", "d@example.org"} {
		enqueue(t, d, consult.Mail{To: to, Subject: "Confirm", Body: "Open this link\n"})
	}
	m.Notify()
	for _, to := range []string{"a@hangup.example", "b@example.org", "d@example.org"} {
		if got := waitForMail(t, ob, to, isSent); got.Attempts != 1 {
			t.Errorf("%s: sent after %d attempts (%q), want the first", to, got.Attempts, got.LastError)
		}
	}
	closing := waitForMail(t, ob, "c@closing.example", func(m consult.Mail) bool { return m.Attempts == 1 })
	if isSent(closing) || !strings.Contains(closing.LastError, "421") {
		t.Errorf("421 mail: sent %v, error %q; want a failed attempt with the 421", closing.SentAt, closing.LastError)
	}
}
