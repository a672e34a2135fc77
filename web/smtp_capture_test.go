package web_test

import (
	"bytes"
	"encoding/base64"
	"errors"
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

// smtpCapture is an SMTP server on 127.0.0.1, run in the test's process,
// that keeps every mail it accepts. Any test in package web_test can use it
// to check what OurSay sends (petition confirmations, notices).
type smtpCapture struct {
	Addr string

	srv       *smtp.Server
	dataDelay time.Duration
	closed    chan struct{}

	mu     sync.Mutex
	mails  []capturedMail
	inData int
}

// capturedMail is one accepted mail, decoded.
type capturedMail struct {
	From    string   // envelope sender
	To      []string // envelope recipients
	Header  mail.Header
	Subject string // decoded from any MIME encoded-words
	Body    string // decoded plain text, with "\n" line ends
}

// smtpOption changes how startSMTP's server behaves.
type smtpOption func(*smtpCapture)

// withDataDelay makes the server sleep for d before answering DATA, as a
// stuck or overloaded server would.
func withDataDelay(d time.Duration) smtpOption {
	return func(c *smtpCapture) { c.dataDelay = d }
}

// atAddr listens on addr instead of a fresh port, for a server that
// "comes back" where the mailer was already pointed.
func atAddr(addr string) smtpOption {
	return func(c *smtpCapture) { c.Addr = addr }
}

// startSMTP starts a capture server that runs until the test ends.
func startSMTP(t *testing.T, opts ...smtpOption) *smtpCapture {
	t.Helper()
	c := &smtpCapture{Addr: "127.0.0.1:0", closed: make(chan struct{})}
	for _, o := range opts {
		o(c)
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		t.Fatalf("smtp listen: %v", err)
	}
	c.Addr = ln.Addr().String()
	c.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &captureSession{c: c}, nil
	}))
	c.srv.Domain = "localhost"
	c.srv.ReadTimeout = 10 * time.Second
	c.srv.WriteTimeout = 10 * time.Second
	go c.srv.Serve(ln)
	t.Cleanup(c.Close)
	return c
}

// Close stops the server and frees any session sleeping in DATA.
func (c *smtpCapture) Close() {
	select {
	case <-c.closed:
		return
	default:
	}
	close(c.closed)
	c.srv.Close()
}

// Mails returns what has arrived so far.
func (c *smtpCapture) Mails() []capturedMail {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]capturedMail(nil), c.mails...)
}

// DataStarted returns how many times a client has reached DATA, whether or
// not the mail was then accepted: with withDataDelay, a test can tell that
// a sender is stuck waiting for the server.
func (c *smtpCapture) DataStarted() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inData
}

// Wait returns the first mail sent to the address to, failing the test if
// none arrives within timeout.
func (c *smtpCapture) Wait(t *testing.T, to string, timeout time.Duration) capturedMail {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, m := range c.Mails() {
			for _, rcpt := range m.To {
				if strings.EqualFold(rcpt, to) {
					return m
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no mail to %s within %v (%d mails arrived)", to, timeout, len(c.Mails()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type captureSession struct {
	c    *smtpCapture
	from string
	to   []string
}

func (s *captureSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *captureSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *captureSession) Data(r io.Reader) error {
	s.c.mu.Lock()
	s.c.inData++
	s.c.mu.Unlock()
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.c.dataDelay > 0 {
		select {
		case <-time.After(s.c.dataDelay):
		case <-s.c.closed:
			return errors.New("server closing")
		}
	}
	m, err := decodeMail(raw)
	if err != nil {
		return err
	}
	m.From, m.To = s.from, append([]string(nil), s.to...)
	s.c.mu.Lock()
	s.c.mails = append(s.c.mails, m)
	s.c.mu.Unlock()
	return nil
}

func (s *captureSession) Reset()        { s.from, s.to = "", nil }
func (s *captureSession) Logout() error { return nil }

// decodeMail parses a single-part mail and decodes its subject and body.
func decodeMail(raw []byte) (capturedMail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return capturedMail{}, err
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return capturedMail{}, err
	}
	body := msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return capturedMail{}, err
	}
	return capturedMail{Header: msg.Header, Subject: subject,
		Body: strings.ReplaceAll(string(text), "\r\n", "\n")}, nil
}
