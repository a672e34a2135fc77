// Package smtptest is an SMTP server on loopback that takes OurSay's mail
// in tests and in the load tool, and the one helper that reads a link out
// of a mail.
//
// It is a small server of its own rather than a library's: the load tool
// runs it on the same two cores as the server it measures, so it does only
// what a relay must for OurSay's mailer (EHLO with PIPELINING, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT), and like a pipelining relay it sends its replies
// together, only once it has read every command already waiting (RFC
// 2920). A general server that flushed each reply on its own cost the load
// tool a fifth of its CPU in writes.
//
// It imports no testing package, so the load tool can link it; Start takes
// anything with the few methods of a *testing.T it needs.
package smtptest

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"strings"
	"sync"
	"time"
)

// Limits of the server.
const (
	maxLine    = 1000    // RFC 5321's limit, CRLF included
	maxMessage = 1 << 20 // bytes of one message
	idle       = 30 * time.Second
)

// Server is a running SMTP server. Unless it was given a handler
// (WithHandler), it keeps every mail it accepts, decoded, for Mails and
// Wait.
type Server struct {
	// Addr is the HOST:PORT the server listens on.
	Addr string

	ln        net.Listener
	handle    func(from string, to []string, raw []byte) error
	dataDelay time.Duration
	closed    chan struct{}
	closeOnce sync.Once

	mu      sync.Mutex
	conns   map[net.Conn]bool
	mails   []Mail
	arrived chan struct{} // closed and replaced when a mail is kept
	inData  int
}

// Option changes how a server behaves.
type Option func(*Server)

// WithAddr listens on addr instead of a fresh loopback port: for a server
// that "comes back" where a mailer was already pointed, or a port given on
// the command line.
func WithAddr(addr string) Option { return func(s *Server) { s.Addr = addr } }

// WithDataDelay makes the server wait d after a message before answering
// it, as a stuck or overloaded relay would. Close ends the wait.
func WithDataDelay(d time.Duration) Option { return func(s *Server) { s.dataDelay = d } }

// WithHandler hands each message, raw, to h instead of keeping it; Parse
// decodes one. An error from h refuses the message with a 554. h runs on
// the session's goroutine, so a slow h holds back that connection's
// sender, which slows the mailer rather than losing mail.
func WithHandler(h func(from string, to []string, raw []byte) error) Option {
	return func(s *Server) { s.handle = h }
}

// Listen starts a server; by default on a fresh port of 127.0.0.1.
func Listen(opts ...Option) (*Server, error) {
	s := &Server{Addr: "127.0.0.1:0", closed: make(chan struct{}),
		conns: make(map[net.Conn]bool), arrived: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return nil, err
	}
	s.ln, s.Addr = ln, ln.Addr().String()
	go s.accept()
	return s, nil
}

// TB is the part of testing.TB that Start and Wait use.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Start starts a server that runs until the test ends, failing the test
// if it cannot listen.
func Start(t TB, opts ...Option) *Server {
	t.Helper()
	s, err := Listen(opts...)
	if err != nil {
		t.Fatalf("smtp listen: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Close stops listening, hangs up every session and ends any DATA delay.
// It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.ln.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for c := range s.conns {
			c.Close()
		}
	})
}

// Mails returns the mails kept so far.
func (s *Server) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// DataStarted returns how many times a client has reached DATA, whether
// or not the mail was then accepted: with WithDataDelay a test can tell
// that a sender is waiting for the server.
func (s *Server) DataStarted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inData
}

// Wait returns the first mail kept for the address to (any case), failing
// the test if none has arrived within timeout.
func (s *Server) Wait(t TB, to string, timeout time.Duration) Mail {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		for _, m := range s.mails {
			for _, rcpt := range m.To {
				if strings.EqualFold(rcpt, to) {
					s.mu.Unlock()
					return m
				}
			}
		}
		n, arrived := len(s.mails), s.arrived
		s.mu.Unlock()
		select {
		case <-arrived:
		case <-deadline.C:
			t.Fatalf("no mail to %s within %v (%d mails arrived)", to, timeout, n)
			return Mail{}
		}
	}
}

func (s *Server) accept() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		if !s.track(c, true) {
			c.Close()
			return
		}
		go func() {
			defer s.track(c, false)
			defer c.Close()
			s.serve(c)
		}()
	}
}

// track adds or removes a connection; it refuses to add one once the
// server is closed.
func (s *Server) track(c net.Conn, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !add {
		delete(s.conns, c)
		return true
	}
	select {
	case <-s.closed:
		return false
	default:
	}
	s.conns[c] = true
	return true
}

// deliver hands a message to the handler or keeps it, decoded.
func (s *Server) deliver(from string, to []string, raw []byte) error {
	if s.handle != nil {
		return s.handle(from, to, raw)
	}
	m, err := Parse(raw)
	if err != nil {
		return err
	}
	m.From, m.To = from, append([]string(nil), to...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mails = append(s.mails, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
	return nil
}

// session is one connection's reader, writer and transaction.
type session struct {
	c    net.Conn
	r    *bufio.Reader
	w    *bufio.Writer
	from string
	to   []string
}

// reply queues a reply and sends what is queued unless more commands are
// already waiting to be read.
func (ss *session) reply(lines ...string) error {
	for _, l := range lines {
		ss.w.WriteString(l)
		ss.w.WriteString("\r\n")
	}
	if ss.r.Buffered() > 0 {
		return nil
	}
	return ss.w.Flush()
}

func (ss *session) reset() { ss.from, ss.to = "", nil }

var errLineTooLong = errors.New("line too long")

// line reads one line without its CRLF; longer than maxLine is an error.
func (ss *session) line() ([]byte, error) {
	ss.c.SetReadDeadline(time.Now().Add(idle))
	b, err := ss.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull || len(b) > maxLine {
		return nil, errLineTooLong
	}
	if err != nil {
		return nil, err
	}
	return bytes.TrimRight(b, "\r\n"), nil
}

func (s *Server) serve(c net.Conn) {
	ss := &session{c: c, r: bufio.NewReaderSize(c, 4096), w: bufio.NewWriterSize(c, 1024)}
	defer ss.w.Flush() // replies still queued when the session ends
	if ss.reply("220 localhost ESMTP smtptest") != nil {
		return
	}
	for {
		l, err := ss.line()
		if err != nil {
			if errors.Is(err, errLineTooLong) {
				ss.w.WriteString("500 5.5.2 line too long\r\n")
			}
			return
		}
		verb, arg, _ := strings.Cut(string(l), " ")
		if strings.EqualFold(verb, "QUIT") {
			ss.reply("221 2.0.0 bye")
			return
		}
		if s.command(ss, strings.ToUpper(verb), arg) != nil {
			return
		}
	}
}

// command answers one command other than QUIT. An error ends the session.
func (s *Server) command(ss *session, verb, arg string) error {
	switch verb {
	case "EHLO":
		ss.reset()
		return ss.reply("250-localhost", "250-PIPELINING", "250-8BITMIME", "250 SIZE 1048576")
	case "HELO":
		ss.reset()
		return ss.reply("250 localhost")
	case "MAIL":
		from, ok := envelopeAddr(arg, "FROM:")
		if !ok {
			return ss.reply("501 5.5.4 Syntax: MAIL FROM:<address>")
		}
		ss.reset()
		ss.from = from
		return ss.reply("250 2.1.0 OK")
	case "RCPT":
		to, ok := envelopeAddr(arg, "TO:")
		if !ok || to == "" {
			return ss.reply("501 5.5.4 Syntax: RCPT TO:<address>")
		}
		ss.to = append(ss.to, to)
		return ss.reply("250 2.1.5 OK")
	case "DATA":
		return s.data(ss)
	case "RSET":
		ss.reset()
		return ss.reply("250 2.0.0 OK")
	case "NOOP":
		return ss.reply("250 2.0.0 OK")
	}
	return ss.reply("502 5.5.2 not implemented")
}

// data takes one message after DATA and answers it.
func (s *Server) data(ss *session) error {
	if len(ss.to) == 0 {
		return ss.reply("503 5.5.1 RCPT first")
	}
	if err := ss.reply("354 End data with <CR><LF>.<CR><LF>"); err != nil {
		return err
	}
	s.mu.Lock()
	s.inData++
	s.mu.Unlock()
	raw, err := ss.message()
	if err != nil {
		return err
	}
	if s.dataDelay > 0 {
		select {
		case <-time.After(s.dataDelay):
		case <-s.closed:
			return errors.New("server closing")
		}
	}
	from, to := ss.from, ss.to
	ss.reset()
	if s.deliver(from, to, raw) != nil {
		return ss.reply("554 5.6.0 unreadable mail")
	}
	return ss.reply("250 2.0.0 queued")
}

// message reads a message up to its lone dot, undoing dot-stuffing.
func (ss *session) message() ([]byte, error) {
	var raw []byte
	for {
		l, err := ss.line()
		if err != nil {
			return nil, err
		}
		if len(l) == 1 && l[0] == '.' {
			return raw, nil
		}
		if len(l) > 0 && l[0] == '.' {
			l = l[1:]
		}
		if len(raw)+len(l)+2 > maxMessage {
			return nil, errors.New("message too large")
		}
		raw = append(append(raw, l...), '\r', '\n')
	}
}

// envelopeAddr reads "TO:<addr> params" (or FROM:) and returns addr, which
// is empty for the null sender "<>".
func envelopeAddr(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	addr, _, ok := strings.Cut(rest[1:], ">")
	return addr, ok
}
