package main

import (
	"bufio"
	"fmt"
	"net"
	"net/smtp"
	"strings"
	"testing"
	"time"
)

// TestMailbox_SMTP drives the tool's own SMTP server the two ways a mailer
// may: one command at a time (net/smtp) and pipelined, with the replies to
// a pipelined group arriving together. Each mail to a load signer yields
// its token; dot-stuffed lines and a soft-broken quoted-printable link
// survive; bad sequences are refused without ending the session.
func TestMailbox_SMTP(t *testing.T) {
	m, err := startMailbox("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	to := "r-test-1@" + loadDomain
	msg := "Subject: Confirm\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		".Line starting with a dot\r\nhttp://127.0.0.1:1/signatures/confirm?token=3DABCDEFGHIJKLMNOPQRSTUVW=\r\nXYZ234567\r\n"
	if err := smtp.SendMail(m.addr, nil, "oursay@localhost", []string{to}, []byte(msg)); err != nil {
		t.Fatalf("one command at a time: %v", err)
	}
	if got := nextToken(t, m); got.token != "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" || got.to != to {
		t.Fatalf("got %+v, want the whole token for %s", got, to)
	}

	c, err := net.Dial("tcp", m.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	expect := func(code string) {
		t.Helper()
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("waiting for %s: %v", code, err)
			}
			if !strings.HasPrefix(l, code) {
				t.Fatalf("got %q, want %s", l, code)
			}
			if len(l) > 3 && l[3] == ' ' {
				return
			}
		}
	}
	expect("220")
	fmt.Fprint(c, "EHLO test\r\n")
	expect("250")
	fmt.Fprint(c, "DATA\r\n")
	expect("503") // no recipient yet
	fmt.Fprintf(c, "MAIL FROM:<oursay@localhost>\r\nRCPT TO:<%s>\r\nDATA\r\n", "r-test-2@"+loadDomain)
	expect("250")
	expect("250")
	expect("354")
	fmt.Fprint(c, "\r\nsee /signatures/confirm?token=SECOND2\r\n..\r\n.\r\n")
	expect("250")
	fmt.Fprintf(c, "RCPT TO:nobody\r\nNOOP\r\n%s\r\nQUIT\r\n", strings.Repeat("x", 1200))
	expect("501")
	expect("250")
	expect("500")
	if l, err := r.ReadString('\n'); err == nil {
		t.Fatalf("after a line over 1,000 bytes got %q, want the connection closed", l)
	}
	if got := nextToken(t, m); got.token != "SECOND2" {
		t.Fatalf("pipelined mail: got %+v", got)
	}
	if m.got.Load() != 2 || m.bad.Load() != 0 {
		t.Errorf("got %d, bad %d; want 2 and 0", m.got.Load(), m.bad.Load())
	}
}

func nextToken(t *testing.T, m *mailbox) confirmMail {
	t.Helper()
	select {
	case got := <-m.tokens:
		return got
	case <-time.After(5 * time.Second):
		t.Fatal("no token delivered")
		return confirmMail{}
	}
}
