package web

import (
	"errors"
	"fmt"
	"net/textproto"

	mail "github.com/wneessen/go-mail"
	mailsmtp "github.com/wneessen/go-mail/smtp"
)

// canPipeline reports whether msg can go out by sendPipelined over conn:
// the server offers PIPELINING (RFC 2920), and the envelope is plain
// ASCII with one recipient, as every mail OurSay sends is (anything else
// takes go-mail's own path).
func canPipeline(conn *mailsmtp.Client, from string, rcpts []string) bool {
	if ok, _ := conn.Extension("PIPELINING"); !ok || len(rcpts) != 1 {
		return false
	}
	return envelopeASCII(from) && envelopeASCII(rcpts[0])
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
func sendPipelined(conn *mailsmtp.Client, from, to string, msg *mail.Msg) error {
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
		conn.Reset()
		return firstReply(errMail, errRcpt, errData)
	}
	w := t.DotWriter()
	if _, err := msg.WriteTo(w); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	_, _, err := t.ReadResponse(250)
	return err
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
