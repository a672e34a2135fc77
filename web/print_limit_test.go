package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oursay/oursay/web"
)

// TestRateLimits_PrintRoutes: QR codes, posters, paper forms, signature
// sheets and voter letters share one per-client limit. Past it each gets
// 429 with a Retry-After, before any drawing; reading pages is not limited.
func TestRateLimits_PrintRoutes(t *testing.T) {
	e := newPetitionEnvWith(t, 100, func(c *web.Config) {
		c.RateLimits = web.RateLimits{Print: web.Rate{N: 2, Per: time.Hour}}
	})
	id := e.openInStore()
	e.openConsultation("rl")
	hits := []struct{ method, path string }{
		{"GET", "/consultations/rl/qr.png"},
		{"GET", "/consultations/rl/qr.svg"},
		{"GET", fmt.Sprintf("/petitions/%d/qr.png?size=1024", id)},
		{"GET", fmt.Sprintf("/petitions/%d/poster", id)},
		{"GET", fmt.Sprintf("/petitions/%d/poster.pdf", id)},
		{"GET", "/ballots/1/qr.png"},
		{"GET", "/admin/consultations/rl/paper-forms.pdf"},
		{"GET", fmt.Sprintf("/admin/petitions/%d/sheets.pdf", id)},
		{"POST", "/admin/ballots/1/codes"},
	}
	for i, h := range hits[:2] {
		if res, _ := e.get(e.anon, h.path); res.StatusCode != http.StatusOK {
			t.Fatalf("request %d, %s: got %d, want 200 within the limit", i+1, h.path, res.StatusCode)
		}
	}
	// A refused print request is held up to a second before its 429, so
	// they go at once.
	var wg sync.WaitGroup
	for _, h := range hits {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest(h.method, e.srv.URL+h.path, strings.NewReader(url.Values{"count": {"1"}}.Encode()))
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", e.srv.URL)
			res, err := e.admin.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			b, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				t.Error(err)
				return
			}
			body := string(b)
			secs, _ := strconv.Atoi(res.Header.Get("Retry-After"))
			if res.StatusCode != http.StatusTooManyRequests || secs < 1 || !strings.Contains(body, "QR codes, posters and printouts") {
				t.Errorf("%s %s: got %d, Retry-After %q; want 429 with a wait", h.method, h.path, res.StatusCode, res.Header.Get("Retry-After"))
			}
		}()
	}
	wg.Wait()
	for _, p := range []string{"/consultations/rl", fmt.Sprintf("/petitions/%d", id)} {
		if res, _ := e.get(e.anon, p); res.StatusCode != http.StatusOK {
			t.Errorf("reading %s is not limited: got %d", p, res.StatusCode)
		}
	}
}
