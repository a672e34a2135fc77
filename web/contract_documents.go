package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// Contract documents: admins attach the contract, its summary, variations
// and open-book accounts; anyone can download them from the contract page.
// What a document must be is ballot's (Document.Validate, SniffDocument);
// this file reads the upload and serves the bytes.

// uploadLimit is the most a document may weigh.
func (s *Server) uploadLimit() int64 {
	if s.cfg.UploadLimit > 0 {
		return s.cfg.UploadLimit
	}
	return ballot.DefaultUploadLimit
}

// bodyLimit is the most a request may send: documents and spending files
// are allowed more than the 1 MB every form fits in.
func (s *Server) bodyLimit(r *http.Request) int64 {
	if r.Method != http.MethodPost {
		return maxBody
	}
	switch {
	case r.URL.Path == "/admin/spending":
		return ballot.MaxSpendFile + maxBody
	case (strings.HasPrefix(r.URL.Path, "/admin/contracts/") || strings.HasPrefix(r.URL.Path, "/admin/requests/")) &&
		strings.HasSuffix(r.URL.Path, "/documents"):
		// The form's other fields ride along with the file.
		return s.uploadLimit() + maxBody
	}
	return maxBody
}

// documentsView is the admin page of a contract's documents.
type documentsView struct {
	C    *ballot.Contract
	Docs []*ballot.Document
	// Limit is the upload limit, for the hint.
	Limit string
}

// documentKindChoices are the kinds as radio choices.
func documentKindChoices() []choice {
	out := make([]choice, len(ballot.DocumentKinds))
	for i, k := range ballot.DocumentKinds {
		out[i] = choice{k.Code, k.Label}
	}
	return out
}

// redactionChoices offer full publication or redaction.
var redactionChoices = []choice{{"no", "Published in full"}, {"yes", "Redacted: some parts are withheld"}}

func (s *Server) docContract(w http.ResponseWriter, r *http.Request) (*ballot.Contract, bool) {
	return loadByPath(s, w, r, "id", s.cfg.Stores.Contracts.Contract)
}

func (s *Server) adminDocuments(w http.ResponseWriter, r *http.Request) {
	c, ok := s.docContract(w, r)
	if ok {
		s.renderDocuments(w, r, c, http.StatusOK, url.Values{"redacted": {"no"}}, nil)
	}
}

var documentOrder = []string{"kind", "title", "dated", "redacted", "reason", "file"}

func (s *Server) renderDocuments(w http.ResponseWriter, r *http.Request, c *ballot.Contract, status int, form url.Values, fields map[string]string) {
	docs, err := s.cfg.Stores.Documents.Documents(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &page{Title: "Documents: " + c.Title, Form: form,
		Data: &documentsView{C: c, Docs: docs, Limit: s.uploadLimitText()}}
	if fields != nil {
		p.setErrors(fields, documentOrder)
	}
	s.render(w, r, status, "admin_documents", p)
}

// formatSize writes bytes as megabytes with one decimal.
func formatSize(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

// uploadLimitText is the upload limit for messages: "20 MB".
func (s *Server) uploadLimitText() string {
	return strings.TrimSuffix(formatSize(s.uploadLimit()), ".0 MB") + " MB"
}

// readDocument fills d from a multipart upload: the fields the officer
// typed and the file, its type found from its bytes. It returns the field
// errors of an upload the domain refuses (status 422, or 413 for one over
// the limit), or err for a form that could not be read. The form's fields
// stay in r.PostForm; its files are removed.
func (s *Server) readDocument(r *http.Request, d *ballot.Document) (fields map[string]string, status int, err error) {
	err = r.ParseMultipartForm(1 << 20)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return map[string]string{"file": "The selected file must be smaller than " + s.uploadLimitText()}, http.StatusRequestEntityTooLarge, nil
		}
		return nil, 0, err
	}
	f := newFormReader(r.PostForm)
	if d.Kind == "" {
		d.Kind = f.text("kind")
	}
	d.Title, d.Reason = f.text("title"), f.text("reason")
	d.Dated = f.date("dated", "2006-01-02", time.UTC, "Enter the document's date as year-month-day, like 2024-03-01")
	d.Redacted = f.yesNo("redacted", "Select whether the document is published in full or redacted")
	if !d.Redacted {
		d.Reason = ""
	}
	if file, hdr, err := r.FormFile("file"); err == nil {
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, s.uploadLimit()+1))
		if err != nil {
			return nil, 0, err
		}
		d.Data, d.Filename = data, safeFilename(hdr.Filename)
		d.ContentType = ballot.SniffDocument(d.Filename, data)
	}
	fields = f.result(d.Validate(s.uploadLimit()))
	if fields == nil {
		fields = s.contractStoreFields(s.cfg.Stores.Documents.AddDocument(r.Context(), d, s.uploadLimit(), s.actor(r)))
	}
	if fields == nil {
		return nil, 0, nil
	}
	// A file input cannot be filled in again: say so beside it.
	if _, bad := fields["file"]; !bad && len(d.Data) > 0 {
		fields["file"] = "Choose the file again: a browser does not keep it when the form is shown again"
	}
	return fields, http.StatusUnprocessableEntity, nil
}

// adminAddDocument reads the upload; the domain decides whether it may be
// published, and a refusal saves nothing and keeps what was typed.
func (s *Server) adminAddDocument(w http.ResponseWriter, r *http.Request) {
	c, ok := s.docContract(w, r)
	if !ok {
		return
	}
	d := &ballot.Document{ContractID: c.ID}
	fields, status, err := s.readDocument(r, d)
	switch {
	case err != nil:
		s.badForm(w, r, err)
	case status == http.StatusRequestEntityTooLarge:
		s.renderDocuments(w, r, c, status, url.Values{"redacted": {"no"}}, fields)
	case fields != nil:
		s.renderDocuments(w, r, c, status, r.PostForm, fields)
	default:
		s.flash(r, fmt.Sprintf("%q is published on the contract's page.", d.Title))
		http.Redirect(w, r, fmt.Sprintf("/admin/contracts/%d/documents", c.ID), http.StatusSeeOther)
	}
}

// safeFilename keeps a file's base name, with only characters safe in a
// Content-Disposition header.
func safeFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	if out := strings.Trim(b.String(), "."); out != "" {
		return out
	}
	return "document"
}

func (s *Server) documentFromPath(w http.ResponseWriter, r *http.Request) (*ballot.Document, bool) {
	return loadByPath(s, w, r, "doc", func(ctx context.Context, id int64) (*ballot.Document, error) {
		return s.pathDocument(r, id)
	})
}

// pathDocument loads document id of the contract the path names.
func (s *Server) pathDocument(r *http.Request, id int64) (*ballot.Document, error) {
	cid, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.cfg.Stores.Documents.Document(r.Context(), cid, id)
}

// documentFile serves a document's bytes as what OurSay found them to be,
// never sniffed by the browser, named for saving.
func (s *Server) documentFile(w http.ResponseWriter, r *http.Request) {
	d, ok := s.documentFromPath(w, r)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	disposition := "attachment"
	if d.ContentType == ballot.TypePDF {
		disposition = "inline"
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": d.Filename}))
	// A PDF is shown by the browser's own viewer: nothing in it may run
	// as this site.
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; object-src 'none'")
	h.Set("Content-Length", strconv.Itoa(len(d.Data)))
	h.Set("Cache-Control", "public, max-age=300")
	w.Write(d.Data)
}

// adminRemoveDocument withdraws a document, with the reason audited.
func (s *Server) adminRemoveDocument(w http.ResponseWriter, r *http.Request) {
	d, ok := s.documentFromPath(w, r)
	if !ok {
		return
	}
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	if reason == "" {
		c, ok := s.docContract(w, r)
		if ok {
			s.renderDocuments(w, r, c, http.StatusUnprocessableEntity, url.Values{"redacted": {"no"}},
				map[string]string{fmt.Sprintf("remove-%d", d.ID): "Enter why the document is being removed"})
		}
		return
	}
	if err := s.cfg.Stores.Documents.RemoveDocument(r.Context(), d.ContractID, d.ID, reason, s.actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("%q is removed from the contract's page.", d.Title))
	http.Redirect(w, r, fmt.Sprintf("/admin/contracts/%d/documents", d.ContractID), http.StatusSeeOther)
}

// describeRemoveDocument is the confirmation before a document comes off
// the public page.
func (s *Server) describeRemoveDocument(r *http.Request) (*confirmation, error) {
	id, err := pathID(r, "doc")
	if err != nil {
		return nil, err
	}
	d, err := s.pathDocument(r, id)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	if reason == "" {
		return nil, nil // refused by the handler, with a field message
	}
	return &confirmation{
		Caption: ballot.KindLabel(d.Kind) + ": " + d.Title, Heading: "Remove this document from the contract's page?",
		Warning: "Removing cannot be undone: the file is deleted. Upload it again to publish it again.",
		Happens: []string{
			"The document is no longer listed on the contract's page, in its JSON or in its open data, and its link stops working.",
			"The audit log records that it was removed, by whom and why.",
		},
		Shown:  []shownField{{"File", d.Filename}, {"Reason", reason}},
		Told:   noMail,
		Button: "Yes, remove it", Danger: true, Back: fmt.Sprintf("/admin/contracts/%d/documents", d.ContractID),
	}, nil
}

// documentJSON is a published document in a contract's JSON.
type documentJSON struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Dated       string `json:"dated"`
	Redacted    bool   `json:"redacted"`
	Reason      string `json:"redaction_reason,omitempty"`
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	// RequestURL is the information request whose answer released it.
	RequestURL string `json:"request_url,omitempty"`
}

func documentsToJSON(docs []*ballot.Document, base string) []documentJSON {
	out := make([]documentJSON, 0, len(docs))
	for _, d := range docs {
		j := documentJSON{ID: d.ID, Kind: d.Kind, Title: d.Title, Dated: isoDate(d.Dated), Redacted: d.Redacted,
			Reason: d.Reason, URL: fmt.Sprintf("%s/contracts/%d/documents/%d", base, d.ContractID, d.ID), ContentType: d.ContentType, Size: d.Size}
		if d.RequestID != 0 {
			j.RequestURL = base + requestPath(d.RequestID)
		}
		out = append(out, j)
	}
	return out
}
