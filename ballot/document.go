package ballot

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oursay/oursay/consult"
)

// Contract documents: the contract itself, its summary, variations and the
// provider's open-book accounts, each published in full or redacted with a
// stated reason. The files are kept in the database (one file to back up).

// DocumentKind is what a document is.
type DocumentKind struct {
	Code, Label string
}

// Document kinds, in the order an officer meets them.
const (
	DocContract  = "contract"
	DocSummary   = "summary"
	DocVariation = "variation"
	DocOpenBook  = "open-book"
)

// DocumentKinds lists the kinds with their labels.
var DocumentKinds = []DocumentKind{
	{DocContract, "The contract"},
	{DocSummary, "Contract summary"},
	{DocVariation, "Contract variation"},
	{DocOpenBook, "Open-book accounts"},
}

// DocAnswer is a document released with the answer to an information
// request about the contract. It is not one of DocumentKinds, which the
// contract's own documents choose from: it is attached from the request.
const DocAnswer = "answer"

// KindLabel names a document kind, or "" for an unknown one.
func KindLabel(code string) string {
	if code == DocAnswer {
		return "Released with an answer to an information request"
	}
	for _, k := range DocumentKinds {
		if k.Code == code {
			return k.Label
		}
	}
	return ""
}

// Document is one file attached to a contract.
type Document struct {
	ID         int64
	ContractID int64
	Kind       string
	Title      string
	// Dated is the document's own date (signed, varied, or the accounts'
	// period end).
	Dated time.Time
	// Redacted is true when parts are withheld; Reason then says why, such
	// as "Commercial interests (Freedom of Information Act 2000, section 43)".
	Redacted bool
	Reason   string
	Filename string
	// ContentType is what OurSay found the file to be, never what the
	// browser said it was.
	ContentType string
	Size        int64
	Data        []byte
	CreatedAt   time.Time
	CreatedBy   string
	// RequestID is the information request whose answer released it, or
	// 0 for the contract's own documents.
	RequestID int64
}

// AnswerDocuments are the documents released with request id's answer.
func AnswerDocuments(docs []*Document, id int64) []*Document {
	var out []*Document
	for _, d := range docs {
		if d.RequestID == id && id != 0 {
			out = append(out, d)
		}
	}
	return out
}

// ContractDocuments are the contract's own documents, without those
// released with answers.
func ContractDocuments(docs []*Document) []*Document {
	var out []*Document
	for _, d := range docs {
		if d.RequestID == 0 {
			out = append(out, d)
		}
	}
	return out
}

// DefaultUploadLimit bounds a document unless the council sets its own.
const DefaultUploadLimit = 20 << 20

// PublicationThresholdPence is the value above which the Procurement Act
// 2023 (section 94) requires the council to publish the contract itself.
const PublicationThresholdPence = 5_000_000_00

// Document file types OurSay accepts, by what their bytes say they are.
const (
	TypePDF  = "application/pdf"
	TypeCSV  = "text/csv; charset=utf-8"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypeODS  = "application/vnd.oasis.opendocument.spreadsheet"
)

// SniffDocument says what a file is from its bytes and name: a PDF (it
// starts with %PDF- and has an end-of-file marker), or, for open-book
// accounts, a spreadsheet (XLSX or ODS, which are zip files) or a UTF-8
// CSV. It returns "" for anything else.
func SniffDocument(name string, data []byte) string {
	ext := strings.ToLower(name[strings.LastIndex(name, ".")+1:])
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")) && bytes.Contains(data[max(0, len(data)-1024):], []byte("%%EOF")):
		return TypePDF
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) && ext == "xlsx":
		return TypeXLSX
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) && ext == "ods":
		return TypeODS
	case ext == "csv" && len(data) > 0 && utf8.Valid(data) && !bytes.ContainsRune(data, 0):
		return TypeCSV
	}
	return ""
}

// Validate checks what the officer typed and the file, against limit
// bytes. A contract, summary or variation must be a PDF.
func (d *Document) Validate(limit int64) error {
	ve := &consult.ValidationError{}
	// Any file type a contract document may be, an answer may carry too.
	loose := d.Kind == DocOpenBook || d.Kind == DocAnswer
	if KindLabel(d.Kind) == "" || (d.Kind == DocAnswer) != (d.RequestID != 0) {
		ve.Add("kind", "Select what the document is")
	}
	ve.Text("title", "Title", d.Title, "Enter the document's title", 200)
	if d.Dated.IsZero() {
		ve.Add("dated", "Enter the document's date")
	}
	if d.Redacted {
		ve.Text("reason", "Reason for redaction", d.Reason, "Enter why parts of the document are withheld, such as the exemption that applies", 1000)
	}
	switch {
	case len(d.Data) == 0:
		ve.Add("file", "Select a file")
	case int64(len(d.Data)) > limit:
		ve.Add("file", fmt.Sprintf("The selected file must be smaller than %s", sizeText(limit)))
	case d.ContentType == "":
		if loose {
			ve.Add("file", "The selected file must be a PDF, a spreadsheet (XLSX or ODS) or a CSV file")
		} else {
			ve.Add("file", "The selected file must be a PDF")
		}
	case d.ContentType != TypePDF && !loose:
		ve.Add("file", "The selected file must be a PDF")
	}
	return ve.Err()
}

// sizeText writes a byte count as people read it: "20 MB", "512 KB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// SizeText is the file's size as people read it.
func (d *Document) SizeText() string {
	if d.Size < 1<<20 {
		return fmt.Sprintf("%d KB", max(1, (d.Size+1023)>>10))
	}
	return fmt.Sprintf("%.1f MB", float64(d.Size)/(1<<20))
}

// TypeText names the file type for people.
func (d *Document) TypeText() string {
	switch d.ContentType {
	case TypePDF:
		return "PDF"
	case TypeXLSX:
		return "Excel spreadsheet"
	case TypeODS:
		return "OpenDocument spreadsheet"
	case TypeCSV:
		return "CSV"
	}
	return "file"
}

// ContractUnpublished reports whether a contract over the publication
// threshold has no published copy of the contract itself among docs.
func ContractUnpublished(c *Contract, docs []*Document) bool {
	if c.ValuePence <= PublicationThresholdPence {
		return false
	}
	for _, d := range docs {
		if d.Kind == DocContract {
			return false
		}
	}
	return true
}

// DocumentStore keeps contract documents.
type DocumentStore interface {
	// AddDocument saves d (validated against limit) and sets its ID. It
	// returns ErrNotFound for an unknown contract or a *ValidationError.
	AddDocument(ctx context.Context, d *Document, limit int64, actor string) error
	// Documents lists a contract's documents by date, without their bytes.
	Documents(ctx context.Context, contractID int64) ([]*Document, error)
	// Document returns one document with its bytes, or ErrNotFound.
	Document(ctx context.Context, contractID, id int64) (*Document, error)
	// RemoveDocument withdraws a document published by mistake, saying
	// why in the audit log. It returns ErrNotFound.
	RemoveDocument(ctx context.Context, contractID, id int64, reason, actor string) error
}
