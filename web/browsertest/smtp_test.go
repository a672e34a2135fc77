//go:build browser

package browsertest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// mailbox is an SMTP server on 127.0.0.1 in the test's process; the oursay
// binary is started with --smtp-addr pointing at it, so a test reads the
// confirmation mail a resident would get.
type mailbox struct {
	Addr string
	srv  *smtp.Server

	mu    sync.Mutex
	mails []capturedMail
}

type capturedMail struct {
	To      []string
	Subject string
	Body    string // decoded plain text
}

func startMailbox(t *testing.T) *mailbox {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtp listen: %v", err)
	}
	mb := &mailbox{Addr: ln.Addr().String()}
	mb.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &mailSession{mb: mb}, nil
	}))
	mb.srv.Domain = "localhost"
	mb.srv.ReadTimeout = 10 * time.Second
	mb.srv.WriteTimeout = 10 * time.Second
	go mb.srv.Serve(ln)
	t.Cleanup(func() { mb.srv.Close() })
	return mb
}

// Wait returns the first mail to addr, failing the test after timeout.
func (mb *mailbox) Wait(t *testing.T, addr string, timeout time.Duration) capturedMail {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		mb.mu.Lock()
		for _, m := range mb.mails {
			for _, to := range m.To {
				if strings.EqualFold(to, addr) {
					mb.mu.Unlock()
					return m
				}
			}
		}
		n := len(mb.mails)
		mb.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("no mail to %s within %v (%d other mails arrived)", addr, timeout, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type mailSession struct {
	mb *mailbox
	to []string
}

func (s *mailSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *mailSession) Reset()        { s.to = nil }
func (s *mailSession) Logout() error { return nil }

func (s *mailSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	var dec mime.WordDecoder
	subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	body := msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	s.mb.mu.Lock()
	s.mb.mails = append(s.mb.mails, capturedMail{To: append([]string(nil), s.to...), Subject: subject,
		Body: strings.ReplaceAll(string(text), "\r\n", "\n")})
	s.mb.mu.Unlock()
	return nil
}
