package main

import (
	"bufio"
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
//
// It is a small server of its own rather than a library's: it shares two
// cores with the server it measures, so it does only what a relay must
// for OurSay's mailer (EHLO with PIPELINING, MAIL, RCPT, DATA, RSET, NOOP,
// QUIT), and like a pipelining relay it sends its replies together, only
// once it has read every command already waiting (RFC 2920). A general
// server that flushed each reply on its own cost this tool a fifth of its
// CPU in writes.
type mailbox struct {
	addr    string
	ln      net.Listener
	tokens  chan confirmMail
	got     atomic.Int64 // mails to load signers
	ignored atomic.Int64 // other mails
	bad     atomic.Int64 // mails to load signers without a link
}

var confirmLinkRE = regexp.MustCompile(`/signatures/confirm\?token=([A-Za-z0-9_-]+)`)

// Limits of the mailbox's SMTP server.
const (
	smtpMaxLine    = 1000    // RFC 5321's limit, CRLF included
	smtpMaxMessage = 1 << 20 // bytes of one message
	smtpIdle       = 30 * time.Second
)

// startMailbox listens on addr (loopback, checked by the caller).
func startMailbox(addr string) (*mailbox, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	m := &mailbox{addr: ln.Addr().String(), ln: ln, tokens: make(chan confirmMail, 1<<17)}
	go m.accept()
	return m, nil
}

func (m *mailbox) accept() {
	for {
		c, err := m.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			m.serve(c)
		}()
	}
}

// close stops listening; sessions end as the server hangs up.
func (m *mailbox) close() { m.ln.Close() }

// smtpSession is one connection's reader, writer and transaction.
type smtpSession struct {
	c  net.Conn
	r  *bufio.Reader
	w  *bufio.Writer
	to []string
}

// reply queues a reply and sends what is queued unless more commands are
// already waiting to be read.
func (s *smtpSession) reply(lines ...string) error {
	for _, l := range lines {
		s.w.WriteString(l)
		s.w.WriteString("\r\n")
	}
	if s.r.Buffered() > 0 {
		return nil
	}
	return s.w.Flush()
}

var errLineTooLong = errors.New("line too long")

// line reads one line without its CRLF; longer than smtpMaxLine is an error.
func (s *smtpSession) line() ([]byte, error) {
	s.c.SetReadDeadline(time.Now().Add(smtpIdle))
	b, err := s.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull || len(b) > smtpMaxLine {
		return nil, errLineTooLong
	}
	if err != nil {
		return nil, err
	}
	return bytes.TrimRight(b, "\r\n"), nil
}

func (m *mailbox) serve(c net.Conn) {
	s := &smtpSession{c: c, r: bufio.NewReaderSize(c, 4096), w: bufio.NewWriterSize(c, 1024)}
	defer s.w.Flush() // replies still queued when the session ends
	if s.reply("220 localhost ESMTP oursay-load") != nil {
		return
	}
	for {
		l, err := s.line()
		if err != nil {
			if errors.Is(err, errLineTooLong) {
				s.w.WriteString("500 5.5.2 line too long\r\n")
			}
			return
		}
		verb, arg, _ := strings.Cut(string(l), " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			s.to = nil
			err = s.reply("250-localhost", "250-PIPELINING", "250-8BITMIME", "250 SIZE 1048576")
		case "HELO":
			s.to = nil
			err = s.reply("250 localhost")
		case "MAIL":
			s.to = nil
			err = s.reply("250 2.1.0 OK")
		case "RCPT":
			to, ok := envelopeAddr(arg, "TO:")
			if !ok {
				err = s.reply("501 5.5.4 Syntax: RCPT TO:<address>")
				break
			}
			s.to = append(s.to, to)
			err = s.reply("250 2.1.5 OK")
		case "DATA":
			if len(s.to) == 0 {
				err = s.reply("503 5.5.1 RCPT first")
				break
			}
			if err = s.reply("354 End data with <CR><LF>.<CR><LF>"); err != nil {
				return
			}
			raw, rerr := s.data()
			if rerr != nil {
				return
			}
			if m.deliver(s.to, raw) != nil {
				err = s.reply("554 5.6.0 unreadable mail")
			} else {
				err = s.reply("250 2.0.0 queued")
			}
			s.to = nil
		case "RSET":
			s.to = nil
			err = s.reply("250 2.0.0 OK")
		case "NOOP":
			err = s.reply("250 2.0.0 OK")
		case "QUIT":
			s.reply("221 2.0.0 bye")
			return
		default:
			err = s.reply("502 5.5.2 not implemented")
		}
		if err != nil {
			return
		}
	}
}

// data reads a message up to its lone dot, undoing dot-stuffing.
func (s *smtpSession) data() ([]byte, error) {
	var raw []byte
	for {
		l, err := s.line()
		if err != nil {
			return nil, err
		}
		if len(l) == 1 && l[0] == '.' {
			return raw, nil
		}
		if len(l) > 0 && l[0] == '.' {
			l = l[1:]
		}
		if len(raw)+len(l)+2 > smtpMaxMessage {
			return nil, errors.New("message too large")
		}
		raw = append(append(raw, l...), '\r', '\n')
	}
}

// envelopeAddr reads "TO:<addr> params" (or FROM:) and returns addr.
func envelopeAddr(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	addr, _, ok := strings.Cut(rest[1:], ">")
	return addr, ok && addr != ""
}

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
