package smtptest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/url"
	"strings"
	"unicode"
)

// Mail is one accepted mail, decoded.
type Mail struct {
	From    string   // envelope sender
	To      []string // envelope recipients
	Header  mail.Header
	Subject string // decoded from any MIME encoded-words
	Body    string // decoded plain text, with "\n" line ends
}

// Parse decodes a single-part mail as it came after DATA: its headers, its
// subject and its body, undoing quoted-printable or base64. The envelope
// fields are left empty.
func Parse(raw []byte) (Mail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Mail{}, err
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Mail{}, err
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
		return Mail{}, err
	}
	return Mail{Header: msg.Header, Subject: subject,
		Body: strings.ReplaceAll(string(text), "\r\n", "\n")}, nil
}

// Link returns the first link in text whose path begins with pattern's
// segments, a "*" segment matching any one: "/signatures/confirm", or
// "/*/confirm" for a campaigner's or a signer's confirmation, or
// "/petitions/*/sponsor". text is a mail body (from a Mail or the outbox)
// or a page; a link there is an absolute http(s) URL or a path from "/",
// ended by white space, a quote or an angle bracket, less any full stop or
// comma after it. The link's token is Link(…).Query().Get("token"), the
// path to request RequestURI(). It returns an error naming pattern if no
// link matches.
func Link(text, pattern string) (*url.URL, error) {
	want := segments(pattern)
	for _, f := range strings.FieldsFunc(text, linkEnd) {
		f = strings.TrimRight(f, ".,;:!?")
		if !strings.HasPrefix(f, "/") && !strings.HasPrefix(f, "http://") && !strings.HasPrefix(f, "https://") {
			continue
		}
		u, err := url.Parse(f)
		if err != nil {
			continue
		}
		if hasPrefix(segments(u.Path), want) {
			return u, nil
		}
	}
	return nil, fmt.Errorf("no link to %s in %q", pattern, text)
}

// linkEnd reports whether r cannot be part of a link as OurSay writes them.
func linkEnd(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune(`"'<>`, r)
}

// segments splits a path into its segments: "/a/b/" is [a b].
func segments(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// hasPrefix reports whether path begins with want, "*" matching any one
// segment.
func hasPrefix(path, want []string) bool {
	if len(path) < len(want) {
		return false
	}
	for i, w := range want {
		if w != path[i] && (w != "*" || path[i] == "") {
			return false
		}
	}
	return true
}
