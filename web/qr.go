package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
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
	b, etag, err := s.prints.get(fmt.Sprintf("qr.png %d %s", size, it.URL), func() ([]byte, error) {
		return paper.QRPNG(it.URL, size)
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	serveBytes(w, r, "image/png", qrCache, etag, b)
}

func (s *Server) qrSVG(w http.ResponseWriter, r *http.Request, it *paper.Item) {
	size, ok := qrSize(w, r)
	if !ok {
		return
	}
	b, etag, err := s.prints.get(fmt.Sprintf("qr.svg %d %s", size, it.URL), func() ([]byte, error) {
		return paper.QRSVG(it.URL, size)
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	serveBytes(w, r, "image/svg+xml", qrCache, etag, b)
}

// qrSizes are the only sizes drawn, in pixels: a phone reads 256 off a
// screen, 512 (the default) off a leaflet, and 1024 is enough for an A3
// poster; print shops take the SVG, which scales to any size. A fixed
// set bounds the work and lets each be cached: any other size is refused
// with 400, not snapped, so a link asking for 2048 finds out.
var qrSizes = []int{256, paper.DefaultQRSize, 1024}

// qrSize reads ?size=, answering 400 itself for a size not offered.
func qrSize(w http.ResponseWriter, r *http.Request) (int, bool) {
	v := r.URL.Query().Get("size")
	if v == "" {
		return paper.DefaultQRSize, true
	}
	if n, err := strconv.Atoi(v); err == nil && slices.Contains(qrSizes, n) {
		return n, true
	}
	badQuery(w, fmt.Sprintf("size must be %d, %d or %d (pixels), or left out for %d", qrSizes[0], qrSizes[1], qrSizes[2], paper.DefaultQRSize))
	return 0, false
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
