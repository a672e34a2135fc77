package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// adminBallotsView lists every ballot and the petitions that met their
// threshold but have no ballot yet.
type adminBallotsView struct {
	Waiting []*ballot.Petition
	*listView[*ballotView]
}

func (s *Server) adminBallots(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Stores.Ballots.Ballots(r.Context(), false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	petitions, err := s.cfg.Stores.Petitions.Petitions(r.Context(), false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &adminBallotsView{}
	has := map[int64]bool{}
	now := s.cfg.Now()
	var all []*ballotView
	for _, b := range list {
		has[b.PetitionID] = true
		st := b.State(now)
		all = append(all, &ballotView{B: b, State: st, StateLabel: ballotStateLabel(st), TurnoutPercent: pct(b.TurnoutBasisPoints())})
	}
	for _, p := range petitions {
		if !p.ThresholdMetAt.IsZero() && !has[p.ID] {
			v.Waiting = append(v.Waiting, p)
		}
	}
	var statuses []choice
	for _, st := range []ballot.BallotStatus{ballot.BallotDraft, ballot.BallotScheduled, ballot.BallotOpen, ballot.BallotEnded, ballot.BallotClosed} {
		statuses = append(statuses, choice{string(st), ballotStateLabel(st)})
	}
	var form url.Values
	var fields map[string]string
	v.listView, form, fields = filterList(r, "/admin/ballots", "ballots", all,
		func(b *ballotView) string { return b.B.Question }, func(b *ballotView) string { return string(b.State) }, statuses, ballotClosing)
	s.renderList(w, r, "admin_ballots", &page{Title: "Recall ballots", Data: v, Form: form}, fields)
}

var ballotFieldOrder = []string{"form", "contract", "question", "options", "opens_at", "opens_at_time", "closes_at", "closes_at_time", "quorum"}

// ballotFormView is the set-up page: the petition it is for, or the
// contracts to choose from.
type ballotFormView struct {
	Petition  *ballot.Petition
	Contracts []*ballot.Contract
}

func (s *Server) adminBallotNew(w http.ResponseWriter, r *http.Request) {
	form := url.Values{"options": {"Yes\nNo"}, "quorum": {"25"}, "contract_id": {r.URL.Query().Get("contract")}}
	opens := time.Now().In(london).AddDate(0, 0, 1)
	opens = time.Date(opens.Year(), opens.Month(), opens.Day(), 9, 0, 0, 0, london)
	setDateTime(form, "opens_at", opens)
	setDateTime(form, "closes_at", opens.AddDate(0, 0, 21).Add(13*time.Hour))
	if pid := r.URL.Query().Get("petition"); pid != "" {
		form.Set("petition_id", pid)
		if id, err := strconv.ParseInt(pid, 10, 64); err == nil {
			if p, err := s.cfg.Stores.Petitions.Petition(r.Context(), id); err == nil {
				if c, err := s.cfg.Stores.Contracts.Contract(r.Context(), p.ContractID); err == nil {
					form.Set("question", ballot.RecallQuestion(c, c.NextBreak(s.cfg.Now())))
				}
			}
		}
	}
	s.renderBallotForm(w, r, http.StatusOK, form, nil)
}

func (s *Server) renderBallotForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, fields map[string]string) {
	v := &ballotFormView{}
	if id, err := strconv.ParseInt(form.Get("petition_id"), 10, 64); err == nil {
		p, err := s.cfg.Stores.Petitions.Petition(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Petition = p
	} else {
		cs, err := s.cfg.Stores.Contracts.Contracts(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Contracts = cs
	}
	p := &page{Title: "Set up a recall ballot", Data: v, Form: form}
	if fields != nil {
		p.setErrors(fields, ballotFieldOrder)
	}
	s.render(w, r, status, "admin_ballot_form", p)
}

func (s *Server) adminBallotCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r)
		return
	}
	b, fields := s.readBallotForm(r.PostForm)
	if fields == nil {
		err := s.cfg.Stores.Ballots.CreateBallot(r.Context(), b, s.actor(r))
		var ve *ballot.ValidationError
		switch {
		case errors.As(err, &ve):
			fields = ve.Fields
		case errors.Is(err, ballot.ErrBadTransition):
			fields = map[string]string{"form": "This petition has not met its threshold, so no recall ballot can be set up for it."}
		case errors.Is(err, ballot.ErrDuplicate):
			fields = map[string]string{"form": "This petition already has a recall ballot."}
		case err != nil:
			s.fail(w, r, err)
			return
		}
	}
	if fields != nil {
		s.renderBallotForm(w, r, http.StatusUnprocessableEntity, r.PostForm, fields)
		return
	}
	s.flash(r, "The ballot is set up as a draft. Generate voter codes, then open it.")
	http.Redirect(w, r, "/admin/ballots/"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
}

// readBallotForm turns the set-up form into a ballot, or messages per
// field. Times are UK local, as typed in a datetime-local box; quorum is a
// percentage of codes issued. The rules are the domain's (ballot.Ballot.Validate).
func (s *Server) readBallotForm(form url.Values) (*ballot.Ballot, map[string]string) {
	f := newFormReader(form)
	b := &ballot.Ballot{Question: f.text("question")}
	b.PetitionID, _ = strconv.ParseInt(f.text("petition_id"), 10, 64)
	b.ContractID, _ = strconv.ParseInt(f.text("contract_id"), 10, 64)
	for _, line := range strings.Split(f.text("options"), "\n") {
		if l := strings.TrimSpace(line); l != "" {
			b.Options = append(b.Options, ballot.BallotOption{Label: l})
		}
	}
	b.OpensAt = f.formDateTime("opens_at", "Date voting opens", "Enter the time voting opens, like 09:00", london)
	b.ClosesAt = f.formDateTime("closes_at", "Date voting closes", "Enter the time voting closes, like 22:00", london)
	b.QuorumBasisPoints = readPercent(f, "quorum", "Enter the quorum as a percentage, like 25")
	if fields := f.result(b.Validate()); fields != nil {
		return nil, fields
	}
	return b, nil
}

// readPercent reads a percentage such as "25" or "12.5%" as basis points,
// noting msg when the field is blank or not a number.
func readPercent(f *formReader, k, msg string) int {
	q, err := strconv.ParseFloat(strings.TrimSuffix(f.text(k), "%"), 64)
	if err != nil || math.IsNaN(q) || math.IsInf(q, 0) || math.Abs(q) > 1e6 {
		f.note(k, msg)
		return 0
	}
	return int(math.Round(q * 100))
}

// adminBallotView is the staff page of one ballot. Before close it shows
// turnout only, like the public page: OurSay shows nobody the counts early.
type adminBallotView struct {
	*ballotView
	Petition *ballot.Petition
}

func (s *Server) adminBallot(w http.ResponseWriter, r *http.Request) {
	s.renderAdminBallot(w, r, http.StatusOK, nil)
}

func (s *Server) renderAdminBallot(w http.ResponseWriter, r *http.Request, status int, fields map[string]string) {
	s.renderAdminBallotFields(w, r, status, fields, []string{"form", "count"})
}

// renderAdminBallotFields shows the ballot's staff page with fields' messages in order.
func (s *Server) renderAdminBallotFields(w http.ResponseWriter, r *http.Request, status int, fields map[string]string, order []string) {
	id, err := ballotID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.cfg.Stores.Ballots.Ballot(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	bv, err := s.ballotView(r, b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &adminBallotView{ballotView: bv}
	if b.PetitionID != 0 {
		if p, err := s.cfg.Stores.Petitions.Petition(r.Context(), b.PetitionID); err == nil {
			v.Petition = p
		}
	}
	p := &page{Title: b.Question, Data: v, Form: r.PostForm}
	if fields != nil {
		p.setErrors(fields, order)
	}
	s.render(w, r, status, "admin_ballot", p)
}

func (s *Server) adminBallotOpen(w http.ResponseWriter, r *http.Request) {
	id, err := ballotID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.cfg.Stores.Ballots.Ballot(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if b.Status == ballot.BallotDraft && b.CodesIssued == 0 {
		s.renderAdminBallot(w, r, http.StatusConflict, map[string]string{"form": "Generate voter codes before opening the ballot: without them nobody can vote."})
		return
	}
	s.afterBallotAction(w, r, s.cfg.Stores.Ballots.Open(r.Context(), id, s.actor(r)), "The ballot is open. Voting starts at its opening time.")
}

func (s *Server) adminBallotClose(w http.ResponseWriter, r *http.Request) {
	id, err := ballotID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, err = s.cfg.Stores.Ballots.Close(r.Context(), id, s.actor(r))
	s.afterBallotAction(w, r, err, "The ballot is closed. The result and the list of receipts are now public.")
}

// afterBallotAction redirects with msg, or shows the refusal on the page.
func (s *Server) afterBallotAction(w http.ResponseWriter, r *http.Request, err error, msg string) {
	var ve *ballot.ValidationError
	switch {
	case err == nil:
		s.flash(r, msg)
		http.Redirect(w, r, "/admin/ballots/"+r.PathValue("id"), http.StatusSeeOther)
	case errors.As(err, &ve):
		s.renderAdminBallot(w, r, http.StatusUnprocessableEntity, map[string]string{"form": firstMessage(ve.Fields)})
	case errors.Is(err, ballot.ErrBadTransition):
		s.renderAdminBallot(w, r, http.StatusConflict, map[string]string{"form": "That step is not allowed at this stage of the ballot."})
	default:
		s.fail(w, r, err)
	}
}

func firstMessage(fields map[string]string) string {
	for _, k := range ballotFieldOrder {
		if m, ok := fields[k]; ok {
			return m
		}
	}
	for _, m := range fields {
		return m
	}
	return ""
}
