package web

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestPager: which page a request asks for, clamped to the pages there
// are, the rows it shows, and the links the component lays out: first and
// last, the current page's neighbours, one ellipsis for each gap.
func TestPager(t *testing.T) {
	for _, tc := range []struct {
		query       string
		total, size int
		page, pages int
		from, to    int
		items       string
	}{
		{"", 0, 20, 1, 1, 1, 0, "1*"},
		{"", 45, 20, 1, 3, 1, 20, "1* 2 3"},
		{"page=2", 45, 20, 2, 3, 21, 40, "1 2* 3"},
		{"page=9", 45, 20, 3, 3, 41, 45, "1 2 3*"},
		{"page=x", 45, 20, 1, 3, 1, 20, "1* 2 3"},
		{"page=-3", 45, 20, 1, 3, 1, 20, "1* 2 3"},
		{"page=5", 200, 20, 5, 10, 81, 100, "1 … 4 5* 6 … 10"},
		{"page=3", 200, 20, 3, 10, 41, 60, "1 2 3* 4 … 10"},
		{"page=10", 200, 20, 10, 10, 181, 200, "1 … 9 10*"},
	} {
		r := httptest.NewRequest("GET", "/list?"+tc.query, nil)
		p := newPager(r, "/list?q=bins", tc.total, tc.size)
		var items []string
		for _, it := range p.Items() {
			switch {
			case it.Ellipsis:
				items = append(items, "…")
			case it.Current:
				items = append(items, fmt.Sprint(it.Number, "*"))
			default:
				items = append(items, fmt.Sprint(it.Number))
			}
			if !it.Ellipsis && it.URL != fmt.Sprintf("/list?q=bins&page=%d", it.Number) {
				t.Errorf("%s: page %d links to %q", tc.query, it.Number, it.URL)
			}
		}
		got := strings.Join(items, " ")
		if p.Page != tc.page || p.Pages != tc.pages || p.From != tc.from || p.To != tc.to || got != tc.items {
			t.Errorf("%q of %d: page %d of %d, rows %d-%d, links %q; want page %d of %d, rows %d-%d, links %q",
				tc.query, tc.total, p.Page, p.Pages, p.From, p.To, got, tc.page, tc.pages, tc.from, tc.to, tc.items)
		}
	}
	if got := (pager{Base: "/admin/audit", Anchor: "#log"}).Link(2); got != "/admin/audit?page=2#log" {
		t.Errorf("Link = %q", got)
	}
}
