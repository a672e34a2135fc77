package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestAuditHead: /api/audit/head and /audit publish the audit log's count
// and its newest entry's hash, to anyone, so that a head saved today can be
// checked against the log later. The expected values are read from the
// database file directly.
func TestAuditHead(t *testing.T) {
	e := newEnv(t)
	if err := e.db.AppendAudit(t.Context(), "cli", "test.entry", "test:1", "a third"); err != nil {
		t.Fatal(err)
	}
	var wantCount int64
	var wantHash string
	if err := e.db.Reader().QueryRow(`SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&wantCount, &wantHash); err != nil {
		t.Fatal(err)
	}
	if wantCount < 3 {
		t.Fatalf("the log has %d entries, want the staff accounts', their sign-ins' and the test's", wantCount)
	}

	res, body := e.get(e.anon, "/api/audit/head")
	var got struct {
		Count int64  `json:"count"`
		Hash  string `json:"hash"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("got %d %q, %v", res.StatusCode, body, err)
	}
	if got.Count != wantCount || got.Hash != wantHash {
		t.Errorf("head %d:%s, want %d:%s", got.Count, got.Hash, wantCount, wantHash)
	}
	res, page := e.get(e.anon, "/audit")
	if want := fmt.Sprintf(`<code id="audit-head">%d:%s</code>`, wantCount, wantHash); res.StatusCode != http.StatusOK || !strings.Contains(page, want) {
		t.Errorf("/audit: got %d without %s", res.StatusCode, want)
	}
	if strings.Contains(page, "test.entry") || strings.Contains(page, "admin@council.test") {
		t.Error("/audit shows entries: only the head is public")
	}
}
