package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestShortLinks: the short link read out on the phone opens the page, and
// the poster prints it for people who cannot scan.
func TestShortLinks(t *testing.T) {
	e := newPetitionEnv(t, 10)
	c := e.openConsultation("short")
	id := e.startPetition("live")
	cases := map[string]string{
		fmt.Sprintf("/c/%d", c.ID): "/consultations/short",
		fmt.Sprintf("/p/%d", id):   fmt.Sprintf("/petitions/%d", id),
	}
	for short, want := range cases {
		res, _ := e.get(e.anon, short)
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != want {
			t.Errorf("%s: got %d to %q, want 302 to %s", short, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	for _, bad := range []string{"/c/999", "/c/x", "/p/-1"} {
		if res, _ := e.get(e.anon, bad); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: got %d, want 404", bad, res.StatusCode)
		}
	}
	host := strings.TrimPrefix(testBase, "http://")
	_, poster := e.get(e.anon, fmt.Sprintf("/petitions/%d/poster", id))
	if !strings.Contains(poster, fmt.Sprintf("%s/p/%d", host, id)) {
		t.Errorf("poster lacks the short link")
	}
	_, page := e.get(e.anon, "/consultations/short")
	if !strings.Contains(page, fmt.Sprintf(`href="/c/%d"`, c.ID)) {
		t.Errorf("consultation page lacks its short link")
	}
}
