package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// Static assets (web/static, embedded) are read once, at start: each file's
// version, the first 16 hex digits of the SHA-256 of its bytes, and, for
// text formats, its gzip-compressed bytes. Pages link assets through the
// asset template func, as /static/PATH?v=VERSION: a URL that names one
// content for ever, so it is sent with a year's max-age and immutable. Any
// other request for the file (no version, as an ES module import inside a
// script asks, or an old one) is sent with no-cache and an ETag, so the
// browser revalidates and gets a 304 while the file is unchanged.

// staticFile is one embedded file under web/static.
type staticFile struct {
	body    []byte
	gzipped []byte // nil when the format is not text or gzip saves nothing
	version string
	ctype   string
}

// staticFiles maps a path such as "static/js/app.js" to its file.
var staticFiles = sync.OnceValue(func() map[string]*staticFile {
	files := map[string]*staticFile{}
	err := fs.WalkDir(staticFS, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(staticFS, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		f := &staticFile{body: body, version: hex.EncodeToString(sum[:8]), ctype: mime.TypeByExtension(path.Ext(name))}
		if f.ctype == "" {
			f.ctype = http.DetectContentType(body)
		}
		if compressible(f.ctype) {
			f.gzipped = gzipBytes(body)
			if len(f.gzipped) >= len(body) {
				f.gzipped = nil
			}
		}
		files[name] = f
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("static files: %v", err)) // the embedded tree is fixed at build time
	}
	return files
})

// compressible reports whether a media type is text, which gzip shrinks;
// images other than SVG and PDFs are compressed already.
func compressible(ctype string) bool {
	mt, _, _ := strings.Cut(ctype, ";")
	return strings.HasPrefix(mt, "text/") || mt == "image/svg+xml" ||
		mt == "application/javascript" || mt == "application/json"
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level: no error
	zw.Write(b)                                              // a bytes.Buffer does not fail
	zw.Close()
	return buf.Bytes()
}

// assetURL is the asset template func: the versioned URL of an embedded
// static file, given its path ("/static/govuk/oursay.css"). An unknown path
// is an error, so a mistyped link fails the page rather than 404 quietly.
func assetURL(p string) (string, error) {
	f, ok := staticFiles()[strings.TrimPrefix(p, "/")]
	if !ok || !strings.HasPrefix(p, "/static/") {
		return "", fmt.Errorf("asset %q is not an embedded static file", p)
	}
	return p + "?v=" + f.version, nil
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip: gzip
// or * listed without q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q, hasQ := strings.CutPrefix(strings.ReplaceAll(strings.ToLower(params), " ", ""), "q=")
		if !hasQ || strings.Trim(q, "0.") != "" {
			return true
		}
	}
	return false
}

// staticHandler serves the embedded static files; its requests arrive
// without the leading slash ("static/js/app.js").
func staticHandler() http.Handler {
	files := staticFiles()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.ctype)
		if r.URL.Query().Get("v") == f.version {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		body, etag := f.body, `"`+f.version+`"`
		if f.gzipped != nil {
			h.Add("Vary", "Accept-Encoding")
			if acceptsGzip(r.Header.Get("Accept-Encoding")) {
				body, etag = f.gzipped, `"`+f.version+`-gzip"`
				h.Set("Content-Encoding", "gzip")
			}
		}
		h.Set("ETag", etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
}
