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

// OCDS constants. The publisher's name and the ocid prefix are the
// council's own (consult.Settings: OCDSPublisher, OCIDPrefix); the buyer
// is the council by its name.
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
		Awards         []ocdsAward    `json:"awards"`
		Contracts      []ocdsContract `json:"contracts"`
	}
	ocdsParty struct {
		ID    string   `json:"id"`
		Name  string   `json:"name"`
		Roles []string `json:"roles"`
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
		Implementation *ocdsImplementation `json:"implementation,omitempty"`
	}
	ocdsImplementation struct {
		Metrics []ocdsMetric `json:"metrics"`
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
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ocdsReleasePackage(v, s.baseURL(r), s.settings()))
}

// ocdsReleasePackage describes one contract as an OCDS release package with
// one release: tagged "contract", or "implementation" once any KPI has been
// reported. Its date is the contract's last change, so the package is the
// same until the contract is edited. The publisher, ocid prefix and buyer
// come from the council's settings st.
func ocdsReleasePackage(v *contractView, base string, st consult.Settings) ocdsPackage {
	c := v.C
	id := strconv.FormatInt(c.ID, 10)
	updated := ocdsTime(c.UpdatedAt)
	tag := "contract"
	for _, k := range c.KPIs {
		if k.Actual != "" {
			tag = "implementation"
		}
	}
	supplier := ocdsOrgRef{ID: "supplier-" + id, Name: c.Provider}
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
	return ocdsPackage{
		URI: base + "/api/contracts/" + id + "/ocds", PublishedDate: updated,
		Publisher: ocdsPublisher{Name: st.OCDSPublisher, URI: base},
		Version:   ocdsVersion, Extensions: []string{ocdsMetricsExtURL},
		Releases: []ocdsRelease{{
			OCID: ocid, ID: fmt.Sprintf("%s-%s-%d", ocid, tag, c.UpdatedAt.Unix()),
			Date: updated, Tag: []string{tag}, InitiationType: "tender", Language: "en",
			Parties: []ocdsParty{{ID: buyer.ID, Name: buyer.Name, Roles: []string{"buyer"}},
				{ID: supplier.ID, Name: supplier.Name, Roles: []string{"supplier"}}},
			Buyer: buyer,
			Awards: []ocdsAward{{ID: "award-" + id, Title: c.Title, Status: "active", Value: value,
				Suppliers: []ocdsOrgRef{supplier}, ContractPeriod: period}},
			Contracts: []ocdsContract{contract},
		}},
	}
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
	p = strings.ToUpper(strings.TrimSpace(p))
	var start time.Time
	var months int
	if t, err := time.Parse("2006-01", p); err == nil {
		start, months = t, 1
	} else if t, err := time.Parse("2006", p); err == nil {
		start, months = t, 12
	} else if y, q, ok := strings.Cut(p, "-Q"); ok && len(q) == 1 && q >= "1" && q <= "4" {
		t, err := time.Parse("2006", y)
		if err != nil {
			return nil
		}
		start, months = t.AddDate(0, 3*int(q[0]-'1'), 0), 3
	} else {
		return nil
	}
	return &ocdsPeriod{StartDate: ocdsTime(start), EndDate: ocdsTime(start.AddDate(0, months, 0).Add(-time.Second))}
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
	return json.Number(fmt.Sprintf("%d.%02d", p/100, p%100))
}

func ocdsTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
