package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// Information requests about a contract: a resident asks from the
// contract's page, confirms their email as a signer does, the council
// moderates, then answers or refuses. The asker's email is never shown.

// requestsPerPage is how many requests a page of /requests lists.
const requestsPerPage = 20

var requestFieldOrder = []string{"form", "title", "body", "name", "email"}

// requestView is one request as pages show it.
type requestView struct {
	R      *ballot.InfoRequest
	Status ballot.RequestStatus
	Due    string   // "Due by 6 January 2027", or ""
	Body   []string // paragraphs, each shown as typed (escaped)
	Answer []string
	// Refusal's exemption, named.
	Exemption string
	Refusal   []string
	// Docs were released with the answer; filled by withDocs.
	Docs []*ballot.Document
}

// withDocs fills v.Docs with the documents released with the answer.
func (s *Server) withDocs(r *http.Request, v *requestView) error {
	if v.R.State != ballot.RequestAnswered {
		return nil
	}
	docs, err := s.cfg.Stores.Documents.Documents(r.Context(), v.R.ContractID)
	v.Docs = ballot.AnswerDocuments(docs, v.R.ID)
	return err
}

func newRequestView(r *ballot.InfoRequest, now time.Time) *requestView {
	return &requestView{R: r, Status: r.Status(now), Due: ballot.DueText(r.DueOn), Body: paragraphs(r.Body),
		Answer: paragraphs(r.Answer), Exemption: ballot.ExemptionLabel(r.Exemption), Refusal: paragraphs(r.Refusal)}
}

// paragraphs splits typed text at line breaks, dropping blank lines, so a
// page shows its paragraphs without trusting any markup in it.
func paragraphs(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func requestID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, ballot.ErrNotFound
	}
	return id, nil
}

// publicRequest loads the published request the path names.
func (s *Server) publicRequest(r *http.Request) (*ballot.InfoRequest, error) {
	id, err := requestID(r)
	if err != nil {
		return nil, err
	}
	req, err := s.cfg.Stores.Requests.Request(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !req.Public() {
		return nil, ballot.ErrNotFound
	}
	return req, nil
}

// askView is the ask form's data.
type askView struct {
	C       *ballot.Contract
	Started string
}

func (s *Server) pathContract(r *http.Request) (*ballot.Contract, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return nil, ballot.ErrNotFound
	}
	return s.cfg.Stores.Contracts.Contract(r.Context(), id)
}

func (s *Server) requestNew(w http.ResponseWriter, r *http.Request) {
	s.renderAsk(w, r, http.StatusOK, nil)
}

func (s *Server) renderAsk(w http.ResponseWriter, r *http.Request, status int, fields map[string]string) {
	c, err := s.pathContract(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &askView{C: c, Started: s.forms.stamp()}
	if r.PostForm != nil {
		v.Started = s.forms.keepStamp(r.PostForm)
	}
	p := &page{Title: "Ask the council about this contract", Data: v, Form: r.PostForm}
	p.setErrors(fields, requestFieldOrder)
	s.render(w, r, status, "request_new", p)
}

// requestForm is the ask form and the JSON body of
// POST /api/contracts/{id}/requests.
type requestForm struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

func (f requestForm) request(contractID int64) *ballot.InfoRequest {
	return &ballot.InfoRequest{ContractID: contractID, Title: strings.TrimSpace(f.Title), Body: strings.TrimSpace(f.Body),
		Name: strings.TrimSpace(f.Name), Email: strings.TrimSpace(f.Email)}
}

// ask validates and stores a request; fields are the messages for the
// asker, or nil once it is saved.
func (s *Server) ask(r *http.Request, req *ballot.InfoRequest) (map[string]string, error) {
	if fields := withDomain(nil, req.Validate()); fields != nil {
		return fields, nil
	}
	err := s.cfg.Stores.Requests.Ask(r.Context(), req, s.cfg.BaseURL)
	var ve *ballot.ValidationError
	if errors.As(err, &ve) {
		return ve.Fields, nil
	}
	return nil, err
}

func (s *Server) requestAsk(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	id, err := requestID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	g := r.PostForm.Get
	req := requestForm{Title: g("title"), Body: g("body"), Name: g("name"), Email: g("email")}.request(id)
	if fields := withDomain(nil, req.Validate()); fields != nil {
		s.renderAsk(w, r, http.StatusUnprocessableEntity, fields)
		return
	}
	// Bot signals hold nothing back here (every request is moderated):
	// the moderator is told.
	if req.ReviewReason = s.forms.check(r.PostForm); req.ReviewReason != ballot.ReviewNone {
		s.log.Info("information request flagged", "contract", id, "reason", string(req.ReviewReason))
	}
	fields, err := s.ask(r, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if fields != nil {
		s.renderAsk(w, r, http.StatusUnprocessableEntity, fields)
		return
	}
	http.Redirect(w, r, "/requests/sent", http.StatusSeeOther)
}

func (s *Server) requestSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "check_email", &page{Title: "Check your email",
		Data: "We have sent you an email with a link. The council receives your request only once you open the link and press Confirm."})
}

// messageView is a page with a heading, a message and a link onwards.
type messageView struct {
	Heading, Message, Link, LinkText string
}

func (s *Server) renderMessage(w http.ResponseWriter, r *http.Request, v *messageView) {
	s.render(w, r, http.StatusOK, "request_message", &page{Title: v.Heading, Data: v})
}

func (s *Server) requestConfirmPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	req, err := s.cfg.Stores.Requests.RequestLink(r.Context(), token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if req.State != ballot.RequestUnconfirmed {
		s.renderRequestConfirmed(w, r, req, true)
		return
	}
	s.render(w, r, http.StatusOK, "confirm_link", &page{Title: "Confirm your information request", Data: &linkView{
		Heading: "Confirm your information request", Lead: "You are asking the council", Title: req.Title,
		Action: "/requests/confirm", Token: token, Button: "Confirm my request"}})
}

func (s *Server) requestConfirm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	req, already, err := s.cfg.Stores.Requests.ConfirmRequest(r.Context(), strings.TrimSpace(r.PostForm.Get("token")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderRequestConfirmed(w, r, req, already)
}

func (s *Server) renderRequestConfirmed(w http.ResponseWriter, r *http.Request, req *ballot.InfoRequest, already bool) {
	v := &messageView{Heading: "Request received", LinkText: "Back to the contract", Link: contractPath(req.ContractID),
		Message: "The council has received your request. It checks each request before publishing it, and you will be emailed when it is published and when it is answered."}
	if due := ballot.DueText(req.DueOn); due != "" {
		v.Message += " The answer is " + lowerInitial(due) + "."
	}
	if already {
		v.Heading, v.Message = "Your request was already confirmed", "Nothing more needs doing. You will be emailed when it is published and when it is answered."
	}
	if req.Public() {
		v.Link, v.LinkText = requestPath(req.ID), "See your request"
	}
	s.renderMessage(w, r, v)
}

func requestPath(id int64) string { return "/requests/" + strconv.FormatInt(id, 10) }

// requestPageView is a request's public page.
type requestPageView struct {
	*requestView
	Contract string
}

func (s *Server) requestPage(w http.ResponseWriter, r *http.Request) {
	s.renderRequestPage(w, r, http.StatusOK, nil)
}

func (s *Server) renderRequestPage(w http.ResponseWriter, r *http.Request, status int, fields map[string]string) {
	req, err := s.publicRequest(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := newRequestView(req, s.cfg.Now())
	if err := s.withDocs(r, v); err != nil {
		s.fail(w, r, err)
		return
	}
	p := &page{Title: req.Title, Data: &requestPageView{requestView: v}, Form: r.PostForm}
	p.setErrors(fields, []string{"email"})
	s.render(w, r, status, "request", p)
}

// requestListView is /requests: one page of the filtered list.
type requestListView struct {
	Items     []*requestView
	Total     int
	Status    string
	Contract  string
	Statuses  []choice
	Contracts []choice
	Page      int
	Prev      string // links to the neighbouring pages, or ""
	Next      string
}

func (s *Server) requestFilter(r *http.Request) (ballot.RequestFilter, int) {
	q := r.URL.Query()
	f := ballot.RequestFilter{Now: s.cfg.Now(), Limit: requestsPerPage}
	for _, st := range ballot.RequestStatuses {
		if q.Get("status") == string(st) {
			f.Status = st
		}
	}
	f.ContractID, _ = strconv.ParseInt(q.Get("contract"), 10, 64)
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(1, min(page, 100000))
	f.Offset = (page - 1) * requestsPerPage
	return f, page
}

func (s *Server) requestList(w http.ResponseWriter, r *http.Request) {
	f, pg := s.requestFilter(r)
	list, total, err := s.cfg.Stores.Requests.PublicRequests(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	contracts, err := s.contractChoices(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &requestListView{Total: total, Status: string(f.Status), Contracts: contracts, Page: pg}
	if f.ContractID != 0 {
		v.Contract = strconv.FormatInt(f.ContractID, 10)
	}
	for _, st := range ballot.RequestStatuses {
		v.Statuses = append(v.Statuses, choice{string(st), st.Label()})
	}
	for _, req := range list {
		v.Items = append(v.Items, newRequestView(req, f.Now))
	}
	link := func(n int) string {
		q := url.Values{}
		if v.Status != "" {
			q.Set("status", v.Status)
		}
		if v.Contract != "" {
			q.Set("contract", v.Contract)
		}
		q.Set("page", strconv.Itoa(n))
		return "/requests?" + q.Encode()
	}
	if pg > 1 {
		v.Prev = link(pg - 1)
	}
	if pg*requestsPerPage < total {
		v.Next = link(pg + 1)
	}
	s.render(w, r, http.StatusOK, "requests", &page{Title: "Information requests", Data: v})
}

// contractRequests is the contract page's list of its requests, with
// counts on time, late and refused.
type contractRequests struct {
	ContractID int64
	Items      []*requestView // the newest, at most contractPageRequests
	Total      int
	Tally      ballot.RequestTally
	// All are every published request, newest first, for open data.
	All []*ballot.InfoRequest
}

// contractPageRequests is how many requests a contract's page lists; the
// rest are a link away.
const contractPageRequests = 10

// requestsFor loads a contract's published requests for its page.
func (s *Server) requestsFor(r *http.Request, contractID int64) (*contractRequests, error) {
	if s.cfg.Stores.Requests == nil {
		return nil, nil
	}
	now := s.cfg.Now()
	list, _, err := s.cfg.Stores.Requests.PublicRequests(r.Context(), ballot.RequestFilter{ContractID: contractID, Now: now})
	if err != nil {
		return nil, err
	}
	v := &contractRequests{ContractID: contractID, Tally: ballot.TallyRequests(list, now), Total: len(list), All: list}
	for _, req := range list[:min(len(list), contractPageRequests)] {
		v.Items = append(v.Items, newRequestView(req, now))
	}
	return v, nil
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
