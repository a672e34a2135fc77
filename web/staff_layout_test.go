package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestStaffFormsTwoThirds: every staff form that takes typed answers
// (novalidate: the server checks them) sits in the two-thirds column, as
// GOV.UK lays out forms, so lines stay readable. Filters above wide tables
// (method get) may span the page.
func TestStaffFormsTwoThirds(t *testing.T) {
	names, err := fs.Glob(templateFS, "templates/pages/admin_*.html")
	if err != nil || len(names) == 0 {
		t.Fatalf("templates: %v %v", names, err)
	}
	form := regexp.MustCompile(`<form method="post"[^>]*novalidate>`)
	for _, name := range names {
		b, err := fs.ReadFile(templateFS, name)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, loc := range form.FindAllStringIndex(s, -1) {
			before := s[:loc[0]]
			col := strings.LastIndex(before, `govuk-grid-column-`)
			if col < 0 || !strings.HasPrefix(before[col:], "govuk-grid-column-two-thirds") {
				t.Errorf("%s: the form at byte %d is not in the two-thirds column", name, loc[0])
			}
		}
	}
}
