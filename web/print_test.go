package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/oursay/oursay/web/paper/papertest"
)

// getPDF fetches a PDF, checks it is one, and returns its bytes.
func (e *testEnv) getPDF(c *http.Client, path string) []byte {
	e.t.Helper()
	res, body := e.get(c, path)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
		e.t.Fatalf("GET %s: got %d %s %.40q", path, res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	return []byte(body)
}

func TestPoster_Consultation(t *testing.T) {
	e := newEnv(t)
	e.openConsultation("parks")
	t.Run("HTML", func(t *testing.T) {
		res, body := e.get(e.anon, "/consultations/parks/poster")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("got %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		for _, want := range []string{`<html lang="en-GB"`, "<h1", "Parks parks", "About the parks", "oursay.test/c/1",
			`src="/consultations/parks/qr.svg`, `alt="QR code`, "Open now", `href="/consultations/parks/poster.pdf"`, "/static/print/poster.css", "Demo Borough Council. No internet? Phone 01632 960 002"} {
			if !strings.Contains(body, want) {
				t.Errorf("poster has no %q", want)
			}
		}
		if strings.Contains(body, "<script") {
			t.Errorf("poster has a script")
		}
		_, css := e.get(e.anon, "/static/print/poster.css")
		if !strings.Contains(css, "size: A4") || !strings.Contains(css, "@media print") {
			t.Errorf("poster CSS has no A4 print rules")
		}
	})
	t.Run("Links", func(t *testing.T) {
		if _, body := e.get(e.anon, "/consultations/parks"); !strings.Contains(body, `href="/consultations/parks/poster"`) {
			t.Errorf("the public page does not link to its poster")
		}
		_, body := e.get(e.mod, "/admin/consultations/parks")
		for _, want := range []string{`action="/admin/consultations/parks/paper-forms.pdf"`, `href="/consultations/parks/poster.pdf"`, `href="/consultations/parks/qr.svg"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the staff page has no %s", want)
			}
		}
	})
	t.Run("PDF", func(t *testing.T) {
		pdf := e.getPDF(e.anon, "/consultations/parks/poster.pdf")
		if n := papertest.PageCount(pdf); n != 1 {
			t.Errorf("pages: got %d, want 1", n)
		}
		content := papertest.Content(t, pdf)
		for _, want := range []string{"Parks parks", "oursay.test/c/1", "Open now", "Demo Borough Council. No internet? Phone"} {
			if papertest.Drawn(content, want) == 0 {
				t.Errorf("poster PDF does not draw %q", want)
			}
		}
		if !bytes.Contains(pdf, []byte("/Subtype /Image")) {
			t.Errorf("poster PDF has no image (the QR code)")
		}
		res, _ := e.get(e.anon, "/consultations/parks/poster.pdf")
		etag := res.Header.Get("ETag")
		res, _ = e.do(e.anon, http.MethodGet, "/consultations/parks/poster.pdf", "", nil, "If-None-Match", etag)
		if etag == "" || res.StatusCode != http.StatusNotModified {
			t.Errorf("revalidate with ETag %q: got %d, want 304", etag, res.StatusCode)
		}
	})
}

func TestPaperForms(t *testing.T) {
	e := newEnv(t)
	e.openConsultation("parks")
	const path = "/admin/consultations/parks/paper-forms.pdf"
	t.Run("OK", func(t *testing.T) {
		pdf := e.getPDF(e.mod, path+"?from=5&count=3")
		if n := papertest.PageCount(pdf); n != 3 {
			t.Errorf("pages: got %d, want 3", n)
		}
		content := papertest.Content(t, pdf)
		for n := 4; n <= 8; n++ {
			serial := fmt.Sprintf("PARKS-%06d", n)
			got, want := papertest.Drawn(content, serial), 0
			if n >= 5 && n <= 7 {
				want = 2 // in the header and the footer of its page
			}
			if got != want {
				t.Errorf("%s drawn %d times, want %d", serial, got, want)
			}
		}
		for _, want := range []string{"Who should run it?", "Strongly agree", "Email address", "Demo Borough Council paper response form"} {
			if papertest.Drawn(content, want) == 0 {
				t.Errorf("form does not draw %q", want)
			}
		}
	})
	t.Run("Default", func(t *testing.T) {
		if n := papertest.PageCount(e.getPDF(e.admin, path)); n != 20 {
			t.Errorf("pages: got %d, want 20", n)
		}
	})
	t.Run("Anonymous", func(t *testing.T) {
		res, _ := e.get(e.anon, path)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/signin") {
			t.Errorf("got %d to %q, want 303 to sign in", res.StatusCode, res.Header.Get("Location"))
		}
	})
	t.Run("BadQuery", func(t *testing.T) {
		checkBadBatch(t, e, path)
	})
	t.Run("Draft", func(t *testing.T) {
		e.store.CreateConsultation(t.Context(), draftConsultation("draft"), "test")
		if res, body := e.get(e.admin, "/admin/consultations/draft/paper-forms.pdf"); res.StatusCode != http.StatusConflict || !strings.Contains(body, "Open the consultation") {
			t.Errorf("got %d, want 409", res.StatusCode)
		}
		if res, _ := e.get(e.admin, "/admin/consultations/none/paper-forms.pdf"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown: got %d, want 404", res.StatusCode)
		}
	})
}

// checkBadBatch: out-of-bounds print runs are refused at once, saying why.
func checkBadBatch(t *testing.T, e *testEnv, path string) {
	t.Helper()
	for q, want := range map[string]string{
		"count=-1": "count must be", "count=0": "count must be", "count=100000": "count must be", "count=501": "count must be",
		"count=ten": "count must be", "from=0": "from must be", "from=-3": "from must be", "from=x": "from must be",
		"from=999999&count=2": "past number 999999",
	} {
		res, body := e.get(e.admin, path+"?"+q)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("%s: got %d %q, want 400 with %q", q, res.StatusCode, body, want)
		}
	}
}

func TestSignatureSheets(t *testing.T) {
	e := newPetitionEnv(t, 10)
	id := e.startPetition("live")
	path := fmt.Sprintf("/admin/petitions/%d/sheets.pdf", id)
	pdf := e.getPDF(e.mod, path+"?from=7&count=2")
	if n := papertest.PageCount(pdf); n != 2 {
		t.Errorf("pages: got %d, want 2", n)
	}
	content := papertest.Content(t, pdf)
	for _, want := range []string{"Sheet 7", "Sheet 8", "Full name", "Postcode", "I live in the", "20", "Demo Borough Council uses your name"} {
		if papertest.Drawn(content, want) == 0 {
			t.Errorf("sheets do not draw %q", want)
		}
	}
	if papertest.Drawn(content, "Sheet 9") != 0 || papertest.Drawn(content, "Sheet 6") != 0 {
		t.Errorf("sheets outside 7–8 drawn")
	}
	if res, _ := e.get(e.anon, path); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous: got %d, want 303", res.StatusCode)
	}
	if _, body := e.get(e.mod, fmt.Sprintf("/admin/petitions/%d", id)); !strings.Contains(body, `action="`+path+`"`) {
		t.Errorf("the staff page does not offer the sheets")
	}
	if _, body := e.get(e.anon, fmt.Sprintf("/petitions/%d", id)); !strings.Contains(body, fmt.Sprintf(`href="/petitions/%d/poster"`, id)) {
		t.Errorf("the public page does not link to its poster")
	}
	checkBadBatch(t, e.testEnv, path)
	if res, _ := e.get(e.admin, "/admin/petitions/999/sheets.pdf"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown petition: got %d, want 404", res.StatusCode)
	}
}

// TestPaperSerial_Entry: staff type in a paper form by the serial printed
// on it; each counts once however it is typed, and a form printed for
// another consultation is refused.
func TestPaperSerial_Entry(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("parks")
	e.openConsultation("libraries")
	enter := func(serial string) (*http.Response, string) {
		f := validForm(c)
		f.Set("paper_serial", serial)
		return e.postBody(e.mod, "/admin/consultations/parks/paper", f)
	}
	if res, _ := enter(" parks-7 "); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first entry: got %d, want 303", res.StatusCode)
	}
	for _, tc := range []struct{ serial, want string }{
		{"PARKS-000007", "already been entered"},
		{"LIBRARIES-000001", "from another consultation"},
		{"12345", "such as PARKS-000123"},
		{"PARKS-1234567", "such as PARKS-000123"},
		{"PARKS-0", "such as PARKS-000123"},
	} {
		res, body := enter(tc.serial)
		if res.StatusCode < 400 || !strings.Contains(body, tc.want) {
			t.Errorf("%q: got %d, want a refusal saying %q", tc.serial, res.StatusCode, tc.want)
		}
	}
	if n := e.responseCount("parks"); n != 1 {
		t.Errorf("responses: got %d, want 1", n)
	}
	_, csv := e.get(e.admin, "/admin/consultations/parks/responses.csv")
	if !strings.Contains(csv, "paper,PARKS-000007") {
		t.Errorf("CSV does not list the paper response under its printed serial:\n%s", csv)
	}
}
