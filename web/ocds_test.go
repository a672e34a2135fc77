package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/oursay/oursay/ballot"
)

// The OCDS output is validated against the real OCDS 1.1 schemas, with the
// metrics extension merged into the release schema, as
// web/testdata/ocds/README.md describes.

const (
	ocdsPackageSchemaID = "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"
	ocdsReleaseSchemaID = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
)

var (
	ocdsSchemaOnce sync.Once
	ocdsSchema     *jsonschema.Schema
	ocdsSchemaErr  error
)

func readSchema(name string) (any, error) {
	f, err := os.Open(filepath.Join("testdata", "ocds", name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jsonschema.UnmarshalJSON(f)
}

// mergePatch applies an RFC 7396 JSON Merge Patch.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
		} else {
			t[k] = mergePatch(t[k], v)
		}
	}
	return t
}

// releasePackageSchema compiles the package schema with the patched
// release schema, once.
func releasePackageSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	ocdsSchemaOnce.Do(func() {
		release, err := readSchema("release-schema.json")
		if err != nil {
			ocdsSchemaErr = err
			return
		}
		metrics, err := readSchema("metrics-release-schema.json")
		if err != nil {
			ocdsSchemaErr = err
			return
		}
		pkg, err := readSchema("release-package-schema.json")
		if err != nil {
			ocdsSchemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft4)
		c.AssertFormat()
		if ocdsSchemaErr = c.AddResource(ocdsReleaseSchemaID, mergePatch(release, metrics)); ocdsSchemaErr != nil {
			return
		}
		if ocdsSchemaErr = c.AddResource(ocdsPackageSchemaID, pkg); ocdsSchemaErr != nil {
			return
		}
		ocdsSchema, ocdsSchemaErr = c.Compile(ocdsPackageSchemaID)
	})
	if ocdsSchemaErr != nil {
		t.Fatalf("OCDS schemas: %v", ocdsSchemaErr)
	}
	return ocdsSchema
}

// validateOCDS validates a package's JSON text against the schemas.
func validateOCDS(t *testing.T, body []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return releasePackageSchema(t).Validate(inst)
}

// getOCDS fetches path and checks it validates.
func (e *testEnv) getOCDS(path string) map[string]any {
	e.t.Helper()
	res, body := e.get(e.anon, path)
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	if err := validateOCDS(e.t, []byte(body)); err != nil {
		e.t.Errorf("%s does not validate against OCDS 1.1 with the metrics extension:\n%v", path, err)
	}
	var doc map[string]any
	d := json.NewDecoder(strings.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		e.t.Fatal(err)
	}
	return doc
}

func TestOCDS_ReleasePackage(t *testing.T) {
	e := newEnv(t)
	waste := wasteContract()
	waste.SupplierScheme, waste.SupplierID, waste.SME, waste.Route = ballot.SchemeCompaniesHouse, "01234567", ballot.No, ballot.RouteDirectAward
	e.addContract(waste)
	unreported := leisureContract()
	unreported.KPIs = []ballot.KPI{{Name: "Visits", Target: "≥ 900,000"}}
	e.addContract(unreported)
	ended := leisureContract()
	ended.Title, ended.StartsOn, ended.EndsOn, ended.BreakClauses = "Old parks", today().AddDate(-5, 0, 0), today().AddDate(0, -1, 0), nil
	e.addContract(ended)

	doc := e.getOCDS("/api/contracts/1/ocds")
	r := doc["releases"].([]any)[0].(map[string]any)
	k := r["contracts"].([]any)[0].(map[string]any)
	supplier := r["parties"].([]any)[1].(map[string]any)
	checks := map[string]any{
		"ocid":       r["ocid"],
		"tags":       strings.Join(toStrings(r["tag"]), ","),
		"initiation": r["initiationType"],
		"method":     r["tender"].(map[string]any)["procurementMethod"],
		"amount":     k["value"].(map[string]any)["amount"],
		"supplier":   supplier["name"],
		"party id":   supplier["id"],
		"scheme":     supplier["identifier"].(map[string]any)["scheme"],
		"company":    supplier["identifier"].(map[string]any)["id"],
		"scale":      supplier["details"].(map[string]any)["scale"],
		"award to":   r["awards"].([]any)[0].(map[string]any)["suppliers"].([]any)[0].(map[string]any)["id"],
		"extension":  doc["extensions"].([]any)[0],
		"version":    doc["version"],
		"buyer":      r["buyer"].(map[string]any)["name"],
		"publisher":  doc["publisher"].(map[string]any)["name"],
	}
	want := map[string]any{
		// The council's own publisher, prefix and name (DefaultSettings).
		"ocid": "ocds-demo01-1", "buyer": "Demo Borough Council", "publisher": "Demo Borough Council", "tags": "tender,award,contract,implementation", "initiation": "tender", "method": "direct",
		"amount": json.Number("1250000.50"), "supplier": "CleanCo Services Ltd", "party id": "GB-COH-01234567",
		"scheme": "GB-COH", "company": "01234567", "scale": "large", "award to": "GB-COH-01234567", "version": "1.1",
		"extension": "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json",
	}
	for key, w := range want {
		if checks[key] != w {
			t.Errorf("%s = %#v, want %#v", key, checks[key], w)
		}
	}
	agreed := k["agreedMetrics"].([]any)
	observed := k["implementation"].(map[string]any)["metrics"].([]any)
	if len(agreed) != 2 || len(observed) != 2 {
		t.Fatalf("agreed %d, observed %d metrics; want 2 and 2 (KPI rows grouped by name)", len(agreed), len(observed))
	}
	first := observed[0].(map[string]any)["observations"].([]any)[0].(map[string]any)
	if p := first["period"].(map[string]any); p["startDate"] != "2026-04-01T00:00:00Z" || p["endDate"] != "2026-06-30T23:59:59Z" ||
		first["measure"] != "72" || !strings.Contains(first["notes"].(string), "Rating: Inadequate") {
		t.Errorf("first observation %v, want 2026-Q2, 72, rated Inadequate", first)
	}

	t.Run("TagsTellTheTruth", func(t *testing.T) {
		// No route recorded: no tender section or tag; no KPI reported: no
		// implementation; no register number: the party is named by contract.
		r := e.getOCDS("/api/contracts/2/ocds")["releases"].([]any)[0].(map[string]any)
		k := r["contracts"].([]any)[0].(map[string]any)
		if got := strings.Join(toStrings(r["tag"]), ","); got != "award,contract" || r["tender"] != nil || k["implementation"] != nil {
			t.Errorf("tags %s, tender %v, implementation %v; want award,contract and neither", got, r["tender"], k["implementation"])
		}
		if p := r["parties"].([]any)[1].(map[string]any); p["id"] != "supplier-2" || p["identifier"] != nil {
			t.Errorf("supplier without a number: %v", p)
		}
		r = e.getOCDS("/api/contracts/3/ocds")["releases"].([]any)[0].(map[string]any)
		k = r["contracts"].([]any)[0].(map[string]any)
		if got := strings.Join(toStrings(r["tag"]), ","); got != "award,contract,contractTermination" || k["status"] != "terminated" {
			t.Errorf("ended contract: tags %s, status %v", got, k["status"])
		}
	})

	t.Run("EveryContractInOnePackage", func(t *testing.T) {
		doc := e.getOCDS("/api/contracts/ocds")
		var ocids []string
		for _, rv := range doc["releases"].([]any) {
			ocids = append(ocids, rv.(map[string]any)["ocid"].(string))
		}
		if len(ocids) != 3 || !strings.Contains(strings.Join(ocids, " "), "ocds-demo01-3") {
			t.Errorf("package ocids %v, want all three contracts", ocids)
		}
		if !strings.HasSuffix(doc["uri"].(string), "/api/contracts/ocds") {
			t.Errorf("package uri %v", doc["uri"])
		}
	})

	t.Run("SchemaCatchesBreaks", func(t *testing.T) {
		_, body := e.get(e.anon, "/api/contracts/1/ocds")
		for _, tc := range []struct{ from, to, says string }{
			{`"initiationType": "tender"`, `"initiationType": "direct"`, "initiationType"},
			{`"tag": [`, `"tag": ["signed", `, "tag"},
			{`"status": "active",` + "\n" + `          "period"`, `"status": "running",` + "\n" + `          "period"`, "status"},
			{`"uri": "http`, `"uri": "not a uri`, "uri"},
			{`"publishedDate": "`, `"publishedDate": "yesterday`, "publishedDate"},
		} {
			broken := strings.Replace(body, tc.from, tc.to, 1)
			if broken == body {
				t.Fatalf("test could not break %s: %q not found", tc.says, tc.from)
			}
			err := validateOCDS(t, []byte(broken))
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("schema did not catch a bad %s: %v", tc.says, err)
			}
		}
	})

	if res, _ := e.get(e.anon, "/api/contracts/7/ocds"); res.StatusCode != 404 {
		t.Errorf("unknown contract: got %d, want 404", res.StatusCode)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestOCDS_DocumentsAndTransactions: a contract's published documents and
// the payments matched to it are in its release (documents, and
// implementation transactions, a refund negative), tagged implementation,
// and the package still validates against the real schemas.
func TestOCDS_DocumentsAndTransactions(t *testing.T) {
	e := newEnv(t)
	waste := e.addContract(wasteContract())
	res, _ := e.uploadDocument(e.admin, waste.ID, url.Values{"kind": {"contract"}, "title": {"The contract"}, "dated": {"2024-03-01"},
		"redacted": {"yes"}, "reason": {"Commercial interests (section 43)"}}, "contract.pdf", testPDF)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("document: %d", res.StatusCode)
	}
	res, _ = e.uploadSpending(e.admin, "january.csv", []byte(januarySpend))
	e.post(e.admin, res.Header.Get("Location")+"/save", url.Values{})

	for _, path := range []string{fmt.Sprintf("/api/contracts/%d/ocds", waste.ID), "/api/contracts/ocds"} {
		doc := e.getOCDS(path)
		r := doc["releases"].([]any)[0].(map[string]any)
		k := r["contracts"].([]any)[0].(map[string]any)
		docs, _ := k["documents"].([]any)
		if len(docs) != 1 {
			t.Fatalf("%s: %d documents, want 1", path, len(docs))
		}
		d := docs[0].(map[string]any)
		if d["documentType"] != "contractSigned" || d["format"] != "application/pdf" || d["description"] != "Redacted: Commercial interests (section 43)" ||
			!strings.HasPrefix(d["url"].(string), testBase+"/contracts/") {
			t.Errorf("%s: document %v", path, d)
		}
		txs, _ := k["implementation"].(map[string]any)["transactions"].([]any)
		var amounts []string
		for _, tx := range txs {
			m := tx.(map[string]any)
			amounts = append(amounts, fmt.Sprint(m["value"].(map[string]any)["amount"]))
			if m["payee"].(map[string]any)["name"] != "CleanCo Services Ltd" || m["payer"].(map[string]any)["name"] != "Demo Borough Council" {
				t.Errorf("%s: transaction %v", path, m)
			}
		}
		if strings.Join(amounts, " ") != "12400.00 -250.50" {
			t.Errorf("%s: transaction amounts %q, want the two CleanCo payments, the refund negative", path, amounts)
		}
		if !slices.Contains(toStrings(r["tag"]), "implementation") {
			t.Errorf("%s: tags %v lack implementation", path, r["tag"])
		}
	}
}
