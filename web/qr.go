package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/oursay/oursay/web/paper"
)

// printHandler loads the public item a print route is about (404 for
// anything the public may not see) and hands it to h.
func (s *Server) printHandler(load func(*http.Request) (*paper.Item, error), h func(http.ResponseWriter, *http.Request, *paper.Item)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		it, err := load(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r, it)
	}
}

func (s *Server) qrPNG(w http.ResponseWriter, r *http.Request, it *paper.Item) {
	size, ok := qrSize(w, r)
	if !ok {
		return
	}
	b, err := paper.QRPNG(it.URL, size)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	serveBytes(w, r, "image/png", qrCache, "", b)
}

func (s *Server) qrSVG(w http.ResponseWriter, r *http.Request, it *paper.Item) {
	size, ok := qrSize(w, r)
	if !ok {
		return
	}
	b, err := paper.QRSVG(it.URL, size)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	serveBytes(w, r, "image/svg+xml", qrCache, "", b)
}

// qrSize reads ?size= (pixels), answering 400 itself when it is out of bounds.
func qrSize(w http.ResponseWriter, r *http.Request) (int, bool) {
	v := r.URL.Query().Get("size")
	if v == "" {
		return paper.DefaultQRSize, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < paper.MinQRSize || n > paper.MaxQRSize {
		badQuery(w, fmt.Sprintf("size must be a whole number of pixels from %d to %d", paper.MinQRSize, paper.MaxQRSize))
		return 0, false
	}
	return n, true
}

// Cache policies. A QR code only changes if the site's address does; a
// poster changes when its page is edited, so caches check back sooner.
// Staff print runs carry serial numbers and stay private.
const (
	qrCache     = "public, max-age=86400"
	posterCache = "public, max-age=300"
	staffCache  = "private, no-store"
)

// serveBytes answers with b, an ETag and cache-control cc, so a cache that
// revalidates gets a 304 instead of the bytes again. The ETag is a hash of
// b unless the caller gives one.
func serveBytes(w http.ResponseWriter, r *http.Request, contentType, cc, etag string, b []byte) {
	if etag == "" {
		sum := sha256.Sum256(b)
		etag = `"` + hex.EncodeToString(sum[:12]) + `"`
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", cc)
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
}

// weakETag names a representation by what it was made from: fpdf's font
// subsets are not byte-for-byte the same from one run to the next, so a
// PDF's ETag hashes its inputs, and is weak (the same content, not the same
// bytes).
func weakETag(parts ...any) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%+v", parts))
	return `W/"` + hex.EncodeToString(sum[:12]) + `"`
}

// badQuery refuses a request whose query parameters are out of bounds,
// before any work is done.
func badQuery(w http.ResponseWriter, msg string) {
	http.Error(w, msg, http.StatusBadRequest)
}
