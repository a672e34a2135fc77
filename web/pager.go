package web

import (
	"net/http"
	"strconv"
	"strings"
)

// Long lists are paged with the GOV.UK pagination component: previous and
// next links, the first and last pages and those either side of the one
// shown, with ellipses between (templates/partials/pagination.html).

// pager is one page of a long list, for the GOV.UK pagination component.
type pager struct {
	Page, Pages, From, To, Total int
	// Base is the list's address without the page number, Anchor the
	// fragment a page link returns to ("#unmatched"), Label the
	// navigation's name for screen readers.
	Base, Anchor, Label string
}

func newPager(r *http.Request, base string, total, size int) pager {
	p := pager{Page: 1, Total: total, Base: base}
	if n, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && n > 1 {
		p.Page = n
	}
	p.Pages = max(1, (total+size-1)/size)
	p.Page = min(p.Page, p.Pages)
	p.From, p.To = (p.Page-1)*size+1, min(p.Page*size, total)
	return p
}

// Offset is where the page starts, from 0.
func (p pager) Offset() int { return p.From - 1 }

// Link is the address of page n.
func (p pager) Link(n int) string {
	sep := "?"
	if strings.Contains(p.Base, "?") {
		sep = "&"
	}
	return p.Base + sep + "page=" + strconv.Itoa(n) + p.Anchor
}

// pageItem is one entry of the component's list: a page's link, or an
// ellipsis standing for the pages between.
type pageItem struct {
	Number   int
	URL      string
	Current  bool
	Ellipsis bool
}

// Items lays out the page links: the first and last pages, and those next
// to the one shown, with an ellipsis for each run of pages left out.
func (p pager) Items() []pageItem {
	var out []pageItem
	for i := 1; i <= p.Pages; i++ {
		switch {
		case i == 1 || i == p.Pages || (i >= p.Page-1 && i <= p.Page+1):
			out = append(out, pageItem{Number: i, URL: p.Link(i), Current: i == p.Page})
		case len(out) > 0 && !out[len(out)-1].Ellipsis:
			out = append(out, pageItem{Ellipsis: true})
		}
	}
	return out
}
