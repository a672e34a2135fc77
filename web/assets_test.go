package web_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// assetRef finds what a page or script loads from this site: href= and
// src= attributes, and ES module imports (static and dynamic).
var assetRef = regexp.MustCompile(`(?:href|src)="(/(?:static/[^"]+|favicon[^"]*))"|from\s*"(/static/[^"]+)"|import\(\s*"(/static/[^"]+)"\s*\)`)

// TestLinkedAssetsAreEmbedded: every stylesheet, script, module import and
// icon that a page links is embedded in the binary and answers 200 from
// the real handler. The generated GOV.UK assets (web/static/govuk/) are
// committed; were one missing, `go build` would still succeed and serve
// unstyled pages with broken scripts, so this is what catches it.
func TestLinkedAssetsAreEmbedded(t *testing.T) {
	e := newEnv(t)
	e.openConsultation("parks")
	// Pages on the site's layout (home, a consultation with live counts),
	// a 404 page and the poster, which has a layout of its own.
	queue := []string{"/", "/accessibility", "/consultations/parks", "/no-such-page", "/consultations/parks/poster", "/favicon.ico"}
	seen := map[string]bool{}
	var assets []string
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		res, body := e.get(e.anon, path)
		isPage := !strings.HasPrefix(path, "/static/") && path != "/favicon.ico"
		switch {
		case path == "/no-such-page" && res.StatusCode == http.StatusNotFound:
		case res.StatusCode != http.StatusOK:
			t.Errorf("GET %s: %d, want 200", path, res.StatusCode)
			continue
		}
		if !isPage {
			// Pages link assets with a version (?v=…); the file is the path.
			path, _, _ = strings.Cut(path, "?")
			assets = append(assets, path)
			if len(body) == 0 {
				t.Errorf("GET %s: empty body", path)
			}
			ct := res.Header.Get("Content-Type")
			want := map[string]string{".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".ico": "image/svg+xml"}[path[strings.LastIndex(path, "."):]]
			if want != "" && !strings.HasPrefix(ct, want) {
				t.Errorf("GET %s: Content-Type %q, want %s", path, ct, want)
			}
			if !strings.HasSuffix(path, ".js") {
				continue
			}
		}
		for _, m := range assetRef.FindAllStringSubmatch(body, -1) {
			queue = append(queue, m[1]+m[2]+m[3])
		}
	}
	// The crawl must have reached what the pages are known to load, or a
	// template change could make it check nothing.
	for _, want := range []string{
		"/static/govuk/oursay.css", "/static/js/app.js", "/static/govuk/govuk-frontend.min.js",
		"/static/js/live.js", "/static/favicon.svg", "/static/print/poster.css", "/favicon.ico",
	} {
		if !slices.Contains(assets, want) {
			t.Errorf("%s was not reached from the pages (reached %v)", want, assets)
		}
	}
}
