package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/oursay/oursay/ballot"
)

// adminPetitionView is the staff page of one petition. Staff see the count
// of a sealed petition: like a petition officer, the council counts; it
// just does not publish.
type adminPetitionView struct {
	*petitionView
	Count      int
	Electorate ballot.Electorate
	Threshold  int // what publishing now would fix
	PaperForm  url.Values
	InvForm    url.Values
	Held       []heldView // signatures held for review
}

func (s *Server) adminPetitions(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Stores.Petitions.Petitions(r.Context(), false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var queue, all []*petitionView
	for _, p := range list {
		v := &petitionView{P: p, State: p.State(s.cfg.Now())}
		if p.Status == ballot.StatusModeration {
			queue = append(queue, v)
		}
		all = append(all, v)
	}
	var statuses []choice
	for _, st := range []ballot.Status{ballot.StatusUnconfirmed, ballot.StatusSponsoring, ballot.StatusModeration, ballot.StatusOpen,
		ballot.StatusThresholdMet, ballot.StatusClosed, ballot.StatusRejected} {
		statuses = append(statuses, choice{string(st), petitionStateLabel(st)})
	}
	lv, form, fields := filterList(r, "/admin/petitions", "petitions", all,
		func(p *petitionView) string { return p.P.Title }, func(p *petitionView) string { return string(p.State) }, statuses, petitionClosing)
	s.renderList(w, r, "admin_petitions", &page{Title: "Petitions", Data: &adminPetitionsView{Queue: queue, listView: lv}, Form: form}, fields)
}

// adminPetitionsView is the moderation queue above a page of every
// petition, filtered.
type adminPetitionsView struct {
	Queue []*petitionView
	*listView[*petitionView]
}

func (s *Server) adminPetition(w http.ResponseWriter, r *http.Request) {
	s.renderAdminPetition(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderAdminPetition(w http.ResponseWriter, r *http.Request, status int, form url.Values, fields map[string]string) {
	p, err := s.pathPetition(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pv, err := s.petitionView(r, p, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &adminPetitionView{petitionView: pv, Count: p.SignatureCount, PaperForm: form}
	if byWard, err := s.cfg.Stores.Petitions.CountByWard(r.Context(), p.ID); err == nil {
		v.Wards = sortWards(byWard)
	}
	held, err := s.cfg.Stores.Petitions.HeldSignatures(r.Context(), p.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Held = heldViews(held)
	if e, err := s.cfg.Stores.Council.Electorate(r.Context()); err == nil {
		v.Electorate = e
	}
	if pv.Contract != nil {
		v.Threshold = pv.Contract.Recall.Threshold(v.Electorate)
	}
	pg := &page{Title: p.Title, Data: v, Form: form}
	if fields != nil {
		pg.setErrors(fields, []string{"form", "reason", "sheet", "line", "name", "postcode", "resident", "domain", "from", "to"})
	}
	s.render(w, r, status, "admin_petition", pg)
}

func (s *Server) adminPublishPetition(w http.ResponseWriter, r *http.Request) {
	p, err := s.pathPetition(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := p.ID
	c, err := s.cfg.Stores.Contracts.Contract(r.Context(), p.ContractID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.cfg.Stores.Council.Electorate(r.Context())
	if err != nil && !errors.Is(err, ballot.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	s.afterPetitionAction(w, r, s.cfg.Stores.Petitions.Publish(r.Context(), id, c.Recall, e, s.actor(r)), "The petition is published and open for signatures.")
}

func (s *Server) adminRejectPetition(w http.ResponseWriter, r *http.Request) {
	id, ok := s.petitionForm(w, r)
	if !ok {
		return
	}
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	s.afterPetitionAction(w, r, s.cfg.Stores.Petitions.Reject(r.Context(), id, reason, s.actor(r)), "The petition is rejected and the campaigner has been told why.")
}

// afterPetitionAction redirects with msg, or shows the refusal on the page.
func (s *Server) afterPetitionAction(w http.ResponseWriter, r *http.Request, err error, msg string) {
	var ve *ballot.ValidationError
	switch {
	case err == nil:
		s.flash(r, msg)
		http.Redirect(w, r, "/admin/petitions/"+r.PathValue("id"), http.StatusSeeOther)
	case errors.As(err, &ve):
		s.renderAdminPetition(w, r, http.StatusUnprocessableEntity, r.PostForm, ve.Fields)
	case errors.Is(err, ballot.ErrNotFound):
		s.fail(w, r, err)
	default:
		status, fields := signError(err, "")
		if fields == nil {
			var m string
			status, m = statusFor(err)
			if status >= 500 {
				s.fail(w, r, err)
				return
			}
			fields = map[string]string{"form": m}
		}
		s.renderAdminPetition(w, r, status, r.PostForm, fields)
	}
}

func (s *Server) adminPaperSignature(w http.ResponseWriter, r *http.Request) {
	id, ok := s.petitionForm(w, r)
	if !ok {
		return
	}
	g := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	line, lerr := strconv.Atoi(g("line"))
	if lerr != nil {
		line = 0
	}
	sig := &ballot.Signature{Name: g("name"), Postcode: g("postcode"), Sheet: g("sheet"), Line: line,
		Resident: r.PostForm.Get("resident") == "yes", Channel: ballot.ChannelPaper}
	err := s.cfg.Stores.Petitions.AddPaperSignature(r.Context(), id, sig, s.actor(r))
	if errors.Is(err, ballot.ErrDuplicate) {
		s.renderAdminPetition(w, r, http.StatusConflict, r.PostForm, map[string]string{"line": "This sheet and line has already been entered"})
		return
	}
	if errors.Is(err, ballot.ErrAlreadySigned) {
		s.renderAdminPetition(w, r, http.StatusConflict, r.PostForm, map[string]string{"name": "Someone with this name and postcode has already signed (online or on paper)"})
		return
	}
	s.afterPetitionAction(w, r, err, "Paper signature from sheet "+sig.Sheet+" line "+strconv.Itoa(line)+" counted.")
}

// readInvalidation reads the bulk-invalidation form: an email domain, or
// else a time range, each end a date input and a time box (UK time).
func readInvalidation(form url.Values) (ballot.Invalidation, *formReader) {
	f := newFormReader(form)
	inv := ballot.Invalidation{Domain: strings.TrimPrefix(f.text("domain"), "@"), Reason: f.text("reason")}
	if inv.Domain == "" {
		inv.From = f.formDateTime("from", "Start of the time range", "Enter the time the range starts, like 14:00", london)
		inv.To = f.formDateTime("to", "End of the time range", "Enter the time the range ends, like 15:00", london)
	}
	if inv.Reason == "" {
		f.note("reason", "Give the reason for invalidating these signatures")
	}
	return inv, f
}

func (s *Server) adminInvalidate(w http.ResponseWriter, r *http.Request) {
	id, ok := s.petitionForm(w, r)
	if !ok {
		return
	}
	inv, f := readInvalidation(r.PostForm)
	if fields := f.result(nil); fields != nil {
		s.renderAdminPetition(w, r, http.StatusUnprocessableEntity, r.PostForm, fields)
		return
	}
	n, err := s.cfg.Stores.Petitions.Invalidate(r.Context(), id, inv, s.actor(r))
	s.afterPetitionAction(w, r, err, strconv.Itoa(n)+" signatures invalidated.")
}
