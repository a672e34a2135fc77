package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web"
)

// londonTime is a wall-clock time in London, for building stored instants
// the way the officer's form does; expected strings below are literals.
func londonTime(t *testing.T, y int, m time.Month, d, h, min int) time.Time {
	t.Helper()
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(y, m, d, h, min, 0, 0, l)
}

// closingClock drives both the server's and the store's clock.
type closingClock struct{ at atomic.Int64 }

func (c *closingClock) now() time.Time  { return time.Unix(0, c.at.Load()).UTC() }
func (c *closingClock) set(t time.Time) { c.at.Store(t.UnixNano()) }
func newClosingEnv(t *testing.T, start time.Time) (*testEnv, *closingClock) {
	t.Helper()
	clock := &closingClock{}
	clock.set(start)
	e := newEnvWith(t, func(c *web.Config) { c.Now = clock.now })
	e.db.Now = clock.now
	return e, clock
}

// createClosing opens a consultation that closes at closes, as the
// officer's form stores "closes at the end of this day": midnight after it.
func (e *testEnv) createClosing(slug string, closes time.Time) {
	e.t.Helper()
	ctx := context.Background()
	c := &consult.Consultation{Slug: slug, Title: "Parks " + slug, Summary: "About the parks", Audience: consult.AudienceAnyone,
		ClosesAt: closes.UTC(), Record: consult.Record{Service: "Parks", Proposal: consult.ProposalOutsource,
			PublicInterestCase: "Cheaper", InHouseBid: "The parks team bid", SocialValueWeight: 20}}
	must(e.t, e.store.CreateConsultation(ctx, c, "test"))
	must(e.t, e.store.AddQuestion(ctx, slug, &consult.Question{Kind: consult.KindScale, Prompt: "It works well"}, "test"))
	must(e.t, e.store.Open(ctx, slug, "test"))
}

// expectIn fails unless every page (path → want) contains its want.
func (e *testEnv) expectIn(wants map[string]string) {
	e.t.Helper()
	for path, want := range wants {
		_, body := e.get(e.anon, path)
		if strings.HasPrefix(path, "/api/") {
			var b bytes.Buffer
			if err := json.Compact(&b, []byte(body)); err != nil {
				e.t.Fatalf("GET %s: %v", path, err)
			}
			body = b.String()
		}
		if !strings.Contains(body, want) {
			e.t.Errorf("GET %s: no %q in\n%s", path, want, body)
		} else if strings.Contains(body, "12:00am") {
			e.t.Errorf("GET %s: shows 12:00am, the start of the next day", path)
		}
	}
}

// TestClosingTimes: an officer's "closes at the end of 31 January 2027"
// (stored as midnight after it) reads as 11:59pm on 31 January on every
// public page, list, poster and JSON, in GMT and in BST; once closed, all
// of them say "Closed on", with the real time for one closed early.
func TestClosingTimes(t *testing.T) {
	e, clock := newClosingEnv(t, time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC))
	e.createClosing("winter", londonTime(t, 2027, 2, 1, 0, 0)) // 2027-02-01T00:00Z, GMT
	e.createClosing("summer", londonTime(t, 2027, 7, 1, 0, 0)) // 2027-06-30T23:00Z, BST

	t.Run("Open", func(t *testing.T) {
		e.expectIn(map[string]string{
			"/consultations/winter":        "This consultation closes at 11:59pm on 31 January 2027.",
			"/consultations/summer":        "This consultation closes at 11:59pm on 30 June 2027.",
			"/consultations/winter/poster": "Closes at 11:59pm on 31 January 2027",
			"/api/consultations/summer":    `"closing":"Closes at 11:59pm on 30 June 2027"`,
		})
		for _, list := range []string{"/consultations", "/"} {
			_, body := e.get(e.anon, list)
			for _, want := range []string{"Closes at 11:59pm on 31 January 2027", "Closes at 11:59pm on 30 June 2027"} {
				if !strings.Contains(body, want) {
					t.Errorf("GET %s: no %q", list, want)
				}
			}
		}
	})

	t.Run("ClosedByDate", func(t *testing.T) {
		clock.set(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC))
		e.expectIn(map[string]string{
			"/consultations":               "Closed on 31 January 2027 at 11:59pm",
			"/consultations/winter":        "This consultation closed on 31 January 2027 at 11:59pm.",
			"/consultations/winter/poster": "Closed on 31 January 2027 at 11:59pm",
			"/api/consultations/winter":    `"closed_at":"2027-02-01T00:00:00Z","closing":"Closed on 31 January 2027 at 11:59pm"`,
		})
	})

	t.Run("ClosedEarly", func(t *testing.T) {
		clock.set(time.Date(2027, 6, 12, 13, 45, 0, 0, time.UTC)) // 2:45pm BST
		must(t, e.store.Close(context.Background(), "summer", "officer@council.test"))
		clock.set(time.Date(2027, 8, 1, 9, 0, 0, 0, time.UTC)) // well past the planned date
		e.expectIn(map[string]string{
			"/consultations":               "Closed on 12 June 2027 at 2:45pm",
			"/consultations/summer":        "This consultation closed on 12 June 2027 at 2:45pm.",
			"/consultations/summer/poster": "Closed on 12 June 2027 at 2:45pm",
			"/api/consultations":           `"closed_at":"2027-06-12T13:45:00Z","closing":"Closed on 12 June 2027 at 2:45pm"`,
		})
		if _, body := e.get(e.anon, "/consultations"); strings.Contains(body, "30 June 2027") {
			t.Errorf("the list still shows the planned date of a consultation closed early")
		}
	})
}

// TestClosingTimes_Petition: a petition's window is shown by the same rule,
// on its page, the list, its poster and its JSON, open and then closed.
func TestClosingTimes_Petition(t *testing.T) {
	clock := &closingClock{}
	clock.set(time.Date(2027, 5, 20, 13, 0, 0, 0, time.UTC)) // 2pm BST; 42 days on is 1 July
	e := newPetitionEnvWith(t, 100, func(c *web.Config) { c.Now = clock.now })
	e.db.Now = clock.now
	id := e.openInStore()
	page := fmt.Sprintf("/petitions/%d", id)
	e.expectIn(map[string]string{
		page:             "Signing closes at 2:00pm on 1 July 2027.",
		"/petitions":     "Closes at 2:00pm on 1 July 2027",
		page + "/poster": "Signing closes at 2:00pm on 1 July 2027",
		"/api" + page:    `"closing":"Closes at 2:00pm on 1 July 2027"`,
	})
	clock.set(time.Date(2027, 7, 2, 0, 0, 0, 0, time.UTC))
	e.expectIn(map[string]string{
		page:             "Signing closed on 1 July 2027 at 2:00pm.",
		page + "/poster": "Signing closed on 1 July 2027 at 2:00pm",
		// The list, as /api/petitions/{id} may serve its body cached for a second.
		"/api/petitions": `"closing":"Closed on 1 July 2027 at 2:00pm"`,
	})
}
