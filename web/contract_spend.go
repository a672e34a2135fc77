package web

import (
	"fmt"
	"net/http"

	"github.com/oursay/oursay/ballot"
)

// contractSpend is what the council has paid against a contract, from
// its imported spending files (see admin_spending.go).
type contractSpend struct {
	Total    int64
	Value    int64
	Quarters []ballot.QuarterSpend
	Payments int
	// Lines are the payments themselves, for OCDS.
	Lines []ballot.SavedSpend
}

// withTransparency fills the view's Spend, Docs and Requests: what the
// contract has cost, the documents published about it, and what people
// have asked about it.
func (s *Server) withTransparency(r *http.Request, v *contractView) error {
	docs, err := s.cfg.Stores.Documents.Documents(r.Context(), v.C.ID)
	if err != nil {
		return err
	}
	v.Docs = docs
	if v.Requests, err = s.requestsFor(r, v.C.ID); err != nil {
		return err
	}
	lines, err := s.cfg.Stores.Spending.ContractSpend(r.Context(), v.C.ID)
	if err != nil {
		return err
	}
	sp := &contractSpend{Value: v.C.ValuePence, Quarters: ballot.SpendByQuarter(lines), Payments: len(lines), Lines: lines}
	for _, l := range lines {
		sp.Total += l.AmountPence
	}
	v.Spend = sp
	return nil
}

// Money writes pence as pounds for the templates.
func (contractSpend) Money(p int64) string { return formatPence(p) }

// ShareOfValue is the spend to date as a whole percentage of the contract
// value, "" when the value is not known.
func (sp *contractSpend) ShareOfValue() string {
	if sp.Value <= 0 {
		return ""
	}
	if sp.Total > 0 && sp.Total*100 < sp.Value {
		return "less than 1%"
	}
	return fmt.Sprintf("%d%%", sp.Total*100/sp.Value)
}

// chartBar is one quarter's bar in the spend chart, in the SVG's units.
type chartBar struct {
	X, Y, W, H float64
	Label      string
}

// Chart lays the quarters out as bars in a 600 by 200 box (labels below), the tallest
// quarter reaching the top; negative quarters (refunds) draw nothing.
func (sp *contractSpend) Chart() []chartBar {
	var most int64
	for _, q := range sp.Quarters {
		most = max(most, q.Pence)
	}
	if most <= 0 {
		return nil
	}
	n := float64(len(sp.Quarters))
	w := 600 / n
	bars := make([]chartBar, 0, len(sp.Quarters))
	for i, q := range sp.Quarters {
		h := 0.0
		if q.Pence > 0 {
			h = float64(q.Pence) / float64(most) * 190
		}
		bars = append(bars, chartBar{X: float64(i)*w + w*0.15, Y: 200 - h, W: w * 0.7, H: h, Label: q.Code()})
	}
	return bars
}

// quarterJSON is one quarter's spend in a contract's JSON.
type quarterJSON struct {
	Quarter    string `json:"quarter"`
	From       string `json:"from"`
	SpendPence int64  `json:"spend_pence"`
	ToDate     int64  `json:"to_date_pence"`
}

func spendToJSON(sp *contractSpend) (int64, []quarterJSON) {
	out := []quarterJSON{}
	if sp == nil {
		return 0, out
	}
	for _, q := range sp.Quarters {
		out = append(out, quarterJSON{Quarter: q.Code(), From: isoDate(q.Start), SpendPence: q.Pence, ToDate: q.ToDate})
	}
	return sp.Total, out
}
