package web

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/oursay/oursay/ballot"
)

// contractsCSVHeader is the Local Government Transparency Code 2015's
// contract data (paragraph 43), a column per item, in its order: reference,
// title, department, description, supplier and its registration number,
// SME and VCSE, value and irrecoverable VAT, the dates, and the
// procurement route. The last columns link back to OurSay.
var contractsCSVHeader = []string{
	"Reference", "Title", "Department", "Description", "Supplier name", "Supplier registration scheme",
	"Supplier registration number", "SME", "VCSE", "Value (GBP)", "Irrecoverable VAT (GBP)", "Start date",
	"End date", "Review date", "Procurement route", "Service", "OurSay ID", "URL",
}

// contractsCSV is the whole register as RFC 4180 CSV in UTF-8: CRLF line
// ends, quotes where needed, dates as YYYY-MM-DD, money in pounds without
// separators, blank where nothing is recorded.
func (s *Server) contractsCSV(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Stores.Contracts.Contracts(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
	w.Header().Set("Content-Disposition", `attachment; filename="contracts.csv"`)
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write(contractsCSVHeader)
	base := s.baseURL(r)
	for _, c := range list {
		cw.Write(safeRow(contractCSVRow(c, base)))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.log.Error("contracts csv", "err", err)
	}
}

func contractCSVRow(c *ballot.Contract, base string) []string {
	yesNo := func(a ballot.YesNo) string {
		if a == ballot.NotRecorded {
			return ""
		}
		return a.Label()
	}
	route, review, vat := "", "", ""
	if c.Route != "" {
		route = c.Route.Label()
	}
	if !c.ReviewOn.IsZero() {
		review = isoDate(c.ReviewOn)
	}
	if c.IrrecoverableVATPence > 0 {
		vat = inputPence(c.IrrecoverableVATPence)
	}
	return []string{c.Reference, c.Title, c.Department, c.Description, c.Provider, c.SupplierScheme, c.SupplierID,
		yesNo(c.SME), yesNo(c.VCSE), inputPence(c.ValuePence), vat, isoDate(c.StartsOn), isoDate(c.EndsOn), review,
		route, c.Service, strconv.FormatInt(c.ID, 10), base + contractPath(c.ID)}
}
