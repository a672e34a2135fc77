package web

import (
	"errors"
	"io"
	"net/http"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// consultView is what the consultation page shows.
type consultView struct {
	C             *consult.Consultation
	State         consult.Status
	Tally         *consult.Tally
	ResultsPublic bool
	Receipt       string // shown after a response without an email
	MailedTo      string // the email a response's receipt went to
	// Contract is the contract it is about, on its own page; nil for none.
	Contract *ballot.Contract
	// ThemeCounts are, once the outcome is published, the counts of the
	// themes officers tagged free-text answers with, by question id.
	ThemeCounts map[int64][]consult.ThemeCount
	// Corrections are the changes made since it was published, oldest first.
	Corrections []consult.Correction
}

// mailedMessage is the answer to a response with an email, the same whether
// or not the address had already responded: the receipt, or the notice that
// it had, goes by mail, so only the owner of the address learns which.
const mailedMessage = "Check your email: we have sent your receipt code to the address you gave. " +
	"If that address had already been used to answer this consultation, the email says so instead, and only the first response counts."

func (s *Server) consultationList(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Stores.Consult.Consultations(r.Context(), consult.Filter{Public: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	views := make([]consultView, len(list))
	for i, c := range list {
		views[i] = consultView{C: c, State: c.State(s.cfg.Now())}
	}
	statuses := []choice{{string(consult.StatusScheduled), "Opens soon"}, {string(consult.StatusOpen), "Open"},
		{string(consult.StatusClosed), "Closed"}, {string(consult.StatusOutcome), "Outcome published"}}
	v, form, fields := filterList(r, "/consultations", "consultations", views,
		func(c consultView) string { return c.C.Title }, func(c consultView) string { return string(c.State) }, statuses, consultClosing)
	s.renderList(w, r, "consultations", &page{Title: "Consultations", Data: v, Form: form}, fields)
}

// publicConsultation loads a consultation the public may see: drafts are
// not found.
func (s *Server) publicConsultation(r *http.Request) (*consultView, error) {
	return s.consultationView(r, false)
}

// consultationView loads the consultation the path names, a draft too
// when draft is set.
func (s *Server) consultationView(r *http.Request, draft bool) (*consultView, error) {
	c, err := s.pathConsultation(r, draft)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	v := &consultView{C: c, State: c.State(now), ResultsPublic: c.ResultsPublic(now)}
	if c.ContractID != 0 {
		if v.Contract, err = s.cfg.Stores.Contracts.Contract(r.Context(), c.ContractID); err != nil {
			return nil, err
		}
	}
	if v.ResultsPublic {
		if v.Tally, err = s.cfg.Stores.Consult.Tally(r.Context(), c.Slug); err != nil {
			return nil, err
		}
	}
	if c.Status != consult.StatusDraft {
		if v.Corrections, err = s.cfg.Stores.Consult.Corrections(r.Context(), c.Slug); err != nil {
			return nil, err
		}
	}
	if c.Outcome != nil {
		if v.ThemeCounts, err = s.cfg.Stores.Consult.ThemeCounts(r.Context(), c.Slug); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// pathConsultation loads the consultation the path names, without its
// tally (answering a response needs only the questions, and reading the
// tally was half the cost of one); a draft is not found unless draft is set.
func (s *Server) pathConsultation(r *http.Request, draft bool) (*consult.Consultation, error) {
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	if c.Status == consult.StatusDraft && !draft {
		return nil, consult.ErrNotFound
	}
	return c, nil
}

// consultationPage is served from the hub's cache (see renderShared).
func (s *Server) consultationPage(w http.ResponseWriter, r *http.Request) {
	s.renderShared(w, r, consult.ConsultationTopic(r.PathValue("slug")), "consultation", func() (*page, error) {
		p := &page{}
		v, err := s.publicConsultation(r)
		if s.preview(w, r, err, p) { // staff only, so never a shared page
			v, err = s.consultationView(r, true)
			p.Preview = "/admin/consultations/" + r.PathValue("slug")
		}
		if err != nil {
			return nil, err
		}
		p.Title, p.Data = v.C.Title, v
		return p, nil
	}, func(err error) { s.fail(w, r, err) })
}

// respondForm takes a resident's answers from the HTML form. On any problem
// it re-renders the page with the error summary, inline messages and what
// was typed, and saves nothing.
func (s *Server) respondForm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	c, err := s.respondingTo(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A refused response gets the whole page again, loaded afresh.
	refuse := func(status int, fields map[string]string, order []string) {
		v, err := s.publicConsultation(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &page{Title: v.C.Title, Data: v, Form: r.PostForm}
		p.setErrors(fields, order)
		s.render(w, r, status, "consultation", p)
	}
	if !c.AcceptsResponses(s.cfg.Now()) {
		refuse(http.StatusConflict, map[string]string{"form": "This consultation is not open for responses, so your answers were not saved."}, nil)
		return
	}
	resp, fields := decodeResponseForm(c, r.PostForm)
	s.applyCode(c, resp, r.PostForm.Get("code"), fields)
	status, fields := s.saveResponse(r, c, resp, fields)
	if fields != nil {
		refuse(status, fields, questionOrder(c))
		return
	}
	// The thanks page shows the receipt (or where it was mailed) again on
	// reload and Back, on this browser only and for receiptTTL.
	done := responded{Slug: c.Slug, MailedTo: resp.Email}
	if resp.Email == "" {
		done.Receipt = resp.Receipt
	}
	s.cookies.set(w, respondedCookie, done, receiptTTL)
	http.Redirect(w, r, "/consultations/"+c.Slug+"/thanks", http.StatusSeeOther)
}

// respondingTo returns the published consultation the path names, for a
// response to it, from the consultations kept for a second (see kept): a
// busy consultation's responses then decode and check their answers
// without a read of the database each. It is only a first check: the
// store checks each response again, in the transaction that saves it,
// against the consultation as it is then (open, and these questions), so
// a consultation closed within the second takes no response.
func (s *Server) respondingTo(r *http.Request) (*consult.Consultation, error) {
	return s.keptConsultations.get(r.PathValue("slug"), func() (*consult.Consultation, error) {
		return s.pathConsultation(r, false)
	})
}

// respondedCookie holds the last response this browser sent: the thanks
// page's receipt, or the address it was mailed to.
const respondedCookie = "oursay_responded"

type responded struct {
	Slug     string `json:"slug"`
	Receipt  string `json:"receipt,omitempty"`
	MailedTo string `json:"mailed_to,omitempty"`
}

// saveResponse checks the fields beside the answers, the answers themselves,
// and saves. It returns the status and field messages of a refusal, or
// (201, nil) once saved. Errors other than refusals come back as "form".
func (s *Server) saveResponse(r *http.Request, c *consult.Consultation, resp *consult.Response, fields map[string]string) (int, map[string]string) {
	if fields := withDomain(fields, consult.ValidateResponse(c, resp)); fields != nil {
		return http.StatusUnprocessableEntity, fields
	}
	err := s.cfg.Stores.Consult.AddResponse(r.Context(), c.Slug, resp)
	var ve *consult.ValidationError
	switch {
	case err == nil:
		return http.StatusCreated, nil
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, ve.Fields
	case errors.Is(err, consult.ErrAlreadyResponded): // paper only: staff may be told
		return http.StatusConflict, map[string]string{"email": "A response has already been given with this email address"}
	}
	status, msg := statusFor(err)
	if status >= 500 {
		s.log.Error("add response", "err", err, "slug", c.Slug)
	}
	return status, map[string]string{"form": msg}
}

func questionOrder(c *consult.Consultation) []string {
	order := []string{"form", "answers"}
	for i := range c.Questions {
		order = append(order, c.Questions[i].Field())
	}
	return append(order, "code", "postcode", "email")
}

func (s *Server) respondThanks(w http.ResponseWriter, r *http.Request) {
	v, err := s.publicConsultation(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	noStore(w)
	var done responded
	if s.cookies.get(r, respondedCookie, &done) && done.Slug == v.C.Slug {
		v.Receipt, v.MailedTo = done.Receipt, done.MailedTo
	}
	if v.MailedTo != "" {
		s.render(w, r, http.StatusOK, "thanks", &page{Title: "Check your email", Data: v})
		return
	}
	if v.Receipt == "" {
		http.Redirect(w, r, "/consultations/"+v.C.Slug, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "thanks", &page{Title: "Response received", Data: v})
}

// readBody reads a bounded request body; the limit comes from limitBody.
func readBody(r *http.Request) ([]byte, error) {
	return io.ReadAll(r.Body)
}
