package smtptest_test

import (
	"bufio"
	"fmt"
	"net"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/web/mailer/smtptest"
)

// TestServer_SMTP drives the server the two ways a mailer may: one command
// at a time (net/smtp) and pipelined, with the replies to a pipelined group
// arriving together. Dot-stuffed lines and a soft-broken quoted-printable
// line survive; bad sequences are refused without ending the session; a
// line over RFC 5321's limit ends it.
func TestServer_SMTP(t *testing.T) {
	s := smtptest.Start(t)
	msg := "Subject: =?UTF-8?q?Caf=C3=A9?=\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		".Line starting with a dot\r\nhttp://127.0.0.1:1/signatures/confirm?token=3DABCDEFGHIJKLMNOPQRSTUVW=\r\nXYZ234567\r\n"
	if err := smtp.SendMail(s.Addr, nil, "oursay@localhost", []string{"ann@example.org"}, []byte(msg)); err != nil {
		t.Fatalf("one command at a time: %v", err)
	}
	got := s.Wait(t, "ANN@example.org", 5*time.Second)
	want := ".Line starting with a dot\nhttp://127.0.0.1:1/signatures/confirm?token=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567\n"
	if got.Body != want || got.Subject != "Café" || got.From != "oursay@localhost" {
		t.Fatalf("got from %q subject %q body %q, want oursay@localhost, Café and %q", got.From, got.Subject, got.Body, want)
	}

	c, err := net.Dial("tcp", s.Addr)
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
	fmt.Fprint(c, "MAIL FROM:<oursay@localhost>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n")
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
	if got := s.Wait(t, "bob@example.org", 5*time.Second); got.Body != "see /signatures/confirm?token=SECOND2\n.\n" {
		t.Fatalf("pipelined mail: body %q", got.Body)
	}
	if n := len(s.Mails()); n != 2 {
		t.Errorf("%d mails kept, want 2", n)
	}
}

// TestServer_Handler: with a handler the server keeps nothing and hands
// over the raw message with its envelope; a handler's error refuses it.
func TestServer_Handler(t *testing.T) {
	type got struct {
		from string
		to   []string
		raw  string
	}
	gotc := make(chan got, 2)
	s := smtptest.Start(t, smtptest.WithHandler(func(from string, to []string, raw []byte) error {
		gotc <- got{from, to, string(raw)}
		if to[0] == "refuse@example.org" {
			return fmt.Errorf("refused")
		}
		return nil
	}))
	if err := smtp.SendMail(s.Addr, nil, "a@localhost", []string{"b@example.org", "c@example.org"}, []byte("Subject: s\r\n\r\nhi\r\n")); err != nil {
		t.Fatal(err)
	}
	select {
	case g := <-gotc:
		if g.from != "a@localhost" || strings.Join(g.to, ",") != "b@example.org,c@example.org" || g.raw != "Subject: s\r\n\r\nhi\r\n" {
			t.Errorf("handler got %+v", g)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("handler not called")
	}
	err := smtp.SendMail(s.Addr, nil, "a@localhost", []string{"refuse@example.org"}, []byte("Subject: s\r\n\r\nhi\r\n"))
	if err == nil || !strings.Contains(err.Error(), "554") {
		t.Errorf("refused by the handler: got %v, want a 554", err)
	}
	if n := len(s.Mails()); n != 0 {
		t.Errorf("%d mails kept, want none with a handler", n)
	}
}

func TestLink(t *testing.T) {
	mail := "Confirm:\nhttp://oursay.test/signatures/confirm?token=ABC234.\n" +
		"Withdraw: <https://oursay.test/signatures/withdraw?token=XYZ>\n"
	page := `<a href="/petitions/12">Back</a> <a href="/petitions/12/sponsor?token=SHARE7">share</a>`
	tests := []struct {
		text, pattern, want string
	}{
		{mail, "/signatures/confirm", "http://oursay.test/signatures/confirm?token=ABC234"},
		{mail, "/signatures/withdraw", "https://oursay.test/signatures/withdraw?token=XYZ"},
		{mail, "/*/confirm", "http://oursay.test/signatures/confirm?token=ABC234"},
		{mail, "/", "http://oursay.test/signatures/confirm?token=ABC234"},
		{page, "/petitions/*/sponsor", "/petitions/12/sponsor?token=SHARE7"},
		{page, "/petitions", "/petitions/12"},
		{"see /petitions/confirm?token=Q2 now", "/*/confirm", "/petitions/confirm?token=Q2"},
	}
	for _, tt := range tests {
		u, err := smtptest.Link(tt.text, tt.pattern)
		if err != nil {
			t.Errorf("Link(%q): %v", tt.pattern, err)
			continue
		}
		if u.String() != tt.want {
			t.Errorf("Link(%q) = %s, want %s", tt.pattern, u, tt.want)
		}
	}
	for _, pattern := range []string{"/signatures/confirmed", "/petitions/*/withdraw", "/signatures/confirm/x"} {
		if u, err := smtptest.Link(mail+page, pattern); err == nil {
			t.Errorf("Link(%q) = %s, want no link", pattern, u)
		}
	}
	if u, err := smtptest.Link(`<a href="/petitions/12">`, "/petitions/12/*"); err == nil {
		t.Errorf("a \"*\" matched a missing segment: %s", u)
	}
	if u, _ := smtptest.Link(mail, "/signatures/confirm"); u.Query().Get("token") != "ABC234" {
		t.Errorf("token = %q, want ABC234", u.Query().Get("token"))
	}
}
