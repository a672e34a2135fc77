package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The legal pages (privacy notice, cookies, accessibility statement) and
// the contact and open data pages are drawn from the council's settings,
// so each council's own facts are what a resident reads.

func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "accessibility", &page{Title: "Accessibility statement"})
}

func (s *Server) privacy(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "privacy", &page{Title: "Privacy notice"})
}

func (s *Server) contact(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "contact", &page{Title: "Contact"})
}

// cookieFact is one cookie as the cookies page lists it.
type cookieFact struct {
	Name, Purpose, Expires string
}

// cookiesPage lists every cookie the service sets, by the names and
// lifetimes the code gives them.
func (s *Server) cookiesPage(w http.ResponseWriter, r *http.Request) {
	facts := []cookieFact{
		{s.sessions.Cookie.Name, "Keeps council staff signed in, and carries a one-time message after some actions, such as withdrawing a signature",
			"After " + spanText(s.sessions.IdleTimeout) + " without use, and at most " + spanText(s.sessions.Lifetime) + " after it was set"},
		{s.cookies.name(voteCookie), "Holds the voter code and choice while you check your vote, so it can be cast", spanText(voteCookieTTL)},
		{s.cookies.name(votedCookie), "Shows your vote's receipt again if you reload the page", spanText(receiptTTL)},
		{s.cookies.name(respondedCookie), "Shows your consultation receipt again if you reload the page", spanText(receiptTTL)},
	}
	s.render(w, r, http.StatusOK, "cookies", &page{Title: "Cookies", Data: facts})
}

// spanText writes a cookie lifetime in words: "30 minutes", "2 hours".
func spanText(d time.Duration) string {
	switch {
	case d%time.Hour == 0 && d > time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " hours"
	case d == time.Hour:
		return "1 hour"
	}
	return strconv.Itoa(int(d/time.Minute)) + " minutes"
}

// openDataset is one open data address the open data page lists.
type openDataset struct {
	Path, Format, About string
}

// openDatasets are the public data addresses; TestOpenData_LinksAreRoutes
// checks that each is served.
var openDatasets = []openDataset{
	{"/api/consultations", "JSON", "Every public consultation, with its status and closing date"},
	{"/api/consultations/{slug}", "JSON", "One consultation: its questions, and its tallies once its results are public"},
	{"/api/petitions", "JSON", "Every public recall petition, with its signature count and threshold"},
	{"/api/petitions/{id}", "JSON", "One petition: its count, threshold, status and closing date"},
	{"/api/ballots", "JSON", "Every recall ballot, with its turnout"},
	{"/api/ballots/{id}", "JSON", "One ballot: its options, turnout, and its results once it has closed"},
	{"/api/ballots/{id}/receipts", "JSON", "The receipts of a ballot's votes, so each voter can check theirs was counted"},
	{"/api/contracts", "JSON", "The council's register of outsourced contracts"},
	{"/api/contracts/{id}", "JSON", "One contract, with its performance indicators"},
	{"/api/contracts/{id}/ocds", "OCDS (JSON)", "One contract as an Open Contracting Data Standard release package"},
	{"/api/accountability", "JSON", "The Our Services Our Say scorecard: each principle met or not, per contract and for the council"},
	{"/api/audit/head", "JSON", "The latest entry of the council's audit log, to check that no entry was changed later"},
	{"/api/council", "JSON", "Who runs this service, how to contact them and who publishes its open data"},
}

func (s *Server) openData(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "open_data", &page{Title: "Open data", Data: openDatasets})
}

// openDataLink reports whether path can be followed as it is: one with a
// {part} is a pattern, shown but not linked.
func openDataLink(path string) bool { return !strings.Contains(path, "{") }

// addressLines splits an address typed on several lines, dropping blanks.
func addressLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
