// Package mailer sends OurSay's outbox over SMTP: a worker reads due mail
// from a consult.Outbox, hands it to the relay over a pool of connections
// (pipelined where the relay allows) and records each result, retrying
// failures with a growing delay. Requests never send mail themselves: they
// queue it in the outbox, and the program wires the store to call Notify
// once the queueing has committed, so mail need not wait for the next poll.
package mailer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	netmail "net/mail"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	mail "github.com/wneessen/go-mail"
	mailsmtp "github.com/wneessen/go-mail/smtp"

	"github.com/oursay/oursay/consult"
)

// TLSPolicy says when the mailer encrypts its SMTP connection.
type TLSPolicy string

const (
	// TLSOpportunistic uses STARTTLS when the server offers it and sends
	// in the clear otherwise: right for a relay on loopback or a private
	// network, which often offers no TLS. The default.
	TLSOpportunistic TLSPolicy = "opportunistic"
	// TLSMandatory refuses to send unless STARTTLS succeeds.
	TLSMandatory TLSPolicy = "mandatory"
	// TLSNone never tries STARTTLS, for a local relay whose certificate
	// would not verify.
	TLSNone TLSPolicy = "none"
)

// Config says how the mailer reaches its SMTP server.
type Config struct {
	// Addr is the SMTP server's HOST:PORT. Empty means no mailer: mail stays
	// in the outbox, where admins read it at /admin/outbox.
	Addr string
	// From is the sender address, e.g. "OurSay <oursay@council.gov.uk>".
	From string
	// Timeout bounds the dial and then each message's exchange with the
	// server, so a stuck server delays the queue but never halts it.
	// Default 30 seconds.
	Timeout time.Duration
	// TLS is the STARTTLS policy; empty means TLSOpportunistic.
	TLS TLSPolicy
	// Username and Password, when Username is set, authenticate with the
	// best mechanism the server offers. Without them the mailer submits
	// without authentication, as a local relay expects.
	Username, Password string
	// Poll is how often the outbox is read when nobody calls Notify.
	// Default 1 second.
	Poll time.Duration
	// Batch is how many due mails are read at a time. Default 200.
	Batch int
	// Conns is how many connections mail goes out on at once, each sending
	// one mail at a time. Default 32: a relay takes several at once (Postfix
	// up to 50 from one client), a busy petition mails thousands of links
	// a second, and each mail's round trips leave its connection idle
	// while others send (sign at C=64: 3,521/s with 8, 3,736/s with 32).
	Conns int
	// Now is the clock; nil means time.Now. Tests move it to make retries due.
	Now func() time.Time
}

// Retry delays: 30 s after the first failure, doubling up to an hour.
const (
	firstRetry = 30 * time.Second
	maxRetry   = time.Hour
)

// Mailer is the worker that sends the outbox: it reads due mail, hands each
// to the SMTP server and records the result. Sending happens only here,
// never inside a request, so a slow or absent mail server cannot slow or
// fail what a resident is doing. Delivery is at least once: a mail the
// server accepted but that could not then be marked sent is sent again, with
// the same Message-ID. Mail bodies hold confirmation links and are never
// logged.
type Mailer struct {
	ob   consult.Outbox
	cfg  Config
	log  *slog.Logger
	wake chan struct{}
	from *netmail.Address // cfg.From, parsed
}

// New checks cfg, fills in its defaults and returns a mailer for ob.
// It returns an error for a missing or malformed Addr or From, or an unknown
// TLS policy.
func New(ob consult.Outbox, cfg Config, log *slog.Logger) (*Mailer, error) {
	if log == nil {
		log = slog.Default()
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 200
	}
	if cfg.Conns <= 0 {
		cfg.Conns = 32
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSOpportunistic
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Now().UTC() }
	}
	m := &Mailer{ob: ob, cfg: cfg, log: log, wake: make(chan struct{}, 1)}
	if _, err := m.client(context.Background()); err != nil {
		return nil, fmt.Errorf("mailer: %w", err)
	}
	if err := mail.NewMsg().From(cfg.From); err != nil {
		return nil, fmt.Errorf("mailer: from address: %w", err)
	}
	if from, err := netmail.ParseAddress(cfg.From); err == nil {
		m.from = from
	}
	return m, nil
}

// Notify wakes the worker to read the outbox now rather than at the next
// poll. It never blocks: wakes that arrive while one is pending merge.
func (m *Mailer) Notify() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// Run sends due mail until ctx ends, reading the outbox every Poll and
// whenever Notify is called. A send in progress when ctx ends is cut off and
// its mail stays due, to be sent at the next start. Call Run once.
//
// It is a pipeline, so the outbox read, the SMTP round trips and the marks
// overlap instead of taking turns: Run reads due mail and hands it out;
// cfg.Conns senders, each with a connection of its own, send it; one
// recorder marks the results, many to a group-committed transaction. A
// mail stays "in flight" (never handed out twice) from the read until its
// mark has committed, so the next read can run while marks are pending.
func (m *Mailer) Run(ctx context.Context) {
	client, err := m.client(ctx)
	if err != nil { // New has checked the same options
		m.log.Error("mailer stopped", "err", err)
		return
	}
	m.log.Info("mailer started", "smtp", m.cfg.Addr, "tls", string(m.cfg.TLS), "connections", m.cfg.Conns)
	work := make(chan consult.Mail)
	results := make(chan sendResult, m.cfg.Batch)
	marked := make(chan markReport, 1)
	var senders, recorder sync.WaitGroup
	for range m.cfg.Conns {
		senders.Go(func() { m.sender(ctx, client, work, results) })
	}
	dispatched := make(chan struct{})
	recorder.Go(func() { m.recorder(results, marked, dispatched) })
	m.dispatch(ctx, work, marked)
	close(dispatched)
	close(work)
	senders.Wait()
	close(results)
	recorder.Wait()
	m.log.Info("mailer stopped")
}

// sendResult is one mail's outcome, from a sender to the recorder.
type sendResult struct {
	ml  consult.Mail
	err error
}

// markReport tells dispatch which mails have left flight, and whether
// every mark saved.
type markReport struct {
	ids []int64
	ok  bool
}

// dispatch reads due mail and hands it to the senders until ctx ends. It
// reads again at once while reads come back full (more is due), and
// otherwise on Notify or the poll tick. After a mark fails it waits for the
// tick, so a failing database cannot spin it on the same mails.
func (m *Mailer) dispatch(ctx context.Context, work chan<- consult.Mail, marked <-chan markReport) {
	t := time.NewTicker(m.cfg.Poll)
	defer t.Stop()
	inFlight := make(map[int64]bool)
	var queue []consult.Mail
	readNow, paused := true, false
	for {
		if readNow && !paused && len(queue) == 0 && len(inFlight) < 2*m.cfg.Batch {
			readNow = false
			limit := m.cfg.Batch + len(inFlight)
			due, err := m.ob.DueMail(ctx, m.cfg.Now(), limit)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				m.log.Error("read outbox", "err", err)
			}
			for _, ml := range due {
				if !inFlight[ml.ID] {
					inFlight[ml.ID] = true
					queue = append(queue, ml)
				}
			}
			readNow = len(due) == limit // full: more may be due
		}
		var out chan<- consult.Mail
		var next consult.Mail
		if len(queue) > 0 {
			out, next = work, queue[0]
		}
		select {
		case <-ctx.Done():
			return
		case out <- next:
			queue[0] = consult.Mail{}
			queue = queue[1:]
		case r := <-marked:
			for _, id := range r.ids {
				delete(inFlight, id)
			}
			if !r.ok {
				paused = true
			}
			if len(queue) == 0 && len(inFlight) == 0 {
				readNow = true // a batch has cleared: more may be due
			}
		case <-m.wake:
			readNow = true
		case <-t.C:
			readNow, paused = true, false
		}
	}
}

// sender sends mail from work over one connection until work closes,
// dialling again after a failure so one bad mail or dropped connection does
// not fail the rest. A send cut off by shutdown is not reported: the mail
// is not at fault and stays due. One that went through as shutdown began
// is, so it is not sent again at the next start.
func (m *Mailer) sender(ctx context.Context, client *mail.Client, work <-chan consult.Mail, results chan<- sendResult) {
	var conn *mailsmtp.Client
	defer func() {
		if conn != nil {
			client.CloseWithSMTPClient(conn)
		}
	}()
	for ml := range work {
		err := m.sendOne(ctx, client, &conn, ml)
		if err != nil && ctx.Err() != nil {
			continue // cut off by shutdown: not the mail's fault, leave it due
		}
		results <- sendResult{ml, err}
	}
}

// sendOne sends one mail over *conn, dialling first if there is no
// connection, and drops the connection after any failure that leaves it
// unusable. A connection kept from earlier may have been closed by the
// relay while idle (Postfix hangs up after 5 minutes): if it fails that
// way, the mail is tried once more at once on a fresh one, rather than
// counted as a failed attempt and held back 30 s.
func (m *Mailer) sendOne(ctx context.Context, client *mail.Client, conn **mailsmtp.Client, ml consult.Mail) error {
	reused := *conn != nil
	err := m.sendOn(ctx, client, conn, ml)
	if err != nil && reused && *conn == nil && ctx.Err() == nil && !permanent(err) {
		err = m.sendOn(ctx, client, conn, ml)
	}
	return err
}

// sendOn sends one mail over *conn, dialling if there is none.
func (m *Mailer) sendOn(ctx context.Context, client *mail.Client, conn **mailsmtp.Client, ml consult.Mail) error {
	if *conn == nil {
		var err error
		if *conn, err = client.DialToSMTPClientWithContext(ctx); err != nil {
			*conn = nil
			return fmt.Errorf("connect to %s: %w", m.cfg.Addr, err)
		}
	}
	if from, to, ok := m.pipelineEnvelope(*conn, ml); ok {
		err := (*conn).UpdateDeadline(m.cfg.Timeout)
		if err == nil {
			err = sendPipelined(*conn, from, to, func(w io.Writer) error { return m.writePlain(w, ml, to) })
		}
		if err != nil && mustDrop(err) {
			client.CloseWithSMTPClient(*conn)
			*conn = nil
		}
		return err
	}
	msg, err := m.message(ml)
	if err != nil {
		return err
	}
	if err = client.SendWithSMTPClient(*conn, msg); err != nil {
		client.CloseWithSMTPClient(*conn)
		*conn = nil
	}
	return err
}

// recorderBatch is the most marks the recorder saves in one transaction.
const recorderBatch = 256

// recorder saves results until results closes: whatever has arrived is
// marked together, so while one mark commits the next set gathers. It
// reports each set to dispatch, unless dispatch has gone (shutdown).
func (m *Mailer) recorder(results <-chan sendResult, marked chan<- markReport, dispatched <-chan struct{}) {
	var set []sendResult
	for r := range results {
		set = append(set[:0], r)
	gather:
		for len(set) < recorderBatch {
			select {
			case r, ok := <-results:
				if !ok {
					break gather
				}
				set = append(set, r)
			default:
				break gather
			}
		}
		rep := m.record(set)
		clear(set)
		select {
		case marked <- rep:
		case <-dispatched:
		}
	}
}

// record marks a set of results: those sent in one transaction, each
// failure with its next try. It uses a context of its own so results are
// still saved while the server shuts down.
func (m *Mailer) record(set []sendResult) markReport {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	now := m.cfg.Now()
	rep := markReport{ids: make([]int64, 0, len(set)), ok: true}
	var sent []int64
	for _, r := range set {
		rep.ids = append(rep.ids, r.ml.ID)
		if r.err == nil {
			sent = append(sent, r.ml.ID)
			continue
		}
		attempt := r.ml.Attempts + 1
		retryAt := now.Add(retryDelay(attempt, permanent(r.err), rand.Float64()))
		reason := r.err.Error()
		m.log.Warn("mail not sent", "mail", r.ml.ID, "attempt", attempt, "retry_at", retryAt, "err", redactEmails(reason))
		if err := m.ob.MarkFailed(ctx, r.ml.ID, reason, retryAt); err != nil {
			m.log.Error("mark mail failed", "mail", r.ml.ID, "err", err)
			rep.ok = false
		}
	}
	if len(sent) == 0 {
		return rep
	}
	if err := m.ob.MarkSentAll(ctx, sent, now); err != nil {
		m.log.Error("mail sent but not marked; it will be sent again", "mails", len(sent), "first", sent[0], "err", err)
		rep.ok = false
		return rep
	}
	m.log.Debug("mail sent", "mails", len(sent), "first", sent[0])
	return rep
}

// retryDelay is the wait before attempt+1: 30 s, 1 min, 2 min … capped at
// an hour, less up to a fifth at random (jitter in [0, 1)), so mails that
// failed together do not all retry in the same instant. A mail the server
// refused outright waits the full hour: trying sooner would only repeat it.
func retryDelay(attempt int, permanent bool, jitter float64) time.Duration {
	d := maxRetry
	if !permanent && attempt < 20 {
		d = min(firstRetry<<max(attempt-1, 0), maxRetry)
	}
	return d - time.Duration(float64(d)*0.2*jitter)
}

// permanent reports whether the server refused the mail with a 5xx reply.
func permanent(err error) bool {
	var se *mail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode() >= 500
	}
	var te *textproto.Error
	return errors.As(err, &te) && te.Code >= 500
}

// message builds the email for one outbox row. Its Message-ID comes from
// the row, so a mail sent twice (see Mailer) can be recognised as one.
func (m *Mailer) message(ml consult.Mail) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(m.cfg.From); err != nil {
		return nil, fmt.Errorf("from address: %w", err)
	}
	if err := msg.To(ml.To); err != nil {
		return nil, fmt.Errorf("to address: %w", err)
	}
	msg.Subject(ml.Subject)
	msg.SetDateWithValue(m.cfg.Now())
	msg.SetMessageIDWithValue(m.messageID(ml))
	// Ask out-of-office responders not to answer a notification.
	msg.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(mail.TypeTextPlain, ml.Body)
	return msg, nil
}

// messageID is the Message-ID of an outbox row's mail, whichever way it
// goes out, so a mail sent twice can be recognised as one.
func (m *Mailer) messageID(ml consult.Mail) string {
	return fmt.Sprintf("oursay.%d.%d@%s", ml.ID, ml.CreatedAt.UnixNano(), domainOf(m.cfg.From))
}

// client builds the go-mail client for cfg. Its dialler closes the
// connection when ctx ends, so a server stuck mid-message cannot hold up
// shutdown for the whole Timeout.
func (m *Mailer) client(ctx context.Context) (*mail.Client, error) {
	host, portStr, err := net.SplitHostPort(m.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("smtp address %q: %w", m.cfg.Addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || host == "" {
		return nil, fmt.Errorf("smtp address %q: want HOST:PORT", m.cfg.Addr)
	}
	policy, err := tlsPolicy(m.cfg.TLS)
	if err != nil {
		return nil, err
	}
	opts := []mail.Option{
		// No NOOP before each mail and no RSET after it: MAIL after a
		// finished DATA starts a fresh transaction anyway, and a dropped
		// connection fails the next command just as it would fail NOOP.
		// That is two round trips fewer for every mail.
		mail.WithoutNoop(), mail.WithoutRset(),
		mail.WithPort(port),
		mail.WithTimeout(m.cfg.Timeout),
		mail.WithTLSPolicy(policy),
		mail.WithDialContextFunc(closeOnDone(ctx)),
	}
	if m.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(m.cfg.Username), mail.WithPassword(m.cfg.Password))
	}
	return mail.NewClient(host, opts...)
}

func tlsPolicy(t TLSPolicy) (mail.TLSPolicy, error) {
	switch t {
	case TLSOpportunistic:
		return mail.TLSOpportunistic, nil
	case TLSMandatory:
		return mail.TLSMandatory, nil
	case TLSNone:
		return mail.NoTLS, nil
	}
	return 0, fmt.Errorf("smtp tls %q: want opportunistic, mandatory or none", t)
}

// closeOnDone returns a dialler whose connections are closed when ctx ends.
func closeOnDone(ctx context.Context) mail.DialContextFunc {
	return func(dctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &ctxConn{Conn: c, stop: context.AfterFunc(ctx, func() { c.Close() })}, nil
	}
}

// ctxConn releases its close-on-done hook when closed.
type ctxConn struct {
	net.Conn
	stop func() bool
}

func (c *ctxConn) Close() error {
	c.stop()
	return c.Conn.Close()
}

func domainOf(addr string) string {
	addr = strings.TrimRight(strings.TrimSpace(addr), ">")
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		return addr[i+1:]
	}
	return "localhost"
}

var emailPattern = regexp.MustCompile(`[^\s<>"'()\[\],;:]+@[^\s<>"'()\[\],;:]+`)

// redactEmails hides addresses in text bound for the log: an SMTP error may
// quote the recipient, and residents' addresses stay out of logs.
func redactEmails(s string) string { return emailPattern.ReplaceAllString(s, "[email]") }
