package main

import (
	"net/smtp"
	"testing"
	"time"
)

// TestMailbox_Tokens: each mail to a load signer yields its token, even
// from a soft-broken quoted-printable link; mail to anyone else is
// ignored, and a mail to a signer without a link is counted bad. (The SMTP
// server itself is smtptest's, tested there.)
func TestMailbox_Tokens(t *testing.T) {
	m, err := startMailbox("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	send := func(to, msg string) {
		t.Helper()
		if err := smtp.SendMail(m.addr, nil, "oursay@localhost", []string{to}, []byte(msg)); err != nil {
			t.Fatalf("send to %s: %v", to, err)
		}
	}
	to := "r-test-1@" + loadDomain
	send("someone@example.org", "Subject: Confirm\r\n\r\nhttp://127.0.0.1:1/signatures/confirm?token=NOTLOAD\r\n")
	send("r-test-2@"+loadDomain, "Subject: Hello\r\n\r\nNo link here.\r\n")
	send(to, "Subject: Confirm\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"+
		".Line starting with a dot\r\nhttp://127.0.0.1:1/signatures/confirm?token=3DABCDEFGHIJKLMNOPQRSTUVW=\r\nXYZ234567\r\n")
	select {
	case got := <-m.tokens:
		if got.token != "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" || got.to != to {
			t.Fatalf("got %+v, want the whole token for %s", got, to)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no token delivered")
	}
	if m.got.Load() != 1 || m.bad.Load() != 1 || m.ignored.Load() != 1 {
		t.Errorf("got %d, bad %d, ignored %d; want 1 each", m.got.Load(), m.bad.Load(), m.ignored.Load())
	}
}
