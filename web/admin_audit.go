package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/oursay/oursay/consult"
)

// The staff audit log: every council action, filtered by action, who,
// subject and dates, a page at a time. No silent caps: the page says how
// many entries match.

const auditPageSize = 50

// auditView is what /admin/audit shows.
type auditView struct {
	Entries []consult.AuditEntry
	Page    pager
	// Filtered is true when any filter is set, so the count says "matching".
	Filtered bool
}

// auditActionChoices are the actions for the filter's select.
func auditActionChoices() []choice {
	as := consult.AuditActions()
	out := make([]choice, len(as))
	for i, a := range as {
		out[i] = choice{a.Code, a.Name}
	}
	return out
}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) {
	in := r.URL.Query()
	f := newFormReader(in)
	q := consult.AuditQuery{Action: f.text("action"), Actor: f.text("actor"), Subject: f.text("subject")}
	q.From = f.formDate("from", "Start date", time.UTC)
	q.To = f.formDate("to", "End date", time.UTC)
	form := url.Values{}
	for _, k := range []string{"action", "actor", "subject", "from", "from-day", "from-month", "from-year", "to", "to-day", "to-month", "to-year"} {
		if v := f.text(k); v != "" {
			form.Set(k, v)
		}
	}
	p := &page{Title: "Audit log", Form: form}
	if fields := f.result(q.Validate()); fields != nil {
		p.Data = &auditView{}
		p.setErrors(fields, []string{"action", "actor", "subject", "from", "to"})
		s.render(w, r, http.StatusUnprocessableEntity, "admin_audit", p)
		return
	}
	n, _ := strconv.Atoi(in.Get("page"))
	q.Offset, q.Limit = max(0, n-1)*auditPageSize, auditPageSize
	es, total, err := s.cfg.Stores.Audit.SearchAudit(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &auditView{Entries: es, Filtered: len(form) > 0}
	v.Page = newPager(r, "/admin/audit", total, auditPageSize)
	if v.Page.Page != max(1, n) && total > 0 {
		// Past the last page: show the last.
		q.Offset = v.Page.Offset()
		if v.Entries, _, err = s.cfg.Stores.Audit.SearchAudit(r.Context(), q); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	v.Page.Label = "Pages of the audit log"
	if len(form) > 0 {
		v.Page.Base += "?" + form.Encode()
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "admin_audit", p)
}
