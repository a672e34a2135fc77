package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Public lists (consultations, petitions) are filtered by words in the
// title and by status, and paged, with no silent cap: the page says how
// many match. A council has hundreds of these at most, so each list is
// loaded whole and filtered here.

// listPageSize is how many items a page of a public list shows.
const listPageSize = 20

// listView is one page of a filtered list.
type listView[T any] struct {
	Items []T
	Page  pager
	// Filtered is true when a filter is set, so the count says "match".
	Filtered bool
	// Statuses are the status filter's choices; Noun names the items
	// ("consultations").
	Statuses []choice
	Noun     string
	// DateLabel names the date the list can be filtered by ("end date"),
	// or is "" for a list without one; the inputs are "Earliest end date"
	// and "Latest end date".
	DateLabel string
}

// listDate is the date a list's items can be filtered by: Of gives an
// item's (zero when it has none, which no date range matches), Label
// names it.
type listDate[T any] struct {
	Label string
	Of    func(T) time.Time
}

// listDateKeys are the query keys of the from and to date inputs.
var listDateKeys = []string{"from-day", "from-month", "from-year", "to-day", "to-month", "to-year"}

// filterList reads q (words in the title) and status from the request and
// returns the page of items that match, or field messages for a status
// that is not one of statuses.
//
// With dates, the list can also be filtered to items whose date falls
// between from and to (both days included, either left blank), read from
// GOV.UK date inputs.
func filterList[T any](r *http.Request, base, noun string, items []T, title func(T) string, status func(T) string,
	statuses []choice, dates ...listDate[T]) (*listView[T], url.Values, map[string]string) {
	in := r.URL.Query()
	words := strings.Fields(strings.ToLower(in.Get("q")))
	st := strings.TrimSpace(in.Get("status"))
	form := url.Values{}
	if q := strings.TrimSpace(in.Get("q")); q != "" {
		form.Set("q", q)
	}
	v := &listView[T]{Statuses: statuses, Noun: noun}
	var from, to time.Time
	var dated func(T) time.Time
	if len(dates) > 0 {
		v.DateLabel, dated = dates[0].Label, dates[0].Of
		for _, k := range listDateKeys {
			if x := strings.TrimSpace(in.Get(k)); x != "" {
				form.Set(k, x)
			}
		}
		f := newFormReader(in)
		from = f.formDate("from", "Earliest "+v.DateLabel, london)
		to = f.formDate("to", "Latest "+v.DateLabel, london)
		if fields := f.result(nil); fields != nil {
			return v, form, fields
		}
		if !from.IsZero() && !to.IsZero() && to.Before(from) {
			return v, form, map[string]string{"to": "Latest " + v.DateLabel + " must be the same as or after the earliest " + v.DateLabel}
		}
	}
	if st != "" {
		form.Set("status", st)
		known := false
		for _, c := range statuses {
			known = known || c.Value == st
		}
		if !known {
			return v, form, map[string]string{"status": "Select a status from the list"}
		}
	}
	if len([]rune(in.Get("q"))) > 200 {
		return v, form, map[string]string{"q": "Search must be 200 characters or fewer"}
	}
	var match []T
	for _, it := range items {
		if st != "" && status(it) != st {
			continue
		}
		if !from.IsZero() || !to.IsZero() {
			d := dated(it)
			if d.IsZero() || (!from.IsZero() && d.Before(from)) || (!to.IsZero() && !d.Before(to.AddDate(0, 0, 1))) {
				continue
			}
		}
		t := strings.ToLower(title(it))
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(t, w)
		}
		if ok {
			match = append(match, it)
		}
	}
	v.Filtered = len(form) > 0
	v.Page = newPager(r, base, len(match), listPageSize)
	v.Page.Label = "Pages of " + noun
	if len(form) > 0 {
		v.Page.Base += "?" + form.Encode()
	}
	if len(match) > 0 {
		v.Items = match[v.Page.Offset():v.Page.To]
	}
	return v, form, nil
}

// CountText says how many items the page shows and of how many.
func (v *listView[T]) CountText() string {
	p := v.Page
	match := ""
	if v.Filtered {
		match = " that match"
	}
	switch p.Total {
	case 0:
		if v.Filtered {
			return "No " + v.Noun + " match your search."
		}
		return "There are no " + v.Noun + " yet."
	case 1:
		return "Showing 1 of 1 " + strings.TrimSuffix(v.Noun, "s") + match + "."
	}
	if p.From == 1 && p.To == p.Total {
		return "Showing all " + groupThousands(int64(p.Total)) + " " + v.Noun + match + "."
	}
	return "Showing " + strconv.Itoa(p.From) + " to " + strconv.Itoa(p.To) + " of " + groupThousands(int64(p.Total)) + " " + v.Noun + match + "."
}

// renderList shows a list page, or its filter's messages with 422.
func (s *Server) renderList(w http.ResponseWriter, r *http.Request, name string, p *page, fields map[string]string) {
	status := http.StatusOK
	if fields != nil {
		p.setErrors(fields, []string{"q", "status", "from", "to"})
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, name, p)
}

// consultClosing filters consultations by the day they close: the last
// day open, as their pages say (they close at the end of it).
var consultClosing = listDate[consultView]{Label: "closing date", Of: func(c consultView) time.Time {
	if c.C.ClosesAt.IsZero() {
		return time.Time{}
	}
	return c.C.ClosesAt.Add(-time.Nanosecond)
}}

// petitionClosing filters petitions by when signing closes.
var petitionClosing = listDate[*petitionView]{Label: "date signing closes", Of: func(p *petitionView) time.Time { return p.P.ClosesAt }}

// contractEnds filters contracts by their end date.
var contractEnds = listDate[*contractView]{Label: "end date", Of: func(c *contractView) time.Time { return c.C.EndsOn }}

// ballotClosing filters ballots by when voting closes.
var ballotClosing = listDate[*ballotView]{Label: "date voting closes", Of: func(b *ballotView) time.Time { return b.B.ClosesAt }}
