package mailer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"time"

	mailsmtp "github.com/wneessen/go-mail/smtp"

	"github.com/oursay/oursay/consult"
)

// pipelineEnvelope returns the envelope for sendPipelined, if ml can go
// that way over conn: the server offers PIPELINING (RFC 2920) and both
// addresses are plain ASCII, as OurSay's nearly always are (anything else
// takes go-mail's own path).
func (m *Mailer) pipelineEnvelope(conn *mailsmtp.Client, ml consult.Mail) (from, to string, ok bool) {
	if ok, _ := conn.Extension("PIPELINING"); !ok || m.from == nil {
		return "", "", false
	}
	rcpt, err := netmail.ParseAddress(ml.To)
	if err != nil || !envelopeASCII(rcpt.Address) || !envelopeASCII(m.from.Address) {
		return "", "", false
	}
	return "<" + m.from.Address + ">", "<" + rcpt.Address + ">", true
}

// envelopeASCII reports whether an envelope address can go on an SMTP
// command line as it is: printable ASCII, no line breaks.
func envelopeASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return s != ""
}

// sendPipelined sends one message in two round trips instead of four:
// MAIL, RCPT and DATA go in one write and their three replies are read
// together, then the message and its final dot. Under a viral petition
// each mail's round trips, not its bytes, were what held the mailer back.
// A refusal is a *textproto.Error carrying the server's code (see
// permanent); after one the session is reset, as go-mail does.
func sendPipelined(conn *mailsmtp.Client, from, to string, writeMsg func(io.Writer) error) error {
	t := conn.Text
	if _, err := fmt.Fprintf(t.W, "MAIL FROM:%s\r\nRCPT TO:%s\r\nDATA\r\n", from, to); err != nil {
		return err
	}
	if err := t.W.Flush(); err != nil {
		return err
	}
	// Every reply is read, whatever the first ones say, so the next
	// command meets the server in step.
	_, _, errMail := t.ReadResponse(250)
	_, _, errRcpt := t.ReadResponse(25) // 250 or 251
	_, _, errData := t.ReadResponse(354)
	if refused := errors.Join(errMail, errRcpt); refused != nil || errData != nil {
		if errData == nil {
			// The server took DATA after refusing the sender or recipient
			// (RFC 2920 says it must not): end the empty message so the
			// session stays in step, and report the refusal.
			t.PrintfLine(".")
			t.ReadResponse(250)
		}
		if refused == nil {
			refused = errData
		}
		if !isProtocolReply(refused) {
			return refused // the connection failed: it is dropped anyway
		}
		reply := firstReply(errMail, errRcpt, errData)
		if err := conn.Reset(); err != nil {
			return &brokenConn{reply: reply, err: err}
		}
		return reply
	}
	w := t.DotWriter()
	if err := writeMsg(w); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	_, _, err := t.ReadResponse(250)
	return err
}

// brokenConn is a refusal after which the session could not be reset:
// the refusal is the mail's result, and the connection must go.
type brokenConn struct{ reply, err error }

func (b *brokenConn) Error() string { return b.reply.Error() + " (then RSET: " + b.err.Error() + ")" }
func (b *brokenConn) Unwrap() error { return b.reply }

// mustDrop reports whether the connection a send failed on is finished:
// it broke, the server is closing it (421), or it could not be reset.
func mustDrop(err error) bool {
	var b *brokenConn
	var te *textproto.Error
	switch {
	case errors.As(err, &b):
		return true
	case errors.As(err, &te):
		return te.Code == 421
	}
	return true
}

// isProtocolReply reports whether err is the server's answer rather than
// a broken connection.
func isProtocolReply(err error) bool {
	var te *textproto.Error
	return errors.As(err, &te)
}

// firstReply returns the first of errs that is the server's reply.
func firstReply(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// writePlain writes ml as the plain-text message go-mail would make of it
// (see message), without go-mail's general machinery, which was a third
// of the mailer's CPU: the headers, then the body in quoted-printable.
func (m *Mailer) writePlain(w io.Writer, ml consult.Mail, to string) error {
	bw := bufio.NewWriterSize(w, 2048)
	fmt.Fprintf(bw, "Date: %s\r\n", m.cfg.Now().Format(time.RFC1123Z))
	fmt.Fprintf(bw, "From: %s\r\n", m.from.String())
	fmt.Fprintf(bw, "To: %s\r\n", to)
	fmt.Fprintf(bw, "Subject: %s\r\n", mime.QEncoding.Encode("UTF-8", ml.Subject))
	fmt.Fprintf(bw, "Message-ID: <%s>\r\n", m.messageID(ml))
	// Ask out-of-office responders not to answer a notification.
	bw.WriteString("Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(bw)
	if _, err := io.WriteString(qp, ml.Body); err != nil {
		return err
	}
	if err := qp.Close(); err != nil {
		return err
	}
	return bw.Flush()
}
