package web

import (
	"net/http"
	"regexp"
	"time"

	"github.com/oursay/oursay/consult"
)

// outboxLimit is how many of the newest mails the outbox page shows.
const outboxLimit = 200

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
	var views []mailView
	if s.cfg.Stores.Outbox != nil {
		ms, err := s.cfg.Stores.Outbox.RecentMail(r.Context(), outboxLimit)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		now := s.cfg.Now()
		for _, m := range ms {
			if held(m, now) {
				continue
			}
			views = append(views, newMailView(m))
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "admin_outbox", &page{Title: "Mail outbox", Data: views})
}

// held reports whether m was queued to wait, untried, until a time still to
// come: the threshold notice of a sealed petition waits for signing to
// close, and even its presence would tell staff the count. A failed mail
// waiting for its retry is not held: admins need to see it.
func held(m consult.Mail, now time.Time) bool {
	return m.SentAt.IsZero() && m.Attempts == 0 && m.SendAfter.After(now)
}
