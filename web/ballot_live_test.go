package web_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestBallot_LiveCarriesTurnoutOnly subscribes to a ballot's live topic
// while votes come in: every message before close carries turnout and no
// key that could hold a count per option; the close brings the counts.
func TestBallot_LiveCarriesTurnoutOnly(t *testing.T) {
	e := newLiveEnv(t)
	b, codes := e.openBallot(4)
	topic := fmt.Sprintf("ballot:%d", b.ID)
	lc := e.dial(topic)
	allowed := map[string]bool{"topic": true, "seq": true, "status": true, "votes_cast": true, "eligible": true, "turnout_percent": true}
	check := func(m liveMsg) {
		t.Helper()
		var keys []string
		for k := range m.fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !allowed[k] {
				t.Errorf("before close the message has %q: %s", k, m.raw)
			}
		}
		for _, o := range b.Options {
			if strings.Contains(string(m.raw), fmt.Sprintf(`"%d"`, o.ID)) {
				t.Errorf("before close the message names option %d: %s", o.ID, m.raw)
			}
		}
	}
	first := lc.next(5 * time.Second)
	check(first)
	if first.num("eligible") != 4 || first.num("votes_cast") != 0 {
		t.Errorf("first snapshot: %s", first.raw)
	}
	for i, opt := range []string{"Yes", "Yes", "No"} {
		req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/ballots/%d/votes", e.url, b.ID),
			strings.NewReader(`{"code":"`+codes[i]+`","option":"`+opt+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", e.url)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != http.StatusCreated {
			t.Fatalf("vote %d: %v %v", i, err, res)
		}
		res.Body.Close()
	}
	m := lc.until(topic, 5*time.Second, func(m liveMsg) bool { check(m); return m.num("votes_cast") == 3 })
	if m.num("turnout_percent") != 75 {
		t.Errorf("turnout: %s, want 75%%", m.raw)
	}
	if _, err := e.bs.Close(context.Background(), b.ID, "officer@council.test"); err != nil {
		t.Fatal(err)
	}
	closed := lc.until(topic, 5*time.Second, func(m liveMsg) bool { return m.fields["status"] == "closed" })
	if !strings.Contains(string(closed.raw), `"counts"`) {
		t.Errorf("after close the message has no counts: %s", closed.raw)
	}
}
