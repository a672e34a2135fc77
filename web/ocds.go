package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// OCDS constants. The publisher, the ocid prefix (registered with the
// Open Contracting Partnership) and the buyer's name are the council's,
// from its settings.
const (
	ocdsVersion       = "1.1"
	ocdsMetricsExtURL = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json"
	ocdsBuyerPartyID  = "buyer"
)

// The types below are the part of OCDS 1.1 (and its metrics extension)
// that a contract register fills in.
type (
	ocdsPackage struct {
		URI           string        `json:"uri"`
		PublishedDate string        `json:"publishedDate"`
		Publisher     ocdsPublisher `json:"publisher"`
		Version       string        `json:"version"`
		Extensions    []string      `json:"extensions"`
		Releases      []ocdsRelease `json:"releases"`
	}
	ocdsPublisher struct {
		Name string `json:"name"`
		URI  string `json:"uri,omitempty"`
	}
	ocdsRelease struct {
		OCID           string         `json:"ocid"`
		ID             string         `json:"id"`
		Date           string         `json:"date"`
		Tag            []string       `json:"tag"`
		InitiationType string         `json:"initiationType"`
		Language       string         `json:"language"`
		Parties        []ocdsParty    `json:"parties"`
		Buyer          ocdsOrgRef     `json:"buyer"`
		Tender         *ocdsTender    `json:"tender,omitempty"`
		Awards         []ocdsAward    `json:"awards"`
		Contracts      []ocdsContract `json:"contracts"`
	}
	ocdsParty struct {
		ID         string          `json:"id"`
		Name       string          `json:"name"`
		Identifier *ocdsIdentifier `json:"identifier,omitempty"`
		Roles      []string        `json:"roles"`
		Details    *ocdsDetails    `json:"details,omitempty"`
	}
	// ocdsIdentifier is a party's entry in an org-id.guide register:
	// GB-COH is Companies House.
	ocdsIdentifier struct {
		Scheme    string `json:"scheme"`
		ID        string `json:"id"`
		LegalName string `json:"legalName,omitempty"`
	}
	// ocdsDetails carries the organization's scale (the partyScale
	// codelist: "sme" or "large") when the register records it.
	ocdsDetails struct {
		Scale string `json:"scale,omitempty"`
	}
	// ocdsTender is the procurement that led to the award, as far as the
	// register knows it: its method, and the route in words.
	ocdsTender struct {
		ID                       string `json:"id"`
		Status                   string `json:"status"`
		ProcurementMethod        string `json:"procurementMethod,omitempty"`
		ProcurementMethodDetails string `json:"procurementMethodDetails,omitempty"`
	}
	ocdsOrgRef struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	ocdsValue struct {
		Amount   json.Number `json:"amount"`
		Currency string      `json:"currency"`
	}
	ocdsPeriod struct {
		StartDate string `json:"startDate,omitempty"`
		EndDate   string `json:"endDate,omitempty"`
	}
	ocdsAward struct {
		ID             string       `json:"id"`
		Title          string       `json:"title"`
		Status         string       `json:"status"`
		Value          ocdsValue    `json:"value"`
		Suppliers      []ocdsOrgRef `json:"suppliers"`
		ContractPeriod ocdsPeriod   `json:"contractPeriod"`
	}
	ocdsContract struct {
		ID             string              `json:"id"`
		AwardID        string              `json:"awardID"`
		Title          string              `json:"title"`
		Description    string              `json:"description,omitempty"`
		Status         string              `json:"status"`
		Period         ocdsPeriod          `json:"period"`
		Value          ocdsValue           `json:"value"`
		AgreedMetrics  []ocdsMetric        `json:"agreedMetrics,omitempty"`
		Documents      []ocdsDocument      `json:"documents,omitempty"`
		Implementation *ocdsImplementation `json:"implementation,omitempty"`
	}
	ocdsImplementation struct {
		Metrics      []ocdsMetric      `json:"metrics,omitempty"`
		Transactions []ocdsTransaction `json:"transactions,omitempty"`
		Documents    []ocdsDocument    `json:"documents,omitempty"`
	}
	ocdsDocument struct {
		ID            string `json:"id"`
		DocumentType  string `json:"documentType"`
		Title         string `json:"title"`
		Description   string `json:"description,omitempty"`
		URL           string `json:"url"`
		DatePublished string `json:"datePublished"`
		Format        string `json:"format"`
		Language      string `json:"language"`
	}
	ocdsTransaction struct {
		ID    string     `json:"id"`
		Date  string     `json:"date"`
		Value ocdsValue  `json:"value"`
		Payer ocdsOrgRef `json:"payer"`
		Payee ocdsOrgRef `json:"payee"`
	}
	ocdsMetric struct {
		ID           string            `json:"id"`
		Title        string            `json:"title"`
		Observations []ocdsObservation `json:"observations"`
	}
	ocdsObservation struct {
		ID      string      `json:"id"`
		Period  *ocdsPeriod `json:"period,omitempty"`
		Measure string      `json:"measure"`
		Notes   string      `json:"notes,omitempty"`
	}
)

func (s *Server) apiContractOCDS(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadContract(r)
	if err == nil {
		err = s.withTransparency(r, v)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := s.baseURL(r)
	writeJSON(w, http.StatusOK, ocdsPackageOf(base+"/api/contracts/"+strconv.FormatInt(v.C.ID, 10)+"/ocds", base, s.settings(), v))
}

// apiContractsOCDS is one release package of every contract in the
// register: all of it is public.
func (s *Server) apiContractsOCDS(w http.ResponseWriter, r *http.Request) {
	views, err := s.loadContracts(r.Context())
	for _, v := range views {
		if err == nil {
			err = s.withTransparency(r, v)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := s.baseURL(r)
	writeJSON(w, http.StatusOK, ocdsPackageOf(base+"/api/contracts/ocds", base, s.settings(), views...))
}

// ocdsPackageOf is a release package at uri of one release per contract.
// Its publishedDate is the newest contract change, so the package is the
// same until a contract is edited.
func ocdsPackageOf(uri, base string, st consult.Settings, views ...*contractView) ocdsPackage {
	var newest time.Time
	releases := make([]ocdsRelease, 0, len(views))
	for _, v := range views {
		if v.C.UpdatedAt.After(newest) {
			newest = v.C.UpdatedAt
		}
		releases = append(releases, ocdsReleaseOf(v, base, st))
	}
	return ocdsPackage{
		URI: uri, PublishedDate: ocdsTime(newest),
		Publisher: ocdsPublisher{Name: st.OCDSPublisher, URI: base},
		Version:   ocdsVersion, Extensions: []string{ocdsMetricsExtURL},
		Releases: releases,
	}
}

// ocdsReleaseTags says what the release holds, and nothing more: the
// tender only when the register knows how the contract was let, the award
// and the contract always, "implementation" once any KPI has been
// reported, and "contractTermination" once the contract has ended.
func ocdsReleaseTags(v *contractView) []string {
	var tags []string
	if v.C.Route != "" {
		tags = append(tags, "tender")
	}
	tags = append(tags, "award", "contract")
	implemented := v.Spend != nil && len(v.Spend.Lines) > 0 // payments made
	for _, k := range v.C.KPIs {
		implemented = implemented || k.Actual != ""
	}
	if implemented {
		tags = append(tags, "implementation")
	}
	if v.Status() == "ended" {
		tags = append(tags, "contractTermination")
	}
	return tags
}

// ocdsSupplier is the provider as an OCDS party: identified by its
// register number when the council recorded one (the party id is then
// scheme-number, as OCDS recommends), by the contract otherwise.
func ocdsSupplier(c *ballot.Contract) ocdsParty {
	p := ocdsParty{ID: "supplier-" + strconv.FormatInt(c.ID, 10), Name: c.Provider, Roles: []string{"supplier"}}
	if c.SupplierScheme != "" && c.SupplierID != "" {
		p.ID = c.SupplierScheme + "-" + c.SupplierID
		p.Identifier = &ocdsIdentifier{Scheme: c.SupplierScheme, ID: c.SupplierID, LegalName: c.Provider}
	}
	switch c.SME {
	case ballot.Yes:
		p.Details = &ocdsDetails{Scale: "sme"}
	case ballot.No:
		p.Details = &ocdsDetails{Scale: "large"}
	}
	return p
}

// ocdsReleaseOf describes one contract as a release. Its id changes with
// each edit. initiationType is "tender", the only value OCDS 1.1 allows;
// the tender's procurementMethod says when there was no competition
// ("direct").
func ocdsReleaseOf(v *contractView, base string, st consult.Settings) ocdsRelease {
	c := v.C
	id := strconv.FormatInt(c.ID, 10)
	tags := ocdsReleaseTags(v)
	supplierParty := ocdsSupplier(c)
	supplier := ocdsOrgRef{ID: supplierParty.ID, Name: supplierParty.Name}
	buyer := ocdsOrgRef{ID: ocdsBuyerPartyID, Name: st.CouncilName}
	ocid := st.OCIDPrefix + "-" + id
	value := ocdsValue{Amount: poundsNumber(c.ValuePence), Currency: "GBP"}
	period := ocdsPeriod{StartDate: ocdsTime(c.StartsOn), EndDate: ocdsTime(c.EndsOn.AddDate(0, 0, 1).Add(-time.Second))}
	agreed, observed := ocdsMetrics(c.KPIs)
	contract := ocdsContract{ID: "contract-" + id, AwardID: "award-" + id, Title: c.Title,
		Description: c.Description, Status: ocdsContractStatus(v.Status()), Period: period, Value: value,
		AgreedMetrics: agreed}
	if len(observed) > 0 {
		contract.Implementation = &ocdsImplementation{Metrics: observed}
	}
	contract.Documents = ocdsDocuments(ballot.ContractDocuments(v.Docs), base)
	implementation := func() *ocdsImplementation {
		if contract.Implementation == nil {
			contract.Implementation = &ocdsImplementation{}
		}
		return contract.Implementation
	}
	if reqs := ocdsRequests(v, base); len(reqs) > 0 {
		implementation().Documents = reqs
	}
	if v.Spend != nil && len(v.Spend.Lines) > 0 {
		implementation()
		for _, l := range v.Spend.Lines {
			contract.Implementation.Transactions = append(contract.Implementation.Transactions, ocdsTransaction{
				ID: l.TransactionNumber + "-" + strconv.FormatInt(l.ID, 10), Date: ocdsTime(l.Date),
				Value: ocdsValue{Amount: poundsNumber(l.AmountPence), Currency: "GBP"}, Payer: buyer, Payee: supplier})
		}
	}
	rel := ocdsRelease{
		OCID: ocid, ID: fmt.Sprintf("%s-%s-%d", ocid, tags[len(tags)-1], c.UpdatedAt.Unix()),
		Date: ocdsTime(c.UpdatedAt), Tag: tags, InitiationType: "tender", Language: "en",
		Parties: []ocdsParty{{ID: buyer.ID, Name: buyer.Name, Roles: []string{"buyer"}}, supplierParty},
		Buyer:   buyer,
		Awards: []ocdsAward{{ID: "award-" + id, Title: c.Title, Status: "active", Value: value,
			Suppliers: []ocdsOrgRef{supplier}, ContractPeriod: period}},
		Contracts: []ocdsContract{contract},
	}
	if c.Route != "" {
		rel.Tender = &ocdsTender{ID: "tender-" + id, Status: "complete", ProcurementMethod: c.Route.OCDSMethod(),
			ProcurementMethodDetails: c.Route.Label()}
	}
	return rel
}

// ocdsMetrics turns KPI rows into metrics-extension metrics: one agreed
// metric per KPI name with its target, and one implementation metric per
// name with an observation for each reported period.
func ocdsMetrics(kpis []ballot.KPI) (agreed, observed []ocdsMetric) {
	index := map[string]int{}
	for _, k := range kpis {
		i, seen := index[k.Name]
		if !seen {
			i = len(agreed)
			index[k.Name] = i
			id := "kpi-" + strconv.Itoa(i+1)
			agreed = append(agreed, ocdsMetric{ID: id, Title: k.Name,
				Observations: []ocdsObservation{{ID: id + "-target", Measure: k.Target}}})
			observed = append(observed, ocdsMetric{ID: id, Title: k.Name})
		}
		if k.Actual == "" {
			continue
		}
		obs := ocdsObservation{ID: fmt.Sprintf("%s-%d", agreed[i].ID, len(observed[i].Observations)+1),
			Period: periodOf(k.Period), Measure: k.Actual, Notes: observationNotes(k)}
		observed[i].Observations = append(observed[i].Observations, obs)
	}
	var reported []ocdsMetric
	for _, m := range observed {
		if len(m.Observations) > 0 {
			reported = append(reported, m)
		}
	}
	return agreed, reported
}

func observationNotes(k ballot.KPI) string {
	var parts []string
	if k.Period != "" {
		parts = append(parts, "Period: "+k.Period)
	}
	parts = append(parts, "Target: "+k.Target)
	if k.Rating != "" {
		parts = append(parts, "Rating: "+k.Rating.Label())
	}
	return strings.Join(parts, ". ")
}

// periodOf reads a KPI period written as a year ("2026"), a quarter
// ("2026-Q3") or a month ("2026-07"); other wording has no OCDS period
// and is kept in the notes only.
func periodOf(p string) *ocdsPeriod {
	start, end, ok := ballot.ParseKPIPeriod(p)
	if !ok {
		return nil
	}
	return &ocdsPeriod{StartDate: ocdsTime(start), EndDate: ocdsTime(end.Add(-time.Second))}
}

func ocdsContractStatus(status string) string {
	switch status {
	case "not_started":
		return "pending"
	case "ended":
		return "terminated"
	}
	return "active"
}

// poundsNumber writes pence as an exact JSON number of pounds: 125000050 → 1250000.50.
func poundsNumber(p int64) json.Number {
	sign := ""
	if p < 0 {
		sign, p = "-", -p // a refund: -250.50, not -250.-50
	}
	return json.Number(fmt.Sprintf("%s%d.%02d", sign, p/100, p%100))
}

func ocdsTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// ocdsDocumentTypes are OurSay's document kinds in OCDS's documentType
// codelist: variations and open-book accounts have no code of their own,
// so they take the nearest (a variation is an annexe to the contract; the
// accounts report on its finances).
var ocdsDocumentTypes = map[string]string{
	ballot.DocContract:  "contractSigned",
	ballot.DocSummary:   "contractSummary",
	ballot.DocVariation: "contractAnnexe",
	ballot.DocOpenBook:  "financialProgressReport",
}

// ocdsRequests are the published information requests about the
// contract, and the documents released with their answers, as
// implementation documents. OCDS's documentType codelist is open and has
// no code for either, so they carry OurSay's own: "informationRequest" and
// "informationRequestRelease".
func ocdsRequests(v *contractView, base string) []ocdsDocument {
	if v.Requests == nil {
		return nil
	}
	var out []ocdsDocument
	for _, req := range v.Requests.All {
		status := req.Status(v.Now)
		desc := "Information request. " + status.Label() + "."
		if due := ballot.DueText(req.DueOn); due != "" && req.AnsweredAt.IsZero() {
			desc += " " + due + "."
		}
		out = append(out, ocdsDocument{ID: "request-" + strconv.FormatInt(req.ID, 10), DocumentType: "informationRequest",
			Title: req.Title, Description: desc, URL: base + requestPath(req.ID), DatePublished: ocdsTime(req.ReceivedAt),
			Format: "text/html", Language: "en"})
		for _, d := range ocdsDocuments(ballot.AnswerDocuments(v.Docs, req.ID), base) {
			d.DocumentType = "informationRequestRelease"
			d.Description = "Released with the answer to \"" + req.Title + "\". " + d.Description
			out = append(out, d)
		}
	}
	return out
}

func ocdsDocuments(docs []*ballot.Document, base string) []ocdsDocument {
	var out []ocdsDocument
	for _, d := range docs {
		desc := "Published in full."
		if d.Redacted {
			desc = "Redacted: " + d.Reason
		}
		format, _, _ := strings.Cut(d.ContentType, ";")
		out = append(out, ocdsDocument{ID: "document-" + strconv.FormatInt(d.ID, 10), DocumentType: ocdsDocumentTypes[d.Kind],
			Title: d.Title, Description: desc, URL: fmt.Sprintf("%s/contracts/%d/documents/%d", base, d.ContractID, d.ID),
			DatePublished: ocdsTime(d.CreatedAt), Format: format, Language: "en"})
	}
	return out
}
