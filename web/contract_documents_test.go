package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oursay/oursay/web"
)

var testPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// uploadDocument posts the documents form with a file.
func (e *testEnv) uploadDocument(c *http.Client, contract int64, fields url.Values, name string, content []byte) (*http.Response, string) {
	e.t.Helper()
	return e.uploadFile(c, fmt.Sprintf("/admin/contracts/%d/documents", contract), fields, name, content)
}

// uploadFile posts a multipart form with fields and, unless name is "", a file.
func (e *testEnv) uploadFile(c *http.Client, path string, fields url.Values, name string, content []byte) (*http.Response, string) {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			must(e.t, mw.WriteField(k, v))
		}
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		must(e.t, err)
		_, err = fw.Write(content)
		must(e.t, err)
	}
	must(e.t, mw.Close())
	return e.do(c, http.MethodPost, path, mw.FormDataContentType(), &buf)
}

func (e *testEnv) documentCount() int {
	e.t.Helper()
	var n int
	must(e.t, e.db.Reader().QueryRow(`SELECT COUNT(*) FROM contract_documents`).Scan(&n))
	return n
}

// TestContractDocuments: an admin publishes a redacted contract; a file
// that is not a PDF, or a redaction with no reason, is refused with field
// messages and saves nothing; the file is served as a PDF that the browser
// may not sniff or script; a contract over GBP 5m is flagged until its
// contract is published; a removal asks first and is audited.
func TestContractDocuments(t *testing.T) {
	e := newEnv(t)
	e.addContract(wasteContract())
	leisure := e.addContract(leisureContract()) // £8m
	page := fmt.Sprintf("/contracts/%d", leisure.ID)
	if _, body := e.get(e.anon, page); !strings.Contains(body, `id="unpublished"`) {
		t.Errorf("a £8m contract with no published contract is not flagged")
	}
	good := url.Values{"kind": {"contract"}, "title": {"Leisure management contract"}, "dated": {"2025-04-01"},
		"redacted": {"yes"}, "reason": {"Commercial interests (Freedom of Information Act 2000, section 43)"}}

	for _, tc := range []struct {
		name    string
		edit    func(url.Values)
		file    string
		content []byte
		field   string
		msg     string
	}{
		{"not a PDF", nil, "contract.pdf", []byte("<html><script>alert(1)</script></html>"), "file", "The selected file must be a PDF"},
		{"no file", nil, "", nil, "file", "Select a file"},
		{"no reason", func(v url.Values) { v.Set("reason", "") }, "contract.pdf", testPDF, "reason", "Enter why parts of the document are withheld"},
		{"bad date", func(v url.Values) { v.Set("dated", "1 April") }, "contract.pdf", testPDF, "dated", "Enter the document's date as year-month-day"},
		{"no kind", func(v url.Values) { v.Del("kind") }, "contract.pdf", testPDF, "kind", "Select what the document is"},
	} {
		form := url.Values{}
		for k, v := range good {
			form[k] = append([]string(nil), v...)
		}
		if tc.edit != nil {
			tc.edit(form)
		}
		res, body := e.uploadDocument(e.admin, leisure.ID, form, tc.file, tc.content)
		if got := errorSummary(t, body)[tc.field]; res.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(got, tc.msg) {
			t.Errorf("%s: %d, %s says %q; want 422 and %q", tc.name, res.StatusCode, tc.field, got, tc.msg)
		}
		if e.documentCount() != 0 {
			t.Fatalf("%s: a refused document was saved", tc.name)
		}
	}

	res, _ := e.uploadDocument(e.admin, leisure.ID, good, "Leisure contract (signed).pdf", testPDF)
	if res.StatusCode != http.StatusSeeOther || e.documentCount() != 1 {
		t.Fatalf("publish: %d, %d documents", res.StatusCode, e.documentCount())
	}
	_, body := e.get(e.anon, page)
	if strings.Contains(body, `id="unpublished"`) || !strings.Contains(body, "Redacted: Commercial interests (Freedom of Information Act 2000, section 43)") {
		t.Errorf("contract page after publishing: flag still shown, or the redaction not explained")
	}
	var api struct {
		Documents []struct {
			URL, Kind, Title, Dated string
			Redacted                bool
		} `json:"documents"`
		PublicationRequired bool `json:"publication_required"`
	}
	_, js := e.get(e.anon, "/api"+page)
	must(t, json.Unmarshal([]byte(js), &api))
	if len(api.Documents) != 1 || api.PublicationRequired || api.Documents[0].Kind != "contract" || !api.Documents[0].Redacted || api.Documents[0].Dated != "2025-04-01" {
		t.Fatalf("JSON %+v", api)
	}
	file := strings.TrimPrefix(api.Documents[0].URL, testBase)
	res, got := e.get(e.anon, file)
	if res.StatusCode != http.StatusOK || got != string(testPDF) || res.Header.Get("Content-Type") != "application/pdf" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(res.Header.Get("Content-Security-Policy"), "sandbox") ||
		res.Header.Get("Content-Disposition") != `inline; filename=Leisure-contract-signed.pdf` {
		t.Errorf("file: %d %q %v", res.StatusCode, got[:min(20, len(got))], res.Header)
	}

	// Removing asks first, needs a reason, and is audited.
	remove := file + "/remove"
	remove = "/admin" + remove
	if res, body := e.postBody(e.admin, remove, url.Values{"reason": {""}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Enter why the document is being removed") {
		t.Errorf("remove with no reason: %d", res.StatusCode)
	}
	reason := url.Values{"reason": {"The unredacted copy was uploaded by mistake"}}
	if res, body := e.postBody(e.admin, remove, reason); res.StatusCode != http.StatusOK || !strings.Contains(body, "Remove this document from the contract") || e.documentCount() != 1 {
		t.Errorf("remove without confirming: %d, %d documents", res.StatusCode, e.documentCount())
	}
	reason.Set("confirm", "yes")
	if res := e.post(e.admin, remove, reason); res.StatusCode != http.StatusSeeOther || e.documentCount() != 0 {
		t.Errorf("remove: %d, %d documents", res.StatusCode, e.documentCount())
	}
	if res, _ := e.get(e.anon, file); res.StatusCode != http.StatusNotFound {
		t.Errorf("removed file: %d, want 404", res.StatusCode)
	}
	if a := e.auditActions(); !strings.Contains(a, "document.add admin@council.test") || !strings.Contains(a, "document.remove admin@council.test") {
		t.Errorf("audit %s", a)
	}
}

// TestContractDocuments_UploadLimit: the council's upload limit holds.
func TestContractDocuments_UploadLimit(t *testing.T) {
	e := newEnvWith(t, func(c *web.Config) { c.UploadLimit = 1 << 10 })
	c := e.addContract(wasteContract())
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 2<<10)...)
	big = append(big, "\n%%EOF\n"...)
	res, body := e.uploadDocument(e.admin, c.ID, url.Values{"kind": {"summary"}, "title": {"Summary"}, "dated": {"2025-04-01"}, "redacted": {"no"}}, "s.pdf", big)
	if got := errorSummary(t, body)["file"]; res.StatusCode != http.StatusUnprocessableEntity || got != "The selected file must be smaller than 1 KB" {
		t.Errorf("a 2 KB file over a 1 KB limit: %d %q", res.StatusCode, got)
	}
}
