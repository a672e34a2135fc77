package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestAdminPaperEntriesByStaff checks that each paper response is put down
// to the signed-in staff member who typed it in, and that the consultation's
// admin pages count them per staff member (issue 16, item 7).
func TestAdminPaperEntriesByStaff(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("parks")
	for i, enter := range []struct {
		client *http.Client
		serial string
	}{
		{e.admin, "PARKS-000001"}, {e.mod, "PARKS-000002"}, {e.admin, "PARKS-000003"},
	} {
		f := validForm(c)
		f.Set("paper_serial", enter.serial)
		if res := e.post(enter.client, "/admin/consultations/parks/paper", f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("paper form %d: got %d, want 303", i+1, res.StatusCode)
		}
	}
	const want = "Paper forms entered: admin@council.test 2, mod@council.test 1"
	for _, path := range []string{"/admin/consultations/parks", "/admin/consultations/parks/paper"} {
		res, body := e.get(e.mod, path)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET %s: got %d, want 200 with %q", path, res.StatusCode, want)
		}
	}
	var actors string
	err := e.db.Reader().QueryRow(`SELECT COALESCE(group_concat(actor || ' ' || detail, '; '), '') FROM
		(SELECT actor, detail FROM audit_log WHERE action = 'consultation.paper_response' ORDER BY id)`).Scan(&actors)
	if err != nil {
		t.Fatal(err)
	}
	if wantAudit := "admin@council.test PARKS-000001; mod@council.test PARKS-000002; admin@council.test PARKS-000003"; actors != wantAudit {
		t.Errorf("paper response audit = %q, want %q", actors, wantAudit)
	}
}
