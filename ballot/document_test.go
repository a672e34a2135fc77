package ballot

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSniffDocument(t *testing.T) {
	pdf := []byte("%PDF-1.7\n...\n%%EOF\n")
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"contract.pdf", pdf, TypePDF},
		{"CONTRACT.PDF", pdf, TypePDF},
		{"renamed.txt", pdf, TypePDF},
		{"cut-short.pdf", []byte("%PDF-1.7\n..."), ""},
		{"fake.pdf", []byte("<html><script>alert(1)</script>"), ""},
		{"accounts.xlsx", []byte("PK\x03\x04rest"), TypeXLSX},
		{"accounts.ods", []byte("PK\x03\x04rest"), TypeODS},
		{"accounts.zip", []byte("PK\x03\x04rest"), ""},
		{"accounts.csv", []byte("year,cost\n2026,100\n"), TypeCSV},
		{"binary.csv", []byte("a\x00b"), ""},
		{"noext", []byte("year,cost"), ""},
	} {
		if got := SniffDocument(tc.name, tc.data); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestDocument_Validate(t *testing.T) {
	pdf := []byte("%PDF-1.7\n%%EOF")
	ok := func() *Document {
		return &Document{Kind: DocContract, Title: "The contract", Dated: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
			Data: pdf, ContentType: TypePDF}
	}
	if err := ok().Validate(1 << 20); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Document)
		field string
		msg   string
	}{
		{"kind", func(d *Document) { d.Kind = "poem" }, "kind", "Select what the document is"},
		{"title", func(d *Document) { d.Title = " " }, "title", "Enter the document's title"},
		{"date", func(d *Document) { d.Dated = time.Time{} }, "dated", "Enter the document's date"},
		{"reason", func(d *Document) { d.Redacted = true }, "reason", "Enter why parts of the document are withheld"},
		{"no file", func(d *Document) { d.Data = nil }, "file", "Choose the file to upload"},
		{"too big", func(d *Document) { d.Data = make([]byte, 2<<20) }, "file", "The file must be smaller than 1 MB"},
		{"not a pdf", func(d *Document) { d.ContentType = "" }, "file", "The file must be a PDF"},
		{"spreadsheet contract", func(d *Document) { d.ContentType = TypeXLSX }, "file", "The file must be a PDF"},
		{"accounts not a spreadsheet", func(d *Document) { d.Kind, d.ContentType = DocOpenBook, "" }, "file", "a spreadsheet (XLSX or ODS) or a CSV"},
	} {
		d := ok()
		tc.edit(d)
		var ve *ValidationError
		if err := d.Validate(1 << 20); !errors.As(err, &ve) || !strings.Contains(ve.Fields[tc.field], tc.msg) {
			t.Errorf("%s: %v, want %s: %q", tc.name, err, tc.field, tc.msg)
		}
	}
	accounts := ok()
	accounts.Kind, accounts.ContentType = DocOpenBook, TypeXLSX
	if err := accounts.Validate(1 << 20); err != nil {
		t.Errorf("open-book accounts as a spreadsheet: %v", err)
	}
}

func TestContractUnpublished(t *testing.T) {
	big := &Contract{ValuePence: PublicationThresholdPence + 1}
	if !ContractUnpublished(big, nil) || !ContractUnpublished(big, []*Document{{Kind: DocSummary}}) {
		t.Errorf("a contract over £5m with no published contract is not flagged")
	}
	if ContractUnpublished(big, []*Document{{Kind: DocSummary}, {Kind: DocContract, Redacted: true}}) {
		t.Errorf("a redacted contract counts as published")
	}
	if ContractUnpublished(&Contract{ValuePence: PublicationThresholdPence}, nil) {
		t.Errorf("a contract of exactly £5m is flagged")
	}
}
