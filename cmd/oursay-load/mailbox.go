package main

import (
	"strings"
	"sync/atomic"
	"time"

	"github.com/oursay/oursay/web/mailer/smtptest"
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

// mailbox is the SMTP server the measured server sends to (smtptest's,
// which pipelines as a relay does): it reads the confirmation token out of
// each mail to a load signer, as the signer would from the link, and hands
// it to the confirming clients.
type mailbox struct {
	addr    string
	srv     *smtptest.Server
	tokens  chan confirmMail
	got     atomic.Int64 // mails to load signers
	ignored atomic.Int64 // other mails
	bad     atomic.Int64 // mails to load signers without a link
}

// startMailbox listens on addr (loopback, checked by the caller).
func startMailbox(addr string) (*mailbox, error) {
	m := &mailbox{tokens: make(chan confirmMail, 1<<17)}
	srv, err := smtptest.Listen(smtptest.WithAddr(addr), smtptest.WithHandler(m.deliver))
	if err != nil {
		return nil, err
	}
	m.srv, m.addr = srv, srv.Addr
	return m, nil
}

// close stops the server and hangs up its sessions.
func (m *mailbox) close() { m.srv.Close() }

// deliver takes one raw mail. A full token queue holds the SMTP session
// back, which slows the server's mailer rather than losing a link.
func (m *mailbox) deliver(_ string, to []string, raw []byte) error {
	if len(to) != 1 || !strings.HasSuffix(strings.ToLower(to[0]), "@"+loadDomain) {
		m.ignored.Add(1)
		return nil
	}
	ml, err := smtptest.Parse(raw)
	if err != nil {
		m.bad.Add(1)
		return err
	}
	link, err := smtptest.Link(ml.Body, "/signatures/confirm")
	if err != nil {
		m.bad.Add(1)
		return nil
	}
	m.got.Add(1)
	m.tokens <- confirmMail{to: strings.ToLower(to[0]), token: link.Query().Get("token"), at: time.Now()}
	return nil
}
