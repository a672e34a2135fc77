package web_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/oursay/oursay/ballot"
)

// TestPetitionAPI_CachedBody shows that the cached JSON of a petition never
// lags a committed change: each paper signature (a commit the store
// announces) is in the very next read.
func TestPetitionAPI_CachedBody(t *testing.T) {
	e := newLiveEnv(t)
	e.web.Live().CacheBodies()
	p := e.openPetition(ballot.CountLive, 100)
	count := func() int {
		t.Helper()
		resp, err := http.Get(e.url + "/api/petitions/" + itoa(p.ID))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got struct {
			SignatureCount int `json:"signature_count"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET: %s, %v", resp.Status, err)
		}
		return got.SignatureCount
	}
	for i := 1; i <= 3; i++ {
		before := count()
		if again := count(); again != before {
			t.Fatalf("read twice with no change: got %d then %d", before, again)
		}
		e.paper(p.ID, i)
		if got := count(); got != before+1 {
			t.Errorf("after paper signature %d: got %d, want %d", i, got, before+1)
		}
	}
	resp, err := http.Get(e.url + "/api/petitions/999")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown petition: got %d, want 404", resp.StatusCode)
	}
}
