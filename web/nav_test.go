package web_test

import (
	"net/http"
	"regexp"
	"testing"
)

// navCurrent finds the service navigation's links that carry aria-current.
var navCurrent = regexp.MustCompile(`<li class="govuk-service-navigation__item govuk-service-navigation__item--active"><a class="govuk-service-navigation__link" href="([^"]+)" aria-current="([a-z]+)"><strong class="govuk-service-navigation__active-fallback">`)

// TestNav_AriaCurrent: the service navigation marks the section the page
// is in, as GOV.UK's component does: aria-current="page" on the section's
// own page, "true" on a page inside it, and nothing where no section fits.
func TestNav_AriaCurrent(t *testing.T) {
	e := newEnv(t)
	e.openConsultation("parks")
	tests := []struct {
		who        *http.Client
		path       string
		href, want string // want "" for no current link
	}{
		{e.anon, "/consultations", "/consultations", "page"},
		{e.anon, "/consultations/parks", "/consultations", "true"},
		{e.anon, "/petitions", "/petitions", "page"},
		{e.anon, "/ballots", "/ballots", "page"},
		{e.anon, "/contracts", "/contracts", "page"},
		{e.anon, "/requests", "/requests", "page"},
		{e.anon, "/admin/signin", "/admin/signin", "page"},
		{e.anon, "/", "", ""},
		{e.anon, "/accessibility", "", ""},
		{e.admin, "/admin/", "/admin/", "page"},
		{e.admin, "/admin/consultations/parks", "/admin/", "true"},
		// The audit log is under /admin/ too: the deeper section wins.
		{e.admin, "/admin/audit", "/admin/audit", "page"},
		{e.admin, "/consultations/parks", "/consultations", "true"},
	}
	for _, tt := range tests {
		res, body := e.get(tt.who, tt.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", tt.path, res.StatusCode)
			continue
		}
		got := navCurrent.FindAllStringSubmatch(body, -1)
		switch {
		case tt.want == "" && len(got) != 0:
			t.Errorf("GET %s: current link %v, want none", tt.path, got)
		case tt.want != "" && (len(got) != 1 || got[0][1] != tt.href || got[0][2] != tt.want):
			t.Errorf("GET %s: current links %v, want only %s with aria-current=%q", tt.path, got, tt.href, tt.want)
		}
	}
}
