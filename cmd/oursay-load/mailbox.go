package main

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

// loadDomain is the mail domain of every signer this tool invents. Mail to
// anyone else (the demo's own people) is accepted and ignored.
const loadDomain = "load.oursay.test"

// confirmMail is one confirmation link read from a mail, with when it came.
type confirmMail struct {
	to    string
	token string
	at    time.Time
}

// mailbox is an SMTP server in this process that reads the confirmation
// token out of each mail to a load signer, as the signer would from the
// link, and hands it to the confirming clients.
type mailbox struct {
	addr    string
	srv     *smtp.Server
	tokens  chan confirmMail
	got     atomic.Int64 // mails to load signers
	ignored atomic.Int64 // other mails
	bad     atomic.Int64 // mails to load signers without a link
}

var confirmLinkRE = regexp.MustCompile(`/signatures/confirm\?token=([A-Za-z0-9_-]+)`)

// startMailbox listens on addr (loopback, checked by the caller).
func startMailbox(addr string) (*mailbox, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	m := &mailbox{addr: ln.Addr().String(), tokens: make(chan confirmMail, 1<<17)}
	m.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &mailSession{m: m}, nil
	}))
	m.srv.Domain = "localhost"
	m.srv.ReadTimeout = 30 * time.Second
	m.srv.WriteTimeout = 30 * time.Second
	m.srv.MaxMessageBytes = 1 << 20
	go m.srv.Serve(ln)
	return m, nil
}

func (m *mailbox) close() { m.srv.Close() }

// deliver takes one raw mail. A full token queue holds the SMTP session
// back, which slows the server's mailer rather than losing a link.
func (m *mailbox) deliver(to []string, raw []byte) error {
	if len(to) != 1 || !strings.HasSuffix(strings.ToLower(to[0]), "@"+loadDomain) {
		m.ignored.Add(1)
		return nil
	}
	body, err := mailBody(raw)
	if err != nil {
		m.bad.Add(1)
		return err
	}
	match := confirmLinkRE.FindStringSubmatch(body)
	if match == nil {
		m.bad.Add(1)
		return nil
	}
	m.got.Add(1)
	m.tokens <- confirmMail{to: strings.ToLower(to[0]), token: match[1], at: time.Now()}
	return nil
}

// mailBody decodes a single-part text mail's body.
func mailBody(raw []byte) (string, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", err
	}
	body := msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	return string(b), err
}

type mailSession struct {
	m  *mailbox
	to []string
}

func (s *mailSession) Mail(string, *smtp.MailOptions) error { return nil }

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return err
	}
	if err := s.m.deliver(s.to, raw); err != nil {
		return errors.New("unreadable mail")
	}
	return nil
}

func (s *mailSession) Reset()        { s.to = nil }
func (s *mailSession) Logout() error { return nil }
