package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"time"

	"github.com/oursay/oursay/ballot"
)

// Spending: an officer uploads the council's Transparency Code spending
// file, checks how OurSay read it, and saves it; payments no rule could
// match to a contract are listed for staff to assign. The rules (column
// mapping, amounts, de-duplication, matching) are ballot's; this file
// reads the upload and shows the results.

// spendPageSize is how many unmatched payments a page lists.
const spendPageSize = 50

// spendingView is what /admin/spending shows.
type spendingView struct {
	Totals    ballot.SpendTotals
	Imports   []*ballot.SpendImport
	Unmatched []ballot.SavedSpend
	Contracts []*ballot.Contract
	Page      pager
}

// Money writes pence as pounds for the templates.
func (spendingView) Money(p int64) string { return formatPence(p) }

func (s *Server) adminSpending(w http.ResponseWriter, r *http.Request) {
	s.renderSpending(w, r, http.StatusOK, nil)
}

// renderSpending shows the spending page, with the upload's message when a
// file was refused.
func (s *Server) renderSpending(w http.ResponseWriter, r *http.Request, status int, fields map[string]string) {
	ctx := r.Context()
	st := s.cfg.Stores.Spending
	v := &spendingView{}
	var err error
	if v.Totals, err = st.SpendTotals(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Imports, err = st.SpendImports(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	v.Page = newPager(r, "/admin/spending", v.Totals.Unmatched, spendPageSize)
	v.Page.Anchor, v.Page.Label = "#unmatched", "Pages of unmatched payments"
	if v.Unmatched, _, err = st.UnmatchedSpend(ctx, v.Page.Offset(), spendPageSize); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Contracts, err = s.cfg.Stores.Contracts.Contracts(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	p := &page{Title: "Spending", Data: v, Form: url.Values{}}
	if fields != nil {
		p.setErrors(fields, []string{"file"})
	}
	s.render(w, r, status, "admin_spending", p)
}

// adminSpendingUpload reads the file, refuses it whole with the line and
// column at fault, or stages it and shows how it was read.
func (s *Server) adminSpendingUpload(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.renderSpending(w, r, http.StatusRequestEntityTooLarge, map[string]string{"file": fmt.Sprintf("The selected file must be smaller than %d MB", ballot.MaxSpendFile>>20)})
			return
		}
		s.badForm(w, r)
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, hdr, err := r.FormFile("file")
	if err != nil {
		s.renderSpending(w, r, http.StatusUnprocessableEntity, map[string]string{"file": "Choose the spending CSV file to import"})
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, _, err := ballot.ParseSpending(bytes.NewReader(data)); err != nil {
		var se *ballot.SpendError
		if errors.As(err, &se) {
			s.renderSpending(w, r, http.StatusUnprocessableEntity, map[string]string{"file": "The file was not imported. " + se.Error()})
			return
		}
		s.fail(w, r, err)
		return
	}
	id, err := s.cfg.Stores.Spending.StageSpending(r.Context(), filepath.Base(hdr.Filename), data, s.actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/spending/imports/%d", id), http.StatusSeeOther)
}

// importView is the check page of a staged file.
type importView struct {
	Import     *ballot.SpendImport
	Columns    []columnRow
	Lines      int
	First      []importRow
	From, To   time.Time
	TotalPence int64
	Saved      int
	Matched    map[string]int
	Unmatched  int
}

type columnRow struct {
	Label, Heading string
	Required       bool
}

type importRow struct {
	ballot.SpendLine
	Contract string
}

// Money writes pence as pounds for the templates.
func (importView) Money(p int64) string { return formatPence(p) }

// MatchOrder lists the ways of matching in the order they are tried.
func (importView) MatchOrder() []string {
	return []string{ballot.MatchReference, ballot.MatchRegNo, ballot.MatchSupplier}
}

func (s *Server) spendImport(w http.ResponseWriter, r *http.Request) (*ballot.SpendImport, bool) {
	return loadByPath(s, w, r, "id", s.cfg.Stores.Spending.SpendImport)
}

func (s *Server) adminSpendImport(w http.ResponseWriter, r *http.Request) {
	im, ok := s.spendImport(w, r)
	if !ok {
		return
	}
	if im.Status != ballot.ImportPending {
		http.Redirect(w, r, "/admin/spending", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	cols, lines, err := ballot.ParseSpending(bytes.NewReader(im.CSV))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	targets, err := s.cfg.Stores.Spending.SpendTargets(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	contracts, err := s.cfg.Stores.Contracts.Contracts(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	titles := map[int64]string{}
	for _, c := range contracts {
		titles[c.ID] = c.Title
	}
	v := &importView{Import: im, Lines: len(lines), Matched: map[string]int{}}
	for _, f := range ballot.SpendFields {
		v.Columns = append(v.Columns, columnRow{Label: f.Label, Heading: cols.Heading(f.Field), Required: f.Required})
	}
	keys := make([]string, len(lines))
	for i, l := range lines {
		keys[i] = l.Key()
		v.TotalPence += l.AmountPence
		if v.From.IsZero() || l.Date.Before(v.From) {
			v.From = l.Date
		}
		if l.Date.After(v.To) {
			v.To = l.Date
		}
		id, how := ballot.MatchSpend(l, targets)
		if id == 0 {
			v.Unmatched++
		} else {
			v.Matched[how]++
		}
		if i < 10 {
			v.First = append(v.First, importRow{SpendLine: l, Contract: titles[id]})
		}
	}
	if v.Saved, err = s.cfg.Stores.Spending.SavedSpendKeys(ctx, keys); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_spending_import", &page{Title: "Check the spending file", Data: v})
}

func (s *Server) adminSpendSave(w http.ResponseWriter, r *http.Request) {
	im, ok := s.spendImport(w, r)
	if !ok {
		return
	}
	saved, err := s.cfg.Stores.Spending.SaveSpending(r.Context(), im.ID, s.actor(r))
	if errors.Is(err, ballot.ErrBadTransition) {
		s.flash(r, "That file has already been saved or cancelled.")
		http.Redirect(w, r, "/admin/spending", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := fmt.Sprintf("%s saved: %s payments added.", saved.Filename, num(saved.Added))
	if saved.Duplicates > 0 {
		msg += fmt.Sprintf(" %s were already saved and were not added again.", num(saved.Duplicates))
	}
	s.flash(r, msg)
	http.Redirect(w, r, "/admin/spending", http.StatusSeeOther)
}

func (s *Server) adminSpendCancel(w http.ResponseWriter, r *http.Request) {
	im, ok := s.spendImport(w, r)
	if !ok {
		return
	}
	if err := s.cfg.Stores.Spending.CancelSpending(r.Context(), im.ID, s.actor(r)); err != nil && !errors.Is(err, ballot.ErrBadTransition) {
		s.fail(w, r, err)
		return
	}
	s.flash(r, im.Filename+" was not imported. Nothing was saved.")
	http.Redirect(w, r, "/admin/spending", http.StatusSeeOther)
}

// adminSpendAssign sets an unmatched payment's contract.
func (s *Server) adminSpendAssign(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r)
		return
	}
	contract, err := strconv.ParseInt(r.PostForm.Get("contract"), 10, 64)
	if err == nil {
		err = s.cfg.Stores.Spending.AssignSpend(r.Context(), id, contract, s.actor(r))
	}
	if err != nil {
		var ne *strconv.NumError
		if !errors.As(err, &ne) && !errors.Is(err, ballot.ErrNotFound) {
			s.fail(w, r, err)
			return
		}
		s.renderSpending(w, r, http.StatusUnprocessableEntity, map[string]string{
			"contract-" + r.PathValue("id"): "Select the contract this payment is for"})
		return
	}
	s.flash(r, "Payment assigned to its contract.")
	http.Redirect(w, r, "/admin/spending#unmatched", http.StatusSeeOther)
}
