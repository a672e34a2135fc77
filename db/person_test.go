package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

func TestPeople_FindAndExport(t *testing.T) {
	e := newRetentionEnv(t)
	ctx := context.Background()
	pp := db.NewPeople(e.d)
	pd, err := pp.FindPerson(ctx, consult.PersonRequest{Email: " Confirmed.Signer@Example.org ", Reason: "SAR 12"}, officer)
	if err != nil {
		t.Fatal(err)
	}
	if len(pd.Signatures) != 1 || !pd.Signatures[0].Open || pd.Signatures[0].Name != "Confirmed Signer" ||
		pd.Signatures[0].Status != "confirmed" || len(pd.Mail) == 0 || len(pd.Responses) != 0 || len(pd.Petitions) != 0 {
		t.Errorf("signer: %+v", pd)
	}
	pd, err = pp.ExportPerson(ctx, consult.PersonRequest{Email: "respondent2@example.net", Reason: "SAR 13"}, officer)
	if err != nil {
		t.Fatal(err)
	}
	if len(pd.Responses) != 1 || pd.Responses[0].Postcode != "AB1 2CD" || len(pd.Responses[0].Answers) < 2 || len(pd.Signatures) != 0 {
		t.Errorf("respondent: %+v", pd)
	}
	pd, err = pp.FindPerson(ctx, consult.PersonRequest{Email: "sam@example.org", Reason: "SAR 14"}, officer)
	if err != nil || len(pd.Petitions) != 1 || pd.Petitions[0].CampaignerName != "Sam Campaigner" {
		t.Errorf("campaigner: %+v, %v", pd, err)
	}
	pd, err = pp.FindPerson(ctx, consult.PersonRequest{Email: "nobody@example.org", Reason: "SAR 15"}, officer)
	if err != nil || !pd.Empty() {
		t.Errorf("nobody: %+v, %v", pd, err)
	}
	rows := dump(t, e.d.Reader(), `SELECT actor, action, subject, detail FROM audit_log WHERE action LIKE 'person.%' ORDER BY id`)
	if strings.Count(rows, "person.find") != 3 || strings.Count(rows, "person.export") != 1 || !strings.Contains(rows, "SAR 13") ||
		strings.Contains(rows, "example.net") || strings.Contains(rows, "signer@") {
		t.Errorf("audit:\n%s", rows)
	}
}

func TestPeople_Validate(t *testing.T) {
	e := newRetentionEnv(t)
	pp := db.NewPeople(e.d)
	before := e.count(`SELECT COUNT(*) FROM audit_log`)
	for _, tc := range []struct {
		q     consult.PersonRequest
		field string
	}{
		{consult.PersonRequest{Email: "", Reason: "SAR"}, "email"},
		{consult.PersonRequest{Email: "not an email", Reason: "SAR"}, "email"},
		{consult.PersonRequest{Email: signer, Reason: "  "}, "reason"},
		{consult.PersonRequest{Email: signer, Reason: "Request from " + strings.ToUpper(signer)}, "reason"},
		{consult.PersonRequest{Email: signer, Reason: strings.Repeat("x", consult.MaxPersonReason+1)}, "reason"},
	} {
		_, err := pp.ErasePerson(context.Background(), tc.q, officer)
		var ve *consult.ValidationError
		if !errors.As(err, &ve) || ve.Fields[tc.field] == "" {
			t.Errorf("%+v: got %v, want a message for %s", tc.q, err, tc.field)
		}
	}
	if after := e.count(`SELECT COUNT(*) FROM audit_log`); after != before {
		t.Errorf("refused requests wrote %d audit entries", after-before)
	}
}

// TestPeople_Erase: on an open petition a signature is withdrawn (the
// count and its ward go down); once closed it is anonymised and counted
// still; responses are anonymised with their tallies kept; the
// campaigner's details and the mail go; the audit entry has the reason
// and counts, never the address.
func TestPeople_Erase(t *testing.T) {
	e := newRetentionEnv(t)
	ctx := context.Background()
	pp := db.NewPeople(e.d)
	pp.BaseURL = testBase
	pid := e.open.ID
	count0, ward0 := e.petitionEnv.petition(pid).SignatureCount, e.wardCount(pid)
	tallies := dump(t, e.d.Reader(), `SELECT * FROM tallies ORDER BY 1, 2`)

	er, err := pp.ErasePerson(ctx, consult.PersonRequest{Email: signer, Reason: "Erasure request 7"}, officer)
	if err != nil {
		t.Fatal(err)
	}
	if er.Withdrawn != 1 || er.Signatures != 0 || er.Mail == 0 {
		t.Errorf("open petition: %+v", er)
	}
	if got := e.petitionEnv.petition(pid).SignatureCount; got != count0-1 || e.wardCount(pid) != ward0-1 {
		t.Errorf("count %d (ward counters %d), want %d", got, e.wardCount(pid), count0-1)
	}
	e.checkCounters(pid, count0-1)
	if n := e.count(`SELECT COUNT(*) FROM signatures WHERE status = 'withdrawn' AND anonymised_at IS NOT NULL AND name = '' AND email IS NULL`); n != 1 {
		t.Errorf("%d withdrawn anonymised signatures, want 1", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM outbox WHERE to_addr = ?`, signer); n != 0 {
		t.Errorf("%d mails to the signer left", n)
	}

	// Respondent: anonymised, tallies kept.
	er, err = pp.ErasePerson(ctx, consult.PersonRequest{Email: "respondent3@example.net", Reason: "Erasure request 8"}, officer)
	if err != nil || er.Responses != 1 {
		t.Errorf("respondent: %+v, %v", er, err)
	}
	if after := dump(t, e.d.Reader(), `SELECT * FROM tallies ORDER BY 1, 2`); after != tallies {
		t.Error("tallies changed")
	}

	// The campaigner.
	er, err = pp.ErasePerson(ctx, consult.PersonRequest{Email: "sam@example.org", Reason: "Erasure request 9"}, officer)
	if err != nil || er.Campaigners != 1 {
		t.Errorf("campaigner: %+v, %v", er, err)
	}
	if n := e.count(`SELECT COUNT(*) FROM petitions WHERE campaigner_email = 'sam@example.org' OR campaigner_name = 'Sam Campaigner'`); n != 0 {
		t.Error("campaigner details kept")
	}

	// After the petition closes, a counted signature is anonymised and still counted.
	e.d.Now = func() time.Time { return e.petitionEnv.petition(pid).ClosesAt.Add(time.Hour) }
	count1 := e.petitionEnv.petition(pid).SignatureCount
	er, err = pp.ErasePerson(ctx, consult.PersonRequest{Email: "sponsora@example.org", Reason: "Erasure request 10"}, officer)
	if err != nil || er.Withdrawn != 0 || er.Signatures != 1 {
		t.Errorf("closed petition: %+v, %v", er, err)
	}
	if got := e.petitionEnv.petition(pid).SignatureCount; got != count1 {
		t.Errorf("closed petition count %d, want %d kept", got, count1)
	}
	if n := e.count(`SELECT COUNT(*) FROM signatures WHERE name = 'Sponsor A'`); n != 0 {
		t.Error("sponsor's name kept")
	}

	rows := dump(t, e.d.Reader(), `SELECT actor, action, subject, detail FROM audit_log WHERE action = 'person.erase' ORDER BY id`)
	if strings.Count(rows, "person.erase") != 4 || !strings.Contains(rows, "Erasure request 7 (1 signature withdrawn") ||
		strings.Contains(rows, "@example.") {
		t.Errorf("audit:\n%s", rows)
	}
	if broken, _, err := db.NewAuditLog(e.d).VerifyAudit(ctx); err != nil || broken != 0 {
		t.Errorf("audit chain broken at %d, %v", broken, err)
	}
}
