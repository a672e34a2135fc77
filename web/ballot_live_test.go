package web_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
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

// TestBallot_LiveBeforeCloseOnlyTurnoutMoves: before close, turnout is
// public by design (README "Recall ballots") and the result is not. A
// watcher sees a message only when turnout moves, each exactly the
// turnout worked out by hand and nothing else, whichever options were
// chosen; a refused vote sends nothing: once the hub has sent two later
// changes of another topic, the next ballot message is the close.
func TestBallot_LiveBeforeCloseOnlyTurnoutMoves(t *testing.T) {
	e := newLiveEnv(t)
	b, codes := e.openBallot(4)
	marker := e.openPetition(ballot.CountLive, 100)
	topic, mTopic := fmt.Sprintf("ballot:%d", b.ID), ballot.PetitionTopic(marker.ID)
	lc := e.dial(topic)
	ml := e.dial(mTopic)
	ml.next(5 * time.Second)
	want := func(m liveMsg, cast int) {
		t.Helper()
		exp := map[string]any{"topic": topic, "status": "open", "votes_cast": float64(cast), "eligible": float64(4),
			"turnout_percent": float64(25 * cast)}
		if len(m.fields) != len(exp)+1 {
			t.Errorf("message has %d fields, want %d and seq: %s", len(m.fields), len(exp), m.raw)
		}
		for k, v := range exp {
			if m.fields[k] != v {
				t.Errorf("%s = %v, want %v: %s", k, m.fields[k], v, m.raw)
			}
		}
	}
	first := lc.next(5 * time.Second)
	want(first, 0)
	vote := func(code, opt string, status int) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/ballots/%d/votes", e.url, b.ID),
			strings.NewReader(`{"code":"`+code+`","option":"`+opt+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", e.url)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != status {
			t.Fatalf("vote with %s for %s: got %d, want %d", code, opt, res.StatusCode, status)
		}
	}
	prev := first
	for i, opt := range []string{"Yes", "No", "No"} {
		vote(codes[i], opt, http.StatusCreated)
		m := lc.next(5 * time.Second) // each vote waits for its own message
		want(m, i+1)
		if m.seq() != prev.seq()+1 {
			t.Errorf("seq %v after %v: a message was skipped or sent twice", m.seq(), prev.seq())
		}
		prev = m
	}
	vote(codes[0], "Yes", http.StatusConflict) // already used
	// The hub has passed over the refused vote once it has sent two later
	// changes of the marker (a tick flushes its topics in any order).
	for n := 1; n <= 2; n++ {
		e.paper(marker.ID, n)
		ml.until(mTopic, 5*time.Second, func(m liveMsg) bool { return m.num("signature_count") == float64(5+n) })
	}
	if _, err := e.bs.Close(context.Background(), b.ID, "officer@council.test"); err != nil {
		t.Fatal(err)
	}
	closed := lc.next(5 * time.Second)
	if closed.fields["status"] != "closed" || closed.seq() != prev.seq()+1 {
		t.Errorf("after the refused vote and the close, got %s; want the closed ballot, seq %v", closed.raw, prev.seq()+1)
	}
}
