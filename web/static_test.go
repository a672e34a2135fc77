package web_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

// version is the ?v= an asset URL should carry: the first 16 hex digits
// of the SHA-256 of the file as it is in the source tree.
func version(t *testing.T, file string) (string, []byte) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:16], b
}

// TestStatic_VersionedURLs: a page links its stylesheet, script and icon
// with their content's version.
func TestStatic_VersionedURLs(t *testing.T) {
	e := newEnv(t)
	_, page := e.get(e.anon, "/")
	for _, f := range []string{"govuk/oursay.css", "js/app.js", "favicon.svg"} {
		v, _ := version(t, "static/"+f)
		if want := `"/static/` + f + `?v=` + v + `"`; !strings.Contains(page, want) {
			t.Errorf("home page lacks %s", want)
		}
	}
}

// TestStatic_CacheAndGzip: a versioned URL is cached for a year and
// immutable; any other is revalidated (no-cache, ETag, 304). Text is sent
// gzipped to a client that accepts gzip, and as is to one that does not.
func TestStatic_CacheAndGzip(t *testing.T) {
	e := newEnv(t)
	v, css := version(t, "static/govuk/oursay.css")
	const immutable = "public, max-age=31536000, immutable"
	tests := []struct {
		name, path, acceptEncoding, cache string
		gzipped                           bool
	}{
		{"VersionedGzip", "/static/govuk/oursay.css?v=" + v, "gzip, deflate, br", immutable, true},
		{"VersionedIdentity", "/static/govuk/oursay.css?v=" + v, "identity", immutable, false},
		{"GzipRefused", "/static/govuk/oursay.css?v=" + v, "gzip;q=0, br", immutable, false},
		{"GzipWeighted", "/static/govuk/oursay.css?v=" + v, "br;q=1.0, gzip;q=0.5", immutable, true},
		{"Unversioned", "/static/govuk/oursay.css", "gzip", "no-cache", true},
		{"OldVersion", "/static/govuk/oursay.css?v=0123456789abcdef", "gzip", "no-cache", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.do(e.anon, http.MethodGet, tt.path, "", nil, "Accept-Encoding", tt.acceptEncoding)
			if res.StatusCode != 200 {
				t.Fatalf("got %d", res.StatusCode)
			}
			if got := res.Header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if got := strings.Join(res.Header.Values("Vary"), ", "); !strings.Contains(got, "Accept-Encoding") {
				t.Errorf("Vary %q, want Accept-Encoding among them", got)
			}
			if got := res.Header.Get("Content-Type"); got != "text/css; charset=utf-8" {
				t.Errorf("Content-Type %q", got)
			}
			got := []byte(body)
			if enc := res.Header.Get("Content-Encoding"); (enc == "gzip") != tt.gzipped {
				t.Fatalf("Content-Encoding %q, want gzip: %v", enc, tt.gzipped)
			}
			if tt.gzipped {
				zr, err := gzip.NewReader(strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if got, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
				if len(body)*3 > len(css) {
					t.Errorf("gzipped %d bytes of %d: expected CSS to shrink to under a third", len(body), len(css))
				}
			}
			if !bytes.Equal(got, css) {
				t.Errorf("body (%d bytes after decoding) is not the file (%d bytes)", len(got), len(css))
			}
			etag := res.Header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			res, _ = e.do(e.anon, http.MethodGet, tt.path, "", nil, "Accept-Encoding", tt.acceptEncoding, "If-None-Match", etag)
			if res.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match %s: got %d, want 304", etag, res.StatusCode)
			}
		})
	}
	t.Run("TheTwoEncodingsHaveTheirOwnETags", func(t *testing.T) {
		a, _ := e.do(e.anon, http.MethodGet, "/static/govuk/oursay.css", "", nil, "Accept-Encoding", "gzip")
		b, _ := e.do(e.anon, http.MethodGet, "/static/govuk/oursay.css", "", nil, "Accept-Encoding", "identity")
		if a.Header.Get("ETag") == b.Header.Get("ETag") {
			t.Errorf("gzip and identity share the ETag %s", a.Header.Get("ETag"))
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		for _, p := range []string{"/static/", "/static/govuk/", "/static/nothing.css", "/static/govuk/oursay.css/"} {
			if res, _ := e.get(e.anon, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
			}
		}
	})
}
