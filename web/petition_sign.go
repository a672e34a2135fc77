package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/oursay/oursay/ballot"
)

// signatureForm is the sign form and the JSON body of
// POST /api/petitions/{id}/signatures. Its rules are the domain's
// (ballot.Signature.Validate).
type signatureForm struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Postcode string `json:"postcode"`
	Resident bool   `json:"resident"`
}

var signatureFieldOrder = []string{"form", "name", "email", "postcode", "resident"}

// signatureFromForm reads the sign form; the box is ticked when "resident"
// is "yes".
func signatureFromForm(v url.Values) signatureForm {
	return signatureForm{Name: v.Get("name"), Email: v.Get("email"), Postcode: v.Get("postcode"), Resident: v.Get("resident") == "yes"}
}

// decodeSignatureJSON reads the JSON body of a signature: one object with
// no unknown fields and nothing after it.
func decodeSignatureJSON(r io.Reader) (signatureForm, error) {
	var f signatureForm
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, err
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return f, errors.New("more than one JSON value")
	}
	return f, nil
}

// checkSignature turns the form into a signature and returns the domain's
// messages, all at once, or nil.
func checkSignature(f signatureForm) (*ballot.Signature, map[string]string) {
	sig := &ballot.Signature{Name: strings.TrimSpace(f.Name), Email: strings.TrimSpace(f.Email),
		Postcode: f.Postcode, Resident: f.Resident, Channel: ballot.ChannelOnline}
	if fields := withDomain(nil, sig.Validate()); fields != nil {
		return nil, fields
	}
	return sig, nil
}

// outsideAreaMessage is the postcode's message when it is not on the
// council's list.
const outsideAreaMessage = "This postcode is not in the council's area. Only people who live in the area can sign."

// withArea adds the postcode's message to a form that already has other
// errors, so that the signer sees every error at once: the store checks
// the area only when the rest is right. A postcode the domain already
// refused, or one that is in the area, adds nothing.
func (s *Server) withArea(r *http.Request, postcode string, fields map[string]string) map[string]string {
	if fields == nil || fields["postcode"] != "" || s.cfg.Stores.Council == nil {
		return fields
	}
	if _, err := s.cfg.Stores.Council.LookupPostcode(r.Context(), postcode); errors.Is(err, ballot.ErrOutsideArea) {
		fields["postcode"] = outsideAreaMessage
	}
	return fields
}

// signError turns a refusal from the store into a field message, or "" for
// errors that are not the signer's to fix. email is what was typed.
func signError(err error, email string) (int, map[string]string) {
	var ve *ballot.ValidationError
	switch {
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, ve.Fields
	case errors.Is(err, ballot.ErrBlockedDomain):
		return http.StatusUnprocessableEntity, map[string]string{"email": "The council does not accept signatures from " +
			"email addresses at " + ballot.EmailDomain(email) + ". Sign with a different email address."}
	case errors.Is(err, ballot.ErrOutsideArea):
		return http.StatusUnprocessableEntity, map[string]string{"postcode": outsideAreaMessage}
	case errors.Is(err, ballot.ErrNotOpen):
		return http.StatusConflict, map[string]string{"form": "This petition is not open for signatures."}
	case errors.Is(err, ballot.ErrTokenInvalid):
		return http.StatusForbidden, map[string]string{"form": "This sponsor link is not valid."}
	}
	return 0, nil
}

func (s *Server) signForm(w http.ResponseWriter, r *http.Request) {
	id, ok := s.petitionForm(w, r)
	if !ok {
		return
	}
	token := r.PostForm.Get("share_token")
	f := signatureFromForm(r.PostForm)
	sig, fields := checkSignature(f)
	fields = s.withArea(r, f.Postcode, fields)
	status := http.StatusUnprocessableEntity
	if fields == nil {
		if sig.ReviewReason = s.forms.check(r.PostForm); sig.ReviewReason != ballot.ReviewNone {
			s.log.Info("signature held for review", "petition", id, "reason", string(sig.ReviewReason))
		}
		err := s.cfg.Stores.Petitions.Sign(r.Context(), id, sig, token, s.cfg.BaseURL)
		if status, fields = signError(err, sig.Email); err != nil && fields == nil {
			s.failPetition(w, r, err)
			return
		}
	}
	if fields != nil {
		s.rerenderSign(w, r, status, token, fields)
		return
	}
	s.sessions.Put(r.Context(), "signed", sig.Email)
	http.Redirect(w, r, "/petitions/"+strconv.FormatInt(id, 10)+"/signed", http.StatusSeeOther)
}

// rerenderSign shows the petition (or sponsor) page again with the errors
// and what was typed.
func (s *Server) rerenderSign(w http.ResponseWriter, r *http.Request, status int, token string, fields map[string]string) {
	var v *petitionView
	var err error
	if token != "" {
		v, err = s.sponsorView(r, token)
	} else {
		var p *ballot.Petition
		if p, err = s.publicPetition(r); err == nil {
			v, err = s.petitionView(r, p, true)
		}
	}
	if err != nil {
		s.failPetition(w, r, err)
		return
	}
	v.Started = s.forms.keepStamp(r.PostForm)
	p := &page{Title: v.P.Title, Data: v, Form: r.PostForm}
	p.setErrors(fields, signatureFieldOrder)
	s.render(w, r, status, "petition", p)
}

func (s *Server) apiSign(w http.ResponseWriter, r *http.Request) {
	id, err := petitionID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := decodeSignatureJSON(r.Body)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, `The body must be a JSON object with "name", "email", "postcode" and "resident"`, nil)
		return
	}
	sig, fields := checkSignature(f)
	fields = s.withArea(r, f.Postcode, fields)
	status := http.StatusUnprocessableEntity
	if fields == nil {
		err = s.cfg.Stores.Petitions.Sign(r.Context(), id, sig, "", s.cfg.BaseURL)
		if status, fields = signError(err, sig.Email); err != nil && fields == nil {
			s.failPetition(w, r, err)
			return
		}
	}
	if fields != nil {
		msg := "There is a problem with the signature"
		if m, ok := fields["form"]; ok {
			msg = m
		}
		writeJSONError(w, status, msg, fields)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"status": "pending",
		"message": "Check your email: the signature counts once you open the link we sent and press Confirm."})
}

// failPetition shows a petition error in words a signer understands.
func (s *Server) failPetition(w http.ResponseWriter, r *http.Request, err error) {
	var status int
	var msg string
	switch {
	case errors.Is(err, ballot.ErrNotFound):
		status, msg = http.StatusNotFound, "Page not found"
	case errors.Is(err, ballot.ErrTokenInvalid):
		status, msg = http.StatusNotFound, ballot.ErrTokenInvalid.Error()
	case errors.Is(err, ballot.ErrNotOpen):
		status, msg = http.StatusConflict, "This petition is not open for signatures, so nothing was changed."
	case errors.Is(err, ballot.ErrAlreadySigned):
		// Only from a confirmation link: its owner signed with these
		// details before, and that first signature is the one counted.
		status, msg = http.StatusConflict, "This petition has already been signed with these details, so this signature was not counted. The first signature still counts."
	case errors.Is(err, ballot.ErrBadTransition):
		status, msg = http.StatusConflict, "That step is not allowed at this stage."
	default:
		s.fail(w, r, err)
		return
	}
	if wantsJSON(r) {
		writeJSONError(w, status, msg, nil)
		return
	}
	s.render(w, r, status, "error", &page{Title: msg, Data: msg})
}
