package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web/live"
)

// TestLive_Petition is two browser windows on a live petition: one
// subscribes and gets the count at once; the other signs and confirms
// through the real HTTP routes, and the first sees the count move within
// a second.
func TestLive_Petition(t *testing.T) {
	e := newLiveEnv(t)
	p := e.openPetition(ballot.CountLive, 10)
	topic := ballot.PetitionTopic(p.ID)
	lc := e.dial(topic)

	first := lc.next(time.Second)
	if first.topic() != topic || first.seq() < 1 || first.num("signature_count") != 5 ||
		first.num("threshold") != 10 || first.num("percent") != 50 || first.fields["status"] != "open" {
		t.Fatalf("snapshot: got %s, want petition %d open with 5 of 10 (50%%)", first.raw, p.ID)
	}

	body := `{"name":"Jo Resident","email":"jo@example.org","postcode":"AB1 2CD","resident":true}`
	res, err := http.Post(fmt.Sprintf("%s/api/petitions/%d/signatures", e.url, p.ID), "application/json", strings.NewReader(body))
	if err != nil || res.StatusCode != http.StatusAccepted {
		t.Fatalf("sign: %v %v", err, res)
	}
	res.Body.Close()
	confirmed := time.Now()
	res, err = http.PostForm(e.url+"/signatures/confirm", url.Values{"token": {e.token("jo@example.org")}})
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %v %v", err, res)
	}
	res.Body.Close()
	m := lc.until(topic, time.Second, func(m liveMsg) bool { return m.num("signature_count") == 6 })
	if m.seq() <= first.seq() || m.num("percent") != 60 {
		t.Errorf("update: got %s, want seq above %v and 60%%", m.raw, first.seq())
	}
	t.Logf("count moved %v after the confirmation", m.at.Sub(confirmed).Round(time.Millisecond))
}

// TestLive_SeveralTopics follows two topics from the query and a third
// subscribed later, on one connection.
func TestLive_SeveralTopics(t *testing.T) {
	e := newLiveEnv(t)
	a := e.openPetition(ballot.CountLive, 100)
	b := e.openPetition(ballot.CountLive, 100)
	c := openLiveConsultation(t, e)
	lc := e.dial(ballot.PetitionTopic(a.ID), consult.ConsultationTopic(c.Slug))
	seen := map[string]liveMsg{}
	for range 2 {
		m := lc.next(time.Second)
		seen[m.topic()] = m
	}
	lc.send(map[string]string{"subscribe": ballot.PetitionTopic(b.ID)})
	m := lc.next(time.Second)
	seen[m.topic()] = m
	for _, topic := range []string{ballot.PetitionTopic(a.ID), ballot.PetitionTopic(b.ID), consult.ConsultationTopic(c.Slug)} {
		if _, ok := seen[topic]; !ok {
			t.Errorf("no snapshot for %s; got %v", topic, slices.Collect(mapKeys(seen)))
		}
	}
	if got := seen[consult.ConsultationTopic(c.Slug)]; got.fields["questions"] == nil {
		t.Errorf("live-results consultation: got %s, want its tallies", got.raw)
	}

	e.paper(b.ID, 1)
	got := lc.until(ballot.PetitionTopic(b.ID), time.Second, func(m liveMsg) bool { return m.num("signature_count") == 6 })
	if got.seq() <= seen[got.topic()].seq() {
		t.Errorf("seq did not grow: %v then %v", seen[got.topic()].seq(), got.seq())
	}
	resp := &consult.Response{Channel: consult.ChannelOnline, Answers: map[int64]consult.Answer{
		c.Questions[0].ID: {OptionIDs: []int64{c.Questions[0].Options[1].ID}}}}
	if err := e.cs.AddResponse(context.Background(), c.Slug, resp); err != nil {
		t.Fatal(err)
	}
	cm := lc.until(consult.ConsultationTopic(c.Slug), time.Second, func(m liveMsg) bool { return m.num("response_count") == 1 })
	q := cm.fields["questions"].(map[string]any)[itoa(c.Questions[0].ID)].(map[string]any)
	if n := q["counts"].(map[string]any)[itoa(c.Questions[0].Options[1].ID)]; n != 1.0 {
		t.Errorf("tally: got %s, want 1 for the option chosen", cm.raw)
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// openLiveConsultation opens a consultation with live results and one
// required single-choice question.
func openLiveConsultation(t *testing.T, e *liveEnv) *consult.Consultation {
	t.Helper()
	ctx := context.Background()
	c := &consult.Consultation{Slug: "bins", Title: "Bins", Summary: "About bins", Audience: consult.AudienceAnyone, LiveResults: true,
		Record: consult.Record{Service: "Bins", Proposal: consult.ProposalOutsource, PublicInterestCase: "Cheaper",
			InHouseBid: "The bins team bid", SocialValueWeight: 20}}
	if err := e.cs.CreateConsultation(ctx, c, "test"); err != nil {
		t.Fatal(err)
	}
	q := &consult.Question{Kind: consult.KindSingle, Prompt: "Who should run it?", Required: true,
		Options: []consult.Option{{Label: "Council"}, {Label: "Provider"}}}
	if err := e.cs.AddQuestion(ctx, c.Slug, q, "test"); err != nil {
		t.Fatal(err)
	}
	if err := e.cs.Open(ctx, c.Slug, "test"); err != nil {
		t.Fatal(err)
	}
	got, err := e.cs.Consultation(ctx, c.Slug)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestLive_StuckClient has a client that never reads beside one that does:
// every update still reaches the reader within a second.
func TestLive_StuckClient(t *testing.T) {
	e := newLiveEnv(t)
	p := e.openPetition(ballot.CountLive, 1000)
	topic := ballot.PetitionTopic(p.ID)
	stuck, _, err := websocket.DefaultDialer.Dial(e.wsURL(topic), http.Header{"Origin": {e.url}})
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close() // never read
	lc := e.dial(topic)
	lc.next(time.Second)
	for i := range 8 {
		e.paper(p.ID, i+1)
		start := time.Now()
		want := float64(5 + i + 1)
		lc.until(topic, time.Second, func(m liveMsg) bool { return m.num("signature_count") == want })
		if d := time.Since(start); d > time.Second {
			t.Errorf("update %d took %v", i, d)
		}
	}
}

// TestLive_Burst confirms 5,000 paper signatures as fast as the group
// writer takes them: the watcher gets a few messages a second, not 5,000,
// and the last one has the final count.
func TestLive_Burst(t *testing.T) {
	if testing.Short() {
		t.Skip("5,000 writes")
	}
	e := newLiveEnv(t)
	p := e.openPetition(ballot.CountLive, 100_000)
	topic := ballot.PetitionTopic(p.ID)
	lc := e.dial(topic)
	lc.next(time.Second)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				n := w*100 + i + 1
				s := &ballot.Signature{Name: fmt.Sprintf("Signer %d", n), Postcode: "AB1 2CD", Resident: true, Sheet: fmt.Sprintf("B%d", w), Line: i + 1}
				if err := e.ps.AddPaperSignature(context.Background(), p.ID, s, "officer@council.test"); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	last := lc.until(topic, 2*time.Second, func(m liveMsg) bool { return m.num("signature_count") == 5005 })
	// This is the topic's only subscriber, so each seq after the
	// snapshot's (1) was one message to it.
	msgs := int(last.seq()) - 1
	// At most one message a live interval (200 ms by default), plus the
	// snapshot's and a last flush: a few a second, not 5,000.
	limit := int(took/(200*time.Millisecond)) + 3
	t.Logf("5,000 signatures in %v: %d messages (at most %d allowed)", took.Round(time.Millisecond), msgs, limit)
	if msgs > limit {
		t.Errorf("got %d messages for 5,000 changes in %v, want at most %d", msgs, took, limit)
	}
}

// TestLive_Secrecy reads raw messages: a sealed petition says its status
// and nothing else (not even that its threshold was met), and an open
// ballot its turnout, never votes per option. Once closed, the ballot's
// result is sent.
func TestLive_Secrecy(t *testing.T) {
	e := newLiveEnv(t)
	sealed := e.openPetition(ballot.CountSealed, 6)
	b, codes := e.openBallot(10)
	lc := e.dial(ballot.PetitionTopic(sealed.ID), ballot.BallotTopic(b.ID))
	for i := range 3 {
		e.paper(sealed.ID, i+1) // the second meets the threshold
		vote(t, e, b, codes[i], b.Options[i%2].ID)
	}
	digits := regexp.MustCompile(`[0-9]`)
	deadline := time.Now().Add(2 * time.Second)
	for seen := map[string]float64{}; seen[ballot.BallotTopic(b.ID)] < 3; {
		m := lc.next(time.Until(deadline))
		keys := slices.Sorted(mapKeys(m.fields))
		switch m.topic() {
		case ballot.PetitionTopic(sealed.ID):
			rest := map[string]any{}
			for k, v := range m.fields {
				if k != "topic" && k != "seq" {
					rest[k] = v
				}
			}
			raw, _ := json.Marshal(rest)
			if !slices.Equal(keys, []string{"sealed", "seq", "status", "topic"}) || digits.Match(raw) || m.fields["status"] != "open" {
				t.Errorf("sealed petition sent %s: want status open and no number", m.raw)
			}
		case ballot.BallotTopic(b.ID):
			if !slices.Equal(keys, []string{"eligible", "seq", "status", "topic", "turnout_percent", "votes_cast"}) {
				t.Errorf("open ballot sent %s: want status and turnout only", m.raw)
			}
			seen[m.topic()] = m.num("votes_cast")
		}
	}
	if _, err := e.bs.Close(context.Background(), b.ID, "officer@council.test"); err != nil {
		t.Fatal(err)
	}
	m := lc.until(ballot.BallotTopic(b.ID), time.Second, func(m liveMsg) bool { return m.fields["status"] == "closed" })
	counts, _ := m.fields["counts"].(map[string]any)
	if counts[itoa(b.Options[0].ID)] != 2.0 || counts[itoa(b.Options[1].ID)] != 1.0 {
		t.Errorf("closed ballot: got %s, want 2 Yes and 1 No", m.raw)
	}
}

func vote(t *testing.T, e *liveEnv, b *ballot.Ballot, code string, option int64) {
	t.Helper()
	if _, err := e.bs.Vote(context.Background(), b.ID, ballot.HashCode(liveKey, b.ID, code), option); err != nil {
		t.Fatal(err)
	}
}

// TestLive_Handshake checks who may open a live connection.
func TestLive_Handshake(t *testing.T) {
	e := newLiveEnv(t, func(o *live.Options) { o.MaxPerAddr = 3 })
	p := e.openPetition(ballot.CountLive, 10)
	topic := ballot.PetitionTopic(p.ID)
	dial := func(origin string, topics ...string) (*websocket.Conn, int) {
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		c, res, err := websocket.DefaultDialer.Dial(e.wsURL(topics...), h)
		if err != nil {
			if res == nil {
				t.Fatal(err)
			}
			return nil, res.StatusCode
		}
		t.Cleanup(func() { c.Close() })
		return c, http.StatusSwitchingProtocols
	}
	for _, tc := range []struct {
		name, origin string
		topics       []string
		want         int
	}{
		{"CrossOrigin", "http://evil.example", []string{topic}, http.StatusForbidden},
		{"LookalikeOrigin", e.url + ".evil.example", []string{topic}, http.StatusForbidden},
		{"BadTopic", e.url, []string{"contract:1"}, http.StatusBadRequest},
		{"SameOrigin", e.url, []string{topic}, http.StatusSwitchingProtocols},
		{"PublicAddress", liveBase, []string{topic}, http.StatusSwitchingProtocols},
		{"NotABrowser", "", []string{topic}, http.StatusSwitchingProtocols},
		{"FourthFromOneAddress", e.url, []string{topic}, http.StatusTooManyRequests},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, got := dial(tc.origin, tc.topics...); got != tc.want {
				t.Errorf("got %d, want %d", got, tc.want)
			}
		})
	}
}

// closeAndWait closes c as a page does, with a close frame, and waits for
// the server's answer: by then the server has stopped reading it.
func closeAndWait(t *testing.T, c *websocket.Conn) {
	t.Helper()
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	if err := c.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := c.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			if !websocket.IsCloseError(err, websocket.CloseNormalClosure) {
				t.Fatalf("closing: got %v, want the server's close frame", err)
			}
			break
		}
	}
	c.Close()
}

// TestLive_Probing cuts off a client that opens connection after
// connection, or asks for topic after topic, as a script probing for ids
// would; pages do neither.
func TestLive_Probing(t *testing.T) {
	e := newLiveEnv(t, func(o *live.Options) { o.MaxPerAddr = 2 }) // so 4 handshakes a minute
	t.Run("Handshakes", func(t *testing.T) {
		for i := range 5 {
			c, res, err := websocket.DefaultDialer.Dial(e.wsURL(), http.Header{"Origin": {e.url}})
			if i < 4 {
				if err != nil {
					t.Fatalf("handshake %d: %v", i+1, err)
				}
				closeAndWait(t, c) // none stays open to count against the address
				continue
			}
			if err == nil || res.StatusCode != http.StatusTooManyRequests {
				t.Errorf("handshake 5 in a minute with none open: got %v, want 429", err)
			}
		}
	})
	t.Run("Subscriptions", func(t *testing.T) {
		e := newLiveEnv(t)
		p := e.openPetition(ballot.CountLive, 10)
		lc := e.dial()
		for range 65 { // one topic, asked for again and again: one snapshot, then the cap
			if err := lc.c.WriteJSON(map[string]string{"subscribe": ballot.PetitionTopic(p.ID)}); err != nil {
				break // already cut off
			}
		}
		for {
			select {
			case <-lc.msgs:
				continue
			case err := <-lc.end:
				var ce *websocket.CloseError
				if !errors.As(err, &ce) || ce.Code != websocket.ClosePolicyViolation {
					t.Errorf("got %v, want a policy-violation close", err)
				}
			case <-time.After(5 * time.Second):
				t.Error("still open after 65 subscriptions")
			}
			return
		}
	})
}

// TestLive_PageHooks checks what the script needs from the pages: a live
// petition's count sits in its topic's element, a sealed petition has no
// topic to follow, and app.js loads the live script from this site.
func TestLive_PageHooks(t *testing.T) {
	e := newLiveEnv(t)
	live := e.openPetition(ballot.CountLive, 10)
	sealed := e.openPetition(ballot.CountSealed, 10)
	get := func(path string) string {
		t.Helper()
		res, err := http.Get(e.url + path)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %v %v", path, err, res)
		}
		defer res.Body.Close()
		var b strings.Builder
		io.Copy(&b, res.Body)
		return b.String()
	}
	page := get(fmt.Sprintf("/petitions/%d", live.ID))
	if !regexp.MustCompile(`data-live-topic="petition:` + itoa(live.ID) + `"[^>]*>\s*<p[^>]*><strong[^>]*data-live="signature_count">5</strong>`).MatchString(page) {
		t.Errorf("live petition page has no live count hooks")
	}
	if strings.Contains(get(fmt.Sprintf("/petitions/%d", sealed.ID)), "data-live") {
		t.Errorf("sealed petition page has live hooks")
	}
	if !strings.Contains(get("/static/js/app.js"), `import("/static/js/live.js")`) || !strings.Contains(get("/static/js/live.js"), "/live?") {
		t.Errorf("app.js does not load live.js, or live.js does not open /live")
	}
}

// TestLive_UnknownTopic refuses a topic the public cannot see, on an
// otherwise healthy connection.
func TestLive_UnknownTopic(t *testing.T) {
	e := newLiveEnv(t)
	lc := e.dial("petition:999")
	if m := lc.next(time.Second); m.fields["error"] != "not found" || m.topic() != "petition:999" {
		t.Errorf("got %s, want not found", m.raw)
	}
}

// TestLive_Shutdown closes every connection with a "going away" close
// frame, and refuses new ones.
func TestLive_Shutdown(t *testing.T) {
	e := newLiveEnv(t)
	p := e.openPetition(ballot.CountLive, 10)
	conns := []*liveConn{e.dial(ballot.PetitionTopic(p.ID)), e.dial(ballot.PetitionTopic(p.ID))}
	for _, lc := range conns {
		lc.next(time.Second)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := e.web.Live().Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	t.Logf("shutdown took %v", time.Since(start).Round(time.Millisecond))
	for i, lc := range conns {
		select {
		case err := <-lc.end:
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
				t.Errorf("connection %d ended with %v, want a going-away close frame", i, err)
			}
		case <-time.After(time.Second):
			t.Errorf("connection %d still open", i)
		}
	}
	_, res, err := websocket.DefaultDialer.Dial(e.wsURL(ballot.PetitionTopic(p.ID)), http.Header{"Origin": {e.url}})
	if err == nil || res == nil || res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("after shutdown: got %v, want 503", err)
	}
}
