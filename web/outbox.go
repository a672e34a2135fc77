package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/oursay/oursay/consult"
)

// mailView is one outbox row as the admin page shows it.
type mailView struct {
	consult.Mail
	// Status is "sent", "failed" (tried, will be tried again) or "queued".
	Status string
}

func newMailView(m consult.Mail) mailView {
	status := "queued"
	switch {
	case !m.SentAt.IsZero():
		status = "sent"
	case m.Attempts > 0:
		status = "failed"
	}
	m.Body = redactLinks(m.Body)
	return mailView{Mail: m, Status: status}
}

// linkTokenRE finds the token of a link in a mail: confirmation and
// withdrawal links carry it as token=.
var linkTokenRE = regexp.MustCompile(`([?&]token=)([A-Za-z0-9_-]+)`)

// redactLinks cuts each link's token to its first few characters, enough
// to tell two mails apart and nothing that works: an admin who could copy
// a signer's link from this page could confirm or withdraw for them, and
// nothing would record who did.
func redactLinks(body string) string {
	return linkTokenRE.ReplaceAllStringFunc(body, func(link string) string {
		m := linkTokenRE.FindStringSubmatch(link)
		keep := ""
		if len(m[2]) > 8 {
			keep = m[2][:4]
		}
		return m[1] + keep + "…"
	})
}

// adminOutbox lists recent mail with its text, admins only, each link's
// token cut short (see redactLinks). Mail held for a later time is left
// out until it falls due (see held).
func (s *Server) adminOutbox(w http.ResponseWriter, r *http.Request) {
	in := r.URL.Query()
	q := consult.MailQuery{Status: strings.TrimSpace(in.Get("status")), To: strings.TrimSpace(in.Get("to")), Now: s.cfg.Now()}
	form := url.Values{}
	for _, k := range []string{"status", "to"} {
		if v := strings.TrimSpace(in.Get(k)); v != "" {
			form.Set(k, v)
		}
	}
	p := &page{Title: "Mail outbox", Form: form}
	w.Header().Set("Cache-Control", "no-store")
	if err := q.Validate(); err != nil {
		p.Data = &outboxView{}
		p.setErrors(withDomain(nil, err), []string{"status", "to"})
		s.render(w, r, http.StatusUnprocessableEntity, "admin_outbox", p)
		return
	}
	v := &outboxView{Filtered: len(form) > 0}
	if s.cfg.Stores.Outbox != nil {
		n, _ := strconv.Atoi(in.Get("page"))
		q.Offset, q.Limit = max(0, n-1)*outboxPageSize, outboxPageSize
		ms, total, err := s.cfg.Stores.Outbox.SearchMail(r.Context(), q)
		if err == nil {
			v.Page = newPager(r, "/admin/outbox", total, outboxPageSize)
			if v.Page.Page != max(1, n) && total > 0 { // past the end: the last page
				q.Offset = v.Page.Offset()
				ms, _, err = s.cfg.Stores.Outbox.SearchMail(r.Context(), q)
			}
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, m := range ms {
			v.Mail = append(v.Mail, newMailView(m))
		}
		v.Page.Label = "Pages of the outbox"
		if len(form) > 0 {
			v.Page.Base += "?" + form.Encode()
		}
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "admin_outbox", p)
}

// outboxPageSize is how many mails a page of the outbox lists.
const outboxPageSize = 50

// outboxView is a page of the outbox.
type outboxView struct {
	Mail     []mailView
	Page     pager
	Filtered bool
}

// mailStatusChoices are the outbox filter's statuses.
func mailStatusChoices() []choice {
	return []choice{{consult.MailSent, "Sent"}, {consult.MailFailed, "Failed, to be tried again"}, {consult.MailQueued, "Not sent yet"}}
}
