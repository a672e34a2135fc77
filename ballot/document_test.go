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
		{"no file", func(d *Document) { d.Data = nil }, "file", "Select a file"},
		{"too big", func(d *Document) { d.Data = make([]byte, 2<<20) }, "file", "The selected file must be smaller than 1 MB"},
		{"not a pdf", func(d *Document) { d.ContentType = "" }, "file", "The selected file must be a PDF"},
		{"spreadsheet contract", func(d *Document) { d.ContentType = TypeXLSX }, "file", "The selected file must be a PDF"},
		{"accounts not a spreadsheet", func(d *Document) { d.Kind, d.ContentType = DocOpenBook, "" }, "file", "a spreadsheet (XLSX or ODS) or a CSV"},
		{"answer without its request", func(d *Document) { d.Kind = DocAnswer }, "kind", "Select what the document is"},
		{"contract kind on a request", func(d *Document) { d.RequestID = 4 }, "kind", "Select what the document is"},
		{"answer not a file we read", func(d *Document) { d.Kind, d.RequestID, d.ContentType = DocAnswer, 4, "" }, "file", "a spreadsheet (XLSX or ODS) or a CSV"},
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
	answer := ok()
	answer.Kind, answer.RequestID, answer.ContentType = DocAnswer, 4, TypeCSV
	if err := answer.Validate(1 << 20); err != nil {
		t.Errorf("a CSV released with an answer: %v", err)
	}
}

func TestAnswerAndContractDocuments(t *testing.T) {
	docs := []*Document{{ID: 1}, {ID: 2, RequestID: 7}, {ID: 3, RequestID: 8}, {ID: 4}}
	ids := func(ds []*Document) (out []int64) {
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	if got := ids(AnswerDocuments(docs, 7)); len(got) != 1 || got[0] != 2 {
		t.Errorf("AnswerDocuments(7) = %v, want [2]", got)
	}
	if got := ids(AnswerDocuments(docs, 0)); len(got) != 0 {
		t.Errorf("AnswerDocuments(0) = %v, want none", got)
	}
	if got := ids(ContractDocuments(docs)); len(got) != 2 || got[0] != 1 || got[1] != 4 {
		t.Errorf("ContractDocuments = %v, want [1 4]", got)
	}
}

func TestInfoRequest_CanReleaseDocuments(t *testing.T) {
	for state, want := range map[RequestState]error{RequestAnswered: nil, RequestAwaiting: ErrBadTransition,
		RequestRefused: ErrBadTransition, RequestModeration: ErrBadTransition, RequestUnconfirmed: ErrBadTransition} {
		if err := (&InfoRequest{State: state}).CanReleaseDocuments(); !errors.Is(err, want) && err != want {
			t.Errorf("%s: %v, want %v", state, err, want)
		}
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
