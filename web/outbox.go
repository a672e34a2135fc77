package web

import (
	"net/http"
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
	return mailView{Mail: m, Status: status}
}

// adminOutbox lists recent mail with its full text. Without an SMTP server
// this page is the only way mail reaches anyone, so admins only: the
// bodies hold residents' confirmation links. Mail held for a later time is
// left out until it falls due (see held).
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
