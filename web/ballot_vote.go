package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// A voter code is as good as a ballot paper, so it must never be written
// down anywhere but the letter. The request log prints only the path; the
// handlers here never log what was typed, and store errors carry only the
// code's hash as a query argument, never in a message. Pages that show a
// code (the form opened from a letter's QR) are sent with no-store and
// no-referrer.

var voteFieldOrder = []string{"form", "code", "option"}

// errNoCodeKey means the server was started without the voter code key.
var errNoCodeKey = errors.New("voter codes are not configured: the server has no code key")

// voteRefusal is why a vote was not counted: a status and a message per field.
type voteRefusal struct {
	status int
	fields map[string]string
	wait   time.Duration // for 429: when the client may try again
	used   bool          // the code has voted: the page says what to do if it was not you
}

// msgCodeUsed is the answer to a code that has voted, wherever it is typed.
const msgCodeUsed = "This voter code has already been used to vote. Each code can vote once."

// readVote checks what can be checked without the store: the code key,
// the client's wrong-code limit, the code's form and the choice. It
// returns the code in its canonical form. option is the chosen option's
// id, or optionMsg says why none was chosen.
func (s *Server) readVote(r *http.Request, codeText string, optionMsg string) (string, *voteRefusal, error) {
	if len(s.cfg.CodeKey) == 0 {
		return "", nil, errNoCodeKey
	}
	if blocked, wait := s.codes.Blocked(clientKey(r)); blocked {
		return "", &voteRefusal{status: http.StatusTooManyRequests, fields: map[string]string{"code": tooManyCodes(wait)}, wait: wait}, nil
	}
	fields := map[string]string{}
	code, err := ballot.ParseCode(codeText)
	if err != nil {
		fields["code"] = ballot.ErrCodeFormat.Error()
	}
	if optionMsg != "" {
		fields["option"] = optionMsg
	}
	if len(fields) > 0 {
		return "", &voteRefusal{status: http.StatusUnprocessableEntity, fields: fields}, nil
	}
	return code, nil, nil
}

// castVote checks the typed code and choice and casts the vote. A refusal
// the voter can act on comes back as *voteRefusal; anything else is an error.
func (s *Server) castVote(r *http.Request, b *ballot.Ballot, codeText string, option int64, optionMsg string) (string, *voteRefusal, error) {
	code, refused, err := s.readVote(r, codeText, optionMsg)
	if refused != nil || err != nil {
		return "", refused, err
	}
	receipt, err := s.cfg.Stores.Ballots.Vote(r.Context(), b.ID, ballot.HashCode(s.cfg.CodeKey, b.ID, code), option)
	if err != nil {
		refused, err = s.voteRefused(r, err)
	}
	return receipt, refused, err
}

// checkVote is the check step before a vote is cast: the code and choice
// are read as castVote would, and the code must belong to the ballot, be
// unused and the ballot open, but nothing is stored. It returns the code
// grouped as the letter prints it.
func (s *Server) checkVote(r *http.Request, b *ballot.Ballot, codeText string, optionMsg string) (string, *voteRefusal, error) {
	code, refused, err := s.readVote(r, codeText, optionMsg)
	if refused != nil || err != nil {
		return "", refused, err
	}
	if !b.AcceptsVotes(s.cfg.Now()) {
		refused, err = s.voteRefused(r, ballot.ErrNotOpen)
		return "", refused, err
	}
	used, err := s.cfg.Stores.Ballots.CodeUsed(r.Context(), b.ID, ballot.HashCode(s.cfg.CodeKey, b.ID, code))
	if err == nil && used {
		err = ballot.ErrCodeUsed
	}
	if err != nil {
		refused, err = s.voteRefused(r, err)
		return "", refused, err
	}
	return ballot.GroupCode(code), nil, nil
}

// voteRefused turns a store's answer about a code into what the voter is
// told; a wrong code counts against the client's limit.
func (s *Server) voteRefused(r *http.Request, err error) (*voteRefusal, error) {
	var ve *ballot.ValidationError
	switch {
	case errors.Is(err, ballot.ErrCodeUnknown):
		s.codes.Wrong(clientKey(r)) // an IPv6 client is its /64, as for the other limits
		return &voteRefusal{status: http.StatusUnprocessableEntity, fields: map[string]string{"code": ballot.ErrCodeUnknown.Error()}}, nil
	case errors.Is(err, ballot.ErrCodeUsed):
		return &voteRefusal{status: http.StatusConflict, fields: map[string]string{"code": msgCodeUsed}, used: true}, nil
	case errors.Is(err, ballot.ErrNotOpen):
		return &voteRefusal{status: http.StatusConflict, fields: map[string]string{"form": "This ballot is not open for voting now, so your vote was not counted."}}, nil
	case errors.As(err, &ve):
		return &voteRefusal{status: http.StatusUnprocessableEntity, fields: ve.Fields}, nil
	}
	return nil, err
}

func tooManyCodes(wait time.Duration) string {
	mins, unit := max(1, int(math.Ceil(wait.Minutes()))), "minutes"
	if mins == 1 {
		unit = "minute"
	}
	return fmt.Sprintf("Too many wrong voter codes have been tried from your connection. "+
		"Check the code on your letter and try again in %d %s.", mins, unit)
}

// retryAfter tells a rate-limited client when to come back, in whole seconds.
func retryAfter(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
}

// optionByID reads a choice sent as an option id: the ballot form's radios,
// and a JSON number. An id never matches a label, so a label that happens
// to be a number cannot take another option's vote.
func optionByID(b *ballot.Ballot, s string) (int64, string) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err == nil {
		for _, o := range b.Options {
			if o.ID == id {
				return o.ID, ""
			}
		}
	}
	return 0, "Choose " + optionChoices(b)
}

// optionByLabel reads a choice sent as a JSON string: the label, in any
// case. A label that fits more than one option is refused, not guessed.
func optionByLabel(b *ballot.Ballot, s string) (int64, string) {
	s = strings.TrimSpace(s)
	var found []int64
	for _, o := range b.Options {
		if strings.EqualFold(o.Label, s) {
			found = append(found, o.ID)
		}
	}
	switch len(found) {
	case 1:
		return found[0], ""
	case 0:
		return 0, "Choose " + optionChoices(b)
	}
	return 0, fmt.Sprintf("The option %q fits more than one option on this ballot: send the option's id (a number) from /api/ballots/%d instead", s, b.ID)
}

// jsonOption reads "option" from a JSON vote: a number is an option id, a
// string is a label; anything else is refused.
func jsonOption(b *ballot.Ballot, raw json.RawMessage) (int64, string) {
	var label string
	if err := json.Unmarshal(raw, &label); err == nil && len(raw) > 0 && raw[0] == '"' {
		return optionByLabel(b, label)
	}
	var id json.Number // decodes a quoted number too, hence the string first
	if err := json.Unmarshal(raw, &id); err == nil && id != "" {
		return optionByID(b, id.String())
	}
	return 0, "Choose " + optionChoices(b) + ": give the option's id (a number) or its label (a string)"
}

// optionChoices names the options for an error message: "Yes or No".
func optionChoices(b *ballot.Ballot) string {
	ls := make([]string, len(b.Options))
	for i, o := range b.Options {
		ls[i] = o.Label
	}
	if len(ls) < 2 {
		return "an option"
	}
	return strings.Join(ls[:len(ls)-1], ", ") + " or " + ls[len(ls)-1]
}

// voteRequest is the JSON body of POST /api/ballots/{id}/votes. option is
// an option id as a JSON number, or the option's label as a JSON string
// (see jsonOption).
type voteRequest struct {
	Code   string          `json:"code"`
	Option json.RawMessage `json:"option"`
}

func (s *Server) apiVote(w http.ResponseWriter, r *http.Request) {
	b, err := s.votingOn(r)
	if err != nil {
		s.failBallot(w, r, err)
		return
	}
	var req voteRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeJSONError(w, http.StatusBadRequest, `The body must be a JSON object with "code" and "option"`, nil)
		return
	}
	opt, msg := jsonOption(b, req.Option)
	receipt, refused, err := s.castVote(r, b, req.Code, opt, msg)
	switch {
	case err != nil:
		s.failBallot(w, r, err)
	case refused != nil:
		msg := "There is a problem with the vote"
		for _, f := range voteFieldOrder {
			if m, ok := refused.fields[f]; ok {
				msg = m
				break
			}
		}
		if refused.status == http.StatusTooManyRequests {
			retryAfter(w, refused.wait)
		}
		writeJSONError(w, refused.status, msg, refused.fields)
	default:
		writeJSON(w, http.StatusCreated, map[string]any{"receipt": receipt, "ballot_id": b.ID,
			"message": "Your vote has been counted. Keep your receipt: after the ballot closes, find it in the published list."})
	}
}

// findCodeBallot returns the open ballot that holds code, and whether the
// code has voted, or ErrCodeUnknown.
func (s *Server) findCodeBallot(r *http.Request, code string) (*ballot.Ballot, bool, error) {
	list, err := s.cfg.Stores.Ballots.Ballots(r.Context(), true)
	if err != nil {
		return nil, false, err
	}
	for _, b := range list {
		if b.Status != ballot.BallotOpen {
			continue
		}
		used, err := s.cfg.Stores.Ballots.CodeUsed(r.Context(), b.ID, ballot.HashCode(s.cfg.CodeKey, b.ID, code))
		if errors.Is(err, ballot.ErrCodeUnknown) {
			continue
		}
		return b, used, err
	}
	return nil, false, ballot.ErrCodeUnknown
}

func noStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }
