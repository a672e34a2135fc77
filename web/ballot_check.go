package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// Voting in a browser goes: the letter's link (GET /vote?code=…, which
// takes the code out of the address bar at once), the ballot with the code
// filled in, a check step (GET /ballots/{id}/check: "You are voting: Yes.
// Change. Cast your vote"), and the receipt (GET /ballots/{id}/voted). Each
// POST answers with a redirect to a page that can be reloaded and gone
// back to, so a reload never posts a vote again. What one page hands the
// next (the code, the choice, then the receipt) rides in a sealed cookie
// on the voter's own browser: never in a URL, a log or the database.

const (
	voteCookie  = "oursay_vote"  // the code, then the choice being checked
	votedCookie = "oursay_voted" // the receipt, once the vote is cast
	// voteCookieTTL is how long a code taken from a link, or a vote being
	// checked, waits on the browser.
	voteCookieTTL = 30 * time.Minute
	// receiptTTL is how long a receipt page shows its receipt again, on
	// the browser that voted or responded.
	receiptTTL = time.Hour
	// maxTypedCode bounds what a link's code may put in the cookie: a code
	// is 16 characters, grouped 19, with room for spaces typed around it.
	maxTypedCode = 64
)

// voteDraft is a vote on its way: the code from a letter's link, and once
// the ballot form is sent, the ballot and the choice to check.
type voteDraft struct {
	Code   string `json:"code"`
	Ballot int64  `json:"ballot,omitempty"`
	Option int64  `json:"option,omitempty"`
}

// voteReceipt is what the receipt page shows again: the ballot and the
// receipt, never the choice.
type voteReceipt struct {
	Ballot  int64  `json:"ballot"`
	Receipt string `json:"receipt"`
}

// voteForm takes the ballot form. Sent from the ballot page, it checks the
// code and choice and sends the voter to the check step; sent from the
// check step (cast=yes), it casts the vote and sends the voter to the
// receipt. A refusal shows the ballot again with the reason.
func (s *Server) voteForm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r)
		return
	}
	noStore(w)
	b, err := s.votingOn(r)
	if err != nil {
		s.failBallot(w, r, err)
		return
	}
	opt, msg := optionByID(b, r.PostForm.Get("option"))
	if r.PostForm.Get("cast") != "yes" {
		code, refused, err := s.checkVote(r, b, r.PostForm.Get("code"), msg)
		if refused != nil || err != nil {
			s.refuseVote(w, r, b, refused, err)
			return
		}
		s.cookies.set(w, voteCookie, voteDraft{Code: code, Ballot: b.ID, Option: opt}, voteCookieTTL)
		http.Redirect(w, r, fmt.Sprintf("/ballots/%d/check", b.ID), http.StatusSeeOther)
		return
	}
	receipt, refused, err := s.castVote(r, b, r.PostForm.Get("code"), opt, msg)
	if refused != nil || err != nil {
		s.refuseVote(w, r, b, refused, err)
		return
	}
	s.cookies.clear(w, voteCookie)
	s.cookies.set(w, votedCookie, voteReceipt{Ballot: b.ID, Receipt: receipt}, receiptTTL)
	http.Redirect(w, r, fmt.Sprintf("/ballots/%d/voted", b.ID), http.StatusSeeOther)
}

// refuseVote shows the ballot again with the refusal and what was typed,
// or the error page.
func (s *Server) refuseVote(w http.ResponseWriter, r *http.Request, b *ballot.Ballot, refused *voteRefusal, err error) {
	if err != nil {
		s.failBallot(w, r, err)
		return
	}
	v, err := s.ballotView(r, b)
	if err != nil {
		s.failBallot(w, r, err)
		return
	}
	v.CodeUsed = refused.used
	p := &page{Title: b.Question, Data: v, Form: r.PostForm}
	p.setErrors(refused.fields, voteFieldOrder)
	if refused.status == http.StatusTooManyRequests {
		retryAfter(w, refused.wait)
	}
	s.render(w, r, refused.status, "ballot", p)
}

// checkView is the check step.
type checkView struct {
	B           *ballot.Ballot
	Code        string
	Option      int64
	OptionLabel string
}

// voteCheck is the check step: the choice and code the voter sent, a
// Change link back to the ballot form, and the Cast your vote button.
// Without a vote waiting on this browser (it expired, cookies are off, or
// the vote was cast and this is Back from the receipt), it says so, or
// shows the receipt.
func (s *Server) voteCheck(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	w.Header().Set("Referrer-Policy", "no-referrer")
	b, err := s.publicBallot(r)
	if err != nil {
		s.failBallot(w, r, err)
		return
	}
	v := &checkView{B: b}
	var d voteDraft
	if s.cookies.get(r, voteCookie, &d) && d.Ballot == b.ID {
		for _, o := range b.Options {
			if o.ID == d.Option {
				v.Code, v.Option, v.OptionLabel = d.Code, o.ID, o.Label
			}
		}
	}
	if v.Code == "" {
		var rc voteReceipt
		if s.cookies.get(r, votedCookie, &rc) && rc.Ballot == b.ID {
			http.Redirect(w, r, fmt.Sprintf("/ballots/%d/voted", b.ID), http.StatusSeeOther)
			return
		}
		s.render(w, r, http.StatusOK, "vote_check", &page{Title: "There is no vote to check", Data: v})
		return
	}
	s.render(w, r, http.StatusOK, "vote_check", &page{Title: "Check your vote", Data: v})
}

// votedView is the receipt page. Receipt is empty when this browser has
// no receipt for the ballot: the page then says where receipts are shown.
type votedView struct {
	B       *ballot.Ballot
	Receipt string
}

// voteReceiptPage shows the receipt again, on the browser that voted, for
// receiptTTL: a reload or Back shows it rather than posting the vote
// again. The URL names only the ballot, so whoever has it learns nothing.
func (s *Server) voteReceiptPage(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	b, err := s.publicBallot(r)
	if err != nil {
		s.failBallot(w, r, err)
		return
	}
	v := &votedView{B: b}
	var rc voteReceipt
	if s.cookies.get(r, votedCookie, &rc) && rc.Ballot == b.ID {
		v.Receipt = rc.Receipt
		s.render(w, r, http.StatusOK, "voted", &page{Title: "Your vote has been counted", Data: v})
		return
	}
	s.render(w, r, http.StatusOK, "voted", &page{Title: "No receipt to show on this browser", Data: v})
}

// voteWithCode is what a letter's QR code opens. GET /vote?code=… keeps
// the code in a sealed cookie and redirects to /vote at once, so the code
// stays in neither the address bar nor the history. /vote then finds the
// open ballot the code belongs to (by trying its keyed hash against each)
// and shows it with the code filled in; with no code it asks for one.
func (s *Server) voteWithCode(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	w.Header().Set("Referrer-Policy", "no-referrer")
	if q := r.URL.Query(); q.Has("code") {
		typed := strings.TrimSpace(q.Get("code"))
		if len(typed) > maxTypedCode {
			typed = typed[:maxTypedCode]
		}
		s.cookies.set(w, voteCookie, voteDraft{Code: typed}, voteCookieTTL)
		http.Redirect(w, r, "/vote", http.StatusSeeOther)
		return
	}
	var d voteDraft
	if !s.cookies.get(r, voteCookie, &d) || d.Code == "" {
		s.render(w, r, http.StatusOK, "vote_code", &page{Title: "Enter your voter code", Form: url.Values{}})
		return
	}
	b, code, refused, err := s.codeBallot(r, d.Code)
	if err != nil {
		s.failBallot(w, r, err)
		return
	}
	if refused != nil && !refused.used {
		// A wrong code is not tried again on reload: the box keeps it.
		s.cookies.clear(w, voteCookie)
		p := &page{Title: "Enter your voter code", Form: url.Values{"code": {d.Code}}}
		p.setErrors(refused.fields, nil)
		if refused.status == http.StatusTooManyRequests {
			retryAfter(w, refused.wait)
		}
		s.render(w, r, refused.status, "vote_code", p)
		return
	}
	v, err := s.ballotView(r, b)
	if err != nil {
		s.failBallot(w, r, err)
		return
	}
	v.Code = ballot.GroupCode(code)
	p := &page{Title: b.Question, Data: v, Form: url.Values{"code": {v.Code}}}
	if d.Ballot == b.ID && d.Option != 0 { // Change, from the check step
		p.Form.Set("option", strconv.FormatInt(d.Option, 10))
	}
	status := http.StatusOK
	if refused != nil { // used
		s.cookies.clear(w, voteCookie)
		status, v.CodeUsed = refused.status, true
		p.setErrors(refused.fields, nil)
	}
	s.render(w, r, status, "ballot", p)
}

// codeBallot finds the open ballot a typed code belongs to. A used code
// comes back with its ballot and a refusal marked used.
func (s *Server) codeBallot(r *http.Request, typed string) (*ballot.Ballot, string, *voteRefusal, error) {
	code, refused, err := s.readVote(r, typed, "")
	if refused != nil || err != nil {
		return nil, "", refused, err
	}
	b, used, err := s.findCodeBallot(r, code)
	if errors.Is(err, ballot.ErrCodeUnknown) {
		s.codes.Wrong(clientKey(r))
		return nil, "", &voteRefusal{status: http.StatusUnprocessableEntity,
			fields: map[string]string{"code": "This voter code is not right, or its ballot is not open: check it against your letter."}}, nil
	}
	if err != nil {
		return nil, "", nil, err
	}
	if used {
		refused, _ = s.voteRefused(r, ballot.ErrCodeUsed)
	}
	return b, code, refused, nil
}
