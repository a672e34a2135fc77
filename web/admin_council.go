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

// councilView is what the council data page shows.
type councilView struct {
	PostcodeCount int
	Electorate    *ballot.Electorate
}

// ElectorateText is the latest count with thousands separators.
func (v *councilView) ElectorateText() string {
	if v.Electorate == nil {
		return ""
	}
	return groupThousands(int64(v.Electorate.Count))
}

func (s *Server) adminCouncil(w http.ResponseWriter, r *http.Request) {
	s.renderCouncil(w, r, http.StatusOK, url.Values{}, nil)
}

// renderCouncil shows the council data page, with a refused form's values
// and messages when there are any.
func (s *Server) renderCouncil(w http.ResponseWriter, r *http.Request, status int, form url.Values, fields map[string]string) {
	n, err := s.cfg.Stores.Council.PostcodeCount(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.latestElectorate(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &page{Title: "Postcodes and electorate", Form: form, Data: &councilView{PostcodeCount: n, Electorate: e}}
	if fields != nil {
		p.setErrors(fields, []string{"form", "postcodes", "count", "as_of"})
	}
	s.render(w, r, status, "admin_council", p)
}

// adminCouncilSubmit takes either form on the page: the postcode file
// (multipart) or the electorate figure. Either is saved whole or not at all.
func (s *Server) adminCouncilSubmit(w http.ResponseWriter, r *http.Request) {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(maxBody)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.renderCouncil(w, r, http.StatusRequestEntityTooLarge, url.Values{},
				map[string]string{"postcodes": "The selected file must be smaller than 1 MB"})
			return
		}
		s.badForm(w, r)
		return
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	switch r.PostForm.Get("action") {
	case "postcodes":
		s.importPostcodes(w, r)
	case "electorate":
		s.setElectorate(w, r)
	default:
		s.badForm(w, r)
	}
}

func (s *Server) importPostcodes(w http.ResponseWriter, r *http.Request) {
	file, _, err := r.FormFile("postcodes")
	if err != nil {
		s.renderCouncil(w, r, http.StatusUnprocessableEntity, url.Values{},
			map[string]string{"postcodes": "Choose a CSV file of postcodes to upload"})
		return
	}
	defer file.Close()
	entries, err := ParsePostcodeCSV(file)
	if err == nil {
		err = s.cfg.Stores.Council.ImportPostcodes(r.Context(), entries, s.actor(r))
	}
	if fields := s.contractStoreFields(err); fields != nil {
		s.renderCouncil(w, r, http.StatusUnprocessableEntity, url.Values{}, fields)
		return
	}
	wards := map[string]bool{}
	for _, e := range entries {
		wards[e.Ward.Code] = true
	}
	s.flash(r, fmt.Sprintf("Postcode list replaced: %s postcodes in %d wards.", groupThousands(int64(len(entries))), len(wards)))
	http.Redirect(w, r, "/admin/council", http.StatusSeeOther)
}

// setElectorate records the register snapshot form. Its rules are the
// domain's (ballot.Electorate.Validate, which the store applies at its own
// now); here the count and date are only read.
func (s *Server) setElectorate(w http.ResponseWriter, r *http.Request) {
	f := newFormReader(r.PostForm)
	form := url.Values{"count": {f.text("count")}, "as_of": {f.text("as_of")}}
	for _, part := range dateParts {
		if k := "as_of-" + part; r.PostForm.Has(k) {
			form.Set(k, f.text(k))
		}
	}
	var e ballot.Electorate
	var err error
	if e.Count, err = strconv.Atoi(strings.ReplaceAll(f.text("count"), ",", "")); err != nil {
		f.note("count", "Enter the number of electors, like 48,210")
	}
	e.AsOf = f.formDate("as_of", "Date of the register count", time.UTC)
	fields := f.result(e.Validate(s.cfg.Now()))
	if fields == nil {
		fields = s.contractStoreFields(s.cfg.Stores.Council.SetElectorate(r.Context(), e, s.actor(r)))
	}
	if fields != nil {
		s.renderCouncil(w, r, http.StatusUnprocessableEntity, form, fields)
		return
	}
	s.flash(r, fmt.Sprintf("Electorate recorded: %s electors on the register of %s.", groupThousands(int64(e.Count)), formatDate(e.AsOf)))
	http.Redirect(w, r, "/admin/council", http.StatusSeeOther)
}
