package db_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

var samplePDF = []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")

// TestDocumentStore: a document is saved with its bytes, listed without
// them, refused whole when invalid, and removed with its reason audited.
func TestDocumentStore(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	c := newContract("Waste collection")
	if err := db.NewContractStore(d).CreateContract(ctx, c, officer); err != nil {
		t.Fatal(err)
	}
	s := db.NewDocumentStore(d)
	doc := &ballot.Document{ContractID: c.ID, Kind: ballot.DocContract, Title: "Waste collection contract", Dated: day(2024, 3, 1),
		Redacted: true, Reason: "Commercial interests (Freedom of Information Act 2000, section 43)",
		Filename: "contract.pdf", ContentType: ballot.SniffDocument("contract.pdf", samplePDF), Data: samplePDF}
	if err := s.AddDocument(ctx, doc, 1<<20, officer); err != nil {
		t.Fatal(err)
	}
	bad := &ballot.Document{ContractID: c.ID, Kind: ballot.DocContract, Title: "", Dated: day(2024, 3, 1), Filename: "x.pdf",
		ContentType: "", Data: []byte("not a pdf")}
	var ve *ballot.ValidationError
	if err := s.AddDocument(ctx, bad, 1<<20, officer); !errors.As(err, &ve) || ve.Fields["title"] == "" || ve.Fields["file"] != "The file must be a PDF" {
		t.Errorf("invalid document: %v", err)
	}
	missing := *doc
	if err := s.AddDocument(ctx, &missing, 1<<20, officer); err != nil {
		t.Fatal(err)
	}
	missing.ContractID = 999
	if err := s.AddDocument(ctx, &missing, 1<<20, officer); !errors.Is(err, ballot.ErrNotFound) {
		t.Errorf("document for no contract: %v", err)
	}
	docs, err := s.Documents(ctx, c.ID)
	if err != nil || len(docs) != 2 || docs[0].Data != nil || docs[0].Size != int64(len(samplePDF)) || !docs[0].Redacted {
		t.Fatalf("documents %+v, %v", docs, err)
	}
	got, err := s.Document(ctx, c.ID, doc.ID)
	if err != nil || string(got.Data) != string(samplePDF) || got.ContentType != ballot.TypePDF {
		t.Fatalf("document %+v, %v", got, err)
	}
	if _, err := s.Document(ctx, c.ID+1, doc.ID); !errors.Is(err, ballot.ErrNotFound) {
		t.Errorf("a document read through another contract: %v", err)
	}
	if err := s.RemoveDocument(ctx, c.ID, doc.ID, "Published the unredacted copy by mistake", officer); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Document(ctx, c.ID, doc.ID); !errors.Is(err, ballot.ErrNotFound) {
		t.Errorf("removed document still served: %v", err)
	}
	acts := auditActions(t, d)
	if !slices.Contains(acts, "document.add contract:1") || !slices.Contains(acts, "document.remove contract:1") {
		t.Errorf("audit %q", acts)
	}
}
