package web

import (
	"runtime"
	"testing"
	"text/template/parse"
)

// TestParseTemplates_EveryCallResolves walks every page's parse trees: each
// {{template "name"}} must name a template parsed with that page, or a
// branch the other tests never take would fail at a resident's request.
// parseTemplates gives each page only the partial files it calls.
func TestParseTemplates_EveryCallResolves(t *testing.T) {
	pages, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 60 {
		t.Fatalf("only %d pages parsed", len(pages))
	}
	for name, p := range pages {
		for _, tt := range p.Templates() {
			if tt.Tree == nil {
				continue
			}
			walkTemplateCalls(tt.Tree.Root, func(called string) {
				if p.Lookup(called) == nil {
					t.Errorf("page %s: template %q calls %q, which was not parsed with it", name, tt.Name(), called)
				}
			})
		}
	}
}

func walkTemplateCalls(n parse.Node, f func(string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkTemplateCalls(c, f)
		}
	case *parse.TemplateNode:
		f(n.Name)
	case *parse.IfNode:
		walkTemplateCalls(n.List, f)
		walkTemplateCalls(n.ElseList, f)
	case *parse.RangeNode:
		walkTemplateCalls(n.List, f)
		walkTemplateCalls(n.ElseList, f)
	case *parse.WithNode:
		walkTemplateCalls(n.List, f)
		walkTemplateCalls(n.ElseList, f)
	}
}

// BenchmarkParseTemplates reports the heap the parsed pages hold.
func BenchmarkParseTemplates(b *testing.B) {
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		p, err := parseTemplates()
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB-held")
		runtime.KeepAlive(p)
	}
}
